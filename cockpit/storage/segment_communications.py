"""Communications to a segment of clients: a tier, an account or a tag ("a quarterly market
update to every core client"). Marking one sent logs a touch of its kind on each recipient
the user kept ticked, and moves it on one period, in one transaction; `take_back` undoes
both in one step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from peewee import JOIN

from cockpit import clock
from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.storage.models import (
    Account,
    Client,
    Interaction,
    SegmentCommunication,
    database_proxy,
)
from cockpit.storage.reps import current_rep, rep_on_team_book
from cockpit.text import printable
from cockpit.validation import as_date, interaction_row, next_plan_date, plan_values
from cockpit.validation.plans import DEFAULT_PLAN_KIND
from cockpit.vocabulary import Intent, Kind, PlanUnit

TIERS = ("core", "other", "peripheral")


@dataclass(frozen=True)
class Segment:
    """Who a communication goes to: exactly one of a tier, an account (its id and name)
    or a tag (its folded key and as typed)."""

    tier: str | None = None
    account_id: int | None = None
    account_name: str = ""
    tag_key: str | None = None
    tag: str = ""

    @property
    def label(self) -> str:
        if self.tier is not None:
            return f"every {self.tier} client"
        if self.account_id is not None:
            return f"everyone at {self.account_name}"
        return f"every client tagged #{self.tag}"

    @property
    def typed(self) -> str:
        """The segment as the form's To field takes it."""
        if self.tier is not None:
            return self.tier
        if self.account_id is not None:
            return f"@{self.account_name}"
        return f"#{self.tag}"


@dataclass(frozen=True)
class Communication:
    id: int
    what: str
    kind: str
    every: int
    unit: str
    next_due: date
    segment: Segment
    owner: str


@dataclass(frozen=True)
class Sent:
    """What marking a communication sent did, for `take_back`."""

    communication_id: int
    what: str
    kind: str
    touch_ids: tuple[int, ...]
    due_before: date
    due_after: date


def _segment_columns(segment: Segment) -> dict:
    chosen = [segment.tier is not None, segment.account_id is not None, segment.tag_key]
    if sum(bool(each) for each in chosen) != 1:
        raise ValidationError("send it to one tier, one account or one tag")
    if segment.tier is not None and segment.tier not in TIERS:
        raise ValidationError(f"{segment.tier!r} is no tier; use core, other or peripheral")
    return {
        "tier": segment.tier,
        "account": segment.account_id,
        "tag_key": segment.tag_key,
        "tag": segment.tag if segment.tag_key else "",
    }


def add_communication(
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    segment: Segment,
    *,
    kind: Kind | str = DEFAULT_PLAN_KIND,
    created_at: datetime | None = None,
) -> int:
    values = {**plan_values(what, every, unit, kind), **_segment_columns(segment)}
    return SegmentCommunication.insert(
        **values,
        next_due=check_day(next_due),
        owner=current_rep(),
        created_at=created_at or clock.now_utc(),
    ).execute()


def update_communication(
    communication_id: int,
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    segment: Segment,
    kind: Kind | str = DEFAULT_PLAN_KIND,
) -> None:
    values = {**plan_values(what, every, unit, kind), **_segment_columns(segment)}
    changed = (
        SegmentCommunication.update(**values, next_due=check_day(next_due))
        .where(SegmentCommunication.id == communication_id)
        .execute()
    )
    if not changed:
        raise ValidationError("that communication no longer exists, or is another rep's")


def delete_communication(communication_id: int) -> None:
    SegmentCommunication.delete().where(SegmentCommunication.id == communication_id).execute()


def communications(owners: Sequence[str] | None = None) -> list[Communication]:
    """The communications (of `owners`, when given), the soonest due first."""
    query = (
        SegmentCommunication.select(SegmentCommunication, Account.name)
        .join(Account, JOIN.LEFT_OUTER, on=(Account.id == SegmentCommunication.account))
        .order_by(SegmentCommunication.next_due, SegmentCommunication.id)
    )
    if owners is not None:
        query = query.where(SegmentCommunication.owner.in_(list(owners)))
    from cockpit.storage.accounts import account_now

    found = []
    for row in query.objects():
        account_id, account_name = row.account_id, ""
        if account_id is not None:  # a merged account's communication goes to the kept one
            now = account_now(account_id)
            account_id, account_name = (now.id, now.name) if now else (account_id, row.name)
        segment = Segment(
            tier=row.tier,
            account_id=account_id,
            account_name=account_name,
            tag_key=row.tag_key,
            tag=row.tag,
        )
        found.append(
            Communication(
                row.id,
                row.what,
                row.kind,
                row.every,
                row.unit,
                as_date(row.next_due),
                segment,
                row.owner,
            )
        )
    return found


def communication(communication_id: int) -> Communication:
    found = [c for c in communications() if c.id == communication_id]
    if not found:
        raise ValidationError("that communication no longer exists")
    return found[0]


def people_at(account_id: int) -> list[int]:
    """The clients at an account, not archived."""
    return [
        client_id
        for (client_id,) in Client.select(Client.id)
        .where((Client.account == account_id) & (Client.archived == False))  # noqa: E712
        .tuples()
    ]


def mark_sent(communication_id: int, client_ids: Sequence[int], sent_on: date) -> Sent:
    """Log a touch of the communication's kind (a give; a referral asked is an ask), its
    summary what was sent, on each of these clients on `sent_on`, and move it on one
    period from that day: all or nothing."""
    wanted = sorted(set(client_ids))
    if not wanted:
        raise ValidationError("nobody is ticked: tick the clients it went to")
    when = None if sent_on == clock.today() else datetime.combine(sent_on, time(12))
    with database_proxy.atomic():
        row = SegmentCommunication.get_or_none(SegmentCommunication.id == communication_id)
        if row is None:
            raise ValidationError("that communication no longer exists")
        present = dict(Client.select(Client.id, Client.owner).where(Client.id.in_(wanted)).tuples())
        gone = len(wanted) - len(present)
        if gone:
            raise ValidationError(
                f"{gone} of the recipients left the book meanwhile; open the list again"
            )
        if rep_on_team_book():
            me = current_rep()
            others = sum(1 for owner in present.values() if owner != me)
            if others:
                raise ValidationError(
                    f"{others} of the recipients are not your clients: their reps log their touches"
                )
        intent = Intent.SALES if row.kind == Kind.REFERRAL_ASKED.value else Intent.RELATIONSHIP
        summary = printable(row.what)
        touch_ids = []
        for client_id in wanted:
            values = interaction_row(client_id, row.kind, when=when, summary=summary, intent=intent)
            touch_ids.append(Interaction.create(**values).id)  # refreshes the summary
        due_before = as_date(row.next_due)
        due_after = next_plan_date(row.every, row.unit, sent_on)
        SegmentCommunication.update(next_due=due_after).where(
            SegmentCommunication.id == communication_id
        ).execute()
    return Sent(communication_id, row.what, row.kind, tuple(touch_ids), due_before, due_after)


def take_back(sent: Sent) -> int:
    """Undo `mark_sent` in one step: its touches removed, the communication due again as
    before. Returns how many touches were removed."""
    with database_proxy.atomic():
        removed = 0
        for touch in Interaction.select().where(Interaction.id.in_(list(sent.touch_ids))):
            touch.delete_instance()  # refreshes the client's summary
            removed += 1
        SegmentCommunication.update(next_due=sent.due_before).where(
            SegmentCommunication.id == sent.communication_id
        ).execute()
    return removed


def find_account(typed: str) -> tuple[int, str] | None:
    """The account a name denotes (aliases of merged accounts lead to the kept one)."""
    from cockpit.storage import accounts

    found = accounts.account_named(typed)
    row = accounts.account_row(found) if found is not None else None
    return None if row is None else (row.id, row.name)

"""Key account plans: what we want from an account (objectives), how we look after it (the
relationship plan, risks, competitors, a date to review the plan) and what we will do, by
when (actions). One plan per account; a client at no account may have one of their own,
which stays theirs (and is what their plan means) even once they are at an account.

A plan's row is made by its first write. On a team book the server lets whoever changes
its account (or its client) change it, or a manager; what it refuses is said, not skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from peewee import JOIN

from cockpit import clock
from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.storage.models import (
    Account,
    AccountPlan,
    Client,
    Interaction,
    PlanAction,
    PlanObjective,
    database_proxy,
)
from cockpit.storage.reps import current_rep, on_server
from cockpit.storage.touches import LoggedTouch
from cockpit.text import printable
from cockpit.validation import as_date, interaction_row
from cockpit.validation.account_plans import (
    DEFAULT_ACTION_KIND,
    action_values,
    objective_values,
    plan_text_values,
)
from cockpit.vocabulary import Intent, Kind


@dataclass(frozen=True)
class PlanFor:
    """Whose plan: an account's, or a client's own (exactly one of the two)."""

    account_id: int | None = None
    client_id: int | None = None


@dataclass(frozen=True)
class Objective:
    id: int
    what: str
    target_on: date | None
    measure: str


@dataclass(frozen=True)
class Action:
    id: int
    what: str
    who: str  # who on our side does it
    client_id: int | None  # the person it is with
    client_name: str
    kind: str
    intent: str
    due_on: date | None
    done_on: date | None
    touch_id: int | None

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class Plan:
    """A plan as read; `id` is None while nothing was written to it."""

    id: int | None
    subject: PlanFor
    name: str  # the account's, or the client's
    owner: str  # the account's key account manager, or the client's rep
    relationship: str = ""
    risks: str = ""
    competitors: str = ""
    review_on: date | None = None
    updated_at: datetime | None = None
    objectives: tuple[Objective, ...] = ()
    actions: tuple[Action, ...] = ()

    @property
    def open_actions(self) -> list[Action]:
        return [action for action in self.actions if action.done_on is None]

    @property
    def is_empty(self) -> bool:
        return not (
            self.relationship
            or self.risks
            or self.competitors
            or self.review_on
            or self.objectives
            or self.actions
        )


def plan_for_client(client_id: int) -> PlanFor:
    """The plan a client's work goes by: their own when they have one, else their
    account's, else (at no account) their own, to be made."""
    if AccountPlan.select().where(AccountPlan.client == client_id).exists():
        return PlanFor(client_id=client_id)
    account_id = Client.select(Client.account).where(Client.id == client_id).scalar()
    return PlanFor(account_id=account_id) if account_id else PlanFor(client_id=client_id)


def _where(subject: PlanFor):
    if subject.account_id is not None:
        return AccountPlan.account == subject.account_id
    return AccountPlan.client == subject.client_id


def _subject_row(subject: PlanFor) -> tuple[str, str]:
    """The name and owner of the plan's account or client; refused when it is gone."""
    if subject.account_id is not None:
        row = (
            Account.select(Account.name, Account.owner, Account.merged_into)
            .where(Account.id == subject.account_id)
            .tuples()
            .first()
        )
        if row is None:
            raise ValidationError(f"there is no account #{subject.account_id}")
        if row[2] is not None:
            kept = Account.select(Account.name).where(Account.id == row[2]).scalar()
            raise ValidationError(f"{row[0]!r} was merged into {kept!r}: its plan is there")
        return row[0], row[1]
    row = (
        Client.select(Client.name, Client.owner)
        .where(Client.id == subject.client_id)
        .tuples()
        .first()
    )
    if row is None:
        raise ValidationError("that client no longer exists")
    return row


def name_of(subject: PlanFor) -> str:
    """The name of the plan's account, or of its client."""
    return _subject_row(subject)[0]


def read_plan(subject: PlanFor) -> Plan:
    """The plan as it stands (an empty one when nothing was written yet)."""
    name, owner = _subject_row(subject)
    row = AccountPlan.select().where(_where(subject)).first()
    if row is None:
        return Plan(None, subject, name, owner)
    objectives = tuple(
        Objective(o.id, o.what, as_date(o.target_on) if o.target_on else None, o.measure)
        for o in PlanObjective.select()
        .where(PlanObjective.plan == row.id)
        .order_by(PlanObjective.target_on.is_null(), PlanObjective.target_on, PlanObjective.id)
    )
    return Plan(
        row.id,
        subject,
        name,
        owner,
        row.relationship,
        row.risks,
        row.competitors,
        as_date(row.review_on) if row.review_on else None,
        row.updated_at,
        objectives,
        tuple(_actions(PlanAction.plan == row.id)),
    )


def _actions(where) -> list[Action]:
    """The actions `where` picks: the open ones first, the soonest due first (undated
    last); then those done, the latest first."""
    query = (
        PlanAction.select(PlanAction, Client.name.alias("person"))
        .join(Client, JOIN.LEFT_OUTER, on=(Client.id == PlanAction.client))
        .where(where)
        .objects()
    )
    actions = [
        Action(
            a.id,
            a.what,
            a.who,
            a.client_id,
            a.person or "",
            a.kind,
            a.intent,
            as_date(a.due_on) if a.due_on else None,
            as_date(a.done_on) if a.done_on else None,
            a.touch_id,
        )
        for a in query
    ]

    def order(action: Action) -> tuple:
        if action.done_on is None:
            return (0, action.due_on is None, action.due_on or date.min, action.id)
        return (1, False, date.max - (action.done_on - date.min), action.id)

    return sorted(actions, key=order)


def open_actions_of_account(account_id: int) -> list[Action]:
    """The account plan's actions not done yet, the soonest due first."""
    plan_id = AccountPlan.select(AccountPlan.id).where(AccountPlan.account == account_id)
    return _actions((PlanAction.plan.in_(plan_id)) & PlanAction.done_on.is_null())


def plan_subjects() -> list[PlanFor]:
    """Every plan written to: the accounts' by name, then the clients' own."""
    rows = (
        AccountPlan.select(AccountPlan.account, AccountPlan.client, Account.name, Client.name)
        .join(Account, JOIN.LEFT_OUTER, on=(Account.id == AccountPlan.account))
        .switch(AccountPlan)
        .join(Client, JOIN.LEFT_OUTER, on=(Client.id == AccountPlan.client))
        .tuples()
    )
    ordered = sorted(rows, key=lambda r: (r[0] is None, (r[2] or r[3] or "").casefold()))
    return [PlanFor(account_id, client_id) for account_id, client_id, _, _ in ordered]


# Writing


def _check_may_change(subject: PlanFor) -> tuple[str, str]:
    """On a team book a rep changes only the plans of their own accounts and clients (the
    server refuses the rest): said before anything is tried. Returns the name and owner."""
    name, owner = _subject_row(subject)
    if not on_server():
        return name, owner
    from cockpit.storage.team import Powers, powers

    if powers(database_proxy.obj) is Powers.REP and owner != current_rep():
        whose = f"{owner}'s" if owner else "nobody's yet"
        raise ValidationError(f"{name} is {whose}: its owner or a manager changes its account plan")
    return name, owner


def _plan_id(subject: PlanFor, moment: datetime | None = None) -> int:
    """The plan's id, its row made at `moment` (now when None) if it has none (inside the
    caller's transaction)."""
    _check_may_change(subject)
    found = AccountPlan.select(AccountPlan.id).where(_where(subject)).scalar()
    if found is not None:
        return found
    now = moment or clock.now_utc()
    return AccountPlan.insert(
        account=subject.account_id,
        client=subject.client_id,
        created_at=now,
        updated_at=now,
    ).execute()


def subject_of(plan_id: int) -> PlanFor:
    row = (
        AccountPlan.select(AccountPlan.account, AccountPlan.client)
        .where(AccountPlan.id == plan_id)
        .tuples()
        .first()
    )
    if row is None:
        raise ValidationError("that account plan no longer exists")
    return PlanFor(*row)


def _touched(plan_id: int, moment: datetime | None = None) -> None:
    """The plan was changed at `moment` (now when None); refused when the server let
    nothing change."""
    changed = (
        AccountPlan.update(updated_at=moment or clock.now_utc())
        .where(AccountPlan.id == plan_id)
        .execute()
    )
    if not changed:
        _check_may_change(subject_of(plan_id))
        raise ValidationError("the account plan could not be changed")


def save_plan_text(
    subject: PlanFor,
    relationship: str,
    risks: str,
    competitors: str,
    review_on: date | None,
    *,
    moment: datetime | None = None,
) -> int:
    """The plan's relationship plan, risks, competitors and review date, as edited (at
    `moment`, now when None)."""
    values = plan_text_values(relationship, risks, competitors, review_on)
    with database_proxy.atomic():
        plan_id = _plan_id(subject, moment)
        AccountPlan.update(**values).where(AccountPlan.id == plan_id).execute()
        _touched(plan_id, moment)
    return plan_id


def reviewed(plan_id: int, next_review: date | None) -> None:
    """The plan was reviewed: it is next looked at on `next_review` (None: no date)."""
    with database_proxy.atomic():
        _check_may_change(subject_of(plan_id))
        AccountPlan.update(review_on=next_review and check_day(next_review)).where(
            AccountPlan.id == plan_id
        ).execute()
        _touched(plan_id)


def add_objective(
    subject: PlanFor,
    what: str,
    target_on: date | None,
    measure: str,
    *,
    moment: datetime | None = None,
) -> int:
    values = objective_values(what, target_on, measure)
    with database_proxy.atomic():
        plan_id = _plan_id(subject, moment)
        objective_id = PlanObjective.insert(plan=plan_id, **values).execute()
        _touched(plan_id, moment)
    return objective_id


def update_objective(objective_id: int, what: str, target_on: date | None, measure: str) -> None:
    _change_row(
        PlanObjective, objective_id, "objective", objective_values(what, target_on, measure)
    )


def delete_objective(objective_id: int) -> None:
    _change_row(PlanObjective, objective_id, "objective", None)


def _change_row(model, row_id: int, what: str, values: dict | None) -> None:
    """Change an objective or an action (`values`), or delete it (None), in one
    transaction with its plan's time of change."""
    with database_proxy.atomic():
        plan_id = _plan_of(model, row_id, what)
        if values is None:
            model.delete().where(model.id == row_id).execute()
        else:
            if "client" in values:
                values["client"] = _checked_person(subject_of(plan_id), values["client"])
            model.update(**values).where(model.id == row_id).execute()
        _touched(plan_id)


def _plan_of(model, row_id: int, what: str) -> int:
    plan_id = model.select(model.plan).where(model.id == row_id).scalar()
    if plan_id is None:
        raise ValidationError(f"that {what} no longer exists")
    _check_may_change(subject_of(plan_id))
    return plan_id


def _checked_person(subject: PlanFor, client_id: int | None) -> int | None:
    """The person an action is with: someone at the plan's account now, or the plan's
    client."""
    if client_id is None:
        return None
    row = Client.select(Client.account, Client.name).where(Client.id == client_id).tuples().first()
    if row is None:
        raise ValidationError("that person is no longer in the book")
    if subject.account_id is not None and row[0] != subject.account_id:
        raise ValidationError(f"{row[1]} is not at this account")
    if subject.client_id is not None and client_id != subject.client_id:
        raise ValidationError(f"{row[1]} is not the client of this plan")
    return client_id


def add_action(
    subject: PlanFor,
    what: str,
    who: str,
    due_on: date | None,
    *,
    client_id: int | None = None,
    kind: Kind | str = DEFAULT_ACTION_KIND,
    intent: Intent | str = Intent.RELATIONSHIP,
    moment: datetime | None = None,
) -> int:
    values = action_values(what, who, due_on, kind, intent)
    with database_proxy.atomic():
        plan_id = _plan_id(subject, moment)
        person = _checked_person(subject, client_id)
        action_id = PlanAction.insert(plan=plan_id, client=person, **values).execute()
        _touched(plan_id, moment)
    return action_id


def update_action(
    action_id: int,
    what: str,
    who: str,
    due_on: date | None,
    *,
    client_id: int | None = None,
    kind: Kind | str = DEFAULT_ACTION_KIND,
    intent: Intent | str = Intent.RELATIONSHIP,
) -> None:
    values = action_values(what, who, due_on, kind, intent)
    _change_row(PlanAction, action_id, "action", {**values, "client": client_id})


def delete_action(action_id: int) -> None:
    _change_row(PlanAction, action_id, "action", None)


def set_action_done(
    action_id: int, done_on: date | None, *, moment: datetime | None = None
) -> None:
    """Mark an action done on `done_on`, or not done (None); the touch it logged, if any,
    stays in the timeline."""
    with database_proxy.atomic():
        plan_id = _plan_of(PlanAction, action_id, "action")
        PlanAction.update(done_on=done_on and check_day(done_on)).where(
            PlanAction.id == action_id
        ).execute()
        _touched(plan_id, moment)


def do_action(action_id: int, done_on: date, client_id: int) -> LoggedTouch:
    """Mark an action done and log the touch it was, with `client_id`, in one transaction:
    of the action's kind and intent, its summary the action. `undo_log` takes both back."""
    with database_proxy.atomic():
        plan_id = _plan_of(PlanAction, action_id, "action")
        action = PlanAction.get_by_id(action_id)
        if action.done_on is not None:
            raise ValidationError(f"{printable(action.what)!r} is done already")
        when = None if done_on == clock.today() else datetime.combine(done_on, time(12))
        intent = Intent.SALES if action.kind == Kind.REFERRAL_ASKED.value else action.intent
        row = interaction_row(
            client_id, action.kind, when=when, summary=printable(action.what), intent=intent
        )
        touch = Interaction.create(**row)
        PlanAction.update(done_on=row["day"], touch=touch.id).where(
            PlanAction.id == action_id
        ).execute()
        _touched(plan_id)
    return LoggedTouch(touch, client_id, None, False, plan_action=action_id)


def move_plan(from_account: int, to_account: int) -> bool:
    """An account merged into another (or the merge undone): its plan goes with its people,
    to an account with no plan of its own (`account_merges` refuses to merge two plans).
    Whether it moved."""
    if has_plan(to_account):
        return False
    return bool(
        AccountPlan.update(account=to_account, updated_at=clock.now_utc())
        .where(AccountPlan.account == from_account)
        .execute()
    )


def has_plan(account_id: int) -> bool:
    return AccountPlan.select().where(AccountPlan.account == account_id).exists()


# What the weekly review reads


@dataclass(frozen=True)
class ActionDue:
    plan_id: int
    subject: PlanFor
    name: str  # the account's or the client's
    owner: str
    action: Action


def actions_due(by: date) -> list[ActionDue]:
    """The open actions of every plan due by `by` (the review week's end), the most
    overdue first."""
    rows = _named_plans().where(
        AccountPlan.id.in_(
            PlanAction.select(PlanAction.plan).where(
                PlanAction.done_on.is_null() & (PlanAction.due_on <= by)
            )
        )
    )
    plans = {row[0]: row for row in rows}
    due = []
    for action_plan_id, action in _plan_actions(
        PlanAction.plan.in_(list(plans)) & PlanAction.done_on.is_null() & (PlanAction.due_on <= by)
    ):
        plan_id, account_id, client_id, _, account_name, account_owner, name, owner = plans[
            action_plan_id
        ]
        due.append(
            ActionDue(
                plan_id,
                PlanFor(account_id, client_id),
                account_name or name,
                account_owner if account_id else owner,
                action,
            )
        )
    return sorted(due, key=lambda d: (d.action.due_on, d.name.casefold(), d.action.id))


def _named_plans():
    """Plans with the name and owner of their account or client: (id, account id, client
    id, review day, account name, account owner, client name, client owner)."""
    return (
        AccountPlan.select(
            AccountPlan.id,
            AccountPlan.account,
            AccountPlan.client,
            AccountPlan.review_on,
            Account.name,
            Account.owner,
            Client.name,
            Client.owner,
        )
        .join(Account, JOIN.LEFT_OUTER, on=(Account.id == AccountPlan.account))
        .switch(AccountPlan)
        .join(Client, JOIN.LEFT_OUTER, on=(Client.id == AccountPlan.client))
        .tuples()
    )


def _plan_actions(where) -> list[tuple[int, Action]]:
    plan_of = dict(PlanAction.select(PlanAction.id, PlanAction.plan).where(where).tuples())
    return [(plan_of[action.id], action) for action in _actions(PlanAction.id.in_(list(plan_of)))]


@dataclass(frozen=True)
class ReviewDue:
    plan_id: int
    subject: PlanFor
    name: str
    owner: str
    review_on: date


def reviews_due(by: date) -> list[ReviewDue]:
    """The plans whose review date is by `by`, the earliest first."""
    rows = (
        _named_plans()
        .where(AccountPlan.review_on <= by)
        .order_by(AccountPlan.review_on, AccountPlan.id)
    )
    return [
        ReviewDue(
            plan_id,
            PlanFor(account_id, client_id),
            account_name or name,
            account_owner if account_id else owner,
            as_date(review_on),
        )
        for plan_id, account_id, client_id, review_on, account_name, account_owner, name, owner in (
            rows
        )
    ]


def actions_still_open(action_ids: list[int]) -> list[int]:
    return [
        action_id
        for (action_id,) in PlanAction.select(PlanAction.id)
        .where(PlanAction.id.in_(action_ids) & PlanAction.done_on.is_null())
        .order_by(PlanAction.id)
        .tuples()
    ]


def move_actions(action_ids: list[int], due_on: date) -> int:
    """Open actions put off to `due_on` (a review's snooze); how many moved."""
    check_day(due_on)
    with database_proxy.atomic():
        moved = 0
        for action_id in actions_still_open(action_ids):
            plan_id = _plan_of(PlanAction, action_id, "action")
            moved += PlanAction.update(due_on=due_on).where(PlanAction.id == action_id).execute()
            _touched(plan_id)
    return moved


def plan_review_on(plan_id: int) -> date | None:
    day = AccountPlan.select(AccountPlan.review_on).where(AccountPlan.id == plan_id).scalar()
    return as_date(day) if day else None


def actions_by_id(action_ids: list[int]) -> list[Action]:
    return _actions(PlanAction.id.in_(action_ids))

"""Two spellings of one company made one account, and taken back: a merge keeps the
merged account as an alias of the kept one and records what it moved, so `undo_merge`
puts it back."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cockpit import clock
from cockpit.errors import UsageError, ValidationError
from cockpit.storage import account_plans
from cockpit.storage.accounts import (
    existing_account,
    only_my_people,
    place_client,
    write_account,
)
from cockpit.storage.models import (
    Account,
    AccountMerge,
    Client,
    database_proxy,
)
from cockpit.storage.reps import current_rep


@dataclass(frozen=True)
class Merge:
    id: int
    kept: str
    merged: str
    people: int


def merge_accounts(kept_id: int, merged_id: int) -> Merge:
    """Merge an account into another: its people, its domains, its notes and its account
    plan go to the kept account, which keeps its name; the merged name stays as a spelling
    of it. Two accounts that both have a plan are not merged (one plan would be lost)."""
    if kept_id == merged_id:
        raise ValidationError("an account cannot be merged into itself")
    with database_proxy.atomic():
        kept, merged = existing_account(kept_id), existing_account(merged_id)
        only_my_people([kept_id, merged_id], "merges them")
        if account_plans.has_plan(kept_id) and account_plans.has_plan(merged_id):
            raise ValidationError(
                f"{kept.name} and {merged.name} both have an account plan: put what "
                f"{merged.name}'s holds into {kept.name}'s and clear it, then merge"
            )
        people = [
            client_id
            for (client_id,) in Client.select(Client.id)
            .where(Client.account == merged_id)
            .order_by(Client.id)
            .tuples()
        ]
        before = {"domains": kept.domains, "notes": kept.notes, "pinned_key": kept.pinned_key}
        domains = list(dict.fromkeys(kept.domains.split() + merged.domains.split()))
        notes = "\n\n".join(text for text in (kept.notes, merged.notes) if text.strip())
        write_account(
            kept_id,
            domains=" ".join(domains),
            notes=notes,
            pinned_key=kept.pinned_key or merged.pinned_key,
            updated_at=clock.now_utc(),
        )
        write_account(merged_id, merged_into=kept_id, updated_at=clock.now_utc())
        for client_id in people:
            place_client(client_id, kept_id)
        before["plan_moved"] = account_plans.move_plan(merged_id, kept_id)
        merge_id = AccountMerge.insert(
            kept=kept_id,
            merged=merged_id,
            people=json.dumps(people),
            before=json.dumps(before),
            owner=current_rep(),
            merged_at=clock.now_utc(),
        ).execute()
    return Merge(merge_id, kept.name, merged.name, len(people))


def undo_merge(merge_id: int | None = None) -> Merge:
    """Take a merge back (the latest not undone, when no id is given): the merged account
    comes back with the people it had, unless they were moved elsewhere since, and the
    kept account's domains, notes and pin are as they were."""
    with database_proxy.atomic():
        query = AccountMerge.select().where(AccountMerge.undone_at.is_null())
        if merge_id is not None:
            query = query.where(AccountMerge.id == merge_id)
        merge = query.order_by(AccountMerge.id.desc()).first()
        if merge is None:
            if merge_id is None:
                raise UsageError("there is no account merge to undo")
            raise UsageError(f"there is no merge #{merge_id} to undo (or it was undone)")
        later = (
            AccountMerge.select()
            .where(
                AccountMerge.undone_at.is_null()
                & (AccountMerge.id > merge.id)
                & (
                    (AccountMerge.merged == merge.kept_id)
                    | (AccountMerge.kept == merge.merged_id)
                    | (AccountMerge.merged == merge.merged_id)
                )
            )
            .first()
        )
        if later is not None:
            raise UsageError(f"undo merge #{later.id} first: it merged one of these accounts again")
        only_my_people([merge.kept_id], "undoes the merge")
        before = json.loads(merge.before)
        write_account(
            merge.kept_id,
            domains=before["domains"],
            notes=before["notes"],
            pinned_key=before["pinned_key"],
            updated_at=clock.now_utc(),
        )
        write_account(merge.merged_id, merged_into=None, updated_at=clock.now_utc())
        if before.get("plan_moved"):
            account_plans.move_plan(merge.kept_id, merge.merged_id)
        moved_back = 0
        for client_id in json.loads(merge.people):
            still = Client.select(Client.account).where(Client.id == client_id).scalar()
            if still == merge.kept_id:
                place_client(client_id, merge.merged_id)
                moved_back += 1
        AccountMerge.update(undone_at=clock.now_utc()).where(AccountMerge.id == merge.id).execute()
        kept = Account.get_by_id(merge.kept_id)
        merged = Account.get_by_id(merge.merged_id)
    return Merge(merge.id, kept.name, merged.name, moved_back)


def merges() -> list[tuple[int, str, str, bool]]:
    """Every merge: its id, the kept and the merged account's names, and whether undone."""
    kept, merged = Account.alias("kept"), Account.alias("merged")
    rows = (
        AccountMerge.select(AccountMerge.id, kept.name, merged.name, AccountMerge.undone_at)
        .join(kept, on=(kept.id == AccountMerge.kept))
        .switch(AccountMerge)
        .join(merged, on=(merged.id == AccountMerge.merged))
        .order_by(AccountMerge.id)
        .tuples()
    )
    return [(merge_id, a, b, undone is not None) for merge_id, a, b, undone in rows]

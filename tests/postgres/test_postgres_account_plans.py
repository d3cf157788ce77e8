"""Account plans on a team book (issue 22): everyone reads them; the account's key account
manager (or a client's rep, for their own plan) or a manager changes one, psql included,
and Cockpit says so instead of pretending."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit.errors import ValidationError
from cockpit.storage import account_plans, book
from cockpit.storage.account_plans import PlanFor
from tests.support.postgres_server import as_role


def test_only_the_accounts_manager_or_a_manager_changes_its_plan(team):
    import psycopg

    urls, roles = team
    acme = as_role(urls["alice"], lambda: book.add_client("Ann Private", "Acme").account_id)
    bo = as_role(urls["bob"], lambda: book.add_client("Bo Other", "Acme").id)  # at alice's account
    plan = PlanFor(account_id=acme)
    as_role(urls["alice"], lambda: account_plans.save_plan_text(plan, "QBR", "", "Globex", None))
    action = as_role(
        urls["alice"], lambda: account_plans.add_action(plan, "Book the QBR", "me", None)
    )
    # Bob reads it, but changes nothing of it: refused with whose it is.
    assert as_role(urls["bob"], lambda: account_plans.read_plan(plan).competitors) == "Globex"
    for change in (
        lambda: account_plans.save_plan_text(plan, "mine", "", "", None),
        lambda: account_plans.add_objective(plan, "Take it over", None, ""),
        lambda: account_plans.set_action_done(action, date(2026, 11, 23)),
        lambda: account_plans.delete_action(action),
    ):
        with pytest.raises(ValidationError, match=f"Acme is {roles['alice']}'s: its owner or a"):
            as_role(urls["bob"], change)
    # His own client's own plan is his to write.
    as_role(urls["bob"], lambda: account_plans.add_action(PlanFor(client_id=bo), "Call", "", None))
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert (
            bob.execute(
                "UPDATE account_plan SET risks = 'x' WHERE account_id = %s", (acme,)
            ).rowcount
            == 0
        )
        assert (
            bob.execute("UPDATE plan_action SET what = 'x' WHERE id = %s", (action,)).rowcount == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO plan_objective (plan_id, what) SELECT id, 'mine' FROM account_plan "
                "WHERE account_id = %s",
                (acme,),
            )
    # A manager changes it.
    as_role(urls["carol"], lambda: account_plans.set_action_done(action, date(2026, 11, 23)))
    plan_now = as_role(urls["owner"], lambda: account_plans.read_plan(plan))
    assert plan_now.relationship == "QBR" and plan_now.actions[0].done_on == date(2026, 11, 23)
    assert plan_now.objectives == ()

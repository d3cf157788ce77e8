"""The demo's account plans: Atlas Engineering's key account plan (objectives, the
relationship plan, risks and competitors, an action overdue, one due this week, one done,
its review date this week) and Pinecrest Capital's, whose renewal is at risk."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from cockpit import clock
from cockpit.demo.accounts import AT_RISK, DRIFTING_DECISION_MAKER, KEY_ACCOUNT
from cockpit.storage import account_people, account_plans, accounts


def write_account_plans(today: date) -> None:
    at = clock.to_utc(datetime.combine(today, time(8)))
    atlas = accounts.account_named(KEY_ACCOUNT)
    plan = account_plans.PlanFor(account_id=atlas)
    people = account_people.people_rows(atlas)
    champion = next(
        (row[0] for row in people if "champion" in account_people.roles_stored(row[0])[0]), None
    )
    account_plans.save_plan_text(
        plan,
        "Quarterly business review with the champion and the decision maker; lunch with the "
        "plant managers twice a year; a handwritten note after each site goes live.",
        "Their new CFO is reviewing every supplier above $50k.",
        "Northwind Systems (pitched the Lyon plant in the spring).",
        today + timedelta(days=4),
        moment=at,
    )
    account_plans.add_objective(
        plan,
        "Roll out to the Lyon plant",
        today + timedelta(days=120),
        "Lyon live on our system",
        moment=at,
    )
    account_plans.add_objective(
        plan,
        "Renew the framework at 10% more",
        date(today.year + 1, 12, 31),
        "signed renewal",
        moment=at,
    )
    account_plans.add_action(
        plan,
        "Send the rollout report",
        "me",
        today - timedelta(days=5),
        client_id=champion,
        kind="email",
        moment=at,
    )
    account_plans.add_action(
        plan,
        "Book the Q1 business review",
        "me",
        today + timedelta(days=3),
        kind="meeting",
        moment=at,
    )
    done = account_plans.add_action(
        plan,
        "Thank-you note after the Hamburg go-live",
        "me",
        today - timedelta(days=20),
        client_id=champion,
        kind="handwritten-note",
        moment=at,
    )
    account_plans.set_action_done(done, today - timedelta(days=21), moment=at)

    pinecrest = accounts.account_named(AT_RISK)
    at_risk = account_plans.PlanFor(account_id=pinecrest)
    decision_maker = next(
        row[0] for row in account_people.people_rows(pinecrest) if row[1] == DRIFTING_DECISION_MAKER
    )
    account_plans.save_plan_text(
        at_risk,
        "Rebuild a second thread now the champion has left: meet the new head of operations.",
        "Single-threaded since the champion moved on; renewal within 90 days.",
        "",
        today + timedelta(days=30),
        moment=at,
    )
    account_plans.add_objective(
        at_risk, "Renew for another year", today + timedelta(days=47), "", moment=at
    )
    account_plans.add_action(
        at_risk,
        "Walk Ben through the renewal terms",
        "me",
        today - timedelta(days=2),
        client_id=decision_maker,
        kind="call",
        intent="sales",
        moment=at,
    )

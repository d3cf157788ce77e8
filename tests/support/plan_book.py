"""A small book with account plans, as the account plan tests need it (today 2026-11-23):
Acme's plan (two objectives, three actions: one overdue with Ann, one due this week, one
done; its review on Wed 25 Nov) and Cy Solo's own plan (he is at no account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.storage import account_plans
from cockpit.storage.account_plans import PlanFor
from tests.support.histories import History, ago, every, make


@dataclass
class PlanBook:
    ann: int
    bo: int
    cy: int
    acme: PlanFor
    cys: PlanFor
    overdue: int  # the action with Ann, due 4 days ago
    this_week: int  # due Fri 27 Nov, with nobody named
    done: int


def build_plan_book() -> PlanBook:
    ann = make(
        "Ann Lee",
        History(touches=every(20, 200), deals=[(300, 50_000)], company="Acme", roles=("champion",)),
    )
    bo = make("Bo Park", History(touches=every(30, 200, 60), deals=[(250, 9_000)], company="Acme"))
    cy = make("Cy Solo", History(touches=every(15, 100), deals=[(120, 3_000)]))
    acme = PlanFor(account_id=ann.account_id)
    account_plans.save_plan_text(
        acme,
        "QBR each quarter with Ann.\nA handwritten note after each go-live.",
        "Budget freeze in Q1; [bold]not[/] markup",
        "Globex",
        date(2026, 11, 25),
    )
    account_plans.add_objective(acme, "Renew at 10% more", date(2027, 6, 30), "signed renewal")
    account_plans.add_objective(acme, "Second site live", date(2027, 2, 1), "")
    overdue = account_plans.add_action(
        acme, "Send the pilot report", "me", ago(4), client_id=ann.id, kind="email"
    )
    this_week = account_plans.add_action(
        acme, "Book the QBR", "Dana in support", date(2026, 11, 27), kind="meeting"
    )
    done = account_plans.add_action(acme, "Kick-off lunch", "me", ago(40), client_id=bo.id)
    account_plans.set_action_done(done, ago(41))
    cys = PlanFor(client_id=cy.id)
    account_plans.add_action(cys, "Demo the new module", "", date(2027, 1, 10), kind="call")
    return PlanBook(ann.id, bo.id, cy.id, acme, cys, overdue, this_week, done)

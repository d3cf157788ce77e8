"""Key account plans (issue 22, point 1): what a plan holds and refuses, an action done
logging the touch it was (and undone), `cockpit account-plan` in text, Markdown and JSON,
the Markdown export, the weekly review's two parts, the brief's line, and merges, on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.review import keeping
from cockpit.review.agenda import build_agenda
from cockpit.review.items import PARTS
from cockpit.storage import account_merges, account_plans, accounts, book
from cockpit.storage.account_plans import PlanFor
from cockpit.storage.models import Interaction, PlanAction
from tests.support.histories import TODAY, ago
from tests.support.plan_book import build_plan_book


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def plans(db):
    return build_plan_book()


def _run(capsys, db, *args: str) -> str:
    assert main([*args, *db.book_args]) == 0
    return capsys.readouterr().out


def test_a_plan_reads_back_as_written(plans):
    plan = account_plans.read_plan(plans.acme)
    assert plan.name == "Acme" and plan.review_on == date(2026, 11, 25)
    assert plan.relationship == "QBR each quarter with Ann.\nA handwritten note after each go-live."
    assert plan.competitors == "Globex"
    # Objectives by target date; open actions by due date, then those done.
    assert [o.what for o in plan.objectives] == ["Second site live", "Renew at 10% more"]
    assert [a.what for a in plan.actions] == [
        "Send the pilot report",
        "Book the QBR",
        "Kick-off lunch",
    ]
    first = plan.actions[0]
    assert (first.client_name, first.kind, first.overdue(TODAY)) == ("Ann Lee", "email", True)
    assert plan.actions[1].who == "Dana in support" and not plan.actions[1].overdue(TODAY)
    assert plan.actions[2].done_on == ago(41)
    # A client's own plan, and whose plan a client's work goes by.
    assert account_plans.plan_for_client(plans.cy) == plans.cys
    assert account_plans.plan_for_client(plans.bo) == plans.acme


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: account_plans.add_action(p.acme, "  ", "me", None),
            "the action cannot be empty",
        ),
        (
            lambda p: account_plans.add_objective(p.acme, "Grow", date(1200, 1, 1), ""),
            "outside the dates Cockpit keeps",
        ),
        (
            lambda p: account_plans.add_action(p.acme, "Call", "me", None, kind="note"),
            "is not a kind of touch",
        ),
        (
            lambda p: account_plans.add_action(p.acme, "Call", "me", None, client_id=p.cy),
            "Cy Solo is not at this account",
        ),
        (
            lambda p: account_plans.save_plan_text(p.acme, "ok", "a\x1b[31mred", "", None),
            "the risks cannot contain control characters",
        ),
        (
            lambda p: account_plans.add_objective(p.acme, "Line\nbreak", None, ""),
            "the objective cannot contain control characters",
        ),
    ],
)
def test_what_a_plan_cannot_hold_is_refused_and_nothing_changes(plans, change, message):
    before = account_plans.read_plan(plans.acme)
    with pytest.raises(ValidationError, match=message):
        change(plans)
    assert account_plans.read_plan(plans.acme) == before


def test_an_action_done_logs_the_touch_it_was_and_undo_takes_both_back(plans):
    touches = Interaction.select().where(Interaction.client == plans.ann).count()
    logged = account_plans.do_action(plans.overdue, TODAY, plans.ann)
    touch = logged.interaction
    assert (touch.kind, touch.summary, touch.intent) == (
        "email",
        "Send the pilot report",
        "relationship",
    )
    action = PlanAction.get_by_id(plans.overdue)
    assert (action.done_on, action.touch_id) == (TODAY, touch.id)
    with pytest.raises(ValidationError, match="is done already"):
        account_plans.do_action(plans.overdue, TODAY, plans.ann)
    book.undo_log(logged)
    action = PlanAction.get_by_id(plans.overdue)
    assert (action.done_on, action.touch_id) == (None, None)
    assert Interaction.select().where(Interaction.client == plans.ann).count() == touches


def test_the_domain_logs_an_action_with_the_person_to_call_when_it_names_nobody(plans):
    from cockpit import account_plan

    plan = account_plan.plan_for_account(plans.acme.account_id)
    qbr = next(a for a in plan.actions if a.what == "Book the QBR")
    logged, person = account_plan.do_action(plans.acme, qbr, TODAY)
    assert person.name == "Ann Lee"  # the champion, not Bo
    assert logged.client_id == plans.ann and logged.interaction.kind == "meeting"


def test_the_command_prints_the_plan_with_user_text_as_typed(plans, db, capsys):
    out = _run(capsys, db, "account-plan", "acme")
    assert out.startswith("Account plan: Acme\nOwner: ")
    assert "Next review: Wed 25 Nov\n" in out
    assert "  Second site live, by Mon 1 Feb 2027\n" in out
    assert "  Renew at 10% more, by Wed 30 Jun 2027; measured by: signed renewal\n" in out
    assert (
        "  [ ] Send the pilot report (me, with Ann Lee), overdue since Thu 19 Nov (4 days ago) "
        "[an email, a give]\n"
    ) in out
    assert "  [ ] Book the QBR (Dana in support), due Fri 27 Nov [a meeting, a give]" in out
    assert "  [x] Kick-off lunch (me, with Bo Park), done Tue 13 Oct [a meeting, a give]" in out
    assert "Risks:\n  Budget freeze in Q1; [bold]not[/] markup\n" in out
    assert "Relationship plan:\n  QBR each quarter with Ann.\n  A handwritten note" in out
    # A client's name: the plan their work goes by.
    assert _run(capsys, db, "account-plan", "Bo Park") == out
    own = _run(capsys, db, "account-plan", "Cy Solo")
    assert own.startswith("Account plan: Cy Solo (a client at no account)\n")
    assert "[ ] Demo the new module, due Sun 10 Jan 2027 [a call, a give]" in own


def test_the_command_prints_markdown_and_json(plans, db, capsys):
    markdown = _run(capsys, db, "account-plan", "Acme", "--markdown")
    assert markdown.startswith("# Account plan: Acme\n")
    assert "## Objectives\n\n- Second site live, by Mon 1 Feb 2027\n" in markdown
    assert "- [x] Kick\\-off lunch \\(me, with Bo Park\\)" in markdown
    assert "Budget freeze in Q1; \\[bold\\]not\\[/\\] markup" in markdown
    assert "QBR each quarter with Ann.  \nA handwritten note after each go\\-live." in markdown
    document = json.loads(_run(capsys, db, "account-plan", "Acme", "--json"))
    assert document["account"] == "Acme" and document["client"] is None
    assert document["review_on"] == "2026-11-25" and document["competitors"] == "Globex"
    assert document["objectives"][1] == {
        "what": "Renew at 10% more",
        "target_on": "2027-06-30",
        "measure": "signed renewal",
    }
    first = document["actions"][0]
    assert first["with"] == "Ann Lee" and first["overdue"] is True and first["done_on"] is None
    assert [a["done_on"] for a in document["actions"]] == [None, None, "2026-10-13"]


def test_an_unknown_account_or_client_is_said(plans, db, capsys):
    assert main(["account-plan", "Nowhere Ltd", *db.book_args]) == 2
    assert "no account matches 'Nowhere Ltd'" in capsys.readouterr().err


def test_the_markdown_export_holds_every_plan(plans, db, capsys, tmp_path):
    target = tmp_path / "plans.md"
    assert _run(capsys, db, "export", "markdown", str(target)) == (
        f"Wrote 2 account plans to {target}.\n"
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Account plans, Mon 23 Nov 2026\n\n## Account plan: Acme\n")
    assert "## Account plan: Cy Solo \\(a client at no account\\)" in text
    assert text.index("Acme") < text.index("Cy Solo")


def test_the_review_lists_actions_due_and_the_plan_review_after_the_renewals(plans):
    keys = [part.key for part in PARTS]
    assert keys.index("plan-actions") == keys.index("renewals") + 1
    assert keys.index("plan-reviews") == keys.index("plan-actions") + 1
    agenda = build_agenda(TODAY)
    (actions,) = next(p for p in agenda.parts if p.key == "plan-actions").items
    assert (actions.client, actions.company) == ("Ann Lee", "Acme")
    assert actions.text == (
        "Acme's account plan: Send the pilot report (me, with Ann Lee), overdue since Thu 19 "
        "Nov (4 days ago); Book the QBR (Dana in support), due Fri 27 Nov"
    )
    (review,) = next(p for p in agenda.parts if p.key == "plan-reviews").items
    assert review.text.startswith("The review of Acme's account plan is due Wed 25 Nov")
    # Cy's action is due in January: not this week.
    assert all(item.client != "Cy Solo" for item in agenda.items if item.part.startswith("plan-"))


def test_done_in_the_review_logs_each_action_and_moves_the_plan_review(plans):
    opened = keeping.open_review(TODAY, build_agenda)
    items = {item.part: item for item in opened.agenda.items}
    keeping.record(opened.id, items["plan-actions"], "done")
    plan = account_plans.read_plan(plans.acme)
    done = {a.what: a.done_on for a in plan.actions}
    assert done == {
        "Send the pilot report": TODAY,
        "Book the QBR": TODAY,
        "Kick-off lunch": ago(41),
    }
    logged = {a.what: a.touch_id for a in plan.actions}
    ann_touch = Interaction.get_by_id(logged["Send the pilot report"])
    qbr_touch = Interaction.get_by_id(logged["Book the QBR"])
    assert (ann_touch.client_id, ann_touch.kind) == (plans.ann, "email")
    assert (qbr_touch.client_id, qbr_touch.kind) == (plans.ann, "meeting")  # the item's person
    keeping.record(opened.id, items["plan-reviews"], "done")
    assert account_plans.read_plan(plans.acme).review_on == date(2027, 2, 23)


def test_snoozing_in_the_review_puts_the_actions_and_the_review_off(plans):
    opened = keeping.open_review(TODAY, build_agenda)
    items = {item.part: item for item in opened.agenda.items}
    later = TODAY + timedelta(days=10)
    keeping.record(opened.id, items["plan-actions"], "snoozed", later)
    keeping.record(opened.id, items["plan-reviews"], "snoozed", later)
    plan = account_plans.read_plan(plans.acme)
    assert [a.due_on for a in plan.open_actions] == [later, later]
    assert plan.review_on == later
    assert not [p for p in build_agenda(TODAY).parts if p.key.startswith("plan-") and p.items]


def test_the_brief_names_the_open_plan_actions(plans, db, capsys):
    out = _run(capsys, db, "brief", "Bo Park")
    assert (
        "Open account plan actions: Send the pilot report (me, with Ann Lee), overdue since "
        "Thu 19 Nov (4 days ago); Book the QBR (Dana in support), due Fri 27 Nov\n"
    ) in out
    assert json.loads(_run(capsys, db, "brief", "Cy Solo", "--json"))["account"] == [
        "Open account plan actions: Demo the new module, due Sun 10 Jan 2027"
    ]


def test_a_merge_takes_the_plan_along_and_its_undo_brings_it_back(plans):
    other = accounts.create_account("Acme Holdings")
    merge = account_merges.merge_accounts(other, plans.acme.account_id)
    assert account_plans.read_plan(PlanFor(account_id=other)).competitors == "Globex"
    account_merges.undo_merge(merge.id)
    assert account_plans.read_plan(plans.acme).competitors == "Globex"
    assert account_plans.read_plan(PlanFor(account_id=other)).id is None
    # Two plans are not merged into one: nothing is lost, the user is told what to do.
    account_plans.save_plan_text(PlanFor(account_id=other), "Meet", "", "", None)
    with pytest.raises(ValidationError, match="both have an account plan"):
        account_merges.merge_accounts(other, plans.acme.account_id)
    assert accounts.account_now(plans.acme.account_id) is not None


def test_a_deleted_client_takes_their_own_plan_along(plans):
    book.delete_client(plans.cy)
    assert account_plans.plan_subjects() == [plans.acme]


def test_an_account_with_a_plan_stays_when_its_people_are_gone(db, today):
    dee = book.add_client("Dee Solo", "Solo Co")
    subject = PlanFor(account_id=dee.account_id)
    account_plans.add_objective(subject, "Win them back", None, "")
    book.delete_client(dee.id)
    assert [o.what for o in account_plans.read_plan(subject).objectives] == ["Win them back"]
    bare = book.add_client("Eve Bare", "Bare Co")
    book.delete_client(bare.id)
    assert accounts.account_now(bare.account_id) is None  # an account with nothing goes


def test_a_backup_and_its_restore_carry_the_plans(plans, db, capsys, tmp_path):
    printed = _run(capsys, db, "account-plan", "Acme", "--json")
    backup = tmp_path / "book.json"
    _run(capsys, db, "backup", str(backup))
    restored = tmp_path / "restored.db"
    assert main(["restore", str(backup), "--db", str(restored)]) == 0
    capsys.readouterr()
    assert main(["account-plan", "Acme", "--db", str(restored)]) == 0
    assert main(["account-plan", "Acme", "--json", "--db", str(restored)]) == 0
    text, again = capsys.readouterr().out.split("\n{", 1)
    assert json.loads("{" + again) == json.loads(printed)
    assert "Account plan: Acme" in text

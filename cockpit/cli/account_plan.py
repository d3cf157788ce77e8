"""`cockpit account-plan`: an account's key account plan (or a client's own)."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book
from cockpit.cli.options import add_command, add_database_options


def register(commands: argparse._SubParsersAction) -> None:
    plan = add_command(
        commands,
        "account-plan",
        run,
        help="print an account's key account plan",
        description=(
            "Print the account plan of ACCOUNT: its objectives (with a target date and a "
            "measure), the relationship plan, its actions (who, when, done or not; the "
            "overdue ones said so), risks, competitors and the date to review it. ACCOUNT "
            "is #ID, the account's name or a unique part of it; a client's name gives the "
            "plan their work goes by (their account's, or their own when they are at no "
            "account). The plan is edited in the cockpit (A on a client or an account)."
        ),
    )
    plan.add_argument("account", metavar="ACCOUNT")
    shape = plan.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="print Markdown")
    shape.add_argument("--json", action="store_true", help="print JSON")
    add_database_options(plan)


def run(args: argparse.Namespace) -> int:
    from cockpit import account_plan, clock
    from cockpit.cli.render import account_plan as render
    from cockpit.exporters.plans_markdown import as_markdown

    today = clock.today()
    db = open_book(args)
    try:
        plan = _plan_named(args.account, account_plan)
    finally:
        db.close()
    if args.json:
        print(render.as_json(plan, today))
    elif args.markdown:
        print(as_markdown(plan, today))
    else:
        print(render.as_text(plan, today))
    return 0


def _plan_named(text: str, account_plan):
    """The account `text` names; else the client it names; else what was wrong with it as
    an account name (the closest accounts)."""
    from cockpit.resolve import (
        AccountNotResolved,
        ClientNotResolved,
        resolve_account,
        resolve_client,
    )

    try:
        return account_plan.plan_for_account(resolve_account(text).id)
    except AccountNotResolved as not_an_account:
        if text.strip().startswith("#"):
            raise
        try:
            client = resolve_client(text)
        except ClientNotResolved:
            raise not_an_account from None
        return account_plan.plan_for_client(client.id)

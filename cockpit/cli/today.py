"""`cockpit today`: the day's agenda, printed, shown as a desktop notification or mailed."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.arguments import open_book, reps_shown
from cockpit.cli.options import add_command, add_database_options, add_flag, add_view_options


def register(commands: argparse._SubParsersAction) -> None:
    today = add_command(
        commands,
        "today",
        run,
        help="print (or notify, or mail) today's agenda",
        description=(
            "Today's agenda: follow-ups due or overdue and touches scheduled for today, "
            "birthdays and anniversaries today and tomorrow, planned communications due "
            "(a client's and a segment's), drifting core clients with the reason, and "
            "renewals in the next 14 days. --notify shows it as a desktop notification "
            "(notify-send); --mail sends it by mail with the [mail] settings of config.toml. "
            "Sensitive profile answers never appear. Exit status: 0 done (an empty day "
            "too), 2 bad arguments or settings, or notify-send missing (nothing sent), 3 "
            "the notification or the mail failed."
        ),
    )
    output = today.add_mutually_exclusive_group()
    add_flag(output, "--markdown", "print Markdown")
    add_flag(output, "--json", "print JSON")
    add_flag(today, "--notify", "show it as a desktop notification instead of printing it")
    today.add_argument(
        "--mail",
        metavar="TO",
        nargs="+",
        action="extend",
        help="mail it to these addresses instead of printing it (again, or commas, for more)",
    )
    add_view_options(today)
    add_database_options(today)


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render import today as render
    from cockpit.errors import UsageError
    from cockpit.text import json_printable
    from cockpit.today import build_today

    sending = args.notify or args.mail
    if sending and (args.json or args.markdown):
        raise UsageError(
            "--json and --markdown print the agenda; --notify and --mail send it: use one or "
            "the other"
        )
    mail = _mail_ready(args.mail) if args.mail else None
    if args.notify:
        from cockpit.cli.desktop_notification import check_ready

        notifier = check_ready()
    db = open_book(args)
    try:
        agenda = build_today(reps=reps_shown(args))
    finally:
        db.close()
    if not sending:
        if args.json:
            print(json_printable(render.as_json(agenda)))
        elif args.markdown:
            print(render.as_markdown(agenda))
        else:
            print(render.as_text(agenda))
        return 0
    done = []
    if mail is not None:
        done.append(_mail(mail, agenda, render))
    if args.notify:
        from cockpit.cli.desktop_notification import notify

        notify(notifier, *render.notification(agenda))
        done.append("showed it as a notification")
    if sys.stdout.isatty():  # by hand, say so; from cron, be quiet
        print(f"Today's agenda ({agenda.headline()}): {'; '.join(done)}.")
    return 0


def _mail_ready(given: list[str]):
    """The settings, the recipients and the password, all checked before anything is sent."""
    from cockpit.cli import mail
    from cockpit.config import settings

    to = mail.recipients(given)
    wanted = settings().mail
    mail.check_ready(wanted)
    return wanted, to, mail.password(wanted)


def _mail(ready, agenda, render) -> str:
    from cockpit.cli import mail

    wanted, to, secret = ready
    message = mail.message(
        wanted, to, render.subject(agenda), render.mail_text(agenda), render.as_html(agenda)
    )
    mail.send(wanted, to, message, secret)
    return f"mailed it to {', '.join(to)}"

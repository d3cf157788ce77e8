"""`cockpit forget`, `assign` and `settings`: erasing a profile, handing clients to reps, and
the settings in force (a team book's changed by its managers)."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import book_location, open_book
from cockpit.cli.options import add_client_argument, add_command, add_database_options, add_flag


def register(commands: argparse._SubParsersAction) -> None:
    forget = add_command(
        commands,
        "forget",
        run_forget,
        help="erase a client's profile answers for good",
        description=(
            "Erase what Cockpit holds about a client, for good: with --profile, every Mackay "
            "66 answer, and the space it took in the book file, so the text cannot be read "
            "back from it."
        ),
    )
    add_client_argument(forget)
    add_flag(forget, "--profile", "erase the profile answers")
    add_database_options(forget)

    assign = add_command(
        commands,
        "assign",
        run_assign,
        help="give a client to a rep, or hand a rep's whole book over (managers)",
        description=(
            "Give CLIENT to REP, with --account ACCOUNT REP an account and its people, or "
            "with --from REP --to REP every client and account of one rep to "
            "another (when a rep leaves). Each client handed over gets a note on its "
            "timeline. On a team book only a manager (or the role that owns the book) may, "
            "and REP must be a rep's login role on the server."
        ),
    )
    assign.add_argument("client", metavar="CLIENT", nargs="?", help="the client to give")
    assign.add_argument("rep", metavar="REP", nargs="?", help="the rep who gets it")
    assign.add_argument("--from", dest="from_rep", metavar="REP", help="the rep handing over")
    assign.add_argument("--to", dest="to_rep", metavar="REP", help="the rep taking over")
    assign.add_argument(
        "--account",
        metavar="ACCOUNT",
        help="give an account (and everyone at it) to REP: cockpit assign --account ACME bob",
    )
    add_database_options(assign)

    settings = add_command(
        commands,
        "settings",
        run_settings,
        help="show the settings in force; on a team book, managers change its settings",
        description=(
            "Without arguments, list the settings in force and where each comes from. On a "
            "team book (PostgreSQL) the [health] thresholds are the team's, stored in the "
            "book: 'cockpit settings set health.honeymoon_days 60' changes one for everyone "
            "(managers only), 'cockpit settings unset NAME' puts back its default. Your "
            "personal settings are in config.toml."
        ),
    )
    settings.add_argument("action", nargs="?", choices=("list", "set", "unset"))
    settings.add_argument("name", nargs="?", metavar="NAME", help="e.g. health.cadence_tolerance")
    settings.add_argument("value", nargs="?", metavar="VALUE")
    add_database_options(settings)


def run_forget(args: argparse.Namespace) -> int:
    from cockpit.cli.render import team as render
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage.forgetting import forget_profile_for_good, upgrade_backups

    if not args.profile:
        raise UsageError("say what to forget: --profile erases the Mackay 66 answers")
    location = book_location(args)
    db = open_book(args)
    try:
        client = resolve_client(args.client)
        erased = forget_profile_for_good(db, client.id, location)
    finally:
        db.close()
    if location.is_server:
        print(render.forgotten_on_server(erased, client.label()))
    else:
        print(render.forgotten(erased, client.label(), upgrade_backups(location)))
    return 0


def run_assign(args: argparse.Namespace) -> int:
    from cockpit.cli.render import team as render
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage import ownership

    whole_book = args.from_rep is not None or args.to_rep is not None
    if args.account is not None:
        return _assign_account(args)
    if whole_book and (args.client or args.rep):
        raise UsageError("give either CLIENT REP, or --from REP --to REP, not both")
    if whole_book and not (args.from_rep and args.to_rep):
        missing = "--to" if args.from_rep else "--from"
        raise UsageError(f"name both reps: {missing} REP is missing or empty")
    if not whole_book and not (args.client and args.rep):
        raise UsageError("say who gets what: cockpit assign CLIENT REP, or --from REP --to REP")
    db = open_book(args)
    try:
        if whole_book:
            handed, accounts = ownership.hand_over_all(args.from_rep, args.to_rep)
            print(render.book_handed_over(args.from_rep, args.to_rep, handed, accounts))
            return 0
        client = resolve_client(args.client)
        handed = ownership.assign(client.id, args.rep)
    finally:
        db.close()
    print(render.client_assigned(client.label(), args.rep, handed))
    return 0


def _assign_account(args: argparse.Namespace) -> int:
    from cockpit.cli.render import team as render
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_account
    from cockpit.storage import ownership

    rep = args.rep or args.client  # `assign --account ACME bob`: bob lands in CLIENT
    if args.from_rep or args.to_rep or (args.client and args.rep) or not rep:
        raise UsageError("give an account to one rep: cockpit assign --account ACCOUNT REP")
    db = open_book(args)
    try:
        account = resolve_account(args.account)
        was, handed = ownership.assign_account(account.id, rep)
    finally:
        db.close()
    print(render.account_assigned(account.name, rep, was, handed))
    return 0


def run_settings(args: argparse.Namespace) -> int:
    from cockpit.cli.render import team as render
    from cockpit.errors import UsageError
    from cockpit.locations import config_file_path
    from cockpit.storage import team_settings

    action = args.action or "list"
    if action == "list" and (args.name or args.value):
        raise UsageError("cockpit settings lists them all; to change one: settings set NAME VALUE")
    if action != "list":
        if not args.name or (action == "set") != (args.value is not None):
            shape = "set NAME VALUE" if action == "set" else "unset NAME"
            raise UsageError(f"cockpit settings {shape}")
        name = team_settings.setting_name(args.name)
        if not book_location(args).is_server:
            raise UsageError(
                f"on a SQLite book the [health] settings are yours: write {name} = "
                f"{args.value or 'VALUE'} under [health] in {config_file_path()}"
            )
    db = open_book(args)
    try:
        if action == "list":
            print(_settings_in_force())
            return 0
        _refuse_to_rep(db, "change team settings")
        team_settings.change(name, args.value if action == "set" else None)
        shown = team_settings.in_force()[name]
    finally:
        db.close()
    print(render.setting_changed(name, shown, unset=action == "unset"))
    return 0


def _refuse_to_rep(db, what: str) -> None:
    from cockpit.errors import CockpitError
    from cockpit.storage.team import Powers, powers

    if powers(db) is Powers.REP:
        raise CockpitError(
            f"only a manager (a member of cockpit_manager) or the role that owns the book "
            f"can {what}"
        )


def _settings_in_force() -> str:
    from dataclasses import asdict

    from cockpit.cli.render import team as render
    from cockpit.config import file_settings
    from cockpit.locations import config_file_path
    from cockpit.storage import book, team_settings

    mine = file_settings()
    config = config_file_path()
    if book.on_server():
        stored = team_settings.stored()
        health = render.team_health_settings(team_settings.in_force(), stored)
        rep = None
    else:
        health = render.own_health_settings(asdict(mine.health), config)
        rep = book.current_rep()
    return health + "\n" + render.personal_settings(mine, config, rep)

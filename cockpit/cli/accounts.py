"""The account commands: `cockpit accounts`, `cockpit account`, `cockpit merge-accounts`,
`cockpit move` (a person changing jobs) and `cockpit roles`."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import day, open_book
from cockpit.cli.options import add_command, add_database_options, add_flag, add_json_flag


def register(commands: argparse._SubParsersAction) -> None:
    listed = add_command(
        commands,
        "accounts",
        run_accounts,
        help="list the accounts, the most pressing first",
        description=(
            "List the accounts (the companies your clients work at) whose name holds every "
            "word of QUERY, drifting ones first, with health, tier (key when pinned, else "
            "core, other or peripheral by the 80/20 rule over accounts), revenue over 12 "
            "months, people touched in 90 days of those there, and the next renewal."
        ),
    )
    listed.add_argument("query", nargs="?", default="", metavar="QUERY")
    add_flag(
        listed,
        "--suggestions",
        "list the people whose email domain is an account's but who are not at it",
    )
    add_flag(listed, "--merges", "list the account merges, to undo one")
    add_json_flag(listed)
    add_database_options(listed)

    one = add_command(
        commands,
        "account",
        run_account,
        help="show an account, or change it",
        description=(
            "Show an account: its verdict and why, revenue and time, the next renewal, its "
            "people with their roles and health, and those who moved on. NAME is #ID, its "
            "name, or a unique part of it. The options change it instead of showing it: "
            "several may be given at once."
        ),
    )
    one.add_argument("name", metavar="NAME")
    one.add_argument("--rename", metavar="NEW", help="give the account a new name")
    pin = one.add_mutually_exclusive_group()
    pin.add_argument("--pin", action="store_true", help="pin it as a key account")
    pin.add_argument("--unpin", action="store_true", help="take the key pin off")
    one.add_argument(
        "--domain",
        action="append",
        metavar="DOMAIN",
        help="its email domains (repeat for several; they replace the ones it had; '' clears)",
    )
    one.add_argument("--notes", metavar="TEXT", help="its notes ('' clears them)")
    one.add_argument(
        "--add", metavar="CLIENT", help="put a person at it (a suggestion taken, or a correction)"
    )
    one.add_argument(
        "--new", action="store_true", help="make the account NAME (none of that name may exist)"
    )
    add_json_flag(one)
    add_database_options(one)

    merge = add_command(
        commands,
        "merge-accounts",
        run_merge,
        help="merge two spellings of one company",
        description=(
            "Merge account MERGED into account KEPT: its people, domains and notes go to KEPT, "
            "which keeps its name; MERGED's name stays a spelling of it (a client typed with it "
            "joins KEPT). --undo takes the latest merge back (or merge ID: see 'cockpit "
            "accounts --merges')."
        ),
    )
    merge.add_argument("kept", nargs="?", metavar="KEPT")
    merge.add_argument("merged", nargs="?", metavar="MERGED")
    merge.add_argument("--undo", nargs="?", const="latest", metavar="ID", help="take a merge back")
    add_database_options(merge)

    move = add_command(
        commands,
        "move",
        run_move,
        help="a person changed jobs: move them to another account",
        description=(
            "CLIENT now works at ACCOUNT (made if it is new). Their touches and deals before "
            "the move stay with the account they left, which keeps the roles they held there "
            "and says so when a champion or decision maker left."
        ),
    )
    move.add_argument("client", metavar="CLIENT")
    move.add_argument("account", metavar="ACCOUNT")
    move.add_argument("--on", metavar="YYYY-MM-DD", help="the day they moved (default: today)")
    move.add_argument(
        "--roles", metavar="ROLES", default="", help="their roles at the new account, e.g. champion"
    )
    add_database_options(move)

    roles = add_command(
        commands,
        "roles",
        run_roles,
        help="what a person is at their account",
        description=(
            "Set CLIENT's roles at their account: decision-maker (or dm), champion, influencer, "
            "user, finance, gatekeeper, several separated by commas ('none' clears them); "
            "--note adds words of your own. Without ROLES, shows them."
        ),
    )
    roles.add_argument("client", metavar="CLIENT")
    roles.add_argument("roles", nargs="?", metavar="ROLES")
    roles.add_argument("--note", metavar="TEXT", help="in your own words, e.g. 'signs off IT'")
    add_database_options(roles)


def run_accounts(args: argparse.Namespace) -> int:
    from cockpit import clock
    from cockpit.account_view import account_summaries
    from cockpit.cli.render import accounts as render
    from cockpit.config import settings
    from cockpit.search import fold
    from cockpit.storage import account_merges, account_people, accounts

    db = open_book(args)
    try:
        if args.suggestions:
            found = account_people.domain_suggestions()
            _print_suggestions(found)
            return 0
        if args.merges:
            _print_merges(account_merges.merges())
            return 0
        wanted = None
        if fold(args.query):
            wanted = {row.id for row in accounts.account_candidates(holding=args.query)}
        shown = []
        if wanted != set():
            everyone = account_summaries(clock.today())
            shown = everyone if wanted is None else [a for a in everyone if a.id in wanted]
    finally:
        db.close()
    if args.json:
        print(render.as_json(shown))
    elif shown:
        print(render.as_table(shown, settings().currency))
    else:
        print(render.none_found(args.query))
    return 0


def _print_suggestions(found) -> None:
    from cockpit.text import printable

    if not found:
        print("No suggestions: everyone with an account's email domain is at that account.")
        return
    for suggestion in found:
        print(
            f"{printable(suggestion.name)} <{printable(suggestion.email)}> may work at "
            f"{printable(suggestion.account)}: cockpit account '#{suggestion.account_id}' "
            f"--add '#{suggestion.client_id}'"
        )


def _print_merges(merges) -> None:
    from cockpit.text import printable

    if not merges:
        print("No account merges.")
        return
    for merge_id, kept, merged, undone in merges:
        state = " (undone)" if undone else ""
        print(f"#{merge_id}: {printable(merged)} into {printable(kept)}{state}")


def run_account(args: argparse.Namespace) -> int:
    from cockpit import clock
    from cockpit.account_view import account_health
    from cockpit.cli.render import accounts as render
    from cockpit.config import settings
    from cockpit.resolve import resolve_account, resolve_client
    from cockpit.storage import account_people, accounts

    changes = []
    db = open_book(args)
    try:
        if args.new:
            account_id = accounts.create_account(args.name)
            changes.append(f"Made the account {args.name.strip()}.")
        else:
            account_id = resolve_account(args.name).id
        with db.atomic():
            if args.rename is not None:
                accounts.rename_account(account_id, args.rename)
                changes.append(f"Renamed it {args.rename.strip()}.")
            if args.pin or args.unpin:
                accounts.set_account_details(account_id, pinned_key=args.pin)
                changes.append("Pinned as a key account." if args.pin else "Unpinned.")
            if args.domain is not None:
                domains = [d for d in args.domain if d.strip()]
                accounts.set_account_details(account_id, domains=domains)
                changes.append(f"Domains: {', '.join(domains) or 'none'}.")
            if args.notes is not None:
                accounts.set_account_details(account_id, notes=args.notes)
                changes.append("Notes kept.")
            if args.add is not None:
                person = resolve_client(args.add)
                account_people.link_person(person.id, account_id)
                changes.append(f"{person.name} is at it now.")
        row = accounts.account_row(account_id)
        shown = account_health(account_id, clock.today())
    finally:
        db.close()
    from cockpit.text import printable

    for change in changes:
        print(printable(change))
    if changes and not args.json:
        return 0
    if args.json:
        print(render.account_json(shown, row.domains, row.notes))
    else:
        print(
            render.account_text(shown, row.domains, row.notes, settings().currency, clock.today())
        )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_account
    from cockpit.storage import account_merges
    from cockpit.text import printable

    if args.undo is not None:
        if args.kept or args.merged:
            raise UsageError("--undo takes a merge's id, not account names")
        merge_id = None
        if args.undo != "latest":
            number = args.undo.lstrip("#")
            if not (number.isascii() and number.isdigit()):
                raise UsageError(f"{args.undo!r} is not a merge id; see cockpit accounts --merges")
            merge_id = int(number)
        db = open_book(args)
        try:
            undone = account_merges.undo_merge(merge_id)
        finally:
            db.close()
        print(
            f"Undid merge #{undone.id}: {printable(undone.merged)} is an account again, "
            f"with {undone.people} of its people back."
        )
        return 0
    if not (args.kept and args.merged):
        raise UsageError("name the account to keep and the one to merge into it")
    db = open_book(args)
    try:
        kept, merged = resolve_account(args.kept), resolve_account(args.merged)
        done = account_merges.merge_accounts(kept.id, merged.id)
    finally:
        db.close()
    people = "person" if done.people == 1 else "people"
    print(
        f"Merged {printable(done.merged)} into {printable(done.kept)}: {done.people} {people} "
        f"moved (cockpit merge-accounts --undo {done.id} takes it back)."
    )
    return 0


def run_move(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage import account_people
    from cockpit.text import printable
    from cockpit.vocabulary import roles_named

    on = day(args.on, "--on")
    try:
        roles = roles_named(args.roles)
    except ValueError as error:
        raise UsageError(str(error)) from None
    db = open_book(args)
    try:
        person = resolve_client(args.client)
        old, new = account_people.move_person(person.id, args.account, on=on, roles=roles)
    finally:
        db.close()
    left = f" from {printable(old)}" if old else ""
    print(
        f"{printable(person.name)} moved{left} to {printable(new)} on {on.isoformat()}; "
        "their history before it stays with the account they left."
    )
    return 0


def run_roles(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage import account_people
    from cockpit.text import printable
    from cockpit.vocabulary import role_label, roles_named, roles_of

    db = open_book(args)
    try:
        person = resolve_client(args.client)
        if args.roles is not None or args.note is not None:
            typed = args.roles or ""
            try:
                roles = [] if typed.strip().lower() == "none" else roles_named(typed)
            except ValueError as error:
                raise UsageError(str(error)) from None
            if args.roles is None:
                roles = roles_of(account_people.roles_stored(person.id)[0])
            account_people.set_roles(person.id, roles, note=args.note)
        stored, note = account_people.roles_stored(person.id)
    finally:
        db.close()
    words = [role_label(role) for role in roles_of(stored)] + ([note] if note else [])
    where = f" at {printable(person.company)}" if person.company else ""
    print(f"{printable(person.name)}{where}: {printable(', '.join(words)) or 'no role'}")
    return 0

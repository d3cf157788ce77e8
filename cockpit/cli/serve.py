"""`cockpit serve`: the cockpit in a web browser (see `cockpit.serve`)."""

from __future__ import annotations

import argparse
import os
import sys

from cockpit.cli.arguments import book_location
from cockpit.cli.options import add_command, add_database_options


def register(commands: argparse._SubParsersAction) -> None:
    serve = add_command(
        commands,
        "serve",
        run,
        help="open Cockpit in a web browser",
        description=(
            "Serve Cockpit to a web browser: each browser tab runs the same app as the "
            "terminal, on the book chosen as for every command. It listens on 127.0.0.1 "
            "(this machine only) at a free port, and prints the address to open, which "
            "carries a token every request needs, and the address of the book's calendar "
            "for a phone to subscribe to. Ctrl+C stops it. A token you choose may also "
            "come from the COCKPIT_SERVE_TOKEN environment variable, which other users of "
            "the machine cannot see in the process list as they can see --token."
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="the address to listen on (default 127.0.0.1; 0.0.0.0 for every address)",
    )
    serve.add_argument(
        "--port", type=int, default=0, metavar="N", help="the port (default: a free one)"
    )
    access = serve.add_mutually_exclusive_group()
    access.add_argument(
        "--token",
        metavar="TOKEN",
        help="the token the addresses carry (default: a new one each time); 16 or more "
        "letters, digits and - . _ ~",
    )
    access.add_argument(
        "--no-auth",
        action="store_true",
        help="no token: anyone who reaches the address can use your book",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="with --no-auth: a name the server answers to besides its own addresses, such "
        "as a reverse proxy's (again for several)",
    )
    add_database_options(serve)


def _token(args: argparse.Namespace) -> str | None:
    from cockpit.errors import UsageError
    from cockpit.serve.access import TOKEN_VARIABLE, new_token, token_problem

    given = os.environ.pop(TOKEN_VARIABLE, None)  # never passed on to the apps
    if args.token is not None:
        given = args.token
        where = "--token"
    else:
        where = TOKEN_VARIABLE
    if args.no_auth:
        if given:
            raise UsageError(f"--no-auth serves without a token, but {TOKEN_VARIABLE} gives one")
        return None
    if not given:
        return new_token()
    problem = token_problem(given)
    if problem:
        raise UsageError(f"{where}: {problem}")
    return given


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render import serve as render
    from cockpit.serve.access import Access
    from cockpit.serve.addresses import listen
    from cockpit.serve.calendar import Calendar
    from cockpit.serve.server import CockpitServer
    from cockpit.serve.server import run as serve
    from cockpit.serve.sessions import ServedBook
    from cockpit.storage.database import open_database

    token = _token(args)
    if args.allow_host and token is not None:
        from cockpit.errors import UsageError

        raise UsageError("--allow-host goes with --no-auth: a server with a token answers any name")
    location = book_location(args)
    open_database(location).close()  # a book that cannot be opened is one line, here
    listening = listen(args.host.strip(), args.port)
    # Without a token, the server answers only requests addressed to it by a name it knows:
    # a web page the browser opened cannot then point a name of its own at it (DNS
    # rebinding) and drive the cockpit.
    hosts = listening.host_headers(tuple(args.allow_host)) if token is None else frozenset()
    access = Access(token, listening.port, hosts)
    server = CockpitServer(ServedBook.at(location), Calendar(location), access)

    def ready() -> None:
        print(
            render.serving(
                location.label,
                listening.urls(server.page_path()),
                listening.urls(server.calendar_path()),
                with_token=token is not None,
            ),
            flush=True,
        )
        if token is None:
            print(
                render.no_token(listening.host, listening.port, loopback=listening.loopback),
                file=sys.stderr,
                flush=True,
            )

    serve(server, listening, ready)
    print(render.stopped(), flush=True)
    return 0

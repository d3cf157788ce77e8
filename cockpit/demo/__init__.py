"""A realistic demo book, the same for a given "today" and dated relative to it.

About 60 clients at a dozen companies, two to three years of touches and
deals, several filled-in Mackay 66 profiles and planned communications. Each
client follows one relationship pattern (see `history.PATTERNS`) so that every
status Cockpit knows appears in the demo: new clients in their honeymoon, steady
ones, clients drifting long after their honeymoon or right after it ended,
one that drifted and recovered, peripheral clients that are quiet by design,
and prospects.

`words` holds what the book is made of, `history` decides each client's touches
and deals, `writing` writes them through `storage.book`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cockpit.demo.account_plans import write_account_plans
from cockpit.demo.accounts import write_accounts
from cockpit.demo.calendar import DemoCalendar, calendar_path, demo_calendar
from cockpit.demo.history import DemoGenerator, choose_people
from cockpit.demo.tags import write_tags
from cockpit.demo.writing import write_client, write_plans, write_profile
from cockpit.errors import DatabaseError
from cockpit.storage import book
from cockpit.storage.database import peek_book_info
from cockpit.storage.models import set_info
from cockpit.storage.sample_books import count_rows, new_book_file

DEMO_MARKER_KEY = "demo"


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    clients: int
    companies: int
    interactions: int
    deals: int
    profiles: int
    plans: int
    calendar: DemoCalendar | None = None  # with --with-calendar: the calendar beside the book


def is_demo_book(path: Path) -> bool:
    """Whether an existing file is a demo book that `cockpit demo` may rebuild."""
    return peek_book_info(path, DEMO_MARKER_KEY) == "1"


def build_demo(path: Path, today: date, *, with_calendar: bool = False) -> DemoSummary:
    """Write the demo book to `path`, replacing an earlier demo book there; `with_calendar`,
    its calendar beside it too (`calendar.calendar_path`), replaced likewise.

    Refuses to replace any other file. The book is built beside the target
    and moved into place when complete, so a failure leaves nothing half-built.
    """
    if path.exists() and not is_demo_book(path):
        raise DatabaseError(
            f"{path} exists and is not a Cockpit demo book; the demo never replaces other "
            "files. Choose another path with --db"
        )
    gen = DemoGenerator(today)
    people = choose_people(gen)
    for person in people:
        gen.history(person)
    with new_book_file(path, "demo"):
        with book.batch_writes():
            set_info(DEMO_MARKER_KEY, "1")
            profiles = plans = 0
            for index, person in enumerate(people):
                client = write_client(gen, person, index)
                if person.pattern not in ("prospect", "former") and index % 5 == 0:
                    write_profile(gen, client, depth=profiles)
                    profiles += 1
                if person.pattern in ("steady", "ask-heavy", "drifting-long") and index % 3 == 1:
                    write_plans(gen, client, plans)
                    plans += 1
        write_accounts(today)  # once the summaries say who won and was touched when
        write_account_plans(today)
        write_tags()
        counts = count_rows()
        calendar = demo_calendar(today) if with_calendar else None
    written = None
    if calendar is not None:
        text, met, missed = calendar
        target = calendar_path(path)
        spare = target.with_name(target.name + ".part")
        spare.write_text(text, encoding="utf-8")
        spare.replace(target)
        written = DemoCalendar(target, met, missed)
    return DemoSummary(
        path=path,
        clients=counts.clients,
        companies=len({person.company for person in people}),
        interactions=counts.interactions,
        deals=counts.deals,
        profiles=profiles,
        plans=counts.plans,
        calendar=written,
    )

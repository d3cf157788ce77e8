"""A small book whose agenda on Monday 2026-11-23 (`cockpit today`) has something in every
section, and clients it must leave out: archived, former, snoozed, another rep's. Ann Lee's
profile answers every sensitive field with a marker of its own (SECRET-...), which must
never show."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from cockpit.storage import book, reviews
from cockpit.storage.models import Client
from cockpit.storage.segment_communications import Segment, add_communication
from tests.support.sensitive import every_sensitive_answer

TODAY = date(2026, 11, 23)
HTML_NAME = "<b>Bold</b> [bold]Kim[/bold]"
HTML_NOTE = "Call about <script>alert(1)</script> & the <a href='x'>link</a>"


def at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour))


def won_client(name: str, company: str, *, revenue: int, quiet_since: int = 3, **details):
    """Won 400 days ago, weekly in the honeymoon, then every 10 days until `quiet_since`
    days ago."""
    client = book.add_client(name, company, **details)
    book.add_deal(client, 1_000, won_on=TODAY - timedelta(days=400))
    if revenue:
        book.add_deal(client, revenue, won_on=TODAY - timedelta(days=100))
    for days_ago in [*range(400, 310, -7), *range(305, quiet_since - 1, -10)]:
        book.add_interaction(client, "call", when=at(days_ago))
    return client


def build_today_book() -> dict[str, int]:
    """The clients by short name, and the ids the agenda names."""
    ann = won_client("Ann Lee", "Acme", revenue=300_000)
    kofi = won_client("Kofi Jensen", "Ridgeway", revenue=200_000, quiet_since=112)
    kim = won_client(HTML_NAME, "Tags & <i>Co</i>", revenue=2_000)
    otto = won_client("Otto Other", "Mid Co", revenue=3_000, quiet_since=150)
    sam = won_client("Sam Snoozed", "Nap Inc", revenue=150_000, quiet_since=100)
    reviews.snooze_client(sam.id, date(2026, 12, 1))
    gone = won_client("Arch Ived", "Gone Co", revenue=50_000, quiet_since=100)
    former = won_client("Fiona Former", "Past Ltd", revenue=500)
    bobs = won_client("Bea Bobs", "Elsewhere", revenue=500)
    Client.update(owner="bob").where(Client.id == bobs.id).execute()

    # Follow-ups: due today, overdue by 3 days (a note of two lines), and a later one.
    call = book.add_interaction(
        ann, "call", when=at(10), summary="Send the proposal", follow_up_on=TODAY
    )
    email = book.add_interaction(
        ann,
        "email",
        when=at(6),
        summary="Price list\nwith the second line",
        follow_up_on=TODAY - timedelta(days=3),
    )
    book.add_interaction(ann, "meeting", when=at(3), follow_up_on=TODAY + timedelta(days=2))
    kims = book.add_interaction(kim, "call", when=at(4), summary=HTML_NOTE, follow_up_on=TODAY)
    # A touch promised at a weekly review a week ago, for today.
    reviews.promise_touch(otto.id, TODAY, None, at(7))
    # Occasions: Ann's birthday tomorrow, her child's today; Kofi's anniversary tomorrow;
    # the sensitive answers, never shown.
    book.set_profile(
        ann,
        {
            "birth_date": "1970-11-24",
            "children": [{"name": "Mia", "birthday": "2015-11-23"}],
            "hobbies": [{"value": "sailing"}],
            **every_sensitive_answer(),
        },
    )
    book.set_profile(kofi, {"wedding_anniversary": "--11-24"})
    book.set_profile(kim, {"birth_date": "--11-25"})  # the day after tomorrow: not yet
    # Planned communications: Ann's due today, Kofi's (a call) overdue, a segment's.
    plan = book.add_plan(ann, "Quarterly market update", 3, "months", TODAY)
    kofi_plan = book.add_plan(kofi, "Check-in", 1, "months", TODAY - timedelta(days=5), kind="call")
    book.add_plan(otto, "Annual review", 12, "months", TODAY + timedelta(days=1))
    letter = add_communication(
        "Year-end letter",
        12,
        "months",
        TODAY - timedelta(days=1),
        Segment(tier="core"),
        kind="handwritten-note",
    )
    # Renewals: Kofi's contract in 12 days (drifting: at risk), Ann's in 15 (not yet).
    renewal = book.add_deal(
        kofi, 40_000, won_on=TODAY - timedelta(days=200), renews_on=date(2026, 12, 5)
    )
    book.add_deal(ann, 10_000, won_on=TODAY - timedelta(days=200), renews_on=date(2026, 12, 8))
    # Archived, former, another rep's: a follow-up due, a birthday today, a plan due.
    for left_out in (gone, former, bobs):
        book.add_interaction(left_out, "call", when=at(2), follow_up_on=TODAY)
        book.set_profile(left_out, {"birth_date": "1980-11-23"})
        book.add_plan(left_out, "Left out", 1, "months", TODAY)
        book.add_deal(
            left_out, 5_000, won_on=TODAY - timedelta(days=300), renews_on=date(2026, 11, 30)
        )
    book.set_archived(gone.id, True)
    Client.update(lifecycle="former").where(Client.id == former.id).execute()
    return {
        "ann": ann.id,
        "kofi": kofi.id,
        "kim": kim.id,
        "otto": otto.id,
        "sam": sam.id,
        "gone": gone.id,
        "former": former.id,
        "bobs": bobs.id,
        "call": call.id,
        "email": email.id,
        "kims": kims.id,
        "plan": plan.id,
        "kofi_plan": kofi_plan.id,
        "letter": letter,
        "renewal": renewal.id,
    }

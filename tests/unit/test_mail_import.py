"""Mail into the book (issue 25, mail): a client's messages are heard-from lines on their
timeline that never count as your touch (the verdict stays drifting), while an email you
sent is a touch (it does not); an email logged by hand that day stands for the day's
messages; another mailbox's messages of a day already imported join that day's touch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.client_view import HeardEntry, TimelineEntry, timeline
from cockpit.health.engine import compute
from cockpit.review.agenda import build_agenda
from cockpit.storage import book
from cockpit.storage.models import Client, HeardFrom, ImportSource, Interaction
from tests.support.mailboxes import ANN, ME, message, write_mbox


@pytest.fixture
def ann(db, today):
    client = book.add_client("Ann Lee", "Client", emails=[ANN], keep_in_touch_days=30)
    book.add_deal(client, "5000", won_on=date(2025, 6, 1))
    book.add_interaction(client, "call", when=datetime(2026, 9, 1, 10, 0), summary="Kick-off")
    return client.id


def _import(book_path: Path, *paths: Path) -> int:
    return main(["--db", str(book_path), "import", *map(str, paths), "--me", ME])


def _health(client_id: int) -> str:
    (verdict,) = [v for v in compute(date(2026, 11, 23)) if v.id == client_id]
    return verdict.health.value


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_heard_from_is_on_the_timeline_but_never_your_touch(ann, book_path, tmp_path):
    before = _health(ann)
    assert before == "drifting"
    heard = write_mbox(tmp_path / "in.mbox", [message(ANN, ME, at=_at(20), subject="Renewal?")])
    assert _import(book_path, heard) == 0
    entries = timeline(ann)
    assert [(e.day, e.summary) for e in entries if isinstance(e, HeardEntry)] == [
        (date(2026, 11, 20), "Renewal?")
    ]
    assert _health(ann) == before  # a client writing is not you keeping in touch
    sent = write_mbox(tmp_path / "out.mbox", [message(ME, ANN, at=_at(21), subject="Re: Renewal?")])
    assert _import(book_path, sent) == 0
    touches = [(e.kind, e.summary) for e in timeline(ann) if isinstance(e, TimelineEntry)]
    assert touches[:1] == [("email", "Re: Renewal?")]
    assert _health(ann) != "drifting"


def test_an_email_logged_by_hand_that_day_stands_for_it(ann, book_path, tmp_path):
    book.add_interaction(ann, "email", when=datetime(2026, 11, 16, 18, 0), summary="Sent prices")
    box = write_mbox(tmp_path / "out.mbox", [message(ME, ANN, at=_at(16), subject="Prices")])
    assert _import(book_path, box) == 0
    assert [t.summary for t in Interaction.select().where(Interaction.kind == "email")] == [
        "Sent prices"
    ]


def test_another_mailbox_of_the_same_day_joins_its_touch(ann, book_path, tmp_path):
    first = write_mbox(tmp_path / "a.mbox", [message(ME, ANN, at=_at(16), subject="One")])
    second = write_mbox(tmp_path / "b.mbox", [message(ME, ANN, at=_at(16, 14), subject="Two")])
    heard = write_mbox(tmp_path / "c.mbox", [message(ANN, ME, at=_at(17), subject="Thanks")])
    assert _import(book_path, first, heard) == 0
    assert _import(book_path, second) == 0
    emails = list(Interaction.select().where(Interaction.kind == "email"))
    assert [e.summary for e in emails] == ["One"]
    assert ImportSource.select().where(ImportSource.row_id == emails[0].id).count() == 2
    assert HeardFrom.select().count() == 1
    assert _import(book_path, first, second, heard) == 0  # all again: nothing new
    assert Interaction.select().where(Interaction.kind == "email").count() == 1
    assert HeardFrom.select().count() == 1


def _replies(as_of: date) -> list[str]:
    agenda = build_agenda(as_of)
    part = next(part for part in agenda.parts if part.key == "replies")
    return [item.text for item in part.items]


def test_a_message_left_unanswered_is_in_the_review_until_you_reply(ann, book_path, tmp_path):
    heard = write_mbox(tmp_path / "in.mbox", [message(ANN, ME, at=_at(16), subject="Re: Renewal")])
    assert _import(book_path, heard) == 0
    assert _replies(date(2026, 11, 18)) == []  # two days: not yet (reply_within_days = 3)
    assert _replies(date(2026, 11, 19)) == [
        'Ann Lee wrote on Mon 16 Nov about "Renewal"; no reply yet (3 days).'
    ]
    book.add_interaction(ann, "note", when=datetime(2026, 11, 20, 9, 0), summary="To do")
    assert len(_replies(date(2026, 11, 23))) == 1  # a note of yours is no reply
    book.add_interaction(ann, "call", when=datetime(2026, 11, 20, 10, 0), summary="Called")
    assert _replies(date(2026, 11, 23)) == []


def test_a_domain_in_either_spelling_finds_the_client(db, today, book_path, tmp_path):
    """The book holds the Unicode spelling; the mail and the calendar the ASCII one (and
    the other way round): each finds its client."""
    from tests.support.calendars import event, write

    uwe = book.add_client("Uwe Brandt", "Bücher", emails=["uwe@bücher.example"]).id
    ida = book.add_client("Ida Sand", "Sand", emails=["IDA@xn--sand-ooa.example"]).id
    box = write_mbox(
        tmp_path / "out.mbox",
        [
            message(ME, "Uwe@XN--BCHER-KVA.example", at=_at(16), subject="Catalogue"),
            (  # SMTPUTF8: the address as written, in UTF-8
                "From: Ida Sand <ida@sandä.example>\nTo: me@seller.example\n"
                "Subject: Our order\nDate: Tue, 17 Nov 2026 09:00:00 +0000\n"
                "Message-ID: <order@sand.example>\n\nHello\n"
            ).encode(),
        ],
    )
    calendar = write(
        tmp_path / "meet.ics",
        event(
            "m@x",
            "20261118T090000Z",
            "20261118T100000Z",
            attendees=("uwe@xn--bcher-kva.example", ME),
        ),
    )
    assert _import(book_path, box, calendar) == 0
    kinds = sorted(Interaction.select(Interaction.kind).where(Interaction.client == uwe).tuples())
    assert kinds == [("email",), ("meeting",)]
    assert [h.summary for h in HeardFrom.select().where(HeardFrom.client == ida)] == ["Our order"]


def test_add_prospect_brings_an_address_of_the_mail_in_with_its_name(
    db, today, book_path, tmp_path, capsys
):
    box = write_mbox(
        tmp_path / "in.mbox",
        [
            message(ME, "rae.moss@new.example", at=_at(16), subject="Intro"),
            message("Rae Moss <rae.moss@new.example>", ME, at=_at(17), subject="Re: Intro"),
        ],
    )
    asked = ("--add-prospect", "Rae M. <RAE.MOSS@new.example>", "--add-prospect", "x@new.example")
    dry = ["--db", str(book_path), "import", str(box), "--me", ME, "--dry-run", *asked]
    assert main(dry) == 0
    assert "Prospects that would be made from addresses: Rae M., X\n" in capsys.readouterr().out
    assert Client.select().count() == 0
    assert main(["--db", str(book_path), "import", str(box), "--me", ME, *asked]) == 0
    out = capsys.readouterr().out
    assert "Prospects made from addresses: Rae M., X\n" in out
    rae = Client.get(Client.name == "Rae M.")
    assert rae.lifecycle == "prospect"
    assert [t.summary for t in Interaction.select().where(Interaction.client == rae)] == ["Intro"]
    assert [h.summary for h in HeardFrom.select().where(HeardFrom.client == rae)] == ["Re: Intro"]
    assert "1 email touch added; 1 day heard from them added" in out
    bad = ("--add-prospect", "Rae <not an address>")
    assert main(["--db", str(book_path), "import", str(box), "--me", ME, *bad]) == 2
    assert "--add-prospect" in capsys.readouterr().err

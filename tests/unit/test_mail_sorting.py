"""What mail means for the book (issue 25, point 2): a message you sent to a client is an
email touch, one per client per day however many messages and threads; a client's
message is a "heard from" line, one per client per day; addresses that are nobody's are
counted for the import to offer; skipped mail is counted by reason; addresses compare
without case or display name, `+tags` kept, IDNA either way."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cockpit.email_addresses import address_key, is_address
from cockpit.importers.mail.mailboxes import MailReading
from cockpit.importers.mail.message import AUTOMATED, BULK, DRAFT, MAILING_LIST
from cockpit.importers.mail.sorting import (
    AddressCount,
    EmailTouch,
    HeardFrom,
    UnmatchedAddresses,
    sort_mail,
)
from tests.support.mailboxes import ANN, BOB, ME, message, write_maildir, write_mbox

ANN_ID, BOB_ID, CARL_ID = 1, 2, 3
CLIENTS = {ANN: ANN_ID, BOB: BOB_ID, "carl@client.example": CARL_ID}


@pytest.fixture(autouse=True)
def _fixed_day(today, write_config):
    write_config('timezone = "Europe/Berlin"\n')


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026, Berlin time (UTC+1)."""
    return datetime(2026, 11, day, hour - 1, minute, tzinfo=UTC)


def _sorted(tmp_path, messages, *, me=(ME,), clients=CLIENTS, with_notes=False, **options):
    path = write_mbox(tmp_path / "mail.mbox", messages)
    return sort_mail(MailReading(path, with_notes=with_notes).messages(), me, clients, **options)


def test_a_message_you_sent_to_a_client_is_an_email_touch(tmp_path):
    sent = message(ME, f"Ann Lee <{ANN}>", at=_at(16, 9, 30), subject="Renewal", message_id="<a@x>")
    result = _sorted(tmp_path, [sent])
    assert result.touches == [
        EmailTouch(
            ANN_ID, date(2026, 11, 16), datetime(2026, 11, 16, 8, 30), "Renewal", ["mail:a@x"]
        )
    ]
    assert result.heard == []
    assert (result.sent, result.received) == (1, 0)


def test_cc_and_bcc_make_touches_too_each_client_once(tmp_path):
    sent = message(ME, ANN, Cc=f"Bob <{BOB}>, {ANN.upper()}", Bcc="carl@client.example")
    result = _sorted(tmp_path, [sent])
    assert sorted(touch.client_id for touch in result.touches) == [ANN_ID, BOB_ID, CARL_ID]


def test_a_threads_messages_of_one_day_are_one_touch_with_every_key(tmp_path):
    day = [
        message(ME, ANN, at=_at(16, 15), subject="Re: Renewal", message_id="<3@x>"),
        message(ME, ANN, at=_at(16, 9), subject="Renewal", message_id="<1@x>"),
        message(ME, ANN, at=_at(16, 11), subject="Other thread", message_id="<2@x>"),
    ]
    next_day = message(ME, ANN, at=_at(17, 9), subject="Re: Renewal", message_id="<4@x>")
    result = _sorted(tmp_path, [*day, next_day])
    first, second = result.touches
    assert (first.day, first.moment, first.subject) == (
        date(2026, 11, 16),
        datetime(2026, 11, 16, 8, 0),
        "Renewal",
    )
    assert sorted(first.keys) == ["mail:1@x", "mail:2@x", "mail:3@x"]
    assert (second.day, second.keys) == (date(2026, 11, 17), ["mail:4@x"])


def test_the_day_is_the_local_one(tmp_path):
    """23:30 in Berlin on the 16th is the 16th, though it is 22:30 UTC; 00:30 on the 17th
    is the 17th, though it is the 16th in UTC: two days, two touches."""
    late = message(ME, ANN, at=_at(16, 23, 30), subject="late")
    early = message(ME, ANN, at=datetime(2026, 11, 16, 23, 30, tzinfo=UTC), subject="early")
    result = _sorted(tmp_path, [late, early])
    assert [(touch.day, touch.subject) for touch in result.touches] == [
        (date(2026, 11, 16), "late"),
        (date(2026, 11, 17), "early"),
    ]


def test_a_clients_messages_are_heard_from_lines_one_per_day(tmp_path):
    result = _sorted(
        tmp_path,
        [
            message(ANN, ME, at=_at(16, 9), subject="The renewal", message_id="<a1@x>"),
            message(
                f"Ann <{ANN}>", ME, at=_at(16, 14), subject="Re: The renewal", message_id="<a2@x>"
            ),
            message(BOB, ME, at=_at(18, 10), subject="Lunch?", message_id="<b1@x>"),
        ],
    )
    assert result.touches == []
    assert [(h.client_id, h.day, h.subject, h.keys) for h in result.heard] == [
        (ANN_ID, date(2026, 11, 16), "The renewal", ["mail:a1@x", "mail:a2@x"]),
        (BOB_ID, date(2026, 11, 18), "Lunch?", ["mail:b1@x"]),
    ]
    assert all(isinstance(h, HeardFrom) for h in result.heard)
    assert result.received == 3


def test_skipped_mail_is_counted_by_reason_and_is_nobodys_touch(tmp_path):
    root = tmp_path / "Mail"
    write_maildir(
        root,
        [
            message(ANN, ME, subject="news", List_Id="<news.client.example>"),
            message(ANN, ME, subject="away", Auto_Submitted="auto-replied"),
            message(ANN, ME, subject="away 2", Auto_Submitted="auto-replied"),
            message("promo@shop.example", ME, subject="sale", Precedence="bulk"),
        ],
    )
    write_maildir(root, [message(ME, ANN, subject="not sent")], flags="D")
    result = sort_mail(MailReading(root).messages(), [ME], CLIENTS)
    assert result.touches == result.heard == result.unmatched.top() == []
    assert result.skipped == {MAILING_LIST: 1, AUTOMATED: 2, BULK: 1, DRAFT: 1}


def test_addresses_that_are_nobodys_are_counted_most_first_never_yours(tmp_path):
    """Each with the first name met with it; a received message's other recipients are
    not counted."""
    result = _sorted(
        tmp_path,
        [
            message(ME, ["Dana <dana@new.example>", ANN, "me2@acme.example"], subject="1"),
            message(ME, "DANA@new.example", subject="2"),
            message("Erik Ek <erik@new.example>", ME, Cc="fay@new.example", subject="3"),
            message(ME, "dana@new.example", Cc="Dana D <dana@new.example>", subject="4"),
            message(ME, "gil@new.example", Cc="Gil G <GIL@new.example>", subject="5"),
        ],
        me=(ME, "me2@acme.example"),
    )
    assert result.unmatched.top() == [
        AddressCount("dana@new.example", "Dana", 3),
        AddressCount("erik@new.example", "Erik Ek", 1),
        AddressCount("gil@new.example", "Gil G", 1),
    ]
    assert result.unmatched.top(1) == [AddressCount("dana@new.example", "Dana", 3)]
    assert len(result.unmatched) == 3


def test_colleagues_are_never_counted_as_nobodys(tmp_path):
    result = _sorted(
        tmp_path,
        [
            message(ME, ["kim@acme.example", ANN, "new@new.example"], subject="1"),
            message("Lee <lee@acme.example>", ME, subject="2"),
        ],
        colleague=lambda address: address.lower().endswith("@acme.example"),
    )
    assert [count.address for count in result.unmatched.top()] == ["new@new.example"]
    assert [touch.client_id for touch in result.touches] == [ANN_ID]


def test_an_imports_own_tally_counts_the_addresses_of_all_its_files(tmp_path):
    tally = UnmatchedAddresses()
    first = write_mbox(tmp_path / "a.mbox", [message(ME, "new@new.example", subject="a")])
    second = write_mbox(tmp_path / "b.mbox", [message("New <new@new.example>", ME, subject="b")])
    for path in (first, second):
        result = sort_mail(MailReading(path).messages(), [ME], CLIENTS, unmatched=tally)
        assert result.unmatched is tally
    assert tally.top() == [AddressCount("new@new.example", "New", 2)]


def test_the_same_message_met_twice_counts_once(tmp_path):
    root = tmp_path / "Mail"
    copy = message(ME, [ANN, ME], subject="to us both", message_id="<same@x>")
    write_maildir(root, [copy])
    write_maildir(root, [copy], folder="Sent")
    result = sort_mail(MailReading(root).messages(), [ME], CLIENTS)
    assert [touch.keys for touch in result.touches] == [["mail:same@x"]]
    assert (result.sent, result.repeated) == (1, 1)


def test_a_lookup_may_be_a_function_asked_once_per_address_and_may_give_several(tmp_path):
    asked = []

    def whose(address: str):
        asked.append(address)
        return (ANN_ID, BOB_ID) if address.lower() == "team@client.example" else None

    sent = [message(ME, "Team@Client.example", subject=f"n{n}") for n in range(2)]
    sent.append(message(ME, "TEAM@client.example", subject="again"))
    result = _sorted(tmp_path, sent, clients=whose)
    assert sorted(touch.client_id for touch in result.touches) == [ANN_ID, BOB_ID]
    assert asked == ["Team@Client.example"]


def test_addresses_compare_without_case_or_name_keep_plus_tags_and_read_idna(tmp_path):
    clients = {"Ann@Bücher.example": ANN_ID, "bob@other.example": BOB_ID}
    result = _sorted(
        tmp_path,
        [
            message(ME, "ANN@xn--bcher-kva.example", subject="punycode"),
            message(ME, "bob+crm@other.example", subject="tagged"),
        ],
        clients=clients,
        me=("Me@ACME.example",),
    )
    assert [(t.client_id, t.subject) for t in result.touches] == [(ANN_ID, "punycode")]
    assert [u.address for u in result.unmatched.top()] == ["bob+crm@other.example"]


def test_address_keys():
    assert address_key(" Ann.Lee@ACME.Example. ") == "ann.lee@acme.example"
    assert address_key("ann@xn--bcher-kva.example") == address_key("ANN@BÜCHER.example")
    assert address_key("Ann@XN--BCHER-KVA.EXAMPLE") == "ann@bücher.example"
    assert address_key("ann@xn--broken-.example") == "ann@xn--broken-.example"
    assert address_key("ann+x@acme.example") != address_key("ann@acme.example")
    assert is_address("ann+x@acme.example") and is_address("jörg@bücher.example")
    for bad in (
        "ann",
        "@acme.example",
        "ann@",
        "Ann <ann@acme.example>",
        "a b@c.d",
        "a@b..c",
        "ann\u202e@acme.example",
        "ann\x1b@acme.example",
        "ann\x85@acme.example",
    ):
        assert not is_address(bad), bad


def test_notes_are_each_messages_text_and_only_with_notes(tmp_path):
    day = [
        message(ME, ANN, at=_at(16, 9), subject="Renewal", body="Price attached.\n"),
        message(ME, ANN, at=_at(16, 10), subject="Renewal", body="Typo fixed.\n"),
        message(ME, ANN, at=_at(16, 11), subject="Dinner", body="Thursday?\n"),
    ]
    (touch,) = _sorted(tmp_path, day, with_notes=True).touches
    assert touch.note == "Price attached.\n\n---\n\nTypo fixed.\n\n---\n\nDinner\nThursday?"
    assert touch.summary == "Renewal\n\n" + touch.note
    (tmp_path / "again").mkdir()
    (bare,) = _sorted(tmp_path / "again", day).touches
    assert (bare.note, bare.summary) == ("", "Renewal")

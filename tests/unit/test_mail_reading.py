"""Reading mail (issue 25, point 2): an mbox file or a Maildir folder, one message at a time,
each with its key, addresses, local day and subject; mailing lists, automated and bulk
mail and drafts skipped by reason; bodies read only with notes; and every problem of a
broken mailbox said with its file and line, the rest read."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cockpit.errors import UsageError
from cockpit.importers.mail import bodies, keys, mailboxes
from cockpit.importers.mail.mailboxes import MailReading, NotMail
from cockpit.importers.mail.message import (
    AUTOMATED,
    BULK,
    DRAFT,
    MAILING_LIST,
    MailMessage,
    SkippedMessage,
)
from tests.support.mailboxes import ANN, BOB, ME, message, write_maildir, write_mbox

MONDAY = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_day(today, write_config):
    """Today is Mon 23 Nov 2026, in UTC unless a test says otherwise."""
    write_config('timezone = "UTC"\n')


def _read(path: Path, **options) -> tuple[list, MailReading]:
    reading = MailReading(path, **options)
    return list(reading.messages()), reading


def _mbox(tmp_path: Path, *messages) -> Path:
    return write_mbox(tmp_path / "mail.mbox", list(messages))


def test_an_mbox_message_has_its_key_addresses_day_and_subject(tmp_path):
    sent = message(
        ME,
        [f"Ann Lee <{ANN}>", BOB],
        subject="Renewal terms",
        message_id="<abc.123@acme.example>",
        Cc="Carl <carl@client.example>",
        In_Reply_To="<first@client.example>",
        References="<first@client.example> <second@client.example>",
    )
    (found,), reading = _read(_mbox(tmp_path, sent))
    assert isinstance(found, MailMessage)
    assert found.key == "mail:abc.123@acme.example"
    assert found.message_id == "abc.123@acme.example"
    assert found.sender == ME
    assert found.recipients == (
        ("Ann Lee", ANN),
        ("", BOB),
        ("Carl", "carl@client.example"),
    )
    assert found.subject == "Renewal terms"
    assert found.moment == datetime(2026, 11, 16, 9, 30)
    assert found.day == date(2026, 11, 16)
    assert found.in_reply_to == ("first@client.example",)
    assert found.thread == "first@client.example"
    assert found.note == ""
    assert reading.problems == []


def test_the_day_is_your_local_day_of_the_date(tmp_path, write_config):
    write_config('timezone = "Asia/Tokyo"\n')
    late = message(at="Sun, 15 Nov 2026 20:00:00 -0500")  # 01:00 UTC Monday, 10:00 Tokyo
    path = _mbox(tmp_path, late)
    (found,), _ = _read(path)
    assert found.moment == datetime(2026, 11, 16, 1, 0)
    assert found.day == date(2026, 11, 16)
    write_config('timezone = "America/Los_Angeles"\n')
    (found,), _ = _read(path)
    assert found.day == date(2026, 11, 15)


def test_encoded_subjects_and_names_are_decoded_on_one_line(tmp_path):
    raw = (
        "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jorg@client.example>\n"
        f"To: {ME}\n"
        "Subject: =?iso-8859-1?q?Caf=E9_?=\n =?utf-8?b?4oCUIGRlbWFpbg==?=\n"
        "\tnext\x1b[31m week\n"
        "Date: Mon, 16 Nov 2026 09:30:00 +0000\n"
        "Message-ID: <enc@client.example>\n\nHi\n"
    ).encode()
    (found,), reading = _read(_mbox(tmp_path, raw))
    assert found.sender_name == "Jörg Müller"
    assert found.subject == "Café — demain next [31m week"  # the escape dropped
    assert reading.problems == []


def test_a_subject_in_raw_bytes_not_utf8_is_read_as_windows_1252_and_said(tmp_path):
    raw = (
        b"From: ann@client.example\nTo: me@acme.example\nSubject: R\xe9sum\xe9 \x80 list\n"
        b"Date: Mon, 16 Nov 2026 09:30:00 +0000\nMessage-ID: <latin@x>\n\nHi\n"
    )
    utf8 = raw.replace(b"latin@x", b"utf8@x").replace(b"R\xe9sum\xe9 \x80", "Résumé €".encode())
    (latin, plain), reading = _read(_mbox(tmp_path, raw, utf8))
    assert latin.subject == plain.subject == "Résumé € list"
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (1, "message 1 its Subject is not UTF-8: read as Windows-1252", False)
    ]


def test_a_message_without_message_id_has_a_stable_digest_of_its_headers(tmp_path):
    first = message(message_id=None)
    other = message(message_id=None, subject="Another thing")
    path = _mbox(tmp_path, first, other)
    (a, b), _ = _read(path)
    (again, _), _ = _read(path)
    assert a.message_id == ""
    assert a.key.startswith(keys.PREFIX + "#") and len(a.key) == len("mail:#") + 32
    assert a.key == again.key
    assert a.key != b.key


def test_a_very_long_message_id_is_kept_as_a_digest():
    assert keys.message_key("x" * 401) == "mail:#" + keys._digest("x" * 401)
    assert keys.message_key("x" * 400) == "mail:" + "x" * 400


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"List_Id": "Team news <news.acme.example>"}, MAILING_LIST),
        ({"Precedence": "list"}, MAILING_LIST),
        ({"Auto_Submitted": "auto-replied"}, AUTOMATED),
        ({"Auto_Submitted": "auto-generated; type=dsn"}, AUTOMATED),
        ({"X_Autoreply": "yes"}, AUTOMATED),
        ({"Precedence": "bulk"}, BULK),
        ({"Precedence": "Junk"}, BULK),
    ],
)
def test_mailing_lists_automated_and_bulk_mail_are_skipped_by_reason(tmp_path, headers, reason):
    (found,), reading = _read(_mbox(tmp_path, message(**headers)))
    assert found == SkippedMessage(1, 1, reason)
    assert reading.problems == []


def test_auto_submitted_no_and_other_precedence_are_mail_like_any(tmp_path):
    kept = [message(Auto_Submitted="no"), message(subject="b", Precedence="first-class")]
    found, _ = _read(_mbox(tmp_path, *kept))
    assert [type(each) for each in found] == [MailMessage, MailMessage]


def test_bcc_is_kept_as_a_recipient(tmp_path):
    sent = message(ME, ANN, Bcc=f"Bob <{BOB}>")
    (found,), _ = _read(_mbox(tmp_path, sent))
    assert found.recipients == (("", ANN), ("Bob", BOB))


def test_a_broken_date_falls_back_to_the_from_line_with_a_problem(tmp_path):
    good = message(subject="first")
    broken = message(at="someday soon", subject="second")
    path = tmp_path / "mail.mbox"
    write_mbox(path, [good, broken])
    text = path.read_text()
    # The From line of the second message: Tue 17 Nov 2026 in UTC.
    at = text.index("From MAILER-DAEMON", 10)
    line = text[at : text.index("\n", at)]
    path.write_text(text.replace(line, "From MAILER-DAEMON Tue Nov 17 08:15:00 2026"))
    (_, second), reading = _read(path)
    assert second.moment == datetime(2026, 11, 17, 8, 15)
    assert second.day == date(2026, 11, 17)
    line_number = text[:at].count("\n") + 1
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (
            line_number,
            "message 2 has a Date that cannot be read ('someday soon'): dated by its From "
            "line instead",
            False,
        )
    ]


def test_a_date_after_today_falls_back_and_without_a_fallback_the_message_is_left_out(tmp_path):
    ahead = message(at=datetime(2027, 1, 5, 9, 0, tzinfo=UTC), subject="ahead")
    path = _mbox(tmp_path, ahead)
    text = path.read_text()
    path.write_text(text.replace(text.split("\n", 1)[0], "From someone"))  # no date there
    found, reading = _read(path)
    assert found == []
    assert [(p.where, p.left_out) for p in reading.problems] == [(1, True)]
    assert (
        "has a Date after today ('Tue, 05 Jan 2027 09:00:00 +0000')" in reading.problems[0].reason
    )
    assert reading.problems[0].reason.endswith("nor has the mailbox a date for it: left out")


def test_a_maildir_message_without_a_date_is_dated_by_its_file(tmp_path):
    (file,) = write_maildir(tmp_path / "Mail", [message(at="not a date")])
    moment = datetime(2026, 11, 18, 14, 0, tzinfo=UTC).timestamp()
    os.utime(file, (moment, moment))
    (found,), reading = _read(tmp_path / "Mail")
    assert found.moment == datetime(2026, 11, 18, 14, 0)
    assert [(p.where, p.reason) for p in reading.problems] == [
        (
            file.relative_to(tmp_path / "Mail").as_posix(),
            "message 1 has a Date that cannot be read ('not a date'): dated by its file's "
            "modification time instead",
        )
    ]


def test_a_truncated_mbox_reads_the_rest_and_says_where_the_last_message_is_cut(tmp_path):
    messages = [message(subject=f"number {n}", body="line\n" * 50) for n in range(3)]
    path = _mbox(tmp_path, *messages)
    data = path.read_bytes()
    last = data.rindex(b"\nFrom ") + 1
    path.write_bytes(data[: len(data) - 100])  # cut inside the last body
    found, reading = _read(path)
    assert [each.subject for each in found] == ["number 0", "number 1", "number 2"]
    line = data[:last].count(b"\n") + 1
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (
            line,
            "message 3 is cut off: the file ends inside it; its headers are whole, so it "
            "was imported",
            False,
        )
    ]
    path.write_bytes(data[: last + 60])  # cut inside its headers: left out
    found, reading = _read(path)
    assert [each.subject for each in found] == ["number 0", "number 1"]
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (line, "message 3 is cut off: the file ends inside it, inside its headers", True)
    ]


def test_a_mime_message_missing_its_closing_boundary_is_said_to_be_cut(tmp_path):
    whole = message(html="<p>Hi</p>")
    whole.add_attachment(b"data", maintype="application", subtype="pdf", filename="a.pdf")
    path = _mbox(tmp_path, whole, message(subject="after"))
    data = path.read_bytes()
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    path.write_bytes(data.replace(b"--" + boundary + b"--", b""))
    found, reading = _read(path)
    assert len(found) == 2
    assert [(p.where, p.reason) for p in reading.problems] == [
        (
            1,
            "message 1 is cut off: its MIME parts end early; its headers are whole, so it was "
            "imported",
        )
    ]


def test_headers_that_cannot_be_read_leave_the_message_out_and_say_so(tmp_path):
    path = tmp_path / "mail.mbox"
    good = message(subject="fine")
    write_mbox(path, [good])
    path.write_bytes(
        b"From x Mon Nov 16 09:00:00 2026\n\x00\x01 garbage without a colon\n\nbody\n\n"
        + path.read_bytes()
    )
    found, reading = _read(path)
    assert [each.subject for each in found] == ["fine"]
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (1, "message 1 has no headers that can be read", True)
    ]


def test_a_message_without_a_sender_is_left_out(tmp_path):
    nobody = message(sender="undisclosed")
    (_, reading) = _read(_mbox(tmp_path, nobody))
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (1, "message 1 has no sender address (From)", True)
    ]


def test_an_unquoted_from_in_a_body_does_not_start_a_message(tmp_path):
    """A From line starts a message after a blank line or when it looks like one; a line
    of text starting "From " that mboxo should have quoted does not."""
    path = tmp_path / "mail.mbox"
    write_mbox(path, [message(subject="one"), message(subject="two")])
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Hello,\n\nShall we", b"Hello,\nFrom what I hear, shall we", 1))
    found, reading = _read(path)
    assert [each.subject for each in found] == ["one", "two"]
    assert reading.problems == []


@pytest.mark.parametrize(
    ("line_end", "separator"),
    [
        (b"\n", b"\n\nFrom MAILER-DAEMON"),
        (b"\n", b"\nFrom MAILER-DAEMON"),  # no blank line: the From line looks like one
        (b"\r\n", b"\r\n\r\nFrom someone\r\n"),  # after a blank line: any From line
    ],
)
def test_messages_are_cut_alike_whatever_the_blocks_the_file_is_read_in(
    tmp_path, monkeypatch, line_end, separator
):
    path = _mbox(tmp_path, *(message(subject=f"n{n}", body="From me\n" * n) for n in range(6)))
    data = path.read_bytes().replace(b"\n", line_end)
    written = line_end * 2 + b"From MAILER-DAEMON"
    if separator.endswith(b"someone" + line_end):  # the whole From line replaced
        data = re.sub(re.escape(written) + rb"[^\r\n]*\r\n", separator, data)
    else:
        data = data.replace(written, separator)
    path.write_bytes(data)
    whole, _ = _read(path)
    for size in (1, 5, 7, 64):
        monkeypatch.setattr(mailboxes, "BLOCK", size)
        found, reading = _read(path)
        assert found == whole, size
        assert reading.problems == []
    assert [each.subject for each in whole] == [f"n{n}" for n in range(6)]


def test_a_from_line_not_after_a_blank_line_starts_a_message_when_it_looks_like_one(tmp_path):
    path = tmp_path / "mail.mbox"
    write_mbox(path, [message(subject="one"), message(subject="two")])
    path.write_bytes(path.read_bytes().replace(b"\n\nFrom MAILER-DAEMON", b"\nFrom MAILER-DAEMON"))
    found, reading = _read(path)
    assert [each.subject for each in found] == ["one", "two"]
    assert reading.problems == []


def test_a_maildir_reads_new_cur_and_its_subfolders_but_not_drafts_or_trash(tmp_path):
    """Nor tmp/ (mail being delivered) nor hidden files."""
    root = tmp_path / "Mail"
    write_maildir(root, [message(subject="in new")])
    write_maildir(root, [message(subject="seen", at=MONDAY.replace(hour=8))], flags="S")
    (root / "tmp" / "1700000000.arriving").write_bytes(bytes(message(subject="arriving")))
    (root / "cur" / ".hidden:2,S").write_bytes(bytes(message(subject="hidden")))
    write_maildir(root, [message(ME, ANN, subject="sent")], folder="Sent")
    write_maildir(root, [message(ME, ANN, subject="draft")], folder="Drafts")
    write_maildir(root, [message(subject="deleted")], folder="Trash")
    write_maildir(root, [message(ME, ANN, subject="unsent")], flags="DS")
    found, reading = _read(root)
    assert sorted(each.subject for each in found if isinstance(each, MailMessage)) == [
        "in new",
        "seen",
        "sent",
    ]
    assert [each.reason for each in found if isinstance(each, SkippedMessage)] == [DRAFT]
    assert reading.folders == ["", ".Sent"]
    assert sorted(reading.passed_over) == [".Drafts", ".Trash"]


def test_a_folder_of_maildirs_is_read_as_their_parent(tmp_path):
    write_maildir(tmp_path / "account" / "INBOX", [message(subject="in")])
    write_maildir(tmp_path / "account" / "Sent", [message(ME, ANN, subject="out")])
    found, reading = _read(tmp_path / "account")
    assert sorted(each.subject for each in found) == ["in", "out"]
    assert reading.folders == ["INBOX", "Sent"]


def test_an_unreadable_maildir_file_is_said_with_its_path_and_the_rest_imports(tmp_path):
    root = tmp_path / "Mail"
    _, second = write_maildir(root, [message(subject="a"), message(subject="b")])
    second.chmod(0)
    try:
        if os.access(second, os.R_OK):
            pytest.skip("running as root: a file without permissions is still readable")
        found, reading = _read(root)
    finally:
        second.chmod(0o600)
    assert [each.subject for each in found] == ["a"]
    shown = second.relative_to(root).as_posix()
    assert [(p.where, p.reason, p.left_out) for p in reading.problems] == [
        (shown, "message 2 cannot be read (Permission denied)", True)
    ]


def test_a_maildir_file_gone_or_a_folder_in_its_place_is_said_and_the_rest_imports(tmp_path):
    root = tmp_path / "Mail"
    write_maildir(root, [message(subject="kept")])
    (root / "cur" / "1700000000.gone:2,S").symlink_to(tmp_path / "nowhere")
    (root / "new" / "1700000001.folder").mkdir()
    (root / "new" / "1700000002.empty").write_bytes(b"")
    found, reading = _read(root)
    assert [each.subject for each in found] == ["kept"]
    assert sorted((p.where, p.reason.split(" ", 2)[2], p.left_out) for p in reading.problems) == [
        ("cur/1700000000.gone:2,S", "cannot be read (No such file or directory)", True),
        ("new/1700000001.folder", "is a folder, not a message", True),
        ("new/1700000002.empty", "is an empty file", True),
    ]


def test_bodies_are_read_only_with_notes(tmp_path):
    path = _mbox(tmp_path, message(body="Can we meet Tuesday?\n"))
    (without,), _ = _read(path)
    (with_notes,), _ = _read(path, with_notes=True)
    assert without.note == ""
    assert with_notes.note == "Can we meet Tuesday?"


def test_an_html_only_body_becomes_text_without_its_quote(tmp_path):
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Dear Ann,</p><p>The <b>price</b> is &euro;40&nbsp;000.<br>Best,<br>Me</p>"
        '<div class="gmail_quote"><div dir="ltr">Ann said:</div><div>old text</div></div>'
        "<blockquote>older text</blockquote>"
        "<script>alert(1)</script></body></html>"
    )
    (found,), _ = _read(_mbox(tmp_path, message(html=html)), with_notes=True)
    assert found.note == "Dear Ann,\n\nThe price is €40 000.\nBest,\nMe"


def test_a_plain_body_loses_quoted_replies_and_signature_and_is_capped(tmp_path):
    body = "Sounds good,  \t\nsee you then.\n\n> Shall we meet?\n> Ann\n\n-- \nMe, Acme\n"
    reply = message(body=body, subject="Re: meeting")
    outlook = message(
        subject="outlook",
        body="Yes.\n\n-----Original Message-----\nFrom: Ann\nSent: Monday\n\nQuestion?\n",
    )
    attribution = message(
        subject="gmail", body="Fine.\n\nOn Mon, 16 Nov 2026 at 09:00, Ann Lee <a@b> wrote:\n\nold\n"
    )
    long = message(subject="long", body="word " * 2000)
    found, _ = _read(_mbox(tmp_path, reply, outlook, attribution, long), with_notes=True)
    assert [each.note for each in found[:3]] == ["Sounds good,\nsee you then.", "Yes.", "Fine."]
    assert len(found[3].note) == 2000 and found[3].note.endswith("…")


@pytest.mark.parametrize(
    "broken",
    ["<a" * 120_000, "<!--" * 60_000, '<a href="' * 40_000, "<div>" * 50_000 + "</b>" * 50_000],
)
def test_broken_html_is_read_in_one_pass(broken):
    """Mail from anyone may hold HTML built to stall a parser (the stdlib's took minutes
    over these): read in one pass, it takes a fraction of a second."""
    started = time.process_time()
    text = bodies.html_text("<p>Visible</p>" + broken)
    assert text.startswith("Visible")
    assert time.process_time() - started < 5


def test_a_body_in_an_unknown_charset_is_read_as_utf8_and_said(tmp_path):
    raw = (
        b"From: ann@client.example\nTo: me@acme.example\nSubject: odd\n"
        b"Date: Mon, 16 Nov 2026 09:30:00 +0000\nMessage-ID: <odd@x>\n"
        b"Content-Type: text/plain; charset=x-unheard-of\n\nCaf\xc3\xa9 time\n"
    )
    (found,), reading = _read(_mbox(tmp_path, raw), with_notes=True)
    assert found.note == "Café time"
    assert [p.reason for p in reading.problems] == [
        "message 1 names an unknown charset for its text (x-unheard-of): read as UTF-8"
    ]


def test_progress_is_told_by_the_bytes_up_to_the_end(tmp_path):
    path = _mbox(tmp_path, *(message(subject=f"n{n}") for n in range(300)))
    told: list[float] = []
    found, _ = _read(path, progress=told.append)
    assert len(found) == 300
    assert told == sorted(told) and told[-1] == 1.0 and len(told) > 10


def test_what_is_not_an_mbox_nor_a_maildir_is_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("Dear diary\n")
    with pytest.raises(NotMail, match="is not an mbox: it does not start with a From line"):
        _read(text)
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotMail, match="is a folder but not a Maildir"):
        _read(tmp_path / "folder")
    with pytest.raises(UsageError, match="does not exist"):
        _read(tmp_path / "missing.mbox")

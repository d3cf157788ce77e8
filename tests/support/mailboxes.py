"""Mailboxes for the mail tests, written by the stdlib's `mailbox`: messages as
`email.message.EmailMessage`, an mbox file or a Maildir folder (with Maildir++
subfolders) of them, and raw bytes where a message must be broken."""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import re
import time
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.utils import format_datetime
from pathlib import Path

ME = "me@acme.example"
ANN = "ann@client.example"
BOB = "bob@other.example"


def message(
    sender: str = ANN,
    to: str | list[str] = ME,
    *,
    at: datetime | str = datetime(2026, 11, 16, 9, 30, tzinfo=UTC),
    subject: str | None = "The renewal",
    message_id: str | None = "",
    body: str = "Hello,\n\nShall we talk about the renewal?\n",
    html: str | None = None,
    **headers: str,
) -> EmailMessage | Message:
    """A message; `message_id` "" makes one up from the subject and moment, None leaves
    it out; `at` a string is the Date header as written (kept as it is, even when it is
    no date); `headers` more of them (`List_Id` for List-Id)."""
    found = EmailMessage()
    found["From"] = sender
    found["To"] = ", ".join(to) if isinstance(to, list) else to
    if subject is not None:
        found["Subject"] = subject
    found["Date"] = at if isinstance(at, str) else format_datetime(at)
    if message_id == "":
        stamp = at if isinstance(at, str) else at.isoformat()
        made = hashlib.sha1(f"{sender}|{to}|{subject}|{stamp}".encode()).hexdigest()[:16]
        message_id = f"<{made}@test.example>"
    if message_id is not None:
        found["Message-ID"] = message_id
    for name, value in headers.items():
        found[name.replace("_", "-")] = value
    if html is not None:
        found.set_content(html, subtype="html")
    else:
        found.set_content(body)
    if isinstance(at, str):  # EmailMessage would drop a Date it cannot read: kept raw
        data = re.sub(rb"^Date:.*\n", f"Date: {at}\n".encode(), bytes(found), count=1, flags=re.M)
        return email.message_from_bytes(data, policy=email.policy.compat32)
    return found


def write_mbox(path: Path, messages: list[Message | bytes]) -> Path:
    """An mbox of the messages, each with a From line of its Date (or of now)."""
    box = mailbox.mbox(path)
    box.lock()
    try:
        for each in messages:
            entry = mailbox.mboxMessage(each)
            entry.set_from("MAILER-DAEMON", _from_time(each))
            box.add(entry)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return path


def _from_time(each: Message | bytes) -> time.struct_time | bool:
    if isinstance(each, EmailMessage):
        try:
            moment = each["Date"].datetime
        except (AttributeError, TypeError, ValueError):
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return time.gmtime(moment.timestamp())
    return True


def write_maildir(
    path: Path, messages: list[Message | bytes], *, folder: str = "", flags: str = ""
) -> list[Path]:
    """The messages in a Maildir (its Maildir++ subfolder `folder`, when named), in cur/
    with `flags` when given, else in new/; their files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(path, create=True)
    where = path
    if folder:
        box = box.add_folder(folder)
        where = path / f".{folder}"
    files = []
    for each in messages:
        entry = mailbox.MaildirMessage(each)
        if flags:
            entry.set_subdir("cur")
            entry.set_flags(flags)
        key = box.add(entry)
        files += [
            file
            for sub in ("new", "cur")
            for file in (where / sub).iterdir()
            if file.name.split(":")[0] == key
        ]
    return files

"""Bringing address-book contacts into the book without losing what is there.

A contact is matched to a client by any of its emails (unless not
`merge_by_email`), then by name and company (case and spacing ignored); else
it becomes a new client. A match gets its empty fields filled and new emails
and phones added; a field that already holds something else is left as it is
and the difference listed, unless `overwrite`. The contact's note becomes an
internal note on the timeline, once. Importing the same file again therefore
changes nothing. The contact's groups or categories are added to the client's tags; an
import never takes a tag away. The report names what changed of each client, and each
contact merged into a client of another name by a shared email.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.importers.changes import ClientChanges
from cockpit.importers.contact import BrokenRecord, Contact
from cockpit.importers.report import ImportReport
from cockpit.partial_date import PartialDate
from cockpit.storage import book, import_matching
from cockpit.storage.import_ledger import ImportWriter
from cockpit.storage.import_matching import MatchedClient
from cockpit.text import shorten
from cockpit.vocabulary import Kind

# Single Mackay 66 fields a contact can fill: contact attribute -> profile field.
PROFILE_FIELDS = {
    "nickname": "nickname",
    "company_address": "company_address",
    "home_address": "home_address",
    "birthday": "birth_date",
    "anniversary": "wedding_anniversary",
    "spouse": "spouse_name",
}
DATE_FIELDS = frozenset({"birth_date", "wedding_anniversary"})
MERGED_FIELDS = (*PROFILE_FIELDS.values(), "hobbies", "children")  # what a contact fills
# What the client's profile holds of a contact's company, title and phone numbers: a
# contact that brings them again (as a Cockpit export does) brings nothing new.
PROFILE_COLUMNS = {"company": "company_name", "title": "job_title"}
COMPARED_FIELDS = (*MERGED_FIELDS, *PROFILE_COLUMNS.values(), "phones")
NOTE_PREFIX = "From the address book: "  # a contact's note, on the client's timeline
DATE_ATTRIBUTES = {a: f for a, f in PROFILE_FIELDS.items() if f in DATE_FIELDS}


def _phone_key(number: str) -> str:
    digits = re.sub(r"[^\d+]", "", number)
    return digits or number.casefold()


def _same(field_key: str, old: str, new: str) -> bool:
    """Whether the contact's value is the one stored; a date without its year is the
    stored one when the day is (an export leaves out a year Cockpit keeps no dates for)."""
    if field_key in DATE_FIELDS:
        try:
            stored, offered = PartialDate.parse(old), PartialDate.parse(new)
        except ValidationError:
            return False
        if offered.year is None:
            return (stored.month, stored.day) == (offered.month, offered.day)
        return stored == offered
    return book.match_key(old) == book.match_key(new)


class _ClientIndex:
    """The match keys of the book's clients, read once and kept up to date as contacts
    are merged, so that matching a contact asks the database nothing."""

    def __init__(self) -> None:
        self.archived: dict[int, bool] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_name: dict[tuple[str, str], set[int]] = {}

    @classmethod
    def of_book(cls) -> _ClientIndex:
        index = cls()
        for client_id, name_key, company_key, archived in import_matching.client_match_keys():
            index.add_client(client_id, (name_key, company_key), archived=archived)
        for client_id, address_key in import_matching.email_match_keys():
            index.add_emails(client_id, [address_key])
        return index

    def add_client(self, client_id: int, keys: tuple[str, str], *, archived: bool) -> None:
        """A client by the match keys of its name and company."""
        self.archived[client_id] = archived
        self.by_name.setdefault(keys, set()).add(client_id)

    def add_emails(self, client_id: int, address_keys: Iterable[str]) -> None:
        for key in address_keys:
            self.by_email.setdefault(key, set()).add(client_id)

    def rename(self, client_id: int, old: tuple[str, str], new: tuple[str, str]) -> None:
        self.by_name[old].discard(client_id)
        self.by_name.setdefault(new, set()).add(client_id)

    def find(self, contact: Contact, *, by_email: bool = True) -> tuple[int | None, str]:
        """The client a contact is: one with any of its emails (unless not `by_email`),
        else one with its name and company; clients not archived first, then the oldest.
        And the email they share, when found by one."""
        if by_email:
            keys = [(email, book.match_key(email)) for email in contact.emails]
            found = self._first(set().union(*(self.by_email.get(key, ()) for _, key in keys)))
            if found is not None:
                return found, next(e for e, key in keys if found in self.by_email.get(key, ()))
        name = (book.match_key(contact.name), book.match_key(contact.company))
        return self._first(self.by_name.get(name, set())), ""

    def _first(self, client_ids: set[int]) -> int | None:
        return min(client_ids, key=lambda c: (self.archived[c], c), default=None)


def merge(
    records: Iterable[Contact | BrokenRecord],
    report: ImportReport,
    *,
    overwrite: bool = False,
    writer: ImportWriter | None = None,
    merge_by_email: bool = True,
) -> None:
    """Bring each contact of one file in (see `Merger`); without a `writer`, as a merge
    of its own that no ledger records. Runs inside the caller's transaction."""
    merger = Merger(writer or ImportWriter(recorded=False), overwrite, merge_by_email)
    merger.merge(records, report)
    merger.write_new_clients()


def _without_bad_values(contact: Contact) -> tuple[Contact, list[str]]:
    """The contact without the emails, phone numbers and dates the book would refuse
    (what the parsers could not read is gone already); and, for each value left out,
    what and why. Other text the book refuses (a name holding control characters)
    still refuses the contact: such a record is damaged, not just mistyped."""
    left_out = list(contact.left_out)

    def kept(what: str, value: str, check: Callable[[str], object]) -> bool:
        try:
            check(value)
        except ValidationError as error:
            left_out.append(f"{what} {shorten(value, 80)!r} left out: {error.message}")
            return False
        return True

    changes: dict = {
        "emails": [e for e in contact.emails if kept("email address", e, _check_email)],
        "phones": [p for p in contact.phones if kept("phone number", p, _check_phone)],
        "tags": [book.clean_tag(t) for t in contact.tags if kept("tag", t, book.clean_tag)],
    }
    for attribute, field_key in DATE_ATTRIBUTES.items():
        value = getattr(contact, attribute).strip()
        if value and not kept(attribute, value, partial(_check_answer, field_key)):
            changes[attribute] = ""
    return replace(contact, **changes), left_out


def _check_email(address: str) -> None:
    book.check_contacts([address], [])


def _check_phone(number: str) -> None:
    book.check_contacts([], [number])


def _check_answer(field_key: str, value: str) -> None:
    book.profile_rows(0, {field_key: value}, clock.now_utc())


class Merger:
    """The contacts of an import's files coming in, one file after another.

    A contact that matches no client is checked in full and kept; the new clients are
    then written together, which cannot fail on their data. A contact that matches
    one is merged into it at once, in a savepoint: a refused contact leaves no trace.
    The book's clients are read once for all the files (`_ClientIndex`).
    """

    BATCH = 1000  # new clients written together

    def __init__(self, writer: ImportWriter, overwrite: bool, merge_by_email: bool = True) -> None:
        self.writer = writer
        self.report = ImportReport(Path(""))  # the file's whose contacts come in
        self.overwrite = overwrite
        self.merge_by_email = merge_by_email  # else only a name and company match
        self.index = _ClientIndex.of_book()
        self.seen = _Seen()
        self.new_clients: list[book.NewClientRows] = []

    def merge(self, records: Iterable[Contact | BrokenRecord], report: ImportReport) -> None:
        """Bring each contact of one file in; a broken or refused one is reported and the
        rest go on. An email, phone number or date the book would refuse is left out and
        reported, and the contact comes in without it."""
        self.report = report
        for record in records:
            if isinstance(record, BrokenRecord):
                report.fail(record.record, record.reason)
                continue
            contact, left_out = _without_bad_values(record)
            try:
                self.one(contact)
            except ValidationError as error:
                report.fail(record.record, f"{record.name or 'a contact'}: {error.message}")
                continue
            for reason in left_out:
                report.leave_out(record.record, f"{contact.name}: {reason}")

    def one(self, contact: Contact) -> None:
        client_id, shared_email = self.index.find(contact, by_email=self.merge_by_email)
        if client_id is None:
            self._create(contact)
        else:
            self.write_new_clients()  # the client may be one of them
            self._update(client_id, contact, shared_email)

    def write_new_clients(self) -> None:
        self.writer.add_new_clients(self.new_clients)
        self.new_clients = []

    def _create(self, contact: Contact) -> None:
        new = self._checked_new_client(contact)
        self.writer.next_client_id()  # the id it was checked with is taken
        self.new_clients.append(new)
        client_id = new.client["id"]
        self.index.add_client(
            client_id, (new.client["name_key"], new.client["company_key"]), archived=False
        )
        self.index.add_emails(client_id, [row["address_key"] for row in new.emails])
        self.report.clients_created += 1
        self.report.notes_added += len(new.notes)  # for the import's total
        if len(self.new_clients) >= self.BATCH:
            self.write_new_clients()

    def _checked_new_client(self, contact: Contact) -> book.NewClientRows:
        """The contact as a new client with its profile and note, checked in the order
        writing them one by one would check them (so a contact with several faults is
        refused for the same one)."""
        moment = self.writer.moment
        client_id = self.writer.peek_client_id()
        new = book.new_client_rows(
            client_id,
            contact.name,
            contact.company,
            title=contact.title,
            emails=contact.emails,
            phones=contact.phones,
            owner=self.writer.owner,
            created_at=moment,
        )
        changes, _ = _profile_changes({}, contact, self.overwrite)
        new.profile = book.profile_rows(client_id, changes, moment)
        new.tags = book.tag_rows(client_id, book.clean_tags(contact.tags))
        if note := _note(contact):
            new.notes = [
                book.interaction_row(client_id, Kind.NOTE, summary=note, created_at=moment)
            ]
        return new

    def _update(self, client_id: int, contact: Contact, shared_email: str) -> None:
        """Merge a contact into the client it matched: what it would change is worked out
        from what the merge has seen of the client (no query when it changes nothing, as
        when a file is imported again), then written in a savepoint, all or nothing. A
        contact of another name found by its email is reported as merged, and what the
        merge changed is reported client by client."""
        seen = self.seen
        client = seen.client(client_id)
        if shared_email and book.match_key(contact.name) != client.name_key:
            self.report.merge(contact.record, contact.name, client.name, shared_email)
        answers = seen.answers.get(client_id, {})
        columns = _column_changes(client, answers, contact, self.report, self.overwrite)
        name = columns.get("name", client.name)
        emails, phones = _new_contacts(seen.emails.get(client_id, set()), seen, client_id, contact)
        tags = _new_tags(seen.tags.get(client_id, set()), contact)
        changes, kept = _profile_changes(answers, contact, self.overwrite)
        for what, old, new in kept:
            self.report.differ(contact.record, name, what, old, new)
        note = _note(contact)
        if note:
            note = book.clean_text(note, "the summary")  # as stored: "\r\n" became "\n"
            if note in seen.notes.get(client_id, set()):
                note = ""
        changed = bool(columns or emails or phones or tags or changes or note)
        if changed:
            writer = self.writer
            with writer.savepoint():  # a refused contact leaves no trace, in the ledger neither
                if columns:
                    writer.set_client_columns(client_id, columns)
                if emails or phones:
                    writer.add_contacts(client_id, emails, phones)
                if tags:
                    writer.add_tags(client_id, tags)
                if changes:
                    writer.set_profile(client_id, changes)
                if note:
                    writer.add_note(client_id, note, book.won_dates([client_id]).get(client_id))
            self.report.change(
                contact.record,
                client.name,
                ClientChanges(client, columns, emails, phones, answers, changes, bool(note), tags),
            )
            seen.read(client_id)  # as it is stored now
        if note:
            self.report.notes_added += 1  # for the import's total
        keys = tuple(
            book.match_key(columns[column]) if column in columns else key
            for column, key in (("name", client.name_key), ("company", client.company_key))
        )
        self.index.rename(client_id, (client.name_key, client.company_key), keys)
        # Every email of the contact is the client's now, stored under this same key.
        self.index.add_emails(client_id, [book.match_key(email) for email in contact.emails])
        if changed:
            self.report.clients_updated += 1
        else:
            self.report.clients_unchanged += 1


class _Seen:
    """What a merge compares a contact with, of the clients it matches: their columns,
    emails, phone numbers, tags, the profile answers a contact can fill and the notes
    contacts left. Read client by client for the first few matches, then for every client at
    once (a file imported again matches them all), and read again for a client once a
    contact changed it."""

    ONE_BY_ONE = 20  # matches read client by client before the whole book is read

    def __init__(self) -> None:
        self.clients: dict[int, MatchedClient] = {}
        self.emails: dict[int, set[str]] = {}  # address keys
        self.phones: dict[int, list[str]] = {}  # numbers as stored
        self.tags: dict[int, set[str]] = {}  # tag keys
        self.answers: dict[int, dict] = {}  # as `book.profile_answers`, the merged fields
        self.notes: dict[int, set[str]] = {}  # summaries of the notes contacts left
        self.whole_book = False
        self.matches = 0

    def client(self, client_id: int) -> MatchedClient:
        self.matches += 1
        if not self.whole_book and self.matches > self.ONE_BY_ONE:
            self._read_the_book()
        if client_id not in self.clients:
            self.read(client_id)
        return self.clients[client_id]

    def read(self, client_id: int) -> None:
        """What the merge compares of one client, as stored."""
        self.clients[client_id] = import_matching.matched_client(client_id)
        emails, phones = import_matching.contact_keys(client_id)
        self.emails[client_id], self.phones[client_id] = emails, phones
        self.tags[client_id] = {book.tag_key(tag) for tag in book.tags_of(client_id)}
        answers = book.profile_answers(client_id)
        self.answers[client_id] = {key: answers[key] for key in COMPARED_FIELDS if key in answers}
        self.notes[client_id] = {
            summary for _, summary in import_matching.notes_starting(NOTE_PREFIX, client_id)
        }

    def _read_the_book(self) -> None:
        from cockpit.profile.schema import FIELDS, FieldType

        self.whole_book = True
        fresh: set[int] = set()  # the clients not read one by one before
        for client in import_matching.client_details():
            if client.id not in self.clients:
                fresh.add(client.id)
                self.clients[client.id] = client
                self.emails[client.id], self.phones[client.id] = set(), []
                self.tags[client.id] = set()
                self.answers[client.id], self.notes[client.id] = {}, set()
        for client_id, key in import_matching.email_match_keys():
            if client_id in fresh:
                self.emails[client_id].add(key)
        for client_id, number in import_matching.phone_numbers():
            if client_id in fresh:
                self.phones[client_id].append(number)
        for client_id, keys in book.tag_keys_by_client().items():
            if client_id in fresh:
                self.tags[client_id].update(keys)
        for client_id, key, row_no, column, text in import_matching.profile_values(COMPARED_FIELDS):
            if client_id not in fresh or key not in FIELDS:
                continue
            answers = self.answers[client_id]
            if FIELDS[key].type is FieldType.LIST:
                rows = answers.setdefault(key, [])
                while len(rows) <= row_no:
                    rows.append({})
                rows[row_no][column] = text
            else:
                answers[key] = text
        for client_id, summary in import_matching.notes_starting(NOTE_PREFIX):
            if client_id in fresh:
                self.notes[client_id].add(summary)


def _column_changes(
    client: MatchedClient, answers: dict, contact: Contact, report: ImportReport, overwrite
) -> dict[str, str]:
    """The name, company and title the contact gives the client, checked; the ones it would
    replace are listed in the report instead, unless `overwrite`. An empty company or
    title is left empty when the profile holds the contact's (`PROFILE_COLUMNS`)."""
    columns: dict[str, str] = {}
    for column, label in (("name", "name"), ("company", "company"), ("title", "title")):
        new = getattr(contact, column).strip()
        old = getattr(client, column)
        held = old or str(answers.get(PROFILE_COLUMNS.get(column), ""))
        if not new or book.match_key(new) == book.match_key(held):
            continue
        if old and not overwrite:
            report.differ(contact.record, columns.get("name", client.name), label, old, new)
            continue
        columns[column] = book.clean_line(new, f"the {label}", required=column == "name")
    return columns


def _new_contacts(
    emails: set[str], seen: _Seen, client_id: int, contact: Contact
) -> tuple[list[str], list[str]]:
    """The contact's emails and phone numbers the client does not have yet, in its
    contacts or among the numbers of its profile."""
    emails = set(emails)
    profile_phones = [
        row.get("number", "") for row in seen.answers.get(client_id, {}).get("phones", [])
    ]
    phones = {_phone_key(n) for n in [*seen.phones.get(client_id, []), *profile_phones] if n}
    new_emails = []
    for email in contact.emails:  # each once by its key: a full-width letter is the letter
        if book.match_key(email) not in emails:
            emails.add(book.match_key(email))
            new_emails.append(email)
    new_phones = [p for p in dict.fromkeys(contact.phones) if _phone_key(p) not in phones]
    return new_emails, new_phones


def _new_tags(held: set[str], contact: Contact) -> list[str]:
    """The contact's tags (checked already) the client does not have, by key."""
    return [tag for tag in book.clean_tags(contact.tags) if book.tag_key(tag) not in held]


def _profile_changes(
    answers: dict, contact: Contact, overwrite: bool
) -> tuple[dict, list[tuple[str, str, str]]]:
    """The profile fields the contact fills or adds to, and the (what, kept, offered)
    values it would have replaced."""
    changes: dict = {}
    kept = []
    for attribute, field_key in PROFILE_FIELDS.items():
        new = getattr(contact, attribute).strip()
        old = answers.get(field_key, "")
        if not new or (old and _same(field_key, old, new)):
            continue
        if old and not overwrite:
            kept.append((field_key.replace("_", " "), old, new))
            continue
        changes[field_key] = new
    if hobbies := _more_hobbies(answers.get("hobbies", []), contact):
        changes["hobbies"] = hobbies
    if children := _more_children(answers.get("children", []), contact):
        changes["children"] = children
    return changes, kept


def _more_hobbies(hobbies: list[dict], contact: Contact) -> list[dict] | None:
    """The hobbies with the contact's new ones added; None when it brings none."""
    known = {book.match_key(row.get("value", "")) for row in hobbies}
    added = [{"value": h} for h in contact.hobbies if h.strip() and book.match_key(h) not in known]
    return list(hobbies) + added if added else None


def _more_children(known: list[dict], contact: Contact) -> list[dict] | None:
    """The children with the contact's new ones and birthdays added; None when it brings none."""
    children = [dict(row) for row in known]
    by_name = {book.match_key(row.get("name", "")): row for row in children}
    grew = False
    for child in contact.children:
        row = by_name.get(book.match_key(child.name))
        if row is None:
            row = {"name": child.name.strip()}
            children.append(row)
            by_name[book.match_key(child.name)] = row
            grew = True
        if child.birthday and not row.get("birthday"):
            row["birthday"] = child.birthday
            grew = True
    return children if grew else None


def _note(contact: Contact) -> str:
    """The summary of the internal note the contact's note becomes; "" when it has none."""
    text = contact.note.strip()
    return f"{NOTE_PREFIX}{text}" if text else ""

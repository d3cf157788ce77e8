"""Bringing address-book contacts into the book without losing what is there.

A contact is matched to a client by any of its emails, then by name and
company (case and spacing ignored); else it becomes a new client. A match
gets its empty fields filled and new emails and phones added; a field that
already holds something else is left as it is and the difference listed,
unless `overwrite`. The contact's note becomes an internal note on the
timeline, once. Importing the same file again therefore changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.importers.contact import BrokenRecord, Contact
from cockpit.importers.report import ImportReport
from cockpit.partial_date import PartialDate
from cockpit.storage import book
from cockpit.storage.models import Client, ClientEmail, ClientPhone, Interaction, database_proxy
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


def _phone_key(number: str) -> str:
    digits = re.sub(r"[^\d+]", "", number)
    return digits or number.casefold()


def _same(field_key: str, old: str, new: str) -> bool:
    if field_key in DATE_FIELDS:
        try:
            return PartialDate.parse(old) == PartialDate.parse(new)
        except ValidationError:
            return False
    return book.match_key(old) == book.match_key(new)


def _find(contact: Contact) -> Client | None:
    keys = [book.match_key(email) for email in contact.emails]
    if keys:
        found = (
            Client.select()
            .join(ClientEmail, on=ClientEmail.client == Client.id)
            .where(ClientEmail.address_key.in_(keys))
            .order_by(Client.archived, Client.id)
            .first()
        )
        if found is not None:
            return found
    return (
        Client.select()
        .where(
            (Client.name_key == book.match_key(contact.name))
            & (Client.company_key == book.match_key(contact.company))
        )
        .order_by(Client.archived, Client.id)
        .first()
    )


def merge(
    records: Iterable[Contact | BrokenRecord], report: ImportReport, *, overwrite: bool = False
) -> None:
    """Bring each contact in; a broken or refused one is reported and the rest go on.
    Runs inside the caller's transaction."""
    for record in records:
        if isinstance(record, BrokenRecord):
            report.fail(record.record, record.reason)
            continue
        try:
            with database_proxy.atomic():  # a savepoint: a refused contact leaves no trace
                _merge_one(record, report, overwrite)
        except ValidationError as error:
            report.fail(record.record, f"{record.name or 'a contact'}: {error.message}")


def _merge_one(contact: Contact, report: ImportReport, overwrite: bool) -> None:
    client = _find(contact)
    if client is None:
        client = book.add_client(
            contact.name,
            contact.company,
            title=contact.title,
            emails=contact.emails,
            phones=contact.phones,
        )
        _merge_profile(client, contact, report, overwrite)
        _add_note(client, contact)
        report.clients_created += 1
        return
    changed = _merge_columns(client, contact, report, overwrite)
    changed |= _merge_contacts(client, contact)
    changed |= _merge_profile(client, contact, report, overwrite)
    changed |= _add_note(client, contact)
    if changed:
        report.clients_updated += 1
    else:
        report.clients_unchanged += 1


def _merge_columns(client: Client, contact: Contact, report: ImportReport, overwrite) -> bool:
    changed = False
    for column, label in (("name", "name"), ("company", "company"), ("title", "title")):
        new = getattr(contact, column).strip()
        old = getattr(client, column)
        if not new or book.match_key(new) == book.match_key(old):
            continue
        if old and not overwrite:
            report.differ(contact.record, client.name, label, old, new)
            continue
        setattr(client, column, book.clean_line(new, f"the {label}", required=column == "name"))
        if column in ("name", "company"):
            setattr(client, f"{column}_key", book.match_key(getattr(client, column)))
        changed = True
    if changed:
        client.updated_at = clock.now_utc()
        client.save()
    return changed


def _merge_contacts(client: Client, contact: Contact) -> bool:
    emails = {e.address_key for e in ClientEmail.select().where(ClientEmail.client == client.id)}
    phones = {
        _phone_key(p.number) for p in ClientPhone.select().where(ClientPhone.client == client.id)
    }
    new_emails = [e for e in dict.fromkeys(contact.emails) if book.match_key(e) not in emails]
    new_phones = [p for p in dict.fromkeys(contact.phones) if _phone_key(p) not in phones]
    if not new_emails and not new_phones:
        return False
    book.add_contacts(client.id, new_emails, new_phones)
    return True


def _merge_profile(client: Client, contact: Contact, report: ImportReport, overwrite) -> bool:
    answers = book.profile_answers(client.id)
    changes: dict = {}
    for attribute, field_key in PROFILE_FIELDS.items():
        new = getattr(contact, attribute).strip()
        old = answers.get(field_key, "")
        if not new or (old and _same(field_key, old, new)):
            continue
        if old and not overwrite:
            report.differ(contact.record, client.name, field_key.replace("_", " "), old, new)
            continue
        changes[field_key] = new
    hobbies = list(answers.get("hobbies", []))
    known = {book.match_key(row.get("value", "")) for row in hobbies}
    added = [{"value": h} for h in contact.hobbies if h.strip() and book.match_key(h) not in known]
    if added:
        changes["hobbies"] = hobbies + added
    children = [dict(row) for row in answers.get("children", [])]
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
    if grew:
        changes["children"] = children
    if changes:
        book.set_profile(client.id, changes)
    return bool(changes)


def _add_note(client: Client, contact: Contact) -> bool:
    """The contact's note as an internal note on the timeline, unless it is there already."""
    text = contact.note.strip()
    if not text:
        return False
    summary = f"From the address book: {text}"
    exists = (
        Interaction.select()
        .where(
            (Interaction.client == client.id)
            & (Interaction.kind == Kind.NOTE.value)
            & (Interaction.summary == summary)
        )
        .exists()
    )
    if exists:
        return False
    book.add_interaction(client.id, Kind.NOTE, summary=summary)
    return True

"""The address book export (vCard 3.0, written by vobject).

One card per client: name, company, title, the roles at their account (ROLE, for people
to read: an import leaves roles as Cockpit has them), its tags (CATEGORIES, which an
import reads back), emails, phones, and from the
Mackay 66 profile the nickname, the company and home addresses, the phone
numbers noted there, the birthday (`--MM-DD` when the year is unknown), the
wedding anniversary (X-ANNIVERSARY, as Evolution and KAddressBook write it),
the children (X-CHILD, with an X-BIRTHDAY parameter when known) and the
interests (X-HOBBY), vCard 3.0 having no property for either, and a NOTE
naming them for people to read (`card_note`), which an import knows again.
Sensitive profile answers are never written: every profile field used is
checked against the schema, and the partner's name, being sensitive, stays out.
Each card's UID (`client-<id>@cockpit`) lets an address book update the
contact when a later export is imported. A date stored outside the range
Cockpit keeps (`cockpit.date_limits`, before it checked) loses its year, or
for the card's revision is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import vobject

from cockpit import __version__
from cockpit.card_note import card_note_lines
from cockpit.date_limits import KEPT_DATES, is_kept, stored_moment
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.schema import FIELDS
from cockpit.storage import export_rows
from cockpit.storage.export_rows import CardClient
from cockpit.vocabulary import roles_in_words

PRODID = f"-//Cockpit//Cockpit {__version__}//EN"
# The profile fields a card carries; each is left out if the schema marks it sensitive.
PROFILE_FIELDS = (
    "nickname",
    "job_title",
    "company_name",
    "company_address",
    "home_address",
    "phones",
    "birth_date",
    "wedding_anniversary",
    "children",
    "hobbies",
)
# Labels (as typed in Cockpit) that have a vCard TYPE of their own.
EMAIL_TYPES = {"work": "WORK", "office": "WORK", "business": "WORK", "home": "HOME"}
PHONE_TYPES = {
    **EMAIL_TYPES,
    "private": "HOME",
    "mobile": "CELL",
    "cell": "CELL",
    "cellphone": "CELL",
    "fax": "FAX",
    "pager": "PAGER",
}


@dataclass(frozen=True)
class VcardExport:
    data: bytes
    cards: int
    years_dropped: int = 0  # birthdays and anniversaries written without their year

    def warnings(self) -> list[str]:
        if not self.years_dropped:
            return []
        return [
            f"{self.years_dropped} birthdays and anniversaries are written without their "
            f"year, which is outside the dates Cockpit keeps ({KEPT_DATES})"
        ]


def card_uid(client_id: int) -> str:
    return f"client-{client_id}@cockpit"


def _exported_fields() -> list[str]:
    return [key for key in PROFILE_FIELDS if not FIELDS[key].sensitive]


def _profiles(client_ids: list[int]) -> dict[int, dict[str, object]]:
    """Per client, the exported profile answers: text, or rows of column -> text."""
    found: dict[int, dict[str, object]] = {}
    for client_id, field_key, row_no, column_key, text in export_rows.profile_cells(
        _exported_fields(), client_ids
    ):
        answers = found.setdefault(client_id, {})
        if column_key:
            rows = answers.setdefault(field_key, {})
            rows.setdefault(row_no, {})[column_key] = text
        else:
            answers[field_key] = text
    return found


def _date(text: str) -> tuple[str | None, bool]:
    """A profile date as vCard writes it: YYYY-MM-DD, or --MM-DD without the year; and
    whether its year was dropped (outside the dates Cockpit keeps)."""
    try:
        when = PartialDate.parse(text)
    except ValidationError:
        return None, False
    if when.year is not None and not is_kept(date(when.year, when.month, when.day)):
        return PartialDate(None, when.month, when.day).iso(), True
    return when.iso(), False


def _type(label: str, known: dict[str, str]) -> str | None:
    return known.get(label.strip().casefold())


def _digits(number: str) -> str:
    """What tells two ways of writing a number apart: its digits (else the text)."""
    return re.sub(r"\D", "", number) or number


def _name(card, full_name: str) -> None:
    parts = full_name.split()
    given, family = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (full_name, "")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = full_name


def _rows(answers: dict[str, object], key: str) -> list[dict[str, str]]:
    rows = answers.get(key)
    return [rows[row_no] for row_no in sorted(rows)] if isinstance(rows, dict) else []


def _children(answers: dict[str, object]) -> list[tuple[str, str]]:
    """The children as (name, birthday as the card writes it), each with one or the other."""
    children = []
    for row in _rows(answers, "children"):
        birthday, _year_dropped = _date(row.get("birthday", ""))
        child = (row.get("name", "").strip(), birthday or "")
        if any(child):
            children.append(child)
    return children


def _interests(answers: dict[str, object]) -> list[str]:
    return [row["value"].strip() for row in _rows(answers, "hobbies") if row.get("value")]


def _card(client: CardClient, answers: dict[str, object], dropped: list[str]) -> str:
    fields = client.fields
    card = vobject.vCard()
    card.add("prodid").value = PRODID
    card.add("uid").value = card_uid(client.id)
    _name(card, fields.name)
    company = fields.company or str(answers.get("company_name", "")).strip()
    if company:
        card.add("org").value = [company]
    title = fields.title or str(answers.get("job_title", "")).strip()
    if title:
        card.add("title").value = title
    role = roles_in_words(client.roles, client.role_note)
    if role:
        card.add("role").value = role
    if fields.tags:
        card.add("categories").value = list(fields.tags)
    if answers.get("nickname"):
        card.add("nickname").value = str(answers["nickname"]).strip()
    for address, label in zip(fields.emails, client.email_labels, strict=True):
        line = card.add("email")
        line.value = address
        line.type_param = ["INTERNET", *filter(None, [_type(label, EMAIL_TYPES)])]
    numbers = list(zip(fields.phones, client.phone_labels, strict=True))
    seen = {_digits(number) for number, _ in numbers}
    for row in _rows(answers, "phones"):
        number = row.get("number", "").strip()
        if number and _digits(number) not in seen:
            seen.add(_digits(number))
            numbers.append((number, row.get("label", "")))
    for number, label in numbers:
        line = card.add("tel")
        line.value = number
        kind = _type(label, PHONE_TYPES)
        if kind:
            line.type_param = kind
    for key, kind in (("company_address", "WORK"), ("home_address", "HOME")):
        text = str(answers.get(key, "")).strip()
        if text:
            line = card.add("adr")
            line.value = vobject.vcard.Address(street=text)
            line.type_param = kind
    for key, name in (("birth_date", "bday"), ("wedding_anniversary", "x-anniversary")):
        when, year_dropped = _date(str(answers.get(key, "")))
        if year_dropped:
            dropped.append(fields.name)
        if when:
            card.add(name).value = when
    children, interests = _children(answers), _interests(answers)
    for name, birthday in children:  # extensions: vCard 3.0 has no property for either
        line = card.add("x-child")
        line.value = name
        if birthday:
            line.params["X-BIRTHDAY"] = [birthday]
    for interest in interests:
        card.add("x-hobby").value = interest
    note = "\n".join(card_note_lines(children, interests))
    if note:
        card.add("note").value = note
    updated_at = stored_moment(client.updated_at)
    if updated_at is not None:
        card.add("rev").value = updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return card.serialize()


def export_vcards(*, include_archived: bool = False) -> VcardExport:
    """Every client's card (archived ones only when asked), as the bytes of a .vcf file."""
    clients = export_rows.card_clients(include_archived=include_archived)
    profiles = _profiles([client.id for client in clients])
    dropped: list[str] = []
    cards = [_card(client, profiles.get(client.id, {}), dropped) for client in clients]
    return VcardExport("".join(cards).encode("utf-8"), len(cards), len(dropped))

"""Prospects made of addresses that matched nobody, in the import that asks for them
(`--add-prospect`, the import screen's offer), before its calendars and mail are matched,
so their meetings and messages come in with them.

A prospect is named as it was asked for (`Name <address>`, the name a calendar or a
message gave it), else as a calendar of the import names it, else after the address's
local part ("ann.lee@x" is Ann Lee); it belongs to the account its domain is at. An
address already a client's, or one of yours, is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from cockpit.importers.correspondents import (
    AddressBook,
    Me,
    address_key,
    checked_addresses,
    domain_of,
)
from cockpit.importers.report import ImportReport
from cockpit.storage import book, import_matching
from cockpit.storage.import_ledger import ImportWriter
from cockpit.storage.import_matching import Correspondent
from cockpit.vocabulary import Lifecycle

LONGEST_NAME = 200


@dataclass(frozen=True)
class AskedProspect:
    address: str
    name: str = ""  # as the calendar or the message named them; "" when not known

    @classmethod
    def parsed(cls, text: str, where: str) -> AskedProspect:
        """`ann@acme.example` or `Ann Lee <ann@acme.example>`; a bad address is refused
        (ValidationError) naming `where` it came from."""
        name, address = parseaddr(text.strip()) if "<" in text else ("", text.strip())
        (checked,) = checked_addresses([address or text], where)
        return cls(checked, name.strip())


@dataclass
class MadeProspects:
    names: list[str] = field(default_factory=list)  # in the order asked
    ids: set[int] = field(default_factory=set)


def make_prospects(
    writer: ImportWriter,
    asked: Iterable[AskedProspect],
    me: Me,
    names_met: Mapping[str, str],
    credited: Callable[[str], ImportReport | None],
) -> MadeProspects:
    """New clients, prospects, for the addresses asked for. `names_met` gives the name a
    calendar met an address with (by `address_key`); `credited` the file each new client
    is counted in."""
    people = AddressBook()
    companies = import_matching.companies_by_domain()
    made = MadeProspects()
    batch = []
    seen: set[str] = set()
    for prospect in asked:
        key = address_key(prospect.address)
        if key in seen or people.clients(prospect.address) or me.is_me(prospect.address):
            continue
        seen.add(key)
        name = name_for(prospect.name or names_met.get(key, ""), prospect.address)
        new = book.new_client_rows(
            writer.peek_client_id(),
            name,
            companies.get(domain_of(prospect.address), ""),
            title="",
            emails=[prospect.address],
            phones=[],
            owner=writer.owner,
            created_at=writer.moment,
        )
        new.client["lifecycle"] = Lifecycle.PROSPECT.value
        client_id = writer.next_client_id()
        batch.append(new)
        people.add(
            prospect.address,
            Correspondent(client_id, name, new.client["company"], writer.owner, None),
        )
        made.names.append(name)
        made.ids.add(client_id)
        report = credited(key)
        if report is not None:
            report.clients_created += 1
            report.created_without_deal += 1
    writer.add_new_clients(batch)
    return made


def name_for(name: str, address: str) -> str:
    """A prospect's name: the one met with the address, else its local part in words
    ("ann.lee@x" is Ann Lee)."""
    cleaned = " ".join(name.replace('"', " ").split())
    if cleaned and "@" not in cleaned:
        return cleaned[:LONGEST_NAME]
    local = address.strip().partition("@")[0]
    words = [word for word in local.replace("_", ".").replace("-", ".").split(".") if word]
    spelled = " ".join(word[:1].upper() + word[1:] for word in words)
    return spelled[:LONGEST_NAME] or address.strip()

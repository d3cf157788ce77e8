"""Address books of other people than the bench book's, for the vCard import figures: one
file of many cards, and a vdir (a folder of one-card files, as vdirsyncer keeps them)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from cockpit import clock
from cockpit.bench.people import (
    COMPANY_KINDS,
    FIRST_NAMES,
    LAST_NAMES,
    SEED,
    ascii_name,
    choose_companies,
)
from cockpit.bench.rows import partial_date
from cockpit.demo.words import SPOUSES, TITLES


def write_vcards(path: Path, count: int, *, today: date | None = None, seed: int = SEED + 1) -> int:
    """An address book of `count` vCard 3.0 cards (other people than the book's);
    returns its size in bytes."""
    data = ("\r\n".join(_cards(count, today or clock.today(), seed)) + "\r\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)


def write_vdir(folder: Path, count: int, *, today: date | None = None, seed: int = SEED + 2) -> int:
    """A vdir of `count` one-card files in `folder`/contacts; returns their size in bytes."""
    collection = folder / "contacts"
    collection.mkdir(parents=True, exist_ok=True)
    size = 0
    for index, card in enumerate(_cards(count, today or clock.today(), seed)):
        data = (card + "\r\n").encode("utf-8")
        (collection / f"{index:06d}.vcf").write_bytes(data)
        size += len(data)
    return size


def _cards(count: int, today: date, seed: int) -> list[str]:
    rng = random.Random(seed)
    companies = choose_companies(rng, max(12, count // 5))
    cards = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company, domain = rng.choice(companies)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{last};{first};;;",
            f"FN:{first} {last}",
            f"ORG:{company}",
            f"TITLE:{rng.choice(TITLES)}",
            f"EMAIL;TYPE=INTERNET,WORK:{ascii_name(first)}.{ascii_name(last)}.{index}@{domain}",
        ]
        if rng.random() < 0.7:
            lines.append(f"TEL;TYPE=CELL:+44 7700 {index:06d}")
        if rng.random() < 0.4:
            lines.append(f"BDAY:{partial_date(rng, today, rng.random() < 0.6, (25, 65))}")
        if rng.random() < 0.2:
            lines.append(f"X-SPOUSE:{rng.choice(SPOUSES)}")
        if rng.random() < 0.15:
            lines.append(f"NOTE:Met at the {rng.choice(COMPANY_KINDS).lower()} fair.")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return cards

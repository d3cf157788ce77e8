"""A touch history in the interchange CSV that `cockpit import` reads, for the history
import figure: other people than the bench book's, their touches and won deals, made as
the bench's book makes them, in the columns `cockpit export csv` writes."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from cockpit import clock
from cockpit.bench.people import SEED, plan_people
from cockpit.bench.rows import Touches, deal_rows

COLUMNS = ("client", "company", "date", "kind", "intent", "duration_min", "amount", "note")
ROWS_A_CLIENT = 28  # 25 touches and 3 deals, as the bench's book


def write_history(path: Path, rows: int, *, today: date | None = None, seed: int = SEED + 3) -> int:
    """A history of about `rows` rows (touches and deals of rows / 28 clients); returns
    how many it holds."""
    today = today or clock.today()
    rng = random.Random(seed)
    clients = max(1, rows // ROWS_A_CLIENT)
    people = plan_people(rng, clients, rows - 3 * clients, today)
    touches = Touches(rng, today)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        out = csv.writer(file)
        out.writerow(COLUMNS)
        for person in people:
            who = (person.name, person.company)
            for touch in touches.of(person, 0):
                moment = touch["occurred_at"].isoformat(timespec="seconds") + "+00:00"
                kind, intent, minutes = touch["kind"], touch["intent"], touch["duration_min"]
                out.writerow((*who, moment, kind, intent, minutes, "", touch["summary"]))
                written += 1
            if person.won is not None:
                for deal in deal_rows(rng, person, 0, today):
                    amount = f"{deal['amount_cents'] / 100:.2f}"
                    won_on, what = deal["won_on"].isoformat(), deal["description"]
                    out.writerow((*who, won_on, "deal", "", "", amount, what))
                    written += 1
    return written

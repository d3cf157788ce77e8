"""Relationship health: honeymoon drift, core vs peripheral, give vs ask.

For every client, as of a given day (touches after it are ignored), this
package says whether the relationship is in its honeymoon, steady or
drifting, which tier the client is in by revenue and time, whether the user
gives more than they ask, and whether a referral ask is due, each with the
numbers behind it and one line of plain words. README ("How Cockpit judges
a relationship") states the rules; the thresholds are `HealthSettings`.

- `verdict`: `ClientHealth` (and `Health`, `Stake`, `Tier`), its explanations and its field
  list `FIELDS`, and the order of those needing attention;
- `judge`: the rules applied to one client's figures;
- `tiers`: the book-wide 80/20 split;
- `engine`: `compute`, every client's verdict from the figures that
  `storage.health_facts` reads in a handful of set-based queries.

`health.compute` is looked up here at call time (`health_cache`, the commands), so a
test may replace it on this package.
"""

from cockpit.health.engine import compute
from cockpit.health.verdict import (
    FIELDS,
    ClientHealth,
    Health,
    Stake,
    Tier,
    attention_order,
    needing_attention,
    value_type,
)

__all__ = [
    "FIELDS",
    "ClientHealth",
    "Health",
    "Stake",
    "Tier",
    "attention_order",
    "compute",
    "needing_attention",
    "value_type",
]

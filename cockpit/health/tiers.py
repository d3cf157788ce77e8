"""The book-wide 80/20 split: the core clients that bring most of the revenue, and the
peripheral ones that take much of the time for little of it."""

from __future__ import annotations

import math
from itertools import accumulate, compress, repeat

from cockpit.config import HealthSettings
from cockpit.health.verdict import Tier


def tiers(
    revenue: dict[int, int],
    minutes: dict[int, int],
    rules: HealthSettings,
    weighed: set[int],
) -> tuple[dict[int, Tier], int, int]:
    """Core and peripheral clients, among the won ones (neither former nor archived) with
    revenue or time: a prospect is never either, whatever its lifecycle says.

    Returns the tiers of the clients that have one besides "other", and the
    revenue (cents) and minutes of all counted clients.
    """
    # Set operations and whole-list steps, not a walk over every row: the order does not
    # matter below (ties are all core; the rest is medians and ranks).
    counted = list((revenue.keys() | minutes.keys()) & weighed)
    cents_of_each = list(map(revenue.get, counted, repeat(0)))
    minutes_of_each = list(map(minutes.get, counted, repeat(0)))
    total_revenue = sum(cents_of_each)
    total_minutes = sum(minutes_of_each)
    found: dict[int, Tier] = {}
    by_size = sorted(cents_of_each, reverse=True)
    if total_revenue > 0:
        # A client is core while the revenue before it is under the cut, so the one that
        # crosses it is core too, and so is any client tied with it: every client with at
        # least the crossing client's revenue.
        cut = rules.core_share * total_revenue
        crossing = None
        for before, cents in zip(accumulate(by_size, initial=0), by_size, strict=False):
            if cents <= 0 or before >= cut:
                break
            crossing = cents
        if crossing is not None:
            found = dict.fromkeys(
                compress(counted, [cents >= crossing for cents in cents_of_each]), Tier.CORE
            )
    if total_revenue == 0 or total_minutes == 0:
        # Without revenue (or logged time) in the window there is nothing to weigh.
        return found, total_revenue, total_minutes

    # A client's share of the time over its share of the revenue.
    scale = total_revenue / total_minutes
    intensities = [
        scale * spent / cents if cents > 0 else (math.inf if spent > 0 else 0.0)
        for cents, spent in zip(cents_of_each, minutes_of_each, strict=True)
    ]
    median_revenue = _median(by_size)  # the same whichever way it is sorted
    if len(counted) < rules.small_book:
        threshold = rules.small_book_intensity
    else:
        threshold = _nearest_rank(sorted(intensities), 0.75)
    for client_id, cents, value in zip(counted, cents_of_each, intensities, strict=True):
        if cents <= median_revenue and value > 0 and value >= threshold and client_id not in found:
            found[client_id] = Tier.PERIPHERAL
    return found, total_revenue, total_minutes


def _nearest_rank(sorted_values: list[float], fraction: float) -> float:
    """The value at a fraction of a sorted list, by nearest rank (no interpolation)."""
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


def _median(sorted_values: list[float]) -> float:
    middle = len(sorted_values) // 2
    if len(sorted_values) % 2:
        return sorted_values[middle]
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2

"""The book-wide 80/20 split: the core clients that bring most of the revenue, and the
peripheral ones that take much of the time for little of it."""

from __future__ import annotations

import math
from operator import itemgetter

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
    # Set operations, not a walk over every row: the order does not matter below (ties
    # are all core; the rest is medians and ranks).
    counted = [
        (client_id, revenue.get(client_id, 0), minutes.get(client_id, 0))
        for client_id in (revenue.keys() | minutes.keys()) & weighed
    ]
    cents_of_each = [cents for _, cents, _ in counted]
    total_revenue = sum(cents_of_each)
    total_minutes = sum(minutes for _, _, minutes in counted)
    found: dict[int, Tier] = {}
    if total_revenue > 0:
        cut = rules.core_share * total_revenue
        before = 0
        crossing = None
        for client_id, cents, _ in sorted(counted, key=itemgetter(1), reverse=True):
            # A client is core while the revenue before it is under the cut, so the
            # one that crosses it is core too, and so is any client tied with it.
            if cents <= 0 or not (before < cut or cents == crossing):
                break
            found[client_id] = Tier.CORE
            crossing = cents
            before += cents
    if total_revenue == 0 or total_minutes == 0:
        # Without revenue (or logged time) in the window there is nothing to weigh.
        return found, total_revenue, total_minutes

    # A client's share of the time over its share of the revenue.
    scale = total_revenue / total_minutes
    intensities = {
        client_id: scale * minutes / cents if cents > 0 else (math.inf if minutes > 0 else 0.0)
        for client_id, cents, minutes in counted
    }
    median_revenue = _median(sorted(cents_of_each))
    if len(counted) < rules.small_book:
        threshold = rules.small_book_intensity
    else:
        threshold = _nearest_rank(sorted(intensities.values()), 0.75)
    for client_id, cents, _ in counted:
        value = intensities[client_id]
        if client_id not in found and cents <= median_revenue and value > 0 and value >= threshold:
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

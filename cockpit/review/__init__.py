"""The weekly review: its agenda (`agenda`: what needs attention this week, built from the
verdicts and the book) and how a review is kept (`keeping`: begun, resumed, each item's
choice and what it changes, finished)."""

from cockpit.review.agenda import (  # noqa: F401
    CLIENT_PARTS,
    WEEK_DAYS,
    Agenda,
    AgendaItem,
    build_agenda,
)

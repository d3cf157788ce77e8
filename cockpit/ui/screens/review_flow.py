"""The flow of the weekly review: begun or resumed in a worker, then its screen; a
finished week's review asks whether to begin a new one."""

from __future__ import annotations

from datetime import date

from cockpit import clock
from cockpit.review import build_agenda
from cockpit.review import keeping as reviews
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.widgets.agenda_list import summary_text
from cockpit.ui.widgets.client_list import ClientList


def weekly_review(main, again: bool = False) -> None:
    """Open this week's review over the cockpit's main screen `main` (a new one `again`)."""
    if main.app.database is None or main.opening_review:
        return  # the book is still opening, or the review is
    today = clock.today()
    main.opening_review = True

    def failed() -> None:
        main.opening_review = False

    team = main.team_view

    def agenda(as_of: date):  # yours, or the team's, its drifting high stakes by rep
        from cockpit.storage import book

        return build_agenda(as_of, None if team else book.my_reps())

    main.app.read_then_open(
        lambda: reviews.open_review(today, agenda, again=again),
        lambda review: _show_review(main, review, today),
        failed=failed,
    )


def _show_review(main, review: reviews.OpenReview, today: date) -> None:
    main.opening_review = False
    app = main.app
    if review.finished:
        question = (
            f"This week's review is finished. {summary_text(review.summary)}\n\nBegin a new one?"
        )

        def answered(choice: str | None) -> None:
            if choice == "again":
                weekly_review(main, again=True)

        app.push_screen(Confirm(question, [("again", "Begin a new review")]), answered)
        return
    app.book_changed = False

    def closed(_) -> None:
        if app.book_changed:
            selected = main.query_one(ClientList).selected
            main.load_book(selected.id if selected else None)

    app.push_screen(ReviewScreen(review, today), closed)

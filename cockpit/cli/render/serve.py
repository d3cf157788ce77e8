"""What `cockpit serve` prints: where to open the cockpit and the calendar, and warnings."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.text import printable


def serving(book: str, pages: Sequence[str], calendars: Sequence[str], *, with_token: bool) -> str:
    """The addresses to open (the first of each list from another device, when there are
    two; the second on this machine)."""
    lines = [printable(f"Cockpit in a browser, on the book {book}:")]
    lines += _addresses(pages)
    lines.append("The calendar, for a phone or a calendar program to subscribe to:")
    lines += _addresses(calendars)
    if with_token:
        lines.append(
            "Whoever has the first address can read and change the book: keep it to yourself "
            "(the calendar's address opens the calendar only)."
        )
    lines.append("Ctrl+C stops the server.")
    return "\n".join(lines)


def _addresses(urls: Sequence[str]) -> list[str]:
    if len(urls) == 1:
        return [f"  {printable(urls[0])}"]
    elsewhere, here = urls
    return [f"  {printable(elsewhere)}", f"  {printable(here)}  (on this machine)"]


def no_token(host: str, port: int, *, loopback: bool) -> str:
    if loopback:
        reach = "every user and program on this machine"
    else:
        reach = printable(f"anyone who can reach {host} at port {port}")
    return (
        f"cockpit serve: warning: no token (--no-auth): {reach} can open the cockpit "
        "and change the book."
    )


def stopped() -> str:
    return "Cockpit's server stopped."

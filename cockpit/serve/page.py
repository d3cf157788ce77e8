"""The page a browser opens: Cockpit's own template in place of textual-serve's, which
fetches its font from another host. It links only this server's files (textual-serve's
script, style sheet and font, and `static/page.*`), by addresses relative to the page."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

TEMPLATES = Path(__file__).parent / "templates"
PAGE_FILES = Path(__file__).parent / "static"
FONT_SIZES = range(6, 73)  # what `?fontsize=` may ask for, in pixels
DEFAULT_FONT_SIZE = 16


def font_size(text: str | None) -> int:
    try:
        size = int(text or "")
    except ValueError:
        return DEFAULT_FONT_SIZE
    return size if size in FONT_SIZES else DEFAULT_FONT_SIZE


def page(request: web.Request, book_name: str) -> web.Response:
    """The page; `?fontsize=N` sets the terminal's font size."""
    context = {
        "title": f"Cockpit · {book_name}",
        "book": book_name,
        "font_size": font_size(request.query.get("fontsize")),
    }
    response = aiohttp_jinja2.render_template("index.html", request, context)
    response.headers["Cache-Control"] = "no-store"
    return response

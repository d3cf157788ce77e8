"""Who may use a served cockpit.

Unless the server was started with --no-auth, every route asks for its token: in the
address (`?token=`: the page then trades it for a cookie and drops it from the address
bar), or in that cookie, which the browser sends with the page's files, its websocket and
its downloads. The cookie is HttpOnly and SameSite=Strict: another site cannot send it.
The calendar has a key of its own, made from the token, in its path: whoever holds the
calendar's address (a phone, or the service that fetches calendars for it) can read the
calendar and nothing else. A websocket is accepted only from the page itself (its Origin
is this server), so another site open in the same browser cannot drive the cockpit; and
without a token, on a loopback address, only requests addressed to that address are
answered, so a web page cannot reach the server under a name of its own (DNS rebinding).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from aiohttp import web

TOKEN_VARIABLE = "COCKPIT_SERVE_TOKEN"  # a token given without showing it in the process list
SHORTEST_TOKEN = 16
TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~")  # as is in a URL
# The routes the guard tells apart, by name.
PAGE = "page"
SESSION = "session"
CALENDAR = "calendar"  # the calendar's own address, with its key in the path

REFUSED = (
    "Forbidden: this address needs the token that 'cockpit serve' printed; "
    "open the whole address it printed.\n"
)
# The page loads nothing from another host, runs no inline script, and cannot be framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_problem(token: str) -> str | None:
    """What is wrong with a token the user chose, or None."""
    if len(token) < SHORTEST_TOKEN:
        return f"a token has at least {SHORTEST_TOKEN} characters ({len(token)} given)"
    if not set(token) <= TOKEN_CHARACTERS:
        return "a token is made of letters, digits and - . _ ~ only (it goes in an address)"
    return None


def _same(given: str | None, expected: str | None) -> bool:
    """Whether `given` is `expected`, in a time that does not tell how much of it matched."""
    if given is None or expected is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class Access:
    """The server's token (None with --no-auth), its port (the cookie's name carries it:
    a browser sends a host's cookies to every port, and two servers on one machine must
    not take each other's), and the Host headers it answers (empty: any)."""

    token: str | None
    port: int
    hosts: frozenset[str] = frozenset()

    @property
    def cookie(self) -> str:
        return f"cockpit-token-{self.port}"

    @property
    def calendar_key(self) -> str | None:
        """The calendar's key: the same as long as the token is, and no way back to it."""
        if self.token is None:
            return None
        digest = hmac.new(self.token.encode(), b"cockpit serve: the calendar", hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def guard(access: Access) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """The middleware every request goes through before its route's handler."""

    @web.middleware
    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        if access.hosts and request.host.lower() not in access.hosts:
            return refused("Forbidden: this server answers only at the address it printed.\n")
        route = request.match_info.route.name
        if route == SESSION and not _from_this_server(request):
            return refused("Forbidden: a session is opened from this server's own page.\n")
        if access.token is None:
            return await handler(request)
        if route == CALENDAR:
            if _same(request.match_info.get("key"), access.calendar_key):
                return await handler(request)
            return refused(REFUSED)
        given = request.query.get("token")
        if given is None:
            if _same(request.cookies.get(access.cookie), access.token):
                return await handler(request)
            return refused(REFUSED)
        if not _same(given, access.token):
            return refused(REFUSED)
        if route != PAGE:
            return await handler(request)
        # The page: the token becomes a cookie, and leaves the address bar.
        redirect = web.Response(status=303, headers={"Location": _without_token(request)})
        redirect.set_cookie(
            access.cookie,
            access.token,
            httponly=True,
            samesite="Strict",
            secure=_over_https(request),
            path="/",
        )
        return redirect

    return guarded


def refused(text: str) -> web.Response:
    return web.Response(status=403, text=text, headers={"Cache-Control": "no-store"})


def _from_this_server(request: web.Request) -> bool:
    """Whether a websocket comes from this server's page: a browser names the page's
    origin, which must be the host the request is addressed to (behind a proxy, the host
    it forwards); a program that is no browser names none, and the token decides."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    hosts = {request.host, request.headers.get("X-Forwarded-Host", "")}
    return parts.netloc.lower() in {host.lower() for host in hosts if host}


def _over_https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _without_token(request: web.Request) -> str:
    """The page's address without the token, relative, so that it holds behind a proxy
    that serves the cockpit under a path of its own."""
    kept = [(name, value) for name, value in request.query.items() if name != "token"]
    return "./" + (f"?{urlencode(kept)}" if kept else "")


async def secure_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Headers every response carries (the server's `on_response_prepare`)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")

"""Where the server listens, and the addresses it prints.

The socket is opened before anything is printed, so a port in use or an address
this machine does not have is one line and nothing else; port 0 takes a free port.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass

from cockpit.errors import UsageError

LOOPBACK = "127.0.0.1"
WILDCARDS = ("0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Listening:
    """The socket the server listens on, and the host and port it was asked for."""

    socket: socket.socket
    host: str
    port: int

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def urls(self, path: str) -> list[str]:
        """The addresses a browser opens for `path`: on every address of the machine, by
        its name and on this machine; else at the address asked for."""
        if self.host in WILDCARDS:
            return [self._url(socket.gethostname(), path), self._url(LOOPBACK, path)]
        return [self._url(self.host, path)]

    def _url(self, host: str, path: str) -> str:
        return f"http://{_bracketed(host)}:{self.port}{path}"

    def host_headers(self, also: tuple[str, ...] = ()) -> frozenset[str]:
        """The Host headers of a request addressed to this server: its own address, this
        machine's loopback, on every address also the machine's names and addresses, and
        the names in `also` (a reverse proxy's, as it passes them on, port or not)."""
        names = {"127.0.0.1", "localhost", "::1", self.host}
        if self.host in WILDCARDS:
            names |= _machine_names()
        hosts = {f"{_bracketed(name)}:{self.port}".lower() for name in names - set(WILDCARDS)}
        return frozenset(hosts | {name.strip().lower() for name in also if name.strip()})


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address


def _machine_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return names
    return names | {str(address[4][0]).split("%")[0] for address in found}


def listen(host: str, port: int) -> Listening:
    """A socket listening on `host` at `port` (0: a free port)."""
    if not host.strip():
        raise UsageError("--host: give an address, such as 127.0.0.1 or 0.0.0.0")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is 1 to 65535 (leave it out for a free one)")
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE | socket.AI_ADDRCONFIG
        )
    except (socket.gaierror, UnicodeError) as error:
        raise UsageError(f"--host {host}: not an address of this machine ({error})") from None
    family, kind, proto, _name, address = found[0]
    listening = socket.socket(family, kind, proto)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(128)
    except OSError as error:
        listening.close()
        raise UsageError(_why_not(host, port, error)) from None
    listening.setblocking(False)
    return Listening(listening, host, listening.getsockname()[1])


def _why_not(host: str, port: int, error: OSError) -> str:
    where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use (leave out --port for a free one)"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: {host} is not an address of this machine"
    if error.errno == errno.EACCES:
        return f"cannot listen on {where}: not allowed (ports below 1024 need privileges)"
    return f"cannot listen on {where}: {error.strerror or error}"

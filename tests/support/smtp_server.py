"""A mail server for the tests of `cockpit today --mail`: aiosmtpd on 127.0.0.1 and a free
port, in a thread, keeping every message it takes and every login tried. Optionally it
offers STARTTLS with a certificate from a throwaway authority (trustme), or speaks TLS from
the first byte, and takes logins (with or without TLS)."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "ann@example.com", "s3cret pass wörd"


@dataclass
class Arrived:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Handler:
    refuse: tuple[str, ...] = ()  # recipients refused at RCPT
    arrived: list[Arrived] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=default)
        self.arrived.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8")
        secret = auth_data.password.decode("utf-8")
        self.logins.append((login, secret))
        return AuthResult(success=(login, secret) == (USER, PASSWORD), handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class MailServer:
    handler: Handler
    port: int
    controller: Controller
    cafile: Path | None = None

    @property
    def arrived(self) -> list[Arrived]:
        return self.handler.arrived

    def stop(self) -> None:
        self.controller.stop()


def start(
    tmp_path: Path, *, tls: str = "", logins: bool = False, refuse: tuple[str, ...] = ()
) -> MailServer:
    """A server on a free port: `tls` "" (none), "starttls" (offered and required) or
    "implicit"; `logins` takes logins (over TLS only when it has TLS)."""
    handler = Handler(refuse=refuse)
    options: dict = {}
    cafile = None
    if tls:
        import trustme

        authority = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        cafile = tmp_path / "authority.pem"
        authority.cert_pem.write_to_path(str(cafile))
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            options.update(ssl_context=context)
    if logins:
        options.update(authenticator=handler.authenticate, auth_require_tls=bool(tls))
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, ready_timeout=30, **options
    )  # a loaded machine may take a while to start its thread
    controller.start()
    return MailServer(handler, port, controller, cafile)

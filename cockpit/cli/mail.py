"""Sending a mail with config.toml's [mail] settings (stdlib smtplib and email): the
addresses checked, the password read when it is needed (from an environment variable or a
command's output, never stored or written anywhere), the message put together (plain
text and HTML alternatives), and sent over TLS unless the settings say otherwise.

Secure by default: STARTTLS is required unless `starttls = false` (a server that does not
offer it is refused, never fallen back from), certificates and host names are checked
against the system's authorities (or `cafile`), and a password is never sent over an
unencrypted connection except to a server on this machine. All recipients are accepted by
the server before the message goes, or nothing is sent.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import shlex
import smtplib
import ssl
import subprocess
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr

from cockpit.config import MailSettings
from cockpit.email_addresses import is_address
from cockpit.errors import DeliveryError, UsageError
from cockpit.locations import config_file_path
from cockpit.text import printable, shorten

TIMEOUT = 30  # seconds the server, or the password command, may take to answer
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def recipients(given: Sequence[str]) -> list[str]:
    """The addresses `--mail` names (commas also separate them), each checked, in order,
    each once."""
    found: list[str] = []
    for words in given:
        for address in (part.strip() for part in words.split(",")):
            if not address:
                continue
            if not _is_address(address):
                raise UsageError(
                    f"--mail: {printable(address)!r} is not a mail address such as "
                    "ann@example.com; nothing was sent"
                )
            if address.casefold() not in (each.casefold() for each in found):
                found.append(address)
    if not found:
        raise UsageError("--mail needs an address to send to, such as --mail ann@example.com")
    return found


def _is_address(text: str) -> bool:
    """An address a plain SMTP server takes: ASCII (no SMTPUTF8 is asked for)."""
    return text.isascii() and is_address(text)


def sender_address(mail: MailSettings) -> str:
    """The address of the `from` setting, which may hold a name: "Ann <ann@example.com>"."""
    _name, address = parseaddr(mail.sender or "")
    if not _is_address(address):
        raise UsageError(
            f"{config_file_path()} [mail]: from = {printable(mail.sender or '')!r} is not a "
            'mail address; write from = "you@example.com"; nothing was sent'
        )
    return address


def check_ready(mail: MailSettings) -> None:
    """Refuse, naming the lines to add, settings that cannot send a mail; and a password
    about to travel unencrypted."""
    path = config_file_path()
    missing = [
        line
        for line, value in (
            ('host = "smtp.example.com"', mail.host),
            ('from = "you@example.com"', mail.sender),
        )
        if not value
    ]
    if missing:
        raise UsageError(
            f"--mail needs the mail server: add a [mail] table to {path} with "
            f"{' and '.join(missing)} (and user, password_env or password_command to log in; "
            "README, Reminders); nothing was sent"
        )
    sender_address(mail)
    if mail.user and not (mail.password_env or mail.password_command):
        raise UsageError(
            f"{path} [mail]: user {printable(mail.user)!r} needs a password: add "
            'password_env = "COCKPIT_MAIL_PASSWORD" (an environment variable holding it) or '
            'password_command = "pass show mail/smtp" (a command printing it); nothing was sent'
        )
    if mail.user and not mail.ssl and not mail.uses_starttls and not _on_this_machine(mail.host):
        raise UsageError(
            f"{path} [mail]: starttls = false would send the password for {mail.host} "
            "unencrypted; Cockpit does that only to a server on this machine: remove "
            "starttls = false, or set ssl = true; nothing was sent"
        )
    if mail.cafile and not os.path.isfile(os.path.expanduser(mail.cafile)):
        raise UsageError(f"{path} [mail]: cafile {mail.cafile!r} is not a file; nothing was sent")


def _on_this_machine(host: str | None) -> bool:
    if not host:
        return False
    if host.casefold() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def password(mail: MailSettings) -> str | None:
    """The password to log in with, None when the settings name no user. Read from the
    environment variable `password_env`, or the first line `password_command` prints (run
    without a shell, stdin and stderr left to the user, for a password manager to ask)."""
    if not mail.user:
        return None
    path = config_file_path()
    if mail.password_env:
        value = os.environ.get(mail.password_env, "")
        if not value:
            raise UsageError(
                f"the mail password: the environment variable {mail.password_env} "
                f"(password_env in {path}) is not set; nothing was sent"
            )
        return value
    try:
        words = shlex.split(mail.password_command or "")
    except ValueError as error:
        raise UsageError(f"{path} [mail]: password_command cannot be read: {error}") from None
    if not words:
        raise UsageError(f"{path} [mail]: password_command is empty")
    try:
        done = subprocess.run(words, stdout=subprocess.PIPE, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise UsageError(
            f"password_command: {printable(words[0])!r} is not a program found on PATH; "
            "nothing was sent"
        ) from None
    except PermissionError:
        raise UsageError(
            f"password_command: {printable(words[0])!r} may not be run; nothing was sent"
        ) from None
    except subprocess.TimeoutExpired:
        raise UsageError(
            f"password_command did not finish within {TIMEOUT} s; nothing was sent"
        ) from None
    if done.returncode != 0:
        raise UsageError(
            f"password_command failed (exit status {done.returncode}); nothing was sent"
        )
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise UsageError("password_command printed no password; nothing was sent")
    return lines[0]


def message(
    mail: MailSettings, to: Sequence[str], subject: str, text: str, html: str
) -> EmailMessage:
    """The message: Subject, Date, Message-ID, From and To, and the text and HTML as
    alternatives (quoted-printable, so any server takes it)."""
    sender = sender_address(mail)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    # The sender's domain names the message: the machine's own name may take a DNS query.
    message["Message-ID"] = make_msgid("cockpit.today", domain=sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message


def send(mail: MailSettings, to: Sequence[str], message: EmailMessage, secret: str | None) -> None:
    """Send `message` to `to`: every recipient accepted, or nothing sent."""
    where = f"{mail.host}:{mail.port_used}"
    context = _tls_context(mail)
    try:
        if mail.ssl:
            server = smtplib.SMTP_SSL(mail.host, mail.port_used, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(mail.host, mail.port_used, timeout=TIMEOUT)
        with server:
            server.ehlo()
            if mail.uses_starttls:
                if not server.has_extn("starttls"):
                    raise DeliveryError(
                        f"the mail server {where} does not offer STARTTLS, and Cockpit does not "
                        "send without it unless starttls = false; nothing was sent"
                    )
                server.starttls(context=context)
                server.ehlo()
            if mail.user:
                _log_in(server, mail.user, secret or "")
            _deliver(server, sender_address(mail), to, message, where)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            f"the mail server {where} refused the login of {mail.user}: {_said(error)}; "
            "check the user and the password; nothing was sent"
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryError(f"the mail server {where}: {error}; nothing was sent") from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            f"the mail server {where} said {_said(error)}; nothing was sent"
        ) from None
    except smtplib.SMTPException as error:
        raise DeliveryError(
            f"the mail server {where}: {printable(str(error))}; nothing was sent"
        ) from None
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(
            f"the mail server {where} has a certificate that cannot be trusted "
            f"({printable(error.verify_message or str(error))}); nothing was sent"
        ) from None
    except ssl.SSLError as error:
        reason = printable(error.reason or str(error))
        raise DeliveryError(
            f"the encrypted connection to {where} failed ({reason}); nothing was sent"
        ) from None
    except TimeoutError:
        raise DeliveryError(
            f"the mail server {where} did not answer within {TIMEOUT} s; nothing was sent"
        ) from None
    except OSError as error:
        raise DeliveryError(
            f"cannot reach the mail server {where}: {printable(error.strerror or str(error))}; "
            "nothing was sent"
        ) from None


def _tls_context(mail: MailSettings) -> ssl.SSLContext:
    """The system's authorities, or those of `cafile`; the server's name is checked."""
    if not mail.cafile:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=os.path.expanduser(mail.cafile))
    except (ssl.SSLError, OSError, ValueError) as error:
        raise UsageError(
            f"{config_file_path()} [mail]: cafile {mail.cafile!r} holds no certificates "
            f"Cockpit can read ({printable(str(error))}); nothing was sent"
        ) from None


def _log_in(server: smtplib.SMTP, user: str, secret: str) -> None:
    """AUTH PLAIN, else LOGIN, in UTF-8 (smtplib's own `login` takes ASCII alone, and
    tries the next mechanism after a refusal, which some servers never answer); any other
    mechanism through smtplib."""
    offered = server.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        answer = server.docmd("AUTH", "PLAIN " + _base64(f"\0{user}\0{secret}"))
    elif "LOGIN" in offered:
        answer = server.docmd("AUTH", "LOGIN")
        if answer[0] == 334:
            answer = server.docmd(_base64(user))
        if answer[0] == 334:
            answer = server.docmd(_base64(secret))
    else:
        server.login(user, secret)  # CRAM-MD5, or says the server takes no login
        return
    if answer[0] != 235:  # a 503 (no AUTH here, or out of sequence) is no login either
        raise smtplib.SMTPAuthenticationError(*answer)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _deliver(
    server: smtplib.SMTP, sender: str, to: Sequence[str], message: EmailMessage, where: str
) -> None:
    """The envelope, then the message only once every recipient is accepted."""
    code, said = server.mail(sender)
    if code != 250:
        raise DeliveryError(
            f"the mail server {where} refused the sender {sender}: {code} {_text(said)}; "
            "nothing was sent"
        )
    for address in to:
        code, said = server.rcpt(address)
        if code not in (250, 251):
            server.rset()
            raise DeliveryError(
                f"the mail server {where} refused {address}: {code} {_text(said)}; nothing was sent"
            )
    code, said = server.data(message.as_bytes())
    if code != 250:
        raise DeliveryError(
            f"the mail server {where} did not take the message: {code} {_text(said)}; "
            "nothing was sent"
        )


def _said(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _text(said: bytes | str) -> str:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return shorten(printable(" ".join(text.split())), 200)

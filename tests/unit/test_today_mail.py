"""`cockpit today --mail`: the message that arrives at a real SMTP server (aiosmtpd, in a
thread), logging in with the password from an environment variable, over STARTTLS with a
certificate checked, or TLS from the first byte; and every way it can go wrong, each said
in one line with nothing sent."""

from __future__ import annotations

import re

import pytest

from cockpit.cli import main
from tests.support import smtp_server
from tests.support.sensitive import secrets
from tests.support.smtp_server import PASSWORD, USER
from tests.support.today_book import HTML_NAME, HTML_NOTE, build_today_book

TO = ("ann@example.com", "boss@example.org")


@pytest.fixture
def ids(db, today) -> dict[str, int]:
    return build_today_book()


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(**options) -> smtp_server.MailServer:
        server = smtp_server.start(tmp_path, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _settings(server: smtp_server.MailServer, *lines: str) -> str:
    head = ["[mail]", 'host = "127.0.0.1"', f"port = {server.port}", 'from = "Cockpit <me@x.io>"']
    return "\n".join([*head, *lines])


def _mail(book_path, *to: str) -> int:
    return main(["today", "--db", str(book_path), *(f"--mail={each}" for each in to)])


def _failed(capsys, status: int, code: int) -> str:
    out, err = capsys.readouterr()
    assert status == code, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("cockpit: "), err
    return err


def test_the_agenda_arrives_as_text_and_html(ids, book_path, servers, write_config, capsys):
    server = servers()
    write_config(_settings(server, "starttls = false"))
    assert main(["today", "--db", str(book_path), "--mail", *TO]) == 0
    assert capsys.readouterr() == ("", "")  # quiet, as cron wants it
    [arrived] = server.arrived
    assert arrived.sender == "me@x.io"
    assert arrived.recipients == list(TO)
    message = arrived.message
    assert message["Subject"] == (
        "Cockpit — today, Monday 23 November: 4 follow-ups, 2 birthdays, 1 anniversary, "
        "3 planned communications, 1 drifting, 1 renewal"
    )
    assert message["From"] == "Cockpit <me@x.io>"
    assert message["To"] == ", ".join(TO)
    assert message["Date"] and message["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[^@<>\s]+@x\.io>", message["Message-ID"])
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Today, Monday 23 November 2026: 4 follow-ups, 2 birthdays")
    assert "Follow up with Ann Lee (Acme): due today; from the call of Fri 13 Nov" in text
    assert "Renewal: Ridgeway's contract ends Sat 5 Dec ($40,000), in 12 days." in text
    assert f"Follow up with {HTML_NAME} (Tags & <i>Co</i>)" in text  # literal in text
    assert HTML_NOTE in text
    assert "&lt;b&gt;Bold&lt;/b&gt; [bold]Kim[/bold] (Tags &amp; &lt;i&gt;Co&lt;/i&gt;)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<h2" in html and "<li>Ann Lee&#x27;s 56th birthday tomorrow" in html
    for part in (text, html, str(message["Subject"])):
        assert not [marker for marker in secrets() if marker in part]


def test_commas_separate_addresses_and_each_goes_once(
    ids, book_path, servers, write_config, capsys
):
    server = servers()
    write_config(_settings(server, "starttls = false"))
    assert _mail(book_path, "ann@example.com, boss@example.org", "ANN@example.com") == 0
    assert server.arrived[0].recipients == list(TO)


def test_the_password_from_an_environment_variable_logs_in(
    ids, book_path, servers, write_config, monkeypatch, capsys
):
    # Without TLS the password may only go to a server on this machine, as here.
    server = servers(logins=True)
    write_config(
        _settings(server, "starttls = false", f'user = "{USER}"', 'password_env = "MAIL_PW"')
    )
    monkeypatch.setenv("MAIL_PW", PASSWORD)
    assert _mail(book_path, *TO) == 0
    assert server.handler.logins == [(USER, PASSWORD)]
    assert len(server.arrived) == 1


def test_starttls_checks_the_certificate_then_logs_in(
    ids, book_path, servers, write_config, monkeypatch, capsys
):
    server = servers(tls="starttls", logins=True)  # the server takes logins over TLS only
    write_config(
        _settings(
            server, f'user = "{USER}"', 'password_env = "MAIL_PW"', f'cafile = "{server.cafile}"'
        )
    )  # starttls is the default
    monkeypatch.setenv("MAIL_PW", PASSWORD)
    assert _mail(book_path, *TO) == 0
    assert server.handler.logins == [(USER, PASSWORD)]
    assert len(server.arrived) == 1


def test_implicit_tls_on_the_first_byte(ids, book_path, servers, write_config, capsys):
    server = servers(tls="implicit")
    write_config(_settings(server, "ssl = true", f'cafile = "{server.cafile}"'))
    assert _mail(book_path, *TO) == 0
    assert len(server.arrived) == 1


def test_a_certificate_nobody_vouches_for_is_refused(
    ids, book_path, servers, write_config, monkeypatch, capsys
):
    server = servers(tls="starttls", logins=True)
    write_config(_settings(server, f'user = "{USER}"', 'password_env = "MAIL_PW"'))  # no cafile
    monkeypatch.setenv("MAIL_PW", PASSWORD)
    err = _failed(capsys, _mail(book_path, *TO), 3)
    assert "has a certificate that cannot be trusted" in err and "nothing was sent" in err
    assert server.handler.logins == [] and server.arrived == []


def test_a_cafile_that_is_no_certificate_is_said(db, today, book_path, write_config, capsys):
    junk = book_path.parent / "junk.pem"
    junk.write_text("not a certificate\n")
    write_config(f'[mail]\nhost = "127.0.0.1"\nfrom = "me@x.io"\ncafile = "{junk}"\n')
    err = _failed(capsys, _mail(book_path, *TO), 2)
    assert "holds no certificates Cockpit can read" in err and "nothing was sent" in err


def test_a_server_without_starttls_is_refused_unless_told(
    ids, book_path, servers, write_config, capsys
):
    server = servers()
    write_config(_settings(server))
    err = _failed(capsys, _mail(book_path, *TO), 3)
    assert f"127.0.0.1:{server.port} does not offer STARTTLS" in err
    assert server.arrived == []


def test_a_wrong_password_is_said_and_nothing_sent(
    ids, book_path, servers, write_config, monkeypatch, capsys
):
    server = servers(logins=True)
    write_config(
        _settings(server, "starttls = false", f'user = "{USER}"', 'password_env = "MAIL_PW"')
    )
    monkeypatch.setenv("MAIL_PW", "guess")
    err = _failed(capsys, _mail(book_path, *TO), 3)
    assert f"refused the login of {USER}: 535" in err and "nothing was sent" in err
    assert "guess" not in err
    assert server.arrived == []


def test_a_refused_recipient_sends_to_nobody(ids, book_path, servers, write_config, capsys):
    server = servers(refuse=("boss@example.org",))
    write_config(_settings(server, "starttls = false"))
    err = _failed(capsys, _mail(book_path, *TO), 3)
    assert "refused boss@example.org: 550" in err and "nothing was sent" in err
    assert server.arrived == []  # not even to ann, whom it accepted


def test_no_server_there(db, today, book_path, write_config, capsys):
    port = smtp_server.free_port()
    write_config(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nfrom = "me@x.io"\n')
    err = _failed(capsys, _mail(book_path, *TO), 3)
    assert f"cannot reach the mail server 127.0.0.1:{port}" in err


def test_missing_settings_name_the_lines_to_add(db, today, book_path, write_config, capsys):
    err = _failed(capsys, _mail(book_path, *TO), 2)
    assert 'host = "smtp.example.com" and from = "you@example.com"' in err
    assert "config.toml" in err and "nothing was sent" in err
    write_config('[mail]\nhost = "smtp.example.com"\n')
    err = _failed(capsys, _mail(book_path, *TO), 2)
    assert 'with from = "you@example.com"' in err


def test_a_password_is_never_a_setting(db, today, book_path, write_config, capsys):
    write_config('[mail]\nhost = "h"\nfrom = "me@x.io"\nuser = "me"\npassword = "hunter2"\n')
    err = _failed(capsys, _mail(book_path, *TO), 1)
    assert "never reads a password from its settings" in err and "password_env" in err
    assert "hunter2" not in err


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ('user = "me"', "needs a password: add password_env"),
        ('user = "me"\npassword_env = "NOT_SET_HERE"', "NOT_SET_HERE"),
        ('user = "me"\npassword_env = "PW"\nstarttls = false', "send the password for"),
    ],
)
def test_a_password_that_cannot_be_had_or_would_travel_in_clear(
    db, today, book_path, write_config, capsys, settings, said
):
    write_config(f'[mail]\nhost = "smtp.example.com"\nfrom = "me@x.io"\n{settings}\n')
    err = _failed(capsys, _mail(book_path, *TO), 2)
    assert said in err and "nothing was sent" in err


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ("port = 70000", "port must be a port number"),
        ("ssl = true\nstarttls = true", "exclude each other"),
        ('password_env = "X"\npassword_command = "pass"\nuser = "u"', "not both"),
        ('password_env = "X"', "set user too"),
        ('password_env = "not a name"\nuser = "u"', "the name of an environment variable"),
        ('hots = "x"', "unknown setting hots"),
        ("starttls = 1", "starttls must be true or false"),
    ],
)
def test_wrong_mail_settings_are_named(db, today, book_path, write_config, capsys, settings, said):
    write_config(f"[mail]\n{settings}\n")
    assert main(["today", "--db", str(book_path)]) == 1  # as every wrong setting
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    "address", ["ann", "ann@", "a b@x.io", "ann@x.io\nBcc: eve@x.io", "é@x.io", "<a@x.io>"]
)
def test_a_bad_address_sends_nothing(db, today, book_path, servers, write_config, capsys, address):
    server = servers()
    write_config(_settings(server, "starttls = false"))
    err = _failed(capsys, _mail(book_path, "boss@example.org", address), 2)
    assert "is not a mail address" in err
    assert server.arrived == []


def test_json_or_markdown_go_with_printing_only(db, today, book_path, capsys):
    err = _failed(capsys, main(["today", "--json", "--mail", "a@x.io", "--db", str(book_path)]), 2)
    assert "use one or the other" in err

"""`cockpit serve`'s arguments: a bad token, port or address is one line and status 2,
before anything listens; and the calendar's key, made from the token."""

from __future__ import annotations

import socket

import pytest

from cockpit.cli import main
from cockpit.serve.access import Access, token_problem


def _refused(capsys, *argv: str) -> str:
    assert main(["serve", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    return err.strip()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--token", "short"], "cockpit: --token: a token has at least 16 characters (5 given)"),
        (
            ["--token", "sixteen chars and spaces"],
            "cockpit: --token: a token is made of letters, digits and - . _ ~ only "
            "(it goes in an address)",
        ),
        (
            ["--port", "70000"],
            "cockpit: --port 70000: a port is 1 to 65535 (leave it out for a free one)",
        ),
        (["--host", " "], "cockpit: --host: give an address, such as 127.0.0.1 or 0.0.0.0"),
        (
            ["--host", "192.0.2.1"],  # an address for documentation, on no machine
            "cockpit: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine",
        ),
        (
            ["--allow-host", "cockpit.lan"],
            "cockpit: --allow-host goes with --no-auth: a server with a token answers any name",
        ),
    ],
)
def test_bad_arguments_are_one_line(capsys, book_path, argv, said):
    assert _refused(capsys, *argv, "--db", str(book_path)) == said


def test_a_token_and_no_token_cannot_both_be_asked_for(capsys, book_path, monkeypatch):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--token", "a" * 20, "--no-auth", "--db", str(book_path)])
    assert exited.value.code == 2
    assert "argument --no-auth: not allowed with argument --token" in capsys.readouterr().err
    monkeypatch.setenv("COCKPIT_SERVE_TOKEN", "a" * 20)
    assert _refused(capsys, "--no-auth", "--db", str(book_path)) == (
        "cockpit: --no-auth serves without a token, but COCKPIT_SERVE_TOKEN gives one"
    )
    monkeypatch.setenv("COCKPIT_SERVE_TOKEN", "too short")
    assert _refused(capsys, "--db", str(book_path)).startswith(
        "cockpit: COCKPIT_SERVE_TOKEN: a token has at least 16 characters"
    )


def test_a_port_in_use_is_one_line(capsys, book_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert _refused(capsys, "--port", str(port), "--db", str(book_path)) == (
            f"cockpit: cannot listen on 127.0.0.1:{port}: the port is in use "
            "(leave out --port for a free one)"
        )


def test_tokens_a_user_chooses():
    assert token_problem("a-B_c.d~0123456789") is None
    assert token_problem("x" * 15) is not None
    assert token_problem("é" * 20) is not None
    assert token_problem("a/b?c=d&e#f" * 2) is not None


def test_the_calendar_key_stays_with_the_token_and_does_not_give_it_away():
    first = Access("the-same-token-0123456789", 8000).calendar_key
    assert first == Access("the-same-token-0123456789", 9000).calendar_key  # on any port
    assert first != Access("another-token-0123456789", 8000).calendar_key
    assert first is not None and len(first) == 43 and "the-same-token" not in first
    assert Access(None, 8000).calendar_key is None
    assert Access("t" * 20, 8000).cookie != Access("t" * 20, 8001).cookie

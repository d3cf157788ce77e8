"""The command line: help, bad arguments, choosing the book, named failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.migrations import SCHEMA_VERSION
from cockpit.storage.models import Client, Interaction
from tests.support.commands import run_cockpit
from tests.support.extras import needs_psycopg
from tests.support.paths import ROOT

run = run_cockpit


def test_python_dash_m_cockpit_shows_help():
    result = run("--help")
    assert result.returncode == 0
    assert "demo" in result.stdout and "info" in result.stdout
    assert "--db PATH" in result.stdout


@pytest.mark.parametrize("command", ["demo", "info"])
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert f"usage: cockpit {command}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["--nonsense"], ["demo", "--colour", "red"], ["info", "--db"]],
)
def test_bad_arguments_give_one_line_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("cockpit") and "error:" in err and "--help" in err


def _info(capsys, *argv: str) -> str:
    assert main([*argv]) == 0
    return capsys.readouterr().out


def test_db_works_before_and_after_the_command(tmp_path, capsys):
    before = tmp_path / "before.db"
    after = tmp_path / "after.db"
    assert f"{before} (chosen by --db)" in _info(capsys, "--db", str(before), "info")
    assert f"{after} (chosen by --db)" in _info(capsys, "info", "--db", str(after))
    assert not before.exists() and not after.exists()  # info looks, it does not create


def test_the_environment_chooses_the_book_when_no_option_does(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "env.db"))
    assert f"{tmp_path / 'env.db'} (chosen by COCKPIT_DB)" in _info(capsys, "info")
    assert "chosen by --db" in _info(capsys, "info", "--db", str(tmp_path / "opt.db"))
    monkeypatch.setenv("COCKPIT_DATABASE_URL", f"sqlite:///{tmp_path / 'url.db'}")
    assert f"{tmp_path / 'url.db'} (chosen by COCKPIT_DATABASE_URL)" in _info(capsys, "info")


def test_info_shows_the_default_book_in_the_data_directory(home, capsys):
    out = _info(capsys, "info")
    assert f"{home / 'data' / 'cockpit' / 'cockpit.db'} (chosen by default)" in out
    assert "not created yet" in out
    assert f"{home / 'config' / 'cockpit' / 'config.toml'} (none)" in out
    assert not (home / "data" / "cockpit").exists()


def test_info_counts_what_a_book_holds(db, book_path, capsys):
    ann = book.add_client("Ann")
    book.add_interaction(ann, "call")
    book.add_deal(ann, 100)
    out = _info(capsys, "info", "--db", str(book_path))
    assert f"schema version  {SCHEMA_VERSION}" in out
    assert "clients         1" in out and "interactions    1" in out and "deals           1" in out


@pytest.mark.parametrize("content", [b"garbage" * 100, b""])
def test_info_still_shows_the_paths_of_an_unreadable_book(tmp_path, capsys, content):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    out = _info(capsys, "info", "--db", str(path))
    assert str(path) in out and "data directory" in out
    if content:
        assert "not a readable Cockpit book" in out
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("setup", "argv", "message", "code"),
    [
        ("garbage", ["--db", "{path}"], "is not a readable Cockpit book", 1),
        ("dir", ["--db", "{path}"], "is a directory", 1),
        ("none", ["--db", "{path}/missing/book.db"], "does not exist", 1),
        pytest.param(
            "none",
            ["--database-url", "postgresql://nobody@127.0.0.1:1/none", "clients"],
            "cannot use postgresql://nobody@127.0.0.1:1/none",
            1,
            marks=needs_psycopg,  # without the driver, the driver is what is missing
        ),
        ("none", ["--db", "", "info"], "give the path of a book file", 2),
        ("none", ["--database-url", "sqlite:///:memory:", "info"], "in-memory", 2),
        ("none", ["info"], "COCKPIT_TODAY", 1),
    ],
)
def test_named_failures_are_one_line_without_a_traceback(tmp_path, setup, argv, message, code):
    path = tmp_path / "book.db"
    if setup == "garbage":
        path.write_text("not sqlite" * 100)
    elif setup == "dir":
        path.mkdir()
    result = run(
        *[arg.format(path=path) for arg in argv],
        env={"COCKPIT_TODAY": "2026-02-30"} if "COCKPIT_TODAY" in message else {},
    )
    assert result.returncode == code
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_a_bad_config_file_is_named(write_config, capsys):
    path = write_config("currency = 'euro'\n")
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "three-letter code" in err


def test_shell_commands_do_not_import_textual(tmp_path):
    code = (
        "import sys; from cockpit.cli import main; "
        f"main(['info', '--db', {str(tmp_path / 'b.db')!r}]); "
        "print('TEXTUAL' if 'textual' in sys.modules else 'NO-TEXTUAL')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stdout.strip().endswith("NO-TEXTUAL"), result.stderr


def test_the_console_script_is_installed():
    script = Path(sys.executable).parent / "cockpit"
    if not script.exists():
        pytest.skip("cockpit is not installed in this environment (pip install -e .)")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("cockpit ")


def test_a_reader_that_goes_away_gets_no_traceback(db, book_path):
    book.add_client("Ann Example", "Acme")
    db.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "--db", str(book_path), "clients"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    process.stdout.close()  # as `| head` does once it has read enough, here before a line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_a_command_leaves_with_its_output_and_its_write_whole(db, book_path):
    """A command ends its process without the interpreter's teardown: what it printed
    reaches a pipe whole, its touch is in the book, the book is closed as usual (no
    write-ahead log left behind) and its exit status is the command's."""
    for number in range(300):
        book.add_client(f"Client {number:03}", "Acme")
    db.close()
    buffered = {"PYTHONUNBUFFERED": ""}  # as a shell runs it: the output waits in a buffer
    logged = run(
        "--db", str(book_path), "log", "Client 007", "call", "asked about renewal", env=buffered
    )
    assert logged.returncode == 0, logged.stderr
    assert "Client 007" in logged.stdout
    listed = run("--db", str(book_path), "clients", env=buffered)
    assert listed.returncode == 0, listed.stderr
    assert all(f"Client {number:03}" in listed.stdout for number in range(300))
    assert not Path(f"{book_path}-wal").exists()
    unknown = run("--db", str(book_path), "log", "Nobody Known", "call")
    assert unknown.returncode == 2 and "Nobody Known" in unknown.stderr
    db.connect()
    touches = Interaction.select(Client.name, Interaction.summary).join(Client)
    assert [(touch.client.name, touch.summary) for touch in touches] == [
        ("Client 007", "asked about renewal")
    ]

"""Mail on a team book (issue 25, mail): a rep's import writes the email touches and
heard-from lines of their own clients; another rep's clients are reported, not written;
`heard_from` is a client's row under the server's rules, read by the team and written by
the client's rep or a manager only, psql included; the undo works there as on SQLite; a
schema 14 book takes the table with its rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from tests.support.mailboxes import message, write_mbox
from tests.support.postgres_server import BEFORE_HEARD_FROM, as_role, upgraded_from

ME = "alice@seller.example"
ANN = "ann@acme.example"
BEN = "ben@beta.example"


def _count(urls, table: str) -> int:
    import psycopg

    with psycopg.connect(urls["owner"], autocommit=True) as owner:
        return owner.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_reps_mail_writes_their_clients_and_reports_the_others(team, tmp_path: Path, capsys):
    import psycopg

    urls, roles = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Lee", "Acme", emails=[ANN]).id)
    as_role(urls["bob"], lambda: book.add_client("Ben Ode", "Beta", emails=[BEN]).id)
    at = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    box = write_mbox(
        tmp_path / "alice.mbox",
        [
            message(ME, [ANN, BEN], at=at, subject="Joint offer"),
            message(ANN, ME, at=at.replace(day=17), subject="Re: Joint offer"),
        ],
    )
    alice = ["--database-url", urls["alice"]]
    assert main([*alice, "import", str(box), "--me", ME]) == 0
    out = capsys.readouterr().out
    assert "Ann Lee: 1 email touch added; 1 day heard from them added" in out
    assert (
        f"Ben Ode ({roles['bob']}'s client): 1 day of mail not written: only they or a manager may"
    ) in out
    assert _count(urls, "interaction") == 1 and _count(urls, "heard_from") == 1

    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM heard_from").fetchone() == (1,)
        assert bob.execute("UPDATE heard_from SET summary = 'x'").rowcount == 0
        assert bob.execute("DELETE FROM heard_from").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO heard_from (client_id, occurred_at, day, summary, created_at) "
                "VALUES (%s, now(), current_date, 'forged', now())",
                (ann,),
            )
    with psycopg.connect(urls["carol"], autocommit=True) as manager:
        assert manager.execute("UPDATE heard_from SET summary = summary").rowcount == 1

    assert main([*alice, "import", str(box), "--me", ME]) == 0
    assert "Ann Lee: 2 days already there" in capsys.readouterr().out
    assert main([*alice, "import", "--undo", "1"]) == 0
    assert _count(urls, "interaction") == 0 and _count(urls, "heard_from") == 0


def test_a_schema_14_book_on_postgres_takes_heard_from_with_its_rules(team, tmp_path):
    import psycopg

    urls, _ = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Older", emails=[ANN]).id)
    upgraded_from(urls["owner"], BEFORE_HEARD_FROM, 14)
    at = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    box = write_mbox(tmp_path / "in.mbox", [message(ANN, ME, at=at, subject="Hello")])
    assert main(["--database-url", urls["alice"], "import", str(box), "--me", ME]) == 0
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT client_id, summary FROM heard_from").fetchall() == [
            (ann, "Hello")
        ]
        assert bob.execute("DELETE FROM heard_from").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO heard_from (client_id, occurred_at, day, summary, created_at) "
                "VALUES (%s, now(), current_date, 'forged', now())",
                (ann,),
            )

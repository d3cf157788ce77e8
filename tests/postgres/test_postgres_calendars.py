"""Calendars on a team book (issue 25, point 3): a rep's import writes the meetings with their
own clients; those with another rep's clients are reported, not written; where each touch
came from (`import_source`) is a client's row under the server's rules, read by the team
and written by the client's rep or a manager only, psql included; importing again, a moved
meeting and the undo work there as on SQLite; a schema 13 book takes the table with its
rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from tests.support.calendars import event, write
from tests.support.postgres_server import BEFORE_SOURCES, as_role, upgraded_from

ANN = "ann@acme.example"
BEN = "ben@beta.example"


def _meetings(urls, client_id: int) -> list[tuple]:
    import psycopg

    with psycopg.connect(urls["owner"], autocommit=True) as owner:
        return owner.execute(
            "SELECT day::text, duration_min, summary FROM interaction "
            "WHERE client_id = %s ORDER BY occurred_at",
            (client_id,),
        ).fetchall()


def test_a_reps_calendar_writes_their_clients_and_reports_the_others(team, tmp_path: Path, capsys):
    import psycopg

    urls, roles = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Lee", "Acme", emails=[ANN]).id)
    ben = as_role(urls["bob"], lambda: book.add_client("Ben Ode", "Beta", emails=[BEN]).id)
    path = write(
        tmp_path / "alice.ics",
        event("a@x", "20261102T090000Z", summary="Joint review", attendees=(ANN, BEN)),
        event("n@x", "20261202T090000Z", attendees=(ANN, BEN)),
    )
    alice = ["--database-url", urls["alice"]]
    assert main([*alice, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Ann Lee: 1 meeting added; next touch Wed 2 Dec" in out
    assert (
        f"Ben Ode ({roles['bob']}'s client): 2 meetings not written: only they or a manager may"
    ) in out
    assert _meetings(urls, ann) == [("2026-11-02", 60, "Joint review")]
    assert _meetings(urls, ben) == []

    # Where Ann's touch came from: the team reads it, Bob changes none of it (psql too).
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM import_source").fetchone() == (2,)
        assert bob.execute("UPDATE import_source SET digest = 'x'").rowcount == 0
        assert bob.execute("DELETE FROM import_source").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO import_source (client_id, source_key, table_name, row_id, digest) "
                "VALUES (%s, 'ics:x', 'interaction', 1, '')",
                (ann,),
            )

    # Again: nothing; moved: the touch moves; undone: back as it was.
    assert main([*alice, "import", str(path)]) == 0
    assert "added 0 meetings; 1 already there" in capsys.readouterr().out
    write(
        tmp_path / "alice.ics",
        event("a@x", "20261105T140000Z", summary="Joint review", attendees=(ANN, BEN)),
        event("n@x", "20261202T090000Z", attendees=(ANN, BEN)),
    )
    assert main([*alice, "import", str(path)]) == 0
    assert "Ann Lee: 1 meeting moved" in capsys.readouterr().out
    assert _meetings(urls, ann) == [("2026-11-05", 60, "Joint review")]
    assert main([*alice, "import", "--undo"]) == 0
    assert _meetings(urls, ann) == [("2026-11-02", 60, "Joint review")]
    assert main([*alice, "import", "--undo", "2"]) == 0
    assert main([*alice, "import", "--undo", "1"]) == 0
    assert _meetings(urls, ann) == []

    # A manager's import writes every client's meetings.
    assert main(["--database-url", urls["carol"], "import", str(path)]) == 0
    assert "Ben Ode: 1 meeting added" in capsys.readouterr().out
    assert _meetings(urls, ben) == [("2026-11-05", 60, "Joint review")]


def test_a_schema_13_book_on_postgres_takes_the_sources_with_their_rules(team, tmp_path):
    import psycopg

    urls, _ = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Older", emails=[ANN]).id)
    upgraded_from(urls["owner"], BEFORE_SOURCES, 13)
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    assert main(["--database-url", urls["alice"], "import", str(path)]) == 0
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM import_source").fetchone() == (1,)
        assert bob.execute("DELETE FROM import_source").rowcount == 0
    assert _meetings(urls, ann) == [("2026-11-02", 60, "Meeting")]

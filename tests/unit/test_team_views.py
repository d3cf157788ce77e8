"""Owners and views: a rep's commands show their own clients (and those nobody owns) by
default, `--team` shows everyone's, and the team's weekly review lists the drifting clients
with much at stake by rep."""

from __future__ import annotations

import pytest

from cockpit.cli import main
from cockpit.review import build_agenda
from cockpit.storage import book
from cockpit.storage.models import Client
from tests.support.review_book import TODAY, build_review_book


@pytest.fixture
def two_reps(db, book_path, today, write_config):
    write_config('rep = "alice"\n')
    clients = build_review_book()
    cora = Client.get_by_id(clients["core"])
    assert cora.owner == "alice"  # new clients are the user's
    Client.update(owner="bob").where(Client.id == cora.id).execute()
    unowned = book.add_client("Nobody's Client", "Legacy Ltd")
    Client.update(owner="").where(Client.id == unowned.id).execute()
    return clients


def _drifting_core(agenda) -> list[tuple[str, str]]:
    part = next(part for part in agenda.parts if part.key == "drifting-high")
    return [(item.client, item.owner) for item in part.items]


def test_a_reps_review_leaves_out_other_reps_clients(two_reps):
    mine = _drifting_core(build_agenda(TODAY, book.my_reps()))
    team = _drifting_core(build_agenda(TODAY))
    assert "Cora Core" not in [client for client, _ in mine]
    assert ("Cora Core", "bob") in team
    assert [owner for _, owner in team] == sorted(owner for _, owner in team)  # by rep
    assert all(owner == "" for _, owner in mine)  # a rep's own review names no rep


def test_the_team_review_names_each_clients_rep(two_reps, book_path, capsys):
    assert main(["--db", str(book_path), "review", "--team"]) == 0
    assert "Cora Core (Big Inc), rep bob:" in capsys.readouterr().out
    assert main(["--db", str(book_path), "review"]) == 0
    assert "Cora Core" not in capsys.readouterr().out.split("Follow-ups")[0]


def test_clients_and_drift_show_mine_by_default_and_the_team_on_request(
    two_reps, book_path, capsys
):
    assert main(["--db", str(book_path), "clients"]) == 0
    out = capsys.readouterr().out
    assert "Nobody's Client" in out and "Cora Core" not in out
    assert main(["--db", str(book_path), "clients", "--team"]) == 0
    assert "Cora Core" in capsys.readouterr().out
    assert main(["--db", str(book_path), "drift", "--all", "--team"]) == 0
    assert "Cora Core" in capsys.readouterr().out
    assert main(["--db", str(book_path), "drift", "--all"]) == 0
    assert "Cora Core" not in capsys.readouterr().out


async def test_the_cockpit_shows_yours_and_t_shows_the_teams(two_reps, book_path):
    from cockpit.storage.database import DatabaseLocation
    from cockpit.ui.app import CockpitApp
    from tests.support.pilot import loaded, names, screen_text

    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert "Nobody's Client" in names(app) and "Cora Core" not in names(app)
        await pilot.press("t")
        await loaded(pilot)
        assert "Cora Core" in names(app)
        assert "the team's clients" in screen_text(app)
        await pilot.press("t")
        await loaded(pilot)
        assert "Cora Core" not in names(app)


def test_the_first_page_read_before_the_book_opens_is_the_reps_too(two_reps, db, book_path):
    from cockpit.storage.database import DatabaseLocation, read_first_page

    db.close()  # as a new process finds it
    location = DatabaseLocation(book_path, "--db")
    page = [row[1] for row in read_first_page(location, 120, 90, "alice")]
    assert "Nobody's Client" in page and "Cora Core" not in page
    assert "Cora Core" in [row[1] for row in read_first_page(location, 120, 90, "bob")]

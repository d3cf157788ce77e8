"""`cockpit search TEXT` (issue 20, point 18): the touches' summaries and the profile answers
that are not sensitive, searched with case and accents aside, through an index kept in step
with every write (edits, deletes, imports and their undo, forgetting, restores)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import pytest

from cockpit.cli import main
from cockpit.fields import TouchFields
from cockpit.importers.files import import_paths
from cockpit.storage import book, notes_index
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.import_undo import undo_import
from cockpit.storage.models import Interaction, database_proxy
from cockpit.storage.notes_search import search_notes
from tests.support.paths import FIXTURES

SECRET = "Zanzibarian"  # a word only a sensitive answer holds
FORGOTTEN = "Quokkaland"  # a word only an answer that gets forgotten holds


@pytest.fixture
def noted(db, today):
    ann = book.add_client("Ann Smith", "Acme")
    bob = book.add_client("Bob Jones")
    book.add_interaction(
        ann,
        "call",
        when=datetime(2026, 11, 2, 10),
        summary="Long talk about the budget for the new warehouse. Sofía goes SAILING in summer.",
    )
    book.add_interaction(bob, "email", when=datetime(2026, 11, 3, 10), summary="Sent the quote")
    book.set_profile(
        bob,
        {
            "hobbies": [{"value": "Sailing [bold]boats[/bold]"}],
            "confidential_subjects": f"Sailing accident near {SECRET}",
        },
    )
    return ann.id, bob.id


def _search(book_path, *words: str) -> int:
    return main(["search", *words, "--db", str(book_path)])


def test_the_notes_that_mention_a_word_are_listed_with_client_place_and_snippet(
    noted, book_path, capsys
):
    assert _search(book_path, "sofia  sail") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["CLIENT", "WHERE", "NOTE"]
    assert lines[1].split("  ")[0] == "Ann Smith (Acme)"
    assert "call on 2026-11-02" in lines[1]
    assert lines[1].endswith("  …for the new warehouse. Sofía goes SAILING in summer.")
    assert len(lines) == 2  # Bob's answer holds "sailing" but not "sofia"

    assert _search(book_path, "SAILING") == 0
    out = capsys.readouterr().out
    assert "Bob Jones  " in out and "profile: Hobbies" in out
    assert "Sailing [bold]boats[/bold]" in out  # user data as it is, never markup


def test_a_sensitive_answer_is_never_found_nor_shown(noted, book_path, capsys):
    assert _search(book_path, SECRET) == 1
    out = capsys.readouterr().out
    assert out == f"None of your clients' notes matches {SECRET!r} (--team searches the team's).\n"
    assert _search(book_path, "accident") == 1
    capsys.readouterr()
    assert _search(book_path, "sailing", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert SECRET not in json.dumps(found)
    assert [(m["client"], m["where"], m["item"]) for m in found] == [
        ("Bob Jones", "profile", "Hobbies"),
        ("Ann Smith", "touch", None),
    ]


def test_json_and_limit(noted, book_path, capsys):
    assert _search(book_path, "sail", "--json", "--limit", "1") == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert only["snippet"] == "Sailing [bold]boats[/bold]"
    assert _search(book_path, "sail", "--limit", "1") == 0
    assert "The first 1 matches; --limit N shows more." in capsys.readouterr().out
    with pytest.raises(SystemExit, match="2"):
        _search(book_path, "--limit", "x", "sail")
    assert "'x' is not a whole number from 0 up" in capsys.readouterr().err
    assert _search(book_path, "!!!") == 2
    assert "has no word to look for" in capsys.readouterr().err


def test_words_match_from_their_start(noted, book_path):
    assert _search(book_path, "ailing") == 1
    assert _search(book_path, "quot") == 0


def test_edits_and_deletes_keep_the_index_in_step(noted, book_path):
    ann, bob = noted
    touch = Interaction.get(Interaction.client == ann)
    book.update_interaction(
        touch.id, TouchFields("call", None, touch.occurred_at, 5, "Now about rowing", None)
    )
    assert [m.client for m in search_notes("rowing").matches] == ["Ann Smith"]
    assert [m.client for m in search_notes("sofia").matches] == []
    book.delete_interaction(touch.id)
    assert search_notes("rowing").matches == []
    book.set_archived(bob, True)
    assert search_notes("sailing").matches == []
    book.set_archived(bob, False)
    book.delete_client(bob)
    assert search_notes("sailing").matches == search_notes("quote").matches == []
    book.set_profile(ann, {"hobbies": [{"value": "Rowing"}]})
    assert [m.item for m in search_notes("rowing").matches] == ["Hobbies"]


def test_an_import_undone_takes_its_notes_out_of_the_index(noted, book_path, tmp_path):
    csv = tmp_path / "history.csv"
    csv.write_text(
        "client,company,date,kind,intent,duration_min,amount,note\n"
        "Ann Smith,Acme,2026-01-12,call,,20,,Talked about kayaking\n"
        "Cleo Tan,,2026-02-01,email,,,,Kayaking trip photos\n",
        encoding="utf-8",
    )
    import_paths([csv])
    assert sorted(m.client for m in search_notes("kayak").matches) == ["Ann Smith", "Cleo Tan"]
    undo_import()
    assert search_notes("kayak").matches == []
    assert len(search_notes("sailing").matches) == 2


def _noted_triggers() -> list[tuple[str, str]]:
    return database_proxy.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_noted' "
        "ORDER BY name"
    ).fetchall()


def _index_is_sound() -> None:
    """FTS5's own check of an external-content index against its table."""
    index = notes_index.TOUCH_INDEX
    database_proxy.execute_sql(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")


def test_touches_added_in_bulk_are_indexed_at_the_end_and_the_others_kept_in_step(noted, book_path):
    """An import indexes its touches in one pass at the end; meanwhile an edit or a delete
    of a touch there was before, or of one it added, keeps the index right."""
    ann, bob = noted
    triggers = _noted_triggers()
    old = Interaction.get(Interaction.client == ann)
    with database_proxy.atomic(), notes_index.touches_indexed_at_the_end(database_proxy.obj):
        added = [
            book.add_interaction(ann, "call", when=datetime(2026, 11, 5, 9), summary=summary)
            for summary in ("Talked kayaking", "Ordered muffins", "Spoke of zeppelins")
        ]
        book.update_interaction(
            added[1].id, TouchFields("call", None, added[1].occurred_at, 5, "Sent croissants", None)
        )
        book.delete_interaction(added[2].id)
        book.update_interaction(
            old.id, TouchFields("call", None, old.occurred_at, 5, "Now about rowing", None)
        )
        book.delete_interaction(Interaction.get(Interaction.client == bob).id)
    _index_is_sound()
    assert [m.client for m in search_notes("kayak").matches] == ["Ann Smith"]
    assert [m.client for m in search_notes("croissant").matches] == ["Ann Smith"]
    assert search_notes("muffin").matches == search_notes("zeppelin").matches == []
    assert [m.client for m in search_notes("rowing").matches] == ["Ann Smith"]
    assert search_notes("sofia").matches == search_notes("quote").matches == []
    assert _noted_triggers() == triggers  # as they were, and they work again
    book.add_interaction(bob, "email", when=datetime(2026, 11, 6, 9), summary="Sent a kite")
    assert [m.client for m in search_notes("kite").matches] == ["Bob Jones"]


def test_an_import_that_fails_leaves_the_index_and_its_triggers_as_they_were(noted, book_path):
    triggers = _noted_triggers()
    in_bulk = notes_index.touches_indexed_at_the_end(database_proxy.obj)
    with pytest.raises(RuntimeError), database_proxy.atomic(), in_bulk:
        book.add_interaction(noted[0], "call", when=datetime(2026, 11, 5), summary="Kayaks")
        raise RuntimeError("the file was broken")
    assert _noted_triggers() == triggers
    _index_is_sound()
    assert search_notes("kayak").matches == []
    book.add_interaction(noted[0], "call", when=datetime(2026, 11, 6), summary="Kayaks")
    assert [m.client for m in search_notes("kayak").matches] == ["Ann Smith"]


def test_forgetting_a_profile_takes_its_words_out_of_the_index_and_the_file(
    noted, db, book_path, capsys
):
    ann, _ = noted
    book.set_profile(ann, {"hometown": FORGOTTEN})
    assert [m.client for m in search_notes(FORGOTTEN).matches] == ["Ann Smith"]
    assert main(["forget", "ann", "--profile", "--db", str(book_path)]) == 0
    assert search_notes(FORGOTTEN).matches == []
    for path in book_path.parent.glob("book.db*"):
        assert FORGOTTEN.encode() not in path.read_bytes(), path
        assert FORGOTTEN.lower().encode() not in path.read_bytes(), path


def test_a_book_of_schema_8_is_indexed_as_it_is_upgraded(tmp_path, today):
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v8.db", copy)
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        assert [(m.client, m.text) for m in search_notes("first CALL").matches] == [
            ("Ann Fixture", "First call")
        ]
        assert notes_index.has_index(db)
    finally:
        db.close()


def test_without_fts5_the_notes_are_read_and_found_alike(monkeypatch, book_path, today, capsys):
    monkeypatch.setattr(notes_index, "fts5_available", lambda db: False)
    db = open_database(DatabaseLocation(book_path, "--db"))
    try:
        assert not notes_index.has_index(db)
        ann = book.add_client("Ann Smith")
        book.add_interaction(ann, "call", summary="Sofía: 100% SAILING_club")
        book.set_profile(ann, {"confidential_subjects": "sailing"})
        assert [m.text for m in search_notes("sofia sail").matches] == ["Sofía: 100% SAILING_club"]
        assert search_notes("ailing").matches == []
        assert len(search_notes("club").matches) == 1
    finally:
        db.close()
    assert database_proxy.obj is not None


def test_a_restored_backup_is_searched_as_the_book_was(noted, book_path, tmp_path, capsys):
    target = tmp_path / "backup.json"
    assert main(["backup", str(target), "--db", str(book_path)]) == 0
    restored = tmp_path / "restored.db"
    assert main(["restore", str(target), "--db", str(restored)]) == 0
    capsys.readouterr()
    assert main(["search", "sofia", "--db", str(restored)]) == 0
    assert "Ann Smith (Acme)" in capsys.readouterr().out

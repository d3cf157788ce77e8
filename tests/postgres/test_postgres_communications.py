"""Communications to a segment on a team book (issue 23): everyone reads them, their rep (or a
manager) changes them, psql included; a rep sends only to their own clients, whose touches
are theirs to log, so another rep's client in the segment is left out, never written."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit import segments
from cockpit.errors import ValidationError
from cockpit.storage import book, tags
from cockpit.storage import segment_communications as stored
from cockpit.storage.database import open_database, resolve_location
from cockpit.storage.segment_communications import Segment


def _as(url: str, change):
    db = open_database(resolve_location(database_url=url))
    try:
        return change()
    finally:
        db.close()


def test_a_rep_sends_to_their_own_clients_and_changes_only_their_own(team, today):
    import psycopg

    urls, roles = team

    def tagged(name: str) -> int:
        client = book.add_client(name)
        tags.set_tags(client.id, ["golf"])
        return client.id

    ann = _as(urls["alice"], lambda: tagged("Ann Alice"))
    bo = _as(urls["bob"], lambda: tagged("Bo Bob"))
    made = _as(
        urls["alice"],
        lambda: stored.add_communication(
            "Golf day", 1, "months", date(2026, 12, 1), Segment(tag_key="golf", tag="golf")
        ),
    )

    def alices_recipients() -> list[int]:
        mine = book.clients_of(book.my_reps())
        found = segments.communications_of(book.my_reps())
        return [r.client_id for r in segments.recipients(found[0], date(2026, 11, 23), mine)]

    assert _as(urls["alice"], alices_recipients) == [ann]  # Bo is bob's: not hers to log
    sent = _as(urls["alice"], lambda: stored.mark_sent(made, [ann], date(2026, 11, 23)))
    assert len(sent.touch_ids) == 1
    with pytest.raises(ValidationError):  # bob's client: the server refuses the touch
        _as(urls["alice"], lambda: stored.mark_sent(made, [bo], date(2026, 11, 23)))
    assert _as(urls["bob"], lambda: [c.what for c in stored.communications()]) == ["Golf day"]
    assert _as(urls["bob"], lambda: segments.communications_of(book.my_reps())) == []
    with pytest.raises(ValidationError, match="another rep's"):
        _as(
            urls["bob"],
            lambda: stored.update_communication(
                made, "Mine now", 1, "months", date(2026, 12, 1), Segment(tier="core")
            ),
        )
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("DELETE FROM segment_communication").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO segment_communication (what, kind, every, unit, next_due, tier, "
                "tag, owner, created_at) VALUES ('x', 'email', 1, 'months', '2027-01-01', "
                "'core', '', %s, now())",
                (roles["alice"],),
            )
    assert _as(urls["alice"], lambda: stored.communication(made).what) == "Golf day"


def test_a_schema_12_book_on_postgres_takes_communications_with_their_rules(team):
    import psycopg

    from cockpit.storage import migrations
    from tests.support.postgres_server import BEFORE_SEGMENTS, upgraded_from

    urls, _ = team
    assert upgraded_from(urls["owner"], BEFORE_SEGMENTS, 12) == migrations.SCHEMA_VERSION
    made = _as(
        urls["alice"],
        lambda: stored.add_communication("Update", 3, "months", date(2027, 1, 1), Segment("core")),
    )
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT what FROM segment_communication").fetchall() == [("Update",)]
        assert bob.execute("DELETE FROM segment_communication").rowcount == 0
    assert _as(urls["alice"], lambda: stored.communication(made).what) == "Update"

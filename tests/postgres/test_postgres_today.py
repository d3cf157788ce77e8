"""`cockpit today` and the calendar's drift alerts on a team book: each rep's own clients
(--team: the whole team's), as the server lets each read them."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location

TODAY = date(2026, 11, 23)


def _add(url: str, name: str, company: str, revenue: int) -> int:
    """A client won in the spring and last called on 1 Sep (drifting when core), with a
    follow-up due today and a birthday tomorrow."""
    db = open_database(resolve_location(database_url=url))
    try:
        client = book.add_client(name, company)
        book.add_deal(client, revenue, won_on=date(2026, 3, 1))
        book.add_interaction(
            client,
            "call",
            when=datetime(2026, 9, 1, 10),
            summary="Sent the offer",
            follow_up_on=TODAY,
        )
        book.set_profile(client, {"birth_date": "1975-11-24"})
        return client.id
    finally:
        db.close()


def test_each_rep_s_day_holds_their_own_clients(team, capsys, tmp_path):
    urls, _ = team
    ann = _add(urls["alice"], "Ann Alice", "Acme", 90_000)
    _add(urls["bob"], "Bo Bob", "Beta", 1_000)
    assert main(["--database-url", urls["alice"], "today"]) == 0
    alice = capsys.readouterr().out
    assert "Follow up with Ann Alice (Acme): due today" in alice
    assert "Ann Alice's 51st birthday tomorrow, Tue 24 Nov (Acme)" in alice
    assert "Ann Alice (Acme), core, drifting: 99% of your revenue." in alice
    assert "Bo Bob" not in alice
    assert main(["--database-url", urls["bob"], "today"]) == 0
    bob = capsys.readouterr().out
    assert "Follow up with Bo Bob (Beta): due today" in bob
    assert "Ann Alice" not in bob
    assert main(["--database-url", urls["carol"], "today", "--team"]) == 0
    carol = capsys.readouterr().out
    assert "Ann Alice" in carol and "Bo Bob" in carol

    for rep, alerts in (("alice", {f"drift-{ann}@cockpit"}), ("bob", set())):
        target = tmp_path / f"{rep}.ics"
        assert main(["--database-url", urls[rep], "export", "ics", str(target)]) == 0
        calendar = Calendar.from_ical(target.read_bytes())
        uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
        assert {uid for uid in uids if uid.startswith("drift-")} == alerts, rep

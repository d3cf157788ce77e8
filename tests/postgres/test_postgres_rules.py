"""README's "Who can do what on a team book" tables, checked row by row on a real server
as the owner role, a manager (carol) and a rep (bob) working beside another rep (alice)."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit import notices
from cockpit.cli import main
from cockpit.config import local_rep
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location
from cockpit.storage.models import Review, ReviewAction, ScheduledTouch
from tests.support.paths import ROOT

README = ROOT / "README.md"


def _readme_table(heading: str, after: str | None = None) -> list[dict[str, str]]:
    """The first Markdown table after `heading` (and after the line holding `after`)."""
    text = README.read_text(encoding="utf-8")
    text = text[text.index(heading) :]
    if after:
        text = text[text.index(after) :]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    start = text.splitlines().index(lines[0])
    table = []
    for line in text.splitlines()[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split("|")])
    header, rows = table[0], table[2:]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _seed(url: str, name: str) -> int:
    """A client of the connected rep with everything a client can have, and a review."""
    db = open_database(resolve_location(database_url=url))
    try:
        client = book.add_client(
            name, "Acme", emails=[f"{name.split()[0].lower()}@acme.example"], phones=["+1 555 0100"]
        )
        book.set_profile(client.id, {"nickname": name[:3], "weight": "62 kg"})
        book.add_interaction(client, "call", summary="Talked budgets")
        book.add_deal(client, "1200", currency="USD", won_on=date(2026, 11, 1))
        book.add_plan(client, "Quarterly update", 3, "months", date(2027, 1, 1))
        book.set_tags(client.id, ["golf", "Key account"])
        review = Review.create(
            week_start=date(2026, 11, 23),
            started_at=date(2026, 11, 23),
            agenda='{"as_of": "2026-11-23", "parts": []}',
            owner=book.current_rep(),
        )
        ReviewAction.create(
            review=review, item_key="x", step="skipped", created_at=date(2026, 11, 23)
        )
        ScheduledTouch.create(
            client=client, due_on=date(2026, 12, 1), review=review, created_at=date(2026, 11, 23)
        )
        _import(name)  # a row in every table of the import ledger
        _plan(client)
        _communication()
        return client.id
    finally:
        db.close()


def _plan(client) -> None:
    """The client's own account plan, and their account's when the rep manages it (the
    first rep at Acme does), each with an objective and an action."""
    from cockpit.storage import account_plans

    subjects = [account_plans.PlanFor(client_id=client.id)]
    account = client.account
    if account.owner == book.current_rep():
        subjects.append(account_plans.PlanFor(account_id=account.id))
    for subject in subjects:
        account_plans.save_plan_text(subject, "QBR each quarter", "", "Globex", None)
        account_plans.add_objective(subject, "Renew", date(2027, 6, 1), "signed")
        account_plans.add_action(subject, "Book the QBR", "me", date(2027, 1, 15))


def _communication() -> None:
    """A communication of the rep's to the core clients."""
    from cockpit.storage import segment_communications

    segment_communications.add_communication(
        "Market update", 3, "months", date(2027, 1, 1), segment_communications.Segment(tier="core")
    )


@pytest.fixture
def seeded(team):
    urls, roles = team
    return (
        urls,
        roles,
        {"alice": _seed(urls["alice"], "Ann Alice"), "bob": _seed(urls["bob"], "Bo Bob")},
    )


def _import(name: str) -> None:
    """An import that changes the seeded client: a title, a phone number (a row in every
    table of the import ledger, and nothing another test counts)."""
    import tempfile
    from pathlib import Path

    from cockpit.importers.files import import_paths

    first = name.split()[0]
    card = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nORG:Acme\r\nTITLE:Buyer\r\n"
        f"EMAIL:{first.lower()}@acme.example\r\nTEL:+1 555 0101\r\nEND:VCARD\r\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "card.vcf"
        path.write_text(card, encoding="utf-8")
        import_paths([path])


# -- what a rep may write, table by table ------------------------------------------------

# Whose a plan is: its account's owner, or its client's ("=" comes first in OWNED_BY's rules).
_PLAN_OWNER = (
    "COALESCE((SELECT a.owner FROM account a WHERE a.id IN ({plan}.account_id)), "
    "(SELECT c.owner FROM client c WHERE c.id IN ({plan}.client_id)))"
)
OWNED_BY = {  # README's words -> the rows of a table that belong to the rep, as SQL
    "own rows": "owner = %(rep)s",
    "rows of own clients": "client_id IN (SELECT id FROM client WHERE owner = %(rep)s)",
    "rows of own reviews": "review_id IN (SELECT id FROM review WHERE owner = %(rep)s)",
    "rows of own imports": "run_id IN (SELECT id FROM import_run WHERE owner = %(rep)s)",
    "rows of own accounts or clients": f"%(rep)s = {_PLAN_OWNER.format(plan='account_plan')}",
    "rows of own plans": (
        f"%(rep)s = (SELECT {_PLAN_OWNER.format(plan='p')} FROM account_plan p "
        "WHERE p.id IN (plan_id))"
    ),
    "nothing": "false",
}


def test_every_table_is_written_by_a_rep_exactly_as_readme_says(seeded, postgres_url):
    import psycopg

    urls, roles, _ = seeded
    said = {
        row["table"].strip("`"): row["a rep may write"]
        for row in _readme_table(
            "#### Who can do what on a team book", after="What a rep may write"
        )
    }
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        tables = [
            name
            for (name,) in admin.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
        ]
        assert sorted(said) == tables  # a new table needs its line in README
        rules = {table: OWNED_BY[said[table].split(" (")[0]] for table in tables}
        theirs = {
            table: admin.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {rule}", {"rep": roles["bob"]}
            ).fetchone()[0]
            for table, rule in rules.items()
        }
        columns = {
            table: admin.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() AND column_name <> 'id' "
                "ORDER BY ordinal_position LIMIT 1",
                (table,),
            ).fetchone()[0]
            for table in tables
        }
        before = {t: admin.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    with psycopg.connect(urls["bob"]) as bob:
        for table in tables:
            column = columns[table]
            with bob.transaction(force_rollback=True):
                changed = _count(bob, f'UPDATE {table} SET "{column}" = "{column}"')
                assert changed == theirs[table], f"{table}: changed {changed}"
            with bob.transaction(force_rollback=True):
                deleted = _count(bob, f"DELETE FROM {table}")
                assert deleted == theirs[table], f"{table}: deleted {deleted}"
            with bob.transaction(force_rollback=True):
                others = rules[table].replace("=", "<>", 1) if theirs[table] else "true"
                copied = _count(
                    bob,
                    f"INSERT INTO {table} SELECT * FROM {table} WHERE {others} LIMIT 1",
                    {"rep": roles["bob"]},
                )
                assert copied == 0, f"{table}: copied another's row"
            if theirs[table]:  # and one of their own goes back in after it was deleted
                with bob.transaction(force_rollback=True):
                    _readd_one_of_their_own(bob, table, rules[table], {"rep": roles["bob"]})
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        after = {t: admin.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    before.pop("book_revision"), after.pop("book_revision")  # counts refused statements too
    assert after == before


def _readd_one_of_their_own(bob, table: str, mine: str, parameters: dict) -> None:
    key = "key" if table == "cockpit_meta" else "id"
    columns = ", ".join(
        f'"{name}"'
        for (name,) in bob.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() AND column_name <> %s ORDER BY ordinal_position",
            (table, key),
        )
    )
    bob.execute(f"CREATE TEMP TABLE kept AS SELECT * FROM {table} WHERE {mine} LIMIT 1", parameters)
    bob.execute(f"DELETE FROM {table} WHERE {mine}", parameters)
    added = _count(bob, f"INSERT INTO {table} ({columns}) SELECT {columns} FROM kept")
    assert added == 1, f"{table}: could not add a row of their own"


def _count(connection, statement: str, parameters=None) -> int:
    """Rows the statement wrote; 0 when the server refused it."""
    import psycopg

    try:
        with connection.transaction():
            return connection.execute(statement, parameters).rowcount
    except psycopg.errors.InsufficientPrivilege:
        return 0


# -- who can do what, role by role -------------------------------------------------------


def test_each_role_can_do_what_readme_says_and_no_more(seeded, tmp_path, capsys):
    urls, roles, clients = seeded
    table = _readme_table("#### Who can do what on a team book")
    assert [row["role"] for row in table] == ["rep", "manager", "owner role"]
    who = {"rep": "bob", "manager": "carol", "owner role": "owner"}
    for row in table:
        actor = who[row["role"]]
        url = urls[actor]
        for column, expected in list(row.items())[1:]:
            found = ABILITIES[column](url, roles, clients, tmp_path, capsys)
            assert found == expected, f"{row['role']} / {column}: README says {expected!r}"


def _sees(url: str, statement: str, parameters=()) -> list:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(statement, parameters).fetchall()


def _writes(url: str, statement: str, parameters=()) -> bool:
    import psycopg

    with psycopg.connect(url) as connection, connection.transaction(force_rollback=True):
        try:
            return connection.execute(statement, parameters).rowcount > 0
        except psycopg.errors.InsufficientPrivilege:
            return False


def _read(url, roles, clients, *_):
    names = {name for (name,) in _sees(url, "SELECT name FROM client")}
    return "every client" if names == {"Ann Alice", "Bo Bob"} else f"only {sorted(names)}"


def _change(url, roles, clients, *_):
    theirs = _writes(
        url, "UPDATE interaction SET summary = 'x' WHERE client_id = %s", (clients["alice"],)
    )
    own = _writes(
        url, "UPDATE interaction SET summary = 'x' WHERE client_id = %s", (clients["bob"],)
    )
    return "every client" if theirs and own else "own clients" if own else "none"


def _read_sensitive(url, roles, clients, *_):
    seen = {
        client for (client,) in _sees(url, "SELECT client_id FROM profile_value WHERE sensitive")
    }
    if seen == {clients["alice"], clients["bob"]}:
        return "every client"
    return "own clients" if seen == {clients["bob"]} else f"clients {sorted(seen)}"


def _settings(url, roles, clients, tmp_path, capsys):
    status = main(["--database-url", url, "settings", "set", "health.cadence_tolerance", "2.5"])
    out, err = capsys.readouterr()
    if status == 0:
        assert "health.cadence_tolerance set to 2.5" in out
        assert main(["--database-url", url, "settings", "unset", "health.cadence_tolerance"]) == 0
        capsys.readouterr()
        return "yes"
    assert "only a manager" in err and "Traceback" not in err
    return "no"


def _reviews(url, roles, clients, *_):
    others = _sees(url, "SELECT id FROM review WHERE owner = %s", (roles["alice"],))
    own = _sees(url, "SELECT id FROM review WHERE owner = CURRENT_USER")
    changes_others = _writes(
        url, "UPDATE review SET summary = 'x' WHERE owner = %s", (roles["alice"],)
    )
    changes_own = _writes(url, "UPDATE review SET summary = 'x' WHERE owner = CURRENT_USER")
    if others and changes_others:
        return "all"
    if others:
        return "own, reads all" if changes_own or not own else "reads all"
    return "own"


def _assign(url, roles, clients, tmp_path, capsys):
    status = main(["--database-url", url, "assign", f"#{clients['alice']}", roles["bob"]])
    out, err = capsys.readouterr()
    if status == 0:
        assert f"is now {roles['bob']}'s (was {roles['alice']}'s)" in out
        assert main(["--database-url", url, "assign", f"#{clients['alice']}", roles["alice"]]) == 0
        capsys.readouterr()
        return "yes"
    assert "only a manager" in err and "Traceback" not in err
    return "no"


def _backup(url, roles, clients, tmp_path, capsys):
    target = tmp_path / f"backup-{len(list(tmp_path.iterdir()))}.json"
    status = main(["--database-url", url, "backup", str(target)])
    out, err = capsys.readouterr()
    if status == 0:
        assert "Backed up" in out and target.exists()
        assert "62 kg" in target.read_text(encoding="utf-8")
        return "yes"
    assert f"only {roles['owner']}, the role that owns this team book" in err
    assert not target.exists()
    return "no"


ABILITIES = {
    "read": _read,
    "change": _change,
    "read sensitive": _read_sensitive,
    "settings": _settings,
    "reviews": _reviews,
    "assign": _assign,
    "backup": _backup,
}


# -- team settings -------------------------------------------------------------------------


def test_a_managers_setting_changes_every_members_verdicts_and_a_reps_own_is_ignored(
    seeded, write_config, capsys
):
    urls, _, clients = seeded
    write_config("[health]\nhoneymoon_days = 30\n")
    assert main(["--database-url", urls["bob"], "settings"]) == 0
    out, err = capsys.readouterr()
    assert "health.honeymoon_days = 90 (default)" in out
    assert "do not apply to a team book" in err and err.count("do not apply") == 1
    notices.forget()  # a new run
    assert main(["--database-url", urls["bob"], "settings"]) == 0
    assert "do not apply" not in capsys.readouterr().err  # said once, not at every run
    assert (
        main(["--database-url", urls["carol"], "settings", "set", "health.honeymoon_days", "60"])
        == 0
    )
    assert "set to 60, for everyone" in capsys.readouterr().out
    assert main(["--database-url", urls["bob"], "settings"]) == 0
    assert "health.honeymoon_days = 60\n" in capsys.readouterr().out
    db = open_database(resolve_location(database_url=urls["alice"]))
    try:
        row = db.execute_sql(
            "SELECT honeymoon_end, won_on FROM client WHERE id = %s", (clients["alice"],)
        ).fetchone()
        assert (row[0] - row[1]).days == 60  # the summaries follow the team's honeymoon
        stored = db.execute_sql(
            "SELECT value FROM cockpit_meta WHERE key = 'honeymoon_days'"
        ).fetchone()[0]
        assert stored == "60"
    finally:
        db.close()


def test_a_rep_opening_the_book_writes_no_team_setting(seeded, postgres_url, write_config):
    import psycopg

    urls, _, _ = seeded
    write_config("[health]\nhoneymoon_days = 30\n")
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        before = admin.execute("SELECT * FROM cockpit_meta ORDER BY key").fetchall()
    assert main(["--database-url", urls["bob"], "drift"]) == 0
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        assert admin.execute("SELECT * FROM cockpit_meta ORDER BY key").fetchall() == before


def test_settings_set_on_sqlite_points_to_the_config_file(db, book_path, capsys):
    assert main(["--db", str(book_path), "settings", "set", "health.cadence_tolerance", "3"]) == 2
    assert "under [health] in" in capsys.readouterr().err
    assert main(["--db", str(book_path), "settings"]) == 0
    assert "health.cadence_tolerance = 1.25" in capsys.readouterr().out


def test_a_bad_team_setting_is_refused_with_its_range(seeded, capsys):
    urls, _, _ = seeded
    assert (
        main(["--database-url", urls["carol"], "settings", "set", "health.honeymoon_days", "-90"])
        == 1
    )
    assert "must be a number above zero" in capsys.readouterr().err
    assert main(["--database-url", urls["carol"], "settings", "set", "health.nope", "1"]) == 2
    assert "is not a team setting" in capsys.readouterr().err


# -- handing clients over, forgetting, backups ---------------------------------------------


def test_a_manager_hands_a_leaving_reps_book_over_with_a_note_on_each_timeline(seeded, capsys):
    urls, roles, clients = seeded
    alice, bob = roles["alice"], roles["bob"]
    assert main(["--database-url", urls["carol"], "assign", "--from", alice, "--to", bob]) == 0
    assert f"Handed 1 client(s) over from {alice} to {bob}: Ann Alice." in capsys.readouterr().out
    db = open_database(resolve_location(database_url=urls["bob"]))
    try:
        assert (
            db.execute_sql(
                "SELECT owner FROM client WHERE id = %s", (clients["alice"],)
            ).fetchone()[0]
            == bob
        )
        notes = db.execute_sql(
            "SELECT kind, summary FROM interaction WHERE client_id = %s AND kind = 'note'",
            (clients["alice"],),
        ).fetchall()
        assert notes == [("note", f"Handed over from {alice} to {bob}.")]
    finally:
        db.close()
    assert (
        main(["--database-url", urls["carol"], "assign", "--from", alice, "--to", "nobody_here"])
        == 2
    )
    assert "there is no role 'nobody_here'" in capsys.readouterr().err


def test_assign_on_sqlite_is_anyones_and_leaves_a_note(db, book_path, capsys):
    ann = book.add_client("Ann Smith", "Acme")
    assert main(["--db", str(book_path), "assign", "Ann", "bob"]) == 0
    assert "is now bob's" in capsys.readouterr().out
    assert book.owners()[ann.id] == "bob"
    assert main(["--db", str(book_path), "assign", "--from", "bob", "--to", "carol"]) == 0
    assert "Handed 1 client(s) over from bob to carol" in capsys.readouterr().out
    summaries = [s for (s,) in db.execute_sql("SELECT summary FROM interaction ORDER BY id")]
    assert summaries == [
        f"Handed over from {local_rep()} to bob.",
        "Handed over from bob to carol.",
    ]
    assert main(["--db", str(book_path), "assign", "Ann"]) == 2


def test_forget_profile_works_on_a_server_and_says_what_the_server_keeps(
    seeded, capsys, postgres_url
):
    import psycopg

    urls, _, clients = seeded
    assert main(["--database-url", urls["bob"], "forget", f"#{clients['alice']}", "--profile"]) == 2
    assert "another rep's" in capsys.readouterr().err
    assert (
        main(["--database-url", urls["alice"], "forget", f"#{clients['alice']}", "--profile"]) == 0
    )
    out, err = capsys.readouterr()
    assert "Erased 2 profile answers of #" in out and "Ann Alice (Acme) from the book." in out
    assert err == ""
    assert "until VACUUM" in out and "write-ahead log" in out and "pg_dump" in out
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        assert (
            admin.execute(
                "SELECT COUNT(*) FROM profile_value WHERE client_id = %s", (clients["alice"],)
            ).fetchone()[0]
            == 0
        )


def test_forgetting_takes_the_occasions_out_of_every_reps_reviews(seeded, postgres_url):
    import json

    import psycopg

    urls, _, clients = seeded
    agenda = {
        "as_of": "2026-11-23",
        "parts": [
            {
                "key": "occasions",
                "items": [
                    {"client_id": clients["alice"], "part": "occasions", "key": "o1"},
                    {"client_id": clients["alice"], "part": "drifting-core", "key": "d1"},
                    {"client_id": clients["bob"], "part": "occasions", "key": "o2"},
                ],
            }
        ],
    }
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("UPDATE review SET agenda = %s", (json.dumps(agenda),))
    assert (
        main(["--database-url", urls["alice"], "forget", f"#{clients['alice']}", "--profile"]) == 0
    )
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for owner, kept in admin.execute("SELECT owner, agenda FROM review").fetchall():
            keys = [item["key"] for item in json.loads(kept)["parts"][0]["items"]]
            assert keys == ["d1", "o2"], owner  # bob's review too, which alice cannot read
    with psycopg.connect(urls["bob"], autocommit=True) as bob:  # not a lever for a rep
        bob.execute("SELECT cockpit_forget_in_reviews(%s)", (clients["bob"],))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for _owner, kept in admin.execute("SELECT owner, agenda FROM review").fetchall():
            assert len(json.loads(kept)["parts"][0]["items"]) == 2


def test_migrate_to_from_a_team_book_is_the_owners_alone(seeded, tmp_path, capsys):
    urls, roles, _ = seeded
    target = tmp_path / "copy.db"
    assert main(["--database-url", urls["carol"], "migrate-to", f"sqlite:///{target}"]) == 1
    assert f"only {roles['owner']}" in capsys.readouterr().err
    assert not target.exists()
    assert main(["--database-url", urls["owner"], "migrate-to", f"sqlite:///{target}"]) == 0
    capsys.readouterr()


def test_a_reps_review_is_theirs_and_a_manager_resumes_only_their_own(seeded):
    from cockpit.review import build_agenda
    from cockpit.review import keeping as reviews

    urls, roles, _ = seeded
    for name in ("alice", "carol"):
        db = open_database(resolve_location(database_url=urls[name]))
        try:
            opened = reviews.open_review(date(2026, 11, 23), build_agenda)
            owner = db.execute_sql(
                "SELECT owner FROM review WHERE id = %s", (opened.id,)
            ).fetchone()[0]
            assert owner == roles[name]
        finally:
            db.close()


def test_a_restored_team_book_keeps_its_team_settings_in_force(
    seeded, postgres_server, tmp_path, capsys
):
    from tests.support.postgres_server import fresh_database

    urls, _, clients = seeded
    assert (
        main(["--database-url", urls["carol"], "settings", "set", "health.honeymoon_days", "60"])
        == 0
    )
    backup = tmp_path / "team.json"
    assert main(["--database-url", urls["owner"], "backup", str(backup)]) == 0
    target, drop = fresh_database(postgres_server)
    try:
        assert main(["--database-url", target, "restore", str(backup)]) == 0
        import psycopg

        with psycopg.connect(target, autocommit=True) as admin:  # as restore left it
            won, end = admin.execute(
                "SELECT won_on, honeymoon_end FROM client WHERE id = %s", (clients["alice"],)
            ).fetchone()
            assert (end - won).days == 60
        capsys.readouterr()
        assert main(["--database-url", target, "settings"]) == 0
        assert "health.honeymoon_days = 60\n" in capsys.readouterr().out
    finally:
        drop()


def test_a_team_setting_broken_around_cockpit_falls_back_and_can_be_mended(
    seeded, postgres_url, capsys
):
    import psycopg

    urls, _, _ = seeded
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("INSERT INTO cockpit_meta VALUES ('health.cadence_tolerance', 'nan')")
    assert main(["--database-url", urls["bob"], "drift"]) == 0
    assert "its default applies until a manager sets it again" in capsys.readouterr().err
    assert (
        main(["--database-url", urls["carol"], "settings", "unset", "health.cadence_tolerance"])
        == 0
    )
    for typed in ("1_0", "\uff14\uff15", "1e3", "nan"):
        code = main(
            ["--database-url", urls["carol"], "settings", "set", "health.cadence_tolerance", typed]
        )
        assert code == 1 and "must be a number" in capsys.readouterr().err


def test_team_settings_of_the_earlier_rules_are_read_with_a_warning(seeded, postgres_url, capsys):
    """A team book set up under the first rules keeps working: a renamed setting carries
    its value over, a retired one is left out, each said in one line."""
    import psycopg

    urls, _, _ = seeded
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("INSERT INTO cockpit_meta VALUES ('health.plan_core_days', '20')")
        admin.execute("INSERT INTO cockpit_meta VALUES ('health.plan_factor', '3.0')")
    assert main(["--database-url", urls["bob"], "settings"]) == 0
    captured = capsys.readouterr()
    assert "health.cadence_core_days = 20" in captured.out
    assert "plan_factor" not in captured.out
    assert "plan_core_days is now called cadence_core_days" in captured.err
    assert "plan_factor is no longer used" in captured.err

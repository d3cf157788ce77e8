"""A rep attacking the team book from psql: shadowing the tables the rules read in pg_temp,
planting functions and operators in a schema of their own first on the search_path, and
writing every table of the book. Each attempt must leave another rep's data as it was."""

from __future__ import annotations

import pytest

from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location
from tests.support.postgres_server import BEFORE_ACCOUNTS

pytestmark = pytest.mark.usefixtures("today")

# A schema 4 book's rules as Cockpit made them before version 5 (the part that mattered).
SCHEMA_4_RULES = (
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cockpit_rep",
    """CREATE FUNCTION cockpit_may_change(wanted integer) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT pg_has_role(current_user, 'cockpit_manager', 'MEMBER') OR EXISTS (
        SELECT 1 FROM "client" WHERE "id" = wanted AND "owner" = current_user) $$""",
    """CREATE OR REPLACE FUNCTION cockpit_count_change() RETURNS trigger LANGUAGE plpgsql
    SECURITY INVOKER AS
    $$ BEGIN UPDATE book_revision SET changes = changes + 1; RETURN NULL; END $$""",
    "ALTER TABLE client ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY team_reads ON client FOR SELECT USING (true)",
    "CREATE POLICY owner_changes ON client FOR UPDATE USING (cockpit_may_change(id))",
    "ALTER TABLE profile_value ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY team_reads ON profile_value FOR SELECT
    USING (NOT sensitive OR cockpit_may_change(client_id))""",
    "CREATE POLICY owner_changes ON profile_value FOR UPDATE USING (cockpit_may_change(client_id))",
)


@pytest.fixture(params=["new book", "book upgraded from schema 4"])
def book_of(request, team):
    """The team book, new or upgraded from schema 4 by its owner."""
    if request.param == "new book":
        return team
    import psycopg

    urls, _ = team
    with psycopg.connect(urls["owner"], autocommit=True) as owner:
        for table, policy in owner.execute(
            "SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public'"
        ).fetchall():
            owner.execute(f'DROP POLICY "{policy}" ON "{table}"')
        for table in ("review", "review_action", "cockpit_meta", "interaction", "deal"):
            owner.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        for statement in BEFORE_ACCOUNTS:
            owner.execute(statement)
        owner.execute('ALTER TABLE "review" DROP COLUMN "owner"')
        owner.execute('ALTER TABLE "client" DROP COLUMN "previous_touch_on"')  # version 6's
        owner.execute('ALTER TABLE "client" DROP COLUMN "first_touch_since_won"')
        owner.execute('ALTER TABLE "planned_communication" DROP COLUMN "kind"')
        for statement in SCHEMA_4_RULES:
            owner.execute(statement)
        owner.execute("UPDATE cockpit_meta SET value = '4' WHERE key = 'schema_version'")
    open_database(resolve_location(database_url=urls["owner"])).close()
    with psycopg.connect(urls["owner"], autocommit=True) as owner:
        left = owner.execute("SELECT COUNT(*) FROM pg_proc WHERE proname = 'cockpit_may_change'")
        assert left.fetchone()[0] == 0
    return team


def _alice_seeds(url: str) -> dict[str, int]:
    """Alice's client with a touch, a deal, a plan, sensitive and plain answers."""
    from datetime import date

    db = open_database(resolve_location(database_url=url))
    try:
        ann = book.add_client("Ann Private", "Acme", emails=["ann@acme.example"])
        book.set_profile(ann.id, {"nickname": "Annie", "weight": "62 kg"})
        touch = book.add_interaction(ann, "call", summary="Talked budgets")
        deal = book.add_deal(ann, "1200", currency="USD", won_on=date(2026, 11, 1))
        book.add_plan(ann, "Quarterly update", 3, "months", date(2027, 1, 1))
        return {"client": ann.id, "touch": touch.id, "deal": deal.id}
    finally:
        db.close()


def _state(admin_url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the book, as the tables' owner sees it."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        tables = _book_tables(admin)
        return {
            table: admin.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in tables
        }


def _book_tables(connection) -> list[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


SHADOWS = """
CREATE TEMP TABLE client (id integer, owner text, name text);
CREATE TEMP TABLE profile_value (client_id integer, sensitive boolean, text text);
CREATE TEMP TABLE review (id integer, owner text, agenda text);
CREATE TEMP TABLE review_action (id integer, review_id integer);
CREATE TEMP TABLE book_revision (id integer, book text, changes integer);
CREATE TEMP TABLE cockpit_meta (key text, value text);
"""

# Functions and operators that say yes to everything, under the names the rules could use.
PLANTED = """
CREATE SCHEMA planted;
CREATE FUNCTION planted.pg_has_role(name, text, text) RETURNS boolean
    LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.pg_has_role(text, text, text) RETURNS boolean
    LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.pg_has_role(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.starts_with(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(text, name) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(name, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(integer, integer) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(bigint, integer) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION planted.yes(integer, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR planted.= (LEFTARG = text, RIGHTARG = text, FUNCTION = planted.yes);
CREATE OPERATOR planted.= (LEFTARG = text, RIGHTARG = name, FUNCTION = planted.yes);
CREATE OPERATOR planted.= (LEFTARG = name, RIGHTARG = text, FUNCTION = planted.yes);
CREATE OPERATOR planted.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = planted.yes);
CREATE OPERATOR planted.= (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = planted.yes);
CREATE OPERATOR planted.= (LEFTARG = integer, RIGHTARG = bigint, FUNCTION = planted.yes);
CREATE FUNCTION planted.cockpit_may_change(integer) RETURNS boolean
    LANGUAGE sql AS 'SELECT true';
"""


def _attacker(url: str, role: str, admin_url: str, ann: int):
    """Bob's psql session with every shadow and planted name in place."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        database = admin.info.dbname
        admin.execute(f'GRANT CREATE ON DATABASE "{database}" TO {role}')
    bob = psycopg.connect(url, autocommit=True)
    schema = bob.execute("SELECT current_schema()").fetchone()[0]
    bob.execute(SHADOWS)
    bob.execute("INSERT INTO pg_temp.client VALUES (%s, current_user, 'mine now')", (ann,))
    bob.execute("INSERT INTO pg_temp.profile_value VALUES (%s, false, 'x')", (ann,))
    bob.execute("INSERT INTO pg_temp.cockpit_meta VALUES ('schema_version', '4')")
    bob.execute("INSERT INTO pg_temp.book_revision VALUES (1, 'fake', 0)")
    bob.execute(PLANTED)
    bob.execute(f'SET search_path = planted, pg_temp, "{schema}", pg_catalog')
    return bob


def _refused(connection, statement: str, parameters=()) -> int:
    """How many rows the statement changed; 0 when the server refused it."""
    import psycopg

    try:
        return connection.execute(statement, parameters).rowcount
    except psycopg.errors.InsufficientPrivilege:
        return 0


def test_a_rep_who_shadows_every_name_the_rules_use_still_cannot_touch_anothers_data(
    book_of, postgres_url
):
    urls, roles = book_of
    ids = _alice_seeds(urls["alice"])
    ann = ids["client"]
    before = _state(postgres_url)
    bob = _attacker(urls["bob"], roles["bob"], postgres_url, ann)
    try:
        sensitive = bob.execute(
            f'SELECT text FROM "{_schema(bob)}".profile_value WHERE sensitive'
        ).fetchall()
        assert sensitive == []
        unqualified = bob.execute("SELECT text FROM profile_value").fetchall()
        assert ("62 kg",) not in unqualified
        schema = _schema(bob)
        attempts = [
            (f'UPDATE "{schema}".client SET owner = current_user WHERE id = %s', (ann,)),
            (f'UPDATE "{schema}".client SET name = %s WHERE id = %s', ("Taken", ann)),
            (f'DELETE FROM "{schema}".client WHERE id = %s', (ann,)),
            (f'UPDATE "{schema}".interaction SET summary = %s', ("rewritten",)),
            (f'DELETE FROM "{schema}".interaction WHERE client_id = %s', (ann,)),
            (f'UPDATE "{schema}".deal SET amount_cents = 1', ()),
            (f'DELETE FROM "{schema}".deal', ()),
            (f'DELETE FROM "{schema}".planned_communication', ()),
            (f'UPDATE "{schema}".profile_value SET text = %s', ("rewritten",)),
            (f'DELETE FROM "{schema}".profile_value', ()),
            (f'DELETE FROM "{schema}".client_email', ()),
            (f"UPDATE \"{schema}\".cockpit_meta SET value = '99' WHERE key = 'schema_version'", ()),
            (f'UPDATE "{schema}".book_revision SET changes = 0', ()),
            (f'DELETE FROM "{schema}".book_revision', ()),
        ]
        for statement, parameters in attempts:
            assert _refused(bob, statement, parameters) == 0, statement
        import psycopg

        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                f'INSERT INTO "{schema}".interaction (client_id, occurred_at, day, kind, '
                "intent, duration_min, summary, follow_up_done, created_at) VALUES "
                "(%s, now(), current_date, 'call', 'sales', 5, 'forged', false, now())",
                (ann,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                f'INSERT INTO "{schema}".cockpit_meta (key, value) VALUES '
                "('health.honeymoon_days', '1')"
            )
    finally:
        bob.close()
    after = _state(postgres_url)
    # Refused statements still count as statements: the count may only grow.
    ((_, book_id, changes_before),) = before.pop("book_revision")
    ((_, same_book, changes_after),) = after.pop("book_revision")
    assert same_book == book_id and changes_after >= changes_before
    assert after == before


def test_the_revision_counts_a_reps_write_even_with_book_revision_shadowed(book_of, postgres_url):
    import psycopg

    urls, roles = book_of
    ids = _alice_seeds(urls["alice"])
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        counted = admin.execute("SELECT changes FROM book_revision").fetchone()[0]
    bob = _attacker(urls["bob"], roles["bob"], postgres_url, ids["client"])
    try:
        schema = _schema(bob)
        bob.execute(
            f'INSERT INTO "{schema}".client (name, company, name_key, company_key, title, '
            "lifecycle, strategic, archived, created_at, updated_at, honeymoon_touch_days, "
            "search_key, owner) VALUES ('Bo', '', 'bo', '', '', 'active', false, false, now(), "
            "now(), 0, 'bo', current_user)"
        )
    finally:
        bob.close()
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        assert admin.execute("SELECT changes FROM book_revision").fetchone()[0] == counted + 1


def _schema(connection) -> str:
    """The book's schema (the first on the attacker's path is their own)."""
    rows = connection.execute(
        "SELECT schemaname FROM pg_catalog.pg_tables WHERE tablename = 'cockpit_meta' "
        "AND schemaname NOT LIKE 'pg_temp%'"
    ).fetchall()
    assert len(rows) == 1
    return rows[0][0]


def test_a_schema_named_like_a_colleague_catches_none_of_their_cockpits_work(
    team, postgres_url, capsys
):
    """With CREATE on the database, alice makes a schema named like carol (first on carol's
    default path) holding a team-settings table and a function of the same name as the one
    `forget` calls; carol's Cockpit goes on using the book's own."""
    import psycopg

    from cockpit.cli import main

    urls, roles = team
    ids = _alice_seeds(urls["alice"])
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'GRANT CREATE ON DATABASE "{admin.info.dbname}" TO {roles["alice"]}')
    carol = roles["carol"]
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        alice.execute(f"CREATE SCHEMA {carol}")
        alice.execute(f"GRANT USAGE ON SCHEMA {carol} TO PUBLIC")
        alice.execute(f"CREATE TABLE {carol}.cockpit_meta AS SELECT * FROM public.cockpit_meta")
        alice.execute(f"INSERT INTO {carol}.cockpit_meta VALUES ('health.cadence_tolerance', '50')")
        alice.execute(f"GRANT ALL ON {carol}.cockpit_meta TO PUBLIC")
        alice.execute(
            f"CREATE FUNCTION {carol}.cockpit_forget_in_reviews(gone bigint) RETURNS void "
            "LANGUAGE sql AS $$ UPDATE public.client SET owner = current_user $$"
        )
        alice.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {carol} TO PUBLIC")
    before = _state(postgres_url)
    assert main(["--database-url", urls["carol"], "settings"]) == 0
    assert "health.cadence_tolerance = 1.25 (default)" in capsys.readouterr().out
    assert main(["--database-url", urls["carol"], "forget", f"#{ids['client']}", "--profile"]) == 0
    after = _state(postgres_url)
    assert [row for row in after["profile_value"]] == []
    assert after["client"] == before["client"]  # owners as they were
    assert after["cockpit_meta"] == before["cockpit_meta"]


@pytest.mark.parametrize(
    "agenda",
    [
        "not json",
        '{"parts": {}}',
        '{"parts": [{"items": [{"client_id": "x"}]}]}',
        '{"parts": [1]}',
        '{"parts": [{"items": [{"client_id": 1e30}]}]}',
    ],
)
def test_a_reps_broken_review_does_not_stop_anyone_forgetting(team, postgres_url, agenda):
    import json

    import psycopg

    from cockpit.cli import main

    urls, _ = team
    ids = _alice_seeds(urls["alice"])
    kept = {
        "as_of": "2026-11-23",
        "parts": [
            {
                "key": "occasions",
                "items": [{"client_id": ids["client"], "part": "occasions", "key": "o1"}],
            }
        ],
    }
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        for text in (agenda, json.dumps(kept)):
            bob.execute(
                "INSERT INTO review (week_start, started_at, agenda, summary, owner) "
                "VALUES ('2026-11-30', now(), %s, '', current_user)",
                (text,),
            )
    assert main(["--database-url", urls["alice"], "forget", f"#{ids['client']}", "--profile"]) == 0
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        agendas = [row[0] for row in admin.execute("SELECT agenda FROM review ORDER BY id")]
    assert agendas[0] == agenda  # left as it was
    assert json.loads(agendas[1])["parts"][0]["items"] == []


def test_a_rep_acting_as_the_group_role_cannot_make_a_client_everyones(team):
    import psycopg

    urls, _ = team
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        bob.execute("SET ROLE cockpit_rep")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO client (name, company, name_key, company_key, title, lifecycle, "
                "strategic, archived, created_at, updated_at, honeymoon_touch_days, "
                "search_key, owner) VALUES ('Shared', '', 'shared', '', '', 'active', false, "
                "false, now(), now(), 0, 'shared', current_user)"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO review (week_start, started_at, agenda, summary, owner) "
                "VALUES ('2026-11-30', now(), '{}', '', current_user)"
            )

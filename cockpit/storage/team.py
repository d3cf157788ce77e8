"""Who may read and write what in a team book on PostgreSQL, enforced by the server.

Each rep connects with a login role of their own, a member of `cockpit_rep`
(`CREATE ROLE alice LOGIN IN ROLE cockpit_rep`); a manager's role is a member of
`cockpit_manager` too. Grants and row-level security then hold whatever program
connects, psql included:

- everyone in the team reads every client, touch, deal and plan (the team view);
- only a client's owner (or a manager) changes them or anything of theirs (their tags too);
- a sensitive profile answer is read only by the client's owner (or a manager);
- an account is read by everyone; its owner (the key account manager) or a manager changes
  it, and a rep adds accounts of their own; a merge is its rep's to undo (or a manager's);
- an account plan, its objectives and actions are read by everyone and changed by whoever
  changes its account (or, for a client's own plan, the client), or a manager;
- a communication to a segment is read by everyone and changed by its rep (or a manager);
  marking it sent writes touches, which the rules of each client's touches allow or not;
- a review is its rep's: they read and change it, a manager reads it too;
- the team settings (`health.*` in `cockpit_meta`) are read by all, changed by managers;
  nothing else in `cockpit_meta` and nothing in `book_revision` is written by a rep;
- an import (the ledger `cockpit import --undo` reads) is its rep's: they read it and undo
  it, a manager reads it too; a sensitive profile answer it changed is read only by whoever
  reads the client's sensitive answers.

A client with no owner (from a book made before owners) is the managers' to assign.
The role that created the tables owns them and is not bound by these rules.

Nothing here depends on the caller's search_path: the rules are created with the path
pinned to pg_catalog, so every function and operator they name is PostgreSQL's own and
is stored by its identity; every table is named with its schema; the functions run with
a path of their own. A rep's temporary tables, or functions and operators of theirs,
change nothing the server decides.
"""

from __future__ import annotations

from enum import StrEnum

from peewee import Database

from cockpit.storage import revision
from cockpit.storage.revision import quoted_schema
from cockpit.storage.schema_version import HONEYMOON_DAYS_KEY, TEAM_SETTING_PREFIX

REP_ROLE = "cockpit_rep"
MANAGER_ROLE = "cockpit_manager"
# The import ledger: the imports, and the tables whose rows belong to one (a `run_id`).
IMPORT_TABLE = "import_run"
IMPORT_TABLES = ("import_client", "import_rows", "import_change")
# Tables whose rows belong to a client (a `client_id`), written by its owner or a manager.
CHILD_TABLES = (
    "interaction",
    "deal",
    "client_email",
    "client_phone",
    "planned_communication",
    "scheduled_touch",
    "account_move",
    "client_tag",
    "import_source",
    "heard_from",
)
TAG_TABLE = "client_tag"  # one of them, from schema 12 on
SOURCE_TABLE = "import_source"  # and this one from schema 14 on
HEARD_TABLE = "heard_from"  # and this one from schema 15 on
ACCOUNT_TABLES = ("account", "account_merge")  # an owner's, read by the team
PLAN_TABLE = "account_plan"  # its account's (or its client's), read by the team
PLAN_PARTS = ("plan_objective", "plan_action")  # rows of one plan (a `plan_id`)
SEGMENT_TABLE = "segment_communication"  # its rep's (`owner`), read by the team

_ME = "(CURRENT_USER)::text"
# The group roles are no one: a rep who does SET ROLE cockpit_rep owns nothing as it, so no
# client or review is shared by every rep through them.
_GROUPS = f"('{REP_ROLE}', '{MANAGER_ROLE}')"
_A_PERSON = f"CURRENT_USER NOT IN {_GROUPS}"
_MANAGER = f"pg_has_role(CURRENT_USER, '{MANAGER_ROLE}', 'MEMBER')"
_PINNED_PATH = "pg_catalog, pg_temp"  # pg_temp last: never before the named schemas


class Powers(StrEnum):
    """What the connected role may do in a team book."""

    REP = "rep"
    MANAGER = "manager"
    OWNER = "owner"  # owns the tables (or bypasses row security): reads and writes all


def install_row_security(db: Database) -> None:
    """Roles, grants, policies and functions in the book's schema; run again, it puts
    them back as this version defines them (earlier policies are dropped first)."""
    schema = quoted_schema(db)
    saved_path = db.execute_sql("SELECT pg_catalog.current_setting('search_path')").fetchone()[0]
    db.execute_sql("SELECT pg_catalog.set_config('search_path', %s, true)", (_PINNED_PATH,))
    name = schema[1:-1].replace('""', '"')

    for table, policy in db.execute_sql(
        "SELECT tablename, policyname FROM pg_catalog.pg_policies WHERE schemaname = %s",
        (name,),
    ).fetchall():
        db.execute_sql(f'DROP POLICY "{policy}" ON {schema}."{table}"')
    # An upgrade passes through here before the import ledger's tables exist (schema 5).
    ledger = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{IMPORT_TABLE}"',)
    ).fetchone()[0]
    # And before schema 10's accounts.
    accounts = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."account"',)
    ).fetchone()[0]
    # And before schema 11's account plans, and schema 12's tags.
    plans = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{PLAN_TABLE}"',)
    ).fetchone()[0]
    tags = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{TAG_TABLE}"',)
    ).fetchone()[0]
    # And before schema 13's communications to a segment, and schema 14's import sources.
    segments = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{SEGMENT_TABLE}"',)
    ).fetchone()[0]
    sources = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{SOURCE_TABLE}"',)
    ).fetchone()[0]
    heard = db.execute_sql(
        "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", (f'{schema}."{HEARD_TABLE}"',)
    ).fetchone()[0]
    for statement in _statements(
        schema,
        ledger=ledger,
        accounts=accounts,
        plans=plans,
        tags=tags,
        segments=segments,
        sources=sources,
        heard=heard,
    ):
        db.execute_sql(statement)
    db.execute_sql("SELECT pg_catalog.set_config('search_path', %s, true)", (saved_path,))


def _statements(
    schema: str,
    *,
    ledger: bool = True,
    accounts: bool = True,
    plans: bool = True,
    tags: bool = True,
    segments: bool = True,
    sources: bool = True,
    heard: bool = True,
) -> list[str]:
    ledger_tables = (IMPORT_TABLE, *IMPORT_TABLES) if ledger else ()
    account_tables = ACCOUNT_TABLES if accounts else ()
    owned_tables = (*account_tables, *((SEGMENT_TABLE,) if segments else ()))
    plan_tables = (PLAN_TABLE, *PLAN_PARTS) if plans else ()
    child_tables = _child_tables(accounts=accounts, tags=tags, sources=sources, heard=heard)
    client_tables = ", ".join(
        f'{schema}."{table}"'
        for table in (
            "client",
            *owned_tables,
            *plan_tables,
            *child_tables,
            "profile_value",
            "review",
            "review_action",
            *ledger_tables,
        )
    )
    statements = [
        _create_role(REP_ROLE, ""),
        _create_role(MANAGER_ROLE, f" IN ROLE {REP_ROLE}"),
        f"DROP FUNCTION IF EXISTS {schema}.cockpit_may_change(integer)",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {REP_ROLE}, {MANAGER_ROLE}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM PUBLIC, {REP_ROLE}, {MANAGER_ROLE}",
        f"GRANT USAGE ON SCHEMA {schema} TO {REP_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {client_tables} TO {REP_ROLE}",
        f'GRANT SELECT ON {schema}."cockpit_meta", {schema}."{revision.TABLE}" TO {REP_ROLE}',
        f'GRANT INSERT, UPDATE, DELETE ON {schema}."cockpit_meta" TO {MANAGER_ROLE}',
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {REP_ROLE}",
        *_client_policies(schema, child_tables),
        *_owned_policies(schema, owned_tables),
        *(_plan_policies(schema) if plans else []),
        *_review_policies(schema),
        *_team_setting_policies(schema),
        *(_import_policies(schema) if ledger else []),
        revision.count_function_sql(schema),
        f"REVOKE ALL ON FUNCTION {schema}.cockpit_count_change() FROM PUBLIC",
        _forget_in_reviews_sql(schema),
        f"REVOKE ALL ON FUNCTION {schema}.cockpit_forget_in_reviews(bigint) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {schema}.cockpit_forget_in_reviews(bigint) TO {REP_ROLE}",
        _forget_in_imports_sql(schema),
        f"REVOKE ALL ON FUNCTION {schema}.cockpit_forget_in_imports(bigint) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {schema}.cockpit_forget_in_imports(bigint) TO {REP_ROLE}",
        _gone_in_reviews_sql(schema),
        f"REVOKE ALL ON FUNCTION {schema}.cockpit_gone_in_reviews(bigint[]) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {schema}.cockpit_gone_in_reviews(bigint[]) TO {REP_ROLE}",
    ]
    return statements


def _child_tables(
    *, accounts: bool, tags: bool, sources: bool = True, heard: bool = True
) -> tuple[str, ...]:
    """The CHILD_TABLES a book has (an upgrade passes through here before some exist)."""
    missing = {"account_move"} if not accounts else set()
    if not tags:
        missing.add(TAG_TABLE)
    if not sources:
        missing.add(SOURCE_TABLE)
    if not heard:
        missing.add(HEARD_TABLE)
    return tuple(table for table in CHILD_TABLES if table not in missing)


def _owns(schema: str, column: str) -> str:
    """The user owns the client whose id is in `column` of the row."""
    return (
        f'EXISTS (SELECT 1 FROM {schema}."client" AS owned '
        f'WHERE owned."id" = {column} AND owned."owner" = {_ME} AND {_A_PERSON})'
    )


def _owned_policies(schema: str, tables: tuple[str, ...]) -> list[str]:
    """Rows with an `owner` (accounts, merges, communications to a segment): read by the
    team, written by their owner or a manager, added by a rep as their own."""
    mine = f'(("owner" = {_ME} AND {_A_PERSON}) OR {_MANAGER})'
    owned_by_a_person = f'({mine} AND "owner" NOT IN {_GROUPS})'
    statements = []
    for table in tables:
        statements += [
            f'ALTER TABLE {schema}."{table}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY team_reads ON {schema}."{table}" FOR SELECT USING (true)',
            f'CREATE POLICY owner_adds ON {schema}."{table}" FOR INSERT '
            f"WITH CHECK {owned_by_a_person}",
            f'CREATE POLICY owner_changes ON {schema}."{table}" FOR UPDATE USING {mine} '
            f"WITH CHECK {owned_by_a_person}",
            f'CREATE POLICY owner_deletes ON {schema}."{table}" FOR DELETE USING {mine}',
        ]
    return statements


def _plan_policies(schema: str) -> list[str]:
    """A plan is changed by whoever changes its account (its key account manager), or for a
    client's own plan whoever changes the client, or a manager; its objectives and actions
    go with it. Everyone reads them, as they read accounts and clients."""

    def plan_is_mine(plan: str) -> str:
        account = (
            f'EXISTS (SELECT 1 FROM {schema}."account" AS owned '
            f'WHERE owned."id" = {plan}"account_id" AND owned."owner" = {_ME} AND {_A_PERSON})'
        )
        client = _owns(schema, f'{plan}"client_id"')
        return f"({account} OR {client})"

    of_my_plan = (
        f'EXISTS (SELECT 1 FROM {schema}."{PLAN_TABLE}" AS kept '
        f'WHERE kept."id" = "plan_id" AND {plan_is_mine("kept.")})'
    )
    statements = [
        f'ALTER TABLE {schema}."{PLAN_TABLE}" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY team_reads ON {schema}."{PLAN_TABLE}" FOR SELECT USING (true)',
        *_writes(f'{schema}."{PLAN_TABLE}"', f"({_MANAGER} OR {plan_is_mine('')})"),
    ]
    for table in PLAN_PARTS:
        statements += [
            f'ALTER TABLE {schema}."{table}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY team_reads ON {schema}."{table}" FOR SELECT USING (true)',
            *_writes(f'{schema}."{table}"', f"({_MANAGER} OR {of_my_plan})"),
        ]
    return statements


def _client_policies(schema: str, child_tables: tuple[str, ...] = CHILD_TABLES) -> list[str]:
    mine = f'(("owner" = {_ME} AND {_A_PERSON}) OR {_MANAGER})'
    owned_by_a_person = f'({mine} AND "owner" NOT IN {_GROUPS})'
    statements = [
        f'ALTER TABLE {schema}."client" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY team_reads ON {schema}."client" FOR SELECT USING (true)',
        f'CREATE POLICY owner_adds ON {schema}."client" FOR INSERT WITH CHECK {owned_by_a_person}',
        f'CREATE POLICY owner_changes ON {schema}."client" FOR UPDATE USING {mine} '
        f"WITH CHECK {owned_by_a_person}",
        f'CREATE POLICY owner_deletes ON {schema}."client" FOR DELETE USING {mine}',
    ]
    owns_the_client = _owns(schema, '"client_id"')
    may_change = f"({_MANAGER} OR {owns_the_client})"
    for table in child_tables:
        statements += [
            f'ALTER TABLE {schema}."{table}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY team_reads ON {schema}."{table}" FOR SELECT USING (true)',
            *_writes(f'{schema}."{table}"', may_change),
        ]
    statements += [
        f'ALTER TABLE {schema}."profile_value" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY team_reads ON {schema}."profile_value" FOR SELECT '
        f'USING (NOT "sensitive" OR {may_change})',
        *_writes(f'{schema}."profile_value"', may_change),
    ]
    return statements


def _review_policies(schema: str) -> list[str]:
    mine = f'("owner" = {_ME} AND {_A_PERSON})'
    mine_or_managers = f"({mine} OR {_MANAGER})"
    of_my_review = (
        f'EXISTS (SELECT 1 FROM {schema}."review" AS kept '
        f'WHERE kept."id" = "review_id" AND kept."owner" = {_ME} AND {_A_PERSON})'
    )
    readable = f"({_MANAGER} OR {of_my_review})"
    return [
        f'ALTER TABLE {schema}."review" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY rep_or_manager_reads ON {schema}."review" FOR SELECT '
        f"USING {mine_or_managers}",
        *_writes(f'{schema}."review"', mine),
        f'ALTER TABLE {schema}."review_action" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY rep_or_manager_reads ON {schema}."review_action" FOR SELECT '
        f"USING {readable}",
        *_writes(f'{schema}."review_action"', f"({of_my_review})"),
    ]


def _import_policies(schema: str) -> list[str]:
    """An import is its rep's, as a review is: read by them and by managers, written (undone)
    by them alone; the rows of the ledger go with their import. A sensitive profile answer
    an import changed is read only by those who read the client's sensitive answers."""
    mine = f'("owner" = {_ME} AND {_A_PERSON})'
    of_my_import = (
        f'EXISTS (SELECT 1 FROM {schema}."{IMPORT_TABLE}" AS kept '
        f'WHERE kept."id" = "run_id" AND kept."owner" = {_ME} AND {_A_PERSON})'
    )
    readable = f"({_MANAGER} OR {of_my_import})"
    owns_the_client = _owns(schema, '"client_id"')
    may_read_sensitive = f"({_MANAGER} OR {owns_the_client})"
    statements = [
        f'ALTER TABLE {schema}."{IMPORT_TABLE}" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY rep_or_manager_reads ON {schema}."{IMPORT_TABLE}" FOR SELECT '
        f"USING ({mine} OR {_MANAGER})",
        *_writes(f'{schema}."{IMPORT_TABLE}"', mine),
    ]
    for table in IMPORT_TABLES:
        reads = readable
        if table == "import_change":
            reads = f'({readable} AND (NOT "sensitive" OR {may_read_sensitive}))'
        statements += [
            f'ALTER TABLE {schema}."{table}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY rep_or_manager_reads ON {schema}."{table}" FOR SELECT USING {reads}',
            *_writes(f'{schema}."{table}"', f"({of_my_import})"),
        ]
    return statements


def _team_setting_policies(schema: str) -> list[str]:
    """Managers write the team settings; everything else in the table is the owner's."""
    team_setting = (
        f"(starts_with(\"key\", '{TEAM_SETTING_PREFIX}') OR \"key\" = '{HONEYMOON_DAYS_KEY}')"
    )
    return [
        f'ALTER TABLE {schema}."cockpit_meta" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY team_reads ON {schema}."cockpit_meta" FOR SELECT USING (true)',
        *_writes(f'{schema}."cockpit_meta"', f"({_MANAGER} AND {team_setting})"),
    ]


def _writes(table: str, check: str) -> list[str]:
    return [
        f"CREATE POLICY owner_adds ON {table} FOR INSERT WITH CHECK {check}",
        f"CREATE POLICY owner_changes ON {table} FOR UPDATE USING {check} WITH CHECK {check}",
        f"CREATE POLICY owner_deletes ON {table} FOR DELETE USING {check}",
    ]


def _forget_in_reviews_sql(schema: str) -> str:
    """Take a client's items out of every stored review agenda, whoever's review it is,
    once the client is gone (all their items) or holds no profile answers (the occasions,
    which quote them). A definer function: reviews are their reps' own, yet erasing a
    client must leave no copy in anyone's. Anyone may call it: it only removes what
    no longer exists, so it cannot be turned against anyone's data."""
    return f"""CREATE OR REPLACE FUNCTION {schema}.cockpit_forget_in_reviews(gone bigint)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_PINNED_PATH} AS $$
        DECLARE
            still_there boolean := EXISTS (SELECT 1 FROM {schema}."client" WHERE "id" = gone);
            kept record;
            document jsonb;
            part jsonb;
            item jsonb;
            parts jsonb;
            items jsonb;
            changed boolean;
        BEGIN
            IF still_there AND EXISTS (
                SELECT 1 FROM {schema}."profile_value" WHERE "client_id" = gone
            ) THEN
                RETURN;
            END IF;
            FOR kept IN SELECT "id", "agenda" FROM {schema}."review" FOR UPDATE LOOP
              BEGIN  -- an agenda that is not Cockpit's JSON is no one's to fix here: skipped
                document := kept."agenda"::jsonb;
                parts := '[]'::jsonb;
                changed := false;
                FOR part IN SELECT value FROM jsonb_array_elements(document -> 'parts') LOOP
                    items := '[]'::jsonb;
                    FOR item IN SELECT value FROM jsonb_array_elements(part -> 'items') LOOP
                        IF (item ->> 'client_id')::bigint = gone
                           AND (NOT still_there OR item ->> 'part' = 'occasions') THEN
                            changed := true;
                        ELSE
                            items := items || jsonb_build_array(item);
                        END IF;
                    END LOOP;
                    parts := parts || jsonb_build_array(jsonb_set(part, '{{items}}', items));
                END LOOP;
                IF changed THEN
                    UPDATE {schema}."review"
                    SET "agenda" = jsonb_set(document, '{{parts}}', parts)::text
                    WHERE "id" = kept."id";
                END IF;
              EXCEPTION WHEN data_exception OR invalid_parameter_value THEN
                NULL;
              END;
            END LOOP;
        END $$"""


def _forget_in_imports_sql(schema: str) -> str:
    """Erase the profile answers an import's ledger keeps of a client (to put them back on
    an undo) once the client is gone or holds no profile answers any more (`cockpit forget
    --profile`): whoever's import it was, no copy may stay. A definer function, like
    `cockpit_forget_in_reviews`, and as harmless: it only removes copies of what no longer
    exists."""
    return f"""CREATE OR REPLACE FUNCTION {schema}.cockpit_forget_in_imports(gone bigint)
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_PINNED_PATH} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM {schema}."profile_value" WHERE "client_id" = gone) THEN
                RETURN;
            END IF;
            DELETE FROM {schema}."import_change"
            WHERE "client_id" = gone AND starts_with("what", 'profile:');
        END $$"""


def _gone_in_reviews_sql(schema: str) -> str:
    """Which of these clients, deleted already (an import undone), any stored review agenda
    still names, whoever's review it is, so `cockpit_forget_in_reviews` is called for those
    alone. It says nothing of a client that exists."""
    return f"""CREATE OR REPLACE FUNCTION {schema}.cockpit_gone_in_reviews(gone bigint[])
        RETURNS bigint[] LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_PINNED_PATH} AS $$
        DECLARE
            wanted bigint[];
            found bigint[] := '{{}}';
            kept record;
        BEGIN
            SELECT coalesce(array_agg(asked.gone_id), '{{}}') INTO wanted
            FROM unnest(gone) AS asked(gone_id)
            WHERE NOT EXISTS (SELECT 1 FROM {schema}."client" AS c WHERE c."id" = asked.gone_id);
            IF cardinality(wanted) = 0 THEN
                RETURN found;
            END IF;
            FOR kept IN SELECT "agenda" FROM {schema}."review" LOOP
              BEGIN  -- an agenda that is not Cockpit's JSON names no one
                found := found || ARRAY(
                    SELECT DISTINCT (item ->> 'client_id')::bigint
                    FROM jsonb_array_elements(kept."agenda"::jsonb -> 'parts') AS part,
                         jsonb_array_elements(part -> 'items') AS item
                    WHERE (item ->> 'client_id')::bigint = ANY (wanted));
              EXCEPTION WHEN data_exception OR invalid_parameter_value THEN
                NULL;
              END;
            END LOOP;
            RETURN found;
        END $$"""


def _create_role(name: str, member_of: str) -> str:
    """Roles belong to the whole server: made once, by the first book that needs them."""
    return f"""DO $$ BEGIN
        CREATE ROLE {name} NOLOGIN{member_of};
    EXCEPTION WHEN duplicate_object THEN NULL;
    END $$"""


def powers(db: Database) -> Powers:
    """What the connected role may do: own the book (the tables' owner, a superuser, a
    role that bypasses row security), manage the team, or work as a rep."""
    owner, manager = db.execute_sql(
        "SELECT pg_catalog.pg_has_role(CURRENT_USER, c.relowner, 'USAGE') "
        "OR r.rolsuper OR r.rolbypassrls, "
        f"pg_catalog.pg_has_role(CURRENT_USER, '{MANAGER_ROLE}', 'MEMBER') "
        "FROM pg_catalog.pg_class AS c, pg_catalog.pg_roles AS r "
        "WHERE c.oid = pg_catalog.to_regclass(%s) AND r.rolname = CURRENT_USER",
        (f'{quoted_schema(db)}."cockpit_meta"',),
    ).fetchone()
    if owner:
        return Powers.OWNER
    return Powers.MANAGER if manager else Powers.REP


def book_owner(db: Database) -> str:
    """The role that owns the book's tables."""
    return db.execute_sql(
        "SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class "
        "WHERE oid = pg_catalog.to_regclass(%s)",
        (f'{quoted_schema(db)}."cockpit_meta"',),
    ).fetchone()[0]


def login_rep(db: Database, name: str) -> str | None:
    """Why `name` cannot own clients on this server, or None when it can."""
    row = db.execute_sql(
        f"SELECT rolcanlogin, pg_catalog.pg_has_role(oid, '{REP_ROLE}', 'MEMBER') "
        "FROM pg_catalog.pg_roles WHERE rolname = %s",
        (name,),
    ).fetchone()
    quoted = '"' + name.replace('"', '""') + '"'  # as SQL names it, to paste safely
    if row is None:
        return (
            f"there is no role {name!r} on the server; an administrator adds one with "
            f"CREATE ROLE {quoted} LOGIN IN ROLE {REP_ROLE}"
        )
    can_login, is_rep = row
    if not can_login or not is_rep:
        return (
            f"{name!r} is not a rep's login role (a login role in {REP_ROLE}); an "
            f"administrator can make it one with GRANT {REP_ROLE} TO {quoted}"
        )
    return None

"""Who may read and write what in a team book on PostgreSQL, enforced by the server.

Each rep connects with a login role of their own, a member of `cockpit_rep`
(`CREATE ROLE alice LOGIN IN ROLE cockpit_rep`); a manager's role is a member of
`cockpit_manager` too. Row-level security then holds whatever program connects, psql
included:

- everyone in the team reads every client, touch, deal and plan (the team view);
- only a client's owner (or a manager) changes them or anything of theirs;
- a sensitive profile answer is read only by the client's owner (or a manager).

A client with no owner (from a book made before owners) is the managers' to assign.
The role that created the tables owns them and is not bound by these rules.
"""

from __future__ import annotations

from peewee import Database

REP_ROLE = "cockpit_rep"
MANAGER_ROLE = "cockpit_manager"
CHILD_TABLES = (
    "interaction",
    "deal",
    "client_email",
    "client_phone",
    "planned_communication",
    "scheduled_touch",
)


def install_row_security(db: Database) -> None:
    """Roles, grants and policies, in the schema the book's tables are in."""
    for statement in _statements():
        db.execute_sql(statement)


def _statements() -> list[str]:
    manager = f"pg_has_role(current_user, '{MANAGER_ROLE}', 'MEMBER')"
    statements = [
        _create_role(REP_ROLE, ""),
        _create_role(MANAGER_ROLE, f" IN ROLE {REP_ROLE}"),
        # (%% is psycopg's escape for the % of format())
        """DO $$ BEGIN
            EXECUTE format('GRANT USAGE ON SCHEMA %%I TO cockpit_rep', current_schema());
            EXECUTE format(
                'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %%I TO cockpit_rep',
                current_schema());
            EXECUTE format(
                'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %%I TO cockpit_rep',
                current_schema());
        END $$""",
        # May the user change this client and what is theirs? Its owner, or a manager.
        f"""CREATE FUNCTION cockpit_may_change(wanted integer) RETURNS boolean
            LANGUAGE sql STABLE AS $$
            SELECT {manager} OR EXISTS (
                SELECT 1 FROM "client" WHERE "id" = wanted AND "owner" = current_user)
        $$""",
        'ALTER TABLE "client" ENABLE ROW LEVEL SECURITY',
        'CREATE POLICY team_reads ON "client" FOR SELECT USING (true)',
        f'CREATE POLICY owner_adds ON "client" FOR INSERT '
        f'WITH CHECK ("owner" = current_user OR {manager})',
        'CREATE POLICY owner_changes ON "client" FOR UPDATE USING (cockpit_may_change("id")) '
        f'WITH CHECK ("owner" = current_user OR {manager})',
        'CREATE POLICY owner_deletes ON "client" FOR DELETE USING (cockpit_may_change("id"))',
    ]
    for table in CHILD_TABLES:
        statements += [
            f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY team_reads ON "{table}" FOR SELECT USING (true)',
            *_owner_writes(table),
        ]
    statements += [
        'ALTER TABLE "profile_value" ENABLE ROW LEVEL SECURITY',
        'CREATE POLICY team_reads ON "profile_value" FOR SELECT '
        'USING (NOT "sensitive" OR cockpit_may_change("client_id"))',
        *_owner_writes("profile_value"),
    ]
    return statements


def _owner_writes(table: str) -> list[str]:
    check = 'cockpit_may_change("client_id")'
    return [
        f'CREATE POLICY owner_adds ON "{table}" FOR INSERT WITH CHECK ({check})',
        f'CREATE POLICY owner_changes ON "{table}" FOR UPDATE USING ({check}) WITH CHECK ({check})',
        f'CREATE POLICY owner_deletes ON "{table}" FOR DELETE USING ({check})',
    ]


def _create_role(name: str, member_of: str) -> str:
    """Roles belong to the whole server: made once, by the first book that needs them."""
    return f"""DO $$ BEGIN
        CREATE ROLE {name} NOLOGIN{member_of};
    EXCEPTION WHEN duplicate_object THEN NULL;
    END $$"""

"""Who uses the book: the rep connected (a PostgreSQL role, or on SQLite the `rep`
setting), and whether the book is a team book on a server."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.config import local_rep
from cockpit.storage.models import (
    Client,
    database_proxy,
)
from cockpit.storage.revision import is_postgres


def client_id_of(client: Client | int) -> int:
    return client.id if isinstance(client, Client) else int(client)


def rep_on_team_book() -> bool:
    """A rep of a team book never rewrites the team's kept summaries (a manager's
    `cockpit settings set` does, with the team's honeymoon)."""
    if not on_server():
        return False
    from cockpit.storage.team import Powers, powers

    return powers(database_proxy.obj) is Powers.REP


def clients_of(reps: Sequence[str]) -> set[int]:
    """The ids of the clients the reps own ("" among them: those nobody owns)."""
    query = Client.select(Client.id).where(Client.owner.in_(list(reps)))
    return {client_id for (client_id,) in database_proxy.execute(query)}


def my_reps() -> list[str]:
    """Whose clients are "mine": the user's, and those nobody owns."""
    return [current_rep(), ""]


def current_rep() -> str:
    """Who uses the book: on PostgreSQL the role connected as; on SQLite the `rep`
    setting, else the login name."""
    if on_server():
        return database_proxy.execute_sql("SELECT current_user").fetchone()[0]
    return local_rep()


def on_server() -> bool:
    return is_postgres(database_proxy.obj)

"""The store's tables and their migrations, one step per schema version.

Versions: 1 saved scenarios; 2 workshop rooms and submissions; 3 an owner key
(its sha256) on saved scenarios; 4 teams with secret links, a projector view
secret and the last activity on rooms, and the client events the rate limits
count. A new database is created at :data:`SCHEMA_VERSION` in one go; an older
one is brought up step by step, each step idempotent, so a step interrupted on
a database where DDL is not transactional is simply run again on the next start.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)

__all__ = [
    "MAX_NAME",
    "MAX_OWNER",
    "MAX_TEAM",
    "SCHEMA_VERSION",
    "STEPS",
    "SchemaTooNew",
    "UTCDateTime",
    "as_utc",
    "client_events",
    "metadata",
    "migrate",
    "rooms",
    "scenarios",
    "schema_version",
    "submissions",
    "team_key",
    "teams",
]

SCHEMA_VERSION: Final = 4
MAX_NAME: Final = 80
MAX_OWNER: Final = 60
MAX_TEAM: Final = 40


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, written as UTC and read back timezone-aware in UTC.

    PostgreSQL keeps ``timestamptz`` and returns it in the session's time zone;
    SQLite keeps text without an offset and returns naive datetimes. Both come
    back here as aware UTC. A naive datetime is taken to be UTC already (rows
    written by SQLite before this type existed are).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive one is taken to be UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


metadata = MetaData()
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))
scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("owner", String(MAX_OWNER), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("scenario_json", Text, nullable=False),
    # sha256 hex of the saver's owner key; NULL for rows saved before version 3,
    # which nobody owns (read-only through the store).
    Column("owner_key_hash", String(64), nullable=True),
)
rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # unique=True keeps the database's default name (PostgreSQL: rooms_code_key),
    # which the store recognises as a room-code clash.
    Column("code", String(12), nullable=False, unique=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("allowed_json", Text, nullable=False),
    Column("locked", Boolean, nullable=False, default=False),
    Column("reveal", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Version 4. Nullable because SQLite cannot add a NOT NULL column to a table
    # with rows: rooms from before version 4 have no projector view (NULL) until
    # the facilitator makes one, and their last activity is backfilled from created_at.
    Column("view_hash", String(64), nullable=True),
    Column("last_activity", UTCDateTime, nullable=True),
    Index("rooms_last_activity", "last_activity"),
)
teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(MAX_TEAM), nullable=False),  # as typed, whitespace collapsed
    Column("name_key", Text, nullable=False),  # team_key(name): what "taken" compares
    Column("secret_hash", String(64), nullable=False),  # sha256 hex of the team link's secret
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("room_id", "name_key", name="one_team_name_per_room"),
    Index("teams_secret_hash", "secret_hash"),
)
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    # The team's name when it submitted: kept so exports and boards need no join.
    Column("team", String(MAX_TEAM), nullable=False),
    Column("version", Integer, nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Version 4; nullable for the same reason as rooms.view_hash (every row has one
    # once the step ran).
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True),
    UniqueConstraint("room_id", "team", "version", name="one_version_per_team"),
    Index("submissions_team_id", "team_id"),
)
#: One row per counted request (a room created, a join, a wrong room code) so that
#: the rate limits hold across every app process on one database. ``client`` is the
#: sha256 hex of what the app passed (an address, usually), never the text itself.
client_events = Table(
    "client_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("client_events_lookup", "kind", "client", "at"),
    Index("client_events_at", "at"),
)

#: Any constant shared by every process that migrates the same PostgreSQL database.
_PG_MIGRATION_LOCK: Final = 7_301_942


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the app."""


def team_key(name: str) -> str:
    """What two team names are compared by: "Blue  team" and "blue TEAM" are one name.

    Compatibility-normalised (NFKC: full-width letters are letters), case-folded,
    invisible format characters (zero-width spaces, direction marks) dropped and
    whitespace collapsed, so a look-alike cannot pass for a team already there.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def _has_column(conn: Connection, table: Table, column: str) -> bool:
    return any(c["name"] == column for c in inspect(conn).get_columns(table.name))


def _add_column(conn: Connection, table: Table, column: str, extra: str = "") -> None:
    """``ALTER TABLE ... ADD COLUMN`` for a nullable column declared on ``table``."""
    if _has_column(conn, table, column):
        return
    quote = conn.dialect.identifier_preparer.quote
    kind = table.c[column].type.compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column)} {kind}{extra}"))


def _to_2(conn: Connection) -> None:
    """Workshop rooms and their submissions: new tables, nothing to move.

    The tables are created in today's shape (teams too, which submissions refer
    to); the later steps then find nothing to add.
    """
    for table in (rooms, teams, submissions):
        table.create(conn, checkfirst=True)


def _to_3(conn: Connection) -> None:
    """Saved scenarios get an owner key hash; existing rows keep NULL (owned by nobody)."""
    _add_column(conn, scenarios, "owner_key_hash")


def _to_4(conn: Connection) -> None:
    """Teams with secret links, a projector secret, last activity, client events.

    Every team that submitted before (one per distinct room and name) becomes a
    team whose secret is random and thrown away: its submissions stay listed and
    exported, but nobody can submit for it again. Its people join again under a
    new name (the old one stays taken); the facilitator's export keeps its history.
    Rooms keep no projector view until the facilitator makes one.
    """
    teams.create(conn, checkfirst=True)
    client_events.create(conn, checkfirst=True)
    _add_column(conn, rooms, "view_hash")
    _add_column(conn, rooms, "last_activity")
    quote = conn.dialect.identifier_preparer.quote
    _add_column(
        conn,
        submissions,
        "team_id",
        f" REFERENCES {quote(teams.name)} (id) ON DELETE CASCADE",
    )
    have = {i["name"] for t in (rooms, submissions) for i in inspect(conn).get_indexes(t.name)}
    for index in (*rooms.indexes, *submissions.indexes):
        if index.name not in have:
            index.create(conn)
    latest = (
        select(func.max(submissions.c.created_at))
        .where(submissions.c.room_id == rooms.c.id)
        .scalar_subquery()
    )
    conn.execute(  # a room was last active at its latest submission, else its creation
        update(rooms)
        .where(rooms.c.last_activity.is_(None))
        .values(last_activity=func.coalesce(latest, rooms.c.created_at))
    )
    _teams_for_old_submissions(conn)


def _teams_for_old_submissions(conn: Connection) -> None:
    orphans = conn.execute(
        select(
            submissions.c.room_id,
            submissions.c.team,
            func.min(submissions.c.created_at).label("first"),
        )
        .where(submissions.c.team_id.is_(None))
        .group_by(submissions.c.room_id, submissions.c.team)
        .order_by(func.min(submissions.c.id))
    ).all()
    for room_id, name, first in orphans:
        team_id = conn.execute(
            select(teams.c.id).where(teams.c.room_id == room_id, teams.c.name == name)
        ).scalar()
        if team_id is None:
            taken = set(
                conn.execute(select(teams.c.name_key).where(teams.c.room_id == room_id)).scalars()
            )
            key, n = team_key(name), 1
            while key in taken:  # "Blue" and "blue" were two teams before names compared alike
                n += 1
                key = f"{team_key(name)} (earlier team {n})"
            thrown_away = secrets.token_urlsafe(24)
            team_id = conn.execute(
                insert(teams).values(
                    room_id=room_id,
                    name=name,
                    name_key=key,
                    secret_hash=hashlib.sha256(thrown_away.encode()).hexdigest(),
                    created_at=first,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        conn.execute(
            update(submissions)
            .where(
                submissions.c.room_id == room_id,
                submissions.c.team == name,
                submissions.c.team_id.is_(None),
            )
            .values(team_id=team_id)
        )


#: The step that brings a database to each version from the one before.
STEPS: Final[dict[int, Callable[[Connection], None]]] = {2: _to_2, 3: _to_3, 4: _to_4}


def migrate(conn: Connection) -> int:
    """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`.

    Parameters
    ----------
    conn
        A connection inside a transaction (``engine.begin()``).

    Returns
    -------
    int
        The version reached.

    Raises
    ------
    SchemaTooNew
        The database is newer than this code; nothing is changed.
    """
    if conn.dialect.name == "postgresql":  # concurrent starts migrate one at a time
        conn.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
    found = None
    if inspect(conn).has_table(schema_version.name):
        found = conn.execute(select(func.max(schema_version.c.version))).scalar()
    if found is None:  # a new database (or one whose creation was interrupted)
        metadata.create_all(conn)
        for step in STEPS.values():  # no-ops on new tables; finish an interrupted start
            step(conn)
        conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        return SCHEMA_VERSION
    version = int(found)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema version {version} is newer than this app's ({SCHEMA_VERSION}); "
            "upgrade the app"
        )
    while version < SCHEMA_VERSION:
        version += 1
        STEPS[version](conn)
        conn.execute(update(schema_version).values(version=version))
    return version

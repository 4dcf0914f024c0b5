"""The store's tables and their migrations, one step per schema version.

Versions: 1 saved scenarios; 2 workshop rooms and submissions; 3 an owner key
(its sha256) on saved scenarios. A new database is created at
:data:`SCHEMA_VERSION` in one go; an older one is brought up step by step, each
step idempotent, so a step interrupted on SQLite (where DDL is not always
transactional) is simply run again on the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
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
    "SchemaTooNew",
    "metadata",
    "migrate",
    "rooms",
    "scenarios",
    "schema_version",
    "submissions",
]

SCHEMA_VERSION: Final = 3
MAX_NAME: Final = 80
MAX_OWNER: Final = 60
MAX_TEAM: Final = 40

metadata = MetaData()
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))
scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("owner", String(MAX_OWNER), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
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
    Column("created_at", DateTime(timezone=True), nullable=False),
)
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("team", String(MAX_TEAM), nullable=False),
    Column("version", Integer, nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("room_id", "team", "version", name="one_version_per_team"),
)

#: Any constant shared by every process that migrates the same PostgreSQL database.
_PG_MIGRATION_LOCK: Final = 7_301_942


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the app."""


def _has_column(conn: Connection, table: Table, column: str) -> bool:
    return any(c["name"] == column for c in inspect(conn).get_columns(table.name))


def _add_column(conn: Connection, table: Table, column: str) -> None:
    """``ALTER TABLE ... ADD COLUMN`` for a nullable column declared on ``table``."""
    if _has_column(conn, table, column):
        return
    quote = conn.dialect.identifier_preparer.quote
    kind = table.c[column].type.compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column)} {kind}"))


def _to_2(conn: Connection) -> None:
    """Workshop rooms and their submissions: new tables, nothing to move."""
    rooms.create(conn, checkfirst=True)
    submissions.create(conn, checkfirst=True)


def _to_3(conn: Connection) -> None:
    """Saved scenarios get an owner key hash; existing rows keep NULL (owned by nobody)."""
    _add_column(conn, scenarios, "owner_key_hash")


#: The step that brings a database to each version from the one before.
STEPS: Final[dict[int, Callable[[Connection], None]]] = {2: _to_2, 3: _to_3}


def migrate(conn: Connection) -> int:
    """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`.

    Run inside a transaction (``engine.begin()``). Returns the version reached.
    Raises :class:`SchemaTooNew` for a database newer than this code.
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

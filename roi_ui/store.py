"""The scenario store: saved scenarios on a real database, Streamlit-free.

SQLAlchemy 2.x Core. By default an embedded SQLite file under ``var/`` (git
ignored, created on first use) in WAL mode, so several app sessions read while
one writes; any SQLAlchemy URL through ``ROI_DATABASE_URL`` (PostgreSQL works by
URL alone). The schema is versioned and created or migrated when a
:class:`Store` opens. Scenarios are stored as validated JSON (never pickled)
and every write is one transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import delete as sql_delete

from roi_core import Scenario, ScenarioError, scenario_from_json

__all__ = [
    "DEFAULT_DIR",
    "SCHEMA_VERSION",
    "SavedScenario",
    "Store",
    "StoreError",
    "database_url",
]

SCHEMA_VERSION: Final = 1
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "var"
MAX_NAME, MAX_OWNER = 80, 60

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
)


class StoreError(ValueError):
    """A request the store refuses, in words for people (unknown id, bad name)."""


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    owner: str
    created_at: datetime
    updated_at: datetime


def database_url() -> str:
    """``ROI_DATABASE_URL``, or the embedded SQLite file under ``var/``."""
    url = os.environ.get("ROI_DATABASE_URL")
    if url:
        return url
    DEFAULT_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DIR / 'roi.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed write survives a crash
    cursor.execute("PRAGMA busy_timeout=30000")  # writers queue instead of failing
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _clean(text: str, field: str, limit: int, *, required: bool = True) -> str:
    value = " ".join(str(text).split())
    if required and not value:
        raise StoreError(f"{field}: must not be empty")
    if len(value) > limit:
        raise StoreError(f"{field}: at most {limit} characters")
    return value


class Store:
    """Saved scenarios on one database; safe to share between threads."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        sqlite = self.url.startswith("sqlite")
        self.engine: Engine = create_engine(
            self.url,
            connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {},
            pool_pre_ping=not sqlite,
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self) -> int:
        """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`."""
        with self.engine.begin() as conn:
            metadata.create_all(conn)
            version = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if version is None:
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
                version = SCHEMA_VERSION
            # Future migrations go here, one `if version < n:` step each.
        return int(version)

    def close(self) -> None:
        self.engine.dispose()

    # --- saved scenarios --------------------------------------------------------------

    def save_scenario(self, name: str, scenario: Scenario, owner: str = "") -> SavedScenario:
        """Keep ``scenario`` under ``name`` (names may repeat; ids do not)."""
        clean = _clean(name, "name", MAX_NAME)
        who = _clean(owner, "owner", MAX_OWNER, required=False)
        now = _now()
        with self.engine.begin() as conn:
            new_id = conn.execute(
                insert(scenarios).values(
                    name=clean, owner=who, created_at=now, updated_at=now,
                    scenario_json=scenario.model_dump_json(),
                )
            ).inserted_primary_key[0]  # fmt: skip
        return SavedScenario(int(new_id), clean, who, now, now)

    def list_scenarios(self) -> list[SavedScenario]:
        """Newest first."""
        query = select(scenarios.c.id, scenarios.c.name, scenarios.c.owner,
                       scenarios.c.created_at, scenarios.c.updated_at).order_by(
            scenarios.c.updated_at.desc(), scenarios.c.id.desc())  # fmt: skip
        with self.engine.connect() as conn:
            return [SavedScenario(int(r.id), r.name, r.owner, r.created_at, r.updated_at)
                    for r in conn.execute(query)]  # fmt: skip

    def load_scenario(self, scenario_id: int) -> Scenario:
        with self.engine.connect() as conn:
            text = conn.execute(
                select(scenarios.c.scenario_json).where(scenarios.c.id == scenario_id)
            ).scalar()
        if text is None:
            raise StoreError(f"scenario {scenario_id}: no such saved scenario")
        try:
            return scenario_from_json(text)
        except ScenarioError as exc:  # stored before a rule changed
            raise StoreError(f"scenario {scenario_id}: no longer valid: {exc}") from None

    def rename_scenario(self, scenario_id: int, name: str) -> None:
        clean = _clean(name, "name", MAX_NAME)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(scenarios).where(scenarios.c.id == scenario_id)
                .values(name=clean, updated_at=_now())
            ).rowcount  # fmt: skip
        if not done:
            raise StoreError(f"scenario {scenario_id}: no such saved scenario")

    def delete_scenario(self, scenario_id: int) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(sql_delete(scenarios).where(scenarios.c.id == scenario_id)).rowcount
        if not done:
            raise StoreError(f"scenario {scenario_id}: no such saved scenario")


if __name__ == "__main__":  # `python -m roi_ui.store`: create or migrate, as `make run` does
    opened = Store()
    where = opened.engine.url.render_as_string(hide_password=True)
    print(f"scenario store ready (schema {opened.migrate()}): {where}")
    opened.close()

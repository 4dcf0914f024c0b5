"""The scenario store: saved scenarios on a real database, Streamlit-free.

SQLAlchemy 2.x Core. By default an embedded SQLite file under ``var/`` (git
ignored, created on first use) in WAL mode, so several app sessions read while
one writes; any SQLAlchemy URL through ``ROI_DATABASE_URL`` (PostgreSQL works by
URL alone). The schema is versioned and created or migrated when a
:class:`Store` opens. Scenarios are stored as validated JSON (never pickled)
and every write is one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError, scenario_from_json
from roi_core.scenario import get_value

__all__ = [
    "DEFAULT_DIR",
    "SCHEMA_VERSION",
    "Room",
    "SavedScenario",
    "Store",
    "StoreError",
    "Submission",
    "database_url",
]

SCHEMA_VERSION: Final = 2  # 1: saved scenarios; 2: workshop rooms and submissions
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "var"
MAX_NAME, MAX_OWNER = 80, 60
MAX_TEAM = 40
#: Limits that keep a room (and a typo'd loop) in bounds.
MAX_SUBMISSIONS_PER_ROOM = 2_000
MAX_VERSIONS_PER_TEAM = 50
#: Room codes avoid look-alikes (no 0/O, 1/I/L) so a room can read them off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

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


rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
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


class StoreError(ValueError):
    """A request the store refuses, in words for people (unknown id, bad name)."""


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    owner: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Room:
    id: int
    code: str
    name: str
    scenario: Scenario
    allowed: tuple[str, ...]  # the numeric fields participants may move
    locked: bool
    reveal: bool
    created_at: datetime


@dataclass(frozen=True)
class Submission:
    team: str
    version: int
    scenario: Scenario
    created_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
            # One step per schema version; create_all above already adds new tables.
            if version < 2:  # rooms and submissions: new tables, nothing to move
                conn.execute(update(schema_version).values(version=2))
                version = 2
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
                    name=clean,
                    owner=who,
                    created_at=now,
                    updated_at=now,
                    scenario_json=scenario.model_dump_json(),
                )
            ).inserted_primary_key[0]
        return SavedScenario(int(new_id), clean, who, now, now)

    def list_scenarios(self) -> list[SavedScenario]:
        """Newest first."""
        query = select(
            scenarios.c.id,
            scenarios.c.name,
            scenarios.c.owner,
            scenarios.c.created_at,
            scenarios.c.updated_at,
        ).order_by(scenarios.c.updated_at.desc(), scenarios.c.id.desc())
        with self.engine.connect() as conn:
            return [
                SavedScenario(int(r.id), r.name, r.owner, r.created_at, r.updated_at)
                for r in conn.execute(query)
            ]

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
                update(scenarios)
                .where(scenarios.c.id == scenario_id)
                .values(name=clean, updated_at=_now())
            ).rowcount
        if not done:
            raise StoreError(f"scenario {scenario_id}: no such saved scenario")

    def delete_scenario(self, scenario_id: int) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(sql_delete(scenarios).where(scenarios.c.id == scenario_id)).rowcount
        if not done:
            raise StoreError(f"scenario {scenario_id}: no such saved scenario")

    # --- workshop rooms ----------------------------------------------------------------

    def create_room(
        self, name: str, scenario: Scenario, allowed: list[str] | tuple[str, ...]
    ) -> tuple[Room, str]:
        """A new room and its facilitator token (shown once; only its hash is kept)."""
        clean = _clean(name, "room name", MAX_NAME)
        unknown = [p for p in allowed if p not in NUMERIC_FIELDS]
        if unknown or not allowed:
            raise StoreError(f"allowed levers: choose at least one numeric field ({unknown})")
        token = secrets.token_urlsafe(24)
        now = _now()
        for _ in range(20):  # a code clash is rare; try again with another
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as conn:
                    room_id = conn.execute(
                        insert(rooms).values(
                            code=code,
                            name=clean,
                            token_hash=_hash(token),
                            scenario_json=scenario.model_dump_json(),
                            allowed_json=json.dumps(list(allowed)),
                            locked=False,
                            reveal=False,
                            created_at=now,
                        )
                    ).inserted_primary_key[0]
            except IntegrityError:
                continue
            room = Room(int(room_id), code, clean, scenario, tuple(allowed), False, False, now)
            return room, token
        raise StoreError("room: could not find a free room code")  # pragma: no cover

    def room(self, code: str) -> Room:
        """The room with this code (case-insensitive); StoreError if there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(select(rooms).where(rooms.c.code == code.strip().upper())).first()
        if row is None:
            raise StoreError(f"room {code!r}: no such room")
        return Room(
            int(row.id),
            row.code,
            row.name,
            scenario_from_json(row.scenario_json),
            tuple(json.loads(row.allowed_json)),
            bool(row.locked),
            bool(row.reveal),
            row.created_at,
        )

    def is_facilitator(self, code: str, token: str) -> bool:
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(rooms.c.token_hash).where(rooms.c.code == code.strip().upper())
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, _hash(token))

    def _require(self, code: str, token: str) -> Room:
        if not self.is_facilitator(code, token):
            raise StoreError("facilitator link: not valid for this room")
        return self.room(code)

    def submit(self, code: str, team: str, scenario: Scenario) -> Submission:
        """Keep a team's scenario as its next version. Only the room's open levers may
        differ from the room's scenario; a locked room takes nothing."""
        room = self.room(code)
        if room.locked:
            raise StoreError(f"room {room.code}: locked by the facilitator")
        clean = _clean(team, "team name", MAX_TEAM)
        moved = [
            p
            for p in NUMERIC_FIELDS
            if p not in room.allowed and get_value(scenario, p) != get_value(room.scenario, p)
        ]
        if moved:
            raise StoreError(f"{moved[0]}: not open in this room")
        now = _now()
        for _ in range(10):  # a unique-version clash left over: try again
            try:
                with self.engine.begin() as conn:
                    # Submissions to one room queue on its row (PostgreSQL and others);
                    # SQLite already lets one writer in at a time.
                    conn.execute(select(rooms.c.id).where(rooms.c.id == room.id).with_for_update())
                    total = conn.execute(
                        select(func.count())
                        .select_from(submissions)
                        .where(submissions.c.room_id == room.id)
                    ).scalar()
                    if (total or 0) >= MAX_SUBMISSIONS_PER_ROOM:
                        raise StoreError(
                            f"room {room.code}: full ({MAX_SUBMISSIONS_PER_ROOM} submissions)"
                        )
                    last = conn.execute(
                        select(func.max(submissions.c.version)).where(
                            submissions.c.room_id == room.id, submissions.c.team == clean
                        )
                    ).scalar()
                    version = int(last or 0) + 1
                    if version > MAX_VERSIONS_PER_TEAM:
                        raise StoreError(f"team name: at most {MAX_VERSIONS_PER_TEAM} submissions")
                    conn.execute(
                        insert(submissions).values(
                            room_id=room.id,
                            team=clean,
                            version=version,
                            scenario_json=scenario.model_dump_json(),
                            created_at=now,
                        )
                    )
                return Submission(clean, version, scenario, now)
            except IntegrityError:
                continue
        raise StoreError("submission: the room is busy, please submit again")  # pragma: no cover

    def submissions(self, code: str, *, latest_only: bool = True) -> list[Submission]:
        """Every team's latest submission (or all versions), oldest team first."""
        room = self.room(code)
        query = (
            select(submissions).where(submissions.c.room_id == room.id).order_by(submissions.c.id)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        out: dict[tuple[str, int], Submission] = {}
        for r in rows:
            out[(r.team, 0 if latest_only else r.version)] = Submission(
                r.team, int(r.version), scenario_from_json(r.scenario_json), r.created_at
            )
        return list(out.values())

    def set_locked(self, code: str, token: str, locked: bool) -> None:
        room = self._require(code, token)
        with self.engine.begin() as conn:
            conn.execute(update(rooms).where(rooms.c.id == room.id).values(locked=locked))

    def set_reveal(self, code: str, token: str, reveal: bool) -> None:
        room = self._require(code, token)
        with self.engine.begin() as conn:
            conn.execute(update(rooms).where(rooms.c.id == room.id).values(reveal=reveal))

    def delete_room(self, code: str, token: str) -> None:
        room = self._require(code, token)
        with self.engine.begin() as conn:
            conn.execute(sql_delete(submissions).where(submissions.c.room_id == room.id))
            conn.execute(sql_delete(rooms).where(rooms.c.id == room.id))

    def export(self, code: str, token: str) -> list[dict[str, Any]]:
        """Every version of every submission (facilitator only), JSON-ready."""
        self._require(code, token)
        return [
            {
                "team": x.team,
                "version": x.version,
                "submitted_at": x.created_at.isoformat(),
                "scenario": x.scenario.model_dump(mode="json"),
            }
            for x in self.submissions(code, latest_only=False)
        ]


if __name__ == "__main__":  # `python -m roi_ui.store`: create or migrate, as `make run` does
    opened = Store()
    where = opened.engine.url.render_as_string(hide_password=True)
    print(f"scenario store ready (schema {opened.migrate()}): {where}")
    opened.close()

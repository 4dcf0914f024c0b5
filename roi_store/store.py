"""The scenario store: saved scenarios and workshop rooms on a real database.

SQLAlchemy 2.x Core. By default an embedded SQLite file (see :func:`database_url`)
in WAL mode, so several app sessions read while one writes; any SQLAlchemy URL
through ``ROI_DATABASE_URL`` (PostgreSQL works by URL alone). The schema lives in
:mod:`roi_store.schema` and is created or migrated when a :class:`Store` opens.
Scenarios are stored as validated JSON (never pickled) and every write is one
transaction.

Every refusal is a :class:`StoreError` (a ``ValueError``) whose message is
written for people; the subclasses say which kind it is, so a caller can react
without parsing text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Row,
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
from roi_store.schema import (
    MAX_NAME,
    MAX_OWNER,
    MAX_TEAM,
    rooms,
    scenarios,
    submissions,
)
from roi_store.schema import migrate as migrate_schema

__all__ = [
    "ConstraintViolation",
    "NoSuchRoom",
    "NoSuchScenario",
    "NotFacilitator",
    "NotOwner",
    "Room",
    "SavedScenario",
    "Store",
    "StoreError",
    "StoredScenarioInvalid",
    "Submission",
    "SubmissionList",
    "database_url",
    "new_owner_key",
    "violated_constraint",
]

#: The SQLite file's name inside the data folder.
DATABASE_FILE: Final = "roi.sqlite3"
#: Limits that keep a room (and a typo'd loop) in bounds.
MAX_SUBMISSIONS_PER_ROOM: Final = 2_000
MAX_VERSIONS_PER_TEAM: Final = 50
#: Room codes avoid look-alikes (no 0/O, 1/I/L) so a room can read them off a projector.
CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 6
#: Owner keys come from :func:`new_owner_key`; a short one is a caller's bug, not a secret.
MIN_OWNER_KEY: Final = 16

# How each database names the two clashes the store expects and retries: a random
# room code already taken, and two writers numbering a team's version alike. The
# SQLite form is "<kind> <columns>", the PostgreSQL form the constraint's name.
ROOM_CODE_CLASH: Final = frozenset({"rooms_code_key", "UNIQUE rooms.code"})
VERSION_CLASH: Final = frozenset(
    {
        "one_version_per_team",
        "UNIQUE submissions.room_id, submissions.team, submissions.version",
    }
)
# The one foreign key: a submission to a room deleted a moment earlier.
ROOM_GONE: Final = frozenset({"submissions_room_id_fkey", "FOREIGN KEY"})


# --- errors ------------------------------------------------------------------------------


class StoreError(ValueError):
    """A request the store refuses, in words for people (unknown id, bad name)."""


class NoSuchScenario(StoreError):
    """The saved scenario is not there (deleted, perhaps by someone else a moment ago)."""

    def __init__(self, scenario_id: int) -> None:
        self.scenario_id = scenario_id
        super().__init__(
            f"this saved scenario (no. {scenario_id}) was already deleted (by someone else?)"
        )


class NotOwner(StoreError):
    """Only the session that saved a scenario (it holds the owner key) may change it."""

    def __init__(self, name: str, *, legacy: bool = False) -> None:
        self.name = name
        self.legacy = legacy
        who = (
            "was saved before scenarios had owners, so nobody can rename or delete it"
            if legacy
            else "only the person who saved it can rename or delete it"
        )
        super().__init__(f"saved scenario {name!r}: {who}; load it and save your own copy")


class NoSuchRoom(StoreError):
    """No room has this code (never had, or the facilitator deleted it)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"room {code!r}: no such room (closed by the facilitator?)")


class NotFacilitator(StoreError):
    """The facilitator token does not match the room's."""

    def __init__(self) -> None:
        super().__init__("facilitator link: not valid for this room")


class StoredScenarioInvalid(StoreError):
    """A stored record no longer validates (written before a rule tightened).

    ``record`` names it ("room ABC234", "saved scenario 'Pitch'", "room ABC234,
    team 'Blue' version 2"); ``problems`` holds one line per problem, each
    naming the field, as :class:`roi_core.ScenarioError` does.
    """

    def __init__(
        self,
        record: str,
        problems: Sequence[str],
        *,
        what: str = "its scenario no longer validates",
        message: str | None = None,
    ) -> None:
        self.record = record
        self.problems: tuple[str, ...] = tuple(problems) or ("scenario: invalid",)
        super().__init__(message or f"{record}: {what}: {'; '.join(self.problems)}")


class ConstraintViolation(StoreError):
    """The database refused a write for a reason the store does not expect.

    ``constraint`` names the rule in the database's words: a constraint's name
    (PostgreSQL, e.g. ``submissions_room_id_fkey``) or its kind and columns
    (SQLite, e.g. ``NOT NULL rooms.created_at``).
    """

    def __init__(self, what: str, constraint: str) -> None:
        self.what = what
        self.constraint = constraint
        super().__init__(f"{what}: the database refused the write: {constraint} constraint failed")


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    owner: str  # the saver's name as typed (shown, not trusted); the key decides ownership
    created_at: datetime
    updated_at: datetime
    mine: bool = False  # saved with the owner key passed to list_scenarios


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


class SubmissionList(list[Submission]):
    """The submissions that still validate, in order, plus ``skipped``: one
    :class:`StoredScenarioInvalid` per stored submission that no longer does
    (a board shows the valid teams and says which it had to leave out)."""

    def __init__(
        self, valid: Iterable[Submission] = (), skipped: Iterable[StoredScenarioInvalid] = ()
    ) -> None:
        super().__init__(valid)
        self.skipped: tuple[StoredScenarioInvalid, ...] = tuple(skipped)


# --- helpers -----------------------------------------------------------------------------


def new_owner_key() -> str:
    """A fresh owner key: the app keeps it in the browser session and passes it with
    every save, rename, delete and list; the store keeps only its sha256."""
    return secrets.token_urlsafe(24)


def database_url() -> str:
    """Where the store lives unless a URL is given.

    ``ROI_DATABASE_URL`` if set; otherwise the SQLite file ``roi.sqlite3`` in the
    folder ``ROI_DATA_DIR`` if set, else in ``var/`` under the current working
    directory (never inside the installed package). The folder is created here.
    """
    url = os.environ.get("ROI_DATABASE_URL", "").strip()
    if url:
        return url
    folder = os.environ.get("ROI_DATA_DIR", "").strip()
    where = (Path(folder).expanduser() if folder else Path.cwd() / "var").resolve()
    where.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{where / DATABASE_FILE}"


def violated_constraint(exc: IntegrityError) -> str:
    """The rule an :class:`IntegrityError` broke, in the database's words.

    PostgreSQL (psycopg): the constraint's name (``rooms_code_key``,
    ``one_version_per_team``) or ``NOT NULL table.column``; SQLite: the kind and
    columns from its message (``UNIQUE rooms.code``, ``NOT NULL rooms.name``,
    ``FOREIGN KEY``).
    """
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    table, column = getattr(diag, "table_name", None), getattr(diag, "column_name", None)
    if table and column:  # PostgreSQL names no constraint for NOT NULL
        return f"NOT NULL {table}.{column}"
    lines = str(exc.orig if exc.orig is not None else exc).splitlines()
    message = lines[0] if lines else ""
    sqlite = re.match(r"(\w+(?: \w+)?) constraint failed(?:: (.+))?", message)
    if sqlite:
        return f"{sqlite[1]} {sqlite[2]}" if sqlite[2] else sqlite[1]
    other = re.search(r'constraint "([^"]+)"', message)  # other PostgreSQL drivers
    return other[1] if other else message or type(exc.orig).__name__


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key_matches(stored_hash: str | None, key: str | None) -> bool:
    if not stored_hash or not key:  # legacy rows (no hash) belong to nobody
        return False
    return hmac.compare_digest(stored_hash, _hash(key))


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


def _inserted_id(conn: Connection, statement: Insert) -> int:
    key = conn.execute(statement).inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer primary key
        raise RuntimeError("the database returned no id for the new row")
    return int(key[0])


def _code(code: str) -> str:
    return code.strip().upper()


def _stored_scenario(text: str, record: str) -> Scenario:
    try:
        return scenario_from_json(text)
    except ScenarioError as exc:  # stored before a rule tightened
        raise StoredScenarioInvalid(record, exc.problems) from None


_LEVERS_INVALID: Final = "its open levers no longer validate"


def _stored_allowed(text: str, record: str) -> tuple[str, ...]:
    try:
        allowed = json.loads(text)
    except ValueError as exc:
        raise StoredScenarioInvalid(record, [f"not JSON ({exc})"], what=_LEVERS_INVALID) from None
    if not isinstance(allowed, list) or not allowed:
        problems = ["must be a non-empty list of numeric fields"]
    else:
        unknown = [p for p in allowed if not isinstance(p, str) or p not in NUMERIC_FIELDS]
        problems = [f"{p}: not a numeric field of the scenario" for p in unknown]
    if problems:
        raise StoredScenarioInvalid(record, problems, what=_LEVERS_INVALID)
    return tuple(allowed)


def _room(row: Row[Any]) -> Room:
    record = f"room {row.code}"
    return Room(
        int(row.id),
        row.code,
        row.name,
        _stored_scenario(row.scenario_json, record),
        _stored_allowed(row.allowed_json, record),
        bool(row.locked),
        bool(row.reveal),
        row.created_at,
    )


# --- the store ---------------------------------------------------------------------------


class Store:
    """Saved scenarios and workshop rooms on one database; safe to share between threads."""

    def __init__(self, url: str | None = None) -> None:
        self.url: str = url or database_url()
        sqlite = self.url.startswith("sqlite")
        self.engine: Engine = create_engine(
            self.url,
            connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {},
            pool_pre_ping=not sqlite,
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self.migrate()
        except BaseException:  # e.g. SchemaTooNew: leave no pooled connection behind
            self.engine.dispose()
            raise

    def migrate(self) -> int:
        """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`."""
        with self.engine.begin() as conn:
            return migrate_schema(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, what: str) -> Iterator[Connection]:
        """One transaction; a refused constraint becomes a :class:`ConstraintViolation`."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError as exc:
            raise ConstraintViolation(what, violated_constraint(exc)) from exc

    # --- saved scenarios -------------------------------------------------------------------

    def save_scenario(
        self, name: str, scenario: Scenario, owner: str = "", *, owner_key: str
    ) -> SavedScenario:
        """Keep ``scenario`` under ``name`` (names may repeat; ids do not).

        ``owner`` is the saver's name, shown to others; ``owner_key`` (from
        :func:`new_owner_key`) is the secret that later allows renaming and
        deleting it. Only its sha256 is stored.
        """
        clean = _clean(name, "name", MAX_NAME)
        who = _clean(owner, "owner", MAX_OWNER, required=False)
        if len(owner_key.strip()) < MIN_OWNER_KEY:
            raise StoreError("owner key: missing or too short (make one with new_owner_key())")
        now = _now()
        with self._write(f"saved scenario {clean!r}") as conn:
            new_id = _inserted_id(
                conn,
                insert(scenarios).values(
                    name=clean,
                    owner=who,
                    created_at=now,
                    updated_at=now,
                    scenario_json=scenario.model_dump_json(),
                    owner_key_hash=_hash(owner_key),
                ),
            )
        return SavedScenario(new_id, clean, who, now, now, mine=True)

    def list_scenarios(self, owner_key: str | None = None) -> list[SavedScenario]:
        """Newest first; ``mine`` marks those saved with ``owner_key``."""
        query = select(
            scenarios.c.id,
            scenarios.c.name,
            scenarios.c.owner,
            scenarios.c.created_at,
            scenarios.c.updated_at,
            scenarios.c.owner_key_hash,
        ).order_by(scenarios.c.updated_at.desc(), scenarios.c.id.desc())
        with self.engine.connect() as conn:
            return [
                SavedScenario(
                    int(r.id),
                    r.name,
                    r.owner,
                    r.created_at,
                    r.updated_at,
                    mine=_key_matches(r.owner_key_hash, owner_key),
                )
                for r in conn.execute(query)
            ]

    def load_scenario(self, scenario_id: int) -> Scenario:
        """Anyone may load any saved scenario. :class:`NoSuchScenario` when it is gone,
        :class:`StoredScenarioInvalid` when it no longer validates."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(scenarios.c.name, scenarios.c.scenario_json).where(
                    scenarios.c.id == scenario_id
                )
            ).first()
        if row is None:
            raise NoSuchScenario(scenario_id)
        return _stored_scenario(row.scenario_json, f"saved scenario {row.name!r}")

    def _check_owner(self, conn: Connection, scenario_id: int, owner_key: str) -> None:
        row = conn.execute(
            select(scenarios.c.name, scenarios.c.owner_key_hash)
            .where(scenarios.c.id == scenario_id)
            .with_for_update()
        ).first()
        if row is None:
            raise NoSuchScenario(scenario_id)
        if not _key_matches(row.owner_key_hash, owner_key):
            raise NotOwner(row.name, legacy=not row.owner_key_hash)

    def rename_scenario(self, scenario_id: int, name: str, *, owner_key: str) -> None:
        """Rename (and mark as updated); :class:`NotOwner` unless ``owner_key`` saved it."""
        clean = _clean(name, "name", MAX_NAME)
        with self._write(f"saved scenario {clean!r}") as conn:
            self._check_owner(conn, scenario_id, owner_key)
            done = conn.execute(
                update(scenarios)
                .where(scenarios.c.id == scenario_id)
                .values(name=clean, updated_at=_now())
            ).rowcount
            if not done:  # deleted between the check and the update
                raise NoSuchScenario(scenario_id)

    def delete_scenario(self, scenario_id: int, *, owner_key: str) -> None:
        """Delete; :class:`NotOwner` unless ``owner_key`` saved it."""
        with self._write(f"saved scenario {scenario_id}") as conn:
            self._check_owner(conn, scenario_id, owner_key)
            done = conn.execute(sql_delete(scenarios).where(scenarios.c.id == scenario_id)).rowcount
            if not done:
                raise NoSuchScenario(scenario_id)

    # --- workshop rooms --------------------------------------------------------------------

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
                with self._write(f"room {clean!r}") as conn:
                    room_id = _inserted_id(
                        conn,
                        insert(rooms).values(
                            code=code,
                            name=clean,
                            token_hash=_hash(token),
                            scenario_json=scenario.model_dump_json(),
                            allowed_json=json.dumps(list(allowed)),
                            locked=False,
                            reveal=False,
                            created_at=now,
                        ),
                    )
            except ConstraintViolation as exc:
                if exc.constraint in ROOM_CODE_CLASH:
                    continue
                raise
            room = Room(room_id, code, clean, scenario, tuple(allowed), False, False, now)
            return room, token
        raise StoreError("room: could not find a free room code")  # pragma: no cover

    def room(self, code: str) -> Room:
        """The room with this code (case-insensitive). :class:`NoSuchRoom` if there is
        none, :class:`StoredScenarioInvalid` if its scenario no longer validates."""
        with self.engine.connect() as conn:
            row = conn.execute(select(rooms).where(rooms.c.code == _code(code))).first()
        if row is None:
            raise NoSuchRoom(code.strip())
        return _room(row)

    def _room_id(self, code: str) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(select(rooms.c.id).where(rooms.c.code == _code(code))).scalar()
        if found is None:
            raise NoSuchRoom(code.strip())
        return int(found)

    def is_facilitator(self, code: str, token: str) -> bool:
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(rooms.c.token_hash).where(rooms.c.code == _code(code))
            ).scalar()
        return _key_matches(stored, token)

    def _require(self, code: str, token: str) -> int:
        """The room's id for its facilitator. Needs no valid scenario, so a room whose
        scenario no longer validates can still be locked, exported or deleted."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(rooms.c.id, rooms.c.token_hash).where(rooms.c.code == _code(code))
            ).first()
        if row is None:
            raise NoSuchRoom(code.strip())
        if not _key_matches(row.token_hash, token):
            raise NotFacilitator
        return int(row.id)

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
                return self._submit_once(room, clean, scenario, now)
            except ConstraintViolation as exc:
                if exc.constraint in VERSION_CLASH:
                    continue
                if exc.constraint in ROOM_GONE:
                    raise NoSuchRoom(room.code) from exc
                raise
        raise StoreError("submission: the room is busy, please submit again")  # pragma: no cover

    def _submit_once(self, room: Room, team: str, scenario: Scenario, now: datetime) -> Submission:
        with self._write(f"room {room.code}, team {team!r}") as conn:
            # Submissions to one room queue on its row (PostgreSQL and others);
            # SQLite already lets one writer in at a time.
            conn.execute(select(rooms.c.id).where(rooms.c.id == room.id).with_for_update())
            total = conn.execute(
                select(func.count())
                .select_from(submissions)
                .where(submissions.c.room_id == room.id)
            ).scalar()
            if (total or 0) >= MAX_SUBMISSIONS_PER_ROOM:
                raise StoreError(f"room {room.code}: full ({MAX_SUBMISSIONS_PER_ROOM} submissions)")
            last = conn.execute(
                select(func.max(submissions.c.version)).where(
                    submissions.c.room_id == room.id, submissions.c.team == team
                )
            ).scalar()
            version = int(last or 0) + 1
            if version > MAX_VERSIONS_PER_TEAM:
                raise StoreError(f"team name: at most {MAX_VERSIONS_PER_TEAM} submissions")
            conn.execute(
                insert(submissions).values(
                    room_id=room.id,
                    team=team,
                    version=version,
                    scenario_json=scenario.model_dump_json(),
                    created_at=now,
                )
            )
        return Submission(team, version, scenario, now)

    def _submissions(self, room_id: int, code: str, *, latest_only: bool) -> SubmissionList:
        query = (
            select(submissions).where(submissions.c.room_id == room_id).order_by(submissions.c.id)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        if latest_only:  # each team in the place of its first submission, at its latest
            latest: dict[str, Row[Any]] = {}
            for r in rows:
                latest[r.team] = r
            rows = list(latest.values())
        valid: list[Submission] = []
        skipped: list[StoredScenarioInvalid] = []
        for r in rows:
            record = f"room {code}, team {r.team!r} version {r.version}"
            try:
                scenario = _stored_scenario(r.scenario_json, record)
            except StoredScenarioInvalid as exc:
                skipped.append(exc)
                continue
            valid.append(Submission(r.team, int(r.version), scenario, r.created_at))
        return SubmissionList(valid, skipped)

    def submissions(self, code: str, *, latest_only: bool = True) -> SubmissionList:
        """Every team's latest submission (or all versions), oldest team first.

        Skip-and-report: a submission that no longer validates is left out and
        listed in the result's ``skipped`` (with latest_only, a team whose latest
        version is invalid is left out rather than shown at an older version).
        """
        return self._submissions(self._room_id(code), _code(code), latest_only=latest_only)

    def set_locked(self, code: str, token: str, locked: bool) -> None:
        room_id = self._require(code, token)
        with self._write(f"room {_code(code)}") as conn:
            conn.execute(update(rooms).where(rooms.c.id == room_id).values(locked=locked))

    def set_reveal(self, code: str, token: str, reveal: bool) -> None:
        room_id = self._require(code, token)
        with self._write(f"room {_code(code)}") as conn:
            conn.execute(update(rooms).where(rooms.c.id == room_id).values(reveal=reveal))

    def delete_room(self, code: str, token: str) -> None:
        room_id = self._require(code, token)
        with self._write(f"room {_code(code)}") as conn:
            conn.execute(sql_delete(submissions).where(submissions.c.room_id == room_id))
            conn.execute(sql_delete(rooms).where(rooms.c.id == room_id))

    def export(self, code: str, token: str) -> list[dict[str, Any]]:
        """Every version of every submission (facilitator only), JSON-ready.

        All or nothing: if any stored submission no longer validates, raises
        :class:`StoredScenarioInvalid` naming each one, rather than hand out an
        incomplete record.
        """
        room_code = _code(code)
        subs = self._submissions(self._require(code, token), room_code, latest_only=False)
        if subs.skipped:
            problems = [str(x) for x in subs.skipped]
            raise StoredScenarioInvalid(
                f"room {room_code}",
                problems,
                message=(
                    f"room {room_code}: {len(problems)} stored submission(s) no longer "
                    "validate, so an export would be incomplete: " + " | ".join(problems)
                ),
            )
        return [
            {
                "team": x.team,
                "version": x.version,
                "submitted_at": x.created_at.isoformat(),
                "scenario": x.scenario.model_dump(mode="json"),
            }
            for x in subs
        ]

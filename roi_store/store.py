"""The scenario store: saved scenarios and workshop rooms on a real database.

SQLAlchemy 2.x Core. By default an embedded SQLite file (see :func:`database_url`)
in WAL mode, so several app sessions read while one writes; any SQLAlchemy URL
through ``ROI_DATABASE_URL`` (PostgreSQL works by URL alone, and several app
processes may share one). The schema lives in :mod:`roi_store.schema` and is
created or migrated when a :class:`Store` opens. Scenarios are stored as
validated JSON (never pickled) and every write is one transaction.

A workshop room has three kinds of secret, each shown once and kept only as its
sha256: the facilitator's token, the projector view's display secret, and one
secret per team (its team link). Room creation and joins are rate-limited per
client, a wrong room code costs the client time, and rooms idle for longer than
the room time-to-live are deleted with their teams and submissions.

Every refusal is a :class:`StoreError` (a ``ValueError``) whose message is
written for people; the subclasses say which kind it is, so a caller can react
without parsing text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Insert,
    Row,
    and_,
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
from roi_core.i18n import N_, ngettext
from roi_core.i18n import gettext as _
from roi_store.schema import (
    MAX_NAME,
    MAX_OWNER,
    MAX_TEAM,
    as_utc,
    client_events,
    rooms,
    scenarios,
    submissions,
    team_key,
    teams,
)
from roi_store.schema import migrate as migrate_schema

__all__ = [
    "Conflict",
    "ConstraintViolation",
    "CreatedRoom",
    "NameTaken",
    "NoSuchRoom",
    "NoSuchScenario",
    "NoSuchTeam",
    "NotFacilitator",
    "NotOpen",
    "NotOwner",
    "RateLimited",
    "Room",
    "RoomLocked",
    "SavedScenario",
    "Store",
    "StoreError",
    "StoredScenarioInvalid",
    "Submission",
    "SubmissionList",
    "Team",
    "database_url",
    "new_owner_key",
    "projector_secret",
    "violated_constraint",
]

#: The SQLite file's name inside the data folder.
DATABASE_FILE: Final = "roi.sqlite3"
#: Limits that keep a room (and a typo'd loop) in bounds: a conference room of a few
#: hundred teams, each submitting a few dozen times.
MAX_SUBMISSIONS_PER_ROOM: Final = 20_000
MAX_VERSIONS_PER_TEAM: Final = 50
MAX_TEAMS_PER_ROOM: Final = 500
#: Room codes avoid look-alikes (no 0/O, 1/I/L) so a room can read them off a projector.
CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 6
#: Owner keys come from :func:`new_owner_key`; a short one is a caller's bug, not a secret.
MIN_OWNER_KEY: Final = 16

#: A room idle (no join, submission or facilitator action) this long is deleted;
#: ``ROI_ROOM_TTL_DAYS`` overrides it.
ROOM_TTL_DAYS: Final = 7.0
#: Rooms one client may create per window.
CREATE_LIMIT: Final = 10
CREATE_WINDOW: Final = timedelta(hours=1)
#: Joins one client may make per window (a team joins once; a table of laptops
#: behind one address joins a few times).
JOIN_LIMIT: Final = 30
JOIN_WINDOW: Final = timedelta(minutes=10)
#: Wrong room codes one client may try in a row (each within MISS_WINDOW of the one
#: before) before each further lookup waits MISS_DELAY after its last miss, doubled
#: with every further miss, up to MISS_MAX_DELAY. MISS_WINDOW without a miss ends the
#: streak; misses are remembered for MISS_MEMORY at most.
MISS_LIMIT: Final = 5
MISS_WINDOW: Final = timedelta(minutes=15)
MISS_DELAY: Final = timedelta(seconds=2)
MISS_MAX_DELAY: Final = timedelta(minutes=5)
MISS_MEMORY: Final = timedelta(days=1)
_MAX_DOUBLINGS: Final = 30
#: create_room purges expired rooms at most this often per process.
PURGE_EVERY: Final = timedelta(minutes=5)

# How each database names the clashes the store expects: a random room code already
# taken, two writers numbering a team's version alike, two teams joining under one
# name. The SQLite form is "<kind> <columns>", the PostgreSQL form the constraint's name.
ROOM_CODE_CLASH: Final = frozenset({"rooms_code_key", "UNIQUE rooms.code"})
VERSION_CLASH: Final = frozenset(
    {
        "one_version_per_team",
        "UNIQUE submissions.room_id, submissions.team, submissions.version",
    }
)
TEAM_NAME_CLASH: Final = frozenset(
    {"one_team_name_per_room", "UNIQUE teams.room_id, teams.name_key"}
)
# A write that refers to a room (or team) deleted a moment earlier.
ROOM_GONE: Final = frozenset(
    {
        "submissions_room_id_fkey",
        "submissions_team_id_fkey",
        "teams_room_id_fkey",
        "FOREIGN KEY",
    }
)

# The execution option that makes a SQLite transaction take the write lock at BEGIN
# (BEGIN IMMEDIATE): a read-then-write inside one transaction then cannot race.
_WRITE: Final = "roi_store_write"


# --- errors ------------------------------------------------------------------------------


class StoreError(ValueError):
    """A request the store refuses, in words for people (unknown id, bad name)."""


class NoSuchScenario(StoreError):
    """The saved scenario is not there (deleted, perhaps by someone else a moment ago)."""

    def __init__(self, scenario_id: int) -> None:
        self.scenario_id = scenario_id
        super().__init__(
            _("this saved scenario (no. {number}) was already deleted (by someone else?)").format(
                number=scenario_id
            )
        )


class NotOwner(StoreError):
    """Only the session that saved a scenario (it holds the owner key) may change it."""

    def __init__(self, name: str, *, legacy: bool = False) -> None:
        self.name = name
        self.legacy = legacy
        said = (
            _(
                "saved scenario {name}: was saved before scenarios had owners, so nobody can "
                "rename or delete it; load it and save your own copy"
            )
            if legacy
            else _(
                "saved scenario {name}: only the person who saved it can rename or delete it; "
                "load it and save your own copy"
            )
        )
        super().__init__(said.format(name=repr(name)))


class NoSuchRoom(StoreError):
    """No room has this code (never had, expired, or the facilitator deleted it)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            _("room {code}: no such room (closed by the facilitator?)").format(code=repr(code))
        )


class NotFacilitator(StoreError):
    """The facilitator token does not match the room's."""

    def __init__(self) -> None:
        super().__init__(_("facilitator link: not valid for this room"))


class NoSuchTeam(StoreError):
    """A team secret (from a team link) that matches no team of the room."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            _(
                "team link: no team of room {code} has this link; join the room under a team name"
            ).format(code=code)
        )


class NameTaken(StoreError):
    """Another team of the room has this name (compared case- and space-insensitively)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            _(
                "team name: {name} is taken in this room — choose another name, "
                "or open your team link"
            ).format(name=repr(name))
        )


class RoomLocked(StoreError):
    """The facilitator locked the room: no joins, no submissions."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(_("room {code}: locked by the facilitator").format(code=code))


class Conflict(StoreError):
    """A compare-and-set lost: the stored value was not the one the caller expected.

    ``field`` is what was to change (``"locked"``, ``"reveal"``), ``stored`` its
    value now.
    """

    def __init__(self, field: str, stored: bool) -> None:
        self.field = field
        self.stored = stored
        super().__init__(_("someone else changed this a moment ago; the board shows it now"))


class RateLimited(StoreError):
    """Too many requests of one kind from one client; ``retry_after`` is in seconds."""

    def __init__(self, what: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(
            _("{problem}; try again in {wait}").format(problem=what, wait=_in_words(retry_after))
        )


class NotOpen(StoreError):
    """A submission changes parts of the room's scenario that the room does not open.

    ``fields`` names each part (``"levers.save_rate"``, ``"business.currency"``,
    ``"uncertainty.costs.platform_monthly"``, ``"other_items"``).
    """

    def __init__(self, fields: Sequence[str]) -> None:
        self.fields: tuple[str, ...] = tuple(fields)
        super().__init__(
            "; ".join(_("{field}: not open in this room").format(field=f) for f in self.fields)
        )


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
        what: str | None = None,
        message: str | None = None,
    ) -> None:
        self.record = record
        self.problems: tuple[str, ...] = tuple(problems) or (_("scenario: invalid"),)
        if what is None:
            what = _("its scenario no longer validates")
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
    last_activity: datetime  # creation, a join, a submission or a facilitator action
    expires_at: datetime  # last_activity + the store's room_ttl: deleted after this


@dataclass(frozen=True)
class CreatedRoom:
    room: Room
    token: str  # the facilitator's secret (shown once; only its sha256 is stored)
    view: str  # the projector view's display secret (shown once; only its sha256 is stored)


@dataclass(frozen=True)
class Team:
    id: int
    room_code: str
    name: str  # as typed, whitespace collapsed
    created_at: datetime


@dataclass(frozen=True)
class Submission:
    team: str  # the team's name
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


def projector_secret(token: str) -> str:
    """The projector (display) secret that goes with a facilitator ``token``:
    HMAC-SHA256 of a fixed label under the token. Whoever holds the token can
    derive it; the display secret does not reveal the token."""
    digest = hmac.new(token.encode(), b"roi projector view", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


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
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _key_matches(stored_hash: str | None, key: str | None) -> bool:
    if not stored_hash or not key:  # legacy rows (no hash) belong to nobody
        return False
    return hmac.compare_digest(stored_hash, _hash(key))


def _client(client: str) -> str:
    """How a client is kept in ``client_events``: the sha256 of what the app passed
    (an address, usually), so the table holds no addresses as such."""
    return _hash(client.strip())


def _in_words(seconds: float) -> str:
    """``"8 seconds"``, ``"1 minute"``, ``"12 minutes"``: a wait, rounded up."""
    whole = max(1, math.ceil(seconds))
    if whole < 90:
        return ngettext("{n} second", "{n} seconds", whole).format(n=whole)
    minutes = math.ceil(whole / 60)
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The store begins transactions itself (see _sqlite_begin); pysqlite's own
    # implicit BEGIN would start them only at the first write, after the reads.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed write survives a crash
    cursor.execute("PRAGMA busy_timeout=30000")  # writers queue instead of failing
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A store write takes the write lock up front, so what it reads cannot change
    # before it writes (two joins under one name, a rate-limit count); reads begin
    # deferred and never wait for a writer.
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _now() -> datetime:
    return datetime.now(UTC)


def _env_room_ttl() -> timedelta:
    raw = os.environ.get("ROI_ROOM_TTL_DAYS", "").strip()
    if not raw:
        return timedelta(days=ROOM_TTL_DAYS)
    try:
        days = float(raw)
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days <= 0 or days > 3650:
        raise StoreError(f"ROI_ROOM_TTL_DAYS: must be a number of days above 0, not {raw!r}")
    return timedelta(days=days)


#: Characters dropped from names: control characters (a NUL cannot even be stored in
#: PostgreSQL) and unpaired surrogates (cannot be encoded). Whitespace is collapsed first.
_DROPPED: Final = frozenset({"Cc", "Cs"})


def _clean(text: str, field: str, limit: int, *, required: bool = True) -> str:
    """``text`` as stored; ``field`` (marked with ``N_``) names it in a refusal."""
    value = " ".join(str(text).split())
    value = "".join(c for c in value if unicodedata.category(c) not in _DROPPED).strip()
    if required and not value:
        raise StoreError(_("{field}: must not be empty").format(field=_(field)))
    if len(value) > limit:
        raise StoreError(
            _("{field}: at most {limit} characters").format(field=_(field), limit=limit)
        )
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


def _valid(scenario: Scenario, what: str) -> Scenario:
    """``scenario`` validated again from its JSON (it may have been built unvalidated,
    with ``model_construct``): the scenario the store keeps. ``what`` (marked with
    ``N_``) names it in a refusal."""
    try:
        return scenario_from_json(scenario.model_dump_json())
    except ScenarioError as exc:
        raise StoreError(f"{_(what)}: {'; '.join(exc.problems)}") from None


_LEVERS_INVALID: Final = N_("its open levers no longer validate")


def _stored_allowed(text: str, record: str) -> tuple[str, ...]:
    try:
        allowed = json.loads(text)
    except ValueError as exc:
        raise StoredScenarioInvalid(
            record, [_("not JSON ({error})").format(error=exc)], what=_(_LEVERS_INVALID)
        ) from None
    if not isinstance(allowed, list) or not allowed:
        problems = [_("must be a non-empty list of numeric fields")]
    else:
        unknown = [p for p in allowed if not isinstance(p, str) or p not in NUMERIC_FIELDS]
        problems = [
            _("{field}: not a numeric field of the scenario").format(field=p) for p in unknown
        ]
    if problems:
        raise StoredScenarioInvalid(record, problems, what=_(_LEVERS_INVALID))
    return tuple(allowed)


def _not_open(room: Scenario, submitted: Scenario, allowed: Sequence[str]) -> list[str]:
    """Every part of ``submitted`` that differs from ``room`` outside the open levers
    (``allowed``) and their uncertainty ranges, named as a field path."""
    base, mine = room.model_dump(), submitted.model_dump()
    differs: list[str] = []
    for part in Scenario.model_fields:
        if part == "uncertainty":
            differs += [
                f"uncertainty.{path}"
                for path in NUMERIC_FIELDS
                if path not in allowed
                and room.uncertainty.get(path) != submitted.uncertainty.get(path)
            ]
        elif isinstance(base[part], dict):  # a group: business, service, levers, ...
            differs += [
                f"{part}.{name}"
                for name in base[part]
                if f"{part}.{name}" not in allowed and base[part][name] != mine[part][name]
            ]
        elif base[part] != mine[part]:  # name, description, other_items
            differs.append(part)
    return differs


def _live(ttl: timedelta, now: datetime) -> ColumnElement[bool]:
    """Rooms not yet expired (an expired room is gone even before it is purged)."""
    return func.coalesce(rooms.c.last_activity, rooms.c.created_at) > now - ttl


def _advisory_key(kind: str, who: str) -> int:
    """A PostgreSQL advisory lock id (a signed 64-bit number) for one client's counter."""
    digest = hashlib.sha256(f"roi_store {kind} {who}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- the store ---------------------------------------------------------------------------


class Store:
    """Saved scenarios and workshop rooms on one database; safe to share between
    threads, and between processes on one database (the rate limits too).

    Parameters
    ----------
    url
        A SQLAlchemy database URL; :func:`database_url` when omitted.
    room_ttl
        How long a room may stay idle before it is deleted; ``ROI_ROOM_TTL_DAYS``
        (days, default 7) when omitted.
    create_limit, create_window
        Rooms one client may create per window (:data:`CREATE_LIMIT` per
        :data:`CREATE_WINDOW`).
    join_limit, join_window
        Joins one client may make per window (:data:`JOIN_LIMIT` per
        :data:`JOIN_WINDOW`).
    miss_limit, miss_window, miss_delay, miss_max_delay
        Wrong room codes one client may try in a row (each within ``miss_window``
        of the one before); after that every room lookup by the client waits
        ``miss_delay`` after its last miss, doubled with each further miss up to
        ``miss_max_delay``, until ``miss_window`` passes without a miss.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        room_ttl: timedelta | None = None,
        create_limit: int = CREATE_LIMIT,
        create_window: timedelta = CREATE_WINDOW,
        join_limit: int = JOIN_LIMIT,
        join_window: timedelta = JOIN_WINDOW,
        miss_limit: int = MISS_LIMIT,
        miss_window: timedelta = MISS_WINDOW,
        miss_delay: timedelta = MISS_DELAY,
        miss_max_delay: timedelta = MISS_MAX_DELAY,
    ) -> None:
        self.room_ttl: timedelta = room_ttl if room_ttl is not None else _env_room_ttl()
        if self.room_ttl <= timedelta(0):
            raise StoreError("room_ttl: must be longer than zero")
        if min(create_limit, join_limit, miss_limit) < 1:
            raise StoreError("rate limits: each must allow at least one request")
        self._limits: dict[str, tuple[int, timedelta]] = {
            "create": (create_limit, create_window),
            "join": (join_limit, join_window),
        }
        self.miss_limit = miss_limit
        self.miss_window = miss_window
        self.miss_delay = miss_delay
        self.miss_max_delay = miss_max_delay
        self._purged_at: datetime | None = None
        self.url: str = url or database_url()
        sqlite = self.url.startswith("sqlite")
        self.engine: Engine = create_engine(
            self.url,
            connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {},
            pool_pre_ping=not sqlite,
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        try:
            self.migrate()
        except BaseException:  # e.g. SchemaTooNew: leave no pooled connection behind
            self.engine.dispose()
            raise

    def migrate(self) -> int:
        """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`."""
        with self._write("schema") as conn:
            return migrate_schema(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, what: str) -> Iterator[Connection]:
        """One write transaction; a refused constraint becomes a :class:`ConstraintViolation`."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
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
        clean = _clean(name, N_("name"), MAX_NAME)
        who = _clean(owner, N_("owner"), MAX_OWNER, required=False)
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
        clean = _clean(name, N_("name"), MAX_NAME)
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

    # --- rate limits -----------------------------------------------------------------------

    def _serialize(self, conn: Connection, kind: str, who: str) -> None:
        """Let one transaction at a time count ``who``'s requests of ``kind``, in every
        process. SQLite's BEGIN IMMEDIATE already lets one writer in at a time."""
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_advisory_key(kind, who))))

    def _count(self, kind: str, what: str, who: str, now: datetime) -> None:
        """Count one request of ``kind`` by ``who``, or refuse it with :class:`RateLimited`
        (a refused request is not counted, so waiting is enough to get in again)."""
        limit, window = self._limits[kind]
        with self._write(f"{kind} limit") as conn:
            self._serialize(conn, kind, who)
            mine = (client_events.c.kind == kind) & (client_events.c.client == who)
            conn.execute(sql_delete(client_events).where(mine, client_events.c.at <= now - window))
            times = (
                conn.execute(
                    select(client_events.c.at)
                    .where(mine, client_events.c.at > now - window)
                    .order_by(client_events.c.at)
                )
                .scalars()
                .all()
            )
            wait = timedelta(0)
            if len(times) >= limit:  # in again when the oldest counted request leaves the window
                wait = times[len(times) - limit] + window - now
            else:
                conn.execute(insert(client_events).values(kind=kind, client=who, at=now))
        if wait > timedelta(0):
            raise RateLimited(what, wait.total_seconds())

    def _misses(self, conn: Connection, who: str, now: datetime) -> tuple[int, float]:
        """``who``'s guessing streak: how many wrong room codes it tried in a row (the
        latest within ``miss_window`` of now, each within ``miss_window`` of the one
        after it), and how many seconds it must still wait before its next lookup
        (0: none). A streak ends only after ``miss_window`` without a miss, so the
        wait, once at ``miss_max_delay``, stays there while the guessing goes on."""
        recent = (
            conn.execute(
                select(client_events.c.at)
                .where(
                    client_events.c.kind == "miss",
                    client_events.c.client == who,
                    client_events.c.at > now - MISS_MEMORY,
                )
                .order_by(client_events.c.at.desc())
                .limit(self.miss_limit + _MAX_DOUBLINGS)
            )
            .scalars()
            .all()
        )
        streak, later = 0, now
        for at in recent:
            if later - at > self.miss_window:
                break
            streak, later = streak + 1, at
        if streak < self.miss_limit:
            return streak, 0.0
        doublings = min(streak - self.miss_limit, _MAX_DOUBLINGS)
        delay = min(self.miss_delay * 2**doublings, self.miss_max_delay)
        return streak, max(0.0, (recent[0] + delay - now).total_seconds())

    def _record_miss(self, conn: Connection, who: str, now: datetime) -> None:
        mine = (client_events.c.kind == "miss") & (client_events.c.client == who)
        conn.execute(sql_delete(client_events).where(mine, client_events.c.at <= now - MISS_MEMORY))
        conn.execute(insert(client_events).values(kind="miss", client=who, at=now))

    def _missed(self, code: str, who: str, now: datetime) -> NoSuchRoom:
        """Count a wrong room code against ``who``; the error to raise."""
        with self._write("room code limit") as conn:
            self._serialize(conn, "miss", who)
            self._record_miss(conn, who, now)
        return NoSuchRoom(code.strip())

    @staticmethod
    def _guessing(retry_after: float) -> RateLimited:
        return RateLimited(
            _("room code: too many wrong room codes from here (a room code guess costs time)"),
            retry_after,
        )

    # --- workshop rooms: reading -----------------------------------------------------------

    def _room(self, row: Row[Any]) -> Room:
        record = _("room {code}").format(code=row.code)
        last = row.last_activity or row.created_at
        return Room(
            int(row.id),
            row.code,
            row.name,
            _stored_scenario(row.scenario_json, record),
            _stored_allowed(row.allowed_json, record),
            bool(row.locked),
            bool(row.reveal),
            row.created_at,
            last,
            last + self.room_ttl,
        )

    def _find(self, conn: Connection, code: str, now: datetime) -> Row[Any] | None:
        return conn.execute(
            select(rooms).where(rooms.c.code == _code(code), _live(self.room_ttl, now))
        ).first()

    def _room_by_code(self, code: str) -> Room:
        """The room, for the store's own use: no client, so nothing is counted."""
        with self.engine.connect() as conn:
            row = self._find(conn, code, _now())
        if row is None:
            raise NoSuchRoom(code.strip())
        return self._room(row)

    def room(self, code: str, *, client: str = "") -> Room:
        """The room with this code (case-insensitive).

        Parameters
        ----------
        code
            The room code as typed.
        client
            Who is asking (the app passes the browser's address); ``""`` is one
            client like any other.

        Raises
        ------
        NoSuchRoom
            No live room has this code; counted as a miss against ``client``.
        RateLimited
            ``client`` missed :data:`MISS_LIMIT` times in a row (each within
            :data:`MISS_WINDOW` of the one before) and its next lookup is not due
            yet, even for a code that exists. The wait doubles with every further
            miss up to :data:`MISS_MAX_DELAY`; a hit resets nothing, for anyone.
        StoredScenarioInvalid
            The room's scenario or open levers no longer validate.
        """
        who, now = _client(client), _now()
        with self.engine.connect() as conn:
            missed, wait = self._misses(conn, who, now)
            row = self._find(conn, code, now) if missed < self.miss_limit and not wait else None
        if wait:
            raise self._guessing(wait)
        if missed < self.miss_limit:  # the usual case: a lookup, no write
            if row is None:
                raise self._missed(code, who, now)
            return self._room(row)
        # A client that missed before: check, look up and count as one step, so that
        # lookups sent in parallel cannot all slip through between check and count.
        with self._write("room code limit") as conn:
            self._serialize(conn, "miss", who)
            __, wait = self._misses(conn, who, now)
            row = None if wait else self._find(conn, code, now)
            if row is None and not wait:
                self._record_miss(conn, who, now)
        if wait:
            raise self._guessing(wait)
        if row is None:
            raise NoSuchRoom(code.strip())
        return self._room(row)

    def _room_id(self, code: str) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(rooms.c.id).where(rooms.c.code == _code(code), _live(self.room_ttl, _now()))
            ).scalar()
        if found is None:
            raise NoSuchRoom(code.strip())
        return int(found)

    def _hash_of(self, code: str, column: str) -> str | None:
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(rooms.c[column]).where(
                    rooms.c.code == _code(code), _live(self.room_ttl, _now())
                )
            ).scalar()
        return None if stored is None else str(stored)

    def is_facilitator(self, code: str, token: str) -> bool:
        """True when ``token`` is the room's facilitator token (constant-time compare)."""
        return _key_matches(self._hash_of(code, "token_hash"), token)

    def is_viewer(self, code: str, view: str) -> bool:
        """True when ``view`` is the room's projector (display) secret.

        The facilitator token is not a view secret, and a room from before schema
        version 4 has none until :meth:`renew_view` makes one.
        """
        return _key_matches(self._hash_of(code, "view_hash"), view)

    def _require(self, code: str, token: str) -> int:
        """The room's id for its facilitator. Needs no valid scenario, so a room whose
        scenario no longer validates can still be locked, exported or deleted."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(rooms.c.id, rooms.c.token_hash).where(
                    rooms.c.code == _code(code), _live(self.room_ttl, _now())
                )
            ).first()
        if row is None:
            raise NoSuchRoom(code.strip())
        if not _key_matches(row.token_hash, token):
            raise NotFacilitator
        return int(row.id)

    def _team_row(self, conn: Connection, room_id: int, secret: str) -> Row[Any] | None:
        """The team of the room whose secret this is. Looked up by the secret's sha256
        (an index lookup on a hash says nothing about the secret), then compared in
        constant time all the same."""
        if not secret:
            return None
        digest = _hash(secret)
        row = conn.execute(
            select(teams).where(teams.c.room_id == room_id, teams.c.secret_hash == digest)
        ).first()
        if row is None or not hmac.compare_digest(row.secret_hash, digest):
            return None
        return row

    def team(self, code: str, secret: str) -> Team:
        """The team whose link carries ``secret``.

        Raises
        ------
        NoSuchRoom
            No live room has this code.
        NoSuchTeam
            No team of the room has this secret.
        """
        with self.engine.connect() as conn:
            room = conn.execute(
                select(rooms.c.id, rooms.c.code).where(
                    rooms.c.code == _code(code), _live(self.room_ttl, _now())
                )
            ).first()
            row = None if room is None else self._team_row(conn, int(room.id), secret)
        if room is None:
            raise NoSuchRoom(code.strip())
        if row is None:
            raise NoSuchTeam(room.code)
        return Team(int(row.id), room.code, row.name, row.created_at)

    def latest(self, code: str, secret: str) -> Submission | None:
        """The team's last submission (to pick up where it was after a reload), or
        None before its first. Raises as :meth:`team` does, and
        :class:`StoredScenarioInvalid` when that submission no longer validates."""
        team = self.team(code, secret)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(submissions)
                .where(submissions.c.team_id == team.id)
                .order_by(submissions.c.version.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        record = _("room {code}, team {team} version {version}").format(
            code=team.room_code, team=repr(row.team), version=row.version
        )
        scenario = _stored_scenario(row.scenario_json, record)
        return Submission(row.team, int(row.version), scenario, row.created_at)

    def _submissions(self, room_id: int, code: str, *, latest_only: bool) -> SubmissionList:
        query = select(submissions).where(submissions.c.room_id == room_id)
        if latest_only:  # each team in the place of its first submission, at its latest
            per_team = (
                select(
                    submissions.c.team,
                    func.max(submissions.c.version).label("last"),
                    func.min(submissions.c.id).label("first"),
                )
                .where(submissions.c.room_id == room_id)
                .group_by(submissions.c.team)
                .subquery()
            )
            query = query.join(
                per_team,
                and_(
                    submissions.c.team == per_team.c.team,
                    submissions.c.version == per_team.c.last,
                ),
            ).order_by(per_team.c.first)
        else:
            query = query.order_by(submissions.c.id)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        valid: list[Submission] = []
        skipped: list[StoredScenarioInvalid] = []
        for r in rows:
            record = _("room {code}, team {team} version {version}").format(
                code=code, team=repr(r.team), version=r.version
            )
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

    # --- workshop rooms: writing -----------------------------------------------------------

    def create_room(
        self,
        name: str,
        scenario: Scenario,
        allowed: list[str] | tuple[str, ...],
        *,
        client: str = "",
    ) -> CreatedRoom:
        """A new room with its facilitator token and projector secret.

        Parameters
        ----------
        name
            The room's name (whitespace collapsed, at most ``MAX_NAME`` characters).
        scenario
            The room's starting point; validated again.
        allowed
            The numeric fields (``"levers.save_rate"``) teams may move.
        client
            Who is asking, for the limit of :data:`CREATE_LIMIT` rooms per
            :data:`CREATE_WINDOW`.

        Returns
        -------
        CreatedRoom
            The room, and its two secrets (shown once: only their sha256 is kept).

        Raises
        ------
        RateLimited
            ``client`` created too many rooms lately.
        StoreError
            A bad name, scenario or lever list.
        """
        clean = _clean(name, N_("room name"), MAX_NAME)
        unknown = [p for p in allowed if p not in NUMERIC_FIELDS]
        if unknown or not allowed:
            raise StoreError(
                _("allowed levers: choose at least one numeric field ({unknown})").format(
                    unknown=unknown
                )
            )
        valid = _valid(scenario, N_("room scenario"))
        now = _now()
        self._count("create", _("new rooms: too many from here"), _client(client), now)
        self._purge_now_and_then(now)
        token = secrets.token_urlsafe(24)
        view = projector_secret(token)
        for __ in range(20):  # a code clash is rare; try again with another
            code = "".join(secrets.choice(CODE_ALPHABET) for ___ in range(CODE_LENGTH))
            try:
                with self._write(f"room {clean!r}") as conn:
                    room_id = _inserted_id(
                        conn,
                        insert(rooms).values(
                            code=code,
                            name=clean,
                            token_hash=_hash(token),
                            view_hash=_hash(view),
                            scenario_json=valid.model_dump_json(),
                            allowed_json=json.dumps(list(allowed)),
                            locked=False,
                            reveal=False,
                            created_at=now,
                            last_activity=now,
                        ),
                    )
            except ConstraintViolation as exc:
                if exc.constraint in ROOM_CODE_CLASH:
                    continue
                raise
            room = Room(
                room_id,
                code,
                clean,
                valid,
                tuple(allowed),
                locked=False,
                reveal=False,
                created_at=now,
                last_activity=now,
                expires_at=now + self.room_ttl,
            )
            return CreatedRoom(room, token, view)
        raise StoreError(_("room: could not find a free room code"))  # pragma: no cover

    def _lock_room(self, conn: Connection, code: str, now: datetime) -> Row[Any] | None:
        """The live room's row, locked until the transaction ends (PostgreSQL: row lock;
        SQLite: the write transaction already excludes every other writer)."""
        return conn.execute(
            select(rooms)
            .where(rooms.c.code == _code(code), _live(self.room_ttl, now))
            .with_for_update()
        ).first()

    @staticmethod
    def _touch(conn: Connection, room_id: int, now: datetime) -> None:
        conn.execute(update(rooms).where(rooms.c.id == room_id).values(last_activity=now))

    def join(self, code: str, team_name: str, *, client: str = "") -> tuple[Team, str]:
        """A new team in the room, and its secret (for the team link).

        Parameters
        ----------
        code
            The room code.
        team_name
            The name as typed: whitespace collapsed, at most ``MAX_TEAM`` characters.
        client
            Who is asking, for the limit of :data:`JOIN_LIMIT` joins per
            :data:`JOIN_WINDOW`; a wrong room code counts as a miss as in :meth:`room`.

        Returns
        -------
        tuple[Team, str]
            The team and its secret (shown once: only its sha256 is kept).

        Raises
        ------
        NameTaken
            A team of the room has this name, compared case-, width- and
            space-insensitively ("Blue  team" is "blue team").
        RoomLocked
            The facilitator locked the room.
        NoSuchRoom, RateLimited
            As in :meth:`room`.
        """
        name = _clean(team_name, N_("team name"), MAX_TEAM)
        key = team_key(name)
        if not key:
            raise StoreError(_("{field}: must not be empty").format(field=_("team name")))
        who, now = _client(client), _now()
        self._count("join", _("joining: too many joins from here"), who, now)
        with self.engine.connect() as conn:
            __, wait = self._misses(conn, who, now)
        if wait:
            raise self._guessing(wait)
        secret, team_id = secrets.token_urlsafe(24), 0
        try:
            with self._write(f"room {_code(code)}, team {name!r}") as conn:
                room = self._lock_room(conn, code, now)
                if room is not None:
                    team_id = self._add_team(conn, room, name, key, secret, now)
        except ConstraintViolation as exc:
            if exc.constraint in TEAM_NAME_CLASH:  # only if the room lock was not enough
                raise NameTaken(name) from exc
            if exc.constraint in ROOM_GONE:
                raise NoSuchRoom(code.strip()) from exc
            raise
        if room is None:
            raise self._missed(code, who, now)
        return Team(team_id, room.code, name, now), secret

    def _add_team(
        self, conn: Connection, room: Row[Any], name: str, key: str, secret: str, now: datetime
    ) -> int:
        if room.locked:
            raise RoomLocked(room.code)
        taken = conn.execute(
            select(teams.c.id).where(teams.c.room_id == room.id, teams.c.name_key == key)
        ).first()
        if taken is not None:
            raise NameTaken(name)
        count = conn.execute(
            select(func.count()).select_from(teams).where(teams.c.room_id == room.id)
        ).scalar()
        if (count or 0) >= MAX_TEAMS_PER_ROOM:
            raise StoreError(
                _("room {code}: full ({n} teams)").format(code=room.code, n=MAX_TEAMS_PER_ROOM)
            )
        team_id = _inserted_id(
            conn,
            insert(teams).values(
                room_id=room.id,
                name=name,
                name_key=key,
                secret_hash=_hash(secret),
                created_at=now,
            ),
        )
        self._touch(conn, int(room.id), now)
        return team_id

    def submit(self, code: str, secret: str, scenario: Scenario) -> Submission:
        """Keep a team's scenario as its next version.

        Parameters
        ----------
        code
            The room code.
        secret
            The team's secret, from :meth:`join` (its team link).
        scenario
            The team's case: it must validate, and differ from the room's scenario
            only in the room's open levers and those levers' uncertainty ranges.

        Raises
        ------
        NotOpen
            It changes anything else (``"business.currency: not open in this room"``).
        RoomLocked
            The facilitator locked the room.
        NoSuchRoom, NoSuchTeam
            The room is gone; the secret is no team's of the room.
        StoredScenarioInvalid
            The room's own scenario no longer validates.
        StoreError
            The scenario does not validate; the team or room is full.
        """
        room = self._room_by_code(code)
        valid = _valid(scenario, N_("submission"))
        differs = _not_open(room.scenario, valid, room.allowed)
        if differs:
            raise NotOpen(differs)
        now = _now()
        for __ in range(10):  # a unique-version clash left over: try again
            try:
                return self._submit_once(room, secret, valid, now)
            except ConstraintViolation as exc:
                if exc.constraint in VERSION_CLASH:
                    continue
                if exc.constraint in ROOM_GONE:
                    raise NoSuchRoom(room.code) from exc
                raise
        raise StoreError(_("submission: the room is busy, please submit again"))  # pragma: no cover

    def _submit_once(
        self, room: Room, secret: str, scenario: Scenario, now: datetime
    ) -> Submission:
        with self._write(f"room {room.code}, a team's submission") as conn:
            # Submissions to one room queue on its row (PostgreSQL and others);
            # SQLite already lets one writer in at a time.
            row = conn.execute(
                select(rooms.c.locked).where(rooms.c.id == room.id).with_for_update()
            ).first()
            if row is None:
                raise NoSuchRoom(room.code)
            if row.locked:
                raise RoomLocked(room.code)
            team = self._team_row(conn, room.id, secret)
            if team is None:
                raise NoSuchTeam(room.code)
            total = conn.execute(
                select(func.count())
                .select_from(submissions)
                .where(submissions.c.room_id == room.id)
            ).scalar()
            if (total or 0) >= MAX_SUBMISSIONS_PER_ROOM:
                raise StoreError(
                    _("room {code}: full ({n} submissions)").format(
                        code=room.code, n=MAX_SUBMISSIONS_PER_ROOM
                    )
                )
            last = conn.execute(
                select(func.max(submissions.c.version)).where(submissions.c.team_id == team.id)
            ).scalar()
            version = int(last or 0) + 1
            if version > MAX_VERSIONS_PER_TEAM:
                raise StoreError(
                    _("team {name}: at most {n} submissions").format(
                        name=repr(team.name), n=MAX_VERSIONS_PER_TEAM
                    )
                )
            conn.execute(
                insert(submissions).values(
                    room_id=room.id,
                    team=team.name,
                    team_id=team.id,
                    version=version,
                    scenario_json=scenario.model_dump_json(),
                    created_at=now,
                )
            )
            self._touch(conn, room.id, now)
        return Submission(team.name, version, scenario, now)

    def _compare_and_set(
        self, code: str, token: str, field: str, value: bool, expected: bool
    ) -> Room:
        room_id, now = self._require(code, token), _now()
        column = rooms.c[field]
        with self._write(f"room {_code(code)}") as conn:
            done = conn.execute(
                update(rooms)
                .where(rooms.c.id == room_id, column == expected)
                .values({field: value, "last_activity": now})
            ).rowcount
            row = conn.execute(select(rooms).where(rooms.c.id == room_id)).first()
        if row is None:  # deleted between the check and the update
            raise NoSuchRoom(code.strip())
        if not done:
            raise Conflict(field, bool(row._mapping[field]))
        try:
            return self._room(row)
        except StoredScenarioInvalid as exc:  # the change is made; say so
            raise StoredScenarioInvalid(
                exc.record,
                exc.problems,
                what=_(
                    "{field} set to {value} as asked, but its scenario no longer validates"
                ).format(field=field, value=value),
            ) from None

    def set_locked(self, code: str, token: str, locked: bool, *, expected: bool) -> Room:
        """Lock or unlock the room (facilitator only), if it is still as ``expected``.

        Compare-and-set: written only if the stored value equals ``expected`` (what
        the caller's page showed), so two facilitator tabs cannot overwrite each other.

        Returns
        -------
        Room
            The room as stored after the change.

        Raises
        ------
        Conflict
            The stored value was not ``expected``; nothing was written.
        NotFacilitator, NoSuchRoom
            A wrong token; no such room.
        StoredScenarioInvalid
            The change was made, but the room's scenario no longer validates, so
            no :class:`Room` can be returned.
        """
        return self._compare_and_set(code, token, "locked", locked, expected)

    def set_reveal(self, code: str, token: str, reveal: bool, *, expected: bool) -> Room:
        """Show or hide the teams' names on the board; compare-and-set as :meth:`set_locked`."""
        return self._compare_and_set(code, token, "reveal", reveal, expected)

    def renew_view(self, code: str, token: str) -> str:
        """A new projector (display) secret for the room (facilitator only); the old
        projector link stops working. Rooms from before schema version 4 get their
        first one this way. Returns the secret (only its sha256 is kept)."""
        room_id = self._require(code, token)
        view = secrets.token_urlsafe(24)
        with self._write(f"room {_code(code)}") as conn:
            conn.execute(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(view_hash=_hash(view), last_activity=_now())
            )
        return view

    def view_secret(self, code: str, token: str) -> str:
        """The room's projector secret, for its facilitator: derived from the token
        (:func:`projector_secret`), so the facilitator's link alone can always show
        the projector link again. A room from before schema version 4 gets it now.

        Raises :class:`NotFacilitator` (or :class:`NoSuchRoom`) for anyone else."""
        room_id = self._require(code, token)
        view = projector_secret(token)
        if not _key_matches(self._hash_of(code, "view_hash"), view):
            with self._write(f"room {_code(code)}") as conn:
                conn.execute(
                    update(rooms).where(rooms.c.id == room_id).values(view_hash=_hash(view))
                )
        return view

    @staticmethod
    def _delete_rooms(conn: Connection, ids: Sequence[int]) -> None:
        for chunk in _chunks(ids):
            conn.execute(sql_delete(submissions).where(submissions.c.room_id.in_(chunk)))
            conn.execute(sql_delete(teams).where(teams.c.room_id.in_(chunk)))
            conn.execute(sql_delete(rooms).where(rooms.c.id.in_(chunk)))

    def delete_room(self, code: str, token: str) -> None:
        """Delete the room with its teams and submissions (facilitator only)."""
        room_id = self._require(code, token)
        with self._write(f"room {_code(code)}") as conn:
            self._delete_rooms(conn, [room_id])

    def export(self, code: str, token: str) -> list[dict[str, Any]]:
        """Every version of every submission (facilitator only), JSON-ready.

        ``submitted_at`` is ISO 8601 in UTC with its offset (``+00:00``) on every
        database. All or nothing: if any stored submission no longer validates,
        raises :class:`StoredScenarioInvalid` naming each one, rather than hand out
        an incomplete record.
        """
        room_code = _code(code)
        room_id = self._require(code, token)
        with self._write(f"room {room_code}") as conn:
            self._touch(conn, room_id, _now())
        subs = self._submissions(room_id, room_code, latest_only=False)
        if subs.skipped:
            problems = [str(x) for x in subs.skipped]
            raise StoredScenarioInvalid(
                _("room {code}").format(code=room_code),
                problems,
                message=_(
                    "room {code}: {n} stored submission(s) no longer validate, so an export "
                    "would be incomplete: {problems}"
                ).format(code=room_code, n=len(problems), problems=" | ".join(problems)),
            )
        return [
            {
                "team": x.team,
                "version": x.version,
                "submitted_at": as_utc(x.created_at).isoformat(),
                "scenario": x.scenario.model_dump(mode="json"),
            }
            for x in subs
        ]

    # --- housekeeping ----------------------------------------------------------------------

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete rooms idle longer than :attr:`room_ttl`, with their teams and
        submissions, and the client events no rate limit counts any more.

        Parameters
        ----------
        now
            The present moment (tests pass one); the clock when omitted.

        Returns
        -------
        int
            How many rooms were deleted.
        """
        moment = _now() if now is None else as_utc(now)
        kept = {kind: window for kind, (__, window) in self._limits.items()} | {"miss": MISS_MEMORY}
        with self._write("expired rooms") as conn:
            # Locked first, then deleted: a join that got in meanwhile made its room live
            # again, and the lock's re-check leaves it out.
            expired = [
                int(i)
                for i in conn.execute(
                    select(rooms.c.id).where(~_live(self.room_ttl, moment)).with_for_update()
                ).scalars()
            ]
            self._delete_rooms(conn, expired)
            for kind, window in kept.items():  # each kind's events count for its window only
                conn.execute(
                    sql_delete(client_events).where(
                        client_events.c.kind == kind, client_events.c.at <= moment - window
                    )
                )
        return len(expired)

    def _purge_now_and_then(self, now: datetime) -> None:
        if self._purged_at is None or abs(now - self._purged_at) >= PURGE_EVERY:
            self._purged_at = now
            self.purge_expired(now)

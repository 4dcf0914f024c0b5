"""The schema is versioned; an older database is migrated step by step, keeping its rows."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
    text,
    update,
)

from roi_core import Scenario, with_values
from roi_store import SCHEMA_VERSION, NameTaken, NotOwner, SchemaTooNew, Store
from roi_store.schema import schema_version

OPEN = ["levers.retention_lift", "levers.social_deflection"]
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def version_2_schema() -> tuple[MetaData, Table, Table, Table, Table]:
    """The tables as schema version 2 created them (no owner key on scenarios)."""
    md = MetaData()
    version = Table("schema_version", md, Column("version", Integer, nullable=False))
    saved = Table(
        "scenarios",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(80), nullable=False),
        Column("owner", String(60), nullable=False, default=""),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("scenario_json", Text, nullable=False),
    )
    room = Table(
        "rooms",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("code", String(12), nullable=False, unique=True),
        Column("name", String(80), nullable=False),
        Column("token_hash", String(64), nullable=False),
        Column("scenario_json", Text, nullable=False),
        Column("allowed_json", Text, nullable=False),
        Column("locked", Boolean, nullable=False, default=False),
        Column("reveal", Boolean, nullable=False, default=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    sub = Table(
        "submissions",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        Column("team", String(40), nullable=False),
        Column("version", Integer, nullable=False),
        Column("scenario_json", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("room_id", "team", "version", name="one_version_per_team"),
    )
    return md, version, saved, room, sub


def build_version_2(url: str) -> Scenario:
    """A version-2 database with one saved scenario, one room and one submission."""
    md, version, saved, room, sub = version_2_schema()
    pitch = with_values(Scenario(), {"levers.save_rate": 0.3})
    engine = create_engine(url)
    with engine.begin() as conn:
        md.create_all(conn)
        conn.execute(insert(version).values(version=2))
        conn.execute(
            insert(saved).values(
                name="Old pitch",
                owner="Ana",
                created_at=NOW,
                updated_at=NOW,
                scenario_json=pitch.model_dump_json(),
            )
        )
        room_id = conn.execute(
            insert(room).values(
                code="OLDRM2",
                name="Old room",
                token_hash="0" * 64,
                scenario_json=Scenario().model_dump_json(),
                allowed_json='["levers.retention_lift"]',
                locked=False,
                reveal=False,
                created_at=NOW,
            )
        ).inserted_primary_key
        assert room_id is not None
        conn.execute(
            insert(sub).values(
                room_id=room_id[0],
                team="Blue",
                version=1,
                scenario_json=Scenario().model_dump_json(),
                created_at=NOW,
            )
        )
    engine.dispose()
    return pitch


def test_a_version_2_database_is_migrated_keeping_its_rows(url: str, key: str) -> None:
    pitch = build_version_2(url)
    store = Store(url, room_ttl=timedelta(days=36_500))  # the old room would have expired
    try:
        assert store.migrate() == SCHEMA_VERSION == 4
        columns = {c["name"] for c in inspect(store.engine).get_columns("scenarios")}
        assert "owner_key_hash" in columns
        [old] = store.list_scenarios(key)
        assert (old.name, old.owner, old.mine) == ("Old pitch", "Ana", False)
        assert store.load_scenario(old.id) == pitch
        with pytest.raises(NotOwner, match="saved before scenarios had owners"):
            store.delete_scenario(old.id, owner_key=key)
        assert store.room("OLDRM2").name == "Old room"
        assert [(x.team, x.version) for x in store.submissions("OLDRM2")] == [("Blue", 1)]
        with pytest.raises(NameTaken):  # the old team's name stays taken
            store.join("OLDRM2", "blue")
        mine = store.save_scenario("New pitch", Scenario(), owner_key=key)
        assert [s.mine for s in store.list_scenarios(key)] == [True, False]
        store.delete_scenario(mine.id, owner_key=key)
    finally:
        store.close()


TOKEN = "the-old-facilitator-token"


def build_version_3(url: str) -> None:
    """A version-3 database: room OLDRM3 where teams "Blue" (twice), "blue" (a team
    of its own then) and "Red" submitted, and room QUIET3 with no submissions."""
    md, version, saved, room, sub = version_2_schema()
    saved.append_column(Column("owner_key_hash", String(64), nullable=True))
    engine = create_engine(url)
    with engine.begin() as conn:
        md.create_all(conn)
        conn.execute(insert(version).values(version=3))
        ids = {}
        for code in ("OLDRM3", "QUIET3"):
            ids[code] = conn.execute(
                insert(room).values(
                    code=code,
                    name=f"Room {code}",
                    token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
                    scenario_json=Scenario().model_dump_json(),
                    allowed_json=json.dumps(OPEN),
                    locked=False,
                    reveal=False,
                    created_at=NOW,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        for minutes, team, number in (
            (1, "Blue", 1),
            (2, "blue", 1),
            (3, "Red", 1),
            (4, "Blue", 2),
        ):
            conn.execute(
                insert(sub).values(
                    room_id=ids["OLDRM3"],
                    team=team,
                    version=number,
                    scenario_json=Scenario().model_dump_json(),
                    created_at=NOW + timedelta(minutes=minutes),
                )
            )
    engine.dispose()


def test_a_version_3_database_gets_teams_views_and_last_activity(url: str) -> None:
    build_version_3(url)
    store = Store(url, room_ttl=timedelta(days=36_500))
    try:
        assert store.migrate() == SCHEMA_VERSION == 4
        found = inspect(store.engine)
        assert {"teams", "client_events"} <= set(found.get_table_names())
        assert {"view_hash", "last_activity"} <= {c["name"] for c in found.get_columns("rooms")}
        assert "team_id" in {c["name"] for c in found.get_columns("submissions")}
        with store.engine.connect() as conn:
            made = conn.execute(
                text("SELECT name, name_key FROM teams ORDER BY id")
            ).all()  # one team per distinct (room, name), first submitter first
            assert [tuple(r) for r in made] == [
                ("Blue", "blue"),
                ("blue", "blue (earlier team 2)"),
                ("Red", "red"),
            ]
            unlinked = "SELECT count(*) FROM submissions WHERE team_id IS NULL"
            assert conn.execute(text(unlinked)).scalar() == 0
        # Listed and exported as before, in the order the teams first submitted.
        board = store.submissions("oldrm3")
        assert [(x.team, x.version) for x in board] == [("Blue", 2), ("blue", 1), ("Red", 1)]
        # Last active at the latest submission, or at creation; no projector view yet.
        old, quiet = store.room("OLDRM3"), store.room("QUIET3")
        assert old.last_activity == NOW + timedelta(minutes=4)
        assert quiet.last_activity == NOW
        exported = store.export("OLDRM3", TOKEN)
        assert exported[0]["submitted_at"] == "2025-03-01T09:31:00+00:00"
        assert not store.is_viewer("OLDRM3", "") and not store.is_viewer("OLDRM3", TOKEN)
        view = store.renew_view("OLDRM3", TOKEN)
        assert store.is_viewer("OLDRM3", view)
        # The old teams' secrets are known to nobody: their names stay taken.
        for taken in ("BLUE", "Red", "blue (earlier team 2)"):
            with pytest.raises(NameTaken):
                store.join("OLDRM3", taken)
        _, green = store.join("OLDRM3", "Green")
        assert store.submit("OLDRM3", green, Scenario()).version == 1
    finally:
        store.close()


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL);"
        "INSERT INTO schema_version VALUES (1);"
        "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL, "
        "owner VARCHAR(60) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,"
        " scenario_json TEXT NOT NULL);"
        "INSERT INTO scenarios VALUES (7, 'First ever', '', '2024-01-01 00:00:00',"
        " '2024-01-01 00:00:00', '{}');"
    )
    con.close()
    store = Store(f"sqlite:///{path}")
    assert store.migrate() == SCHEMA_VERSION == 4
    room = store.create_room("After migration", Scenario(), OPEN).room
    assert store.room(room.code).last_activity == room.created_at
    assert store.room(room.code).name == "After migration"
    [first] = store.list_scenarios()
    assert (first.id, first.name, first.mine) == (7, "First ever", False)
    assert store.load_scenario(7) == Scenario()
    store.close()


def test_an_interrupted_step_is_finished_on_the_next_start(url: str) -> None:
    """SQLite may commit ALTER TABLE before the version row: the step runs again."""
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=2))  # column added, version not
    engine.dispose()
    store = Store(url)
    assert store.migrate() == SCHEMA_VERSION
    store.close()


def test_a_database_from_a_newer_app_is_not_touched(url: str) -> None:
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match=f"schema version {SCHEMA_VERSION + 1} is newer"):
        Store(url)


def test_a_new_database_starts_at_the_current_version(url: str) -> None:
    store = Store(url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).scalars().all() == [
            SCHEMA_VERSION
        ]
    store.close()

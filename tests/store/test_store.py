"""The scenario store on SQLite in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from roi_core import Scenario, scenario_from_dict, with_values
from roi_ui.store import SCHEMA_VERSION, Store, StoreError, metadata

#: Set to a PostgreSQL URL (an empty database) to run the store tests there too,
#: e.g. postgresql+psycopg://postgres@127.0.0.1:5544/roi
POSTGRES_URL = os.environ.get("ROI_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("ROI_TEST_POSTGRES_URL not set")
        s = Store(POSTGRES_URL)
    else:
        s = Store(f"sqlite:///{tmp_path / 'roi.sqlite3'}")
    yield s
    if request.param == "postgresql":
        metadata.drop_all(s.engine)  # an empty database for the next test
    s.close()


def test_save_list_load_rename_delete(store: Store) -> None:
    scenario = scenario_from_dict({"name": "Telecom pitch", "levers": {"save_rate": 0.3}})
    saved = store.save_scenario("  Telecom   pitch ", scenario, owner="Ana")
    assert saved.name == "Telecom pitch" and saved.owner == "Ana"
    assert store.load_scenario(saved.id) == scenario
    second = store.save_scenario("Baseline", Scenario())
    assert [s.id for s in store.list_scenarios()] == [second.id, saved.id]
    store.rename_scenario(saved.id, "Telecom, final")
    assert store.list_scenarios()[0].name == "Telecom, final"  # renamed is newest
    store.delete_scenario(second.id)
    assert [s.name for s in store.list_scenarios()] == ["Telecom, final"]


def test_refusals_name_the_problem(store: Store) -> None:
    with pytest.raises(StoreError, match="name: must not be empty"):
        store.save_scenario("   ", Scenario())
    with pytest.raises(StoreError, match="at most 80"):
        store.save_scenario("x" * 81, Scenario())
    with pytest.raises(StoreError, match="no such saved scenario"):
        store.load_scenario(999)
    with pytest.raises(StoreError, match="no such saved scenario"):
        store.delete_scenario(999)


def test_sqlite_runs_in_wal_mode_with_a_schema_version(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == (
            SCHEMA_VERSION
        )
    assert store.migrate() == SCHEMA_VERSION  # idempotent


def test_thirty_threads_saving_at_once_all_land(store: Store) -> None:
    barrier = threading.Barrier(30)
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            barrier.wait()
            store.save_scenario(f"team {i}", Scenario(), owner=f"team {i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(s.name for s in store.list_scenarios()) == sorted(f"team {i}" for i in range(30))


def test_data_survive_a_killed_process(tmp_path: Path) -> None:
    """A process that commits and is then SIGKILLed loses nothing it committed."""
    url = f"sqlite:///{tmp_path / 'roi.sqlite3'}"
    code = (
        "import os, signal\n"
        "from roi_core import Scenario\n"
        "from roi_ui.store import Store\n"
        f"s = Store({url!r})\n"
        "for i in range(5): s.save_scenario(f'kept {i}', Scenario())\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert done.returncode == -9
    reopened = Store(url)
    assert sorted(s.name for s in reopened.list_scenarios()) == [f"kept {i}" for i in range(5)]
    reopened.close()


def test_the_store_does_not_load_streamlit() -> None:
    code = "import sys, roi_ui.store; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- workshop rooms -------------------------------------------------------------------------

OPEN = ["levers.retention_lift", "levers.social_deflection"]


def test_room_code_token_and_allowed_levers(store: Store) -> None:
    room, token = store.create_room("Q3 workshop", Scenario(), OPEN)
    assert len(room.code) == 6 and room.code.isalnum() and room.code.isupper()
    assert not set(room.code) & set("0O1IL")
    assert store.room(room.code.lower()).allowed == tuple(OPEN)
    assert store.is_facilitator(room.code, token)
    assert not store.is_facilitator(room.code, token + "x")
    with pytest.raises(StoreError, match="no such room"):
        store.room("ZZZZZZ")


def test_submissions_version_and_only_open_levers_may_move(store: Store) -> None:
    room, _ = store.create_room("Room", Scenario(), OPEN)
    moved = with_values(Scenario(), {"levers.retention_lift": 0.2})
    assert store.submit(room.code, "Blue team", moved).version == 1
    assert store.submit(room.code, "Blue team", moved).version == 2
    with pytest.raises(StoreError, match=r"levers\.save_rate: not open in this room"):
        store.submit(room.code, "Red", with_values(Scenario(), {"levers.save_rate": 0.5}))
    with pytest.raises(StoreError, match="team name: at most 40"):
        store.submit(room.code, "x" * 41, moved)
    latest = store.submissions(room.code)
    assert [(x.team, x.version) for x in latest] == [("Blue team", 2)]
    assert len(store.submissions(room.code, latest_only=False)) == 2


def test_only_the_facilitator_locks_reveals_exports_and_deletes(store: Store) -> None:
    room, token = store.create_room("Room", Scenario(), OPEN)
    store.submit(room.code, "Team <b>A</b>", Scenario())
    for action in (lambda t: store.set_locked(room.code, t, True),
                   lambda t: store.set_reveal(room.code, t, True),
                   lambda t: store.export(room.code, t),
                   lambda t: store.delete_room(room.code, t)):  # fmt: skip
        with pytest.raises(StoreError, match="facilitator link"):
            action("guess")
    store.set_reveal(room.code, token, True)
    assert store.room(room.code).reveal
    exported = store.export(room.code, token)
    assert exported[0]["team"] == "Team <b>A</b>"
    assert exported[0]["scenario"]["levers"]["save_rate"] == 0.2
    store.set_locked(room.code, token, True)
    with pytest.raises(StoreError, match="locked"):
        store.submit(room.code, "Late", Scenario())
    store.delete_room(room.code, token)
    with pytest.raises(StoreError, match="no such room"):
        store.room(room.code)


def test_thirty_teams_submitting_at_once_are_all_stored(store: Store) -> None:
    room, _ = store.create_room("Busy room", Scenario(), OPEN)
    barrier = threading.Barrier(30)
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            barrier.wait()
            lift = with_values(Scenario(), {"levers.retention_lift": i / 100})
            store.submit(room.code, f"team {i}", lift)
            store.submit(room.code, "everyone", lift)  # one team, 30 writers at once
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    latest = {x.team: x for x in store.submissions(room.code)}
    assert len(latest) == 31
    assert latest["everyone"].version == 30
    versions = [x.version for x in store.submissions(room.code, latest_only=False)
                if x.team == "everyone"]  # fmt: skip
    assert sorted(versions) == list(range(1, 31))


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL);"
        "INSERT INTO schema_version VALUES (1);"
        "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL, "
        "owner VARCHAR(60) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,"
        " scenario_json TEXT NOT NULL);"
    )
    con.close()
    store = Store(f"sqlite:///{path}")
    assert store.migrate() == SCHEMA_VERSION == 2
    room, _ = store.create_room("After migration", Scenario(), OPEN)
    assert store.room(room.code).name == "After migration"
    store.close()

"""The scenario store: saved scenarios and workshop rooms, on SQLite (and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from roi_core import Scenario, scenario_from_dict, with_values
from roi_store import (
    SCHEMA_VERSION,
    NoSuchRoom,
    NoSuchScenario,
    NotFacilitator,
    RoomLocked,
    Store,
    StoreError,
)


def test_save_list_load_rename_delete(store: Store, key: str) -> None:
    scenario = scenario_from_dict({"name": "Telecom pitch", "levers": {"save_rate": 0.3}})
    saved = store.save_scenario("  Telecom   pitch ", scenario, owner="Ana", owner_key=key)
    assert saved.name == "Telecom pitch" and saved.owner == "Ana" and saved.mine
    assert store.load_scenario(saved.id) == scenario
    second = store.save_scenario("Baseline", Scenario(), owner_key=key)
    assert [s.id for s in store.list_scenarios()] == [second.id, saved.id]
    store.rename_scenario(saved.id, "Telecom, final", owner_key=key)
    assert store.list_scenarios()[0].name == "Telecom, final"  # renamed is newest
    store.delete_scenario(second.id, owner_key=key)
    assert [s.name for s in store.list_scenarios()] == ["Telecom, final"]


def test_refusals_name_the_problem(store: Store, key: str) -> None:
    with pytest.raises(StoreError, match="name: must not be empty"):
        store.save_scenario("   ", Scenario(), owner_key=key)
    with pytest.raises(StoreError, match="at most 80"):
        store.save_scenario("x" * 81, Scenario(), owner_key=key)
    with pytest.raises(NoSuchScenario, match=r"already deleted \(by someone else\?\)"):
        store.load_scenario(999)
    with pytest.raises(NoSuchScenario, match="already deleted"):
        store.delete_scenario(999, owner_key=key)


def test_sqlite_runs_in_wal_mode_with_a_schema_version(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == (
            SCHEMA_VERSION
        )
    assert store.migrate() == SCHEMA_VERSION  # idempotent


def test_thirty_threads_saving_at_once_all_land(store: Store, key: str) -> None:
    barrier = threading.Barrier(30)
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            barrier.wait()
            store.save_scenario(f"team {i}", Scenario(), owner=f"team {i}", owner_key=key)
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
        "from roi_store import Store, new_owner_key\n"
        f"s = Store({url!r})\n"
        "k = new_owner_key()\n"
        "for i in range(5): s.save_scenario(f'kept {i}', Scenario(), owner_key=k)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert done.returncode == -9
    reopened = Store(url)
    assert sorted(s.name for s in reopened.list_scenarios()) == [f"kept {i}" for i in range(5)]
    reopened.close()


# --- workshop rooms -------------------------------------------------------------------------

OPEN = ["levers.retention_lift", "levers.social_deflection"]


def test_room_code_token_and_allowed_levers(store: Store) -> None:
    created = store.create_room("Q3 workshop", Scenario(), OPEN)
    room, token = created.room, created.token
    assert len(room.code) == 6 and room.code.isalnum() and room.code.isupper()
    assert not set(room.code) & set("0O1IL")
    assert store.room(room.code.lower()).allowed == tuple(OPEN)
    assert store.is_facilitator(room.code, token)
    assert not store.is_facilitator(room.code, token + "x")
    assert not store.is_facilitator("ZZZZZZ", token)
    with pytest.raises(NoSuchRoom, match="no such room"):
        store.room("ZZZZZZ")


def test_submissions_version_and_only_open_levers_may_move(store: Store) -> None:
    room = store.create_room("Room", Scenario(), OPEN).room
    moved = with_values(Scenario(), {"levers.retention_lift": 0.2})
    _, blue = store.join(room.code, "Blue team")
    assert store.submit(room.code, blue, moved).version == 1
    assert store.submit(room.code, blue, moved).version == 2
    _, red = store.join(room.code, "Red")
    with pytest.raises(StoreError, match=r"levers\.save_rate: not open in this room"):
        store.submit(room.code, red, with_values(Scenario(), {"levers.save_rate": 0.5}))
    with pytest.raises(StoreError, match="team name: at most 40"):
        store.join(room.code, "x" * 41)
    latest = store.submissions(room.code)
    assert [(x.team, x.version) for x in latest] == [("Blue team", 2)]
    assert latest.skipped == ()
    assert len(store.submissions(room.code, latest_only=False)) == 2


def test_only_the_facilitator_locks_reveals_exports_and_deletes(store: Store) -> None:
    created = store.create_room("Room", Scenario(), OPEN)
    room, token = created.room, created.token
    _, team_a = store.join(room.code, "Team <b>A</b>")
    store.submit(room.code, team_a, Scenario())
    for action in (lambda t: store.set_locked(room.code, t, True, expected=False),
                   lambda t: store.set_reveal(room.code, t, True, expected=False),
                   lambda t: store.export(room.code, t),
                   lambda t: store.delete_room(room.code, t),
                   lambda t: store.renew_view(room.code, t)):  # fmt: skip
        with pytest.raises(NotFacilitator, match="facilitator link"):
            action("guess")
    for not_a_token in (created.view, team_a, ""):
        with pytest.raises(NotFacilitator):
            store.set_locked(room.code, not_a_token, True, expected=False)
    assert store.set_reveal(room.code, token, True, expected=False).reveal
    assert store.room(room.code).reveal
    exported = store.export(room.code, token)
    assert exported[0]["team"] == "Team <b>A</b>"
    assert exported[0]["scenario"]["levers"]["save_rate"] == 0.2
    assert store.set_locked(room.code, token, True, expected=False).locked
    with pytest.raises(RoomLocked, match=f"room {room.code}: locked by the facilitator"):
        store.submit(room.code, team_a, Scenario())
    with pytest.raises(StoreError, match="locked"):
        store.join(room.code, "Late")
    store.delete_room(room.code, token)
    with pytest.raises(NoSuchRoom, match="no such room"):
        store.room(room.code)
    with pytest.raises(NoSuchRoom):
        store.delete_room(room.code, token)


def test_thirty_teams_submitting_at_once_are_all_stored(store: Store) -> None:
    room = store.create_room("Busy room", Scenario(), OPEN).room
    links = [store.join(room.code, f"team {i}", client=f"10.0.0.{i}")[1] for i in range(30)]
    _, everyone = store.join(room.code, "everyone", client="10.0.1.1")
    barrier = threading.Barrier(30)
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            barrier.wait()
            lift = with_values(Scenario(), {"levers.retention_lift": i / 100})
            store.submit(room.code, links[i], lift)
            store.submit(room.code, everyone, lift)  # one team, 30 writers at once
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

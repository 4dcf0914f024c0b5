"""The scenario store on SQLite in a temporary folder."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from roi_core import Scenario, scenario_from_dict
from roi_ui.store import SCHEMA_VERSION, Store, StoreError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'roi.sqlite3'}")
    yield s  # type: ignore[misc]
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

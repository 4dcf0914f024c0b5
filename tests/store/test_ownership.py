"""Saved scenarios carry an owner key: only the session that saved one may rename or
delete it; anyone may list and load."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import select

from roi_core import Scenario
from roi_store import NoSuchScenario, NotOwner, Store, StoreError, new_owner_key
from roi_store.schema import scenarios


def test_new_owner_keys_are_long_random_and_url_safe() -> None:
    keys = {new_owner_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(k) == 32 and k.replace("-", "").replace("_", "").isalnum() for k in keys)


def test_only_the_key_s_hash_is_stored(store: Store, key: str) -> None:
    saved = store.save_scenario("Pitch", Scenario(), owner_key=key)
    with store.engine.connect() as conn:
        row = conn.execute(select(scenarios).where(scenarios.c.id == saved.id)).one()
    assert row.owner_key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [str(v) for v in row]


def test_list_marks_the_callers_own(store: Store, key: str, other_key: str) -> None:
    mine = store.save_scenario("Mine", Scenario(), owner_key=key)
    theirs = store.save_scenario("Theirs", Scenario(), owner_key=other_key)
    assert {s.id: s.mine for s in store.list_scenarios(key)} == {mine.id: True, theirs.id: False}
    assert {s.id: s.mine for s in store.list_scenarios(other_key)} == {
        mine.id: False,
        theirs.id: True,
    }
    assert not any(s.mine for s in store.list_scenarios())
    assert not any(s.mine for s in store.list_scenarios(""))


def test_someone_else_cannot_rename_or_delete(store: Store, key: str, other_key: str) -> None:
    saved = store.save_scenario("Telecom pitch", Scenario(), owner="Ana", owner_key=key)
    message = (
        "saved scenario 'Telecom pitch': only the person who saved it can rename or delete it; "
        "load it and save your own copy"
    )
    with pytest.raises(NotOwner) as refused:
        store.rename_scenario(saved.id, "Hijacked", owner_key=other_key)
    assert str(refused.value) == message and not refused.value.legacy
    with pytest.raises(NotOwner, match="only the person who saved it"):
        store.delete_scenario(saved.id, owner_key=other_key)
    with pytest.raises(NotOwner):
        store.delete_scenario(saved.id, owner_key="")
    assert [s.name for s in store.list_scenarios()] == ["Telecom pitch"]
    assert store.load_scenario(saved.id) == Scenario()  # loading is for everyone
    store.rename_scenario(saved.id, "Telecom, final", owner_key=key)
    store.delete_scenario(saved.id, owner_key=key)
    assert store.list_scenarios() == []


def test_a_scenario_deleted_a_moment_ago_says_so(store: Store, key: str) -> None:
    saved = store.save_scenario("Pitch", Scenario(), owner_key=key)
    store.delete_scenario(saved.id, owner_key=key)
    with pytest.raises(NoSuchScenario) as gone:
        store.delete_scenario(saved.id, owner_key=key)
    assert str(gone.value) == (
        f"this saved scenario (no. {saved.id}) was already deleted (by someone else?)"
    )
    assert gone.value.scenario_id == saved.id and isinstance(gone.value, StoreError)
    with pytest.raises(NoSuchScenario):
        store.rename_scenario(saved.id, "New", owner_key=key)
    with pytest.raises(NoSuchScenario):
        store.load_scenario(saved.id)


def test_two_sessions_deleting_at_once_one_wins(store: Store, key: str) -> None:
    saved = store.save_scenario("Pitch", Scenario(), owner_key=key)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def delete() -> None:
        barrier.wait()
        try:
            store.delete_scenario(saved.id, owner_key=key)
            outcomes.append("deleted")
        except NoSuchScenario:
            outcomes.append("already deleted")
        except BaseException as exc:  # collected and asserted below
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=delete) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["already deleted"] * 7 + ["deleted"]


@pytest.mark.parametrize("bad", ["", "   ", "short"])
def test_saving_needs_a_real_owner_key(store: Store, bad: str) -> None:
    with pytest.raises(StoreError, match="owner key: missing or too short"):
        store.save_scenario("Pitch", Scenario(), owner_key=bad)
    assert store.list_scenarios() == []


def test_a_legacy_scenario_is_read_only(store: Store, key: str) -> None:
    """Rows saved before owner keys (NULL hash) belong to nobody."""
    saved = store.save_scenario("Old pitch", Scenario(), owner_key=key)
    with store.engine.begin() as conn:
        conn.execute(scenarios.update().values(owner_key_hash=None))
    assert not store.list_scenarios(key)[0].mine
    assert store.load_scenario(saved.id) == Scenario()
    with pytest.raises(NotOwner, match="saved before scenarios had owners") as refused:
        store.delete_scenario(saved.id, owner_key=key)
    assert refused.value.legacy
    with pytest.raises(NotOwner, match="load it and save your own copy"):
        store.rename_scenario(saved.id, "New", owner_key=key)

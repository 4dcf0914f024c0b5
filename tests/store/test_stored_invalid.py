"""A stored scenario that no longer validates (written before a rule tightened) is
reported as such, naming the record and the field, never as a raw parsing error.
Simulated by writing JSON that breaks a rule straight into the table."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Table, select, update

from roi_core import Scenario, ScenarioError, with_values
from roi_store import Store, StoredScenarioInvalid, StoreError
from roi_store.schema import rooms, scenarios, submissions

OPEN = ["levers.retention_lift", "levers.social_deflection"]
RULE = r"levers\.save_rate: Input should be less than or equal to 1"


def broken_json() -> str:
    data = Scenario().model_dump(mode="json")
    data["levers"]["save_rate"] = 5.0  # a fraction above 1
    return json.dumps(data)


def corrupt(store: Store, table: Table, row_id: int, column: str, value: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values({column: value}))


def assert_for_people(exc: StoredScenarioInvalid) -> None:
    assert isinstance(exc, StoreError) and isinstance(exc, ValueError)
    assert not isinstance(exc, ScenarioError)
    assert exc.__cause__ is None and exc.__suppress_context__  # no parser trace behind it


def test_a_saved_scenario_that_no_longer_validates(store: Store, key: str) -> None:
    saved = store.save_scenario("Old pitch", Scenario(), owner_key=key)
    corrupt(store, scenarios, saved.id, "scenario_json", broken_json())
    with pytest.raises(StoredScenarioInvalid) as bad:
        store.load_scenario(saved.id)
    assert str(bad.value) == (
        "saved scenario 'Old pitch': its scenario no longer validates: "
        "levers.save_rate: Input should be less than or equal to 1"
    )
    assert bad.value.record == "saved scenario 'Old pitch'"
    assert bad.value.problems == ("levers.save_rate: Input should be less than or equal to 1",)
    assert_for_people(bad.value)
    assert [s.name for s in store.list_scenarios()] == ["Old pitch"]  # still listed
    store.delete_scenario(saved.id, owner_key=key)  # and its owner can remove it


def test_stored_text_that_is_not_json_at_all(store: Store, key: str) -> None:
    saved = store.save_scenario("Garbled", Scenario(), owner_key=key)
    corrupt(store, scenarios, saved.id, "scenario_json", "{not json")
    with pytest.raises(StoredScenarioInvalid, match="'Garbled': its scenario no longer valid"):
        store.load_scenario(saved.id)


def test_a_room_whose_scenario_no_longer_validates(store: Store) -> None:
    created = store.create_room("Q3", Scenario(), OPEN)
    room, token = created.room, created.token
    _, blue = store.join(room.code, "Blue")
    store.submit(room.code, blue, Scenario())
    corrupt(store, rooms, room.id, "scenario_json", broken_json())
    whole = rf"^room {room.code}: its scenario no longer validates: {RULE}$"
    with pytest.raises(StoredScenarioInvalid, match=whole) as bad:
        store.room(room.code)
    assert_for_people(bad.value)
    _, red = store.join(room.code, "Red")
    with pytest.raises(StoredScenarioInvalid, match=f"room {room.code}: its scenario"):
        store.submit(room.code, red, Scenario())
    # The facilitator can still see the teams, export, lock and close the room.
    assert [x.team for x in store.submissions(room.code)] == ["Blue"]
    assert [x["team"] for x in store.export(room.code, token)] == ["Blue"]
    # Locked as asked; only no Room can be handed back, and the error says so.
    with pytest.raises(StoredScenarioInvalid, match="locked set to True as asked, but its"):
        store.set_locked(room.code, token, True, expected=False)
    with store.engine.connect() as conn:
        assert conn.execute(select(rooms.c.locked).where(rooms.c.id == room.id)).scalar()
    store.delete_room(room.code, token)


def test_a_room_whose_open_levers_no_longer_exist(store: Store) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    corrupt(store, rooms, room.id, "allowed_json", '["levers.retention_lift", "levers.gone"]')
    gone = r"its open levers no longer validate: levers\.gone: not a numeric field"
    with pytest.raises(StoredScenarioInvalid, match=gone):
        store.room(room.code)
    corrupt(store, rooms, room.id, "allowed_json", "[")
    with pytest.raises(StoredScenarioInvalid, match="open levers no longer validate: not JSON"):
        store.room(room.code)


def test_the_board_shows_valid_teams_and_reports_the_rest(store: Store) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    lift = with_values(Scenario(), {"levers.retention_lift": 0.1})
    blue, red_link, green = (store.join(room.code, team)[1] for team in ("Blue", "Red", "Green"))
    store.submit(room.code, blue, lift)
    red = store.submit(room.code, red_link, lift)
    store.submit(room.code, green, lift)
    store.submit(room.code, green, lift)  # Green's version 2 will break; version 1 stays
    with store.engine.begin() as conn:
        conn.execute(
            update(submissions)
            .where(
                ((submissions.c.team == "Red") & (submissions.c.version == red.version))
                | ((submissions.c.team == "Green") & (submissions.c.version == 2))
            )
            .values(scenario_json=broken_json())
        )
    board = store.submissions(room.code.lower())
    assert [x.team for x in board] == ["Blue"]  # Green is not shown at a stale version
    assert [x.record for x in board.skipped] == [
        f"room {room.code}, team 'Red' version 1",
        f"room {room.code}, team 'Green' version 2",
    ]
    assert str(board.skipped[0]) == (
        f"room {room.code}, team 'Red' version 1: its scenario no longer validates: "
        "levers.save_rate: Input should be less than or equal to 1"
    )
    every = store.submissions(room.code, latest_only=False)
    assert [(x.team, x.version) for x in every] == [("Blue", 1), ("Green", 1)]
    assert len(every.skipped) == 2


def test_an_export_with_invalid_submissions_refuses_naming_each(store: Store) -> None:
    created = store.create_room("Q3", Scenario(), OPEN)
    room, token = created.room, created.token
    for team in ("Blue", "Red"):
        store.submit(room.code, store.join(room.code, team)[1], Scenario())
    with store.engine.begin() as conn:
        conn.execute(
            update(submissions).where(submissions.c.team == "Red").values(scenario_json="[]")
        )
    with pytest.raises(StoredScenarioInvalid) as bad:
        store.export(room.code, token)
    assert str(bad.value).startswith(
        f"room {room.code}: 1 stored submission(s) no longer validate, so an export would be "
        f"incomplete: room {room.code}, team 'Red' version 1: its scenario no longer validates"
    )
    assert bad.value.record == f"room {room.code}"
    assert len(bad.value.problems) == 1

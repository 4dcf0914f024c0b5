"""Integrity errors: the two clashes the store expects (a random room code already
taken, two writers numbering a team's version alike) are retried; anything else is
reported as the constraint it is, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, event, insert
from sqlalchemy.exc import IntegrityError

import roi_store.store as store_module
from roi_core import Scenario
from roi_store import ConstraintViolation, NoSuchRoom, Store, StoreError
from roi_store.schema import rooms, submissions
from roi_store.store import ROOM_CODE_CLASH, ROOM_GONE, VERSION_CLASH, violated_constraint

OPEN = ["levers.retention_lift"]
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def refused(store: Store, write: Callable[[Connection], object]) -> str:
    with pytest.raises(IntegrityError) as caught, store.engine.begin() as conn:
        write(conn)
    return violated_constraint(caught.value)


def room_row(code: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code,
        "name": "Room",
        "token_hash": "0" * 64,
        "scenario_json": Scenario().model_dump_json(),
        "allowed_json": '["levers.retention_lift"]',
        "locked": False,
        "reveal": False,
        "created_at": NOW,
    }
    return row | changes


def submission_row(room_id: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "room_id": room_id,
        "team": "Blue",
        "version": 1,
        "scenario_json": "{}",
        "created_at": NOW,
    }
    return row | changes


@contextmanager
def counting_inserts(store: Store, table: str) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(f"INSERT INTO {table} "):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_each_constraint_is_named_by_the_database(store: Store) -> None:
    with store.engine.begin() as conn:
        room_id = conn.execute(insert(rooms).values(room_row("AAAAAA"))).inserted_primary_key
        assert room_id is not None
        conn.execute(insert(submissions).values(submission_row(room_id[0])))
    rid = room_id[0]
    code = refused(store, lambda c: c.execute(insert(rooms).values(room_row("AAAAAA"))))
    version = refused(store, lambda c: c.execute(insert(submissions).values(submission_row(rid))))
    missing = refused(store, lambda c: c.execute(insert(rooms).values(room_row("B", name=None))))
    orphan = refused(
        store, lambda c: c.execute(insert(submissions).values(submission_row(rid + 99)))
    )
    assert code in ROOM_CODE_CLASH
    assert version in VERSION_CLASH
    assert orphan in ROOM_GONE
    assert missing == "NOT NULL rooms.name"
    others = {missing, orphan}
    assert not others & (ROOM_CODE_CLASH | VERSION_CLASH)


def test_a_room_code_clash_is_retried_with_another_code(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = store.create_room("First", Scenario(), OPEN)
    letters = iter(first.code + "BBBBBB")  # the first code drawn is taken
    monkeypatch.setattr(secrets, "choice", lambda _alphabet: next(letters))
    with counting_inserts(store, "rooms") as attempts:
        second, _ = store.create_room("Second", Scenario(), OPEN)
    assert second.code == "BBBBBB" and len(attempts) == 2


def test_another_refusal_while_creating_a_room_is_reported_not_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_now", lambda: None)  # created_at NOT NULL
    with counting_inserts(store, "rooms") as attempts, pytest.raises(ConstraintViolation) as bad:
        store.create_room("Q3 workshop", Scenario(), OPEN)
    assert len(attempts) == 1
    assert bad.value.constraint == "NOT NULL rooms.created_at"
    assert str(bad.value) == (
        "room 'Q3 workshop': the database refused the write: "
        "NOT NULL rooms.created_at constraint failed"
    )
    assert isinstance(bad.value, StoreError) and isinstance(bad.value.__cause__, IntegrityError)


def test_another_refusal_while_submitting_is_reported_not_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    room, _ = store.create_room("Q3", Scenario(), OPEN)
    monkeypatch.setattr(store_module, "_now", lambda: None)
    with (
        counting_inserts(store, "submissions") as attempts,
        pytest.raises(ConstraintViolation) as bad,
    ):
        store.submit(room.code, "Blue", Scenario())
    assert len(attempts) == 1
    assert bad.value.constraint == "NOT NULL submissions.created_at"
    assert str(bad.value).startswith(f"room {room.code}, team 'Blue': the database refused")
    assert "busy" not in str(bad.value)


def test_submitting_to_a_room_deleted_a_moment_ago(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    room, token = store.create_room("Q3", Scenario(), OPEN)
    seen = store.room(room.code)  # the participant's page read it...
    store.delete_room(room.code, token)  # ...then the facilitator closed it
    monkeypatch.setattr(store, "room", lambda _code: seen)
    with counting_inserts(store, "submissions") as attempts, pytest.raises(NoSuchRoom) as gone:
        store.submit(room.code, "Blue", Scenario())
    assert len(attempts) == 1  # the foreign key refused it; not retried as a clash
    assert str(gone.value) == f"room {room.code!r}: no such room (closed by the facilitator?)"

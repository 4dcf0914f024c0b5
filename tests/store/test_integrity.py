"""Integrity errors: the clashes the store expects (a random room code already taken,
two writers numbering a team's version alike) are retried, two teams under one name
is :class:`NameTaken`, a room gone is :class:`NoSuchRoom`; anything else is reported
as the constraint it is, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, event, insert
from sqlalchemy.exc import IntegrityError

from roi_core import Scenario
from roi_store import ConstraintViolation, NameTaken, NoSuchRoom, Store, StoreError
from roi_store.schema import rooms, submissions, teams
from roi_store.store import (
    ROOM_CODE_CLASH,
    ROOM_GONE,
    TEAM_NAME_CLASH,
    VERSION_CLASH,
    violated_constraint,
)

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


def team_row(room_id: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "room_id": room_id,
        "name": "Blue",
        "name_key": "blue",
        "secret_hash": "0" * 64,
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


@contextmanager
def sending(store: Store, table: str, column: str, value: Any = None) -> Iterator[None]:
    """Every INSERT into ``table`` sends ``value`` for ``column``, as a buggy writer would."""

    def swap(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> tuple[str, Any]:
        if not statement.startswith(f"INSERT INTO {table} "):
            return statement, params
        if isinstance(params, dict):  # PostgreSQL (psycopg): named parameters
            return statement, {**params, column: value}
        columns = [c.strip() for c in statement.split("(", 1)[1].split(")", 1)[0].split(",")]
        return statement, tuple(
            value if name == column else given for name, given in zip(columns, params, strict=True)
        )

    event.listen(store.engine, "before_cursor_execute", swap, retval=True)
    try:
        yield
    finally:
        event.remove(store.engine, "before_cursor_execute", swap)


def test_each_constraint_is_named_by_the_database(store: Store) -> None:
    with store.engine.begin() as conn:
        room_id = conn.execute(insert(rooms).values(room_row("AAAAAA"))).inserted_primary_key
        assert room_id is not None
        conn.execute(insert(submissions).values(submission_row(room_id[0])))
        conn.execute(insert(teams).values(team_row(room_id[0])))
    rid = room_id[0]
    code = refused(store, lambda c: c.execute(insert(rooms).values(room_row("AAAAAA"))))
    version = refused(store, lambda c: c.execute(insert(submissions).values(submission_row(rid))))
    name = refused(store, lambda c: c.execute(insert(teams).values(team_row(rid))))
    missing = refused(store, lambda c: c.execute(insert(rooms).values(room_row("B", name=None))))
    orphan = refused(
        store, lambda c: c.execute(insert(submissions).values(submission_row(rid + 99)))
    )
    lost = refused(store, lambda c: c.execute(insert(teams).values(team_row(rid + 99))))
    assert code in ROOM_CODE_CLASH
    assert version in VERSION_CLASH
    assert name in TEAM_NAME_CLASH
    assert orphan in ROOM_GONE
    assert lost in ROOM_GONE
    assert missing == "NOT NULL rooms.name"
    others = {missing, orphan, lost}
    assert not others & (ROOM_CODE_CLASH | VERSION_CLASH | TEAM_NAME_CLASH)


def test_a_room_code_clash_is_retried_with_another_code(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.create_room("First", Scenario(), OPEN).room
    letters = iter(first.code + "BBBBBB")  # the first code drawn is taken
    monkeypatch.setattr(secrets, "choice", lambda _alphabet: next(letters))
    with counting_inserts(store, "rooms") as attempts:
        second = store.create_room("Second", Scenario(), OPEN).room
    assert second.code == "BBBBBB" and len(attempts) == 2


def test_another_refusal_while_creating_a_room_is_reported_not_retried(store: Store) -> None:
    with (
        sending(store, "rooms", "created_at"),
        counting_inserts(store, "rooms") as attempts,
        pytest.raises(ConstraintViolation) as bad,
    ):
        store.create_room("Q3 workshop", Scenario(), OPEN)
    assert len(attempts) == 1
    assert bad.value.constraint == "NOT NULL rooms.created_at"
    assert str(bad.value) == (
        "room 'Q3 workshop': the database refused the write: "
        "NOT NULL rooms.created_at constraint failed"
    )
    assert isinstance(bad.value, StoreError) and isinstance(bad.value.__cause__, IntegrityError)


def test_another_refusal_while_submitting_is_reported_not_retried(store: Store) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    _, blue = store.join(room.code, "Blue")
    with (
        sending(store, "submissions", "created_at"),
        counting_inserts(store, "submissions") as attempts,
        pytest.raises(ConstraintViolation) as bad,
    ):
        store.submit(room.code, blue, Scenario())
    assert len(attempts) == 1
    assert bad.value.constraint == "NOT NULL submissions.created_at"
    assert str(bad.value).startswith(f"room {room.code}, a team's submission: the database refused")
    assert "busy" not in str(bad.value)


def test_another_refusal_while_joining_is_reported(store: Store) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    with sending(store, "teams", "created_at"), pytest.raises(ConstraintViolation) as bad:
        store.join(room.code, "Blue")
    assert bad.value.constraint == "NOT NULL teams.created_at"
    assert not isinstance(bad.value, NameTaken)


def test_submitting_to_a_room_deleted_a_moment_ago(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = store.create_room("Q3", Scenario(), OPEN)
    code = created.room.code
    _, blue = store.join(code, "Blue")
    seen = store.room(code)  # the participant's page read it...
    store.delete_room(code, created.token)  # ...then the facilitator closed it
    monkeypatch.setattr(store, "_room_by_code", lambda _code: seen)
    with counting_inserts(store, "submissions") as attempts, pytest.raises(NoSuchRoom) as gone:
        store.submit(code, blue, Scenario())
    assert attempts == []  # the room's row was gone when the submission locked it
    assert str(gone.value) == f"room {code!r}: no such room (closed by the facilitator?)"


def test_a_write_refused_by_the_room_s_foreign_key_says_the_room_is_gone(store: Store) -> None:
    """Were the room deleted between the lock and the insert (a database without row
    locks), the foreign key refuses the insert and the team hears the room is gone."""
    room = store.create_room("Q3", Scenario(), OPEN).room
    _, blue = store.join(room.code, "Blue")
    with sending(store, "submissions", "room_id", room.id + 99), pytest.raises(NoSuchRoom):
        store.submit(room.code, blue, Scenario())
    with sending(store, "teams", "room_id", room.id + 99), pytest.raises(NoSuchRoom) as gone:
        store.join(room.code, "Red")
    assert isinstance(gone.value.__cause__, ConstraintViolation)
    assert gone.value.__cause__.constraint in ROOM_GONE

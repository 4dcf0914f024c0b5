"""Abuse limits, counted in the database so that they hold across app replicas: room
creation and joins per client, and a wrong room code that costs the client time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from roi_core import Scenario
from roi_store import NoSuchRoom, RateLimited, Room, Store, StoreError
from roi_store.store import CREATE_LIMIT, JOIN_LIMIT, MISS_LIMIT

OPEN = ["levers.retention_lift"]


@pytest.fixture
def replica(url: str) -> Iterator[Store]:
    """A second app process's store on the same database."""
    other = Store(url)
    yield other
    other.close()


def test_room_creation_is_limited_per_client(store: Store, clock: Any) -> None:
    for _ in range(CREATE_LIMIT):
        store.create_room("Q3", Scenario(), OPEN, client="198.51.100.1")
    with pytest.raises(RateLimited) as limited:
        store.create_room("Q3", Scenario(), OPEN, client="198.51.100.1")
    assert limited.value.retry_after == 3600.0
    assert str(limited.value) == "new rooms: too many from here; try again in 60 minutes"
    assert isinstance(limited.value, StoreError)
    store.create_room("Q3", Scenario(), OPEN, client="198.51.100.2")  # someone else
    clock.advance(minutes=45)
    with pytest.raises(RateLimited) as still:
        store.create_room("Q3", Scenario(), OPEN, client="198.51.100.1")
    assert still.value.retry_after == 15 * 60.0  # refused requests are not counted
    clock.advance(minutes=15, seconds=1)
    store.create_room("Q3", Scenario(), OPEN, client="198.51.100.1")


def test_an_unknown_client_is_limited_as_one(url: str, clock: Any) -> None:
    store = Store(url, create_limit=2)
    try:
        store.create_room("Q3", Scenario(), OPEN)
        store.create_room("Q3", Scenario(), OPEN, client="  ")  # blank is unknown too
        with pytest.raises(RateLimited):
            store.create_room("Q3", Scenario(), OPEN, client="")
    finally:
        store.close()


def test_joins_are_limited_per_client(store: Store, clock: Any) -> None:
    rooms = [store.create_room(f"Room {i}", Scenario(), OPEN).room for i in range(2)]
    for i in range(JOIN_LIMIT):
        store.join(rooms[i % 2].code, f"team {i}", client="192.0.2.1")
    with pytest.raises(RateLimited) as limited:
        store.join(rooms[0].code, "one more", client="192.0.2.1")
    assert limited.value.retry_after == 600.0
    assert str(limited.value) == "joining: too many joins from here; try again in 10 minutes"
    store.join(rooms[0].code, "one more", client="192.0.2.2")
    clock.advance(minutes=10, seconds=1)
    store.join(rooms[0].code, "and another", client="192.0.2.1")


def test_a_room_code_guess_costs_time(store: Store, clock: Any) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    guesser = "203.0.113.9"

    def guess(code: str = "ZZZZZZ") -> Room:
        return store.room(code, client=guesser)

    for _ in range(MISS_LIMIT):
        with pytest.raises(NoSuchRoom):
            guess()
    waits = []
    for _ in range(12):
        with pytest.raises(RateLimited) as limited:
            guess(room.code)  # every lookup waits, even of a room that exists
        waits.append(limited.value.retry_after)
        clock.advance(seconds=limited.value.retry_after)
        with pytest.raises(NoSuchRoom):
            guess()
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0, 300.0, 300.0, 300.0]
    assert str(limited.value) == (
        "room code: too many wrong room codes from here (a room code guess costs time); "
        "try again in 5 minutes"
    )
    # Everyone else finds the room, and their finding it resets nobody's count.
    assert store.room(room.code, client="203.0.113.10").code == room.code
    with pytest.raises(RateLimited):
        guess(room.code)
    clock.advance(minutes=5)
    assert guess(room.code).code == room.code  # due again: a hit is served...
    with pytest.raises(NoSuchRoom):
        guess()
    with pytest.raises(RateLimited) as after_hit:  # ...and resets nothing
        guess(room.code)
    assert after_hit.value.retry_after == 300.0
    clock.advance(minutes=15, seconds=1)  # a quarter of an hour without a miss: a clean slate
    for _ in range(MISS_LIMIT):
        with pytest.raises(NoSuchRoom):
            guess()
    with pytest.raises(RateLimited) as again:
        guess()
    assert again.value.retry_after == 2.0


def test_a_hit_by_a_guesser_in_the_window_does_not_reset_the_count(
    store: Store, clock: Any
) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    for _ in range(MISS_LIMIT - 1):
        with pytest.raises(NoSuchRoom):
            store.room("ZZZZZZ", client="x")
    assert store.room(room.code, client="x").code == room.code
    with pytest.raises(NoSuchRoom):
        store.room("ZZZZZZ", client="x")  # the fifth miss
    with pytest.raises(RateLimited):
        store.room(room.code, client="x")


def test_a_wrong_code_when_joining_is_a_miss_too(store: Store, clock: Any) -> None:
    room = store.create_room("Q3", Scenario(), OPEN).room
    for i in range(MISS_LIMIT):
        with pytest.raises(NoSuchRoom):
            store.join("ZZZZZZ", f"team {i}", client="x")
    with pytest.raises(RateLimited, match="room code: too many wrong room codes"):
        store.join(room.code, "Blue", client="x")
    with pytest.raises(RateLimited):
        store.room(room.code, client="x")
    store.join(room.code, "Blue", client="y")


def test_the_limits_hold_across_replicas(store: Store, replica: Store, clock: Any) -> None:
    for i in range(CREATE_LIMIT):
        (store if i % 2 else replica).create_room("Q3", Scenario(), OPEN, client="x")
    with pytest.raises(RateLimited):
        store.create_room("Q3", Scenario(), OPEN, client="x")
    with pytest.raises(RateLimited):
        replica.create_room("Q3", Scenario(), OPEN, client="x")
    for i in range(MISS_LIMIT):
        with pytest.raises(NoSuchRoom):
            (store if i % 2 else replica).room("ZZZZZZ", client="x")
    with pytest.raises(RateLimited):
        replica.room("ZZZZZZ", client="x")


def test_limits_are_keyword_arguments(url: str, clock: Any) -> None:
    store = Store(
        url,
        join_limit=1,
        join_window=timedelta(seconds=30),
        miss_limit=1,
        miss_delay=timedelta(seconds=10),
        miss_max_delay=timedelta(seconds=15),
    )
    try:
        room = store.create_room("Q3", Scenario(), OPEN).room
        store.join(room.code, "Blue", client="x")
        with pytest.raises(RateLimited) as joins:
            store.join(room.code, "Red", client="x")
        assert joins.value.retry_after == 30.0
        assert str(joins.value).endswith("try again in 30 seconds")
        with pytest.raises(NoSuchRoom):
            store.room("ZZZZZZ", client="y")
        with pytest.raises(RateLimited) as misses:
            store.room(room.code, client="y")
        assert misses.value.retry_after == 10.0
        clock.advance(seconds=10)
        with pytest.raises(NoSuchRoom):
            store.room("ZZZZZZ", client="y")
        with pytest.raises(RateLimited) as capped:
            store.room(room.code, client="y")
        assert capped.value.retry_after == 15.0
    finally:
        store.close()
    with pytest.raises(StoreError, match="at least one request"):
        Store(url, create_limit=0)
    with pytest.raises(StoreError, match="room_ttl: must be longer than zero"):
        Store(url, room_ttl=timedelta(0))

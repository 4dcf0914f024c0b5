"""Many people at once, on one store or on two replicas of the app on one database:
joins under distinct names all land, one name goes to exactly one team, two
facilitators' switches do not overwrite each other, and a rate limit is not
overrun by requests sent together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from roi_core import Scenario
from roi_store import Conflict, NameTaken, RateLimited, Store

OPEN = ["levers.retention_lift"]


@pytest.fixture
def replica(url: str) -> Iterator[Store]:
    """A second app process's store on the same database."""
    other = Store(url)
    yield other
    other.close()


def at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(0..n-1)`` on ``n`` threads released together; each one's result,
    or the exception it raised."""
    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except BaseException as exc:  # collected and asserted by the caller
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_thirty_teams_joining_at_once_all_get_in(store: Store, replica: Store) -> None:
    code = store.create_room("Keynote", Scenario(), OPEN).room.code
    outcomes = at_once(
        30, lambda i: (store if i % 2 else replica).join(code, f"team {i}", client=f"10.1.0.{i}")
    )
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert sorted(team.name for team, _ in outcomes) == sorted(f"team {i}" for i in range(30))
    assert len({secret for _, secret in outcomes}) == 30
    for team, secret in outcomes:
        assert store.team(code, secret) == team


@pytest.mark.parametrize("spellings", [["Blue"], ["Blue", "BLUE", "blue ", " Blue", "bLuE"]])
def test_one_name_goes_to_exactly_one_team(
    store: Store, replica: Store, spellings: list[str]
) -> None:
    code = store.create_room("Keynote", Scenario(), OPEN).room.code
    outcomes = at_once(
        10,
        lambda i: (store if i % 2 else replica).join(
            code, spellings[i % len(spellings)], client=f"10.2.0.{i}"
        ),
    )
    won = [o for o in outcomes if isinstance(o, tuple)]
    lost = [o for o in outcomes if not isinstance(o, tuple)]
    assert len(won) == 1
    assert [type(o) for o in lost] == [NameTaken] * 9
    [(team, secret)] = won
    assert store.team(code, secret) == team


def test_two_facilitators_switching_at_once_one_wins(store: Store, replica: Store) -> None:
    made = store.create_room("Keynote", Scenario(), OPEN)
    code, token = made.room.code, made.token
    for locked in (True, False, True):  # each round both tabs saw the other state
        outcomes = at_once(
            2,
            lambda i, locked=locked: (store, replica)[i].set_locked(
                code, token, locked, expected=not locked
            ),
        )
        assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Room"]
        assert store.room(code).locked is locked
    outcomes = at_once(
        2, lambda i: (store, replica)[i].set_reveal(code, token, True, expected=False)
    )
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1


def test_requests_sent_together_do_not_overrun_a_limit(url: str) -> None:
    stores = [Store(url, create_limit=3), Store(url, create_limit=3)]
    try:
        outcomes = at_once(
            10, lambda i: stores[i % 2].create_room("Q3", Scenario(), OPEN, client="10.3.0.1")
        )
    finally:
        for s in stores:
            s.close()
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 3
    assert [type(o) for o in outcomes if isinstance(o, BaseException)] == [RateLimited] * 7

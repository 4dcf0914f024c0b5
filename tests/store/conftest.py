"""Fixtures for the store tests: a store on SQLite in a temporary folder, and on
PostgreSQL too when ``ROI_TEST_POSTGRES_URL`` names an empty database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import roi_store.store as store_module
from roi_store import Store, new_owner_key

TABLES = ("submissions", "teams", "rooms", "client_events", "scenarios", "schema_version")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL; on PostgreSQL every store table is dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'roi.sqlite3'}"
        return
    # A PostgreSQL URL (an empty database), e.g. postgresql+psycopg://postgres@127.0.0.1:5544/roi;
    # tests/conftest.py starts one for the session. Read here, after that has run.
    postgres = os.environ.get("ROI_TEST_POSTGRES_URL", "")
    if not postgres:
        pytest.skip("ROI_TEST_POSTGRES_URL not set")
    yield postgres
    engine = create_engine(postgres)
    with engine.begin() as conn:  # whatever schema version the test left behind
        conn.execute(text(f"DROP TABLE IF EXISTS {', '.join(TABLES)} CASCADE"))
    engine.dispose()


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    s = Store(url)
    yield s
    s.close()


@pytest.fixture
def key() -> str:
    """This session's owner key."""
    return new_owner_key()


@pytest.fixture
def other_key() -> str:
    """Someone else's owner key."""
    return new_owner_key()


class Clock:
    """The store's clock, moved by hand: ``clock.advance(days=8)``."""

    def __init__(self) -> None:
        self.now = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Stops the store's clock at a fixed moment until advanced."""
    stopped = Clock()
    monkeypatch.setattr(store_module, "_now", stopped)
    return stopped

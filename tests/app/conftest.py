"""AppTest fixtures: the whole app as Streamlit runs it, without a browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def app() -> Callable[..., AppTest]:
    """``app(**query_params)`` -> a first run of the app, as if opened at that URL."""

    def start(**query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.query_params.update(query)
        return at.run()

    return start


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A store of the test's own, a fresh SQLite file, for the app's saved scenarios
    and workshop rooms."""
    from roi_ui import cache

    monkeypatch.setenv("ROI_DATABASE_URL", f"sqlite:///{tmp_path / 'roi.sqlite3'}")
    cache.store.clear()
    yield
    cache.store.clear()

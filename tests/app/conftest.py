"""AppTest fixtures: the whole app as Streamlit runs it, without a browser."""

from __future__ import annotations

from collections.abc import Callable
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

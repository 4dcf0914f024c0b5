"""What the app keeps between runs and sessions (Streamlit's resource cache: the
objects are shared read-only, nothing is pickled): the expensive analyses, keyed
by the scenario's JSON, the customer tables read, and the process's one store.

The store (and SQLAlchemy) is imported only when :func:`store` is first called,
so pages that never touch it do not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from roi_core import scenario_from_json
from roi_core.analysis import MonteCarlo, TornadoRow, monte_carlo, sensitivity
from roi_core.customer_table import LoadedTable, read_table

if TYPE_CHECKING:
    from roi_store import Store

__all__ = ["customer_table", "monte_carlo_of", "store", "tornado_of"]


@st.cache_resource(max_entries=32, show_spinner=False)
def monte_carlo_of(scenario_json: str, n: int, seed: int) -> MonteCarlo:
    return monte_carlo(scenario_from_json(scenario_json), n=n, seed=seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def tornado_of(scenario_json: str) -> list[TornadoRow]:
    return sensitivity(scenario_from_json(scenario_json))


@st.cache_resource(max_entries=8, show_spinner=False)
def customer_table(
    data: bytes, filename: str, mapping: tuple[tuple[str, str | None], ...]
) -> LoadedTable:
    """A read and validated customer table, kept while the same file is on screen."""
    return read_table(data, filename, dict(mapping))


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's one store (connection pool shared by all sessions)."""
    from roi_store import Store

    return Store()

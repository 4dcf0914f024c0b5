"""Expensive analyses, cached per scenario (Streamlit's resource cache: the result
objects are shared read-only, nothing is pickled). Keyed by the scenario's JSON,
so moving between pages, or back to a scenario seen before, does not recompute."""

from __future__ import annotations

import streamlit as st

from roi_core import scenario_from_json
from roi_core.analysis import MonteCarlo, TornadoRow, monte_carlo, sensitivity
from roi_core.customer_table import LoadedTable, read_table
from roi_ui.store import Store

__all__ = ["cached_customer_table", "cached_monte_carlo", "cached_tornado", "store"]


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_monte_carlo(scenario_json: str, n: int, seed: int) -> MonteCarlo:
    return monte_carlo(scenario_from_json(scenario_json), n=n, seed=seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_tornado(scenario_json: str) -> list[TornadoRow]:
    return sensitivity(scenario_from_json(scenario_json))


@st.cache_resource(max_entries=8, show_spinner=False)
def cached_customer_table(
    data: bytes, filename: str, mapping: tuple[tuple[str, str | None], ...]
) -> LoadedTable:
    """A read and validated customer table, kept while the same file is on screen."""
    return read_table(data, filename, dict(mapping))


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's one scenario store (connection pool shared by all sessions)."""
    return Store()

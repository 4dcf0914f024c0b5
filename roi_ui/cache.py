"""What the app keeps between runs and sessions (Streamlit's resource cache: the
objects are shared read-only, nothing is pickled): the expensive analyses, keyed
by the scenario's JSON, the customer tables read, and the process's one store.

The store (and SQLAlchemy) is imported only when :func:`store` is first called,
so pages that never touch it do not pay for it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import streamlit as st

from roi_core import scenario_from_json
from roi_core.analysis import MonteCarlo, TornadoRow, monte_carlo, sensitivity
from roi_core.customer_table import LoadedTable, Progress, RawTable, TableError, load, validate

if TYPE_CHECKING:
    from roi_core.contacts import Baseline, LoadedContacts
    from roi_core.mentions import Advocacy, LoadedMentions
    from roi_store import Store

__all__ = [
    "advocacy_of",
    "baseline_of",
    "channels_of",
    "contacts",
    "customer_table",
    "digest",
    "monte_carlo_of",
    "raw_table",
    "store",
    "tornado_of",
]


@st.cache_resource(max_entries=32, show_spinner=False)
def monte_carlo_of(scenario_json: str, n: int, seed: int) -> MonteCarlo:
    return monte_carlo(scenario_from_json(scenario_json), n=n, seed=seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def tornado_of(scenario_json: str) -> list[TornadoRow]:
    return sensitivity(scenario_from_json(scenario_json))


def digest(data: bytes) -> str:
    """A file's identity for the caches: the SHA-256 of its contents."""
    return hashlib.sha256(data).hexdigest()


class _Files:
    """The last few files read, by content hash and name: a table (or why it is not
    one), shared by every session of the process."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[tuple[str, str], RawTable | str] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: tuple[str, str]) -> RawTable | str | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            return None

    def put(self, key: tuple[str, str], value: RawTable | str) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _files() -> _Files:
    return _Files(max_entries=4)


def raw_table(
    data: bytes, filename: str, *, progress: Progress | None = None
) -> tuple[str, RawTable | str]:
    """``(digest, table)``: the upload read once per file (its content hash and name),
    however often the page runs; ``table`` is the reason instead when it is not one
    (kept too: a file refused for its size is not read again on the next run).
    ``progress`` is called while a new file is read (not cached: it draws)."""
    key = (digest(data), filename)
    files = _files()
    got = files.get(key)
    if got is None:
        try:
            got = load(data, filename, progress=progress)
        except TableError as exc:
            got = str(exc)
        files.put(key, got)
    return key[0], got


@st.cache_resource(max_entries=8, show_spinner=False)
def customer_table(
    file_digest: str,
    filename: str,
    mapping: tuple[tuple[str, str | None], ...],
    _raw: RawTable,
) -> LoadedTable:
    """A validated customer table, kept while the same file and mapping are on screen
    (``_raw`` is :func:`raw_table`'s, identified by ``file_digest``)."""
    return validate(_raw, filename, dict(mapping))


@st.cache_resource(max_entries=8, show_spinner=False)
def channels_of(
    file_digest: str, channel_column: str | None, _raw: RawTable
) -> list[tuple[str, int]]:
    """The channels of a contact export with their rows (counted once per file and
    channel column, not on every run of the page)."""
    from roi_core.contacts import channels_in

    return channels_in(_raw, {"channel": channel_column})


@st.cache_resource(max_entries=8, show_spinner=False)
def contacts(
    file_digest: str,
    filename: str,
    mapping: tuple[tuple[str, str | None], ...],
    channels: tuple[tuple[str, str | None], ...],
    _raw: RawTable,
) -> LoadedContacts:
    """A validated contact export, kept while the same file, mapping and channel
    classes are on screen."""
    from roi_core.contacts import validate_contacts

    return validate_contacts(_raw, filename, dict(mapping), dict(channels))


@st.cache_resource(max_entries=16, show_spinner=False)
def baseline_of(
    file_digest: str,
    filename: str,
    mapping: tuple[tuple[str, str | None], ...],
    channels: tuple[tuple[str, str | None], ...],
    launch: str,
    hourly_cost: float | None,
    _loaded: LoadedContacts,
) -> Baseline:
    """The baseline and shift of a contact export (``_loaded`` is :func:`contacts`'s for
    the same file, mapping and channels)."""
    from roi_core.contacts import estimate_baseline

    return estimate_baseline(_loaded.export, launch, hourly_cost)


@st.cache_resource(max_entries=8, show_spinner=False)
def advocacy_of(
    file_digest: str,
    filename: str,
    mapping: tuple[tuple[str, str | None], ...],
    _raw: RawTable,
) -> tuple[LoadedMentions, Advocacy]:
    """A validated mentions export and what it says."""
    from roi_core.mentions import estimate_advocacy, validate_mentions

    loaded = validate_mentions(_raw, filename, dict(mapping))
    return loaded, estimate_advocacy(loaded.export)


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's one store (connection pool shared by all sessions)."""
    from roi_store import Store

    return Store()

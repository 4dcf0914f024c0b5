"""The session's scenario state: the one place (with widgets.py) that touches
``st.session_state``.

* ``scenario``: the current *valid* scenario; every figure on screen is its.
* ``baseline``: the starting point (a preset, a loaded file or a shared link)
  that KPI deltas compare against and "Reset" returns to.
* widget keys ``w.<field path>`` hold the controls' values in display units
  (percent for shares); :func:`collect` turns them back into a scenario.

An edit that breaks a rule does not replace the scenario: the previous valid
one stays on screen and :func:`input_problems` says which field and rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from roi_core import NUMERIC_FIELDS, Result, Scenario, ScenarioError, evaluate, scenario_from_dict
from roi_core.scenario import FieldSpec, get_value
from roi_ui import share
from roi_ui.presets import Preset, load_presets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ITEM_COLUMNS",
    "Bounds",
    "baseline",
    "baseline_label",
    "bounds",
    "collect",
    "display_value",
    "ensure_widget",
    "init",
    "input_problems",
    "is_percent",
    "items_frame",
    "items_key",
    "load",
    "mark_framed",
    "model_value",
    "notices",
    "page_start",
    "preset",
    "reset_items_editor",
    "scenario",
    "sync_url",
    "widget_key",
]

_P = "roi."
SCENARIO, BASELINE, BASELINE_RESULT = _P + "scenario", _P + "baseline", _P + "baseline_result"
LABEL, PRESET, NOTICES, PROBLEMS = _P + "label", _P + "preset", _P + "notices", _P + "problems"
BOUNDS, ITEMS, GENERATION = _P + "bounds", _P + "items", _P + "generation"

ITEM_COLUMNS = ["name", "kind", "amount", "every", "start_month", "end_month"]


def widget_key(path: str) -> str:
    return f"w.{path}"


def is_percent(spec: FieldSpec) -> bool:
    return spec.unit.startswith("fraction")


def display_value(spec: FieldSpec, value: float) -> float | int:
    """Model units to what a control shows (shares as percent)."""
    if spec.is_int:
        return int(value)
    return round(value * 100.0, 10) if is_percent(spec) else float(value)


def model_value(spec: FieldSpec, shown: float | int) -> float | int:
    """What a control shows back to model units."""
    if spec.is_int:
        return int(shown)
    return round(float(shown) / 100.0, 12) if is_percent(spec) else float(shown)


@dataclass(frozen=True)
class Bounds:
    """A slider's scale in display units."""

    low: float
    high: float
    step: float


def _bounds(spec: FieldSpec, value: float) -> Bounds:
    if spec.is_int:
        return Bounds(spec.low, spec.upper, 1)
    # Number inputs (no typical maximum, maybe no upper bound) get a nominal scale.
    scale = spec.typical_max or (spec.upper if math.isfinite(spec.upper) else 10 * max(value, 1))
    top = max(scale, value)
    high = display_value(spec, top)
    if is_percent(spec):
        step = 0.01 if high <= 5 else 0.1
    else:
        step = 10.0 ** math.floor(math.log10(max(high, 1e-9) / 200.0))
    return Bounds(display_value(spec, spec.low), float(high), step)


# --- reading ----------------------------------------------------------------------------


def scenario() -> Scenario:
    s: Scenario = st.session_state[SCENARIO]
    return s


def baseline() -> tuple[Scenario, Result]:
    return st.session_state[BASELINE], st.session_state[BASELINE_RESULT]


def baseline_label() -> str:
    label: str = st.session_state[LABEL]
    return label


def preset() -> Preset | None:
    """The preset the session started from, if any (for source notes)."""
    return load_presets().get(st.session_state.get(PRESET) or "")


def bounds(path: str) -> Bounds:
    b: Bounds = st.session_state[BOUNDS][path]
    return b


def notices() -> list[str]:
    """Problems found while loading (a shared link's bad parameters, a bad upload)."""
    out: list[str] = st.session_state.get(NOTICES, [])
    return out


def input_problems() -> list[str]:
    """Why the controls' current values are not applied (empty when they are)."""
    out: list[str] = st.session_state.get(PROBLEMS, [])
    return out


def items_key() -> str:
    return f"w.items.{st.session_state.get(GENERATION, 0)}"


def items_frame() -> pd.DataFrame:
    """The line-item editor's starting table (built when the editor first opens)."""
    if st.session_state.get(ITEMS) is None:
        st.session_state[ITEMS] = _items_frame(scenario())
    frame: pd.DataFrame = st.session_state[ITEMS]
    return frame


# --- writing ----------------------------------------------------------------------------


def _items_frame(s: Scenario) -> pd.DataFrame:
    import pandas as pd  # only once the editor is opened: keeps pandas off the first paint

    rows = [item.model_dump() for item in s.other_items]
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    return frame.astype(
        {
            "name": "string",
            "kind": "string",
            "amount": "float64",
            "every": "string",
            "start_month": "Int64",
            "end_month": "Int64",
        }
    )


def load(
    s: Scenario, label: str, *, preset_id: str | None = None, notes: list[str] | None = None
) -> None:
    """Make ``s`` the current scenario and the baseline, and set every control to it."""
    ss = st.session_state
    ss[SCENARIO] = s
    ss[BASELINE] = s
    ss[BASELINE_RESULT] = evaluate(s)
    ss[LABEL] = label
    ss[PRESET] = preset_id
    ss[NOTICES] = list(notes or [])
    ss[PROBLEMS] = []
    ss[BOUNDS] = {p: _bounds(spec, get_value(s, p)) for p, spec in NUMERIC_FIELDS.items()}
    for path, spec in NUMERIC_FIELDS.items():
        ss[widget_key(path)] = display_value(spec, get_value(s, path))
    ss[widget_key("business.currency")] = str(s.business.currency)
    ss[widget_key("name")] = s.name
    ss[ITEMS] = None  # rebuilt from the scenario when the editor opens
    ss[GENERATION] = ss.get(GENERATION, 0) + 1  # a fresh line-item editor


def _leave_legacy_pages_mode() -> None:
    """A deep link (``/workshop?room=…``) opened before the app's frame has ever run
    on this server makes Streamlit treat ``pages/`` the legacy (v1) way: the page
    runs alone, without ``app.py``'s navigation, layout and theme. Turn that off
    and run again through ``app.py``, which routes to the same page and link."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(FRAMED):  # this session never went through app.py
            st.rerun()


FRAMED = _P + "framed"


def mark_framed() -> None:
    """Called by app.py: this session has run through the app's frame."""
    st.session_state[FRAMED] = True


def page_start() -> None:
    """What every page does first (app.py, the frame, calls :func:`init` itself)."""
    _leave_legacy_pages_mode()
    init()


def init() -> None:
    """First run of a session: the scenario from the URL, or the model's defaults."""
    if SCENARIO in st.session_state:
        return
    params = st.query_params.to_dict()
    if any(k in share.SCENARIO_PARAMS for k in params):
        s, problems = share.decode(params)
        load(s, "the shared link", notes=problems)
    else:
        load(Scenario(), "the model's defaults")


def _blank(value: Any) -> bool:
    import pandas as pd

    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _items_from(frame: pd.DataFrame) -> list[dict[str, Any]]:
    items = []
    for record in frame.to_dict("records"):
        if all(_blank(record.get(c)) for c in ITEM_COLUMNS):
            continue  # an empty row the editor added
        item: dict[str, Any] = {}
        for column in ITEM_COLUMNS:
            value = record.get(column)
            if _blank(value):
                if column in ("name", "kind", "amount"):
                    item[column] = None  # reported by the model as missing / invalid
                continue
            if column in ("start_month", "end_month"):
                value = int(value) if float(value).is_integer() else float(value)
            elif column == "amount":
                value = float(value)
            item[column] = value
        items.append(item)
    return items


def _stretched(ranges: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Widen an uncertainty range that no longer holds the field's value, so that
    moving a slider never makes the scenario invalid."""
    for group, fields in ranges.items():
        for name, rng in fields.items():
            value = data[group][name]
            rng["low"], rng["high"] = min(rng["low"], value), max(rng["high"], value)
    return ranges


def _current_display(name: str) -> Any:
    s = scenario()
    if name == "name":
        return s.name
    if name == "business.currency":
        return str(s.business.currency)
    spec = NUMERIC_FIELDS[name]
    return display_value(spec, get_value(s, name))


def ensure_widget(name: str) -> str:
    """The widget key for a field, seeded from the current scenario when the
    widget was not on screen in the last run (a closed group drops its state)."""
    key = widget_key(name)
    if key not in st.session_state:
        st.session_state[key] = _current_display(name)
    return key


def _control(name: str) -> Any:
    key = widget_key(name)
    return st.session_state[key] if key in st.session_state else _current_display(name)


def reset_items_editor() -> None:
    """While the line-item editor is closed, its next opening starts from the
    current scenario's items (and a fresh editor state)."""
    ss = st.session_state
    if ss.get(ITEMS) is not None:
        ss[ITEMS] = None
        ss[GENERATION] = ss.get(GENERATION, 0) + 1


def collect(edited_items: pd.DataFrame | None = None) -> Scenario:
    """The scenario the controls describe. When it breaks a rule, the previous
    valid scenario is kept and :func:`input_problems` lists why."""
    ss = st.session_state
    current = scenario()
    data = current.model_dump(mode="json")
    for path, spec in NUMERIC_FIELDS.items():
        group, name = path.split(".")
        data[group][name] = model_value(spec, _control(path))
    data["business"]["currency"] = _control("business.currency")
    data["name"] = _control("name") or current.name
    if edited_items is not None:
        data["other_items"] = _items_from(edited_items)
    data["uncertainty"] = _stretched(data["uncertainty"], data)
    try:
        new = scenario_from_dict(data)
    except ScenarioError as exc:
        ss[PROBLEMS] = list(exc.problems)
        return current
    ss[PROBLEMS] = []
    ss[SCENARIO] = new
    return new


def sync_url(s: Scenario) -> None:
    """Keep the browser's address the share link of the current scenario. Other
    parameters stay (e.g. presenter mode), but never a workshop room's secret."""
    present = st.query_params.to_dict()
    wanted = {
        k: v
        for k, v in present.items()
        if k not in share.SCENARIO_PARAMS and k not in ("token", "room")
    } | share.encode(s)
    if present != wanted:
        st.query_params.from_dict(wanted)


def replace(s: Scenario) -> None:
    """Make ``s`` the current scenario (an analysis page changed it); the starting
    point stays. Controls pick the new values up the next time they are drawn."""
    ss = st.session_state
    ss[SCENARIO] = s
    ss[PROBLEMS] = []
    for name in (*NUMERIC_FIELDS, "business.currency", "name"):
        ss.pop(widget_key(name), None)
    reset_items_editor()


COMPARE = _P + "compare"


def compared() -> list[tuple[str, Scenario]]:
    """The named scenarios kept for comparison in this session (at most four)."""
    out: list[tuple[str, Scenario]] = st.session_state.setdefault(COMPARE, [])
    return out


def add_compared(name: str, s: Scenario, *, limit: int = 4) -> str | None:
    """Keep ``s`` under ``name`` (made unique); a sentence saying why not, if full."""
    kept = compared()
    if len(kept) >= limit:
        return f"At most {limit} scenarios: remove one first."
    names = {n for n, _ in kept}
    base, i = (name.strip() or "Scenario")[:60], 2
    unique = base
    while unique in names:
        unique, i = f"{base} ({i})", i + 1
    kept.append((unique, s))
    return None


def remove_compared(index: int) -> None:
    kept = compared()
    if 0 <= index < len(kept):
        del kept[index]


UNDO = _P + "undo"


def replace_undoably(s: Scenario, what: str) -> None:
    """:func:`replace`, keeping the scenario it replaces for one :func:`undo`."""
    st.session_state[UNDO] = (scenario(), what)
    replace(s)


def undo_label() -> str | None:
    """What the last undoable change was, if it can still be undone."""
    kept = st.session_state.get(UNDO)
    return None if kept is None else str(kept[1])


def undo() -> None:
    kept = st.session_state.pop(UNDO, None)
    if kept is not None:
        replace(kept[0])


PRESENT = _P + "present"


@dataclass(frozen=True)
class Presenter:
    """How the dashboard looks in presenter mode."""

    prospect: str = ""
    logo: bytes | None = None
    accent: str = "#0F766E"


PRESENTING = _P + "presenting"


def presenting() -> bool:
    """Presenter mode: switched on in this session, or opened with ``?present=1``."""
    if st.query_params.get("present") == "1":
        st.session_state[PRESENTING] = True
    return bool(st.session_state.get(PRESENTING))


def presenter() -> Presenter:
    kept: Presenter = st.session_state.get(PRESENT, Presenter())
    return kept


def set_presenter(p: Presenter) -> None:
    st.session_state[PRESENT] = p


def start_presenting() -> None:
    st.session_state[PRESENTING] = True
    st.query_params["present"] = "1"  # the address is a link to the presentation


def stop_presenting() -> None:
    st.session_state[PRESENTING] = False
    st.query_params.pop("present", None)

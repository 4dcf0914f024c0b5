"""The three views of a workshop room: create (facilitator), join and submit (a
team), and the live board (facilitator, behind the secret link).

Who this session is in a room lives in the session (:class:`roi_ui.state.Workshop`):
the room's code, the facilitator's secret, the team's name. Team names, room
names and codes from links are the participants' text: shown with ``st.text``,
as table cells or through :func:`roi_ui.text.plotly_label`, never as Markdown.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import segno
import streamlit as st

from roi_core import NUMERIC_FIELDS, Summary, evaluate
from roi_core.workshop import disagreement, median_case
from roi_ui import cache, state
from roi_ui import formatting as fmt
from roi_ui.export.tables import to_csv, to_xlsx
from roi_ui.figures import dashboard as dashboard_figures
from roi_ui.figures import workshop as figures
from roi_ui.frames import workshop as frames
from roi_ui.presets import load_presets
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common

if TYPE_CHECKING:
    from roi_store import Room, Store

__all__ = ["DEFAULT_OPEN", "board_view", "create_view", "participant_view"]

DEFAULT_OPEN = [
    "levers.retention_lift",
    "levers.social_deflection",
    "levers.self_service_deflection",
    "levers.social_reach",
    "levers.save_rate",
]
_HERE = "workshop"


def _store() -> Store:
    return cache.store()


def _link(**params: str) -> str:
    base = (st.context.url or "http://localhost:8501/workshop").split("?", 1)[0]
    return f"{base}?{urlencode(params)}"


def _qr(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


# --- create ------------------------------------------------------------------------------


def create_view() -> None:
    """A facilitator opens a room from the dashboard's scenario or a preset."""
    st.caption(
        "Open a room for a live session: teams join from their phones or laptops, move "
        "the levers you open, and submit; the board shows every team's case live."
    )
    st.text_input("Room name", max_chars=80, **state.bind_choice("workshop.new.name", "Workshop"))
    presets = load_presets()
    st.selectbox(
        "Start from",
        ["current", *presets],
        format_func=lambda k: "The dashboard's scenario" if k == "current" else presets[k].name,
        **state.bind_choice(
            "workshop.new.start", "current", param="index", options=["current", *presets]
        ),
    )
    levers = [p for p in NUMERIC_FIELDS if p.startswith(("levers.", "costs."))]
    st.multiselect(
        "Levers the teams may move",
        levers,
        format_func=lambda p: NUMERIC_FIELDS[p].title,
        **state.bind_choice("workshop.new.open", DEFAULT_OPEN, param="default"),
    )
    st.button("Create the room", type="primary", icon=":material/groups:", on_click=_create)
    common.messages(_HERE)


def _create() -> None:
    """Button callback: reads the fields as they are at the click."""
    from roi_store import StoreError

    name = str(state.choice("workshop.new.name", "Workshop") or "")
    start = str(state.choice("workshop.new.start", "current"))
    allowed = list(state.choice("workshop.new.open", DEFAULT_OPEN) or [])
    presets = load_presets()
    scenario = presets[start].scenario if start in presets else state.scenario()
    try:
        room, token = _store().create_room(name, scenario, allowed)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop(room=room.code, token=token)


def _room(code: str) -> Room | None:
    from roi_store import StoreError

    try:
        return _store().room(code)
    except StoreError as exc:
        st.error(escape_markdown(clean_text(str(exc), 200)), icon=":material/error:")
        st.button("Open a new room instead", on_click=state.set_workshop)
        return None


# --- a team ---------------------------------------------------------------------------------


def _join(code: str) -> None:
    from roi_store import StoreError

    team = " ".join(str(state.choice(f"workshop.join.{code}", "") or "").split())
    if not team:
        state.flash("warning", "Type your team's name first.", where=_HERE)
        return
    try:
        room = _store().room(code)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop(room=room.code, team=team[:40])
    state.load(room.scenario, f"room {room.code}'s starting point", origin="room")


def _submit(code: str, team: str) -> None:
    from roi_store import StoreError

    try:
        sub = _store().submit(code, team, state.scenario())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.flash("success", f"Submitted: version {sub.version}. You can submit again.", where=_HERE)


def participant_view(code: str) -> None:
    """Join with a team name, move the open levers, submit (again and again)."""
    room = _room(code)
    if room is None:
        return
    st.text(f"Room: {room.name}")  # the facilitator's text, shown as text
    team = state.workshop().team if state.workshop().room == room.code else ""
    if not team:
        st.text_input(
            "Your team's name",
            max_chars=40,
            **state.bind_choice(f"workshop.join.{room.code}", ""),
        )
        st.button("Join", type="primary", on_click=_join, args=(room.code,))
        common.messages(_HERE)
        return
    st.text(f"Team: {team}")
    _team_work(room, team)


@st.fragment
def _team_work(room: Room, team: str) -> None:
    state.fragment_start(kind="workshop")
    s = state.scenario()
    currency = str(s.business.currency)
    result = evaluate(s)
    controls, main = st.columns([1, 2.4])
    with controls, st.container(border=True):
        for path in room.allowed:
            common.field_control(path, currency)
    with main:
        common.kpi_row(result, state.baseline()[1], currency, per_row=3, explain=False)
        st.plotly_chart(dashboard_figures.cumulative_cash(result, currency), key="chart.ws.cash")
        st.button(
            "Submit our case",
            type="primary",
            icon=":material/send:",
            on_click=_submit,
            args=(room.code, team),
        )
        common.messages(_HERE)


# --- the facilitator's board -------------------------------------------------------------------


def _join_panel(room: Room) -> None:
    join = _link(room=room.code)
    left, right = st.columns([1, 2])
    left.image(_qr(join), caption=f"Room {room.code}", width=220)
    with right:
        st.markdown(f"## Room code: `{room.code}`")  # our own code alphabet, never user text
        st.caption("Teams open this link (or scan the code):")
        st.code(join, language=None)


def _set(code: str, token: str, what: str) -> None:
    from roi_store import StoreError

    on = bool(state.value(f"workshop.{what}.{code}"))
    try:
        if what == "reveal":
            _store().set_reveal(code, token, on)
        else:
            _store().set_locked(code, token, on)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)


def _delete(code: str, token: str) -> None:
    from roi_store import StoreError

    try:
        _store().delete_room(code, token)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop()
    state.flash("success", f"Room {code} and its submissions are deleted.", where=_HERE)


def board_view(code: str, token: str) -> None:
    """The facilitator's view: every team's case, live; lock, reveal, export, delete."""
    if not _store().is_facilitator(code, token):
        st.error("This facilitator link is not valid for this room.")
        st.button("Open a new room instead", on_click=state.set_workshop)
        return
    room = _room(code)
    if room is None:
        return
    st.text(f"Room: {room.name}")
    common.messages(_HERE)
    with st.expander("Invite teams", expanded=True):
        _join_panel(room)
    c1, c2 = st.columns(2)
    c1.toggle(
        "Show team names",
        on_change=_set,
        args=(code, token, "reveal"),
        **state.mirror(f"workshop.reveal.{code}", room.reveal),
    )
    c2.toggle(
        "Lock the room",
        help="No more submissions while locked.",
        on_change=_set,
        args=(code, token, "lock"),
        **state.mirror(f"workshop.lock.{code}", room.locked),
    )
    _live(code)
    with st.expander("Export and close"):
        _exports(code, token)
        with st.popover("Delete this room and its submissions"):
            st.text(f"Delete room {code} and every submission for good?")
            st.button("Yes, delete the room", type="primary", on_click=_delete, args=(code, token))


@st.fragment(run_every=3)
def _live(code: str) -> None:
    from roi_store import StoreError

    try:
        current = _store().room(code)
        subs = _store().submissions(code)
    except StoreError as exc:
        st.error(escape_markdown(clean_text(str(exc), 300)))
        return
    currency = str(current.scenario.business.currency)
    st.metric("Teams that submitted", len(subs))
    for skipped in subs.skipped:
        st.text(f"Left out: {clean_text(str(skipped), 300)}")
    if not subs:
        st.info("Waiting for the first submission…")
        return
    cases = [(sub.version, sub.scenario, evaluate(sub.scenario).summary) for sub in subs]
    labels = frames.team_labels([sub.team for sub in subs], current.reveal)
    table = frames.board(labels, cases, current.allowed)
    shown = table.copy()
    shown["NPV"] = [fmt.money_compact(v, currency) for v in table["NPV"]]
    shown["ROI"] = [fmt.percent(v) for v in table["ROI"]]
    shown["payback (months)"] = [fmt.months(v) for v in table["payback (months)"]]
    left, right = st.columns([3, 2])
    left.dataframe(shown, hide_index=True, width="stretch")
    right.plotly_chart(figures.roi_by_team(labels, [c[2].roi for c in cases]), key="chart.ws.roi")
    median = evaluate(median_case(current.scenario, [c[1] for c in cases], current.allowed))
    m: Summary = median.summary
    a, b, c = st.columns(3)
    a.metric("The room's median case: NPV", fmt.money_compact(m.npv, currency))
    b.metric("ROI", fmt.percent(m.roi))
    c.metric("Payback", fmt.months(m.payback_months))
    spread = [p for p, v in disagreement([c[1] for c in cases], current.allowed)[:3] if v > 0]
    if spread:
        st.caption(
            "Where the room disagrees most: "
            + ", ".join(NUMERIC_FIELDS[p].title for p in spread)
            + "."
        )


def _exports(code: str, token: str) -> None:
    """Every submission as JSON, CSV or XLSX, built when clicked (never stale)."""
    from roi_store import StoreError

    try:
        skipped = _store().submissions(code, latest_only=False).skipped
    except StoreError as exc:
        st.error(escape_markdown(clean_text(str(exc), 300)))
        return
    if skipped:
        st.warning(f"{len(skipped)} stored submission(s) no longer validate, so an export "
                   "would be incomplete; they are listed on the board.")  # fmt: skip
        return

    def rows() -> list[dict[str, object]]:
        return _store().export(code, token)

    def table() -> object:
        from roi_core import Scenario

        data = rows()
        return frames.export_frame(
            [(r, evaluate(Scenario.model_validate(r["scenario"])).summary) for r in data]
        )

    left, mid, right = st.columns(3)
    left.download_button(
        "All submissions (JSON)",
        data=lambda: json.dumps(rows(), indent=2),
        file_name=f"room-{code}.json",
        mime="application/json",
        on_click="ignore",
    )
    mid.download_button(
        "All submissions (CSV)",
        data=lambda: to_csv(table()),  # type: ignore[arg-type]
        file_name=f"room-{code}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        "All submissions (XLSX)",
        data=lambda: to_xlsx(table(), sheet="Submissions"),  # type: ignore[arg-type]
        file_name=f"room-{code}.xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

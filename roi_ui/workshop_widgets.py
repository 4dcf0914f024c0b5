"""The three views of a workshop room: create (facilitator), join and submit
(participant), and the live board (facilitator, behind the secret link).

With state.py and widgets.py, the only code touching ``st.session_state``.
Team names and other user text are shown with ``st.text`` or as table cells,
never as Markdown or HTML.
"""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import segno
import streamlit as st

from roi_core import NUMERIC_FIELDS, evaluate
from roi_ui import charts, compute, state, widgets, workshop
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets
from roi_ui.store import Room, StoreError

__all__ = ["board_view", "create_view", "participant_view", "route"]

DEFAULT_OPEN = [
    "levers.retention_lift",
    "levers.social_deflection",
    "levers.self_service_deflection",
    "levers.social_reach",
    "levers.save_rate",
]


def _base() -> str:
    return (st.context.url or "http://localhost:8501/workshop").split("?", 1)[0]


def _link(**params: str) -> str:
    return f"{_base()}?{urlencode(params)}"


def _qr(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def create_view() -> None:
    """A facilitator opens a room from the dashboard's scenario or a preset."""
    st.caption(
        "Open a room for a live session: teams join from their phones or laptops, move "
        "the levers you open, and submit; the board shows every team's case live."
    )
    name = st.text_input("Room name", "Workshop", max_chars=80, key="ws.new.name")
    presets = load_presets()
    options = ["current", *presets]
    start = st.selectbox(
        "Start from",
        options,
        key="ws.new.start",
        format_func=lambda k: "The dashboard's scenario" if k == "current" else presets[k].name,
    )
    levers = [p for p in NUMERIC_FIELDS if p.startswith(("levers.", "costs."))]
    allowed = st.multiselect(
        "Levers the teams may move",
        levers,
        default=DEFAULT_OPEN,
        format_func=lambda p: NUMERIC_FIELDS[p].title,
        key="ws.new.open",
    )
    st.button(
        "Create the room",
        type="primary",
        icon=":material/groups:",
        on_click=_create,
        args=(name, start, allowed),
    )


_CREATED = "ws.created"


def _create(name: str, start: str, allowed: list[str]) -> None:
    presets = load_presets()
    scenario = state.scenario() if start == "current" else presets[start].scenario
    try:
        room, token = compute.store().create_room(name, scenario, allowed)
    except StoreError as exc:
        st.session_state[_CREATED] = str(exc)
        return
    st.session_state[_CREATED] = (room.code, token)


def route() -> tuple[str, str]:
    """``(room code, token)`` from the link, or from a room created just now, in which
    case the address bar becomes the facilitator's (secret) link to the board."""
    created = st.session_state.pop(_CREATED, None)
    if isinstance(created, str):
        st.error(created)
    elif created is not None:
        code, token = created
        st.query_params.from_dict({"room": code, "token": token})
        return code, token
    return st.query_params.get("room", ""), st.query_params.get("token", "")


def _join_panel(room: Room) -> None:
    join = _link(room=room.code)
    left, right = st.columns([1, 2])
    left.image(_qr(join), caption=f"Room {room.code}", width=220)
    with right:
        st.markdown(f"## Room code: `{room.code}`")
        st.caption("Teams open this link (or scan the code):")
        st.code(join, language=None)


def participant_view(code: str) -> None:
    """Join with a team name, move the open levers, submit (again and again)."""
    store = compute.store()
    try:
        room = store.room(code)
    except StoreError as exc:
        st.error(str(exc))
        return
    st.text(f"Room: {room.name}")  # facilitator's text, shown as text
    team_key = f"ws.team.{room.code}"
    if not st.session_state.get(team_key):
        team = st.text_input("Your team's name", max_chars=40, key=f"ws.join.{room.code}")
        if st.button("Join", type="primary") and team.strip():
            st.session_state[team_key] = team.strip()
            state.load(room.scenario, f"room {room.code}'s starting point")
            st.rerun()
        return
    team = st.session_state[team_key]
    st.text(f"Team: {team}")

    @st.fragment
    def work() -> None:
        s = state.scenario()
        currency = s.business.currency
        controls, main = st.columns([1, 2.4])
        with controls, st.container(border=True):
            for path in room.allowed:
                widgets.field_control(path, currency)
        s = state.collect()
        result = evaluate(s)
        with main:
            widgets.kpi_row(result, state.baseline()[1], currency, "the room's starting point")
            st.plotly_chart(charts.cumulative_cash(result, currency), key="chart.ws.cash")
            if st.button("Submit our case", type="primary", icon=":material/send:"):
                try:
                    sub = store.submit(room.code, team, s)
                    st.success(f"Submitted: version {sub.version}. You can submit again.")
                except StoreError as exc:
                    st.error(str(exc))

    work()


def board_view(code: str, token: str) -> None:
    """The projector view: every team's case, live; admin actions for the facilitator."""
    store = compute.store()
    if not store.is_facilitator(code, token):
        st.error("This facilitator link is not valid for this room.")
        return
    room = store.room(code)
    st.text(f"Room: {room.name}")
    with st.expander("Invite teams", expanded=True):
        _join_panel(room)
    c1, c2 = st.columns(2)
    reveal = c1.toggle("Show team names", value=room.reveal, key=f"ws.reveal.{code}")
    locked = c2.toggle(
        "Lock the room",
        value=room.locked,
        key=f"ws.lock.{code}",
        help="No more submissions while locked.",
    )
    if reveal != room.reveal:
        store.set_reveal(code, token, reveal)
    if locked != room.locked:
        store.set_locked(code, token, locked)

    @st.fragment(run_every=3)
    def live() -> None:
        current = store.room(code)
        subs = store.submissions(code)
        cur = current.scenario.business.currency
        st.metric("Teams that submitted", len(subs))
        if not subs:
            st.info("Waiting for the first submission…")
            return
        frame = workshop.board(subs, current.allowed, current.reveal)
        shown = frame.copy()
        shown["NPV"] = [fmt.money_compact(v, cur) for v in frame["NPV"]]
        shown["ROI"] = [fmt.percent(v) for v in frame["ROI"]]
        shown["payback (months)"] = [fmt.months(v) for v in frame["payback (months)"]]
        left, right = st.columns([3, 2])
        left.dataframe(shown, hide_index=True, width="stretch")
        right.plotly_chart(workshop.roi_by_team(subs, current.reveal), key="chart.ws.roi")
        median = workshop.median_scenario(current.scenario, subs, current.allowed)
        m = evaluate(median).summary
        a, b, c = st.columns(3)
        a.metric("The room's median case: NPV", fmt.money_compact(m.npv, cur))
        b.metric("ROI", fmt.percent(m.roi))
        c.metric("Payback", fmt.months(m.payback_months))
        spread = workshop.disagreement(subs, current.allowed)
        if spread:
            st.caption(
                "Where the room disagrees most: "
                + ", ".join(NUMERIC_FIELDS[p].title for p, v in spread[:3] if v > 0)
                + "."
            )

    live()
    with st.expander("Export and close"):
        rows = store.export(code, token)
        left, mid, right = st.columns(3)
        left.download_button(
            "All submissions (JSON)",
            data=json.dumps(rows, indent=2),
            file_name=f"room-{code}.json",
            mime="application/json",
            on_click="ignore",
        )
        table = workshop.export_frame(rows)
        mid.download_button(
            "All submissions (CSV)",
            data=table.to_csv(index=False),
            file_name=f"room-{code}.csv",
            mime="text/csv",
            on_click="ignore",
        )
        right.download_button(
            "All submissions (XLSX)",
            data=lambda: workshop.to_xlsx(table),
            file_name=f"room-{code}.xlsx",
            on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        if st.button("Delete this room and its submissions", type="secondary"):
            store.delete_room(code, token)
            st.query_params.clear()
            st.rerun()

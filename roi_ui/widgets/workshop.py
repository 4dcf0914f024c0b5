"""The four views of a workshop room: create (facilitator), a team's view (join, or
rejoin through the team's secret link), the facilitator's board, and the
read-only projector view.

Who this session is in a room lives in the session (:class:`roi_ui.state.Workshop`)
and in the address bar as exactly one secret: the facilitator's (``token``), the
projector's (``view``) or a team's (``team``). Team names, room names and codes
from links are the participants' text: shown with ``st.text``, as table cells or
through :func:`roi_ui.text.plotly_label`, never as Markdown.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import segno
import streamlit as st

from roi_core import NUMERIC_FIELDS, Scenario, evaluate
from roi_core.i18n import gettext as _
from roi_core.workshop import disagreement, median_case
from roi_ui import cache, state
from roi_ui import formatting as fmt
from roi_ui.export.tables import to_csv, to_xlsx
from roi_ui.figures import dashboard as dashboard_figures
from roi_ui.figures import workshop as figures
from roi_ui.frames import workshop as frames
from roi_ui.frames.base import displayed
from roi_ui.presets import load_presets
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common

if TYPE_CHECKING:
    import pandas as pd

    from roi_store import Room, Store

__all__ = [
    "DEFAULT_OPEN",
    "board_view",
    "create_view",
    "projector_view",
    "team_view",
]

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


def _refused(exc: Exception) -> None:
    """A store's refusal, said in the page (user text in it escaped)."""
    st.error(escape_markdown(clean_text(str(exc), 300)), icon=":material/error:")


def _gone(exc: Exception) -> None:
    """A live part of the page lost its room (closed, expired): stop asking the store
    every few seconds — each ask for a room that is not there counts as a wrong code
    — and go back to the workshop's start, saying why."""
    from roi_store import NoSuchRoom

    if isinstance(exc, NoSuchRoom):
        state.set_workshop()
        state.flash(
            "warning",
            _("{problem} Open a new room, or check the room's link.").format(problem=exc),
            where=_HERE,
        )
        st.rerun(scope="app")
    _refused(exc)


def _room(code: str) -> Room | None:
    from roi_store import StoreError

    try:
        return _store().room(code, client=state.client())
    except StoreError as exc:
        _gone(exc)  # a closed or unknown room: back to the start, saying why
        st.button(_("Open a new room instead"), on_click=state.set_workshop)
        return None


# --- create ------------------------------------------------------------------------------


def create_view() -> None:
    """A facilitator opens a room from the dashboard's scenario or a preset."""
    st.caption(
        _(
            "Open a room for a live session: teams join from their phones or laptops, move "
            "the levers you open, and submit; the board shows every team's case live."
        )
    )
    st.text_input(
        _("Room name"), max_chars=80, **state.bind_choice("workshop.new.name", _("Workshop"))
    )
    presets = load_presets()
    st.selectbox(
        _("Start from"),
        ["current", *presets],
        format_func=common.format_func(
            lambda k: _("The dashboard's scenario") if k == "current" else _(presets[k].name)
        ),
        **state.bind_choice(
            "workshop.new.start", "current", param="index", options=["current", *presets]
        ),
    )
    levers = [p for p in NUMERIC_FIELDS if p.startswith(("levers.", "costs."))]
    st.multiselect(
        _("Levers the teams may move"),
        levers,
        format_func=common.format_func(lambda p: NUMERIC_FIELDS[p].title),
        **state.bind_choice("workshop.new.open", DEFAULT_OPEN, param="default"),
    )
    st.button(_("Create the room"), type="primary", icon=":material/groups:", on_click=_create)
    common.messages(_HERE)


def _create() -> None:
    """Button callback: reads the fields as they are at the click."""
    from roi_store import StoreError

    name = str(state.choice("workshop.new.name", _("Workshop")) or "")
    start = str(state.choice("workshop.new.start", "current"))
    allowed = list(state.choice("workshop.new.open", DEFAULT_OPEN) or [])
    presets = load_presets()
    scenario = presets[start].scenario if start in presets else state.scenario()
    try:
        created = _store().create_room(name, scenario, allowed, client=state.client())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop(room=created.room.code, token=created.token, view=created.view)


# --- a team -----------------------------------------------------------------------------------


def _join(code: str) -> None:
    """Button callback: the name as typed at the click; the team's secret link
    goes to the address bar."""
    from roi_store import StoreError

    name = " ".join(str(state.choice(f"workshop.join.{code}", "") or "").split())
    if not name:
        state.flash("warning", _("Type your team's name first."), where=_HERE)
        return
    try:
        team, secret = _store().join(code, name, client=state.client())
        room = _store().room(code, client=state.client())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop(room=room.code, team_secret=secret, team=team.name)
    state.load(
        room.scenario, _("room {code}'s starting point").format(code=room.code), origin="room"
    )
    state.team_loaded(team.name)


def _submit(code: str, secret: str) -> None:
    from roi_store import StoreError

    try:
        sub = _store().submit(code, secret, state.scenario())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.flash(
        "success",
        _("Submitted: version {version}. You can submit again.").format(
            version=fmt.count(sub.version)
        ),
        where=_HERE,
    )


def _leave() -> None:
    state.set_workshop()


def team_view(code: str) -> None:
    """Join with a team name, or come back through the team's link; move the open
    levers, submit again and again."""
    from roi_store import StoreError

    room = _room(code)
    if room is None:
        return
    st.text(_("Room: {name}").format(name=room.name))  # the facilitator's text, shown as text
    who = state.workshop()
    if who.team_secret and not who.loaded:
        try:  # a reload, a locked phone, another replica: rejoin through the link
            team = _store().team(room.code, who.team_secret)
            latest = _store().latest(room.code, who.team_secret)
        except StoreError as exc:
            _refused(exc)
            st.button(_("Join as a new team"), on_click=state.set_workshop, kwargs={"room": code})
            return
        case = latest.scenario if latest is not None else room.scenario
        what = (
            _("team {name}'s last submission").format(name=team.name)
            if latest
            else _("room {code}").format(code=room.code)
        )
        state.load(case, what, origin="room")
        state.team_loaded(team.name)
    who = state.workshop()
    if not who.team_secret:
        st.text_input(
            _("Your team's name"), max_chars=40, **state.bind_choice(f"workshop.join.{code}", "")
        )
        st.button(_("Join"), type="primary", on_click=_join, args=(room.code,))
        common.messages(_HERE)
        return
    st.text(_("Team: {name}").format(name=who.team))
    with st.popover(_("Your team link"), icon=":material/link:"):
        st.caption(_("Open it on any device to come back to this team (keep it to the team)."))
        st.code(_link(room=room.code, team=who.team_secret), language=None, wrap_lines=True)
        st.button(_("Leave this team on this device"), on_click=_leave)
    _room_status(room.code)
    _team_work(room, who.team_secret)


@st.fragment(run_every=3)
def _room_status(code: str) -> None:
    """Says at once when the facilitator locks the room (checked every 3 s)."""
    from roi_store import StoreError

    try:
        room = _store().room(code, client=state.client())
    except StoreError as exc:
        _gone(exc)
        return
    if room.locked:
        st.warning(
            _("The room is locked by the facilitator: no more submissions for now."),
            icon=":material/lock:",
        )


@st.fragment
def _team_work(room: Room, secret: str) -> None:
    state.fragment_start()
    s = state.scenario()
    currency = str(s.business.currency)
    result = evaluate(s)
    controls, main = st.columns([1, 2.4])
    with controls, st.container(border=True):
        for path in room.allowed:
            common.field_control(path, currency)
    with main:
        common.kpi_row(result, state.baseline()[1], currency, per_row=3, explain=False)
        st.plotly_chart(
            dashboard_figures.cumulative_cash(result, currency),
            key="chart.ws.cash",
            alt=dashboard_figures.alt_cumulative_cash(result, currency),
        )
        st.button(
            _("Submit our case"),
            type="primary",
            icon=":material/send:",
            on_click=_submit,
            args=(room.code, secret),
        )
        common.messages(_HERE)
    state.fragment_end(kind="workshop")


# --- the board: the facilitator's, and the projector's ------------------------------------------


def _join_panel(room: Room) -> None:
    join = _link(room=room.code)
    left, right = st.columns([1, 2])
    left.image(
        _qr(join),
        caption=_("Room {code}").format(code=room.code),
        width=220,
        alt=_("QR code of the link that joins room {code}").format(code=room.code),
    )
    with right:
        # Our own code alphabet, never user text.
        st.markdown("## " + _("Room code: `{code}`").format(code=room.code))
        st.caption(_("Teams open this link (or scan the code):"))
        st.code(join, language=None, wrap_lines=True)  # whole on a phone: no sideways scroll


def _set(code: str, token: str, what: str, on: bool) -> None:
    """Lock, unlock, reveal or hide: written only for this click, and only if the
    room is still as this page showed it (another facilitator tab may have moved)."""
    from roi_store import Conflict, StoreError

    try:
        if what == "reveal":
            _store().set_reveal(code, token, on, expected=not on)
        else:
            _store().set_locked(code, token, on, expected=not on)
    except Conflict as exc:
        state.flash("info", str(exc), where=_HERE)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)


def _on_reveal(code: str, token: str) -> None:
    _set(code, token, "reveal", bool(state.value(f"workshop.reveal.{code}")))


def _delete(code: str, token: str) -> None:
    from roi_store import StoreError

    try:
        _store().delete_room(code, token)
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.set_workshop()
    state.flash(
        "success", _("Room {code} and its submissions are deleted.").format(code=code), where=_HERE
    )


def board_view(code: str, token: str) -> None:
    """The facilitator's view: the live board, the links, and the room's controls
    (reveal, lock, export, delete — lock and delete ask first)."""
    if not _store().is_facilitator(code, token):
        st.error(_("This facilitator link is not valid for this room."))
        st.button(_("Open a new room instead"), on_click=state.set_workshop)
        return
    room = _room(code)
    if room is None:
        return
    st.text(_("Room: {name}").format(name=room.name))
    common.messages(_HERE)
    _links(room, token)
    left, right = st.columns(2)
    left.toggle(
        _("Show team names"),
        on_change=_on_reveal,
        args=(code, token),
        **state.mirror(f"workshop.reveal.{code}", room.reveal),
    )
    with right:
        if room.locked:
            st.button(
                _("Unlock the room"),
                icon=":material/lock_open:",
                on_click=_set,
                args=(code, token, "lock", False),
            )
        else:
            with st.popover(_("Lock the room"), icon=":material/lock:"):
                st.text(_("Lock the room? Teams can no longer submit until you unlock it."))
                st.button(
                    _("Yes, lock it"),
                    type="primary",
                    on_click=_set,
                    args=(code, token, "lock", True),
                )
    _live(code)
    with st.expander(_("Export and close")):
        _exports(code, token)
        with st.popover(_("Delete this room and its submissions")):
            st.text(_("Delete room {code} and every submission for good?").format(code=code))
            st.button(
                _("Yes, delete the room"), type="primary", on_click=_delete, args=(code, token)
            )


def _links(room: Room, token: str) -> None:
    """How teams join, the projector's read-only link, and the facilitator's own
    link — only in a copy control, never on the screen that is projected."""
    with st.expander(_("Invite teams"), expanded=True):
        _join_panel(room)
    view = _store().view_secret(room.code, token)
    projector = _link(room=room.code, view=view)
    left, right = st.columns(2)
    left.link_button(
        _("Open the projector view"),
        projector,
        icon=":material/present_to_all:",
        help=_("The board without any control or secret: put this one on the screen."),
    )
    with right.popover(_("Copy facilitator link"), icon=":material/key:"):
        st.caption(
            _(
                "Keep it to yourself: it can lock, reveal, export and delete the room. "
                "Project the projector view instead."
            )
        )
        st.code(_link(room=room.code, token=token), language=None, wrap_lines=True)


def projector_view(code: str, view: str) -> None:
    """The board for the screen: how to join, every team's case, the room's median
    and where it disagrees — and nothing that changes the room."""
    if not _store().is_viewer(code, view):
        st.error(_("This projector link is not valid for this room."))
        return
    room = _room(code)
    if room is None:
        return
    st.text(_("Room: {name}").format(name=room.name))
    _join_panel(room)
    _live(code)


@st.fragment(run_every=3)
def _live(code: str) -> None:
    from roi_store import StoreError

    try:
        current = _store().room(code, client=state.client())
        subs = _store().submissions(code)
    except StoreError as exc:
        _gone(exc)
        return
    currency = str(current.scenario.business.currency)
    left, right = st.columns([1, 3])
    left.metric(_("Teams that submitted"), fmt.count(len(subs)))
    if current.locked:
        right.info(_("The room is locked: no more submissions for now."), icon=":material/lock:")
    for skipped in subs.skipped:
        st.text(_("Left out: {problem}").format(problem=clean_text(str(skipped), 300)))
    if not subs:
        st.info(_("Waiting for the first submission…"))
        return
    cases = [(sub.version, sub.scenario, evaluate(sub.scenario).summary) for sub in subs]
    labels = frames.team_labels([sub.team for sub in subs], current.reveal)
    table = frames.board(labels, cases, current.allowed)
    st.dataframe(displayed(table, currency), hide_index=True, width="stretch")
    left, right = st.columns([3, 2])
    rois = [c[2].roi for c in cases]
    left.plotly_chart(
        figures.roi_by_team(labels, rois),
        key="chart.ws.roi",
        alt=figures.alt_roi_by_team(labels, rois),
    )
    with right:
        median = evaluate(median_case(current.scenario, [c[1] for c in cases], current.allowed))
        st.metric(_("The room's median case: NPV"), fmt.money_compact(median.summary.npv, currency))
        st.metric(_("ROI"), fmt.percent(median.summary.roi))
        st.metric(_("Payback"), fmt.months(median.summary.payback_months))
        spread = [p for p, v in disagreement([c[1] for c in cases], current.allowed)[:3] if v > 0]
        if spread:
            st.caption(
                _("Where the room disagrees most: {levers}.").format(
                    levers=", ".join(NUMERIC_FIELDS[p].title for p in spread)
                )
            )


def _exports(code: str, token: str) -> None:
    """Every submission as JSON, CSV or XLSX, read from the store when clicked
    (never the page's last picture of it)."""
    from roi_store import StoreError

    try:
        skipped = _store().submissions(code, latest_only=False).skipped
    except StoreError as exc:
        _refused(exc)
        return
    if skipped:
        st.warning(
            _(
                "{n} stored submission(s) no longer validate, so an export "
                "would be incomplete; they are listed on the board."
            ).format(n=fmt.count(len(skipped)))
        )
        return

    def rows() -> list[dict[str, object]]:
        return _store().export(code, token)

    def table() -> pd.DataFrame:
        data = rows()
        return frames.export_frame(
            [(r, evaluate(Scenario.model_validate(r["scenario"])).summary) for r in data]
        )

    def as_json() -> str:
        return json.dumps(rows(), indent=2, ensure_ascii=False)

    left, mid, right = st.columns(3)
    left.download_button(
        _("All submissions (JSON)"),
        data=as_json,
        file_name=f"room-{code}.json",
        mime="application/json",
        on_click="ignore",
    )
    mid.download_button(
        _("All submissions (CSV)"),
        data=lambda: to_csv(table()),
        file_name=f"room-{code}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        _("All submissions (XLSX)"),
        data=lambda: to_xlsx(table(), sheet="Submissions"),
        file_name=f"room-{code}.xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

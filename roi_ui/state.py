"""The session's state: the ONE owner of ``st.session_state`` and ``st.query_params``.

Everything a person has set lives in one :class:`Session` object, kept under one
session key: the scenario, where its values came from (the preset, the fields
changed since, notes for values set by an action such as a calibration), the
ranges as the person declared them, the presenter settings, the workshop
identity, the scenarios kept for comparison and the page choices.

Widgets are *views* of it. Each control is bound with :func:`bind` (a scenario
field), :func:`bind_choice` (a page choice) or :func:`bind_presenter`: the binding
seeds the widget's key from the session when the widget is drawn, and a
callback writes the widget's value back into the session the moment it
changes — before the page runs again, whether or not the widget is drawn
afterwards. A value set in a group that is closed later, or on a page left and
come back to, is never lost: it lives here, not in the widget.

Every change that replaces values under the widgets (a preset, an upload, an
undo, a value applied from an analysis) drops the widgets' keys, so each widget
reseeds from the session the next time it is drawn.

The address bar is written only by :func:`publish`, from the session, which
holds nothing but validated values: the link is the share link of what is on
screen (``preset=<id>`` plus the fields changed since), or a workshop room's
link on the workshop page.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from roi_core import (
    NUMERIC_FIELDS,
    Result,
    Scenario,
    ScenarioError,
    evaluate,
    i18n,
    scenario_from_dict,
)
from roi_core.i18n import N_, Language
from roi_core.ranges import Stretch, stretch, uncertainty_of
from roi_core.scenario import Uncertainty, get_value
from roi_ui import editor, share
from roi_ui.presets import Preset, load_presets, shown_name, stored_name
from roi_ui.text import clean_text

_ = i18n.gettext

__all__ = [
    "DEFAULT_ACCENT",
    "Presenter",
    "Session",
    "Workshop",
    "add_compared",
    "apply_values",
    "baseline",
    "baseline_label",
    "bind",
    "bind_choice",
    "bind_language",
    "bind_presenter",
    "bind_preset",
    "changed_fields",
    "choice",
    "clear_compared",
    "client",
    "compared",
    "dismiss_notices",
    "editor_edits",
    "editor_key",
    "flash",
    "fragment_end",
    "fragment_start",
    "frame",
    "items_editor",
    "keep_stretch",
    "lang",
    "link",
    "load",
    "load_preset",
    "mirror",
    "moved",
    "notes",
    "notices",
    "owner_key",
    "page_start",
    "presenter",
    "presenting",
    "preset",
    "preset_id",
    "problems",
    "projecting",
    "prospect_reader",
    "publish",
    "remove_compared",
    "replace_scenario",
    "request_app_rerun",
    "reset",
    "scenario",
    "set_logo",
    "set_presenting",
    "set_ranges",
    "set_workshop",
    "stretches",
    "take_flash",
    "team_loaded",
    "undo",
    "undo_label",
    "undo_stretch",
    "value",
    "workshop",
]

_SESSION = "roi.session"
#: Widget keys of scenario fields: ``w.<path>`` (Streamlit makes them CSS classes
#: ``st-key-w-levers-retention_lift``, which the benchmarks select).
_FIELD = "w."
#: Widget keys of page choices.
_CHOICE = "ui."
_TEXT_FIELDS = ("name", "business.currency")
DEFAULT_ACCENT = "#0F766E"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")

Origin = Literal["defaults", "preset", "link", "file", "saved", "room", "quick"]
Kind = Literal["success", "info", "warning", "error"]


@dataclass(frozen=True)
class Presenter:
    """How the dashboard looks in presenter mode, and whether it is on."""

    prospect: str = ""
    logo: bytes | None = None
    accent: str = DEFAULT_ACCENT
    presenting: bool = False


@dataclass(frozen=True)
class Workshop:
    """Who this session is in a workshop room, and which secret says so.

    * ``token``: the facilitator's secret (the board, with every control);
    * ``view``: the projector's display secret (the board, read only);
    * ``team_secret``: a team's secret link (``?room=…&team=…``): a reload, a phone
      that locked or another server replica rejoins the same team with it;
      ``team`` is that team's name, once the store has confirmed the secret.

    At most one secret is in the address bar; none ever appears in a share link.
    """

    room: str = ""
    token: str = ""
    view: str = ""
    team_secret: str = ""
    team: str = ""
    #: The team's case was loaded into this session (its last submission, or the room's).
    loaded: bool = False


@dataclass
class Session:
    """Everything one browser session has set. Only this module changes it."""

    scenario: Scenario = field(default_factory=Scenario)
    #: The starting point KPI changes compare against and "Reset" returns to.
    baseline: Scenario = field(default_factory=Scenario)
    baseline_result: Result | None = None
    #: What the starting point is, for people ("the telecom preset"): in English, with
    #: ``baseline_args`` filled into its translation when shown (:func:`baseline_label`).
    baseline_label: str = N_("the model's defaults")
    baseline_args: dict[str, str] = field(default_factory=dict)
    origin: Origin = "defaults"
    #: Provenance: the preset the values came from (its sources hold for the
    #: values still equal to it), and notes for values set by an action.
    preset_id: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    #: The ranges as declared; ``scenario.uncertainty`` may be stretched to hold
    #: a value moved past a range (see :func:`stretches`).
    declared: Uncertainty = field(default_factory=Uncertainty)
    #: A field's value before its range was stretched, for "undo the move".
    held: dict[str, float] = field(default_factory=dict)
    #: Control values that break a rule, waiting for a partner value to fix them.
    pending: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    flash: list[tuple[str, Kind, str]] = field(default_factory=list)
    presenter: Presenter = field(default_factory=Presenter)
    workshop: Workshop = field(default_factory=Workshop)
    compared: list[tuple[str, Scenario]] = field(default_factory=list)
    undo: tuple[Scenario, str] | None = None
    ui: dict[str, Any] = field(default_factory=dict)
    owner_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    #: Editors (line items) are keyed by generation; the rows they started from.
    generation: int = 0
    items_base: list[dict[str, Any]] | None = None
    app_rerun: bool = False
    framed: bool = False
    #: Page runs so far (counted after their callbacks): see :func:`prospect_reader`.
    runs: int = 0
    #: The language everything is shown in (``lang=id`` in the address bar).
    lang: Language = i18n.DEFAULT


# --- the session ------------------------------------------------------------------------


def _session() -> Session:
    ss = st.session_state
    if _SESSION not in ss:
        ss[_SESSION] = _from_link(st.query_params.to_dict())
    current: Session = ss[_SESSION]
    i18n.use(current.lang)  # this thread runs this session: speak its language
    return current


def _session_language() -> Language | None:
    """The language of the session whose script run this thread is (a widget's
    callback runs on a new thread before the script does), else ``None``."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    sess = st.session_state.get(_SESSION)
    return sess.lang if isinstance(sess, Session) else None


i18n.ambient(_session_language)


def _from_link(params: Mapping[str, str]) -> Session:
    """A new session as a link describes it: the scenario (on its preset), presenter
    mode, the workshop room; every parameter that could not be used is named."""
    sess = Session()
    lang = params.get("lang", i18n.DEFAULT)
    sess.lang = lang if i18n.is_language(lang) else i18n.DEFAULT
    i18n.use(sess.lang)
    notices = share.unknown_params(params)
    if not i18n.is_language(lang):
        notices.append(
            _(
                "lang: there is no language {value} (link parameter ignored). Languages: {known}."
            ).format(value=repr(clean_text(lang, 20)), known=", ".join(i18n.LANGUAGES))
        )
    presets = load_presets()
    preset_id: str | None = params.get("preset") or None
    if preset_id is not None and preset_id not in presets:
        notices.append(
            _(
                "preset: there is no preset {value} (link parameter ignored). Presets: {known}."
            ).format(value=repr(clean_text(preset_id, 40)), known=", ".join(presets))
        )
        preset_id = None
    base = presets[preset_id].scenario if preset_id else Scenario()
    if any(k in share.SCENARIO_PARAMS for k in params) or preset_id:
        s, problems = share.decode(params, base=base)
        if preset_id:
            label, args = (
                N_("the shared link ({preset} preset)"),
                {"preset": presets[preset_id].name},
            )
        else:
            label, args = N_("the shared link"), {}
        _load_into(sess, s, label, origin="link", preset_id=preset_id, label_args=args)
        notices += problems
    else:
        _load_into(sess, Scenario(), N_("the model's defaults"), origin="defaults")
    sess.notices = notices
    accent = params.get("accent", DEFAULT_ACCENT)
    sess.presenter = Presenter(
        prospect=clean_text(params.get("prospect", ""), 80),
        accent=accent if _HEX.match(accent) else DEFAULT_ACCENT,
        presenting=params.get("present") == "1",
    )
    sess.workshop = Workshop(
        room=params.get("room", "")[:12],
        token=params.get("token", "")[:80],
        view=params.get("view", "")[:80],
        team_secret=params.get("team", "")[:80],
    )
    return sess


def _load_into(
    sess: Session,
    s: Scenario,
    label: str,
    *,
    origin: Origin,
    preset_id: str | None = None,
    notes: Mapping[str, str] | None = None,
    label_args: Mapping[str, str] | None = None,
) -> None:
    sess.scenario = sess.baseline = s
    sess.baseline_result = evaluate(s)
    sess.baseline_label, sess.baseline_args = label, dict(label_args or {})
    sess.origin = origin
    sess.preset_id = preset_id
    sess.notes = dict(notes or {})
    sess.declared = s.uncertainty
    sess.held, sess.pending, sess.problems = {}, {}, []


def _forget_widgets() -> None:
    """Drop every scenario widget's key: each reseeds from the session when drawn."""
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(_FIELD)]:
        del ss[key]
    sess = _session()
    sess.generation += 1
    sess.items_base = None


# --- page life cycle --------------------------------------------------------------------


def frame() -> None:
    """What app.py, the frame, does first: the session exists and went through it."""
    _session().framed = True


def _leave_legacy_pages_mode() -> None:
    """A deep link (``/workshop?room=…``) opened before the app's frame has ever run
    on this server makes Streamlit treat ``pages/`` the legacy (v1) way: the page
    runs alone, without ``app.py``'s navigation, layout and theme. Turn that off
    and run again through ``app.py``, which routes to the same page and link."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not _session().framed:  # this session never went through app.py
            st.rerun()


def page_start(kind: Literal["scenario", "workshop"] = "scenario") -> None:
    """What every page does first: the session exists, and the address bar is
    this page's link (the share link, or the workshop room's)."""
    _leave_legacy_pages_mode()
    sess = _session()
    sess.app_rerun = False  # a full run is under way
    sess.runs += 1  # callbacks of this run have been applied
    publish(kind)


def fragment_start() -> None:
    """What a fragment does first: honour a change that needs the whole page (a
    load from inside the fragment). The address bar is written at its end
    (:func:`fragment_end`)."""
    sess = _session()
    if sess.app_rerun:
        sess.app_rerun = False
        st.rerun(scope="app")
    sess.runs += 1


def fragment_end(kind: Literal["scenario", "workshop"] = "scenario") -> None:
    """What a fragment does last: keep the address bar this page's link.

    Last, not first: a changed address makes the browser redraw the whole page;
    written before the KPIs, that redraw came first and held back each slider
    move's new figures (``bench/bench_ui.py``)."""
    publish(kind)


def moved(to: str) -> None:
    """An old address of a renamed page (``/calibrate`` is now ``/evidence``): the
    session is loaded from the link as on any page, then the new page opens with the
    same link, so bookmarks and shared links keep working."""
    _session()
    st.switch_page(to, query_params=st.query_params.to_dict())


def request_app_rerun() -> None:
    """From a callback inside a fragment: the change needs the whole page redrawn."""
    _session().app_rerun = True


def publish(kind: Literal["scenario", "workshop"] = "scenario") -> None:
    """Write the address bar from the session (validated values only): the share
    link of the scenario with presenter mode, or the workshop room's link."""
    sess = _session()
    wanted: dict[str, str]
    if kind == "workshop":
        w = sess.workshop
        wanted = {"room": w.room} if w.room else {}
        secret = ("token", w.token) if w.token else ("view", w.view) if w.view else None
        if w.team_secret and not secret:
            secret = ("team", w.team_secret)
        if w.room and secret:
            wanted[secret[0]] = secret[1]
    else:
        wanted = share.encode(sess.scenario, base=_preset_base(sess), preset_id=sess.preset_id)
        p = sess.presenter
        if p.presenting:
            wanted["present"] = "1"
            if p.prospect:
                wanted["prospect"] = p.prospect
            if p.accent != DEFAULT_ACCENT:
                wanted["accent"] = p.accent
    if sess.lang != i18n.DEFAULT:
        wanted["lang"] = sess.lang
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def link(*, page: str = "", anchor: str = "") -> str:
    """The share link of the scenario on screen, to ``page`` (its URL path, e.g.
    ``"methodology"``; empty for the page shown) with an optional ``#anchor``."""
    sess = _session()
    url = st.context.url or "http://localhost:8501/"
    if page:
        url = share.page_url(url, page)
    return share.link(
        url,
        sess.scenario,
        base=_preset_base(sess),
        preset_id=sess.preset_id,
        anchor=anchor,
        lang=sess.lang,
    )


# --- reading ----------------------------------------------------------------------------


def scenario() -> Scenario:
    """The current valid scenario: every figure on screen is its."""
    return _session().scenario


def baseline() -> tuple[Scenario, Result]:
    """The starting point and its result (KPI changes compare against it)."""
    sess = _session()
    if sess.baseline_result is None:
        sess.baseline_result = evaluate(sess.baseline)
    return sess.baseline, sess.baseline_result


def baseline_label() -> str:
    """What the starting point is ("the telecom preset"), in the language being spoken."""
    sess = _session()
    label = _(sess.baseline_label)
    # a preset's name is the product's text (translated); a file's or a saved name is data
    args = {k: _(v) if k == "preset" else v for k, v in sess.baseline_args.items()}
    return label.format(**args) if args else label


def preset_id() -> str | None:
    return _session().preset_id


def preset() -> Preset | None:
    """The preset the values came from, if any (for its sources)."""
    return load_presets().get(_session().preset_id or "")


def _preset_base(sess: Session) -> Scenario:
    found = load_presets().get(sess.preset_id or "")
    return found.scenario if found else Scenario()


def changed_fields() -> list[str]:
    """The numeric fields whose value differs from the preset's (or the model's
    default, without a preset): what the user changed."""
    sess = _session()
    base = _preset_base(sess)
    return [p for p in NUMERIC_FIELDS if get_value(sess.scenario, p) != get_value(base, p)]


def notes() -> dict[str, str]:
    """Where values set by an action came from: ``{path: note}``."""
    return dict(_session().notes)


def problems() -> list[str]:
    """Why the controls' current values are not applied (empty when they are)."""
    return list(_session().problems)


def notices() -> list[str]:
    """Problems found while loading (a link's bad parameters, a file)."""
    return list(_session().notices)


def stretches() -> list[Stretch]:
    """Ranges stretched past what was declared, to hold a value moved outside."""
    sess = _session()
    return [
        Stretch(path, (d.low, d.high), (r.low, r.high))
        for path, d in sess.declared.items()
        if (r := sess.scenario.uncertainty.get(path)) is not None
        and (r.low, r.high) != (d.low, d.high)
    ]


def presenter() -> Presenter:
    return _session().presenter


def presenting() -> bool:
    return _session().presenter.presenting


def projecting() -> bool:
    """The projector view of a room is open: a screen for the room, without the
    app's navigation."""
    w = _session().workshop
    return bool(w.room and w.view and not w.token)


def workshop() -> Workshop:
    return _session().workshop


def compared() -> list[tuple[str, Scenario]]:
    """The named scenarios kept for comparison in this session (a copy)."""
    return list(_session().compared)


def undo_label() -> str | None:
    """What the last undoable change was, if it can still be undone."""
    kept = _session().undo
    return None if kept is None else kept[1]


def owner_key() -> str:
    """This session's secret key: it owns the scenarios saved from it."""
    return _session().owner_key


def take_flash(where: str = "") -> list[tuple[Kind, str]]:
    """One-shot messages for this run at ``where`` (a part of a page; "" for the
    top), then gone."""
    sess = _session()
    out = [(kind, text) for place, kind, text in sess.flash if place == where]
    sess.flash = [m for m in sess.flash if m[0] != where]
    return out


def prospect_reader(*, settle: float = 0.5) -> Callable[[], str]:
    """A function giving the prospect's name as the session holds it *when called*:
    for a download built on click, outside the page's run.

    Typing a name and clicking a download at once sends two things: the field's
    new value (a rerun whose callback stores it) and the download request, which
    Streamlit may serve first. So the function first waits, at most ``settle``
    seconds, for a page run to start after it was called — that run has applied
    the field's value — then reads the name."""
    sess = _session()

    def read() -> str:
        seen, deadline = sess.runs, time.monotonic() + settle
        while sess.runs == seen and time.monotonic() < deadline:
            time.sleep(0.02)
        return sess.presenter.prospect

    return read


def client() -> str:
    """Who is asking, for the store's rate limits: the first address of
    ``X-Forwarded-For`` (set by the proxy in front of the app), else the peer's,
    plus this browser session. A whole conference behind one public address is
    not one client: one person's mistyped room codes must not lock the room out
    for everyone (docs/deploy.md, "Rate limits")."""
    forwarded = st.context.headers.get("X-Forwarded-For", "") if st.context.headers else ""
    address = (forwarded.split(",", 1)[0].strip() or st.context.ip_address or "")[:45]
    session = hashlib.sha256(_session().owner_key.encode()).hexdigest()[:12]
    return f"{address}#{session}"


def value(key: str, default: Any = None) -> Any:
    """A widget's current value by its key (for a callback reading a field typed
    just before its button was clicked)."""
    return st.session_state.get(key, default)


# --- bindings: widgets as views of the session -------------------------------------------


def _shown(sess: Session, path: str) -> Any:
    if path == "name":  # the product's own names in the language spoken
        return shown_name(str(sess.pending.get(path, sess.scenario.name)))
    if path == "business.currency":
        return sess.pending.get(path, str(sess.scenario.business.currency))
    spec = NUMERIC_FIELDS[path]
    return editor.display_value(spec, sess.pending.get(path, get_value(sess.scenario, path)))


Param = Literal["value", "index", "default", "expanded"]


def _seeded(
    key: str,
    value: Any,
    *,
    param: Param = "value",
    options: Sequence[Any] | None = None,
    always: bool = False,
    fallback: Any = None,
) -> dict[str, Any]:
    """``key=`` and the widget's own default parameter, both from ``value``.

    The key is seeded from the session when the widget was not on screen (or
    ``always``), and the default (``value=``, ``index=``, ``default=``,
    ``expanded=``) carries the same value: a widget that comes back after runs
    without it (a closed group, presenter mode) is rebuilt by the browser from its
    default, so the two must agree or the browser sends the default back as a
    change. A value not among ``options`` (the options changed) becomes
    ``fallback``, or the first option.
    """
    if options is not None:
        if value is not None and value not in options:
            value = fallback if fallback in options else (options[0] if options else None)
            always = True
        live = st.session_state.get(key, value)
        always = always or (live is not None and live not in options)
    if always or key not in st.session_state:
        st.session_state[key] = value
    if param == "index":
        assert options is not None
        shown: Any = None if value is None else list(options).index(value)
    else:
        shown = value
    return {"key": key, param: shown}


def bind(path: str, *, options: Sequence[str] | None = None) -> dict[str, Any]:
    """``key=``, ``on_change=``, ``args=`` and ``value=`` (``index=`` among
    ``options``, for a picker) for the control of a scenario field (a numeric
    path, ``"name"`` or ``"business.currency"``), seeded from the session."""
    param: Param = "value" if options is None else "index"
    binding = _seeded(_FIELD + path, _shown(_session(), path), param=param, options=options)
    return binding | {"on_change": _on_field, "args": (path,)}


def _on_field(path: str) -> None:
    shown = st.session_state.get(_FIELD + path)
    if path in _TEXT_FIELDS:
        text = "" if shown is None else str(shown)
        apply_values({path: stored_name(text) if path == "name" else text}, from_widget=True)
        return
    spec = NUMERIC_FIELDS[path]
    if shown is None:  # a number input cleared: keep the value, say why
        _session().problems = [_("{field}: a number is needed").format(field=path)]
        return
    apply_values({path: editor.model_value(spec, shown)}, from_widget=True)


def choice(name: str, default: Any = None) -> Any:
    """A page choice's current value (the widget's, if it is live; else the last
    one the session kept; else ``default``)."""
    key = _CHOICE + name
    if key in st.session_state:
        return st.session_state[key]
    return _session().ui.get(name, default)


def bind_choice(
    name: str, default: Any, *, param: Param = "value", options: Sequence[Any] | None = None
) -> dict[str, Any]:
    """``key=``, ``on_change=`` and the widget's default parameter (``param``:
    ``value``, ``index`` among ``options``, ``default`` or ``expanded``) for a page
    choice (a tab, a draw count, a picker), kept in the session across pages."""
    value = _session().ui.get(name, default)
    binding = _seeded(_CHOICE + name, value, param=param, options=options, fallback=default)
    return binding | {"on_change": _on_choice, "args": (name,)}


def _on_choice(name: str) -> None:
    _session().ui[name] = st.session_state.get(_CHOICE + name)


def lang() -> Language:
    """The session's language."""
    return _session().lang


def bind_language() -> dict[str, Any]:
    """``key=``, ``default=`` and ``on_change=`` for the language switch."""
    binding = _seeded("ui.lang", _session().lang, param="default", options=list(i18n.LANGUAGES))
    return binding | {"on_change": _on_language}


def _on_language() -> None:
    chosen = st.session_state.get("ui.lang")  # required=True: never None
    sess = _session()
    if i18n.is_language(chosen):
        sess.lang = chosen
        i18n.use(chosen)
        # Every text on the page changes. A click that lands while a fragment's rerun
        # is pending (a field committed as the pointer left it) can run with that
        # fragment's rerun only: the fragment then reruns the whole page.
        sess.app_rerun = True
        # Fields showing the product's own names (the model's default scenario name,
        # a preset's) reseed in the new language; what was typed is already kept.
        for key in (_FIELD + "name", _CHOICE + "saved.name"):
            st.session_state.pop(key, None)


def bind_presenter(attr: Literal["prospect", "accent"]) -> dict[str, Any]:
    """``key=``, ``on_change=`` and ``value=`` for the prospect's name or the
    accent colour."""
    binding = _seeded(f"presenter.{attr}", getattr(_session().presenter, attr))
    return binding | {"on_change": _on_presenter, "args": (attr,)}


def _on_presenter(attr: str) -> None:
    sess = _session()
    raw = str(st.session_state.get(f"presenter.{attr}") or "")
    if attr == "accent":
        sess.presenter = replace(sess.presenter, accent=raw if _HEX.match(raw) else DEFAULT_ACCENT)
    else:
        sess.presenter = replace(sess.presenter, prospect=clean_text(raw, 80).strip())


def bind_preset(options: Sequence[str]) -> dict[str, Any]:
    """``key=``, ``index=`` and ``on_change=`` for the preset picker: it shows the
    preset the values came from, "defaults", or nothing (a file, a link…)."""
    sess = _session()
    shown = sess.preset_id or ("defaults" if sess.origin == "defaults" else None)
    binding = _seeded("w.preset.picker", shown, param="index", options=options, always=True)
    return binding | {"on_change": _on_preset}


def _on_preset() -> None:
    chosen = st.session_state.get("w.preset.picker")
    if chosen is None:
        return
    load_preset(str(chosen))


# --- writing: the scenario ---------------------------------------------------------------


def apply_values(
    values: Mapping[str, Any],
    *,
    note: str | None = None,
    widen: bool = False,
    from_widget: bool = False,
) -> bool:
    """Set fields (model units; ``"name"`` and ``"business.currency"`` too) on the
    current scenario. Ranges stretch to hold a value moved outside them (see
    :func:`stretches`), or, with ``widen``, are declared wider. When the result
    breaks a rule it is not applied: :func:`problems` says why and the
    values wait for a partner (the other deflection share) to make them valid.
    ``note`` records where the values came from; without one, a value set by hand
    loses its note. Values not typed into their own control (``from_widget``
    False) make those controls reseed. Returns whether the scenario changed."""
    sess = _session()
    proposed = {**sess.pending, **values}
    data = sess.scenario.model_dump(mode="json")
    for path, v in proposed.items():
        if path == "name":
            data["name"] = v or sess.scenario.name
        elif "." in path:
            group, name = path.split(".")
            data[group][name] = v
    declared = sess.declared
    numbers = {p: float(v) for p, v in proposed.items() if p in NUMERIC_FIELDS}
    if widen:
        declared, _stretched = stretch(declared, numbers)
    current = {p: float(data[p.split(".")[0]][p.split(".")[1]]) for p, _range in declared.items()}
    held_ranges, stretched = stretch(declared, current)
    data["uncertainty"] = held_ranges.model_dump(mode="json")
    try:
        new = scenario_from_dict(data)
    except ScenarioError as exc:
        sess.problems = list(exc.problems)
        sess.pending = proposed
        return False
    before = sess.scenario
    for s in stretched:
        sess.held.setdefault(s.path, get_value(before, s.path))
    for path in [p for p in sess.held if p not in {s.path for s in stretched}]:
        del sess.held[path]
    sess.scenario, sess.declared = new, declared
    sess.pending, sess.problems = {}, []
    for path in proposed:
        if note:
            sess.notes[path] = note
        else:
            sess.notes.pop(path, None)
        if not from_widget:
            st.session_state.pop(_FIELD + path, None)
    return True


def replace_scenario(
    s: Scenario, *, what: str | None = None, notes: Mapping[str, str] | None = None
) -> None:
    """Make ``s`` the current scenario (an analysis or a calibration changed it);
    the starting point and provenance stay. With ``what``, the change can be
    undone once (:func:`undo`)."""
    sess = _session()
    if what is not None:
        sess.undo = (sess.scenario, what)
    sess.scenario, sess.declared = s, s.uncertainty
    sess.held, sess.pending, sess.problems = {}, {}, []
    sess.notes.update(notes or {})
    _forget_widgets()


def undo() -> None:
    sess = _session()
    if sess.undo is not None:
        kept, _what = sess.undo
        sess.undo = None
        replace_scenario(kept)


def load(
    s: Scenario,
    label: str,
    *,
    origin: Origin,
    preset_id: str | None = None,
    notes: Mapping[str, str] | None = None,
    label_args: Mapping[str, str] | None = None,
) -> None:
    """Make ``s`` the current scenario AND the starting point (a preset, a file, a
    saved scenario, a room, the 60-second case); every control follows it.

    ``label`` says what it is, for people; with ``label_args`` it is an English
    template (marked ``N_``) translated and filled in whenever it is shown."""
    sess = _session()
    _load_into(
        sess, s, label, origin=origin, preset_id=preset_id, notes=notes, label_args=label_args
    )
    sess.notices, sess.undo = [], None
    _forget_widgets()


def load_preset(preset_id: str) -> None:
    """Start from an industry preset (``"defaults"``: the model's defaults)."""
    if preset_id == "defaults":
        load(Scenario(), N_("the model's defaults"), origin="defaults")
        return
    chosen = load_presets().get(preset_id)
    if chosen is not None:
        load(
            chosen.scenario,
            N_("the {preset} preset"),
            origin="preset",
            preset_id=chosen.id,
            label_args={"preset": chosen.name},
        )


def reset() -> None:
    """Back to the starting point, with its provenance."""
    sess = _session()
    load(
        sess.baseline,
        sess.baseline_label,
        origin=sess.origin,
        preset_id=sess.preset_id,
        label_args=sess.baseline_args,
    )


def items_editor() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The line-item editor's starting rows and its ``key=`` / ``on_change=``: an
    edit goes into the scenario from the editor's callback."""
    sess = _session()
    if sess.items_base is None:
        sess.items_base = editor.items_rows(sess.scenario)
    key = f"items.{sess.generation}"
    return sess.items_base, {"key": key, "on_change": _on_items, "args": (key,)}


def _on_items(key: str) -> None:
    sess = _session()
    rows = editor.apply_edits(sess.items_base or [], st.session_state.get(key))
    data = sess.scenario.model_dump(mode="json")
    data["other_items"] = editor.items_from_rows(rows)
    try:
        sess.scenario = scenario_from_dict(data)
        sess.problems = []
    except ScenarioError as exc:
        sess.problems = list(exc.problems)


def set_ranges(s: Scenario, *, what: str | None = None) -> None:
    """The ranges of ``s`` become the declared ones (the ranges editor, "±25 %",
    "from the preset", "clear")."""
    replace_scenario(s, what=what)


def keep_stretch(path: str) -> None:
    """Declare a stretched range as it now stands."""
    sess = _session()
    ranges = {p: (r.low, r.high) for p, r in sess.declared.items()}
    now = sess.scenario.uncertainty.get(path)
    if now is not None:
        ranges[path] = (now.low, now.high)
        sess.declared = uncertainty_of(ranges)
    sess.held.pop(path, None)


def undo_stretch(path: str) -> None:
    """Put a field moved past its range back where it was; the range is as declared."""
    sess = _session()
    before = sess.held.get(path)
    if before is not None:
        apply_values({path: before})


# --- writing: the rest --------------------------------------------------------------------


def dismiss_notices() -> None:
    """The link's notices have been read."""
    _session().notices = []


def flash(kind: Kind, text: str, *, where: str = "") -> None:
    """A message shown once on the next run (e.g. from a callback), at ``where``."""
    _session().flash.append((where, kind, text))


def set_presenting(on: bool) -> None:
    """Presenter mode on or off; the page frame changes, so the whole app reruns."""
    sess = _session()
    sess.presenter = replace(sess.presenter, presenting=on)
    request_app_rerun()


def set_logo(logo: bytes | None) -> None:
    sess = _session()
    sess.presenter = replace(sess.presenter, logo=logo)


def set_workshop(
    *, room: str = "", token: str = "", view: str = "", team_secret: str = "", team: str = ""
) -> None:
    """Who this session is in a room now (nobody, with no arguments)."""
    _session().workshop = Workshop(
        room=room, token=token, view=view, team_secret=team_secret, team=team
    )


def team_loaded(team: str) -> None:
    """The team's case is now the session's scenario (do not load it again)."""
    sess = _session()
    sess.workshop = replace(sess.workshop, team=team, loaded=True)


def add_compared(name: str, s: Scenario, *, limit: int = 4) -> str | None:
    """Keep ``s`` under ``name`` (made unique); a sentence saying why not, if full."""
    kept = _session().compared
    if len(kept) >= limit:
        return _("At most {limit} scenarios: remove one first.").format(limit=limit)
    names = {n for n, _kept in kept}
    base, i = (clean_text(name, 60).strip() or _("Scenario")), 2
    unique = base
    while unique in names:
        unique, i = f"{base} ({i})", i + 1
    kept.append((unique, s))
    return None


def remove_compared(index: int) -> None:
    kept = _session().compared
    if 0 <= index < len(kept):
        del kept[index]


def clear_compared() -> None:
    _session().compared.clear()


def editor_key(name: str) -> str:
    """A data editor's key: new whenever the scenario was replaced under it, so it
    starts again from the session's values."""
    return f"{name}.{_session().generation}"


def editor_edits(key: str) -> Mapping[str, Any] | None:
    """A data editor's pending edits (its delta) by key, for a button's callback."""
    edits: Mapping[str, Any] | None = st.session_state.get(key)
    return edits


def mirror(key: str, current: Any) -> dict[str, Any]:
    """``key=`` and ``value=`` for a widget that shows a value kept outside the
    session (a room's lock in the store): set on every run, so it always shows it."""
    return _seeded(key, current, always=True)

"""Fuzzing the app through its links: any link opens every page soundly.

A link is the one input anyone can craft and send to a prospect. Hypothesis builds
query strings that mix valid values (inside, at and just past each field's bounds,
around its typical maximum, every field at its largest), hostile ones
(``1.8e307``, 400-digit counts, ``nan``, ``-0.0``, Markdown links and images,
spreadsheet formulas, HTML, control characters, 10,000 characters), misspelt and
unknown keys, junk and deeply nested JSON for ``items`` and ``ranges``, real and
junk presets, presenter mode with a hostile prospect and accent, workshop
``room``/``token`` junk (and a real room, whose name is hostile), repeated keys,
a third of the links in Bahasa Indonesia (``lang=id``; ``lang`` junk too),
and the share links of valid scenarios. :func:`test_dashboard_opens_any_link_soundly`
opens each on the dashboard, with a random tab and control groups open;
:func:`test_every_page_opens_any_link_soundly` opens each on the dashboard and then
switches to another page, or opens that page straight from the link (a deep link),
with a random tab of the risk page. 300 + 200 generated links, ~700 page states,
plus the explicit examples: about a minute on an idle two-core machine.

Every state must satisfy (:func:`problems_of`):

* no exception on the page;
* no ``nan``, ``inf``, ``1e+06``-style scientific notation, traceback or Python
  internals in a metric, an alert, a caption, a label, Markdown or plain text (the
  link's own text, quoted back in a message, is taken out first);
* text from the link never renders as a Markdown link, image or autolink, nor as a
  construct (``**bold**``, ``# heading``) where the page renders Markdown, and never
  reaches the page's raw HTML;
* the session's scenario validates, and every number in it is finite and within
  its field's bounds; the share link of a valid scenario opens as exactly it;
* on the first page opened, every link parameter either took effect or is named
  in what the page says (a misspelt key by its name).

Known bugs (:data:`KNOWN`) are pinned by strict xfails on their minimal links
(:func:`test_known_bug_is_still_there`); the fuzz tests tolerate only the problem
lines those match, so anything else still fails, and a fixed bug turns its xfail
into a failure that says to drop the entry.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from app_support import current
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scenario_strategies import other_items, scenario_dicts
from streamlit.testing.v1 import AppTest

from roi_core import NUMERIC_FIELDS, Scenario, i18n, scenario_from_dict
from roi_core.errors import printable
from roi_core.scenario import RANGEABLE_GROUPS, get_value
from roi_ui import cache, share
from roi_ui.presets import load_presets
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common
from roi_ui.widgets.dashboard import MORE_INPUTS

APP = Path(__file__).resolve().parents[2] / "app.py"

Params = dict[str, str | list[str]]

#: Pages reached with ``at.switch_page`` after the dashboard.
PAGES = ("risk", "compare", "methodology", "workshop", "evidence")
DASHBOARD_TABS = (
    "Year by year (TEI)",
    "Monthly benefits and costs",
    "Revenue impact",
    "Assumptions and sources",
    "Save, load and share",
    "Present",
)
RISK_TABS = ("Ranges", "Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment")
CONTROL_GROUPS = tuple(MORE_INPUTS)

PRESET_IDS = tuple(load_presets())
KNOWN_KEYS = share.SCENARIO_PARAMS | share.APP_PARAMS
#: Stand-ins for the code and facilitator token of the module's workshop room (its
#: name is hostile), replaced by the real ones when a link is opened.
ROOM, TOKEN = "@ROOM", "@TOKEN"
_ROOM: dict[str, str] = {}


# --- one state to open --------------------------------------------------------------------


def _short(value: str) -> str:
    if len(value) <= 200:
        return repr(value)
    return f"<{len(value):,} chars: {value[:60]!r}…{value[-20:]!r}>"


@dataclass
class Case:
    """A link, and what to look at after opening it."""

    params: Params
    page: str | None = None  # None: the dashboard only
    #: Open the page straight from the link (``/risk?…``), not after the dashboard.
    deep: bool = False
    dashboard_tab: str = DASHBOARD_TABS[0]
    groups: tuple[str, ...] = ()  # dashboard control groups opened
    risk_tab: str = RISK_TABS[0]
    #: The link encodes this scenario exactly (share.encode of a valid scenario).
    exact: Scenario | None = field(default=None, repr=False)

    def url(self) -> str:
        """The link as opened (a deep link keeps its page in the path)."""
        query = urlencode(self.params, doseq=True)
        return f"/{self.page if self.deep and self.page else ''}?{query}"

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{_short(k)}: "
            + (f"[{', '.join(_short(x) for x in v)}]" if isinstance(v, list) else _short(v))
            for k, v in self.params.items()
        )
        return (
            f"Case({{{shown}}}, page={self.page!r}, deep={self.deep!r}, "
            f"dashboard_tab={self.dashboard_tab!r}, groups={self.groups!r}, "
            f"risk_tab={self.risk_tab!r})"
        )


def _last(value: str | list[str]) -> str:
    """What the app reads for a repeated key: the last value (st.query_params)."""
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


# --- strategies ---------------------------------------------------------------------------

#: Hostile values from the issue and from fuzzing: numbers past every bound, words
#: for non-numbers, Markdown, formulas, HTML, control characters, very long text.
HOSTILE_NUMBERS = (
    "1.8e307", "1e26", "9" * 400, "1" + "0" * 400, "-" + "9" * 400, "9" * 5000, "1e308",
    "-1e308", "1e309", "-0.0", "-0", "+0", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
    "1e-400", "5e-324", "0x1A", "1_000", "١٢٣", "\uff11\uff12", " 7 ", "", " ", "1e", ".", "1,5",
    "12.0", "1e2", "120.0000000000001",
)  # fmt: skip
HOSTILE_TEXT = (
    "[Session expired, sign in](https://evil.example/login)",
    "![x](https://evil.example/x.png)",
    "**bold**",
    "# heading",
    '=HYPERLINK("http://x","y")',
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](//ev.il)",
    "![](//e.il/)",
    "http://ev.il",
    "www.evil.example",
    "a@evil.example",
    "<https://evil.example>",
    ":red[alarm] :material/warning:",
    "$x^2$",
    "`code`",
    "~~gone~~",
    "> quoted\n# heading\n- item",
    "a\x00b\x1b[31mred\x7f\x85\u202eevil",
    "\t\n\r",
    "'; DROP TABLE rooms;--",
    "%00%0A",
    "x" * 10_000,
    "[" * 10_000,
)
HOSTILE = HOSTILE_NUMBERS + HOSTILE_TEXT

#: Characters for free text: letters, digits, Markdown and HTML syntax, quotes,
#: controls, bidi overrides and a few non-ASCII letters.
_ALPHABET = (
    string.ascii_letters[:12] + string.digits + "[]()!*#_`~<>:$&=+-.,;'\"\\/| " + "\x00\x07\x1b\x7f"
    + "\x85\u202e\u2066\u00e9\u20ac\u4e2d\U0001f600\n\t"
)  # fmt: skip
free_text = st.text(_ALPHABET, max_size=40)

#: Short Markdown constructs (a room code keeps 12 characters: these fit).
_md_part = st.text(string.ascii_lowercase + " ", min_size=1, max_size=6)
markdown_text = st.one_of(
    st.builds("[{}](https://{}.example/{})".format, _md_part, _md_part, _md_part),
    st.builds("![{}](//{}.il)".format, _md_part, _md_part),
    st.builds("[{}](//{}.il)".format, _md_part, _md_part),
    st.builds("**{}**".format, _md_part),
    st.builds("# {}".format, _md_part),
    st.builds("http://{}.il".format, _md_part),
)
any_text = st.one_of(free_text, markdown_text, st.sampled_from(HOSTILE))


def _spell_float(x: float) -> st.SearchStrategy[str]:
    spellings = [repr(x), f"{x:.17g}", f"{x:e}", f" {x!r} ", f"+{x!r}", repr(x).upper()]
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e20:
        spellings += [str(int(x)), f"{int(x):_}", f"{x:.1f}"]
    return st.sampled_from(spellings)


def _spell_int(n: int) -> st.SearchStrategy[str]:
    spellings = [str(n), f"{n}.0", f"+{n}", f" {n} ", f"{n:_}"]
    if abs(n) < 10**300:
        spellings.append(f"{float(n):e}")
    return st.sampled_from(spellings)


def number_text(path: str) -> st.SearchStrategy[str]:
    """A value for a numeric field as a link spells it: inside its bounds, at them,
    just past them, around its typical maximum, anywhere, or hostile."""
    spec = NUMERIC_FIELDS[path]
    upper = spec.upper
    typical = spec.typical_max if spec.typical_max is not None else upper
    edges = [
        spec.low,
        upper,
        spec.default,
        typical,
        math.nextafter(spec.low, -math.inf),
        math.nextafter(upper, math.inf),
        upper * 10,
        -upper,
        typical * 1.5,
    ]
    if spec.is_int:
        lo, hi = int(spec.low), int(upper)
        ints = st.one_of(
            st.integers(lo, hi),
            st.integers(lo, min(hi, int(spec.default) * 4 + 10)),
            st.sampled_from([lo, hi, lo - 1, hi + 1, int(spec.default), -hi, 10**400]),
            st.integers(),
        )
        inside: st.SearchStrategy[str] = ints.flatmap(_spell_int)
    else:
        floats = st.one_of(
            st.floats(spec.low, upper),
            st.floats(spec.low, typical),
            st.sampled_from(edges),
            st.floats(allow_nan=True, allow_infinity=True),
        )
        inside = floats.flatmap(_spell_float)
    return st.one_of(inside, inside, inside, st.sampled_from(HOSTILE_NUMBERS), any_text)


def _json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=True)


_json_junk = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | free_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(free_text, inner, max_size=3),
    max_leaves=8,
).map(_json)
_deep = st.sampled_from(
    ["[" * 3000 + "]" * 3000, "{" + '"a":{' * 3000 + "}" * 3001, "[" * 200 + "]" * 200]
)
_broken = st.sampled_from(["[not json", "{", "", "null", "1e400", '{"levers":', "[1e400]"])


@st.composite
def _ranges(draw: st.DrawFn) -> dict[str, Any]:
    """Uncertainty ranges, mostly valid, sometimes reversed or past a bound."""
    out: dict[str, Any] = {}
    paths = [p for p, s in NUMERIC_FIELDS.items() if s.group in RANGEABLE_GROUPS]
    for path in draw(st.lists(st.sampled_from(paths), max_size=4, unique=True)):
        group, name = path.split(".")
        spec = NUMERIC_FIELDS[path]
        top = spec.typical_max if spec.typical_max is not None else min(spec.upper, 1e6)
        a = draw(st.floats(spec.low, top) | st.sampled_from([spec.low, spec.upper, -1.0, 1e308]))
        b = draw(st.floats(spec.low, top) | st.sampled_from([spec.upper, a, a * 2]))
        low, high = (a, b) if draw(st.integers(0, 4)) else (b, a)
        out.setdefault(group, {})[name] = {"low": low, "high": high}
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.sampled_from(["finance", "nonsense", "levers"]))] = {
            draw(free_text): {"low": 0, "high": 1}
        }
    return out


items_json = st.one_of(
    st.lists(other_items(), max_size=3).map(_json),
    st.lists(other_items(), max_size=2).map(
        lambda items: _json([{**i, "amount": 1e308} for i in items] or [{"name": "x"}])
    ),
    _json_junk,
    _deep,
    _broken,
    st.sampled_from(HOSTILE_TEXT),
)
ranges_json = st.one_of(_ranges().map(_json), _json_junk, _deep, _broken, st.just("{}"))
currencies = st.sampled_from(["EUR", "JPY", "KWD", "IDR", "CHF", "usd", "XXX", "EURO", "€", ""])
accents = st.sampled_from(
    ["#0F766E", "#ff0000", "#FFF", "red", "#12345G", "#0F766E;}</style><script>alert(1)</script>"]
)


def value_for(key: str) -> st.SearchStrategy[str]:
    if key in NUMERIC_FIELDS:
        return number_text(key)
    if key in ("name", "description", "prospect", "team"):
        return any_text
    if key == "business.currency":
        return currencies | any_text
    if key == "items":
        return items_json
    if key == "ranges":
        return ranges_json
    if key == "preset":
        return st.sampled_from([*PRESET_IDS, "defaults", "TELECOM", "telecom ", ""]) | any_text
    if key == "present":
        return st.sampled_from(["1", "0", "true", ""]) | any_text
    if key == "accent":
        return accents | any_text
    if key == "room":
        return st.sampled_from([ROOM, ROOM.lower(), f" {ROOM} ", "ABC123", ""]) | any_text
    if key == "token":
        return st.sampled_from([TOKEN, TOKEN + "x", ""]) | any_text
    if key == "lang":
        return st.sampled_from([*i18n.LANGUAGES, "ID", "fr", ""]) | any_text
    return any_text


def _misspell(key: str, at: int, how: str, char: str) -> str:
    i = at % len(key)
    if how == "drop":
        return key[:i] + key[i + 1 :]
    if how == "double":
        return key[:i] + key[i] + key[i:]
    if how == "swap" and i + 1 < len(key):
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if how == "upper":
        return key.upper()
    return key[:i] + char + key[i + 1 :]


misspelt_keys = st.builds(
    _misspell,
    st.sampled_from(sorted(KNOWN_KEYS)),
    st.integers(0, 40),
    st.sampled_from(["drop", "double", "swap", "upper", "replace"]),
    st.sampled_from(string.ascii_lowercase + "._"),
).filter(lambda k: k not in KNOWN_KEYS)
keys = st.one_of(
    st.sampled_from(sorted(share.SCENARIO_PARAMS)),
    st.sampled_from(sorted(share.SCENARIO_PARAMS)),
    st.sampled_from(sorted(share.APP_PARAMS)),
    misspelt_keys,
    free_text,
    st.sampled_from(HOSTILE_TEXT[:12]),
)


def _number(x: float, whole: bool) -> str:
    return str(int(x)) if whole else repr(x)


@st.composite
def links(draw: st.DrawFn) -> Params:
    """A whole link: random keys and values, sometimes on a preset, sometimes in
    presenter mode or a workshop room, sometimes with a repeated key."""
    params: Params = {}
    if draw(st.integers(0, 3)) == 0:
        params["preset"] = draw(value_for("preset"))
    for key in draw(st.lists(keys, max_size=6)):
        params[key] = draw(value_for(key))
    if draw(st.integers(0, 2)) == 0:  # a third of the links in Bahasa Indonesia
        params["lang"] = "id"
    if draw(st.integers(0, 5)) == 0:
        params["present"] = "1"
        params["prospect"] = draw(any_text)
        params["accent"] = draw(accents | any_text)
    if draw(st.integers(0, 6)) == 0:
        params["room"] = draw(value_for("room"))
        if draw(st.booleans()):
            params["token"] = draw(value_for("token"))
    if draw(st.integers(0, 3)) == 0:  # valid extremes: every figure at its largest
        for path in draw(st.lists(st.sampled_from(sorted(NUMERIC_FIELDS)), max_size=5)):
            spec = NUMERIC_FIELDS[path]
            ends = [spec.low, spec.upper, spec.typical_max or spec.upper]
            params[path] = _number(draw(st.sampled_from(ends)), spec.is_int)
    if params and draw(st.integers(0, 6)) == 0:
        key = draw(st.sampled_from(sorted(params)))
        params[key] = [draw(value_for(key)), _last(params[key])]
    return params


@st.composite
def exact_links(draw: st.DrawFn) -> tuple[Params, Scenario]:
    """The share link of a valid scenario (names and items included), as the app
    itself writes it: it must open as exactly that scenario."""
    data = draw(scenario_dicts())
    data["name"] = draw(st.text(_ALPHABET.replace("\x00", "").replace("\x07", ""), max_size=80))
    s = scenario_from_dict(_only_text(data))
    return dict(share.encode(s)), s


def _only_text(data: dict[str, Any]) -> dict[str, Any]:
    """The name without the control characters a scenario refuses."""
    data["name"] = "".join(c for c in data["name"] if c.isprintable() or c in "\t\n\r")
    data["name"] = data["name"].replace("\x85", "") or "Untitled scenario"
    return data


@st.composite
def cases(draw: st.DrawFn, *, pages: bool) -> Case:
    if draw(st.integers(0, 4)) == 0:
        params, exact = draw(exact_links())
    else:
        params, exact = draw(links()), None
    return Case(
        params=params,
        page=draw(st.sampled_from(PAGES)) if pages else None,
        deep=pages and draw(st.booleans()),
        dashboard_tab=draw(st.sampled_from(DASHBOARD_TABS)),
        groups=tuple(draw(st.lists(st.sampled_from(CONTROL_GROUPS), unique=True, max_size=6))),
        risk_tab=draw(st.sampled_from(RISK_TABS)),
        exact=exact,
    )


# --- opening a link -----------------------------------------------------------------------


class _Tracebacks(logging.Handler):
    """Streamlit logs an uncaught exception's traceback (the page shows it redacted:
    client.showErrorDetails = "none"); keep it for the failure message."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.seen.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture(scope="module")
def tracebacks() -> Iterator[_Tracebacks]:
    handler = _Tracebacks()
    logger = logging.getLogger("streamlit.error_util")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture(scope="module", autouse=True)
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An empty scenario store of the module's own (workshop rooms, saved scenarios)."""
    db = tmp_path_factory.mktemp("fuzz") / "roi.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROI_DATABASE_URL", f"sqlite:///{db}")
        cache.store.clear()
        created = cache.store().create_room(
            "[Session expired, sign in](https://evil.example/login) **now**",
            Scenario(),
            ["levers.retention_lift", "levers.save_rate"],
        )
        _ROOM.update({ROOM: created.room.code, TOKEN: created.token})
        yield
    cache.store.clear()


def _real(text: str) -> str:
    for stand_in, real in _ROOM.items():
        text = text.replace(stand_in, real)
    return text


def real_params(params: Params) -> Params:
    """The link with the room's real code and token in place of their stand-ins."""
    return {
        _real(k): [_real(x) for x in v] if isinstance(v, list) else _real(v)
        for k, v in params.items()
    }


def open_link(case: Case) -> AppTest:
    """The app opened at the case's link (on the dashboard, or on its page for a deep
    link), with the case's tabs and control groups seeded as the session keeps them,
    before the first run."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(real_params(case.params))
    if case.deep and case.page:
        at.switch_page(f"pages/{case.page}.py")
    at.session_state["ui.dashboard.tab"] = case.dashboard_tab
    at.session_state["ui.risk.tab"] = case.risk_tab
    at.session_state["ui.groups"] = list(case.groups)
    return at.run()


# --- what every state must satisfy --------------------------------------------------------

_JUNK = re.compile(
    r"\b(nan|-?inf|-?infinity)\b"  # a non-number as a word
    r"|(?<![\w.])\d+(?:\.\d+)?e[+-]\d"  # 1e+06, 1.5e-07
    r"|Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"  # a traceback
    r"|set_int_max_str_digits|\bsys\.\w+\(|object at 0x[0-9a-f]+",  # Python's own words
    re.IGNORECASE,
)
#: Markdown that renders as a link, an image or an autolink, unless escaped.
_MD_LINK = re.compile(
    r"(?<!\\)\]\("  # [text](url) and ![alt](url)
    r"|(?<![\\\w])(?:https?|ftp|javascript|mailto):(?!\\)"  # autolink literal / scheme
    r"|(?<![\\\w])www\.(?=\w)"  # GFM www. autolink
    r"|[\w+-]+@[\w-]+\.(?=[a-z])"  # GFM e-mail autolink
    r"|<[a-z]+:[^>\s]*>",  # <https://…>
    re.IGNORECASE,
)
#: A Markdown construct in the link's text: it must never reach rendered Markdown verbatim.
_MD_CONSTRUCT = re.compile(
    r"\[[^\]\n]*\]\([^)\n]*\)|\*\*[^*\n]+\*\*|(?:^|\n)#{1,6} \S|<[a-z]+[\s>/]|`[^`\n]+`"
    r"|:[a-z]+\[|\$[^$\n]+\$|~~[^~\n]+~~|https?://\w|www\.\w",
    re.IGNORECASE,
)
_MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader")
_ALERT_KINDS = ("error", "warning", "info", "success")


def _strings_in_json(data: Any, depth: int = 0) -> Iterator[str]:
    if depth > 50:
        return
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from _strings_in_json(v, depth + 1)
    elif isinstance(data, list):
        for v in data:
            yield from _strings_in_json(v, depth + 1)


def user_fragments(params: Params) -> list[str]:
    """Everything from the link a page may quote back, in the forms it quotes it:
    as typed, cut, cleaned of control characters, escaped, in repr; longest first."""
    raw: list[str] = list(_ROOM.values())  # the room's code and token are ours
    for key, value in params.items():
        raw.append(key)
        for v in value if isinstance(value, list) else [value]:
            raw.append(v)
            if key in ("items", "ranges"):
                with contextlib.suppress(ValueError, RecursionError):
                    raw += list(_strings_in_json(json.loads(v)))
    out: set[str] = set()
    for text in raw:
        forms = {text, text[:12], text[:40], text[:80], text.strip(), printable(text)}
        forms |= {repr(text)[1:-1], repr(text[:40])[1:-1], repr(text[:40]), repr(text)}
        for limit in (40, 60, 80, 120, 200, 300):
            forms.add(clean_text(text, limit).rstrip("…"))
        forms |= {printable(f) for f in list(forms)}
        forms |= {escape_markdown(f) for f in list(forms)}
        out |= {f for f in forms if f}
    return sorted(out, key=len, reverse=True)


def _without(text: str, fragments: list[str]) -> str:
    for fragment in fragments:
        if fragment in text:
            text = text.replace(fragment, " ¦ ")
    return text


def page_strings(at: AppTest) -> list[tuple[str, str, bool]]:
    """``(kind, text, rendered as Markdown)`` for every string the page shows."""
    out: list[tuple[str, str, bool]] = []
    for kind in (*_MARKDOWN_KINDS, *_ALERT_KINDS):
        out += [(kind, str(e.value), True) for e in at.get(kind)]
    out += [("text", str(e.value), False) for e in at.text]
    for m in at.metric:
        out += [("metric", str(m.label), True), ("metric", str(m.value), True)]
        out += [("metric delta", str(m.delta or ""), True)]
    for node in at._tree:  # widget, expander and tab labels are Markdown too
        label = getattr(node, "label", None)
        if isinstance(label, str) and node.type != "metric":
            out.append((f"{node.type} label", label, True))
    return out


def _finite_and_bounded(s: Scenario) -> list[str]:
    bad = []
    for path, spec in NUMERIC_FIELDS.items():
        v = get_value(s, path)
        if not (math.isfinite(v) and spec.low <= v <= spec.upper):
            bad.append(f"{path} = {v!r} outside [{spec.low}, {spec.upper}]")
    for path, r in s.uncertainty.items():
        if not (math.isfinite(r.low) and math.isfinite(r.high) and r.low <= r.high):
            bad.append(f"range of {path} = {r!r}")
    bad += [f"item {i.name!r}: amount {i.amount!r}" for i in s.other_items
            if not math.isfinite(i.amount)]  # fmt: skip
    return bad


def _took_effect(key: str, raw: str, s: Scenario) -> bool:
    """Whether the scenario holds the link's value for this scenario parameter."""
    if key in NUMERIC_FIELDS:
        spec = NUMERIC_FIELDS[key]
        try:
            wanted = int(raw) if spec.is_int and raw.strip().lstrip("+-").isdigit() else float(raw)
        except ValueError:
            return False
        return get_value(s, key) == wanted
    if key == "name":
        return s.name == raw
    if key == "description":
        return s.description == raw
    if key == "business.currency":
        return str(s.business.currency) == raw
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return True  # valid JSON: whether it applied is the scenario's rules' business


def unnamed_parameters(case: Case, at: AppTest, s: Scenario) -> list[str]:
    """Link parameters that neither took effect nor are named on the page. A notice
    names a parameter as ``key: why`` or ``(link parameter 'key' ignored)``."""
    said = " ".join(" ".join(text.split()) for _, text, _ in page_strings(at))
    said = said.replace(" :", ":")  # a key ending in white space: "0 : not a setting"

    def named(name: str) -> bool:
        return f"{name}:" in said or f"{name!r}" in said

    missing = []
    for key, value in case.params.items():
        raw = _last(value)
        if key.lower() in ("embed", "embed_options"):
            continue  # Streamlit's own switches, in any case: it hides them from the app
        if key not in KNOWN_KEYS:
            # As the page shows it: cleaned, cut, and (st.text) without leading space.
            cleaned = clean_text(key, 60)
            empties = {"(empty)", i18n.translations("id").gettext("(empty)")}  # either language
            candidates = {" ".join(cleaned.split())} if cleaned else empties
            if not any(
                named(shown) if len(shown) < 40 else shown[:40] in said for shown in candidates
            ):
                missing.append(f"unknown key {key!r}")
        elif key == "preset" and raw and raw not in PRESET_IDS and not named(key):
            missing.append(f"preset {raw!r}")
        elif key in share.SCENARIO_PARAMS and not _took_effect(key, raw, s) and not named(key):
            missing.append(f"{key}={_short(raw)}")
    return missing


def problems_on(at: AppTest, case: Case, where: str, trace: str) -> list[str]:
    """Everything wrong with the state ``at`` shows, one line each, each starting
    with ``[where]`` (the page)."""
    problems: list[str] = []
    if at.exception:
        problems.append(f"exception: {[e.value for e in at.exception]}\n{trace}")
    fragments = user_fragments(case.params)
    constructs = [f for f in fragments if len(f) >= 4 and _MD_CONSTRUCT.search(f)]
    for kind, text, markdown in page_strings(at):
        plain = _without(text, fragments).replace("\\", "")
        if junk := _JUNK.search(plain):
            problems.append(f"{kind} shows {junk.group()!r}: {_short(text)}")
        if not markdown:
            continue
        if link := _MD_LINK.search(text):
            problems.append(f"{kind} renders a link ({link.group()!r}): {_short(text)}")
        for construct in constructs:
            if construct in text.replace(escape_markdown(construct), " ¦ "):
                problems.append(f"{kind} renders the link's {construct!r} as Markdown")
    risky = [f for f in fragments if len(f) >= 3 and re.search(r"[<>;{}\"']", f)]
    for html in at.get("html"):
        body = str(html.value)
        if body in _PAGE_LANGUAGE:  # the app's own fixed script, a language code only
            continue
        problems += [f"raw HTML holds the link's {f!r}" for f in risky if f in body]
    s = current(at)
    try:
        again = Scenario.model_validate(s.model_dump())
        if again != s:
            problems.append("the scenario changes when validated again")
    except ValueError as exc:
        problems.append(f"the scenario held does not validate: {exc}")
    problems += [f"scenario: {b}" for b in _finite_and_bounded(s)]
    return [f"[{where}] {p}" for p in problems]


_PAGE_LANGUAGE = frozenset(common.page_language_script(lang) for lang in i18n.LANGUAGES)


def problems_of(case: Case, tracebacks: _Tracebacks) -> list[str]:
    """Open the case's link; what is wrong on the first page (the dashboard, or the
    page of a deep link) and then, after navigating there, on the case's page."""
    case = Case(**{**case.__dict__, "params": real_params(case.params)})
    tracebacks.seen.clear()
    at = open_link(case)
    first = case.page if case.deep and case.page else "dashboard"
    if _last(case.params.get("present", "")) == "1":
        first += ", presenting"
    problems = problems_on(at, case, first, "\n".join(tracebacks.seen))
    if not at.exception:
        unnamed = unnamed_parameters(case, at, current(at))
        problems += [f"[{first}] not applied, not named: {m}" for m in unnamed]
    if case.exact is not None and current(at) != case.exact:
        problems.append(f"[{first}] the share link of a valid scenario opened as another one")
    if case.page and not case.deep:
        tracebacks.seen.clear()
        at.switch_page(f"pages/{case.page}.py").run()
        problems += problems_on(at, case, case.page, "\n".join(tracebacks.seen))
    return problems


@dataclass(frozen=True)
class Known:
    """A known bug: what it looks like among the problems, and its minimal link."""

    id: str
    reason: str
    #: Matches the problem lines (see :func:`problems_on`) the bug causes.
    pattern: re.Pattern[str]
    case: Case


_G = "number formatted with %g (scientific notation) in a message: use roi_ui.formatting"
#: Known bugs, each pinned by a strict xfail in :func:`test_known_bug_is_still_there`.
#: The fuzz tests tolerate only problem lines these patterns match; remove an entry
#: when its xfail starts passing.
#: Bugs the fuzz found, pinned until fixed (each one's minimal link runs as a strict
#: xfail). Every one found so far is fixed: the Monte Carlo histogram of a constant
#: huge NPV, numbers in %g form in the sanity, range and stretched-range messages,
#: Python's digit-limit error for a 5,000-digit count, and link notices missing on
#: a deep link to another page and in presenter mode.
KNOWN: tuple[Known, ...] = ()
#: Their minimal links, which must now hold every rule.
ONCE_BROKEN: dict[str, Case] = {
    "monte-carlo-histogram-of-a-constant-huge-npv": Case(
        {"business.monthly_revenue_per_customer": "1e12"}, page="risk", risk_tab="Monte Carlo"
    ),
    "sanity-check-message-in-g-format": Case({"service.cost_per_self_service_contact": "1000000"}),
    "range-rule-message-in-g-format": Case(
        {"ranges": '{"costs":{"setup":{"low":2000000,"high":1000000}}}'}
    ),
    "stretched-range-notice-in-g-format": Case(
        {"preset": "telecom", "costs.staff_monthly": "5000000"}
    ),
    "deep-link-to-a-page-names-no-bad-parameter": Case(
        {"levers.retention_lft": "0.2", "levers.save_rate": "abc"}, page="risk", deep=True
    ),
    "presenter-mode-names-no-bad-parameter": Case(
        {"present": "1", "levers.retention_lft": "0.2", "levers.save_rate": "abc"}
    ),
    "python-int-digit-limit-message": Case({"business.customers": "9" * 5000}),
}


def _unknown(problems: list[str]) -> list[str]:
    return [p for p in problems if not any(k.pattern.search(p) for k in KNOWN)]


def check(case: Case, tracebacks: _Tracebacks) -> None:
    """Every rule holds for the case's link (known bugs aside)."""
    problems = _unknown(problems_of(case, tracebacks))
    assert not problems, f"{case!r}\n{case.url()[:500]}\n" + "\n".join(problems)


# --- the fuzz tests -----------------------------------------------------------------------

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: One explicit example per hostile value of the issue (the dashboard, its first tab).
HOSTILE_EXAMPLES: list[Params] = [
    {"service.cost_per_assisted_contact": "1.8e307"},
    {"costs.setup": "1e26"},
    {"business.customers": "9" * 400},
    {"business.customers": "1" + "0" * 400, "finance.horizon_months": "-" + "9" * 400},
    {"levers.save_rate": "1e308"},
    {"levers.save_rate": "-0.0", "costs.setup": "-0"},
    {"levers.retention_lift": "nan", "costs.setup": "NaN"},
    {"levers.retention_lift": "inf", "costs.setup": "-inf"},
    {"name": "[Session expired, sign in](https://evil.example/login)"},
    {"description": "![x](https://evil.example/x.png)", "name": "**bold**"},
    {"name": "# heading"},
    {"name": '=HYPERLINK("http://x","y")'},
    {"name": "<img src=x onerror=alert(1)>"},
    {"name": "a\x00b\x1b[31m\u202e", "description": "\x7f\x85"},
    {"name": "x" * 10_000, "levers.save_rate": "9" * 10_000},
    {"levers.retention_lft": "0.2"},
    {"levers.retention_lft": "[Session expired, sign in](https://evil.example/login)"},
    {"[Session expired, sign in](https://evil.example/login)": "1"},
    {"items": "[not json", "ranges": "{"},
    {"items": "[" * 3000 + "]" * 3000, "ranges": "{" + '"a":{' * 3000 + "}" * 3001},
    {"items": '[{"name":"=HYPERLINK(\\"http://x\\",\\"y\\")","kind":"cost","amount":1e308}]'},
    {"ranges": '{"levers":{"save_rate":{"low":-1,"high":1e308}}}'},
    {"preset": "telecom", "levers.save_rate": "0.9"},
    {"preset": "[Session expired, sign in](https://evil.example/login)"},
    {"present": "1", "prospect": "[Session expired, sign in](https://evil.example/login)",
     "accent": "#0F766E;}</style><script>alert(1)</script>"},
    {"present": "1", "prospect": "![x](https://evil.example/x.png)", "accent": "red"},
    {"levers.save_rate": ["0.1", "0.3"], "levers.retention_lft": ["a", "b"]},
]  # fmt: skip
#: One explicit example per page, with the hostile workshop identity.
PAGE_EXAMPLES: list[Case] = [
    Case({"room": ROOM, "token": TOKEN}, page="workshop", deep=True),
    Case({"room": ROOM, "present": "1", "prospect": "**x**"}, page="workshop", deep=True),
    Case({"room": ROOM.lower(), "token": "[x](//ev.il)"}, page="workshop"),
    Case({"levers.retention_lft": "0.2"}, page="methodology", deep=True),
    Case({"room": "[x](//ev.il)"}, page="workshop"),
    Case({"room": "http://ev.il", "token": "\x00<script>"}, page="workshop"),
    Case({"room": "a\x00b", "token": "x" * 10_000}, page="workshop"),
    Case({"room": "**b**"}, page="workshop"),
    Case({"preset": "telecom"}, page="risk", risk_tab="Monte Carlo"),
    Case({"preset": "telecom"}, page="risk", risk_tab="Break-even", deep=True),
    Case({"business.monthly_revenue_per_customer": "1e12"}, page="risk", risk_tab="Break-even"),
    Case({"costs.setup": "1e12", "preset": "saas"}, page="risk", risk_tab="Tornado"),
    Case({"business.customers": "10000000000"}, page="risk", risk_tab="Two-way table"),
    Case({"service.cost_per_assisted_contact": "1e12"}, page="methodology", deep=True),
    Case({"levers.save_rate": "nan"}, page="methodology"),
    Case({"name": "[x](https://evil.example)"}, page="compare"),
    Case({"present": "1", "prospect": "**bold**"}, page="evidence"),
]


def _with_examples(test: Any) -> Any:
    for params in HOSTILE_EXAMPLES:
        test = example(case=Case(params))(test)
    for tab in DASHBOARD_TABS[1:]:
        test = example(case=Case({"name": "[x](https://evil.example)"}, dashboard_tab=tab))(test)
    return example(case=Case({"levers.save_rate": "1e308"}, groups=CONTROL_GROUPS))(test)


@_with_examples
@settings(FUZZ, max_examples=300)
@given(case=cases(pages=False))
def test_dashboard_opens_any_link_soundly(case: Case, tracebacks: _Tracebacks) -> None:
    check(case, tracebacks)


def _with_page_examples(test: Any) -> Any:
    for case in PAGE_EXAMPLES:
        test = example(case=case)(test)
    return test


@_with_page_examples
@settings(FUZZ, max_examples=200)
@given(case=cases(pages=True))
def test_every_page_opens_any_link_soundly(case: Case, tracebacks: _Tracebacks) -> None:
    check(case, tracebacks)


def test_repeated_keys_reach_the_app_as_lists() -> None:
    """AppTest passes a list as repeated ``key=value`` pairs; the app reads the last."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["levers.save_rate"] = ["0.1", "0.3"]
    at.run()
    assert not at.exception
    assert current(at).levers.save_rate == 0.3


@pytest.mark.parametrize("name", sorted(ONCE_BROKEN))
def test_a_link_that_once_broke_a_page_holds(name: str, tracebacks: _Tracebacks) -> None:
    check(ONCE_BROKEN[name], tracebacks)


@pytest.mark.skipif(not KNOWN, reason="no known bug is pinned")
@pytest.mark.parametrize(
    "bug",
    [pytest.param(k, id=k.id, marks=pytest.mark.xfail(strict=True, reason=k.reason)) for k in KNOWN]
    or [None],
)
def test_known_bug_is_still_there(bug: Known, tracebacks: _Tracebacks) -> None:
    """Fails (as expected) while the bug shows on its minimal link; once fixed, the
    strict xfail fails: remove the entry from KNOWN so the fuzz checks it again."""
    problems = [p for p in problems_of(bug.case, tracebacks) if bug.pattern.search(p)]
    assert not problems, f"{bug.case.url()[:300]}\n" + "\n".join(problems)

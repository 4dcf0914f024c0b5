"""The language switch, and the Indonesian app read as a person reads it.

Every page is opened with ``lang=id`` (with its views, tabs and groups open) and
every text on it is collected from what the app sends the browser: labels, help,
options, messages, Markdown, captions, metric values, chart titles, axes, legends
and text alternatives. A text that reads as English is named with its page:
a string the code forgot to mark, or marked but shown without ``_()``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_support import open_group, open_tab, session
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from roi_core import i18n

TIMEOUT = 60
APP = Path(__file__).resolve().parents[2] / "app.py"

#: Words that are English and not Indonesian: two of them in one text make it English.
_ENGLISH = frozenset(
    {"the", "and", "of", "with", "your", "this", "that", "each", "every", "from", "into",
     "than", "when", "which", "will", "would", "should", "before", "after", "these", "those",
     "there", "their", "been", "being", "have", "has", "was", "were", "are", "is", "not",
     "only", "also", "per", "month", "months", "year", "years", "cost", "costs", "customers",
     "customer", "value", "benefit", "benefits", "revenue", "savings", "change", "changes",
     "show", "shows", "open", "close", "download", "upload", "save", "load", "share", "what",
     "where", "how", "why", "you"}
)  # fmt: skip

#: Proto fields whose strings a person reads.
_READ = frozenset(
    {"label", "body", "help", "placeholder", "options", "caption", "text", "delta",
     "alt", "default_value", "value", "content", "title", "description"}
)  # fmt: skip

#: Text that is the same in both languages: links, currency codes, the product's names.
_DATA = re.compile(r"^(https?://|[A-Z]{3}\b|ROI\b|NPV\b|TEI\b)")


def _strings(msg: Message, key: str = "") -> Iterator[str]:
    for field, value in msg.ListFields():
        name = field.name
        repeated = hasattr(value, "__len__") and not isinstance(value, str | bytes | Message)
        items = list(value) if repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                if isinstance(item, Message):
                    yield from _strings(item, name)
        elif field.type == field.TYPE_STRING:
            if name == "spec" or name == "figure":  # a Plotly chart's JSON
                for item in items:
                    yield from _plotly_text(item)
            elif name in _READ or key in _READ:
                yield from (str(v) for v in items)


def _plotly_text(spec: str) -> Iterator[str]:
    try:
        data = json.loads(spec)
    except ValueError:
        return

    def walk(node: object, key: str = "") -> Iterator[str]:
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)
        elif isinstance(node, str) and key in {"text", "name", "title"}:
            yield node

    yield from walk(data)


def _texts(at: AppTest) -> set[str]:
    out: set[str] = set()

    def visit(node: object) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            out.update(_strings(proto))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return {t.strip() for t in out if t and t.strip()}


def _catalog_english() -> frozenset[str]:
    """The catalog's English texts whose Indonesian reads differently: one shown as it
    is on an Indonesian page was drawn without ``_()`` (a preset's name in a picker)."""
    from babel.messages.pofile import read_po

    po = Path(i18n.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    return frozenset(
        m.id
        for m in catalog
        if isinstance(m.id, str) and m.id and m.string and m.string != m.id
        if re.search(r"[a-z]{3}", m.id)
    )


_SOURCE = _catalog_english()


def _english(texts: set[str]) -> list[str]:
    found = []
    for text in texts:
        if text in _SOURCE:  # a marked text, shown untranslated
            found.append(text[:120])
            continue
        if _DATA.match(text):
            continue
        if text.startswith(("<style", "<script")):  # the app's CSS and page language
            continue
        # formulas, code and identifiers (a file's column names) are not prose
        prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\w*_\w*", "", text, flags=re.DOTALL)
        words = set(re.findall(r"[a-z]+", prose.lower()))
        if len(words & _ENGLISH) >= 2:
            found.append(text[:120])
    return sorted(found)


def _page(path: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"lang": "id", **query})
    if path:
        at.switch_page(path)
    return at.run()


def _dashboard_everything() -> Iterator[AppTest]:
    """The dashboard with every group open, in each of its views in turn."""
    from roi_ui.widgets import dashboard

    at = _page("")
    for group in dashboard.MORE_INPUTS:
        at = open_group(at, group)
    for view in dashboard.VIEWS:
        yield open_tab(at, view)


#: Ranges on three inputs, so every tab of the risk page draws its charts.
RANGES = json.dumps({"levers": {"retention_lift": {"low": 0.05, "high": 0.2},
                                "save_rate": {"low": 0.1, "high": 0.4}},
                     "costs": {"setup": {"low": 50000, "high": 200000}}})  # fmt: skip


def _id(text: str) -> str:
    with i18n.language("id"):
        return i18n.gettext(text)


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == _id(label)).click().run()
    return at


def _risk_every_tab() -> Iterator[AppTest]:
    at = _page("pages/risk.py", ranges=RANGES)
    tabs = ["Ranges", "Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment"]
    for tab in tabs:
        yield open_tab(at, tab, page="risk")


def _compare_with_scenarios() -> Iterator[AppTest]:
    at = _page("pages/compare.py", ranges=RANGES)
    yield at
    for label in ("Add the dashboard's scenario", "Add this preset"):
        _click(at, label)
    yield at
    yield _click(at, "Conservative / Base / Optimistic")


def _evidence_on_every_sample() -> Iterator[AppTest]:
    from roi_ui.widgets import evidence

    at = _page("pages/evidence.py")
    for source, kind in zip(evidence.SOURCES, ("calibrate", "contacts", "mentions"), strict=True):
        at.button_group(key="ui.evidence.source").set_value(source).run()
        yield at
        at.toggle(key=f"ui.{kind}.sample").set_value(True).run()
        yield at


def _workshop_room_and_team() -> Iterator[AppTest]:
    at = _page("pages/workshop.py")
    yield at
    _click(at, "Create the room")
    yield at  # the board
    who = session(at).workshop
    team = _page("pages/workshop.py", room=who.room)
    yield team
    team.text_input(key=f"ui.workshop.join.{who.room}").set_value("Tim Biru")
    yield _click(team, "Join")
    yield _click(team, "Submit our case")
    board = _page("pages/workshop.py", room=who.room, token=who.token)
    board.toggle(key=f"workshop.reveal.{who.room}").set_value(True).run()
    yield board


PAGES: dict[str, Callable[[], Iterator[AppTest]]] = {
    "dashboard": _dashboard_everything,
    "risk": _risk_every_tab,
    "compare": _compare_with_scenarios,
    "evidence": _evidence_on_every_sample,
    "workshop": _workshop_room_and_team,
    "methodology": lambda: iter([_page("pages/methodology.py")]),
}


@pytest.mark.usefixtures("store")  # the workshop saves rooms and teams
@pytest.mark.parametrize("page", list(PAGES))
def test_the_indonesian_page_has_no_english_left(page: str) -> None:
    texts: set[str] = set()
    for at in PAGES[page]():  # each state read as it is shown
        assert not at.exception, at.exception
        texts |= _texts(at)
    assert texts, "nothing read on the page"
    english = _english(texts)
    assert not english, f"{len(english)} English texts on {page} (lang=id):\n" + "\n".join(english)


def test_the_switch_changes_the_language_and_the_link_keeps_it() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert session(at).lang == "en"
    assert "lang" not in at.query_params
    switch = at.button_group(key="ui.lang")
    switch.set_value("id").run()
    assert session(at).lang == "id"
    assert at.query_params["lang"] == ["id"] or at.query_params["lang"] == "id"
    with i18n.language("id"):
        title = i18n.gettext("What is social customer service worth?")
    assert title != "What is social customer service worth?"
    assert [t.value for t in at.title] == [title]
    # Back to English: tests/e2e/test_language_e2e.py (AppTest loses the frame's
    # widgets from its tree after this rerun; a browser shows them).
    at2 = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at2.query_params["lang"] = "id"
    at2.run()
    assert session(at2).lang == "id"
    at2.button_group(key="ui.lang").set_value("en").run()
    assert session(at2).lang == "en"
    assert "lang" not in at2.query_params


def test_a_link_with_an_unknown_language_says_so_and_opens_in_english() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    assert session(at).lang == "en"
    notices = "\n".join(session(at).notices)
    assert "lang:" in notices and "fr" in notices and "en, id" in notices


def test_a_download_built_on_click_is_in_the_language_on_screen() -> None:
    """Streamlit builds a deferred download on another thread, where the session's
    language is not set: the build carries the language it was drawn in."""
    import threading

    from roi_ui.widgets import common

    with i18n.language("id"):
        build = common.spoken(lambda: i18n.gettext("Dashboard").encode())
    out: list[bytes] = []
    worker = threading.Thread(target=lambda: out.append(build()))
    worker.start()
    worker.join()
    assert out == [i18n.translations("id").gettext("Dashboard").encode()]
    assert out != [b"Dashboard"]


def test_the_products_own_names_read_in_indonesian_and_the_link_keeps_english() -> None:
    """A preset's name and the default scenario name are the product's text: shown in
    Indonesian wherever a name is shown or offered, kept in English in the scenario
    (the link reads alike in both languages); a name someone types is theirs."""
    from app_support import current

    from roi_core import Scenario
    from roi_ui.presets import load_presets

    telecom = load_presets()["telecom"]
    with i18n.language("id"):
        telecom_id, untitled_id = (i18n.gettext(n) for n in (telecom.name, Scenario().name))

    at = open_tab(_page(""), "Save, load and share")
    assert at.text_input(key="w.name").value == untitled_id
    assert at.text_input(key="ui.saved.name").value == untitled_id
    at.selectbox(key="w.preset.picker").set_value("telecom").run()
    assert at.text_input(key="w.name").value == telecom_id
    assert current(at).name == telecom.name  # the link keeps the English
    at.text_input(key="w.name").set_value("Kasus PT Contoh").run()
    assert current(at).name == "Kasus PT Contoh"
    at.text_input(key="w.name").set_value(telecom_id).run()  # typed back as shown
    assert current(at).name == telecom.name

    at.switch_page("pages/compare.py").run()
    assert telecom_id in at.selectbox(key="ui.compare.preset").options
    at.selectbox(key="ui.compare.preset").set_value("telecom").run()
    for label in ("Add the dashboard's scenario", "Add this preset"):
        with i18n.language("id"):
            shown = i18n.gettext(label)
        next(b for b in at.button if b.label == shown).click().run()
    assert [name for name, _s in session(at).compared] == [telecom_id, f"{telecom_id} (2)"]


def test_a_message_from_a_callback_is_in_the_language_on_screen() -> None:
    """A widget's callback runs on a new thread before the script sets the language:
    its messages speak the session's language all the same."""
    at = _page("pages/compare.py")
    with i18n.language("id"):
        add, first = (i18n.gettext(t) for t in ("Add this file", "Choose a scenario file first."))
    next(b for b in at.button if b.label == add).click().run()
    assert [w.value.replace("\\", "") for w in at.warning] == [first]

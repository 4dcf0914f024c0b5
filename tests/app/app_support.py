"""Helpers shared by the AppTest tests: the session's state as the app keeps it."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from roi_core import Scenario
from roi_ui.state import Session


def session(at: AppTest) -> Session:
    """The one session object of roi_ui.state."""
    s: Session = at.session_state["roi.session"]
    return s


def current(at: AppTest) -> Scenario:
    """The scenario on screen."""
    return session(at).scenario


def kpis(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def unescaped(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def shown_text(at: AppTest) -> str:
    """Every alert, caption and plain text on the page as a reader sees it, joined
    (to look for a message); Markdown escapes removed."""
    parts = [unescaped(str(e.value)) for e in (*at.warning, *at.error, *at.info, *at.success)]
    parts += [t.value for t in at.text] + [unescaped(str(c.value)) for c in at.caption]
    return "\n".join(str(p) for p in parts)


def open_group(at: AppTest, group: str) -> AppTest:
    """Open a control group of the dashboard (as a click on its "More inputs" chip does)."""
    opened = at.session_state.get("ui.groups", [])
    at.session_state["ui.groups"] = [*opened, group]
    return at.run()


def open_tab(at: AppTest, tab: str, *, page: str = "dashboard") -> AppTest:
    at.session_state[f"ui.{page}.tab"] = tab
    return at.run()

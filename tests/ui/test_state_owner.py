"""One owner of the session: nothing but roi_ui/state.py touches Streamlit's
session state or query parameters (values lost between pages came from five
modules sharing them)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "roi_ui" / "state.py"
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))] + [
    path
    for package in ("roi_ui", "roi_core", "roi_store", "bench", "scripts")
    for path in sorted((ROOT / package).rglob("*.py"))
]
FORBIDDEN = ("session_state", "query_params")


def touches(source: str) -> list[int]:
    """Lines that use a forbidden name in code (an attribute, a name, an import),
    not in docstrings or comments."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.ImportFrom):
            name = next((a.name for a in node.names if a.name in FORBIDDEN), "")
        else:
            continue
        if name in FORBIDDEN:
            lines.append(node.lineno)
    return lines


def test_the_tree_is_where_we_think() -> None:
    assert OWNER in SOURCES
    assert len(SOURCES) > 40


def test_only_state_py_touches_session_state_or_query_params() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in SOURCES
        if path != OWNER
        for line in touches(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_catches_every_way_in_but_not_prose() -> None:
    sneaky = (
        '"""We never touch st.session_state here."""\n'
        "import streamlit as st\n"
        "from streamlit import session_state\n"
        "x = st.session_state['k']\n"
        "st.query_params.clear()\n"
        "# st.query_params in a comment is fine\n"
    )
    assert touches(sneaky) == [3, 4, 5]


def test_state_py_itself_does_touch_them() -> None:
    assert len(touches(OWNER.read_text(encoding="utf-8"))) > 5

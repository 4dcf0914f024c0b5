"""Every chart the app draws has a text alternative (WCAG 1.1.1): each
``plotly_chart`` call in roi_ui passes ``alt=`` (Streamlit puts it on the chart as
``role="figure"`` and ``aria-label``); ``chart_card`` requires it (mypy). The
browser side is checked in tests/e2e/test_a11y_e2e.py."""

from __future__ import annotations

import ast
from pathlib import Path

import roi_ui

ROOT = Path(roi_ui.__file__).parent


def _calls(name: str) -> list[tuple[str, int, set[str]]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                if called == name:
                    keywords = {k.arg for k in node.keywords if k.arg}
                    found.append((str(path.relative_to(ROOT)), node.lineno, keywords))
    return found


def test_every_plotly_chart_has_a_text_alternative() -> None:
    calls = _calls("plotly_chart")
    assert len(calls) >= 5  # the chart card, the presenter's two, the workshop's two
    missing = [f"{path}:{line}" for path, line, keywords in calls if "alt" not in keywords]
    assert not missing, f"st.plotly_chart without alt=: {missing}"


def test_every_chart_card_passes_its_text_alternative() -> None:
    calls = _calls("chart_card")
    assert len(calls) >= 14
    missing = [f"{path}:{line}" for path, line, keywords in calls if "alt" not in keywords]
    assert not missing, f"chart_card without alt=: {missing}"

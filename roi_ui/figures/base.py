"""What every figure of the app shares: the spec type, the unvalidated wrap,
the card layout, a money axis and guide lines. Plotly only (STYLE.md):
no Streamlit, no engine calls.

Speed: a figure is written as a plain Plotly spec and wrapped without
Plotly's per-property validation (about 10 ms a figure, on every slider move).
The tests build every figure again *with* full validation, so a misspelt
property still fails the build.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from roi_core import i18n
from roi_ui.formatting import plotly_money_format

__all__ = [
    "HEIGHT",
    "Spec",
    "card_layout",
    "figure",
    "for_screen",
    "hline",
    "money_axis",
    "separators",
    "vline",
]

Spec = dict[str, Any]

HEIGHT = 380
_MARGIN = {"l": 10, "r": 10, "t": 70, "b": 10}


def figure(spec: Spec, *, validate: bool = False) -> go.Figure:
    """A ``go.Figure`` from a spec; unvalidated by default (see the module doc)."""
    if validate:
        return go.Figure(spec)
    return go.Figure(spec, _validate=False)


def card_layout(title: str, subtitle: str = "", *, height: int = HEIGHT) -> Spec:
    """Title, subtitle, height and margins every figure of the app shares."""
    return {
        "title": {"text": title, "subtitle": {"text": subtitle}},
        "height": height,
        "margin": dict(_MARGIN),
        "separators": separators(),
    }


def separators() -> str:
    """Plotly's decimal and thousands separators in the current language's locale:
    ``".,"`` in English, ``",."`` in Indonesian (1.234,5)."""
    return _separators(i18n.locale())


@lru_cache(maxsize=4)
def _separators(locale: str) -> str:  # every figure of every rerun asks
    return f"{get_decimal_symbol(locale)}{get_group_symbol(locale)}"


def money_axis(currency: str, title: str | None = None) -> Spec:
    """An axis in the scenario's currency. Plotly's default exponent format "B"
    reads 1.5M / 2B (d3's "~s" would say 2G)."""
    prefix, _ = plotly_money_format(currency)
    # Plotly's suffixes are English (M is a million; in Indonesian M is a billion,
    # miliar): other languages read whole numbers with their separators.
    short = i18n.current() == "en"
    return {
        "title": {"text": title or currency},
        "tickprefix": prefix,
        "exponentformat": "B" if short else "none",
    }


def hline(y: float, *, dash: str = "dash") -> Spec:
    """A thin grey line across the plot at ``y`` (zero, break-even, a target)."""
    return {
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
        "line": {"dash": dash, "width": 1, "color": "#94A3B8"},
    }  # fmt: skip


def vline(x: float, **line: Any) -> Spec:
    """A line down the plot at ``x`` (today's value, a percentile, a base); ``line``
    sets its dash, width and colour."""
    return {
        "type": "line", "xref": "x", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
        "line": line,
    }  # fmt: skip


def for_screen(fig: go.Figure, *, height: int = 560, font_size: int = 17) -> go.Figure:
    """A figure sized for a screen share (presenter mode): taller, and every text —
    title, axes, ticks, legend, bar labels, notes — large enough to read at a
    distance (the app's theme would otherwise set small tick and legend fonts)."""
    small = {"size": font_size - 1}
    fig.update_traces(textfont={"size": font_size - 1}, selector={"type": "waterfall"})
    fig.update_xaxes(tickfont=small, title_font={"size": font_size})
    fig.update_yaxes(tickfont=small, title_font={"size": font_size})
    fig.update_annotations(font={"size": font_size - 1})
    return fig.update_layout(
        height=height,
        font={"size": font_size},
        title={"font": {"size": font_size + 6}, "subtitle": {"font": {"size": font_size - 1}}},
        legend={"font": {"size": font_size - 1}},
        margin={"l": 10, "r": 10, "t": 100, "b": 10},
    )

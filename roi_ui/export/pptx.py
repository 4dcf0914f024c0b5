"""The leave-behind report as a 16:9 PowerPoint deck a salesperson can hand over:
cover, the case in numbers, benefits by driver, cumulative cash flow and payback,
the assumptions and their sources (as many slides as they need), method, limits
and disclaimer. Charts are native and editable (their data opens in PowerPoint),
not pictures.

Layout rules, so that nothing runs off a slide in PowerPoint or LibreOffice:

* Every shape is placed explicitly in slide coordinates (13.333 by 7.5 in); the
  template's 4:3 master and layouts are widened to 16:9 so a slide a user adds
  later lines up too. Every run has an explicit font (Arial, which LibreOffice
  renders with its metric twin Liberation Sans) and size, and text frames never
  autofit: the builder measures instead.
* Text is measured before it is placed: Arial's own character widths with 5 %
  headroom (:func:`_em`), wrapped at spaces as PowerPoint wraps, and never
  narrower than half an em a character, the rule the tests check every box
  against. A box whose text would not fit takes a smaller size; only at the
  smallest size is the text cut, with an ellipsis. Table rows are sized the same
  way, and the assumptions table is split over as many slides as it needs, each
  titled "Assumptions and sources (1 of 3)".
* Charts: value axes at round bounds in the scenario's currency
  (``#,##0.0,,"M USD"``), driver names left of the bars, month labels every 6
  (or 12) months below the plot, never on its zero line.
* User text (scenario name and description, prospect, line item names, sources)
  is plain run text, never a field or a formula, with control characters removed
  (:func:`_plain`): python-pptx would otherwise write ``\\x1b`` as a literal
  ``_x001B_``.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from roi_core import Scenario, evaluate, i18n
from roi_core.drivers import DRIVERS
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_ui import formatting as fmt
from roi_ui.export.common import DISCLAIMER, as_named, kpis
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.text import clean_text
from roi_ui.theme import COST_COLOR, NET_COLOR, PRIMARY, driver_label

if TYPE_CHECKING:
    from roi_core import Result
    from roi_core.scenario import OtherItem

__all__ = ["FONT", "SLIDE_HEIGHT", "SLIDE_WIDTH", "pptx_report"]

# --- geometry (EMU: 914,400 an inch, 12,700 a point) -------------------------------------

_IN = 914_400
_PT = 12_700
SLIDE_WIDTH = 12_192_000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6_858_000  # 7.5 in
_MARGIN = int(0.6 * _IN)
_CONTENT_W = SLIDE_WIDTH - 2 * _MARGIN
_TITLE_TOP, _TITLE_H = int(0.35 * _IN), int(0.8 * _IN)
_LEAD_TOP, _LEAD_H = int(1.3 * _IN), int(0.55 * _IN)
_BODY_TOP = int(1.95 * _IN)
_BODY_BOTTOM = int(6.85 * _IN)
_FOOTER_TOP, _FOOTER_H = int(7.0 * _IN), int(0.3 * _IN)
#: Text frame insets: left/right and top/bottom.
_PAD_X, _PAD_Y = int(0.1 * _IN), int(0.05 * _IN)

#: The one typeface: on every PowerPoint, and metric-compatible in LibreOffice.
FONT = "Arial"
_INK, _MUTED, _PANEL, _RULE = "0F172A", "475569", "F1F5F9", "CBD5E1"
#: Line height as a multiple of the font size (Arial's is 1.15).
_LEADING = 1.2
_ELLIPSIS = "…"

#: Arial's advance widths (thousandths of an em) of the printable ASCII characters,
#: space to tilde: regular, then bold (Adobe's Helvetica metrics, which Arial and
#: Liberation Sans share).
_ARIAL = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_ARIAL_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584"
)
_WIDTHS = {
    bold: {chr(32 + i): int(w) / 1000 for i, w in enumerate(table.split())}
    for bold, table in ((False, _ARIAL), (True, _ARIAL_BOLD))
}
#: Every character is taken as at least this wide, in ems: the rule of thumb the
#: tests check text against (English text in Arial averages 0.45 em a character,
#: the presets' sources included), so a box the builder fills is one they accept.
_MIN_EM = 0.5
#: Headroom on the measured width for renderers that space a little wider.
_SLACK = 1.05


def _em(char: str, *, bold: bool = False) -> float:
    """The width of ``char`` in ems of Arial: its own for ASCII, its base letter's
    for an accented letter, a full em for East Asian wide characters, and the
    width of a capital for anything else."""
    widths = _WIDTHS[bold]
    if char in widths:
        return widths[char]
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    base = unicodedata.normalize("NFD", char)[:1]
    return widths.get(base, 0.78)


def _measured(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at ``size`` points, in points: Arial's, with 5 % headroom."""
    return sum(_em(c, bold=bold) for c in text) * _SLACK * size


def _width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at ``size`` points, in points: measured, and never less
    than half an em a character."""
    return max(_measured(text, size, bold=bold), _MIN_EM * len(text) * size)


@dataclass(frozen=True)
class _Run:
    text: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    color: str = _INK

    def sized(self, size: float) -> _Run:
        return _Run(self.text, size, self.bold, self.italic, self.color)


@dataclass(frozen=True)
class _Para:
    """A paragraph: its runs and the space before it, in points."""

    runs: tuple[_Run, ...]
    before: float = 0.0

    @property
    def size(self) -> float:
        return max((r.size for r in self.runs), default=0.0)


def _p(*runs: _Run, before: float = 0.0) -> _Para:
    return _Para(runs, before)


def _line_count(paragraph: _Para, width_pt: float) -> int:
    """Lines a paragraph takes in a box ``width_pt`` wide: wrapped at spaces as
    PowerPoint does (a word longer than a line breaks anywhere), and never fewer than
    its whole width at half an em a character would take."""
    lines, used = 1, 0.0
    for run in paragraph.runs:
        for k, word in enumerate(run.text.replace("\t", " ").split(" ")):
            w = _measured(word, run.size, bold=run.bold)
            space = _measured(" ", run.size) if k > 0 else 0.0
            if used + space + w <= width_pt:
                used += space + w
                continue
            if used > 0:
                lines, used = lines + 1, 0.0
            while w > width_pt:  # a word wider than the line
                lines, w = lines + 1, w - width_pt
            used = w
    rule = sum(_MIN_EM * len(r.text) * r.size for r in paragraph.runs) / width_pt
    return max(lines, math.ceil(rule))


def _height(paragraphs: Sequence[_Para], width_pt: float) -> float:
    """Points the paragraphs take in a box ``width_pt`` wide (text only)."""
    return sum(p.before + _line_count(p, width_pt) * p.size * _LEADING for p in paragraphs)


def _fits(paragraphs: Sequence[_Para], width: int, height: int, pad: int = _PAD_X) -> bool:
    """Whether the paragraphs fit a box, inside its insets (``pad`` left and right)."""
    inner_w, inner_h = (width - 2 * pad) / _PT, (height - 2 * _PAD_Y) / _PT
    return _height(paragraphs, inner_w) <= inner_h


def _scaled(paragraphs: Sequence[_Para], factor: float) -> list[_Para]:
    return [
        _Para(tuple(r.sized(round(r.size * factor * 2) / 2) for r in p.runs), p.before * factor)
        for p in paragraphs
    ]


def _fit(
    paragraphs: Sequence[_Para],
    width: int,
    height: int,
    *,
    smallest: float = 10,
    pad: int = _PAD_X,
) -> list[_Para]:
    """The paragraphs at the largest size (their own, or scaled down half a point at
    a time until the largest run is ``smallest``) that fits the box; if even that is
    too big, the text is cut from the end, with an ellipsis, until it fits."""
    largest = max((p.size for p in paragraphs), default=smallest)
    factor = 1.0
    while True:
        fitted = _scaled(paragraphs, factor)
        if _fits(fitted, width, height, pad) or largest * factor <= smallest:
            break
        factor = max(smallest / largest, factor - 0.5 / largest)
    while not _fits(fitted, width, height, pad) and fitted:
        fitted = _shortened(fitted)
    return fitted


def _shortened(paragraphs: list[_Para]) -> list[_Para]:
    """The text with its last word (or, for one long word, a fifth of it) replaced
    by an ellipsis; an emptied run, then an emptied paragraph, is dropped."""
    *head, last = paragraphs
    if not last.runs:
        return head
    *runs, run = last.runs
    text = run.text.removesuffix(_ELLIPSIS).rstrip()
    cut = text.rsplit(" ", 1)[0].rstrip() if " " in text else text[: len(text) * 4 // 5]
    if cut:
        runs.append(_Run(cut + _ELLIPSIS, run.size, run.bold, run.italic, run.color))
    elif runs:
        final = runs.pop()
        runs.append(_Run(final.text.rstrip() + _ELLIPSIS, final.size, final.bold,
                         final.italic, final.color))  # fmt: skip
    return [*head, _Para(tuple(runs), last.before)] if runs else head


def _plain(text: str, *, one_line: bool = False) -> str:
    """User text as a run can hold it: control characters (C0 but tab and newline,
    DEL, C1), lone surrogates, bidirectional overrides and the non-characters
    U+FFFE/U+FFFF removed; on one line, tabs and newlines become spaces."""
    kept = clean_text(text, len(text) + 1).replace("\ufffe", "").replace("\uffff", "")
    if one_line:
        kept = " ".join(kept.split())
    return kept


# --- building blocks ---------------------------------------------------------------------

_Box = tuple[int, int, int, int]  # left, top, width, height (EMU)


def _rgb(hex_color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _add_runs(paragraph: Any, para: _Para) -> None:
    """The runs into a python-pptx paragraph, each with its font set explicitly."""
    from pptx.util import Pt

    paragraph.space_before = Pt(para.before)
    paragraph.space_after = 0
    paragraph.line_spacing = 1.0
    for r in para.runs:
        run = paragraph.add_run()
        run.text = r.text
        font = run.font
        font.name, font.size = FONT, Pt(r.size)
        font.bold, font.italic = r.bold, r.italic
        font.color.rgb = _rgb(r.color)


def _write(
    frame: Any, paragraphs: Sequence[_Para], *, align: Any = None, pad: int = _PAD_X
) -> None:
    """Fill a text frame: explicit insets, wrap, no autofit, every run's font set."""
    from pptx.enum.text import MSO_AUTO_SIZE

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = pad
    frame.margin_top = frame.margin_bottom = _PAD_Y
    frame.clear()
    for i, para in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            p.alignment = align
        _add_runs(p, para)


def _text(
    slide: Any,
    box: _Box,
    paragraphs: Sequence[_Para],
    *,
    anchor: Any = None,
    align: Any = None,
    smallest: float = 10,
) -> Any:
    """A text box at ``box`` holding the paragraphs, shrunk (or, past ``smallest``,
    cut) to fit."""
    from pptx.enum.text import MSO_ANCHOR

    left, top, width, height = box
    shape = slide.shapes.add_textbox(left, top, width, height)
    _write(shape.text_frame, _fit(paragraphs, width, height, smallest=smallest), align=align)
    shape.text_frame.vertical_anchor = anchor or MSO_ANCHOR.TOP
    return shape


def _placeholder(shape: Any, box: _Box, para: _Para, *, anchor: Any, smallest: float) -> float:
    """A layout placeholder (title, subtitle) moved to ``box`` and filled, aligned
    left, its text fitted like a text box's; the text's estimated height in points."""
    from pptx.enum.text import PP_ALIGN

    shape.left, shape.top, shape.width, shape.height = box
    fitted = _fit([para], box[2], box[3], smallest=smallest)
    _write(shape.text_frame, fitted, align=PP_ALIGN.LEFT)
    shape.text_frame.vertical_anchor = anchor
    return _height(fitted, (box[2] - 2 * _PAD_X) / _PT)


def _rect(slide: Any, box: _Box, color: str) -> Any:
    """A flat rectangle: solid fill, no outline, no shadow."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()
    # The theme style python-pptx attaches would add a shadow (LibreOffice draws
    # it even under an empty effect list): fill and line are set, so drop it.
    for style in shape._element.findall(qn("p:style")):
        shape._element.remove(style)
    return shape


class _Deck:
    """The presentation being built: its slides share title, lead and footer."""

    def __init__(self, scenario: Scenario) -> None:
        from pptx import Presentation
        from pptx.util import Emu

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
        _widen_template(self.prs)
        props = self.prs.core_properties
        props.title = _plain(scenario.name, one_line=True)
        props.subject = _("Social customer care business case")
        props.author = props.last_modified_by = ""
        props.comments = props.keywords = ""
        props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        props.revision = 1

    def slide(self, title: str, lead: str = "") -> Any:
        """A "Title Only" slide: the title in its placeholder (outline, accessibility)
        placed for 16:9, a rule under it, an optional lead sentence, the footer."""
        from pptx.enum.text import MSO_ANCHOR

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])
        _placeholder(slide.shapes.title, (_MARGIN, _TITLE_TOP, _CONTENT_W, _TITLE_H),
                     _p(_Run(title, 28, bold=True)), anchor=MSO_ANCHOR.BOTTOM,
                     smallest=20)  # fmt: skip
        rule = (_MARGIN + _PAD_X, _TITLE_TOP + _TITLE_H + int(0.04 * _IN), int(1.2 * _IN),
                int(0.05 * _IN))  # fmt: skip
        _rect(slide, rule, PRIMARY)
        if lead:
            box = (_MARGIN, _LEAD_TOP, _CONTENT_W, _LEAD_H)
            _text(slide, box, [_p(_Run(lead, 16, color=_MUTED))], anchor=MSO_ANCHOR.MIDDLE)
        self._footer(slide)
        return slide

    def _footer(self, slide: Any) -> None:
        from pptx.enum.text import PP_ALIGN

        half = _CONTENT_W // 2
        words = _("Social customer care business case: a model, not a forecast")
        _text(slide, (_MARGIN, _FOOTER_TOP, half, _FOOTER_H), [_p(_Run(words, 10, color=_MUTED))])
        number = _p(_Run(str(len(self.prs.slides)), 10, color=_MUTED))
        box = (_MARGIN + half, _FOOTER_TOP, _CONTENT_W - half, _FOOTER_H)
        _text(slide, box, [number], align=PP_ALIGN.RIGHT)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def _widen_template(prs: Any) -> None:
    """Stretch the 4:3 template's master and layouts across the 16:9 slide (layouts
    first: theirs inherit from the master's, read before it changes)."""
    factor = SLIDE_WIDTH / 9_144_000
    for owner in [*prs.slide_layouts, prs.slide_master]:
        for shape in owner.shapes:
            left, width = shape.left, shape.width
            if left is not None and width is not None:
                shape.left, shape.width = round(left * factor), round(width * factor)


# --- cover and numbers ---------------------------------------------------------------------


def _cover(deck: _Deck, s: Scenario, prospect: str) -> None:
    from pptx.enum.text import MSO_ANCHOR

    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[0])
    left, width = int(1.0 * _IN), SLIDE_WIDTH - int(1.6 * _IN)
    name = _plain(s.name, one_line=True) or _("Untitled scenario")
    title_top, title_bottom = int(1.2 * _IN), int(3.6 * _IN)
    title_h = _placeholder(slide.shapes.title, (left, title_top, width, title_bottom - title_top),
                           _p(_Run(name, 40, bold=True)), anchor=MSO_ANCHOR.BOTTOM,
                           smallest=24)  # fmt: skip
    # An accent bar beside the title (as tall as its lines) and the subtitle.
    bar_top = max(title_top, title_bottom - _PAD_Y - int(title_h * _PT))
    _rect(slide, (int(0.6 * _IN), bar_top, int(0.12 * _IN), int(4.75 * _IN) - bar_top), PRIMARY)
    who = _plain(prospect, one_line=True)
    if who:
        line = _("Social customer care business case for {prospect}").format(prospect=who)
    else:
        line = _("Social customer care business case")
    _placeholder(slide.placeholders[1], (left, int(3.75 * _IN), width, int(1.05 * _IN)),
                 _p(_Run(line, 24, color=PRIMARY)), anchor=MSO_ANCHOR.TOP,
                 smallest=16)  # fmt: skip
    about = [_p(_Run(x, 14, color=_MUTED), before=4) for x in _plain(s.description).splitlines()
             if x.strip()]  # fmt: skip
    if about:
        _text(slide, (left, int(4.95 * _IN), width, int(1.45 * _IN)), about, smallest=12)
    f = s.finance
    basis = _(
        "{months}-month horizon, figures in {currency}, risk-adjusted (benefits cut by "
        "{benefit_risk}, costs raised by {cost_risk}), discounted at {rate} a year"
    ).format(
        months=f.horizon_months,
        currency=s.business.currency,
        benefit_risk=fmt.percent(f.benefit_risk, digits=0),
        cost_risk=fmt.percent(f.cost_risk, digits=0),
        rate=fmt.percent(f.discount_rate),
    )
    _text(slide, (left, int(6.55 * _IN), width, int(0.45 * _IN)),
          [_p(_Run(basis, 12, color=_MUTED))])  # fmt: skip


def _kpi_slide(deck: _Deck, s: Scenario, result: Result) -> None:
    """Six equal cards, three by two, each a label over its value."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    r, cur = result.summary, s.business.currency
    slide = deck.slide(
        _("The case in numbers"),
        _(
            "Over {months} months the program returns {benefits} in present value for "
            "{costs} of costs."
        ).format(
            months=s.finance.horizon_months,
            benefits=fmt.money(r.pv_benefits, cur),
            costs=fmt.money(r.pv_costs, cur),
        ),
    )
    gap = int(0.3 * _IN)
    card_w = (_CONTENT_W - 2 * gap) // 3
    card_h = (_BODY_BOTTOM - _BODY_TOP - gap) // 2
    pad = 2 * _PAD_X
    inner = (card_w - 2 * pad) / _PT
    for i, (label, value) in enumerate(kpis(r, cur)):
        col, row = i % 3, i // 3
        box = (_MARGIN + col * (card_w + gap), _BODY_TOP + row * (card_h + gap), card_w, card_h)
        card = _rect(slide, box, _PANEL)
        size = 36.0  # the value on one line: smaller for a long figure, never wrapped
        while size > 14 and _width(value, size, bold=True) > inner:
            size -= 1
        paragraphs = [_p(_Run(label, 16, color=_MUTED)),
                      _p(_Run(value, size, bold=True, color=PRIMARY), before=6)]  # fmt: skip
        fitted = _fit(paragraphs, card_w, card_h, smallest=12, pad=pad)
        _write(card.text_frame, fitted, align=PP_ALIGN.LEFT, pad=pad)
        card.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


# --- charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axis:
    """A value axis: bounds and step at round numbers, its Excel number format in
    the scenario's currency (``#,##0.0,,"M USD"``: millions, the code after; zero
    as ``0 USD``) and a finer one of the same scale for data labels."""

    minimum: float
    maximum: float
    step: float
    number_format: str
    label_format: str


#: Billions, millions and thousands after an axis figure, as each language abbreviates
#: them (in Indonesian *M* is *miliar*, a billion: the glossary's *rb*, *jt*, *M*).
_SCALE_WORDS: dict[str, tuple[str, str, str]] = {"en": ("B", "M", "k"), "id": ("M", "jt", "rb")}


def _axis(values: Sequence[float], currency: str, *, room: float = 0.0) -> _Axis:
    """Round bounds around zero and ``values`` (widened by ``room`` of the span on
    each side that has data, for data labels), about eight steps, and the formats."""
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = hi - lo or max(abs(lo), abs(hi), 1.0)
    lo, hi = lo - (room * span if lo < 0 else 0.0), hi + (room * span if hi > 0 else 0.0)
    raw = (hi - lo or 1.0) / 8
    power = 10 ** math.floor(math.log10(raw))
    step = next(k * power for k in (1, 2, 2.5, 5, 10) if k * power >= raw)
    minimum, maximum = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if maximum <= minimum:
        maximum = minimum + step
    code = "".join(c for c in currency if c.isalnum()) or "money"
    size = max(abs(minimum), abs(maximum))
    # Thousands, millions or billions: each trailing comma divides by a thousand.
    billions, millions, thousands = _SCALE_WORDS[i18n.current()]
    scale, suffix = next(
        (scale, suffix)
        for scale, suffix, start in (
            (1e9, f',,,"{billions} ', 1e10), (1e6, f',,"{millions} ', 1e6),
            (1e3, f',"{thousands} ', 1e4), (1.0, '" ', 0.0)
        )
        if size >= start
    )  # fmt: skip
    decimals = 0
    while decimals < 3 and abs(round(step / scale, decimals) - step / scale) > 1e-9:
        decimals += 1

    def pattern(places: int) -> str:
        shown = "#,##0" + ("." + "0" * places if places else "") + f'{suffix}{code}"'
        return f'{shown};-{shown};0" {code}"'

    return _Axis(minimum, maximum, step, pattern(decimals), pattern(2 if scale >= 1e6 else 0))


def _style_chart(chart: Any, value_axis: Any, axis: _Axis) -> None:
    """Arial 12 pt throughout, no chart title or legend (the slide says it); the
    value axis at round bounds in the currency format, with light gridlines."""
    chart.has_title = False
    chart.has_legend = False
    chart.font.name, chart.font.size = FONT, 12 * _PT
    chart.font.color.rgb = _rgb(_INK)
    va = value_axis
    va.minimum_scale, va.maximum_scale, va.major_unit = axis.minimum, axis.maximum, axis.step
    va.tick_labels.number_format = axis.number_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = 12 * _PT
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb(_RULE)
    va.format.line.fill.background()


def _benefits_slide(deck: _Deck, s: Scenario, result: Result) -> None:
    """Present value by driver (those that are not zero) and of the costs, as a
    negative bar: a horizontal bar chart, driver names left of the plot."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_MARK
    from pptx.enum.chart import XL_TICK_LABEL_POSITION as TICKS

    cur, r = s.business.currency, result.summary
    pv = result.monthly.present_values()
    drivers = [d for d in DRIVERS if abs(pv[d]) >= 0.5]
    values = [float(pv[d]) for d in drivers] + [-float(pv["costs"])]
    data = CategoryChartData(number_format="#,##0.00")
    data.categories = [driver_label(d) for d in drivers] + [_("Costs")]
    data.add_series(_("Present value ({currency})").format(currency=cur), values)
    slide = deck.slide(
        _("Benefits by driver, and costs (present values)"),
        _("Benefits of {benefits} against costs of {costs}: a net present value of {npv}.").format(
            benefits=fmt.money(r.pv_benefits, cur),
            costs=fmt.money(r.pv_costs, cur),
            npv=fmt.money(r.npv, cur),
        ),
    )
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, _MARGIN, _BODY_TOP, _CONTENT_W,
                                   _BODY_BOTTOM - _BODY_TOP, data)  # fmt: skip
    chart = frame.chart
    axis = _axis(values, cur, room=0.15)
    _style_chart(chart, chart.value_axis, axis)
    # The first driver on top: the categories read downwards, and the value axis
    # crosses at the last one, so it stays below the bars.
    ca = chart.category_axis
    ca.reverse_order = True
    _value_axis_crosses_at_last_category(chart)
    # Driver names left of the plot (at the low end of the value axis), never on a bar.
    ca.tick_label_position = TICKS.LOW
    ca.tick_labels.font.size = 12 * _PT
    ca.format.line.color.rgb = _rgb(_MUTED)
    ca.major_tick_mark = ca.minor_tick_mark = XL_TICK_MARK.NONE
    plot = chart.plots[0]
    plot.gap_width, plot.vary_by_categories = 45, False
    series = plot.series[0]
    series.invert_if_negative = False
    for i, value in enumerate(values):
        fill = series.points[i].format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(COST_COLOR if value < 0 else PRIMARY)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = axis.label_format, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size, labels.font.name = 12 * _PT, FONT
    labels.show_value = True


def _value_axis_crosses_at_last_category(chart: Any) -> None:
    """``c:crosses val="max"`` on the value axis: it crosses the category axis at its
    last category (python-pptx only sets the category axis's crossing)."""
    from pptx.oxml.ns import qn

    for crosses in chart.value_axis._element.iterchildren(qn("c:crosses")):
        crosses.set("val", "max")


def _payback_statement(s: Scenario, result: Result) -> str:
    r, h, cur = result.summary, s.finance.horizon_months, s.business.currency
    end = fmt.money(float(result.monthly.cumulative_net[-1]), cur)
    if r.payback_months is None:
        return _(
            "No payback within {months} months: the cumulative net cash flow ends at {end}."
        ).format(months=h, end=end)
    if r.payback_months == 0:
        return _(
            "Positive from the start: the cumulative net cash flow ends month {month} at {end}."
        ).format(month=h, end=end)
    return _(
        "Payback in {payback}: the cumulative net cash flow turns positive in month "
        "{positive} and ends month {month} at {end}."
    ).format(
        payback=fmt.months(r.payback_months),
        positive=math.ceil(r.payback_months),
        month=h,
        end=end,
    )


def _cash_slide(deck: _Deck, s: Scenario, result: Result) -> None:
    """The cumulative net cash flow by month as a line: an XY chart with lines, so
    that the month axis is labelled every 6 (or 12) months in LibreOffice too, which
    ignores a category axis's label spacing (``c:tickLblSkip``)."""
    from pptx.chart.data import XyChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.chart import XL_TICK_LABEL_POSITION as TICKS

    cur = s.business.currency
    months = [int(t) for t in result.monthly.month]
    values = [float(x) for x in result.monthly.cumulative_net]
    data = XyChartData()
    line = data.add_series(
        _("Cumulative net cash flow ({currency})").format(currency=cur), number_format="#,##0.00"
    )
    for t, value in zip(months, values, strict=True):
        line.add_data_point(t, value)
    slide = deck.slide(_("Cumulative net cash flow"), _payback_statement(s, result))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS, _MARGIN, _BODY_TOP,
                                   _CONTENT_W, _BODY_BOTTOM - _BODY_TOP, data)  # fmt: skip
    chart = frame.chart
    _style_chart(chart, chart.value_axis, _axis(values, cur, room=0.05))
    month_axis = chart.category_axis  # an XY chart's X axis: months, on a value axis
    month_axis.minimum_scale, month_axis.maximum_scale = 0, months[-1]
    month_axis.major_unit = 6 if months[-1] <= 60 else 12
    month_axis.tick_labels.number_format = "0"
    month_axis.tick_labels.number_format_is_linked = False
    month_axis.tick_labels.font.size = 12 * _PT
    # Month labels below the plot, not on the zero line where the axis is drawn.
    month_axis.tick_label_position = TICKS.LOW
    month_axis.has_major_gridlines = False
    month_axis.format.line.color.rgb = _rgb(_MUTED)
    month_axis.has_title = True
    month_axis.axis_title.text_frame.text = _("Month")
    title_font = month_axis.axis_title.text_frame.paragraphs[0].runs[0].font
    title_font.size, title_font.name, title_font.bold = 12 * _PT, FONT, False
    series = chart.plots[0].series[0]
    series.smooth = False
    series.format.line.color.rgb = _rgb(NET_COLOR)
    series.format.line.width = int(2.75 * _PT)


# --- assumptions ---------------------------------------------------------------------------

#: Assumption, value, unit, source: widths in inches (the content width, 12.133 in).
_COLUMNS = ((N_("Assumption"), 2.7), (N_("Value"), 1.25), (N_("Unit"), 1.85),
            (N_("Source"), 6.333))  # fmt: skip
_TABLE_SIZE = 11.0
_TABLE_TOP = int(1.45 * _IN)
_CELL_X, _CELL_Y = int(0.08 * _IN), int(0.04 * _IN)
_HEADER_H = int(0.4 * _IN)

_Row = list[_Para]  # one paragraph a cell


def _schedule(item: OtherItem, horizon: int) -> str:
    """When a line item occurs, within the horizon (MODEL.md: later ones do not count)."""
    end = min(horizon, item.end_month if item.end_month is not None else horizon)
    if item.start_month > horizon:
        text = _("from month {start}: after the horizon, not counted")
    elif item.every == "once":
        text = _("once, in month {start}")
    elif item.every == "month":
        text = _("a month, months {start} to {end}")
    else:
        text = _("a year, from month {start} to {end}")
    return text.format(start=item.start_month, end=end)


def _assumption_rows(s: Scenario, preset: Preset | None) -> list[_Row]:
    """One row a numeric input, then one a line item."""
    size, cur = _TABLE_SIZE, s.business.currency
    rows = []
    for row in assumptions(s, preset).to_dict("records"):
        source = [_Run(_plain(str(row["source"]), one_line=True), size)]
        if row["confidence"]:
            source.append(_Run(f" ({row['confidence']})", size, italic=True, color=_MUTED))
        rows.append(
            [_p(_Run(str(row["label"]), size)), _p(_Run(str(row["shown"]), size)),
             _p(_Run(str(row["unit"]), size, color=_MUTED)), _Para(tuple(source))]
        )  # fmt: skip
    for item in s.other_items:
        rows.append(
            [_p(_Run(_plain(item.name, one_line=True), size)),
             _p(_Run(fmt.money(item.amount, cur), size)),
             _p(_Run(f"{cur}, {_schedule(item, s.finance.horizon_months)}", size, color=_MUTED)),
             _p(_Run(_item_source(item), size))]
        )  # fmt: skip
    return rows


def _item_source(item: OtherItem) -> str:
    if item.kind == "cost":
        return _("Line item (cost), set by the user")
    return _("Line item (benefit), set by the user")


def _row_height(cells: _Row) -> int:
    """EMU a table row needs: its tallest cell, wrapped in its column."""
    tallest = 0.0
    for para, (_head, inches) in zip(cells, _COLUMNS, strict=True):
        inner = (inches * _IN - 2 * _CELL_X) / _PT
        tallest = max(tallest, _height([para], inner))
    return math.ceil(tallest * _PT) + 2 * _CELL_Y + int(0.02 * _IN)


def _pages(heights: Sequence[int], room: int) -> list[list[int]]:
    """Row indices split into the fewest pages of at most ``room`` EMU each, as even
    as they go: the smallest capacity that still needs no more pages."""

    def pack(capacity: int) -> list[list[int]]:
        pages: list[list[int]] = [[]]
        used = 0
        for i, h in enumerate(heights):
            if pages[-1] and used + h > capacity:
                pages.append([])
                used = 0
            pages[-1].append(i)
            used += h
        return pages

    fewest = len(pack(room))
    low, high = max(heights, default=0), max(room, max(heights, default=0))
    while low < high:
        mid = (low + high) // 2
        if len(pack(mid)) <= fewest:
            high = mid
        else:
            low = mid + 1
    return pack(high)


def _assumption_slides(deck: _Deck, s: Scenario, preset: Preset | None) -> None:
    """The assumptions table, its header row on every slide, split over as many
    slides as its rows need ("Assumptions and sources (1 of 3)")."""
    rows = _assumption_rows(s, preset)
    heights = [_row_height(r) for r in rows]
    pages = _pages(heights, _BODY_BOTTOM - _TABLE_TOP - _HEADER_H)
    for n, page in enumerate(pages, start=1):
        title = _("Assumptions and sources")
        if len(pages) > 1:
            title = _("Assumptions and sources ({n} of {total})").format(n=n, total=len(pages))
        slide = deck.slide(title)
        height = _HEADER_H + sum(heights[i] for i in page)
        table = slide.shapes.add_table(len(page) + 1, len(_COLUMNS), _MARGIN, _TABLE_TOP,
                                       _CONTENT_W, height).table  # fmt: skip
        table.first_row, table.horz_banding = True, False
        for j, (_head, inches) in enumerate(_COLUMNS):
            table.columns[j].width = int(inches * _IN)
        table.rows[0].height = _HEADER_H
        for j, (head, _inches) in enumerate(_COLUMNS):
            _cell(table.cell(0, j), _p(_Run(_(head), _TABLE_SIZE, bold=True, color="FFFFFF")),
                  PRIMARY)  # fmt: skip
        for k, i in enumerate(page, start=1):
            table.rows[k].height = heights[i]
            for j, para in enumerate(rows[i]):
                _cell(table.cell(k, j), para, _PANEL if k % 2 == 0 else "FFFFFF")


def _cell(cell: Any, para: _Para, fill: str) -> None:
    from pptx.enum.text import MSO_ANCHOR

    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(fill)
    cell.margin_left = cell.margin_right = _CELL_X
    cell.margin_top = cell.margin_bottom = _CELL_Y
    cell.vertical_anchor = MSO_ANCHOR.TOP
    frame = cell.text_frame
    frame.word_wrap = True
    frame.clear()
    _add_runs(frame.paragraphs[0], para)


# --- method, limits, disclaimer ------------------------------------------------------------


def _method_slide(deck: _Deck) -> None:
    """The model's steps (roi_core.methodology) in words, in two columns."""
    slide = deck.slide(
        _("How the figures are built"),
        _("Each step is a formula of the model, checked against the engine in its tests."),
    )
    gap = int(0.4 * _IN)
    col_w = (_CONTENT_W - gap) // 2
    half = (len(FORMULAS) + 1) // 2
    for c, formulas in enumerate((FORMULAS[:half], FORMULAS[half:])):
        paragraphs = []
        for k, f in enumerate(formulas):
            title = _Run(_(f.title), 14, bold=True, color=PRIMARY)
            paragraphs.append(_p(title, before=10 * (k > 0)))
            paragraphs.append(_p(_Run(_(f.words), 13), before=2))
        box = (_MARGIN + c * (col_w + gap), _BODY_TOP, col_w, _BODY_BOTTOM - _BODY_TOP)
        _text(slide, box, paragraphs)


def _limits_slide(deck: _Deck) -> None:
    """What the model leaves out (roi_core.methodology.LEFT_OUT) and the disclaimer."""
    slide = deck.slide(_("What the case leaves out, and disclaimer"))
    gap = int(0.5 * _IN)
    left_w = (_CONTENT_W - gap) * 3 // 5
    right_w = _CONTENT_W - gap - left_w
    top, height = _TABLE_TOP, _BODY_BOTTOM - _TABLE_TOP
    paragraphs = [_p(_Run(_("Left out of the model"), 18, bold=True, color=PRIMARY))]
    for line in LEFT_OUT:
        head, _colon, rest = _(line).partition(":")
        paragraphs.append(_p(_Run(f"{head}:", 16, bold=True), _Run(rest, 16), before=10))
    _text(slide, (_MARGIN, top, left_w, height), paragraphs)
    disclaimer = [_p(_Run(_("Disclaimer"), 18, bold=True, color=PRIMARY)),
                  _p(_Run(_(DISCLAIMER), 16), before=10)]  # fmt: skip
    _text(slide, (_MARGIN + left_w + gap, top, right_w, height), disclaimer)


# --- the deck ------------------------------------------------------------------------------


def pptx_report(
    s: Scenario,
    *,
    preset: Preset | None = None,
    prospect: str = "",
) -> bytes:
    """The deck, 16:9: cover (scenario name, "for <prospect>"), six KPIs, benefits by
    driver and costs (native bar chart of present values), cumulative net cash flow
    (native line chart) with the payback, the assumptions and their sources over as
    many slides as they need, method, limits and disclaimer; in the language being
    spoken."""
    s = as_named(s, preset)
    result = evaluate(s)
    deck = _Deck(s)
    _cover(deck, s, prospect)
    _kpi_slide(deck, s, result)
    _benefits_slide(deck, s, result)
    _cash_slide(deck, s, result)
    _assumption_slides(deck, s, preset)
    _method_slide(deck)
    _limits_slide(deck)
    return deck.save()

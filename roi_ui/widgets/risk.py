"""The risk page's components, one per tab: ranges, tornado, Monte Carlo,
break-even, two-way table, risk adjustment.

Every choice (draws, seed, the field solved for, the grid's axes) is a page
choice kept in the session (:func:`roi_ui.state.bind_choice`), so it is
still there after a visit to another page. Values are shown in display units
(percent for shares); money in the scenario's currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import streamlit as st

from roi_core import NUMERIC_FIELDS, BreakEven, Scenario, break_even, evaluate, evaluate_batch
from roi_core.analysis import feasible, grid2d
from roi_core.drivers import FloatArray
from roi_core.engine import STRUCTURAL_FIELDS
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.ranges import plus_minus, ranges_like, with_ranges
from roi_core.scenario import get_value
from roi_core.variants import risk_adjustment
from roi_ui import cache, editor, state
from roi_ui import formatting as fmt
from roi_ui.figures import risk as figures
from roi_ui.frames import risk as frames
from roi_ui.frames.base import shown
from roi_ui.text import escape_markdown
from roi_ui.widgets import common

if TYPE_CHECKING:
    pass

__all__ = [
    "DRAWS",
    "NON_TIMELINE",
    "break_even_tab",
    "field_picker",
    "metric_curve",
    "monte_carlo_tab",
    "ranges_tab",
    "risk_adjustment_tab",
    "said",
    "span_inputs",
    "title",
    "tornado_tab",
    "two_way_tab",
]

#: Fields that reshape the months themselves: no grid or curve over them.
NON_TIMELINE = tuple(STRUCTURAL_FIELDS)
_HERE = "ranges"
DRAWS = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]
#: The share of "±25 % on every lever", as the page writes it (in its own message:
#: "25 % of" would read as a printf placeholder to the catalog tools).
_SHARE = N_("25 %")
_KINDS = [N_("NPV = 0"), N_("ROI ="), N_("Payback =")]


def title(path: str, currency: str) -> str:
    """A field's title with its display unit: "Retention lift (%)", "Setup (USD)"."""
    return common.field_label(NUMERIC_FIELDS[path], currency)


# --- ranges -----------------------------------------------------------------------------


def _plus_minus() -> None:
    made = plus_minus(state.scenario(), 0.25)
    state.set_ranges(made.scenario, what=_("{share} ranges").format(share="±" + _(_SHARE)))
    if made.skipped:
        names = ", ".join(NUMERIC_FIELDS[p].title for p in made.skipped)
        state.flash(
            "info",
            _(
                "No range for {names}: at 0 there is nothing to take {share} of. "
                "Give them a range by hand if they are uncertain."
            ).format(names=names, share=_(_SHARE)),
            where=_HERE,
        )


def _from_preset() -> None:
    preset = state.preset()
    if preset is not None:
        state.set_ranges(ranges_like(state.scenario(), preset.scenario), what=_("preset ranges"))


def _clear() -> None:
    state.set_ranges(with_ranges(state.scenario(), {}), what=_("cleared ranges"))


def _apply_rows(key: str) -> None:
    s = state.scenario()
    rows = editor.apply_edits(editor.ranges_rows(s), state.editor_edits(key))
    new, problems = editor.ranges_from_rows(s, rows)
    if new is None:
        state.flash("error", _("Ranges not applied; your scenario is unchanged."), where=_HERE)
        for line in problems:
            state.flash("error", line, where=_HERE)
        return
    state.set_ranges(new, what=_("edited ranges"))
    applied = fmt.count(len(new.uncertainty.items()))
    state.flash("success", _("{count} ranges applied.").format(count=applied), where=_HERE)


def ranges_tab(s: Scenario) -> None:
    """Low / high for any lever, baseline or cost, with one-click sets."""
    currency = str(s.business.currency)
    st.caption(
        _(
            "A low and a high for any input you are unsure of; today's value is the most "
            "likely one. Shares in %. Saved with the scenario (JSON and link)."
        )
    )
    a, b, c = st.columns(3)
    a.button(
        _("{share} on every lever").format(share="±" + _(_SHARE)),
        width="stretch",
        on_click=_plus_minus,
    )
    b.button(
        _("Ranges from the preset"),
        width="stretch",
        on_click=_from_preset,
        disabled=state.preset() is None,
        help=_("Only after starting from an industry preset."),
    )
    c.button(_("Clear all ranges"), width="stretch", on_click=_clear)
    common.messages(_HERE)
    import pandas as pd  # only when the ranges tab is open

    rows = editor.ranges_rows(s)
    frame = pd.DataFrame(rows)
    frame.insert(
        2, "unit", [fmt.unit_words(NUMERIC_FIELDS[p].unit, currency) for p in frame["field"]]
    )
    key = state.editor_key("ranges")
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=["field", "input", "unit", "value"],
        column_config={
            "field": None,
            "input": st.column_config.TextColumn(_("Input")),
            "unit": st.column_config.TextColumn(_("Unit")),
            "low": st.column_config.NumberColumn(_("Low"), help=_("Empty: no range")),
            "value": st.column_config.NumberColumn(_("Most likely (today's value)")),
            "high": st.column_config.NumberColumn(_("High"), help=_("Empty: no range")),
        },
    )
    st.button(
        _("Apply ranges"),
        type="primary",
        icon=":material/check:",
        on_click=_apply_rows,
        args=(key,),
    )
    for stretch in state.stretches():
        st.caption(
            _("{field}: stretched to hold its value (see the dashboard).").format(
                field=NUMERIC_FIELDS[stretch.path].title
            )
        )


# --- tornado and Monte Carlo ---------------------------------------------------------------


def tornado_tab(s: Scenario) -> None:
    rows = cache.tornado_of(s.model_dump_json())
    if not rows:
        st.info(_("Give some inputs a range (first tab) to see what moves the NPV most."))
        return
    currency = str(s.business.currency)
    fig = figures.tornado(rows, evaluate(s).summary.npv, currency)
    top = max(rows, key=lambda row: row.swing)
    alt = _(
        "What moves the NPV most: {count} inputs with a range; the most, "
        "{field}, takes the NPV from {low} at its low end to {high} at its high end."
    ).format(
        count=fmt.count(len(rows)),
        field=NUMERIC_FIELDS[top.field].title,
        low=fmt.money_compact(top.npv_low, currency),
        high=fmt.money_compact(top.npv_high, currency),
    )
    common.chart_card(
        fig, lambda: frames.tornado(rows, currency=currency), "tornado", alt=alt, currency=currency
    )


def monte_carlo_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    left, right = st.columns([2, 1])
    n = int(left.select_slider(_("Draws"), DRAWS, **state.bind_choice("risk.draws", 10_000)))
    seed = int(
        right.number_input(
            _("Seed"),
            min_value=0,
            max_value=2**32 - 1,
            step=1,
            help=_("The same seed gives the same numbers."),
            **state.bind_choice("risk.seed", 42),
        )
    )
    with st.spinner(_("Drawing {count} scenarios…").format(count=fmt.count(n))):
        mc = cache.monte_carlo_of(s.model_dump_json(), n, seed)
    if not mc.fields:
        st.info(_("No input has a range yet: every draw equals the scenario. Add ranges first."))
    cols = st.columns(4)
    cols[0].metric(_("Chance NPV > 0"), fmt.percent(mc.prob_npv_positive, digits=1))
    p10, p90 = fmt.money_compact(mc.npv.p10, currency), fmt.money_compact(mc.npv.p90, currency)
    cols[1].metric(_("NPV P10 / P90"), escape_markdown(f"{p10} / {p90}"))
    cols[2].metric(_("ROI P50"), fmt.percent(mc.roi.p50))
    cols[3].metric(
        _("Pays back within the horizon"),
        fmt.percent(mc.payback_months.share_paid_back, digits=1),
    )
    st.caption(
        _("{count} draws, seed {seed}; triangular (low, today's value, high).").format(
            count=fmt.count(mc.n), seed=mc.seed
        )
    )
    left, right = st.columns(2)
    with left:
        which = (
            st.segmented_control(
                _("Distribution of"),
                ["NPV", "ROI"],
                **state.bind_choice("risk.mc.which", "NPV", param="default"),
            )
            or "NPV"
        )
        fig = (
            figures.monte_carlo_npv(mc, currency) if which == "NPV" else figures.monte_carlo_roi(mc)
        )
        stats = mc.npv if which == "NPV" else mc.roi

        def say(v: float | None) -> str:
            return fmt.money_compact(v, currency) if which == "NPV" else fmt.percent(v)

        alt = _(
            "Distribution of the {metric} over {count} draws: P10 {p10}, P50 {p50}, P90 {p90}."
        ).format(
            metric=which,
            count=fmt.count(mc.n),
            p10=say(stats.p10),
            p50=say(stats.p50),
            p90=say(stats.p90),
        )
        common.chart_card(
            fig, lambda: frames.monte_carlo(mc), "monte_carlo", alt=alt, currency=currency
        )
    with right:
        common.chart_card(
            figures.monte_carlo_payback(mc),
            lambda: frames.monte_carlo(mc),
            "mc_payback",
            alt=_(
                "Payback over {count} draws: {share} pay back within the horizon; median {months}."
            ).format(
                count=fmt.count(mc.n),
                share=fmt.percent(mc.payback_months.share_paid_back),
                months=fmt.months(mc.payback_months.p50),
            ),
            currency=currency,
        )


# --- break-even ----------------------------------------------------------------------------


def field_picker(
    label: str, name: str, *, exclude: tuple[str, ...] = (), default: str, currency: str
) -> str:
    """A selectbox over the numeric fields, labelled by title and unit."""
    options = [p for p in NUMERIC_FIELDS if p not in exclude]
    choice: str = st.selectbox(
        label,
        options,
        format_func=common.format_func(lambda p: title(p, currency)),
        **state.bind_choice(name, default, param="index", options=options),
    )
    return choice if choice in options else options[0]


def metric_curve(s: Scenario, path: str, xs: FloatArray, metric: str) -> FloatArray:
    """The metric over values of one field (one batch; made valid as the analyses do)."""
    batch = evaluate_batch(s, feasible(s, {path: xs}))
    curve: FloatArray = {
        "npv": batch.npv,
        "roi": batch.roi,
        "payback_months": batch.payback_months,
    }[metric]
    return curve


def _use(path: str, value: float, what: str) -> None:
    rng = state.scenario().uncertainty.get(path)
    widen = rng is not None and not rng.low <= value <= rng.high
    note = _("the break-even for {target}").format(target=what)
    if state.apply_values({path: value}, note=note, widen=widen):
        spec = NUMERIC_FIELDS[path]
        said = _("{field} is now {value}.").format(field=spec.title, value=_shown(path, value))
        if widen and rng is not None:
            new = state.scenario().uncertainty.get(path)
            assert new is not None
            said = _(
                "{field} is now {value}; its uncertainty range was widened from "
                "[{low}, {high}] to [{new_low}, {new_high}] to include it."
            ).format(
                field=spec.title,
                value=_shown(path, value),
                low=_shown(path, rng.low),
                high=_shown(path, rng.high),
                new_low=_shown(path, new.low),
                new_high=_shown(path, new.high),
            )
        state.flash("success", said, where="break-even")
    else:
        problems = "; ".join(state.problems())
        state.flash(
            "error", _("Not applied: {problems}").format(problems=problems), where="break-even"
        )


def _shown(path: str, value: float) -> str:
    spec = NUMERIC_FIELDS[path]
    currency = str(state.scenario().business.currency)
    if spec.unit.startswith("fraction"):
        return fmt.percent(value, digits=2)
    if spec.unit.startswith("money"):
        return fmt.money(value, currency)
    if spec.is_int:
        return f"{fmt.count(value)} {fmt.unit_words(spec.unit, currency)}"
    return f"{fmt.number(value, digits=2)} {fmt.unit_words(spec.unit, currency)}"


def break_even_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    path = field_picker(
        _("Input to solve for"), "risk.be.field", default="costs.setup", currency=currency
    )
    kind = st.radio(
        _("Target"),
        _KINDS,
        format_func=common.format_func(),
        horizontal=True,
        **state.bind_choice("risk.be.kind", "NPV = 0", param="index", options=_KINDS),
    )
    goal = 0.0
    if kind == "ROI =":
        goal = (
            float(
                st.number_input(
                    _("ROI (%)"),
                    min_value=-100.0,
                    max_value=10_000.0,
                    **state.bind_choice("risk.be.roi", 100.0),
                )
            )
            / 100
        )
    elif kind == "Payback =":
        goal = float(
            st.number_input(
                _("Payback (months)"),
                min_value=0.0,
                max_value=120.0,
                **state.bind_choice("risk.be.pb", 12.0),
            )
        )
    metric = {"NPV = 0": "npv", "ROI =": "roi", "Payback =": "payback_months"}[str(kind)]
    answer = break_even(
        s,
        path,
        target_roi=goal if metric == "roi" else None,
        target_payback=goal if metric == "payback_months" else None,
    )
    kind_of_answer, sentence = said(answer, s)
    (st.success if kind_of_answer == "success" else st.warning)(escape_markdown(sentence))
    common.messages("break-even")
    if path not in NON_TIMELINE:
        low, high = span_inputs(s, path, "risk.be.span", include=answer.value)
        xs = np.linspace(low, high, 121)
        ys = metric_curve(s, path, xs, metric)
        fig = figures.break_even_curve(
            xs,
            ys,
            path=path,
            metric=metric,
            goal=goal,
            current=get_value(s, path),
            found=answer.value,
            scale=editor.factor(path),
            currency=currency,
        )
        common.chart_card(
            fig,
            lambda: frames.break_even_curve(xs, ys, path=path, metric=metric, currency=currency),
            "break_even",
            alt=_("The {metric} as {field} varies: {sentence}").format(
                metric=_metric_name(metric), field=NUMERIC_FIELDS[path].title, sentence=sentence
            ),
            currency=currency,
        )
    if answer.value is not None:
        what = _(str(kind))
        if metric != "npv":
            what = f"{what} {fmt.number(goal, digits=6)}"
        st.button(
            _("Use this value in the scenario"),
            on_click=_use,
            args=(path, float(answer.value), what),
        )


def _metric_shown(metric: str, value: float | None, currency: str) -> str:
    if metric == "npv":
        return fmt.money_compact(value, currency)
    if metric == "roi":
        return fmt.percent(value)
    return fmt.months(value)


def said(answer: BreakEven, s: Scenario) -> tuple[str, str]:
    """A break-even answer in people's words: the field's title, values in display
    units, money in the scenario's currency; ``("success" | "warning", sentence)``."""
    currency = str(s.business.currency)
    spec = NUMERIC_FIELDS[answer.field]
    metric, goal = str(answer.target["metric"]), float(answer.target["value"])
    name = spec.title.lower() if spec.title[:2] != spec.title[:2].upper() else spec.title
    target = {
        "npv": _("the NPV to {amount}").format(amount=fmt.money_compact(0.0, currency)),
        "roi": _("the ROI to {roi}").format(roi=fmt.percent(goal)),
        "payback_months": _("payback within {months}").format(months=fmt.months(goal)),
    }[metric]
    low, high = (_compact(answer.field, x, currency) for x in answer.searched)
    today = _shown(answer.field, get_value(s, answer.field))
    if answer.outcome == "found" and answer.value is not None:
        text = _("{field} of {value} brings {target} (today: {today}).").format(
            field=spec.title, value=_shown(answer.field, answer.value), target=target, today=today
        )
        if answer.whole:
            text += " " + _(
                "It moves in whole steps: this is the nearest whole value that meets it."
            )
        if answer.crossings > 1:
            text += " " + _(
                "The {metric} meets the target {count} times between {low} and {high}; "
                "this is the one nearest today's value."
            ).format(
                metric=_metric_name(metric), count=fmt.count(answer.crossings), low=low, high=high
            )
        if answer.monotone_payback is False:
            text += " " + _("Payback does not always fall as {field} rises.").format(field=name)
        return "success", text
    if answer.outcome == "jump" and answer.jump is not None:
        a, b = (_metric_shown(metric, x, currency) for x in answer.jump)
        at = _shown(answer.field, answer.at if answer.at is not None else 0.0)
        text = _(
            "No {field} gives exactly {target}: the {metric} jumps from {before} to {after} "
            "at {value}."
        ).format(
            field=name, target=target, metric=_metric_name(metric), before=a, after=b, value=at
        )
        if metric == "payback_months" and 0.0 in answer.jump:
            text += " " + _("(A payback of 0 months means no up-front cost at all.)")
        return "warning", text
    if answer.outcome == "undefined":
        return "warning", _(
            "The {metric} is undefined for every {field} between {low} and {high} "
            "(a case without costs has no ROI)."
        ).format(metric=_metric_name(metric), field=name, low=low, high=high)
    lo_m, hi_m = answer.reach or (None, None)
    if metric == "payback_months":
        if lo_m is None:
            span = _("it never pays back within the horizon there")
        elif hi_m is None:
            span = _("the best payback there is {best}; at worst it never pays back").format(
                best=fmt.months(lo_m)
            )
        else:
            span = _("the best payback there is {best}, the worst {worst}").format(
                best=fmt.months(lo_m), worst=fmt.months(hi_m)
            )
    else:
        span = _("it stays between {low} and {high} there").format(
            low=_metric_shown(metric, lo_m, currency), high=_metric_shown(metric, hi_m, currency)
        )
    return "warning", _("No {field} between {low} and {high} brings {target}: {span}.").format(
        field=name, low=low, high=high, target=target, span=span
    )


def _metric_name(metric: str) -> str:
    return {"npv": "NPV", "roi": "ROI", "payback_months": _("payback")}[metric]


def _compact(path: str, value: float, currency: str) -> str:
    """A field's value in few characters (the ends of a searched span)."""
    spec = NUMERIC_FIELDS[path]
    if spec.unit.startswith("money"):
        return fmt.money_compact(value, currency)
    if spec.unit.startswith("fraction"):
        return fmt.percent(value)
    return fmt.number(value, digits=2)


def span_inputs(
    s: Scenario, path: str, name: str, *, include: float | None = None
) -> tuple[float, float]:
    """From / to for a field's axis (display units), defaulting to half to one and a
    half times today's value (stretched to show ``include``, e.g. a break-even),
    within the field's valid range."""
    spec, value = NUMERIC_FIELDS[path], get_value(s, path)
    lo = max(spec.low, value * 0.5)
    hi = min(spec.upper, value * 1.5 if value > 0 else (spec.typical_max or 1.0))
    if include is not None:
        lo, hi = max(spec.low, min(lo, include * 0.8)), min(spec.upper, max(hi, include * 1.2))
        name = f"{name}.{include:.6g}"
    left, right = st.columns(2)
    a = left.number_input(
        _("From"), **state.bind_choice(f"{name}.{path}.lo", float(editor.display_value(spec, lo)))
    )
    b = right.number_input(
        _("To"), **state.bind_choice(f"{name}.{path}.hi", float(editor.display_value(spec, hi)))
    )
    low, high = sorted((float(editor.model_value(spec, a)), float(editor.model_value(spec, b))))
    return max(low, spec.low), min(high, spec.upper)


# --- two-way table and risk adjustment -------------------------------------------------------


def two_way_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    left, right = st.columns(2)
    with left:
        x = field_picker(
            _("Across (x)"),
            "risk.g.x",
            exclude=NON_TIMELINE,
            default="levers.retention_lift",
            currency=currency,
        )
        x_low, x_high = span_inputs(s, x, "risk.g.xs")
    with right:
        y = field_picker(
            _("Down (y)"),
            "risk.g.y",
            exclude=(*NON_TIMELINE, x),
            default="levers.social_deflection",
            currency=currency,
        )
        y_low, y_high = span_inputs(s, y, "risk.g.ys")
    metric = st.radio(
        _("Show"),
        ["NPV", "ROI"],
        horizontal=True,
        **state.bind_choice("risk.g.metric", "NPV", param="index", options=["NPV", "ROI"]),
    )
    xs, ys = np.linspace(x_low, x_high, 25), np.linspace(y_low, y_high, 25)
    key: Literal["npv", "roi"] = "npv" if metric == "NPV" else "roi"
    z = grid2d(s, x, xs, y, ys, metric=key)
    shown = z * 100 if key == "roi" else z  # percent, like every ROI on screen
    fx, fy = editor.factor(x), editor.factor(y)
    finite = z[np.isfinite(z)]
    crosses = finite.size > 0 and finite.min() < 0 < finite.max()
    fig = figures.heatmap(
        xs * fx,
        ys * fy,
        shown,
        x_title=title(x, currency),
        y_title=title(y, currency),
        metric_title=f"NPV ({currency})" if metric == "NPV" else "ROI (%)",
        current=(get_value(s, x) * fx, get_value(s, y) * fy),
        break_even=crosses,
    )
    if not crosses:
        st.caption(
            _(
                "The {metric} does not cross zero anywhere on this grid: widen the spans "
                "to find the break-even line."
            ).format(metric=metric)
        )
    common.chart_card(
        fig,
        lambda: frames.grid(xs, ys, z, x, y, metric=key, currency=currency),
        "two_way_table",
        alt=(
            _(
                "{metric} over {across} (across) and {down} (down), 25 by 25: "
                "it crosses zero on the grid (the break-even line)."
            )
            if crosses
            else _(
                "{metric} over {across} (across) and {down} (down), 25 by 25: "
                "it does not cross zero on this grid."
            )
        ).format(metric=metric, across=NUMERIC_FIELDS[x].title, down=NUMERIC_FIELDS[y].title),
        currency=currency,
    )


def risk_adjustment_tab(s: Scenario) -> None:
    st.caption(
        _(
            "The total-economic-impact convention: benefits cut by the benefit risk, costs "
            "marked up by the cost risk. Here is what that does to this case."
        )
    )
    frame = frames.risk_adjustment(risk_adjustment(s))
    table = frames.translated(shown(frame, str(s.business.currency)))
    st.table(table)
    common.csv_download(frames.translated(frame), "risk_adjustment", index=True)

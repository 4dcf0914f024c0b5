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
_KINDS = ["NPV = 0", "ROI =", "Payback ="]


def title(path: str, currency: str) -> str:
    """A field's title with its display unit: "Retention lift (%)", "Setup (USD)"."""
    return common.field_label(NUMERIC_FIELDS[path], currency)


# --- ranges -----------------------------------------------------------------------------


def _plus_minus() -> None:
    made = plus_minus(state.scenario(), 0.25)
    state.set_ranges(made.scenario, what="±25 % ranges")
    if made.skipped:
        names = ", ".join(NUMERIC_FIELDS[p].title for p in made.skipped)
        state.flash(
            "info",
            f"No range for {names}: at 0 there is nothing to take 25 % of. "
            "Give them a range by hand if they are uncertain.",
            where=_HERE,
        )


def _from_preset() -> None:
    preset = state.preset()
    if preset is not None:
        state.set_ranges(ranges_like(state.scenario(), preset.scenario), what="preset ranges")


def _clear() -> None:
    state.set_ranges(with_ranges(state.scenario(), {}), what="cleared ranges")


def _apply_rows(key: str) -> None:
    s = state.scenario()
    rows = editor.apply_edits(editor.ranges_rows(s), state.editor_edits(key))
    new, problems = editor.ranges_from_rows(s, rows)
    if new is None:
        state.flash("error", "Ranges not applied; your scenario is unchanged.", where=_HERE)
        for line in problems:
            state.flash("error", line, where=_HERE)
        return
    state.set_ranges(new, what="edited ranges")
    state.flash("success", f"{len(new.uncertainty.items())} ranges applied.", where=_HERE)


def ranges_tab(s: Scenario) -> None:
    """Low / high for any lever, baseline or cost, with one-click sets."""
    currency = str(s.business.currency)
    st.caption(
        "A low and a high for any input you are unsure of; today's value is the most "
        "likely one. Shares in %. Saved with the scenario (JSON and link)."
    )
    a, b, c = st.columns(3)
    a.button("±25 % on every lever", width="stretch", on_click=_plus_minus)
    b.button(
        "Ranges from the preset",
        width="stretch",
        on_click=_from_preset,
        disabled=state.preset() is None,
        help="Only after starting from an industry preset.",
    )
    c.button("Clear all ranges", width="stretch", on_click=_clear)
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
            "input": st.column_config.TextColumn("Input"),
            "unit": st.column_config.TextColumn("Unit"),
            "low": st.column_config.NumberColumn("Low", help="Empty: no range"),
            "value": st.column_config.NumberColumn("Most likely (today's value)"),
            "high": st.column_config.NumberColumn("High", help="Empty: no range"),
        },
    )
    st.button(
        "Apply ranges", type="primary", icon=":material/check:", on_click=_apply_rows, args=(key,)
    )
    for stretch in state.stretches():
        st.caption(
            f"{NUMERIC_FIELDS[stretch.path].title}: stretched to hold its value "
            "(see the dashboard)."
        )


# --- tornado and Monte Carlo ---------------------------------------------------------------


def tornado_tab(s: Scenario) -> None:
    rows = cache.tornado_of(s.model_dump_json())
    if not rows:
        st.info("Give some inputs a range (first tab) to see what moves the NPV most.")
        return
    currency = str(s.business.currency)
    fig = figures.tornado(rows, evaluate(s).summary.npv, currency)
    top = max(rows, key=lambda row: row.swing)
    alt = (
        f"What moves the NPV most: {len(rows)} inputs with a range; the most, "
        f"{NUMERIC_FIELDS[top.field].title}, takes the NPV from "
        f"{fmt.money_compact(top.npv_low, currency)} at its low end to "
        f"{fmt.money_compact(top.npv_high, currency)} at its high end."
    )
    common.chart_card(
        fig, lambda: frames.tornado(rows, currency=currency), "tornado", alt=alt, currency=currency
    )


def monte_carlo_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    left, right = st.columns([2, 1])
    n = int(left.select_slider("Draws", DRAWS, **state.bind_choice("risk.draws", 10_000)))
    seed = int(
        right.number_input(
            "Seed",
            min_value=0,
            max_value=2**32 - 1,
            step=1,
            help="The same seed gives the same numbers.",
            **state.bind_choice("risk.seed", 42),
        )
    )
    with st.spinner(f"Drawing {n:,} scenarios…"):
        mc = cache.monte_carlo_of(s.model_dump_json(), n, seed)
    if not mc.fields:
        st.info("No input has a range yet: every draw equals the scenario. Add ranges first.")
    cols = st.columns(4)
    cols[0].metric("Chance NPV > 0", fmt.percent(mc.prob_npv_positive, digits=1))
    p10, p90 = fmt.money_compact(mc.npv.p10, currency), fmt.money_compact(mc.npv.p90, currency)
    cols[1].metric("NPV P10 / P90", escape_markdown(f"{p10} / {p90}"))
    cols[2].metric("ROI P50", fmt.percent(mc.roi.p50))
    cols[3].metric(
        "Pays back within the horizon", fmt.percent(mc.payback_months.share_paid_back, digits=1)
    )
    st.caption(f"{mc.n:,} draws, seed {mc.seed}; triangular (low, today's value, high).")
    left, right = st.columns(2)
    with left:
        which = (
            st.segmented_control(
                "Distribution of",
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

        alt = (
            f"Distribution of the {which} over {mc.n:,} draws: P10 {say(stats.p10)}, "
            f"P50 {say(stats.p50)}, P90 {say(stats.p90)}."
        )
        common.chart_card(
            fig, lambda: frames.monte_carlo(mc), "monte_carlo", alt=alt, currency=currency
        )
    with right:
        common.chart_card(
            figures.monte_carlo_payback(mc),
            lambda: frames.monte_carlo(mc),
            "mc_payback",
            alt=(
                f"Payback over {mc.n:,} draws: "
                f"{fmt.percent(mc.payback_months.share_paid_back)} pay back within the "
                f"horizon; median {fmt.months(mc.payback_months.p50)}."
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
        format_func=lambda p: title(p, currency),
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
    if state.apply_values({path: value}, note=f"the break-even for {what}", widen=widen):
        spec = NUMERIC_FIELDS[path]
        said = f"{spec.title} is now {_shown(path, value)}"
        if widen and rng is not None:
            new = state.scenario().uncertainty.get(path)
            assert new is not None
            said += (
                f"; its uncertainty range was widened from [{_shown(path, rng.low)}, "
                f"{_shown(path, rng.high)}] to [{_shown(path, new.low)}, "
                f"{_shown(path, new.high)}] to include it"
            )
        state.flash("success", said + ".", where="break-even")
    else:
        state.flash("error", "Not applied: " + "; ".join(state.problems()), where="break-even")


def _shown(path: str, value: float) -> str:
    spec = NUMERIC_FIELDS[path]
    currency = str(state.scenario().business.currency)
    if spec.unit.startswith("fraction"):
        return fmt.percent(value, digits=2)
    if spec.unit.startswith("money"):
        return fmt.money(value, currency)
    if spec.is_int:
        return f"{fmt.count(value)} {spec.unit}"
    return f"{fmt.number(value, digits=2)} {fmt.unit_words(spec.unit, currency)}"


def break_even_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    path = field_picker(
        "Input to solve for", "risk.be.field", default="costs.setup", currency=currency
    )
    kind = st.radio(
        "Target",
        _KINDS,
        horizontal=True,
        **state.bind_choice("risk.be.kind", "NPV = 0", param="index", options=_KINDS),
    )
    goal = 0.0
    if kind == "ROI =":
        goal = (
            float(
                st.number_input(
                    "ROI (%)",
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
                "Payback (months)",
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
            alt=f"The {_metric_name(metric)} as {NUMERIC_FIELDS[path].title} varies: {sentence}",
            currency=currency,
        )
    if answer.value is not None:
        what = str(kind) if metric == "npv" else f"{kind} {goal:g}"
        st.button(
            "Use this value in the scenario", on_click=_use, args=(path, float(answer.value), what)
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
        "npv": f"the NPV to {fmt.money_compact(0.0, currency)}",
        "roi": f"the ROI to {fmt.percent(goal)}",
        "payback_months": f"payback within {fmt.months(goal)}",
    }[metric]
    low, high = (_compact(answer.field, x, currency) for x in answer.searched)
    today = _shown(answer.field, get_value(s, answer.field))
    if answer.outcome == "found" and answer.value is not None:
        text = (
            f"{spec.title} of {_shown(answer.field, answer.value)} brings {target} "
            f"(today: {today})."
        )
        if answer.whole:
            text += " It moves in whole steps: this is the nearest whole value that meets it."
        if answer.crossings > 1:
            text += (
                f" The {_metric_name(metric)} meets the target {answer.crossings} times "
                f"between {low} and {high}; this is the one nearest today's value."
            )
        if answer.monotone_payback is False:
            text += f" Payback does not always fall as {name} rises."
        return "success", text
    if answer.outcome == "jump" and answer.jump is not None:
        a, b = (_metric_shown(metric, x, currency) for x in answer.jump)
        at = _shown(answer.field, answer.at if answer.at is not None else 0.0)
        text = (
            f"No {name} gives exactly {target}: the {_metric_name(metric)} jumps from "
            f"{a} to {b} at {at}."
        )
        if metric == "payback_months" and 0.0 in answer.jump:
            text += " (A payback of 0 months means no up-front cost at all.)"
        return "warning", text
    if answer.outcome == "undefined":
        return "warning", (
            f"The {_metric_name(metric)} is undefined for every {name} between "
            f"{low} and {high} (a case without costs has no ROI)."
        )
    lo_m, hi_m = answer.reach or (None, None)
    if metric == "payback_months":
        span = (
            "it never pays back within the horizon there"
            if lo_m is None
            else f"the best payback there is {fmt.months(lo_m)}"
            + (
                "; at worst it never pays back"
                if hi_m is None
                else f", the worst {fmt.months(hi_m)}"
            )
        )
    else:
        span = (
            f"it stays between {_metric_shown(metric, lo_m, currency)} and "
            f"{_metric_shown(metric, hi_m, currency)} there"
        )
    return "warning", f"No {name} between {low} and {high} brings {target}: {span}."


def _metric_name(metric: str) -> str:
    return {"npv": "NPV", "roi": "ROI", "payback_months": "payback"}[metric]


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
        "From", **state.bind_choice(f"{name}.{path}.lo", float(editor.display_value(spec, lo)))
    )
    b = right.number_input(
        "To", **state.bind_choice(f"{name}.{path}.hi", float(editor.display_value(spec, hi)))
    )
    low, high = sorted((float(editor.model_value(spec, a)), float(editor.model_value(spec, b))))
    return max(low, spec.low), min(high, spec.upper)


# --- two-way table and risk adjustment -------------------------------------------------------


def two_way_tab(s: Scenario) -> None:
    currency = str(s.business.currency)
    left, right = st.columns(2)
    with left:
        x = field_picker(
            "Across (x)",
            "risk.g.x",
            exclude=NON_TIMELINE,
            default="levers.retention_lift",
            currency=currency,
        )
        x_low, x_high = span_inputs(s, x, "risk.g.xs")
    with right:
        y = field_picker(
            "Down (y)",
            "risk.g.y",
            exclude=(*NON_TIMELINE, x),
            default="levers.social_deflection",
            currency=currency,
        )
        y_low, y_high = span_inputs(s, y, "risk.g.ys")
    metric = st.radio(
        "Show",
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
            f"The {metric} does not cross zero anywhere on this grid: widen the spans "
            "to find the break-even line."
        )
    common.chart_card(
        fig,
        lambda: frames.grid(xs, ys, z, x, y, metric=key, currency=currency),
        "two_way_table",
        alt=(
            f"{metric} over {NUMERIC_FIELDS[x].title} (across) and {NUMERIC_FIELDS[y].title} "
            f"(down), 25 by 25: "
            + (
                "it crosses zero on the grid (the break-even line)."
                if crosses
                else "it does not cross zero on this grid."
            )
        ),
        currency=currency,
    )


def risk_adjustment_tab(s: Scenario) -> None:
    st.caption(
        "The total-economic-impact convention: benefits cut by the benefit risk, costs "
        "marked up by the cost risk. Here is what that does to this case."
    )
    frame = frames.risk_adjustment(risk_adjustment(s))
    st.table(shown(frame, str(s.business.currency)))
    common.csv_download(frame, "risk_adjustment", index=True)

"""Analyses on top of the engine (MODEL.md §4): tornado, break-even, Monte Carlo.

Each analysis evaluates all its variants in one call of
:func:`roi_core.engine.evaluate_batch`; none loops over scenarios in Python
(break-even on the two timeline fields, which reshape the months themselves,
evaluates each whole month count once).

Variants are made valid the same way everywhere (:func:`feasible`): a value is
clipped to its field's valid range, and where ``social_deflection +
self_service_deflection`` would exceed 1 both are scaled down in proportion to
sum to 1.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from roi_core.drivers import FloatArray
from roi_core.engine import STRUCTURAL_FIELDS, evaluate, evaluate_batch
from roi_core.errors import AnalysisError
from roi_core.results import BatchResult, defined
from roi_core.scenario import NUMERIC_FIELDS, Scenario, get_value, with_values

__all__ = [
    "MAX_DRAWS",
    "MAX_GRID",
    "PERCENTILES",
    "BreakEven",
    "MonteCarlo",
    "Outcome",
    "PaybackStats",
    "Stats",
    "TornadoRow",
    "break_even",
    "chunk_rows",
    "draw",
    "feasible",
    "grid2d",
    "monte_carlo",
    "percentiles",
    "sensitivity",
    "triangular",
]

#: Percentiles reported by Monte Carlo, as MODEL.md §4 names them.
PERCENTILES: tuple[int, ...] = (5, 10, 50, 90, 95)
#: Upper bound on Monte Carlo draws (memory: 40 bytes per draw for the five results
#: kept, plus one chunk's working arrays; see :func:`chunk_rows`).
MAX_DRAWS = 1_000_000
#: Draw-months evaluated at once by Monte Carlo (about 1 MiB per working array).
CHUNK_CELLS = 1 << 17
#: Upper bound on the points of a two-way table (one batch; 200 x 200).
MAX_GRID = 40_000

_SOCIAL = "levers.social_deflection"
_SELF = "levers.self_service_deflection"


# --- making variants valid ------------------------------------------------------------------


def feasible(scenario: Scenario, columns: Mapping[str, npt.ArrayLike]) -> dict[str, FloatArray]:
    """Clip each column to its field's valid range; scale the two deflection
    shares down in proportion where their sum exceeds 1."""
    out: dict[str, FloatArray] = {}
    for path, values in columns.items():
        spec = NUMERIC_FIELDS[path]
        out[path] = np.clip(np.asarray(values, dtype=np.float64), spec.low, spec.upper)
    if _SOCIAL in out or _SELF in out:
        n = len(out.get(_SOCIAL, out.get(_SELF, np.empty(0))))
        social = out.get(_SOCIAL, np.full(n, get_value(scenario, _SOCIAL)))
        self_service = out.get(_SELF, np.full(n, get_value(scenario, _SELF)))
        total = social + self_service
        scale = np.where(total > 1.0, 1.0 / np.where(total > 0, total, 1.0), 1.0)
        out[_SOCIAL], out[_SELF] = social * scale, self_service * scale
    return out


# --- sensitivity (tornado) ------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoRow:
    """NPV with one field at the low and at the high end of its range."""

    field: str
    low: float
    high: float
    npv_low: float
    npv_high: float
    swing: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sensitivity(scenario: Scenario) -> list[TornadoRow]:
    """One tornado row per field with an uncertainty range, largest swing first.

    ``low``/``high`` are the values actually evaluated (the range, clipped to
    the field's valid range). All 2k variants are one batch evaluation.
    """
    ranged = scenario.uncertainty.items()
    if not ranged:
        return []
    n = 2 * len(ranged)
    columns: dict[str, FloatArray] = {}
    for i, (path, rng) in enumerate(ranged):
        column = np.full(n, get_value(scenario, path))
        column[2 * i], column[2 * i + 1] = rng.low, rng.high
        columns[path] = column
    columns = feasible(scenario, columns)
    npv = evaluate_batch(scenario, columns).npv
    rows = [
        TornadoRow(
            field=path,
            low=float(columns[path][2 * i]),
            high=float(columns[path][2 * i + 1]),
            npv_low=float(npv[2 * i]),
            npv_high=float(npv[2 * i + 1]),
            swing=abs(float(npv[2 * i + 1] - npv[2 * i])),
        )
        for i, (path, _) in enumerate(ranged)
    ]
    return sorted(rows, key=lambda row: -row.swing)  # stable: ties keep field order


# --- break-even (goal seek) ------------------------------------------------------------------

Metric = Literal["npv", "roi", "payback_months"]

#: Payback that never happens, as a number the scan can compare (far beyond 120 months).
_NEVER = 1e9


#: How a goal seek ended: the value was ``"found"``; no value in the searched span
#: reaches the target (``"unreachable"``); the metric leaps across the target at one
#: value without ever meeting it (``"jump"``); the metric is undefined at every
#: value searched (``"undefined"``).
Outcome = Literal["found", "unreachable", "jump", "undefined"]


@dataclass(frozen=True)
class BreakEven:
    """The value of ``field`` that brings the metric to the target, or ``None``.

    The first four attributes are the command line's answer (MODEL.md §5):
    :meth:`to_dict` gives exactly those, and ``message`` is a sentence for the
    CLI, with field paths and numbers in ``%g`` style. The attributes after them
    are the same answer in parts, for a caller that words it for people (field
    titles, display units, formatted money). :func:`break_even` fills every one
    of them on every path; their defaults only keep older constructor calls valid.

    Attributes
    ----------
    field : str
        The field path searched (``"costs.setup"``).
    value : float or None
        The field's value that meets the target, in model units; ``None`` unless
        ``outcome == "found"``.
    target : dict
        ``{"metric": "npv" | "roi" | "payback_months", "value": goal}``.
    message : str
        One or more sentences saying the answer, for the command line.
    outcome : {"found", "unreachable", "jump", "undefined"}
        How the search ended (see :data:`Outcome`).
    searched : tuple of float
        ``(low, high)``: the span of the field that was searched, in model units
        (its valid range given the rest of the scenario; a capped money or count
        field is searched up to a very large span within its cap).
    reach : tuple or None
        For ``"unreachable"``: the lowest and the highest value the metric takes
        on the scan of the span, in the metric's units (a payback of "never
        within the horizon" is ``None``, and sorts last); else ``None``.
    jump : tuple of float or None
        For ``"jump"``: the metric's values on the two sides of the jump, lower
        first (a payback of ``(0.0, 9.2)``); else ``None``.
    at : float or None
        For ``"jump"``: the field's value at which the metric jumps; else ``None``.
    crossings : int
        How many times the metric crosses (or touches) the target on the scan of
        the span: ``0`` for ``"unreachable"`` and ``"undefined"``; more than one
        means the answer is the crossing nearest the field's current value.
    whole : bool
        ``True`` when the field is a whole number and ``value`` is the nearest
        whole value at which the target is met.
    monotone_payback : bool or None
        For a payback target: whether payback is monotone in the field over the
        scan of the span (``None`` where it is undefined everywhere); ``None``
        for an npv or roi target.
    """

    field: str
    value: float | None
    target: dict[str, Any]
    message: str
    outcome: Outcome = "found"
    searched: tuple[float, float] = (math.nan, math.nan)
    reach: tuple[float | None, float | None] | None = None
    jump: tuple[float, float] | None = None
    at: float | None = None
    crossings: int = 0
    whole: bool = False
    monotone_payback: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """``field, value, target, message``: the names of MODEL.md §5, JSON-ready."""
        return {
            "field": self.field,
            "value": self.value,
            "target": dict(self.target),
            "message": self.message,
        }


def _metric_of(batch: BatchResult, metric: Metric) -> FloatArray:
    if metric == "payback_months":
        return np.where(np.isinf(batch.payback_months), _NEVER, batch.payback_months)
    return batch.npv if metric == "npv" else batch.roi


def _evaluator(scenario: Scenario, path: str, metric: Metric) -> Callable[[FloatArray], FloatArray]:
    if path in STRUCTURAL_FIELDS:

        def per_value(xs: FloatArray) -> FloatArray:
            out = []
            for x in xs:
                summary = evaluate(with_values(scenario, {path: int(x)})).summary
                value = getattr(summary, metric)
                if value is None:
                    value = _NEVER if metric == "payback_months" else math.nan
                out.append(value)
            return np.asarray(out)

        return per_value

    def batch(xs: FloatArray) -> FloatArray:
        return _metric_of(evaluate_batch(scenario, {path: xs}), metric)

    return batch


#: An upper bound more than this many times a field's scale (its value, default or
#: typical maximum) is a sanity cap on input, not a limit of the model: such a field
#: is searched as an open-ended one, densely near its value and geometrically beyond.
_CAP_RATIO = 100.0


def _search_range(scenario: Scenario, path: str) -> tuple[float, float, bool]:
    """``(low, high, bounded)``: the field's valid range given the rest of the
    scenario; a field whose bound is only a sanity cap (money, counts) is searched
    as unbounded, up to a very large span within that cap."""
    spec = NUMERIC_FIELDS[path]
    current = get_value(scenario, path)
    low, high = spec.low, spec.upper
    if path in (_SOCIAL, _SELF):
        other = get_value(scenario, _SELF if path == _SOCIAL else _SOCIAL)
        high = min(high, max(0.0, 1.0 - other))
    scale = max(abs(current), abs(spec.default), spec.typical_max or 0.0, 1.0)
    if high > _CAP_RATIO * scale:
        return low, min(high, max(1e12, abs(current) * 1e6)), False
    return low, high, True


def _grid(low: float, high: float, current: float, bounded: bool, integer: bool) -> FloatArray:
    if integer and high - low <= 256:
        return np.arange(low, high + 1.0)
    if bounded:
        pts = np.linspace(low, high, 513)
    else:
        knee = max(2.0 * abs(current), 1.0)
        pts = np.concatenate([np.linspace(low, knee, 257), np.geomspace(knee, high, 129)])
    return np.unique(np.append(pts, current))


def _refine(f: Callable[[FloatArray], FloatArray], a: float, b: float, ga: float) -> float:
    """Shrink a sign-change bracket [a, b] by 64-point sections until it is
    narrower than 1e-12 relative (a handful of vectorised evaluations)."""
    for _ in range(12):
        if b - a <= 1e-12 * max(abs(a), abs(b), 1e-300):
            break
        xs = np.linspace(a, b, 65)
        gs = f(xs)
        gs[0] = ga
        flips = np.flatnonzero((np.sign(gs[:-1]) * np.sign(gs[1:]) <= 0) & np.isfinite(gs[1:]))
        if flips.size == 0:
            break
        i = int(flips[0])
        if gs[i] == 0:
            return float(xs[i])
        a, b, ga = float(xs[i]), float(xs[i + 1]), float(gs[i])
    return 0.5 * (a + b)


def _jump(
    f: Callable[[FloatArray], FloatArray], x: float, low: float
) -> tuple[float, float] | None:
    """The two sides of a discontinuity at ``x`` (a payback that leaps from 0 to
    9 months), or ``None`` where the metric really passes through the target.

    A continuous metric changes about a thousand times less across a step a
    thousand times narrower; a jump does not shrink at all.
    """
    scale = max(abs(x), 1.0)
    near, far = 1e-9 * scale, 1e-6 * scale
    points = np.array([max(x - near, low), x + near, max(x - far, low), x + far])
    v = f(points)
    if not np.isfinite(v).all():
        return None
    narrow, wide = abs(v[1] - v[0]), abs(v[3] - v[2])
    if narrow > 0.5 * wide and narrow > 1e-9 * max(abs(v[0]), abs(v[1]), 1.0):
        return float(min(v[0], v[1])), float(max(v[0], v[1]))
    return None


def _fmt(x: float) -> str:
    return f"{x:,.6g}"


def break_even(
    scenario: Scenario,
    path: str,
    *,
    target_roi: float | None = None,
    target_payback: float | None = None,
) -> BreakEven:
    """The value of a numeric field at which npv = 0, or roi = ``target_roi``, or the
    payback is ``target_payback`` months (met where payback <= target).

    Searches the field's whole valid range (a 513-point scan, then sections of
    the bracket to 1e-12 relative); when the metric crosses the target more
    than once, the crossing nearest the field's current value is returned and
    the message says so. A whole-number field returns the nearest whole value
    at which the target is met. When no value in the range reaches the target,
    ``value`` is ``None`` and the message says what the metric spans instead.

    Parameters
    ----------
    scenario : Scenario
        The scenario; every field but ``path`` keeps its value.
    path : str
        The numeric field to solve for (``"costs.setup"``).
    target_roi : float, optional
        Seek roi = this fraction instead of npv = 0.
    target_payback : float, optional
        Seek a payback of this many months (0..120) instead of npv = 0.

    Returns
    -------
    BreakEven
        The answer as a sentence (``message``) and in parts (``outcome``,
        ``searched``, ``reach``, ``jump``, ``at``, ``crossings``, ``whole``,
        ``monotone_payback``), filled in on every path.

    Raises
    ------
    AnalysisError
        ``path`` is not a numeric field, both targets are given, or a target is
        out of range.
    """
    if path not in NUMERIC_FIELDS:
        raise AnalysisError(f"{path}: not a numeric field of the scenario")
    if target_roi is not None and target_payback is not None:
        raise AnalysisError("target: seek one of roi or payback, not both")
    if target_roi is not None and not math.isfinite(target_roi):
        raise AnalysisError("--target-roi: must be a finite number")
    if target_payback is not None and not 0 <= target_payback <= 120:
        raise AnalysisError("--target-payback: must be between 0 and 120 months")
    metric: Metric = "npv"
    goal = 0.0
    if target_roi is not None:
        metric, goal = "roi", float(target_roi)
    elif target_payback is not None:
        metric, goal = "payback_months", float(target_payback)
    target = {"metric": metric, "value": goal}
    spec = NUMERIC_FIELDS[path]
    current = get_value(scenario, path)
    low, high, bounded = _search_range(scenario, path)
    searched = (float(low), float(high))
    f = _evaluator(scenario, path, metric)
    payback = metric == "payback_months"

    # For payback, lower is better: the target is met where payback <= goal.
    sign = -1.0 if payback else 1.0

    def g(xs: FloatArray) -> FloatArray:
        return sign * (f(xs) - goal)

    grid = _grid(low, high, current, bounded, spec.is_int)
    gs = g(grid)
    finite = np.isfinite(gs)
    xs, gs = grid[finite], gs[finite]
    name = f"payback = {_fmt(goal)} months" if payback else f"{metric} = {_fmt(goal)}"
    span = f"[{_fmt(low)}, {_fmt(high)}]"
    if xs.size == 0:
        return BreakEven(
            path,
            None,
            target,
            f"{metric} is undefined everywhere in {span}.",
            outcome="undefined",
            searched=searched,
        )
    monotone: bool | None = None
    if payback:
        steps = np.diff(gs)
        monotone = not ((steps > 0).any() and (steps < 0).any())
    roots = [float(x) for x in xs[gs == 0]]
    brackets = np.flatnonzero(np.sign(gs[:-1]) * np.sign(gs[1:]) < 0)
    candidates: list[tuple[float, float, float, float]] = [(r, r, 0.0, 0.0) for r in roots]
    candidates += [(xs[i], xs[i + 1], gs[i], gs[i + 1]) for i in brackets]
    if not candidates:
        lo_m, hi_m = sorted((float(sign * np.min(gs) + goal), float(sign * np.max(gs) + goal)))
        reach = (_reached(lo_m, payback), _reached(hi_m, payback))
        if payback and lo_m >= _NEVER:
            message = (
                f"No value of {path} in {span} brings {name}: the case never pays back "
                "within the horizon there."
            )
        elif payback and hi_m >= _NEVER:
            message = (
                f"No value of {path} in {span} brings {name}: payback ranges from "
                f"{_fmt(lo_m)} months to never there."
            )
        else:
            message = (
                f"No value of {path} in {span} brings {name}: {metric} stays between "
                f"{_fmt(lo_m)} and {_fmt(hi_m)} there."
            )
        return BreakEven(
            path,
            None,
            target,
            message,
            outcome="unreachable",
            searched=searched,
            reach=reach,
            monotone_payback=monotone,
        )

    def distance(c: tuple[float, float, float, float]) -> float:
        return 0.0 if c[0] <= current <= c[1] else min(abs(c[0] - current), abs(c[1] - current))

    a, b, ga, gb = (float(x) for x in min(candidates, key=distance))
    if a == b:
        value = a
    elif spec.is_int and b - a <= 1.0:
        value = b if gb >= 0 else a
    else:
        value = _refine(g, a, b, ga)
        jump = _jump(f, value, low)
        if jump is not None:
            value = low if abs(value - low) <= 1e-9 * max(abs(value), 1.0) else value
            return BreakEven(path, None, target, (
                f"No value of {path} gives exactly {name}: {metric} jumps from "
                f"{_fmt(jump[0])} to {_fmt(jump[1])} at {path} = {_fmt(value)}."
                + (" (A payback of 0 means no up-front cost at all.)"
                   if payback and 0.0 in jump else "")
            ), outcome="jump", searched=searched, jump=jump, at=float(value),
                crossings=len(candidates), monotone_payback=monotone)  # fmt: skip
        if spec.is_int:
            whole = np.array([math.floor(value), math.ceil(value)], dtype=np.float64)
            met = whole[g(whole) >= 0]
            value = float(met[np.argmin(np.abs(met - value))]) if met.size else round(value)
    many = len(candidates) > 1
    message = f"{name} at {path} = {_fmt(value)} (now {_fmt(current)})."
    if payback:
        if not monotone:
            message += (
                f" Payback is not monotone in {path} over {span}: this is the crossing "
                "nearest the current value, not the only one."
            )
        else:
            message += " Payback is monotone in this field over its range."
    if spec.is_int:
        message += f" {path} is a whole number: the nearest whole value at which the target is met."
    if many:
        message += (
            f" {metric} crosses the target {len(candidates)} times in {span}; "
            "this is the crossing nearest the current value."
        )
    return BreakEven(
        path,
        float(value),
        target,
        message,
        outcome="found",
        searched=searched,
        crossings=len(candidates),
        whole=spec.is_int,
        monotone_payback=monotone,
    )


def _reached(metric_value: float, payback: bool) -> float | None:
    """A metric value for :attr:`BreakEven.reach`: ``None`` for a payback of never."""
    return None if payback and metric_value >= _NEVER else metric_value


# --- two-way data table ---------------------------------------------------------------------


def grid2d(
    scenario: Scenario,
    x_path: str,
    x_values: npt.ArrayLike,
    y_path: str,
    y_values: npt.ArrayLike,
    metric: Literal["npv", "roi"] = "npv",
) -> FloatArray:
    """``metric`` over every pair of values: ``out[i, j]`` has ``y_values[i]`` and
    ``x_values[j]`` (Excel's two-way data table), all in one batch evaluation.

    Values are made valid as everywhere (:func:`feasible`); ROI is ``nan``
    where costs are zero. Timeline fields cannot vary in a grid.
    """
    if x_path == y_path:
        raise AnalysisError("y: choose a field other than x")
    for path in (x_path, y_path):
        if path not in NUMERIC_FIELDS:
            raise AnalysisError(f"{path}: not a numeric field of the scenario")
        if path in STRUCTURAL_FIELDS:
            raise AnalysisError(f"{path}: shapes the timeline and cannot vary in a grid")
    xs = np.asarray(x_values, dtype=np.float64).ravel()
    ys = np.asarray(y_values, dtype=np.float64).ravel()
    if xs.size * ys.size > MAX_GRID:
        raise AnalysisError(f"grid: at most {MAX_GRID:,} points")
    xx, yy = np.meshgrid(xs, ys)
    columns = feasible(scenario, {x_path: xx.ravel(), y_path: yy.ravel()})
    batch = evaluate_batch(scenario, columns)
    out: FloatArray = _metric_of(batch, metric).reshape(ys.size, xs.size)
    return out


# --- Monte Carlo -----------------------------------------------------------------------------


def triangular(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution (low, mode, high) at ``u`` in [0, 1).

    A range of zero width gives its one value (numpy's own sampler refuses it).
    """
    width = high - low
    split = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.5)
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    out: FloatArray = np.where(u < split, left, right)
    return out


def percentiles(x: FloatArray, qs: tuple[int, ...] = PERCENTILES) -> list[float | None]:
    """numpy's default (linear) percentiles, where ``+inf`` values take part as
    +infinity: a percentile whose order statistics reach one is ``None``.

    Works on one sorted copy of ``x`` (a million draws: 8 MB, not four times that)."""
    x = np.sort(np.asarray(x, dtype=np.float64))
    if x.size == 0:
        return [None for _ in qs]
    top = np.ceil(np.asarray(qs) / 100.0 * (x.size - 1)).astype(int)
    defined_at = np.isfinite(x[top])
    finite = np.isfinite(x)
    if not finite.all():  # stand-ins that sort where +inf did; those percentiles are None
        filler = float(np.max(x, where=finite, initial=-np.inf)) if finite.any() else 0.0
        np.copyto(x, filler, where=~finite)
    values = np.percentile(x, qs, overwrite_input=True)
    return [float(v) if ok else None for v, ok in zip(values, defined_at, strict=True)]


@dataclass(frozen=True)
class Stats:
    """Mean and percentiles of one figure over the draws (``None`` where undefined)."""

    mean: float | None
    p5: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    p95: float | None

    @classmethod
    def of(cls, x: FloatArray) -> Stats:
        p5, p10, p50, p90, p95 = percentiles(x)
        finite = np.isfinite(x)
        kept = x if finite.all() else x[finite]
        mean = defined(float(kept.mean())) if kept.size else None
        return cls(mean, p5, p10, p50, p90, p95)


@dataclass(frozen=True)
class PaybackStats(Stats):
    """Payback percentiles count a draw that never pays back as +infinity; the
    mean is over the draws that do pay back, beside their share."""

    share_paid_back: float = 0.0


@dataclass(frozen=True)
class MonteCarlo:
    """Monte Carlo summary (MODEL.md §4) plus the draws themselves for charts."""

    n: int
    seed: int
    npv: Stats
    roi: Stats
    payback_months: PaybackStats
    prob_npv_positive: float
    fields: tuple[str, ...] = ()
    samples: BatchResult | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The names of MODEL.md §5, JSON-ready (no draws)."""
        return {
            "n": self.n,
            "seed": self.seed,
            "npv": asdict(self.npv),
            "roi": asdict(self.roi),
            "payback_months": asdict(self.payback_months),
            "prob_npv_positive": self.prob_npv_positive,
        }


def draw(scenario: Scenario, n: int, seed: int) -> dict[str, FloatArray]:
    """``n`` feasible draws of every ranged field: triangular (low, value, high),
    independent, clipped, deflection shares scaled to sum to at most 1."""
    if not scenario.uncertainty.items():
        return {}
    return _draws(scenario, np.random.default_rng(seed), n)


def _draws(scenario: Scenario, rng: np.random.Generator, n: int) -> dict[str, FloatArray]:
    """The next ``n`` draws of ``rng``: one row of uniforms per draw, one column per
    ranged field, so ``n = a + b`` drawn as ``a`` then ``b`` rows are the same numbers."""
    ranged = scenario.uncertainty.items()
    u = rng.random((n, len(ranged)))
    low = np.array([r.low for _, r in ranged])
    high = np.array([r.high for _, r in ranged])
    mode = np.array([get_value(scenario, p) for p, _ in ranged])
    values = triangular(u, low, mode, high)
    return feasible(scenario, {p: values[:, i] for i, (p, _) in enumerate(ranged)})


def _finite(x: FloatArray) -> FloatArray:
    """``x`` without its undefined entries (a copy only when there are some)."""
    finite = np.isfinite(x)
    return x if finite.all() else x[finite]


def _columns(batch: BatchResult) -> tuple[FloatArray, ...]:
    """The five result arrays of ``batch`` in field order (not copied)."""
    return tuple(getattr(batch, f.name) for f in fields(batch))


def chunk_rows(horizon_months: int) -> int:
    """Draws evaluated together by :func:`monte_carlo`: about :data:`CHUNK_CELLS`
    draw-months, so each working array stays near 1 MiB (in the CPU's cache) and the
    peak memory does not grow with the number of draws."""
    return max(64, CHUNK_CELLS // (horizon_months + 1))


def monte_carlo(scenario: Scenario, n: int = 10_000, seed: int | None = None) -> MonteCarlo:
    """Draw every ranged field ``n`` times and evaluate all draws in one batch.

    ``seed`` makes the run repeatable; without one a random seed is chosen and
    reported. ROI statistics are over the draws where ROI is defined (costs > 0).
    """
    if not 1 <= n <= MAX_DRAWS:
        raise AnalysisError(f"n: must be between 1 and {MAX_DRAWS:,}")
    if seed is None:
        seed = secrets.randbelow(2**32)
    if seed < 0:
        raise AnalysisError("seed: must be >= 0")
    if not scenario.uncertainty.items():  # no ranges: every draw is the scenario itself
        one = evaluate_batch(scenario, {})
        batch = BatchResult(*(np.broadcast_to(a, (n,)) for a in _columns(one)))
        varied: tuple[str, ...] = ()
    else:
        # Evaluated in chunks of rows (a loop over chunks, never over draws): the same
        # random numbers in the same order as one batch, a peak memory that does not
        # grow with n, and arrays small enough to stay in the CPU's cache.
        rng = np.random.default_rng(seed)
        out = [np.empty(n) for _ in range(5)]
        rows = chunk_rows(scenario.finance.horizon_months)
        varied = tuple(p for p, _ in scenario.uncertainty.items())
        for start in range(0, n, rows):
            part = evaluate_batch(scenario, _draws(scenario, rng, min(rows, n - start)))
            for target, values in zip(out, _columns(part), strict=True):
                target[start : start + values.size] = values
        batch = BatchResult(*out)
    paid = np.isfinite(batch.payback_months)
    pay = Stats.of(batch.payback_months)
    return MonteCarlo(
        n=n,
        seed=seed,
        npv=Stats.of(batch.npv),
        roi=Stats.of(_finite(batch.roi)),
        payback_months=PaybackStats(**asdict(pay), share_paid_back=float(paid.mean())),
        prob_npv_positive=float((batch.npv > 0).mean()),
        fields=varied,
        samples=batch,
    )

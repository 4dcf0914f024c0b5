"""Uncertainty ranges as a whole: set them, derive them, keep them holding the values.

A scenario's ranges (MODEL.md §1 ``uncertainty``) drive the tornado and Monte
Carlo. The functions here build whole sets of ranges — "±25 % on every lever",
"the preset's ranges" — and stretch a set just enough to hold values that moved
outside it, saying which ranges were stretched, so that nothing changes a range
silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from roi_core.scenario import (
    NUMERIC_FIELDS,
    RANGEABLE_GROUPS,
    Scenario,
    Uncertainty,
    get_value,
    scenario_from_dict,
)

__all__ = [
    "RANGEABLE",
    "PlusMinus",
    "Stretch",
    "plus_minus",
    "ranges_like",
    "ranges_of",
    "stretch",
    "uncertainty_of",
    "with_ranges",
]

#: Every numeric field that may carry a range, in MODEL.md order.
RANGEABLE: tuple[str, ...] = tuple(
    p for p, s in NUMERIC_FIELDS.items() if s.group in RANGEABLE_GROUPS
)

Ranges = Mapping[str, tuple[float, float]]


def ranges_of(uncertainty: Uncertainty) -> dict[str, tuple[float, float]]:
    """``{path: (low, high)}`` of a set of ranges."""
    return {path: (r.low, r.high) for path, r in uncertainty.items()}


def uncertainty_of(ranges: Ranges) -> Uncertainty:
    """The :class:`Uncertainty` holding exactly ``ranges`` (validated)."""
    data: dict[str, dict[str, dict[str, float]]] = {g: {} for g in RANGEABLE_GROUPS}
    for path, (low, high) in ranges.items():
        group, name = path.split(".")
        data[group][name] = {"low": low, "high": high}
    return Uncertainty.model_validate(data)


def with_ranges(scenario: Scenario, ranges: Ranges) -> Scenario:
    """``scenario`` with exactly these ranges (all others removed), validated again.

    Raises :class:`~roi_core.errors.ScenarioError` naming ``uncertainty.<path>``
    when a range breaks a rule (ends out of order, value outside, past the
    field's bounds).
    """
    data = scenario.model_dump(mode="json")
    data["uncertainty"] = {g: {} for g in RANGEABLE_GROUPS}
    for path, (low, high) in ranges.items():
        group, name = path.split(".")
        data["uncertainty"][group][name] = {"low": low, "high": high}
    return scenario_from_dict(data)


@dataclass(frozen=True)
class PlusMinus:
    """What "±x % on every lever" made: the scenario, and the levers it left out
    (a lever at 0 has no ±x % around it)."""

    scenario: Scenario
    skipped: tuple[str, ...]


def plus_minus(
    scenario: Scenario, share: float, *, groups: Iterable[str] = ("levers",)
) -> PlusMinus:
    """Every field of ``groups`` ranged from ``value * (1 - share)`` to
    ``value * (1 + share)``, capped at the field's valid range. Other ranges stay.
    Fields at 0 are skipped: a 0-0 range would be a bar-less tornado row."""
    wanted = tuple(groups)
    ranges = ranges_of(scenario.uncertainty)
    skipped = []
    for path in RANGEABLE:
        spec = NUMERIC_FIELDS[path]
        if spec.group not in wanted:
            continue
        value = get_value(scenario, path)
        if value == 0:
            skipped.append(path)
            ranges.pop(path, None)
            continue
        ranges[path] = (max(spec.low, value * (1 - share)), min(spec.upper, value * (1 + share)))
    return PlusMinus(with_ranges(scenario, ranges), tuple(skipped))


def ranges_like(scenario: Scenario, source: Scenario) -> Scenario:
    """``scenario`` with the ranges of ``source`` (e.g. its preset), each stretched
    to hold ``scenario``'s own value."""
    ranges = {}
    for path, rng in source.uncertainty.items():
        value = get_value(scenario, path)
        ranges[path] = (min(rng.low, value), max(rng.high, value))
    return with_ranges(scenario, ranges)


@dataclass(frozen=True)
class Stretch:
    """A range that had to widen to hold its field's value."""

    path: str
    declared: tuple[float, float]
    stretched: tuple[float, float]


def stretch(
    uncertainty: Uncertainty, values: Mapping[str, float]
) -> tuple[Uncertainty, list[Stretch]]:
    """The ranges widened just enough to hold ``values`` (``{path: value}``), and
    what was widened. A value back inside its range leaves the range as declared."""
    out: dict[str, tuple[float, float]] = {}
    stretched: list[Stretch] = []
    for path, rng in uncertainty.items():
        value = values.get(path)
        if value is None or rng.low <= value <= rng.high:
            out[path] = (rng.low, rng.high)
            continue
        wider = (min(rng.low, value), max(rng.high, value))
        out[path] = wider
        stretched.append(Stretch(path, (rng.low, rng.high), wider))
    if not stretched:
        return uncertainty, []
    return uncertainty_of(out), stretched

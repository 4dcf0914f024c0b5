"""A workshop room's cases taken together: the room's median case and where the
teams disagree most. Pure: scenarios in, a scenario or numbers out."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from roi_core.scenario import NUMERIC_FIELDS, Scenario, get_value, with_values

__all__ = ["disagreement", "median_case"]

_SOCIAL, _SELF = "levers.social_deflection", "levers.self_service_deflection"


def median_case(base: Scenario, cases: Sequence[Scenario], allowed: Sequence[str]) -> Scenario:
    """``base`` with every open lever (``allowed``) at the median of the cases' values.

    Medians of valid deflection pairs can add up to more than 1; they are then
    scaled down in proportion, as the analyses do. No cases: ``base`` itself.
    """
    if not cases:
        return base
    values = {p: statistics.median(get_value(s, p) for s in cases) for p in allowed}
    social = values.get(_SOCIAL, get_value(base, _SOCIAL))
    self_service = values.get(_SELF, get_value(base, _SELF))
    if social + self_service > 1:
        for path in (_SOCIAL, _SELF):
            if path in values:
                values[path] /= social + self_service
    return with_values(base, values)


def disagreement(cases: Sequence[Scenario], allowed: Sequence[str]) -> list[tuple[str, float]]:
    """The open levers the cases disagree on most: the spread of their values
    (population standard deviation) relative to the lever's usual scale
    (its slider's typical maximum), largest first. Fewer than two cases: none."""
    if len(cases) < 2:
        return []
    out = []
    for path in allowed:
        spec = NUMERIC_FIELDS[path]
        values = [get_value(s, path) for s in cases]
        scale = spec.typical_max or max(abs(v) for v in values) or 1.0
        out.append((path, statistics.pstdev(values) / scale))
    return sorted(out, key=lambda x: -x[1])

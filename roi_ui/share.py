"""A scenario in a shareable URL: its non-default fields as query parameters.

Encoding (pure, no Streamlit):

* each numeric field that differs from MODEL.md's default: ``levers.save_rate=0.25``
  (model units: fractions, not percent);
* ``name``, ``description`` and ``business.currency`` when not the default;
* ``items``: the line items as compact JSON; ``ranges``: the uncertainty
  ranges as compact JSON (only the groups that have some).

Decoding is forgiving per parameter: one that is malformed or breaks a rule
is reported by name and left out, and the rest of the scenario still loads.
Parameters that are not the scenario's (``present``, ``room``…) are ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError, scenario_from_dict

__all__ = ["SCENARIO_PARAMS", "decode", "encode", "link"]

_DEFAULT = Scenario()
_TEXT_PARAMS = ("name", "description", "business.currency")
_JSON_PARAMS = ("items", "ranges")
#: Every query parameter that belongs to the scenario.
SCENARIO_PARAMS = frozenset((*NUMERIC_FIELDS, *_TEXT_PARAMS, *_JSON_PARAMS))


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def encode(scenario: Scenario) -> dict[str, str]:
    """Query parameters that rebuild ``scenario`` exactly (defaults left out)."""
    params: dict[str, str] = {}
    if scenario.name != _DEFAULT.name:
        params["name"] = scenario.name
    if scenario.description:
        params["description"] = scenario.description
    if scenario.business.currency != _DEFAULT.business.currency:
        params["business.currency"] = str(scenario.business.currency)
    for path in NUMERIC_FIELDS:
        group, name = path.split(".")
        value = getattr(getattr(scenario, group), name)
        if value != getattr(getattr(_DEFAULT, group), name):
            params[path] = _number(value)
    if scenario.other_items:
        params["items"] = _compact(
            [item.model_dump(exclude_defaults=True) for item in scenario.other_items]
        )
    ranges = scenario.uncertainty.model_dump(exclude_defaults=True)
    if ranges:
        params["ranges"] = _compact(ranges)
    return params


def _one(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def _parse(key: str, raw: str) -> Any:
    """The parameter's value, or raise ValueError with a reason for people."""
    if key in _TEXT_PARAMS:
        return raw
    if key in _JSON_PARAMS:
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            raise ValueError("is not valid JSON") from None
    spec = NUMERIC_FIELDS[key]
    if spec.is_int and raw.strip().lstrip("+-").isdigit():
        return int(raw)  # exact, however large
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"is not a number ({raw[:40]!r})") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    if spec.is_int:
        if not number.is_integer():
            raise ValueError(f"must be a whole number ({raw[:40]!r})")
        return int(number)
    return number


def _build(values: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("name", "description"):
            data[key] = value
        elif key == "items":
            data["other_items"] = value
        elif key == "ranges":
            data["uncertainty"] = value
        else:
            group, name = key.split(".")
            data.setdefault(group, {})[name] = value
    return data


_PAIR_RULE = "social_deflection + self_service_deflection"


def _param_of(problem: str, present: set[str]) -> str | None:
    """Which parameter a ``"field: rule"`` problem line is about."""
    field = problem.split(":", 1)[0]
    if _PAIR_RULE in problem and field not in present:
        # The pair rule is reported on social_deflection; the link may only carry the other.
        field = "levers.self_service_deflection"
    if field.startswith("other_items"):
        return "items" if "items" in present else None
    if field.startswith("uncertainty"):
        return "ranges" if "ranges" in present else None
    for key in sorted(present, key=len, reverse=True):
        if field == key or field.startswith((key + ".", key + "[")):
            return key
    return None


def decode(params: Mapping[str, str | list[str]]) -> tuple[Scenario, list[str]]:
    """The scenario a URL describes, and one line per parameter that was left out.

    Never raises: in the worst case the defaults load and every problem is listed.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, raw in params.items():
        if key not in SCENARIO_PARAMS:
            continue
        try:
            values[key] = _parse(key, _one(raw))
        except ValueError as exc:
            problems.append(f"{key}: {exc} (link parameter ignored)")
    # Drop the parameter each remaining problem names, until the rest is valid.
    for _ in range(len(values) + 1):
        try:
            return scenario_from_dict(_build(values)), problems
        except ScenarioError as exc:
            dropped = False
            for line in exc.problems:
                key = _param_of(line, set(values))
                if key is not None and key in values:
                    del values[key]
                    problems.append(f"{line} (link parameter {key!r} ignored)")
                    dropped = True
            if not dropped:
                problems += [f"{line}; the link's scenario was ignored" for line in exc.problems]
                return Scenario(), problems
    return Scenario(), problems  # pragma: no cover - the loop always returns


def link(base_url: str | None, scenario: Scenario) -> str:
    """The full share link: the app's address (without its query) plus the encoding."""
    base = (base_url or "").split("#", 1)[0].split("?", 1)[0] or "http://localhost:8501/"
    query = urlencode(encode(scenario))
    return f"{base}?{query}" if query else base

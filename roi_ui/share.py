"""A scenario in a shareable URL: where it started and what was changed.

Encoding (pure, no Streamlit), against a *base* — the preset the scenario came
from (``preset=<id>``), or MODEL.md's defaults:

* ``preset=<id>`` when the scenario started from an industry preset, so the
  link opens as that preset, with its sources;
* each numeric field that differs from the base: ``levers.save_rate=0.25``
  (model units: fractions, not percent);
* ``name``, ``description`` and ``business.currency`` when not the base's;
* ``items``: the line items as compact JSON; ``ranges``: the uncertainty
  ranges as compact JSON (only the groups that have some; ``{}`` when a
  preset's ranges were cleared).

Decoding is forgiving per parameter: one that is malformed or breaks a rule
is reported by name and left out, and the rest of the scenario still loads.
:func:`unknown_params` names parameters that belong to nothing (a misspelt
``levers.retention_lft``), with the nearest real name.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError, scenario_from_dict
from roi_core.errors import plain_number
from roi_core.i18n import gettext as _
from roi_core.ranges import Stretch, stretch
from roi_core.scenario import Uncertainty
from roi_ui.text import clean_text

__all__ = [
    "APP_PARAMS",
    "PAGES",
    "SCENARIO_PARAMS",
    "decode",
    "encode",
    "link",
    "page_url",
    "unknown_params",
]

_DEFAULT = Scenario()
_TEXT_PARAMS = ("name", "description", "business.currency")
_JSON_PARAMS = ("items", "ranges")
#: Every query parameter that belongs to the scenario.
SCENARIO_PARAMS = frozenset((*NUMERIC_FIELDS, *_TEXT_PARAMS, *_JSON_PARAMS))
#: Parameters of the app around the scenario (provenance, presenter mode, workshop
#: identity, display choices) and Streamlit's own embedding switches.
APP_PARAMS = frozenset(
    ("preset", "present", "prospect", "accent", "room", "token", "team", "view", "lang", "theme",
     "embed", "embed_options")
)  # fmt: skip


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def encode(
    scenario: Scenario, *, base: Scenario | None = None, preset_id: str | None = None
) -> dict[str, str]:
    """Query parameters that rebuild ``scenario`` exactly from ``base`` (the
    preset ``preset_id`` names, or MODEL.md's defaults): only what differs."""
    origin = base or _DEFAULT
    params: dict[str, str] = {"preset": preset_id} if preset_id else {}
    if scenario.name != origin.name:
        params["name"] = scenario.name
    if scenario.description != origin.description:
        params["description"] = scenario.description
    if scenario.business.currency != origin.business.currency:
        params["business.currency"] = str(scenario.business.currency)
    for path in NUMERIC_FIELDS:
        group, name = path.split(".")
        value = getattr(getattr(scenario, group), name)
        if value != getattr(getattr(origin, group), name):
            params[path] = _number(value)
    if scenario.other_items != origin.other_items:
        params["items"] = _compact(
            [item.model_dump(exclude_defaults=True) for item in scenario.other_items]
        )
    if scenario.uncertainty != origin.uncertainty:
        params["ranges"] = _compact(scenario.uncertainty.model_dump(exclude_defaults=True))
    return params


def _one(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def _parse(key: str, raw: str) -> Any:
    """The parameter's value, or raise ValueError with a reason for people (in the
    language being spoken: a rule, as in "levers.save_rate: <reason>")."""
    if key in _TEXT_PARAMS:
        return raw
    if key in _JSON_PARAMS:
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            raise ValueError(_("is not valid JSON")) from None
    spec = NUMERIC_FIELDS[key]
    digits = raw.strip().lstrip("+-")
    if spec.is_int and digits.isdigit():
        if len(digits) > 4_000:  # Python refuses to read more than 4,300 digits
            raise ValueError(
                _("is too large ({count} digits)").format(count=plain_number(len(digits)))
            )
        return int(raw)  # exact, however large
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(_("is not a number ({value})").format(value=repr(raw[:40]))) from None
    if not math.isfinite(number):
        raise ValueError(_("must be a finite number"))
    if spec.is_int:
        if not number.is_integer():
            raise ValueError(_("must be a whole number ({value})").format(value=repr(raw[:40])))
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


#: Kept word for word in every language's wording of the rule (roi_core.scenario).
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


def decode(
    params: Mapping[str, str | list[str]], *, base: Scenario | None = None
) -> tuple[Scenario, list[str]]:
    """The scenario a URL describes (on top of ``base``: the link's preset, or
    MODEL.md's defaults), and one line per parameter that was left out.

    Never raises: in the worst case the base loads and every problem is listed.
    """
    origin = base or _DEFAULT
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, raw in params.items():
        if key not in SCENARIO_PARAMS:
            continue
        try:
            values[key] = _parse(key, _one(raw))
        except ValueError as exc:
            problems.append(
                _("{param}: {reason} (link parameter ignored)").format(param=key, reason=exc)
            )
    # Drop the parameter each remaining problem names, until the rest is valid.
    for _attempt in range(len(values) + 1):
        data = _merge(origin, _build(values))
        stretched = [] if "ranges" in values else _hold(data)
        try:
            scenario = scenario_from_dict(data)
        except ScenarioError as exc:
            dropped = False
            for line in exc.problems:
                param = _param_of(line, set(values))
                if param is not None and param in values:
                    del values[param]
                    problems.append(
                        _("{problem} (link parameter {param} ignored)").format(
                            problem=line, param=repr(param)
                        )
                    )
                    dropped = True
            if not dropped:
                problems += [
                    _("{problem}; the link's scenario was ignored").format(problem=line)
                    for line in exc.problems
                ]
                return origin, problems
            continue
        return scenario, problems + [
            _(
                "{field}: the link's value lies outside the preset's uncertainty range "
                "[{low}, {high}], so the range is stretched to [{new_low}, {new_high}]"
            ).format(
                field=s.path,
                low=plain_number(s.declared[0]),
                high=plain_number(s.declared[1]),
                new_low=plain_number(s.stretched[0]),
                new_high=plain_number(s.stretched[1]),
            )
            for s in stretched
        ]
    return origin, problems  # pragma: no cover - the loop always returns


def _hold(data: dict[str, Any]) -> list[Stretch]:
    """Stretch the base's ranges in ``data`` (in place) to hold the link's values that
    are valid numbers for their field; what was stretched."""
    try:
        declared = Uncertainty.model_validate(data["uncertainty"])
    except ValidationError:
        return []
    values = {}
    for path, _range in declared.items():
        group, name = path.split(".")
        value, spec = data[group].get(name), NUMERIC_FIELDS[path]
        if isinstance(value, int | float) and spec.low <= value <= spec.upper:
            values[path] = float(value)
    held, stretched = stretch(declared, values)
    data["uncertainty"] = held.model_dump(mode="json")
    return stretched


def _merge(base: Scenario, changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` as data with the link's changes on top (groups merged field by field;
    ``other_items`` and ``uncertainty`` replaced whole)."""
    data = base.model_dump(mode="json")
    for key, value in changes.items():
        if (
            isinstance(value, dict)
            and key not in ("uncertainty",)
            and isinstance(data.get(key), dict)
        ):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def unknown_params(params: Mapping[str, object]) -> list[str]:
    """One line per parameter that is neither the scenario's nor the app's, naming
    it (cleaned of control characters, shortened) and the nearest real name."""
    known = sorted(SCENARIO_PARAMS | APP_PARAMS)
    lines = []
    for key in params:
        if key in SCENARIO_PARAMS or key in APP_PARAMS:
            continue
        shown = clean_text(key, 60) or _("(empty)")
        near = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        if near:
            line = _(
                "{param}: not a setting of this app (link parameter ignored). Did you mean {near}?"
            ).format(param=shown, near=near[0])
        else:
            line = _("{param}: not a setting of this app (link parameter ignored).").format(
                param=shown
            )
        lines.append(line)
    return lines


#: The app's pages by URL path (the dashboard is the root).
PAGES = ("", "risk", "compare", "evidence", "workshop", "methodology")


def page_url(url: str, page: str) -> str:
    """The address of ``page`` in the app that ``url`` (any page's address) is in."""
    address = url.split("#", 1)[0].split("?", 1)[0]
    head, _, last = address.rstrip("/").rpartition("/")
    root = head if last in PAGES[1:] else address.rstrip("/")
    return f"{root}/{page}"


def link(
    base_url: str | None,
    scenario: Scenario,
    *,
    base: Scenario | None = None,
    preset_id: str | None = None,
    anchor: str = "",
    lang: str = "en",
) -> str:
    """The full share link: the app's address (without its query) plus the
    encoding, the language when not English (``lang=id``), and ``#anchor`` when given."""
    address = (base_url or "").split("#", 1)[0].split("?", 1)[0] or "http://localhost:8501/"
    params = encode(scenario, base=base, preset_id=preset_id)
    if lang != "en":
        params["lang"] = lang
    query = urlencode(params)
    out = f"{address}?{query}" if query else address
    return f"{out}#{anchor}" if anchor else out

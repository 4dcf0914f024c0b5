"""The business case in 60 seconds: an industry preset with a prospect's own numbers.

The prospect gives four numbers (:data:`QUICK_FIELDS`); the inputs that grow
with them are scaled in proportion (:data:`SCALED_FIELDS`: customers at risk with
the customer base, the team's cost with the contact volume), ranges too; every
other value stays the preset's. The case says so in its description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from roi_core.i18n import gettext as _
from roi_core.scenario import NUMERIC_FIELDS, Scenario, scenario_from_dict

__all__ = ["QUICK_FIELDS", "SCALED_FIELDS", "quick_case"]

#: The prospect's numbers the quick flow asks for.
QUICK_FIELDS: Final = (
    "business.customers",
    "business.monthly_revenue_per_customer",
    "service.monthly_assisted_contacts",
    "service.cost_per_assisted_contact",
)
#: Inputs scaled with the prospect's size, and the number each follows.
SCALED_FIELDS: Final = {
    "levers.at_risk_per_month": "business.customers",
    "costs.staff_monthly": "service.monthly_assisted_contacts",
}


def quick_case(
    preset: Scenario,
    numbers: Mapping[str, float],
    *,
    prospect: str = "",
    preset_name: str = "",
) -> Scenario:
    """``preset`` with the prospect's ``numbers`` (keys from :data:`QUICK_FIELDS`).

    Each field of :data:`SCALED_FIELDS` is multiplied by the ratio of the
    prospect's number to the preset's (its range too); a range around one of
    the prospect's numbers stretches to hold it. The name is the prospect's
    (``"Acme: social care business case"``) and the description says how the
    case was built. Raises :class:`~roi_core.errors.ScenarioError` when a
    number breaks a rule.
    """
    data = preset.model_dump()
    for path, follows in SCALED_FIELDS.items():
        group, name = follows.split(".")
        before = float(data[group][name])
        factor = float(numbers.get(follows, before)) / before if before else 1.0
        group, name = path.split(".")
        data[group][name] *= factor
        rng = data["uncertainty"][group].get(name)
        if rng:
            rng["low"], rng["high"] = rng["low"] * factor, rng["high"] * factor
    for path, value in numbers.items():
        group, name = path.split(".")
        data[group][name] = int(value) if NUMERIC_FIELDS[path].is_int else float(value)
        rng = data["uncertainty"][group].get(name)
        if rng:
            rng["low"], rng["high"] = min(rng["low"], value), max(rng["high"], value)
    who = " ".join(prospect.split())[:60]
    data["name"] = (
        _("{prospect}: social care business case").format(prospect=who)
        if who
        else _("Social care business case")
    )
    if preset_name and who:
        built = _(
            "Built in 60 seconds from the {preset} preset with {prospect}'s "
            "own customers, revenue per customer, assisted contacts and cost per contact; "
            "customers at risk scaled with the customer base and the team's cost with the "
            "contact volume. "
            "Every other value is the preset's."
        )
    elif preset_name:
        built = _(
            "Built in 60 seconds from the {preset} preset with the prospect's "
            "own customers, revenue per customer, assisted contacts and cost per contact; "
            "customers at risk scaled with the customer base and the team's cost with the "
            "contact volume. "
            "Every other value is the preset's."
        )
    elif who:
        built = _(
            "Built in 60 seconds from an industry preset with {prospect}'s "
            "own customers, revenue per customer, assisted contacts and cost per contact; "
            "customers at risk scaled with the customer base and the team's cost with the "
            "contact volume. "
            "Every other value is the preset's."
        )
    else:
        built = _(
            "Built in 60 seconds from an industry preset with the prospect's "
            "own customers, revenue per customer, assisted contacts and cost per contact; "
            "customers at risk scaled with the customer base and the team's cost with the "
            "contact volume. "
            "Every other value is the preset's."
        )
    data["description"] = built.format(preset=preset_name, prospect=who)
    return scenario_from_dict(data)

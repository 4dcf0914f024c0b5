"""What every leave-behind report shares: the headline figures, the disclaimer and
the words of the yearly table, in the language being spoken when it is built."""

from __future__ import annotations

import re

from roi_core import Scenario, Summary
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui import formatting as fmt
from roi_ui.presets import Preset, shown_name

__all__ = ["DISCLAIMER", "as_named", "kpis", "yearly_label"]

#: The disclaimer, in English: show it as ``_(DISCLAIMER)``.
DISCLAIMER = N_(
    "This business case is a model, not a forecast. Its figures follow from the "
    "assumptions listed here, risk-adjusted and discounted as stated; revenue effects "
    "are attributed to the program by assumption unless measured against a control "
    "group. Check every assumption against your own data before deciding."
)

#: The yearly table's column and row names (roi_core's ``YearlyTable``), which stay
#: English there (keys); translated where a report shows them.
_YEARLY_WORDS = (
    N_("Initial"),
    N_("Total"),
    N_("Present value"),
    N_("Benefits"),
    N_("Costs"),
    N_("Net"),
)
_YEAR = re.compile(r"Year (\d+)")


def as_named(s: Scenario, preset: Preset | None) -> Scenario:
    """``s`` with its name and description in the language being spoken when they
    are still the product's text (a preset's own, the default name: see
    :func:`~roi_ui.presets.shown_name`); a name or a description someone typed is
    theirs, and stays as typed."""
    update = {}
    if shown_name(s.name) != s.name:
        update["name"] = shown_name(s.name)
    if preset is not None and s.description == preset.scenario.description:
        update["description"] = _(s.description)
    return s.model_copy(update=update) if update else s


def yearly_label(text: str) -> str:
    """A column or row name of the yearly table as people read it: ``"Year 2"``,
    ``"Initial"`` or ``"Benefits"`` in the current language."""
    year = _YEAR.fullmatch(text)
    if year:
        return _("Year {n}").format(n=year.group(1))
    return _(text) if text in _YEARLY_WORDS else text


def kpis(summary: Summary, currency: str) -> list[tuple[str, str]]:
    """The six headline figures, labelled, in exact money."""
    r, cur = summary, currency
    return [
        (_("Net present value"), fmt.money(r.npv, cur)),
        (_("Return on investment"), fmt.percent(r.roi)),
        (_("ROI on hard savings only"), fmt.percent(r.roi_hard)),
        (_("Payback"), fmt.months(r.payback_months)),
        (_("Cost savings (risk-adjusted)"), fmt.money(r.total_savings, cur)),
        (_("Revenue impact (before margin)"), fmt.money(r.total_revenue_impact, cur)),
    ]

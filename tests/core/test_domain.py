"""Domain logic beyond the engine: ranges as a whole, Conservative / Base /
Optimistic, the risk adjustment, a room's median case, the 60-second case."""

from __future__ import annotations

import pytest

from roi_core import Scenario, ScenarioError, evaluate, with_values
from roi_core.quick_case import QUICK_FIELDS, SCALED_FIELDS, quick_case
from roi_core.ranges import RANGEABLE, plus_minus, ranges_like, ranges_of, stretch, with_ranges
from roi_core.variants import risk_adjustment, variants
from roi_core.workshop import disagreement, median_case

RANGED = Scenario.model_validate(
    {
        "levers": {"save_rate": 0.9},
        "uncertainty": {
            "levers": {"retention_lift": {"low": 0.05, "high": 0.2}},
            "costs": {"setup": {"low": 60_000, "high": 120_000}},
        },
    }
)


# --- ranges ----------------------------------------------------------------------------------


def test_plus_minus_25_stays_inside_each_levers_valid_range_and_keeps_other_ranges() -> None:
    made = plus_minus(RANGED, 0.25)
    levers = [p for p in RANGEABLE if p.startswith("levers.")]
    ranged = [p for p, _ in made.scenario.uncertainty.items()]
    assert set(ranged) == (set(levers) - set(made.skipped)) | {"costs.setup"}
    save = made.scenario.uncertainty.get("levers.save_rate")
    assert save is not None
    assert (save.low, save.high) == pytest.approx((0.675, 1.0))  # 1.125 capped at 100 %


def test_plus_minus_skips_a_lever_at_zero_instead_of_a_zero_width_range() -> None:
    made = plus_minus(Scenario(), 0.25)  # the default price premium is 0
    assert made.skipped == ("levers.price_premium",)
    assert made.scenario.uncertainty.get("levers.price_premium") is None
    for _, rng in made.scenario.uncertainty.items():
        assert rng.high > rng.low


def test_ranges_like_takes_a_presets_ranges_stretched_to_hold_todays_values() -> None:
    source = Scenario.model_validate(
        {"uncertainty": {"levers": {"retention_lift": {"low": 0.08, "high": 0.12}}}}
    )
    mine = with_values(Scenario(), {"levers.retention_lift": 0.3})
    out = ranges_like(mine, source)
    assert ranges_of(out.uncertainty) == {"levers.retention_lift": (0.08, 0.3)}


def test_with_ranges_replaces_all_ranges_and_names_a_bad_one() -> None:
    assert with_ranges(RANGED, {}).uncertainty.items() == []
    with pytest.raises(ScenarioError, match=r"uncertainty\.levers\.retention_lift"):
        with_ranges(RANGED, {"levers.retention_lift": (0.2, 0.3)})  # value 0.1 outside


def test_stretch_widens_only_what_a_value_left_and_says_so() -> None:
    declared = RANGED.uncertainty
    same, none = stretch(declared, {"levers.retention_lift": 0.15})
    assert none == [] and same == declared
    wider, what = stretch(declared, {"levers.retention_lift": 0.35, "costs.setup": 80_000})
    assert [(w.path, w.declared, w.stretched) for w in what] == [
        ("levers.retention_lift", (0.05, 0.2), (0.05, 0.35))
    ]
    assert ranges_of(wider)["costs.setup"] == (60_000, 120_000)


# --- variants and risk adjustment ------------------------------------------------------------


def test_conservative_base_optimistic_bracket_the_npv() -> None:
    named = dict(variants(RANGED))
    assert list(named) == ["Conservative", "Base", "Optimistic"]
    npv = {k: evaluate(v).summary.npv for k, v in named.items()}
    assert npv["Conservative"] < npv["Base"] < npv["Optimistic"]
    assert named["Conservative"].costs.setup == 120_000  # the dearer end
    assert named["Optimistic"].levers.retention_lift == 0.2
    assert variants(Scenario()) == [("Base", Scenario())]


def test_risk_adjustment_is_the_case_with_and_without_the_risk_factors() -> None:
    cases = risk_adjustment(Scenario())
    assert list(cases) == ["Unadjusted", "Risk-adjusted"]
    assert cases["Risk-adjusted"] == evaluate(Scenario()).summary
    # benefits cut by 10 %, costs marked up by 5 %:
    assert cases["Risk-adjusted"].pv_benefits == pytest.approx(
        cases["Unadjusted"].pv_benefits * 0.9
    )
    assert cases["Risk-adjusted"].pv_costs == pytest.approx(cases["Unadjusted"].pv_costs * 1.05)


# --- a workshop room ---------------------------------------------------------------------------


def test_the_rooms_median_case_takes_each_open_levers_median() -> None:
    cases = [with_values(Scenario(), {"levers.retention_lift": v}) for v in (0.05, 0.1, 0.4)]
    median = median_case(Scenario(), cases, ["levers.retention_lift"])
    assert median.levers.retention_lift == 0.1
    assert median_case(Scenario(), [], ["levers.retention_lift"]) == Scenario()


def test_a_median_pair_of_deflection_shares_over_one_is_scaled_down() -> None:
    pairs = [(0.9, 0.1), (0.1, 0.9), (0.6, 0.4)]
    cases = [
        with_values(Scenario(), {"levers.social_deflection": a,
                                 "levers.self_service_deflection": b})
        for a, b in pairs
    ]  # fmt: skip
    allowed = ["levers.social_deflection", "levers.self_service_deflection"]
    median = median_case(Scenario(), cases, allowed)  # medians 0.6 + 0.4 = 1.0: kept
    assert median.levers.social_deflection + median.levers.self_service_deflection <= 1 + 1e-12
    cases.append(with_values(Scenario(), {"levers.social_deflection": 0.7,
                                          "levers.self_service_deflection": 0.3}))  # fmt: skip
    median = median_case(Scenario(), cases, allowed)  # medians 0.65 + 0.35
    assert median.levers.social_deflection + median.levers.self_service_deflection <= 1 + 1e-12


def test_disagreement_ranks_the_widest_spread_first() -> None:
    cases = [
        with_values(Scenario(), {"levers.retention_lift": a, "levers.save_rate": b})
        for a, b in ((0.0, 0.2), (0.5, 0.21))
    ]
    ranked = disagreement(cases, ["levers.save_rate", "levers.retention_lift"])
    assert [p for p, _ in ranked] == ["levers.retention_lift", "levers.save_rate"]
    assert disagreement(cases[:1], ["levers.save_rate"]) == []


# --- the 60-second case -------------------------------------------------------------------------


def test_quick_case_puts_the_prospects_numbers_in_and_scales_with_them() -> None:
    preset = RANGED
    numbers = {
        "business.customers": preset.business.customers * 2,
        "service.monthly_assisted_contacts": preset.service.monthly_assisted_contacts / 2,
    }
    case = quick_case(preset, numbers, prospect="Acme Mobile", preset_name="Telecom operator")
    assert case.business.customers == preset.business.customers * 2
    assert case.levers.at_risk_per_month == pytest.approx(preset.levers.at_risk_per_month * 2)
    assert case.costs.staff_monthly == pytest.approx(preset.costs.staff_monthly / 2)
    assert case.levers.retention_lift == preset.levers.retention_lift
    assert case.name == "Acme Mobile: social care business case"
    assert "Telecom operator preset" in case.description
    assert "Acme Mobile's own customers" in case.description
    assert evaluate(case).summary.npv != evaluate(preset).summary.npv
    assert set(SCALED_FIELDS.values()) <= set(QUICK_FIELDS)


def test_quick_case_without_a_prospect_has_a_plain_name() -> None:
    case = quick_case(Scenario(), {"business.customers": 1000})
    assert case.name == "Social care business case"
    assert "the prospect's own" in case.description

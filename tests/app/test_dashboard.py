"""The dashboard page through AppTest: load, sliders, presets, bad input, links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from app_support import current, kpis, open_group, open_tab, shown_text
from streamlit.testing.v1 import AppTest

from roi_core import Scenario, evaluate, scenario_from_dict, with_values
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

Start = Callable[..., AppTest]


def test_loads_without_error_and_shows_the_engines_figures(app: Start) -> None:
    at = app()
    assert not at.exception
    s = evaluate(Scenario()).summary
    shown = kpis(at)
    assert shown["NPV"] == fmt.money_compact(s.npv, "USD") == "$867.2K"
    assert shown["ROI"] == "92.7%"
    assert shown["Hard-savings ROI"] == fmt.percent(s.roi_hard)
    assert shown["Payback"] == "11.7 months"
    assert shown["Cost savings"] == fmt.money_compact(s.total_savings, "USD")
    assert shown["Revenue impact"] == fmt.money_compact(s.total_revenue_impact, "USD")
    assert len(at.get("plotly_chart")) == 2  # two charts up top; the open tab is the table
    npv = fmt.money(s.npv, "USD").replace("$", "\\$")
    assert any(npv in m.value for m in at.markdown)  # the year-by-year table's present value


@pytest.mark.parametrize(
    ("key", "shown", "path", "model"),
    [
        ("w.levers.retention_lift", 20.0, "levers.retention_lift", 0.20),
        ("w.levers.social_deflection", 12.5, "levers.social_deflection", 0.125),
    ],
)
def test_a_slider_sets_the_scenario_and_the_kpis_follow_the_engine(
    app: Start, key: str, shown: float, path: str, model: float
) -> None:
    at = app()
    at.slider(key=key).set_value(shown).run()
    assert not at.exception
    assert current(at) == with_values(Scenario(), {path: model})
    expected = evaluate(with_values(Scenario(), {path: model})).summary
    assert kpis(at)["NPV"] == fmt.money_compact(expected.npv, "USD")
    assert kpis(at)["ROI"] == fmt.percent(expected.roi)
    base = evaluate(Scenario()).summary
    npv_card = next(m for m in at.metric if m.label == "NPV")
    assert npv_card.delta == fmt.signed_money_compact(expected.npv - base.npv, "USD")


def test_both_sliders_together_match_evaluate(app: Start) -> None:
    at = app()
    at.slider(key="w.levers.retention_lift").set_value(25.0)
    at.slider(key="w.levers.social_deflection").set_value(15.0)
    at.run()
    s = with_values(Scenario(), {"levers.retention_lift": 0.25, "levers.social_deflection": 0.15})
    assert current(at) == s
    assert kpis(at)["Payback"] == fmt.months(evaluate(s).summary.payback_months)


def test_preset_switch_sets_every_control_and_resets_the_baseline(app: Start) -> None:
    preset = load_presets()["banking"]
    at = app()
    at.selectbox(key="w.preset.picker").set_value("banking").run()
    assert not at.exception
    assert current(at) == preset.scenario
    assert at.slider(key="w.levers.retention_lift").value == pytest.approx(
        preset.scenario.levers.retention_lift * 100
    )
    currency = preset.scenario.business.currency
    assert kpis(at)["NPV"] == fmt.money_compact(evaluate(preset.scenario).summary.npv, currency)
    assert {m.delta for m in at.metric} == {"no change"}  # the preset is the new starting point


def test_reset_returns_to_the_starting_point(app: Start) -> None:
    at = app()
    at.selectbox(key="w.preset.picker").set_value("saas").run()
    at.slider(key="w.levers.save_rate").set_value(55.0).run()
    assert current(at) != load_presets()["saas"].scenario
    at.button[0].click().run()
    assert current(at) == load_presets()["saas"].scenario
    assert at.slider(key="w.levers.save_rate").value == pytest.approx(
        load_presets()["saas"].scenario.levers.save_rate * 100
    )


def test_an_invalid_combination_is_named_and_the_last_valid_scenario_stays(app: Start) -> None:
    at = app(**{"levers.social_deflection": "0.8"})  # stretches that slider to 80 %
    before = current(at)
    at.slider(key="w.levers.self_service_deflection").set_value(40.0).run()
    assert not at.exception
    assert at.error  # "Not applied", then the rule by field
    problems = [t.value for t in at.text]
    assert any("levers.social_deflection" in t and "<= 1" in t for t in problems)
    assert current(at) == before
    assert kpis(at)["NPV"] == fmt.money_compact(evaluate(before).summary.npv, "USD")
    at.slider(key="w.levers.self_service_deflection").set_value(20.0).run()
    assert not at.error
    assert current(at).levers.self_service_deflection == pytest.approx(0.2)


def test_a_shared_link_restores_the_scenario(app: Start) -> None:
    at = app(
        **{"levers.save_rate": "0.35", "business.currency": "EUR", "finance.horizon_months": "48"}
    )
    expected = scenario_from_dict(
        {"levers": {"save_rate": 0.35}, "business": {"currency": "EUR"},
         "finance": {"horizon_months": 48}}
    )  # fmt: skip
    assert current(at) == expected
    assert kpis(at)["NPV"] == fmt.money_compact(evaluate(expected).summary.npv, "EUR")
    assert kpis(at)["NPV"].startswith("€")
    assert not at.warning


def test_bad_link_parameters_are_named_ignored_and_the_rest_loads(app: Start) -> None:
    at = app(
        **{
            "levers.save_rate": "abc",
            "levers.retention_lift": "7",
            "finance.horizon_months": "12.5",
            "levers.social_reach": "0.2",
            "items": "[not json",
        }
    )
    assert not at.exception
    warnings = shown_text(at)
    for name in ("levers.save_rate", "levers.retention_lift", "finance.horizon_months", "items"):
        assert name in warnings
    s = current(at)
    assert s.levers.social_reach == pytest.approx(0.2)  # the good parameter still applies
    assert s.levers.save_rate == Scenario().levers.save_rate


def test_closed_control_groups_keep_their_values(app: Start) -> None:
    """A lazy group that is not drawn must not lose or reset its fields."""
    at = app(**{"costs.setup": "150000", "business.customers": "90000"})
    at.slider(key="w.levers.retention_lift").set_value(12.0).run()
    s = current(at)
    assert s.costs.setup == 150_000
    assert s.business.customers == 90_000
    open_group(at, "Business")
    assert at.number_input(key="w.business.customers").value == 90_000
    at.number_input(key="w.business.customers").set_value(120_000).run()
    assert current(at).business.customers == 120_000
    assert current(at).costs.setup == 150_000


def test_more_inputs_chips_open_and_close_groups(app: Start) -> None:
    """The "More inputs" chips: any number of groups open at once, in the model's
    order; a closed group's slider is gone but its value stays."""
    at = app()
    chips = at.button_group(key="ui.groups")
    assert chips.label == "More inputs"
    assert "w.costs.setup" not in [s.key for s in at.slider]
    chips.set_value(["Finance", "Program costs"]).run()
    at.slider(key="w.costs.setup").set_value(95_000.0).run()
    drawn = [s.key for s in at.slider]
    assert drawn.index("w.costs.setup") < drawn.index("w.finance.discount_rate")
    at.button_group(key="ui.groups").set_value(["Finance"]).run()
    assert "w.costs.setup" not in [s.key for s in at.slider]
    assert current(at).costs.setup == 95_000


def test_currency_change_reformats_every_kpi(app: Start) -> None:
    at = app()
    open_group(at, "Business")
    at.selectbox(key="w.business.currency").set_value("JPY").run()
    assert current(at).business.currency == "JPY"
    assert kpis(at)["NPV"].startswith("¥")
    # In the same run, not one later: every money label speaks the new currency.
    labels = [n.label for n in at.number_input] + [s.label for s in at.slider]
    assert "Revenue per customer (JPY per month)" in labels
    assert not any("USD" in label for label in labels)
    assert any("amounts are not converted" in c.value for c in at.caption)


def test_tabs_show_the_yearly_table_and_the_share_link(app: Start) -> None:
    at = app(**{"levers.save_rate": "0.3"})
    open_tab(at, "Monthly benefits and costs")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3
    open_tab(at, "Year by year (TEI)")
    npv = fmt.money(evaluate(current(at)).summary.npv, "USD").replace("$", "\\$")
    net_row = next(line for m in at.markdown for line in m.value.splitlines() if "**Net**" in line)
    assert net_row.rstrip(" |").endswith(npv)
    open_tab(at, "Save, load and share")
    link = at.code[0].value
    assert "levers.save_rate=0.3" in link


def test_line_items_are_applied_and_validated(app: Start) -> None:
    at = app(items='[{"name":"licence","kind":"cost","amount":1000,"every":"month"}]')
    s = current(at)
    assert len(s.other_items) == 1
    expected = evaluate(s).summary
    assert expected.total_costs > evaluate(Scenario()).summary.total_costs
    assert kpis(at)["NPV"] == fmt.money_compact(expected.npv, "USD")


def test_user_text_is_never_rendered_as_html(app: Start) -> None:
    at = app(name="<img src=x onerror=alert(1)>")
    assert not at.exception
    for element in at.markdown:
        assert "<img" not in element.value
    assert current(at).name == "<img src=x onerror=alert(1)>"


def test_implausible_inputs_are_flagged_without_blocking(app: Start) -> None:
    at = app(**{"service.cost_per_social_contact": "9"})
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert "1 input to double-check" in labels
    assert any("service.cost_per_social_contact" in t.value for t in at.text)
    assert current(at).service.cost_per_social_contact == 9  # still applied


def test_save_load_rename_delete_from_the_dashboard(app: Start, store: None) -> None:
    from roi_ui import cache

    at = app(**{"levers.save_rate": "0.45"})
    open_tab(at, "Save, load and share")
    at.text_input(key="ui.saved.owner").set_value("Ana")
    at.text_input(key="ui.saved.name").set_value("Pitch <b>v1</b>")
    next(b for b in at.button if b.label == "Save").click().run()
    saved = cache.store().list_scenarios()
    assert [(s.name, s.owner) for s in saved] == [("Pitch <b>v1</b>", "Ana")]
    assert any("Pitch <b>v1</b> by Ana (yours)" in t.value for t in at.text)  # as text
    at.slider(key="w.levers.retention_lift").set_value(30.0).run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert current(at) == with_values(Scenario(), {"levers.save_rate": 0.45})
    open_tab(at, "Save, load and share")
    next(b for b in at.button if b.label == "Yes, delete it").click().run()
    assert cache.store().list_scenarios() == []


def test_a_currency_outside_the_short_list_still_opens_the_business_group(app: Start) -> None:
    at = app(**{"business.currency": "CHF"})
    open_group(at, "Business")
    assert not at.exception
    assert at.selectbox(key="w.business.currency").value == "CHF"
    at2 = app(**{"business.currency": "NOK"})
    open_group(at2, "Business")
    assert not at2.exception
    assert at2.selectbox(key="w.business.currency").value == "NOK"
    assert kpis(at2)["NPV"].startswith("NOK")


def test_only_the_session_that_saved_a_scenario_may_rename_or_delete_it(
    app: Start, store: None
) -> None:
    from roi_store import new_owner_key
    from roi_ui import cache

    cache.store().save_scenario("Someone else's", Scenario(), "Bo", owner_key=new_owner_key())
    at = app()
    open_tab(at, "Save, load and share")
    next(b for b in at.button if b.label == "Save").click().run()  # one of our own
    rows = [t.value for t in at.text if t.value.startswith(("Someone", "Untitled"))]
    assert any(r.startswith("Untitled scenario") and "(yours)" in r for r in rows)
    assert any(r.startswith("Someone else's by Bo") and "(yours)" not in r for r in rows)
    # Load for both; rename and delete only for ours.
    assert len([b for b in at.button if b.label == "Load"]) == 2
    assert len([b for b in at.button if b.label == "Yes, delete it"]) == 1
    assert len([b for b in at.button if b.label == "Rename"]) == 1

"""``python -m roi_core`` end to end, in a subprocess (MODEL.md §5).

Each run costs about half a second, so one run usually carries several assertions.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roi_core import (
    Scenario,
    break_even,
    evaluate,
    monte_carlo,
    scenario_from_dict,
    with_values,
)

REPO = Path(__file__).resolve().parents[2]

SUMMARY_KEYS = {
    "total_savings",
    "total_other_benefits",
    "total_revenue_impact",
    "total_benefits",
    "total_costs",
    "net_benefit",
    "pv_benefits",
    "pv_costs",
    "npv",
    "roi",
    "benefit_cost_ratio",
    "payback_months",
    "npv_hard",
    "roi_hard",
    "contacts_avoided",
    "contacts_deflected",
    "extra_customers_end",
}
MONTHLY_KEYS = {"month", "benefits", "revenue", "costs", "net", "cumulative_net", "discount"}
BENEFIT_DRIVERS = {
    "root_cause",
    "social_deflection",
    "self_service",
    "retention",
    "saves",
    "referrals",
    "cross_sell",
    "price_premium",
    "other",
}
REVENUE_DRIVERS = {"retention", "saves", "referrals", "cross_sell", "price_premium"}
STATS_KEYS = {"mean", "p5", "p10", "p50", "p90", "p95"}

ZERO_COSTS = {"costs": {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}}
RANGED = {
    "name": "Ranged case",
    "uncertainty": {
        "levers": {
            "save_rate": {"low": 0.1, "high": 0.4},
            "retention_lift": {"low": 0.0, "high": 0.3},
        },
        "costs": {"setup": {"low": 50_000, "high": 200_000}},
        "service": {"cost_per_social_contact": {"low": 2.4, "high": 2.6}},
    },
}
INVALID = {
    "business": {"customers": -5, "colour": "blue"},
    "levers": {"save_rate": 2},
    "other_items": [
        {"name": "ok", "kind": "cost", "amount": 1},
        {"name": "late", "kind": "cost", "amount": 1, "start_month": 9, "end_month": 3},
    ],
}
INVALID_FIELDS = [
    "business.customers",
    "business.colour",
    "levers.save_rate",
    "other_items[1].end_month",
]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roi_core", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_json(*args: str, stdin: str | None = None) -> Any:
    proc = run(*args, "--json", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def write(tmp_path: Path, data: Any, name: str = "scenario.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def assert_invalid(proc: subprocess.CompletedProcess[str], fields: list[str]) -> list[str]:
    """Exit 2, nothing on stdout, one stderr line per problem naming the field, no traceback."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert sorted(line.split(": ", 1)[0] for line in lines) == sorted(fields), lines
    return lines


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_json_has_the_model_names_and_the_engine_values(tmp_path: Path) -> None:
    data = run_json("evaluate", write(tmp_path, {}))

    assert set(data) == {"summary", "monthly"}
    assert set(data["summary"]) == SUMMARY_KEYS
    assert set(data["monthly"]) == MONTHLY_KEYS
    assert set(data["monthly"]["benefits"]) == BENEFIT_DRIVERS
    assert set(data["monthly"]["revenue"]) == REVENUE_DRIVERS
    assert data["monthly"]["month"] == list(range(37))

    expected = evaluate(Scenario()).to_dict()
    for key, value in expected["summary"].items():
        assert data["summary"][key] == pytest.approx(value, rel=1e-9), key
    for key in ("costs", "net", "cumulative_net", "discount"):
        assert data["monthly"][key] == pytest.approx(expected["monthly"][key], rel=1e-9), key
    for group in ("benefits", "revenue"):
        for driver, values in expected["monthly"][group].items():
            assert data["monthly"][group][driver] == pytest.approx(values, rel=1e-9), driver

    # MODEL.md §6, the worked check with every default.
    summary = data["summary"]
    assert round(summary["npv"], 2) == 867_214.11
    assert round(summary["roi"], 5) == 0.92711
    assert round(summary["payback_months"], 3) == 11.712
    assert data["monthly"]["costs"][:2] == pytest.approx([84_000.0, 27_300.0], rel=1e-12)
    assert data["monthly"]["benefits"]["root_cause"][1] == pytest.approx(540.0, rel=1e-12)
    assert data["monthly"]["benefits"]["retention"][1] == pytest.approx(135.0, rel=1e-12)


def test_evaluate_without_json_prints_a_readable_table(tmp_path: Path) -> None:
    proc = run("evaluate", write(tmp_path, {"name": "Pilot", "business": {"currency": "EUR"}}))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "NPV" in proc.stdout
    assert "Pilot" in proc.stdout
    assert "EUR" in proc.stdout
    assert "867,214.11" in proc.stdout  # the §6 npv, currency only relabels it
    with pytest.raises(json.JSONDecodeError):
        json.loads(proc.stdout)


def test_evaluate_reads_stdin_and_zero_costs_give_null_roi() -> None:
    data = run_json("evaluate", "-", stdin=json.dumps(ZERO_COSTS))
    summary = data["summary"]
    assert summary["roi"] is None
    assert summary["roi_hard"] is None
    assert summary["benefit_cost_ratio"] is None
    assert summary["payback_months"] == 0
    assert summary["pv_costs"] == 0
    assert summary["total_costs"] == 0
    expected = evaluate(scenario_from_dict(ZERO_COSTS)).summary
    assert summary["npv"] == pytest.approx(expected.npv, rel=1e-9)
    assert summary["npv"] == pytest.approx(summary["pv_benefits"], rel=1e-12)


def test_invalid_scenario_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    lines = assert_invalid(run("evaluate", write(tmp_path, INVALID), "--json"), INVALID_FIELDS)
    assert "levers.save_rate: Input should be less than or equal to 1" in lines


@pytest.mark.parametrize(
    "args",
    [
        ("sensitivity",),
        ("breakeven", "costs.setup"),
        ("montecarlo", "--n", "10", "--seed", "1"),
    ],
    ids=["sensitivity", "breakeven", "montecarlo"],
)
def test_every_command_rejects_an_invalid_scenario(tmp_path: Path, args: tuple[str, ...]) -> None:
    command, *rest = args
    assert_invalid(run(command, write(tmp_path, INVALID), *rest), INVALID_FIELDS)


def test_text_that_is_not_json_exits_2_and_says_so() -> None:
    proc = run("evaluate", "-", stdin="{ this is not json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    assert "not valid JSON" in lines[0]


def test_deeply_nested_json_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"name": ' + "[" * 5_000 + "]" * 5_000 + "}", encoding="utf-8")
    proc = run("evaluate", str(path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("scenario: ")


def test_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    proc = run("evaluate", str(missing))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    assert "nowhere.json" in lines[0]


# --- sensitivity --------------------------------------------------------------------------


def test_sensitivity_rows_sorted_by_swing(tmp_path: Path) -> None:
    rows = run_json("sensitivity", write(tmp_path, RANGED))
    assert len(rows) == 4
    for row in rows:
        assert set(row) == {"field", "low", "high", "npv_low", "npv_high", "swing"}
    swings = [row["swing"] for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > swings[-1]
    assert {row["field"] for row in rows} == {
        "levers.save_rate",
        "levers.retention_lift",
        "costs.setup",
        "service.cost_per_social_contact",
    }
    scenario = scenario_from_dict(RANGED)
    for row in rows:
        assert row["swing"] == pytest.approx(abs(row["npv_high"] - row["npv_low"]), rel=1e-12)
        for end in ("low", "high"):
            npv = evaluate(with_values(scenario, {row["field"]: row[end]})).summary.npv
            assert row[f"npv_{end}"] == pytest.approx(npv, rel=1e-9), (row["field"], end)
    setup = next(row for row in rows if row["field"] == "costs.setup")
    assert (setup["low"], setup["high"]) == (50_000, 200_000)
    # Setup is booked in month 0, undiscounted, with the 5 % cost risk: 150,000 * 1.05.
    assert setup["swing"] == pytest.approx(157_500.0, rel=1e-9)


# --- break-even ---------------------------------------------------------------------------


def test_breakeven_on_setup_brings_npv_to_zero(tmp_path: Path) -> None:
    result = run_json("breakeven", write(tmp_path, {}), "costs.setup")
    assert set(result) == {"field", "value", "target", "message"}
    assert result["field"] == "costs.setup"
    assert result["target"]["value"] == 0
    assert "costs.setup" in result["message"]
    summary = evaluate(with_values(Scenario(), {"costs.setup": result["value"]})).summary
    # MODEL.md §4: the field value to 1e-6 relative; npv moves ~1.05 per unit of setup.
    assert summary.npv == pytest.approx(0.0, abs=1e-6 * summary.pv_costs)
    # Setup is up front and undiscounted: npv falls by exactly 1.05 per unit.
    assert result["value"] == pytest.approx(80_000 + 867_214.11 / 1.05, rel=1e-6)


def test_breakeven_with_target_roi(tmp_path: Path) -> None:
    result = run_json("breakeven", write(tmp_path, {}), "costs.setup", "--target-roi", "0.5")
    assert result["target"]["value"] == 0.5
    summary = evaluate(with_values(Scenario(), {"costs.setup": result["value"]})).summary
    assert summary.roi == pytest.approx(0.5, rel=1e-6)


def test_unreachable_breakeven_gives_null(tmp_path: Path) -> None:
    # A price premium only adds benefit: npv stays above 0 over all of [0, 1].
    result = run_json("breakeven", write(tmp_path, {}), "levers.price_premium")
    assert result["field"] == "levers.price_premium"
    assert result["value"] is None
    assert "levers.price_premium" in result["message"]


def test_breakeven_keeps_its_four_names_and_its_sentence_on_every_outcome(
    tmp_path: Path,
) -> None:
    # The parts a UI words for people (outcome, reach, jump, ...) stay out of the JSON.
    path = write(tmp_path, {})
    jump = run_json("breakeven", path, "costs.setup", "--target-payback", "6")
    assert set(jump) == {"field", "value", "target", "message"}
    expected = break_even(Scenario(), "costs.setup", target_payback=6)
    assert expected.outcome == "jump"
    assert jump == expected.to_dict()
    text = run("breakeven", path, "levers.price_premium")
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip() == break_even(Scenario(), "levers.price_premium").message


def test_breakeven_on_unknown_field_exits_2_naming_it(tmp_path: Path) -> None:
    proc = run("breakeven", write(tmp_path, {}), "levers.loyalty", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("levers.loyalty: ")


# --- Monte Carlo ---------------------------------------------------------------------------


def test_montecarlo_is_repeatable_with_a_seed(tmp_path: Path) -> None:
    path = write(tmp_path, RANGED)
    args = ("montecarlo", path, "--n", "2000", "--seed", "5", "--json")
    first, second = run(*args), run(*args)
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stdout == second.stdout

    data = json.loads(first.stdout)
    assert set(data) == {"n", "seed", "npv", "roi", "payback_months", "prob_npv_positive"}
    assert (data["n"], data["seed"]) == (2000, 5)
    assert set(data["npv"]) == STATS_KEYS
    assert set(data["roi"]) == STATS_KEYS
    assert set(data["payback_months"]) == STATS_KEYS | {"share_paid_back"}
    for figure in ("npv", "roi", "payback_months"):
        stats = data[figure]
        ordered = [stats[k] for k in ("p5", "p10", "p50", "p90", "p95")]
        assert ordered == sorted(ordered), figure
        assert stats["p5"] < stats["p95"], figure  # the ranges really vary the result
    assert 0.0 <= data["prob_npv_positive"] <= 1.0
    assert 0.0 <= data["payback_months"]["share_paid_back"] <= 1.0
    # The same numbers as the library with the same seed.
    assert data == monte_carlo(scenario_from_dict(RANGED), n=2000, seed=5).to_dict()


def test_montecarlo_rejects_zero_draws(tmp_path: Path) -> None:
    proc = run("montecarlo", write(tmp_path, RANGED), "--n", "0", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "--n" in proc.stderr


# --- schema ---------------------------------------------------------------------------------


def test_schema_is_the_scenario_json_schema() -> None:
    proc = run("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert schema["type"] == "object"
    assert {"business", "levers", "other_items"} <= set(schema["properties"])
    assert schema == Scenario.model_json_schema()


def test_breakeven_for_a_target_payback(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{}")
    out = subprocess.run(
        [sys.executable, "-m", "roi_core", "breakeven", str(path), "levers.retention_lift",
         "--target-payback", "10", "--json"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["target"] == {"metric": "payback_months", "value": 10.0}
    s = with_values(Scenario(), {"levers.retention_lift": data["value"]})
    assert evaluate(s).summary.payback_months == pytest.approx(10.0, rel=1e-6)

"""roi_ui.frames.workshop: the board shows each team's latest case as submitted,
hidden names until revealed, and the export holds every version with every input."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from roi_core import NUMERIC_FIELDS, Scenario, evaluate, scenario_from_dict
from roi_core.scenario import get_value
from roi_ui.export.tables import to_csv
from roi_ui.frames import workshop as frames
from roi_ui.frames.base import displayed

TEAMS = ["Blue & <b>Co</b>", 'The "A" team', "=1+1"]
ALLOWED = ["levers.retention_lift", "costs.setup"]
SCENARIOS = [
    scenario_from_dict({"levers": {"retention_lift": 0.2}}),
    scenario_from_dict({"costs": {"setup": 250_000}}),
    scenario_from_dict(
        {"costs": {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}}
    ),
]


def test_team_labels_hide_names_until_revealed() -> None:
    assert frames.team_labels(TEAMS, reveal=False) == ["Team 1", "Team 2", "Team 3"]
    assert frames.team_labels(TEAMS, reveal=True) == TEAMS  # as typed, not escaped
    assert frames.team_labels([], reveal=False) == []


def test_board_has_one_row_per_team_with_its_results_and_open_levers() -> None:
    cases = [(v, s, evaluate(s).summary) for v, s in zip((1, 3, 2), SCENARIOS, strict=True)]
    labels = frames.team_labels(TEAMS, reveal=True)
    board = frames.board(labels, cases, ALLOWED)
    assert board.columns.tolist() == [
        "Team", "Version", "NPV", "ROI", "Payback", "Retention lift", "Setup",
    ]  # fmt: skip
    assert board["Team"].tolist() == TEAMS
    assert board["Version"].tolist() == [1, 3, 2]
    for i, (_, scenario, summary) in enumerate(cases):
        row = board.iloc[i]
        assert row["NPV"] == summary.npv
        assert row["Payback"] == summary.payback_months
        assert row["Retention lift"] == scenario.levers.retention_lift
        assert row["Setup"] == scenario.costs.setup
    assert board.loc[0, "ROI"] == cases[0][2].roi
    assert cases[2][2].roi is None and pd.isna(board.loc[2, "ROI"])  # no costs: undefined
    assert board.loc[1, "Setup"] == 250_000
    # Shown in the units teams see: a share in %, money in the room's currency.
    shown = displayed(board, "EUR")
    assert shown.loc[0, "Retention lift"] == "20.0%"
    assert shown.loc[1, "Setup"].startswith("€250,000")
    assert shown.loc[0, "Payback"].endswith("months")


def test_board_without_open_levers_has_just_the_results() -> None:
    cases = [(1, Scenario(), evaluate(Scenario()).summary)]
    board = frames.board(["Team 1"], cases, [])
    assert board.columns.tolist() == ["Team", "Version", "NPV", "ROI", "Payback"]


def test_board_refuses_labels_that_do_not_match_the_cases() -> None:
    cases = [(1, Scenario(), evaluate(Scenario()).summary)]
    with pytest.raises(ValueError):
        frames.board(["Team 1", "Team 2"], cases, ALLOWED)


def _export_rows() -> list[dict[str, object]]:
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    return [
        {"team": TEAMS[0], "version": 1, "submitted_at": when,
         "scenario": SCENARIOS[0].model_dump(mode="json")},
        {"team": TEAMS[0], "version": 2, "submitted_at": "2026-03-01T09:45:00+00:00",
         "scenario": SCENARIOS[1].model_dump(mode="json")},
        {"team": TEAMS[2], "version": 1, "submitted_at": when.isoformat(),
         "scenario": SCENARIOS[2].model_dump(mode="json")},
    ]  # fmt: skip


def test_export_frame_holds_every_version_with_every_input() -> None:
    rows = _export_rows()
    summaries = [evaluate(s).summary for s in SCENARIOS]
    frame = frames.export_frame(list(zip(rows, summaries, strict=True)))
    assert frame.columns.tolist() == [
        "team", "version", "submitted_at", "npv", "roi_percent", "payback_months", *NUMERIC_FIELDS,
    ]  # fmt: skip
    assert frame["team"].tolist() == [TEAMS[0], TEAMS[0], TEAMS[2]]
    assert frame["version"].tolist() == [1, 2, 1]
    # A datetime is written as ISO 8601; a string (as the store exports it) is kept.
    assert frame["submitted_at"].tolist() == [
        "2026-03-01T09:30:00+00:00", "2026-03-01T09:45:00+00:00", "2026-03-01T09:30:00+00:00",
    ]  # fmt: skip
    for i, (scenario, summary) in enumerate(zip(SCENARIOS, summaries, strict=True)):
        assert frame.loc[i, "npv"] == summary.npv
        if summary.roi is not None:
            assert frame.loc[i, "roi_percent"] == summary.roi * 100  # ROI as a percentage
        for path in NUMERIC_FIELDS:
            assert frame.loc[i, path] == get_value(scenario, path)
    assert pd.isna(frame.loc[2, "roi_percent"])


def test_export_frame_reads_back_from_csv() -> None:
    rows = _export_rows()
    summaries = [evaluate(s).summary for s in SCENARIOS]
    frame = frames.export_frame(list(zip(rows, summaries, strict=True)))
    read = pd.read_csv(io.BytesIO(to_csv(frame)))
    # Quotes, & and < as typed; a name a spreadsheet would run as a formula is text.
    expected = [("'" + t if t.startswith("=") else t) for t in frame["team"]]
    assert read["team"].tolist() == expected
    assert read["npv"].tolist() == frame["npv"].tolist()  # full precision
    assert read["costs.setup"].tolist() == frame["costs.setup"].tolist()


def test_export_frame_of_nothing_is_empty() -> None:
    assert frames.export_frame([]).empty

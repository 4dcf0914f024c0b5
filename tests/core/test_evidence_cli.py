"""``python -m roi_core baseline|social`` and ``--map`` on every evidence command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "roi_ui" / "data" / "samples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roi_core", *args], capture_output=True,
                          text=True, check=False, cwd=REPO)  # fmt: skip


def test_baseline_json_has_the_issue_names() -> None:
    out = run("baseline", str(SAMPLES / "contacts.csv"), "--launch", "2025-01",
              "--hourly-cost", "30", "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data["months"][0]) >= {"month", "assisted", "social", "self_service"}
    assert len(data["months"]) == 24
    assert set(data["baseline"]) >= {
        "monthly_assisted_contacts", "cost_per_assisted_contact", "cost_per_social_contact"
    }  # fmt: skip
    assert data["baseline"]["cost_per_assisted_contact"] > 0
    assert set(data["shift"]) == {"estimate", "low", "high"}
    assert data["shift"]["low"] <= 0.15 <= data["shift"]["high"]
    assert 0 < data["social_reach"] < 1
    assert data["rows_left_out"] == []
    table = run("baseline", str(SAMPLES / "contacts.csv"), "--launch", "2025-01")
    assert table.returncode == 0
    assert "Shift away from assisted contacts" in table.stdout
    assert "n/a (needs handle_minutes and --hourly-cost)" in table.stdout


def test_baseline_map_and_channel(tmp_path: Path) -> None:
    text = (SAMPLES / "contacts.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "calls.csv"
    renamed.write_text(
        text.replace("created_at,channel,", "When,Medium,", 1).replace(",Email,", ",Fax,"),
        encoding="utf-8",
    )
    out = run("baseline", str(renamed), "--launch", "2025-01")
    assert out.returncode == 2
    assert "no column for created_at, channel" in out.stderr
    mapped = run("baseline", str(renamed), "--launch", "2025-01", "--map", "When=created_at",
                 "--map", "Medium=channel", "--json")  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    left_out = json.loads(mapped.stdout)["rows_left_out"]
    assert len(left_out) == 1 and "channel not mapped to a class ('Fax')" in left_out[0]
    fixed = run("baseline", str(renamed), "--launch", "2025-01", "--map", "When=created_at",
                "--map", "Medium=channel", "--channel", "Fax=assisted", "--json")  # fmt: skip
    original = run("baseline", str(SAMPLES / "contacts.csv"), "--launch", "2025-01", "--json")
    assert json.loads(fixed.stdout)["shift"] == json.loads(original.stdout)["shift"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--launch", "2025-13"], "launch: '2025-13' is not a month written YYYY-MM"),
        (["--launch", "2025-01", "--hourly-cost", "-1"], "must be a finite number >= 0"),
        (["--launch", "2025-01", "--map", "x=nope"], "'nope' is not one of"),
        (["--launch", "2025-01", "--channel", "Fax=phoneish"], "--channel 'Fax=phoneish'"),
    ],
)
def test_baseline_refuses_bad_options_with_a_message(args: list[str], message: str) -> None:
    out = run("baseline", str(SAMPLES / "contacts.csv"), *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_social_json_and_map(tmp_path: Path) -> None:
    out = run("social", str(SAMPLES / "mentions.csv"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("advocate_share", "reply_rate", "positive_share_replied",
                "positive_share_not_replied", "difference"):  # fmt: skip
        assert set(data[key]) == {"estimate", "low", "high"}
    assert data["advocate_share"]["low"] <= 0.12 <= data["advocate_share"]["high"]
    renamed = tmp_path / "posts.csv"
    text = (SAMPLES / "mentions.csv").read_text(encoding="utf-8")
    renamed.write_text(text.replace("author_id", "Handle", 1), encoding="utf-8")
    assert run("social", str(renamed)).returncode == 2
    again = run("social", str(renamed), "--map", "Handle=author_id", "--json")
    assert json.loads(again.stdout)["advocate_share"] == data["advocate_share"]
    table = run("social", str(SAMPLES / "mentions.csv"))
    assert "Advocate share" in table.stdout


def test_calibrate_takes_map_too(tmp_path: Path) -> None:
    text = (SAMPLES / "customers.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "c.csv"
    renamed.write_text(text.replace(",churned,", ",Lost,", 1), encoding="utf-8")
    assert run("calibrate", str(renamed)).returncode == 2
    out = run("calibrate", str(renamed), "--map", "Lost=churned", "--json")
    assert out.returncode == 0, out.stderr
    original = json.loads(run("calibrate", str(SAMPLES / "customers.csv"), "--json").stdout)
    assert json.loads(out.stdout) == original

"""``roi-report``: the leave-behind reports from the command line, as a sales team
runs it — the installed console script, in a subprocess — and read back.

Each run costs about a second (Python, pandas and the report libraries start), so a
run usually carries several assertions."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roi_core import Scenario, evaluate, scenario_to_json
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

BIN = Path(sys.executable).parent
SCRIPT = BIN / ("roi-report.exe" if os.name == "nt" else "roi-report")


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The installed console script (``pip install -e .`` puts it beside Python)."""
    assert SCRIPT.exists(), f"{SCRIPT.name} is not installed: pyproject's [project.scripts]"
    return subprocess.run(
        [str(SCRIPT), *args], input=stdin, capture_output=True, timeout=120, cwd=cwd, check=False
    )


@pytest.fixture
def case(tmp_path: Path) -> tuple[Scenario, Path]:
    s = Scenario.model_validate(
        {"name": "Acme care case", "business": {"currency": "EUR"},
         "levers": {"retention_lift": 0.12}}
    )  # fmt: skip
    path = tmp_path / "case.json"
    path.write_text(scenario_to_json(s), encoding="utf-8")
    return s, path


def test_each_format_from_a_file_named_by_its_extension(case: tuple[Scenario, Path]) -> None:
    from openpyxl import load_workbook
    from pptx import Presentation

    s, path = case
    out = path.parent
    r = evaluate(s)
    for ext in ("html", "xlsx", "pptx"):
        done = run(str(path), "-o", str(out / f"case.{ext}"), "--prepared-for", "Acme Telecom")
        assert done.returncode == 0, done.stderr.decode()
        assert done.stderr == b""
    html = (out / "case.html").read_text(encoding="utf-8")
    assert "Acme care case" in html
    assert "Prepared for Acme Telecom" in html
    assert fmt.money(r.summary.npv, "EUR") in html
    wb = load_workbook(out / "case.xlsx", data_only=True)  # cached values: no recalculation
    assert "Summary" in wb.sheetnames
    summary = [c.value for row in wb["Summary"].iter_rows() for c in row]
    assert "Acme care case" in summary
    assert any(isinstance(v, str) and "Acme Telecom" in v for v in summary)
    assert wb.defined_names["npv"] is not None  # the live model's named result
    deck = Presentation(str(out / "case.pptx"))
    text = " ".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes
        if shape.has_text_frame
    )  # fmt: skip
    assert "Acme care case" in text
    assert "Acme Telecom" in text
    assert fmt.money(r.summary.npv, "EUR") in text
    # nothing else was left in the folder (the file is written through a temporary one)
    assert sorted(p.name for p in out.iterdir()) == [
        "case.html", "case.json", "case.pptx", "case.xlsx"
    ]  # fmt: skip


def test_stdin_to_stdout_with_an_explicit_format(case: tuple[Scenario, Path]) -> None:
    from pptx import Presentation

    s, path = case
    done = run("-", "--format", "pptx", "-o", "-", stdin=path.read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    deck = Presentation(io.BytesIO(done.stdout))
    assert len(deck.slides) >= 4
    titles = [sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame]
    assert any(s.name in t for t in titles)


def test_a_preset_cites_its_sources(tmp_path: Path) -> None:
    preset = load_presets()["telecom"]
    path = tmp_path / "telecom.json"
    path.write_text(scenario_to_json(preset.scenario), encoding="utf-8")
    done = run(str(path), "--preset", "telecom", "-o", str(tmp_path / "t.html"))
    assert done.returncode == 0, done.stderr.decode()
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    note = preset.source("service.cost_per_assisted_contact")
    assert note is not None
    import html as html_lib

    assert html_lib.escape(note.note) in html


@pytest.mark.parametrize(
    ("scenario", "args", "says"),
    [
        ('{"levers": {"save_rate": 1.5}}', ["--format", "html"], "levers.save_rate"),
        ('{"levers": {"nope": 1}}', ["--format", "xlsx"], "levers.nope"),
        ("not json", ["--format", "pptx"], "JSON"),
        ("{}", [], "--format"),  # -o has no known extension and no --format
        ("{}", ["--format", "html", "--preset", "nope"], "--preset"),
        ("{}", ["--format", "html", "--prepared-for", "x" * 81], "--prepared-for"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    tmp_path: Path, scenario: str, args: list[str], says: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(scenario, encoding="utf-8")
    target = tmp_path / "out.report"
    done = run(str(path), "-o", str(target), *args)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert says in err
    assert "Traceback" not in err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_missing_file_and_missing_folder_exit_2(tmp_path: Path) -> None:
    done = run(str(tmp_path / "absent.json"), "-o", str(tmp_path / "x.html"))
    assert done.returncode == 2
    assert "absent.json" in done.stderr.decode()
    (tmp_path / "ok.json").write_text("{}", encoding="utf-8")
    done = run(str(tmp_path / "ok.json"), "-o", str(tmp_path / "no" / "such" / "x.html"))
    assert done.returncode == 2
    assert "-o" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()

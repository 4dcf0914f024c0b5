"""`make bench` writes the README's performance tables from its own figures
(``bench/bench_report.py``, the pure part): rendered from rows, replaced only between
the markers, the same twice over, refused without the markers. No timing here: speed
targets live in the benchmark script, not in timed tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _report() -> ModuleType:
    """``bench/bench_report.py`` as a module (bench/ is scripts, not a package)."""
    name = "roi_bench_report"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "bench_report.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


br = _report()
X = br.TIMES  # the multiplication sign of "1.3 times the toy"
ENGINE, UI = "Engine", "Dashboard beside the toy app"
ROWS = [
    br.Figure(ENGINE, "`evaluate`, 36 months", "0.11 ms", target="≤ 0.5 ms", ok=True),
    br.Figure(
        ENGINE, "Monte Carlo 1,000,000 draws", "1.62 s", target="≤ 1.5 s", memory="48 MiB", ok=False
    ),
    br.Figure(ENGINE, "two-way table 25 x 25", "0.42 ms"),
    br.Figure(
        UI,
        "slider → KPI, p95",
        "171 ms",
        toy="117 ms",
        ratio=171 / 117,
        target=f"≤ 1.3{X} toy",
        ok=False,
    ),
    br.Figure(UI, "warm load | second tab", "1.9 s", toy="1.4 s", ratio=1.9 / 1.4),
]
README = f"""# App

Prose before, with 3.1 s typed by a person.

{br.BEGIN}
| old | table |
|---|---|
| 1 | 2 |
{br.END}

Prose after: the cluster table stays as written.

| replicas | p95 |
|---:|---:|
| 1 | 688 |
"""


def block() -> str:
    return br.render_block(
        ROWS,
        date="2025-01-02",
        machine="2 cores, Python 3.11.7, numpy 2.4.6, Streamlit 1.67.0",
        command="make bench",
        notes={UI: "the toy and this app in the same run"},
    )


def test_the_block_says_when_where_and_how_then_one_table_per_section() -> None:
    text = block()
    first = text.splitlines()[0]
    assert "`make bench`" in first
    assert "2025-01-02" in first
    assert "2 cores, Python 3.11.7, numpy 2.4.6, Streamlit 1.67.0" in first
    assert "**Engine**" in text
    assert "**Dashboard beside the toy app** — the toy and this app in the same run" in text
    engine, ui = text.split("**Engine**")[1].split("**Dashboard")
    assert "| what | figure | peak memory | target | met |" in engine
    assert "| Monte Carlo 1,000,000 draws | 1.62 s | 48 MiB | ≤ 1.5 s | **no** |" in engine
    assert "| two-way table 25 x 25 | 0.42 ms |  |  |  |" in engine
    assert "| what | toy | this app | app / toy | target | met |" in ui
    assert f"| slider → KPI, p95 | 117 ms | 171 ms | 1.46{X} | ≤ 1.3{X} toy | **no** |" in ui
    assert f"| warm load \\| second tab | 1.4 s | 1.9 s | 1.36{X} |  |  |" in ui  # a | is escaped


def test_the_block_replaces_only_what_lies_between_the_markers() -> None:
    out = br.replace_block(README, block())
    before, rest = out.split(br.BEGIN)
    inside, after = rest.split(br.END)
    assert before == README.split(br.BEGIN)[0]
    assert after == README.split(br.END)[1]
    assert inside == f"\n{block()}\n"
    assert "| old | table |" not in out


def test_replacing_twice_changes_nothing() -> None:
    once = br.replace_block(README, block())
    assert br.replace_block(once, block()) == once


@pytest.mark.parametrize(
    "text",
    [
        "# App\n\nno markers at all\n",
        f"# App\n{br.BEGIN}\nonly the start\n",
        f"# App\nonly the end\n{br.END}\n",
        f"# App\n{br.END}\nreversed\n{br.BEGIN}\n",
        f"# App\n{br.BEGIN}\n{br.END}\n{br.BEGIN}\n{br.END}\n",
    ],
)
def test_the_markers_are_required_once_each_and_in_order(text: str) -> None:
    with pytest.raises(ValueError, match="bench:"):
        br.replace_block(text, block())


def test_the_readme_has_the_markers_once_and_the_cluster_table_outside_them() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(br.BEGIN) == 1 and text.count(br.END) == 1
    assert text.index(br.BEGIN) < text.index(br.END)
    outside = text.split(br.BEGIN)[0] + text.split(br.END)[1]
    assert "make bench-cluster" in outside
    assert "| replicas | sessions |" in outside

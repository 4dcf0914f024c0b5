"""The layers of roi_ui hold (STYLE.md): figures, frames, export and the pure helpers
never load Streamlit; figures never load pandas and never run the engine; frames
never load Plotly.

Modules are found on disk, so a module added to a layer is checked without
editing this file.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import roi_ui

ROOT = Path(roi_ui.__file__).parent
PURE_HELPERS = ("formatting", "text", "share", "presets", "theme", "editor", "logo", "resources")
#: The engine's entry points: figures draw their results, never compute them.
ENGINE = frozenset(
    ("evaluate", "evaluate_batch", "monte_carlo", "sensitivity", "break_even", "grid2d")
)


def _modules(layer: str) -> list[str]:
    """Every module of the ``roi_ui.<layer>`` package, the package itself first."""
    found = pkgutil.iter_modules([str(ROOT / layer)], prefix=f"roi_ui.{layer}.")
    return [f"roi_ui.{layer}", *sorted(m.name for m in found)]


FIGURES, FRAMES, EXPORT = _modules("figures"), _modules("frames"), _modules("export")
HELPERS = [f"roi_ui.{name}" for name in PURE_HELPERS]


def _loaded_after_importing(modules: list[str]) -> set[str]:
    """The top-level packages in ``sys.modules`` of a fresh interpreter that imported
    ``modules``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent
    ).stdout
    return set(json.loads(out))


def test_the_layers_are_found() -> None:
    # Discovery itself must work, or every check below would pass on nothing.
    assert {"roi_ui.figures.base", "roi_ui.figures.risk", "roi_ui.figures.workshop"} <= set(FIGURES)
    assert {"roi_ui.frames.base", "roi_ui.frames.compare"} <= set(FRAMES)
    assert {"roi_ui.export.html", "roi_ui.export.tables"} <= set(EXPORT)
    for name in HELPERS:
        assert (ROOT / f"{name.split('.')[-1]}.py").is_file(), name


def test_a_fresh_interpreter_loads_what_it_imports() -> None:
    # The probe sees a package that is imported: otherwise "not loaded" means nothing.
    assert {"streamlit", "pandas", "plotly"} <= _loaded_after_importing(
        ["streamlit", "pandas", "plotly.graph_objects"]
    )


def test_figures_frames_export_and_helpers_never_load_streamlit() -> None:
    loaded = _loaded_after_importing([*FIGURES, *FRAMES, *EXPORT, *HELPERS])
    assert "roi_ui" in loaded
    assert "streamlit" not in loaded


def test_figures_never_load_pandas() -> None:
    loaded = _loaded_after_importing(FIGURES)
    assert "plotly" in loaded
    assert "pandas" not in loaded
    assert "streamlit" not in loaded


def test_frames_never_load_plotly() -> None:
    loaded = _loaded_after_importing(FRAMES)
    assert "plotly" not in loaded
    assert "streamlit" not in loaded


# --- figures never run the engine (static) ------------------------------------------------------


def _engine_calls(source: str) -> list[str]:
    """``name (line n)`` for every call of an engine function, by name or attribute
    (``evaluate(s)``, ``roi_core.evaluate(s)``, ``analysis.grid2d(...)``), and every
    import of one."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name in ENGINE:
                found.append(f"{name}() (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names if a.name in ENGINE]
            found += [f"import {name} (line {node.lineno})" for name in names]
    return found


def test_the_engine_call_check_finds_calls() -> None:
    source = (
        "from roi_core import evaluate\n"
        "import roi_core.analysis as analysis\n"
        "def f(s):\n"
        "    return evaluate(s), analysis.grid2d(s, 'a', [1], 'b', [2])\n"
        "def monte_carlo_npv(mc):  # a name, not a call\n"
        "    return mc.samples\n"
    )
    assert _engine_calls(source) == ["import evaluate (line 1)", "evaluate() (line 4)",
                                     "grid2d() (line 4)"]  # fmt: skip


FIGURE_FILES = sorted(p.name for p in (ROOT / "figures").glob("*.py"))


def test_every_figure_module_is_read() -> None:
    assert len(FIGURE_FILES) == len(FIGURES)  # each module's file, __init__.py included


@pytest.mark.parametrize("filename", FIGURE_FILES)
def test_figures_never_call_the_engine(filename: str) -> None:
    source = (ROOT / "figures" / filename).read_text(encoding="utf-8")
    assert _engine_calls(source) == []

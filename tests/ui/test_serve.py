"""The launcher ``python -m roi_ui.serve``: the app loaded before Streamlit's server."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from roi_ui import serve


def test_preload_names_real_modules_and_the_launcher_runs_app_py(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.web import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    serve.main(["--server.port", "9"])
    assert seen == [["streamlit", "run", str(serve.APP), "--server.port", "9"]]
    assert serve.APP.name == "app.py" and serve.APP.is_file()
    for name in serve.PRELOAD:
        assert name in sys.modules


def _imports(script: Path) -> list[str]:
    """The modules a script imports (``import a.b``, ``from a.b import c`` -> ``a.b``
    and ``a.b.c``, the latter only when it is a module)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_preload_loads_what_a_first_dashboard_run_imports() -> None:
    """In a fresh interpreter, after :func:`serve.preload`, importing what app.py and
    the dashboard page import adds none of the app's own modules: the first visitor
    finds them all loaded."""
    root = serve.APP.parent
    wanted = sorted(
        {n for s in (serve.APP, root / "pages" / "dashboard.py") for n in _imports(s)}
        - {"streamlit", "pathlib"}
    )
    code = (
        "import importlib, sys; from roi_ui import serve; serve.preload(); "
        "before = set(sys.modules)\n"
        f"for name in {wanted!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError:\n"  # ``from module import function``
        "        pass\n"
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.split('.')[0] in ('roi_core', 'roi_ui', 'roi_store')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120, cwd=root)  # fmt: skip
    assert any(n.startswith("roi_ui.widgets") for n in wanted)
    assert out.stdout.strip() == "[]"

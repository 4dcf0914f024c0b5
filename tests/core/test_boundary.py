"""roi_core is the pure core: importing it must not pull in the UI stack."""

from __future__ import annotations

import subprocess
import sys

import roi_core


def test_importing_roi_core_loads_neither_streamlit_nor_plotly() -> None:
    code = (
        "import sys, roi_core, roi_core.cli, roi_core.analysis\n"
        "loaded = sorted(m for m in ('streamlit', 'plotly', 'pandas') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_public_api_is_explicit() -> None:
    assert "evaluate" in roi_core.__all__
    for name in roi_core.__all__:
        assert hasattr(roi_core, name), name


def test_nothing_under_roi_core_imports_the_other_layers() -> None:
    """roi_core is the bottom layer: it never loads roi_store or roi_ui, neither at
    import nor in any module's import statements."""
    import ast
    from pathlib import Path

    root = Path(roi_core.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [
                f"{path.name}:{node.lineno} {n}"  # type: ignore[attr-defined]
                for n in names
                if n.split(".")[0] in ("roi_ui", "roi_store", "streamlit", "plotly")
            ]
    assert offenders == []
    code = (
        "import sys, roi_core, roi_core.cli, roi_core.analysis, roi_core.ranges, "
        "roi_core.variants, roi_core.workshop, roi_core.quick_case, roi_core.calibration\n"
        "print(','.join(sorted(m for m in ('roi_ui', 'roi_store', 'sqlalchemy') "
        "if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""

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

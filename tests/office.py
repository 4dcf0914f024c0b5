"""LibreOffice headless for the report tests: recalculate a workbook, render a deck.

``soffice()`` is Debian's ``libreoffice-calc-nogui`` / ``libreoffice-impress-nogui``
(``make test`` installs them when missing and root: ``deploy/install-deps.sh``).
Without it a test that needs it skips with the reason, except on CI (CI=true),
where it fails.

Each conversion runs in its own throwaway user profile whose settings say
"always recalculate on load" for Excel and ODF files, so a workbook's cached values
are never taken on trust: what a test reads back is what LibreOffice computed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["convert", "require_soffice", "soffice"]

# 0 = always recalculate, 1 = never, 2 = ask (org.openoffice.Office.Calc/Formula/Load).
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The binary; skip the test without it (fail on CI, where make test installs it)."""
    binary = soffice()
    if binary is None:
        reason = "LibreOffice is not installed (make test installs it when root)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def convert(source: Path, to: str, outdir: Path, *, timeout: float = 180) -> Path:
    """``soffice --headless --convert-to TO`` of ``source`` into ``outdir``; the new
    file's path. ``to`` is an extension with an optional filter (``xlsx``, ``pdf``,
    ``pdf:impress_pdf_Export``). Raises with LibreOffice's output when nothing came out."""
    binary = require_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="roi-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        done = subprocess.run(
            [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--convert-to", to, "--outdir", str(outdir), str(source)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    target = outdir / f"{source.stem}.{to.split(':', 1)[0]}"
    if not target.exists():
        raise RuntimeError(
            f"LibreOffice made no {target.name} (exit {done.returncode}): "
            f"{done.stdout.strip()} {done.stderr.strip()}"
        )
    return target

"""Installable like a library: the wheel built from this checkout, installed (not
editable) into a fresh virtualenv, works from outside the checkout — the CLI,
the store, the UI's package data — and writes nothing into site-packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        cwd=out)  # fmt: skip
    (built,) = out.glob("social_care_roi-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtualenv with the wheel (and its dependencies) in it."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=home)
    return python


def test_the_wheel_carries_the_packages_and_their_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("roi_core", "roi_store", "roi_ui"):
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    data_files = (
        "roi_ui/data/app.css",
        "roi_ui/data/theme.toml",
        "roi_ui/data/presets/telecom.json",
        "roi_ui/data/samples/customers.csv",
        "roi_core/locale/id/LC_MESSAGES/messages.po",
    )
    for data in data_files:
        assert data in names
    assert not any(n.startswith(("tests/", "pages/", "var/")) for n in names)


def test_the_cli_runs_from_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "case.json"
    scenario.write_text(json.dumps({"levers": {"save_rate": 0.3}}), encoding="utf-8")
    out = run([str(installed), "-m", "roi_core", "evaluate", str(scenario), "--json"], tmp_path)
    summary = json.loads(out)["summary"]
    from roi_core import Scenario, evaluate, with_values

    expected = evaluate(with_values(Scenario(), {"levers.save_rate": 0.3})).summary
    assert summary["npv"] == pytest.approx(expected.npv, rel=1e-12)


def test_the_installed_package_speaks_indonesian(installed: Path, tmp_path: Path) -> None:
    """The catalog travels in the wheel (as its .po: a compiled .mo is a build output,
    not committed) and is read from there."""
    code = (
        "from roi_core import i18n\n"
        "from roi_ui import formatting as fmt\n"
        "with i18n.language('id'):\n"
        "    print(i18n.gettext('Dashboard'), fmt.money_compact(1_600_000, 'IDR'))\n"
        "print(i18n.LOCALEDIR)\n"
    )
    said, where = run([str(installed), "-c", code], tmp_path).strip().splitlines()
    assert said == "Dasbor Rp\u00a01,6\u00a0jt"
    assert "site-packages" in where


def test_the_ui_package_data_and_the_store_work_installed(installed: Path, tmp_path: Path) -> None:
    code = (
        "import json, roi_ui.theme, roi_store, roi_ui, sysconfig\n"
        "from roi_ui import resources\n"
        "from roi_ui.presets import load_presets\n"
        "store = roi_store.Store()\n"
        "store.save_scenario('x', load_presets()['telecom'].scenario, owner_key='k' * 24)\n"
        "print(json.dumps({'ui': roi_ui.__file__, 'primary': roi_ui.theme.PRIMARY,\n"
        "  'presets': sorted(load_presets()), 'css': len(resources.read_text('app.css')),\n"
        "  'db': store.url, 'site': sysconfig.get_paths()['purelib']}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_")}
    report = json.loads(run([str(installed), "-c", code], tmp_path, env=env))
    assert report["ui"].startswith(report["site"])  # the installed copy, not the checkout
    assert report["primary"] == "#0F766E"
    assert {"telecom", "banking", "saas"} <= set(report["presets"])
    assert report["css"] > 100
    assert report["db"] == f"sqlite:///{tmp_path.resolve() / 'var' / 'roi.sqlite3'}"
    assert (tmp_path / "var" / "roi.sqlite3").exists()
    data_dir = tmp_path / "elsewhere"
    report = json.loads(run([str(installed), "-c", code], tmp_path,
                            env=env | {"ROI_DATA_DIR": str(data_dir)}))  # fmt: skip
    assert report["db"] == f"sqlite:///{data_dir.resolve() / 'roi.sqlite3'}"
    site = Path(report["site"])
    assert not any(site.rglob("*.sqlite3"))  # nothing written inside site-packages

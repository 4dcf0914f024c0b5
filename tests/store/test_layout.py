"""Where the store lives, what it exports, and what it may import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import roi_store
from roi_core import Scenario
from roi_store import Store, database_url, new_owner_key

PACKAGE = Path(roi_store.__file__).parent
#: roi_store may import the standard library, roi_core, SQLAlchemy and itself only.
ALLOWED = {"roi_core", "roi_store", "sqlalchemy", "__future__"}
FORBIDDEN = ("streamlit", "plotly", "pandas", "roi_ui")


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("ROI_DATABASE_URL", raising=False)
    monkeypatch.delenv("ROI_DATA_DIR", raising=False)
    return monkeypatch


def test_database_url_wins(no_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_env.setenv("ROI_DATABASE_URL", "postgresql+psycopg://db.example/roi")
    no_env.setenv("ROI_DATA_DIR", str(tmp_path / "data"))
    assert database_url() == "postgresql+psycopg://db.example/roi"
    assert not (tmp_path / "data").exists()


def test_data_dir_holds_the_sqlite_file(no_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_env.setenv("ROI_DATA_DIR", str(tmp_path / "data" / "roi"))
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'roi' / 'roi.sqlite3'}"
    assert (tmp_path / "data" / "roi").is_dir()  # created on first use
    store = Store()
    store.save_scenario("Here", Scenario(), owner_key=new_owner_key())
    store.close()
    assert (tmp_path / "data" / "roi" / "roi.sqlite3").is_file()


def test_a_relative_data_dir_is_pinned_to_where_the_app_started(
    no_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_env.chdir(tmp_path)
    no_env.setenv("ROI_DATA_DIR", "state")
    assert database_url() == f"sqlite:///{tmp_path.resolve() / 'state' / 'roi.sqlite3'}"


def test_by_default_var_in_the_working_directory(
    no_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_env.chdir(tmp_path)
    url = database_url()
    assert url == f"sqlite:///{tmp_path.resolve() / 'var' / 'roi.sqlite3'}"
    assert (tmp_path / "var").is_dir()  # created on first use


def test_never_a_path_inside_the_package(no_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_env.chdir(tmp_path)
    assert str(PACKAGE.resolve()) not in database_url()


def test_python_m_roi_store_migrates(tmp_path: Path) -> None:
    env = {"ROI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "roi_store"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    assert f"schema {roi_store.SCHEMA_VERSION}" in done.stdout
    assert (tmp_path / "roi.sqlite3").is_file()


def test_the_public_names_are_explicit() -> None:
    assert sorted(roi_store.__all__) == sorted(set(roi_store.__all__))
    for name in roi_store.__all__:
        assert getattr(roi_store, name) is not None
    for name in (
        "Store",
        "StoreError",
        "NotOwner",
        "NoSuchScenario",
        "new_owner_key",
        "Team",
        "CreatedRoom",
        "NameTaken",
        "NoSuchTeam",
        "RateLimited",
        "Conflict",
        "RoomLocked",
    ):
        assert name in roi_store.__all__


def test_the_store_loads_neither_streamlit_plotly_pandas_nor_roi_ui(tmp_path: Path) -> None:
    """Using the store, not just importing it, stays clear of the UI's packages."""
    code = (
        "import sys\n"
        "from roi_core import Scenario\n"
        "from roi_store import Store, new_owner_key\n"
        f"s = Store('sqlite:///{tmp_path / 'b.sqlite3'}')\n"
        "saved = s.save_scenario('x', Scenario(), owner_key=new_owner_key())\n"
        "s.load_scenario(saved.id); s.list_scenarios()\n"
        "made = s.create_room('r', Scenario(), ['levers.retention_lift'])\n"
        "team, secret = s.join(made.room.code, 't')\n"
        "s.submit(made.room.code, secret, Scenario()); s.export(made.room.code, made.token)\n"
        "s.close()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(FORBIDDEN)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_the_store_imports_only_the_stdlib_roi_core_and_sqlalchemy(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert imported - ALLOWED - set(sys.stdlib_module_names) == set()

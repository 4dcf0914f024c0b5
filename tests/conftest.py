"""Services for every test folder, started only on this machine's loopback:

- a throwaway PostgreSQL for the whole test session (``pytest_configure``): unless
  ``ROI_TEST_POSTGRES_URL`` is already set, a cluster is initialised in a temporary
  folder (as the ``postgres`` user when we are root: PostgreSQL refuses root), started
  on 127.0.0.1 and a free port with trust authentication, and its empty database
  ``roi_test`` is put in ``ROI_TEST_POSTGRES_URL``, so the store tests run there too;
  it is stopped and removed at the end (``pytest_unconfigure``);
- ``postgres_url``: a fresh, empty database on that server for one test;
- ``cluster``: the app as deployed (``deploy/cluster.py``): PostgreSQL, two replicas
  and nginx with sticky sessions, shared by the tests of a module; a replica a test
  killed is restarted before the next test gets it.

Without Debian's postgresql or nginx the tests that need them skip with the reason,
except on CI (CI=true), where they fail: ``make test`` installs both there
(``deploy/install-deps.sh``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "ROI_TEST_POSTGRES_URL"
#: The reason a store test skips without PostgreSQL (tests/store/conftest.py).
PG_SKIP_REASON = f"{PG_ENV} not set"


def _on_ci() -> bool:
    return bool(os.environ.get("CI"))


def deploy_cluster() -> ModuleType:
    """``deploy/cluster.py`` as a module (it is a script, not a package)."""
    name = "roi_deploy_cluster"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "deploy" / "cluster.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --- the session's PostgreSQL -----------------------------------------------------------------


class _SessionPostgres:
    server: Any = None  # deploy/cluster.py's Postgres, when we started one
    base: Path | None = None
    url: str = ""
    problem: str = ""  # why there is none (shown in the header; a failure on CI)


_PG = _SessionPostgres()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(PG_ENV):
        _PG.url = os.environ[PG_ENV]
        return
    dc = deploy_cluster()
    if dc.postgres_bin() is None:
        _PG.problem = "PostgreSQL is not installed (make test installs it when root)"
        return
    for _attempt in range(3):  # a free port can be taken between the check and the bind
        base = Path(tempfile.mkdtemp(prefix="roi-test-pg-"))
        server = dc.Postgres(base, dc.free_port(), durable=False)
        try:
            server.init()
            server.start()
            server.create_database("roi_test")
        except (dc.ClusterError, OSError) as exc:
            _PG.problem = f"the test PostgreSQL did not start: {exc}"
            with contextlib.suppress(dc.ClusterError, OSError):
                server.stop("immediate")
            shutil.rmtree(base, ignore_errors=True)
            continue
        _PG.server, _PG.base, _PG.problem = server, base, ""
        _PG.url = f"postgresql+psycopg://postgres@{dc.HOST}:{server.port}/roi_test"
        os.environ[PG_ENV] = _PG.url
        break


def pytest_unconfigure(config: pytest.Config) -> None:
    if _PG.server is None:
        return
    with contextlib.suppress(Exception):
        _PG.server.stop("immediate")
    if _PG.base is not None:
        shutil.rmtree(_PG.base, ignore_errors=True)
    if os.environ.get(PG_ENV) == _PG.url:
        del os.environ[PG_ENV]
    _PG.server = _PG.base = None


def pytest_report_header(config: pytest.Config) -> str:
    if _PG.server is not None:
        return f"postgresql: throwaway server on 127.0.0.1:{_PG.server.port} ({PG_ENV} set)"
    if _PG.url:
        return f"postgresql: {PG_ENV} given"
    return f"postgresql: none, store tests on PostgreSQL skip: {_PG.problem}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On CI a PostgreSQL test may not skip for want of PostgreSQL: that is a failure."""
    report = yield
    if _on_ci() and report.skipped and PG_SKIP_REASON in str(report.longrepr):
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL is required on CI ({_PG.problem or PG_SKIP_REASON})"
    return report


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the session's PostgreSQL (dropped afterwards)."""
    if not _PG.url:
        if _on_ci():
            pytest.fail(f"PostgreSQL is required on CI: {_PG.problem}")
        pytest.skip(_PG.problem or PG_SKIP_REASON)
    from sqlalchemy import create_engine, make_url, text

    name = f"t_{secrets.token_hex(6)}"
    admin = create_engine(_PG.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(_PG.url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


# --- the cluster ------------------------------------------------------------------------------


def run_cluster_cli(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``deploy/cluster.py --var VAR ARGS...`` as ``make cluster`` runs it, in its own
    process (what it starts outlives it, as after ``make cluster``)."""
    cmd = [sys.executable, str(ROOT / "deploy" / "cluster.py"), "--var", str(var), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="session")
def deploy() -> ModuleType:
    """``deploy/cluster.py`` as a module: ``Cluster``, ``Postgres``, ``render_nginx``..."""
    return deploy_cluster()


@pytest.fixture(scope="session")
def cluster_cli() -> Any:
    """``cluster_cli(var, "start", "--replicas", "1", "--port", "0")``: the command line."""
    return run_cluster_cli


def need_cluster_tools() -> None:
    """Skip (fail on CI) unless PostgreSQL and nginx are installed."""
    missing = deploy_cluster().missing_tools()
    if missing:
        why = f"Debian's {' and '.join(missing)} not installed (deploy/install-deps.sh)"
        if _on_ci():
            pytest.fail(f"{why}: `make test` installs them on CI")
        pytest.skip(why)


@pytest.fixture
def cluster_tools() -> ModuleType:
    """``deploy/cluster.py``, once PostgreSQL and nginx are known to be installed."""
    need_cluster_tools()
    return deploy_cluster()


@pytest.fixture(scope="module")
def cluster_module() -> Iterator[Any]:
    """A 2-replica cluster for one test module (started in ~3 s), started and stopped
    through the command line that ``make cluster`` / ``make cluster-stop`` run; stopped
    means nothing of it runs."""
    need_cluster_tools()
    dc = deploy_cluster()
    var = Path(tempfile.mkdtemp(prefix="roi-cluster-"))
    started = run_cluster_cli(var, "start", "--replicas", "2", "--port", "0")
    if started.returncode != 0:
        shutil.rmtree(var, ignore_errors=True)
        pytest.fail(f"deploy/cluster.py start failed:\n{started.stdout}\n{started.stderr}")
    c = dc.Cluster.load(var)
    pids = [c.nginx_pid(), c.postgres.pid()]
    try:
        yield c
    finally:
        pids += [c.pid(i) for i in range(len(c.replicas))]
        stopped = run_cluster_cli(var, "stop")
        c.stop()  # reaps the replicas this process restarted (a no-op otherwise)
        running = [pid for pid in pids if pid and dc._alive(pid)]
        shutil.rmtree(var, ignore_errors=True)
        assert stopped.returncode == 0, stopped.stderr
        assert not running, f"still running after `cluster.py stop`: {running}"


@pytest.fixture
def cluster(cluster_module: Any) -> Any:
    """The module's cluster with every replica up: ``.url`` (nginx), ``.replica_urls``,
    ``.kill(i)`` (SIGKILL), ``.restart(i)``, ``.database_url``, ``.cookie(i)`` (pins a
    browser context to replica i), ``.replica_of(x_replica_header)``."""
    for i in range(len(cluster_module.replicas)):
        if not cluster_module.alive(i):
            cluster_module.restart(i)
    return cluster_module


# --- the browser ------------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("ROI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, one for the whole session (the
    e2e and cluster tests share it: two sync Playwrights cannot run in one process).
    Without /usr/bin/chromium the tests skip with the reason, except on CI."""
    if not CHROMIUM.exists():
        if _on_ci():
            pytest.fail(f"{CHROMIUM} is missing on CI: `make test` should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

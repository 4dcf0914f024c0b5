#!/usr/bin/env python3
"""N replicas of the app behind nginx on one PostgreSQL, on this machine.

    python deploy/cluster.py start --replicas 2 [--port 8080]   # make cluster REPLICAS=2
    python deploy/cluster.py status                              # make cluster-status
    python deploy/cluster.py stop                                # make cluster-stop
    python deploy/cluster.py kill 0 | restart 0                  # one replica, for drills

Everything lives under ``var/cluster`` (``--var``): PostgreSQL's data directory
(``pg/``, owned by the ``postgres`` user when we are root: PostgreSQL refuses to run
as root), the cookie secret all replicas share, the app role's password, nginx's
rendered config, pid files and logs. Every process listens on 127.0.0.1 only. The
distro's postgresql and nginx services are not used (``deploy/install-deps.sh``
installs the packages without starting them).

Routing (see ``deploy/nginx.conf.template`` and docs/deploy.md): a request goes to the
replica named by the ``X-Roi-Replica`` request header, else by the ``roi_replica``
cookie, else to any live replica (round robin); every response sets ``roi_replica``
to the replica that answered and says which in ``X-Replica``. A dead replica's
browsers fail over to a live one and stay there.

Standard library only, so ``stop`` works with any python3. Also imported by the
tests (``tests/conftest.py``) and the benchmark (``bench/bench_cluster.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEFAULT_VAR = ROOT / "var" / "cluster"
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
#: The cookie nginx sets to keep a browser on its replica (value: the replica's name).
COOKIE = "roi_replica"
#: A request header that picks the replica by name (tests, curl, the benchmark).
PIN_HEADER = "X-Roi-Replica"
#: The response header naming the upstream address(es) that answered.
REPLICA_HEADER = "X-Replica"
APP_ROLE = "roi"
APP_DATABASE = "roi"
#: Seconds nginx keeps a replica out of rotation after a failed connection.
FAIL_TIMEOUT_S = 5

Log = Callable[[str], None]


class ClusterError(RuntimeError):
    """The cluster could not be started, stopped or reached; the message says why."""


# --- small helpers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def is_root() -> bool:
    return os.geteuid() == 0


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/N/bin);
    ``ROI_PG_BIN`` overrides."""
    if os.environ.get("ROI_PG_BIN"):
        given = Path(os.environ["ROI_PG_BIN"])
        return given if (given / "initdb").exists() else None
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.name)) or (0,)

    return max(found, key=version) if found else None


def nginx_bin() -> Path | None:
    """nginx's executable (Debian: /usr/sbin/nginx); ``ROI_NGINX`` overrides."""
    if os.environ.get("ROI_NGINX"):
        given = Path(os.environ["ROI_NGINX"])
        return given if given.exists() else None
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    return Path(found) if found else None


def missing_tools() -> list[str]:
    """The Debian packages the cluster needs that are not installed."""
    return [name for name, ok in (("postgresql", postgres_bin()), ("nginx", nginx_bin())) if not ok]


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _stop_pid(pid: int, looks_right: Callable[[list[str]], bool], *, timeout: float = 15) -> bool:
    """SIGTERM ``pid`` (SIGKILL after ``timeout``) if it is alive and its command line is
    what we started (a pid file left by a crash may name someone else's process by now).
    True if something was stopped."""
    if not _alive(pid) or not looks_right(_cmdline(pid)):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 5)
    return True


def http_get(url: str, *, timeout: float = 2, headers: dict[str, str] | None = None) -> Any:
    """GET ``url``; the response (body read into ``.body``). Raises OSError on failure."""
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.body = r.read()
        return r


def _healthy(url: str) -> bool:
    try:
        return bool(http_get(f"{url}/_stcore/health", timeout=1).body.strip() == b"ok")
    except (OSError, ValueError):
        return False


def _write_secret(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)


def _secret(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in ``path`` (0600), made once."""
    if not path.exists():
        _write_secret(path, make())
    return path.read_text().strip()


def _tail(path: Path, n: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def max_upload_mb(config: Path = ROOT / ".streamlit" / "config.toml") -> int:
    """Streamlit's ``server.maxUploadSize`` (MB) from the app's config (default 200)."""
    try:
        server = tomllib.loads(config.read_text()).get("server", {})
    except (OSError, tomllib.TOMLDecodeError):
        server = {}
    return int(server.get("maxUploadSize", 200))


# --- PostgreSQL -----------------------------------------------------------------------------


class Postgres:
    """A PostgreSQL cluster of our own: data in ``base/data``, socket and log in ``base``,
    TCP on 127.0.0.1:``port`` only. Run as the ``postgres`` user when we are root.

    ``durable=False`` (tests) skips fsync: fast, and a crash may lose the data.
    """

    def __init__(self, base: Path, port: int, *, durable: bool = True) -> None:
        found = postgres_bin()
        if found is None:
            raise ClusterError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin, self.base, self.port, self.durable = found, base, port, durable
        self.data, self.log = base / "data", base / "postgres.log"

    def _cmd(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bin / tool), *args]
        return ["runuser", "-u", "postgres", "--", *cmd] if is_root() else cmd

    def _run(self, cmd: list[str], what: str, *, ok: Sequence[int] = (0,)) -> str:
        done = subprocess.run(
            cmd, cwd=self.base, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if done.returncode not in ok:
            raise ClusterError(f"{what} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def prepare(self) -> None:
        """Create ``base`` for the server's user and check that user can reach it."""
        self.base.mkdir(parents=True, exist_ok=True)
        if is_root():
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o700)
        if is_root():
            probe = ["runuser", "-u", "postgres", "--", "test", "-w", str(self.base)]
            if subprocess.run(probe, cwd="/", capture_output=True).returncode != 0:
                raise ClusterError(
                    f"the postgres user cannot write {self.base}: a folder above it is closed "
                    "to other users (chmod o+x it, or pass --var somewhere else)"
                )

    @property
    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self, *, password: str | None = None) -> None:
        """initdb: superuser ``postgres``; the Unix socket (in ``base``, 0700) trusts local
        users; TCP needs ``password`` (SCRAM) when given, else is trusted (tests)."""
        self.prepare()
        args = ["-D", str(self.data), "-U", "postgres", "-E", "UTF8", "--locale=C"]
        args += ["--auth-local=trust"]
        pwfile = self.base / "initdb-password"
        if password:
            _write_secret(pwfile, password)
            if is_root():
                shutil.chown(pwfile, "postgres", "postgres")
            args += ["--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
        else:
            args += ["--auth-host=trust"]
        if not self.durable:
            args.append("--no-sync")
        try:
            self._run(self._cmd("initdb", *args), "initdb")
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> None:
        opts = [
            f"-p {self.port}", f"-k '{self.base}'", f"-c listen_addresses={HOST}",
            "-c max_connections=200", "-c unix_socket_permissions=0700",
        ]  # fmt: skip
        if not self.durable:
            opts += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        cmd = ["-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", " ".join(opts)]
        try:
            self._run(self._cmd("pg_ctl", *cmd, "start"), "pg_ctl start")
        except ClusterError as exc:
            raise ClusterError(f"{exc}\n{_tail(self.log)}") from None

    def running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        status = self._cmd("pg_ctl", "-D", str(self.data), "status")
        return subprocess.run(status, cwd=self.base, capture_output=True).returncode == 0

    def pid(self) -> int | None:
        return _read_pid(self.data / "postmaster.pid")

    def psql(self, sql: str, database: str = "postgres") -> str:
        args = ["-h", str(self.base), "-p", str(self.port), "-U", "postgres", "-d", database]
        args += ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql]
        return self._run(self._cmd("psql", *args), "psql").strip()

    def create_database(self, name: str, *, owner: str | None = None) -> None:
        """``name`` (created if missing), owned by ``owner`` if given."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            self.psql(f"CREATE DATABASE {name}" + (f" OWNER {owner}" if owner else ""))

    def drop_database(self, name: str) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def ensure_role(self, role: str, password: str) -> None:
        """A login role with ``password`` (set again if it exists)."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", role) or "'" in password:
            raise ValueError("plain role names and quote-free passwords only")
        exists = self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'")
        verb = "ALTER" if exists else "CREATE"
        self.psql(f"{verb} ROLE {role} LOGIN PASSWORD '{password}'")

    def stop(self, mode: str = "fast") -> bool:
        """Stop the server if it runs (``mode``: smart, fast or immediate). True if it ran."""
        if not self.running():
            return False
        args = ["-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"]
        self._run(self._cmd("pg_ctl", *args), "pg_ctl stop")
        return True


# --- nginx ----------------------------------------------------------------------------------


def render_nginx(
    upstreams: Sequence[tuple[str, str]],
    *,
    listen: str,
    pid: str,
    error_log: str,
    access_log: str,
    temp: str,
    max_body_mb: int,
    workers: str = "1",
    fail_timeout_s: int = FAIL_TIMEOUT_S,
    template: Path = TEMPLATE,
) -> str:
    """nginx's config from ``deploy/nginx.conf.template``: ``upstreams`` are the replicas as
    (name, host:port); ``max_body_mb`` is Streamlit's upload limit (the proxy allows 1 MB
    more for the multipart envelope, so Streamlit's own check answers first)."""
    if not upstreams:
        raise ValueError("at least one replica")
    names = [name for name, _ in upstreams]
    if len(set(names)) != len(names) or not all(re.fullmatch(r"[a-z0-9]+", n) for n in names):
        raise ValueError(f"replica names must be distinct and [a-z0-9]+: {names}")
    # nginx reports the address that answered as IP:port ($upstream_addr), even for a
    # server named by host name (containers): the port alone tells the replicas apart.
    ports = [addr.rsplit(":", 1)[-1] for _, addr in upstreams]
    if len(set(ports)) != len(ports) or not all(p.isdigit() for p in ports):
        raise ValueError(f"every replica needs its own port: {[a for _, a in upstreams]}")

    def server(addr: str, *, backup: bool = False) -> str:
        health = f"max_fails=1 fail_timeout={fail_timeout_s}s"
        return f"        server {addr} {'backup' if backup else health};"

    blocks = ["    upstream roi_any {", "        zone roi_any 64k;"]
    blocks += [server(addr) for _, addr in upstreams] + ["    }"]
    for name, addr in upstreams:
        blocks += [f"    upstream replica_{name} {{", f"        zone replica_{name} 64k;"]
        blocks += [server(addr)]
        blocks += [server(other, backup=True) for n, other in upstreams if n != name]
        blocks += ["    }"]
    pins = [f'        "~^{name}\\|" replica_{name};' for name in names]  # the header first
    pins += [f'        "~\\|{name}$" replica_{name};' for name in names]  # then the cookie
    served = [f'        "~:{port}$" {name};' for name, port in zip(names, ports, strict=True)]
    values = {
        "WORKERS": workers,
        "PID": pid,
        "ERROR_LOG": error_log,
        "ACCESS_LOG": access_log,
        "TEMP": temp,
        "LISTEN": listen,
        "MAX_BODY": f"{max_body_mb + 1}m",
        "COOKIE": COOKIE,
        "PIN_HEADER_VAR": "http_" + PIN_HEADER.lower().replace("-", "_"),
        "REPLICA_HEADER": REPLICA_HEADER,
        "UPSTREAMS": "\n".join(blocks),
        "PIN_MAP": "\n".join(pins),
        "SERVED_MAP": "\n".join(served),
    }
    text = template.read_text()
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    left = re.findall(r"@@\w+@@", text)
    if left:
        raise ValueError(f"unrendered placeholders in {template}: {left}")
    return text


#: Where deploy/compose.yaml's nginx reads its config (rendered, checked in).
COMPOSE_NGINX = Path(__file__).with_name("compose") / "nginx.conf"


def compose_replicas(n: int = 2) -> list[tuple[str, str]]:
    """deploy/compose.yaml's app containers: app1:8501, app2:8502, ... (own ports, see
    render_nginx)."""
    return [(f"r{i}", f"app{i + 1}:{8501 + i}") for i in range(n)]


def render_compose_nginx(replicas: int = 2) -> str:
    """nginx's config for deploy/compose.yaml: listens on 80 in its container, logs to
    the container's output, one worker per core."""
    return render_nginx(
        compose_replicas(replicas),
        listen="80",
        pid="/var/run/nginx.pid",  # the official image's own locations
        error_log="/dev/stderr warn",
        access_log="/dev/stdout replica",
        temp="/var/cache/nginx",
        max_body_mb=max_upload_mb(),
        workers="auto",
    )


# --- the cluster ----------------------------------------------------------------------------


@dataclass
class Replica:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"


class Cluster:
    """PostgreSQL, ``replicas`` times ``python -m roi_ui.serve`` (app.py) and nginx in
    front, all on 127.0.0.1, state and logs under ``var``. ``start()``, ``stop()``, ``status()``;
    ``kill(i)`` and ``restart(i)`` for one replica (tests, drills).

    ``app_args`` are extra ``streamlit run`` options (the benchmark turns on the agent
    API there; production never does). ``durable=False`` runs PostgreSQL without fsync.
    """

    def __init__(
        self,
        var: Path = DEFAULT_VAR,
        *,
        replicas: int = 2,
        port: int | None = None,
        python: str | None = None,
        app_args: Sequence[str] = (),
        allowed_hosts: Sequence[str] = (HOST, "localhost"),
        durable: bool = True,
        log: Log | None = None,
    ) -> None:
        if replicas < 1:
            raise ValueError("at least one replica")
        self.var = Path(var).resolve()
        self.replicas = [Replica(f"r{i}", 0) for i in range(replicas)]
        self.port = port or 0
        self.pg_port = 0
        self.python = python or sys.executable
        self.app_args = list(app_args)
        self.allowed_hosts = list(allowed_hosts)
        self.durable = durable
        self.log: Log = log or (lambda _msg: None)
        self._procs: dict[str, subprocess.Popen[bytes]] = {}

    # -- paths and saved state --

    @property
    def state_file(self) -> Path:
        return self.var / "state.json"

    @property
    def nginx_dir(self) -> Path:
        return self.var / "nginx"

    @property
    def nginx_conf(self) -> Path:
        return self.nginx_dir / "nginx.conf"

    @property
    def nginx_error_log(self) -> Path:
        return self.nginx_dir / "error.log"

    @property
    def nginx_access_log(self) -> Path:
        return self.nginx_dir / "access.log"

    def replica_log(self, i: int) -> Path:
        return self.var / "logs" / f"replica-{self.replicas[i].name}.log"

    def _pid_file(self, name: str) -> Path:
        return self.var / "run" / f"{name}.pid"

    def _save(self) -> None:
        state = {
            "replicas": [{"name": r.name, "port": r.port} for r in self.replicas],
            "port": self.port,
            "pg_port": self.pg_port,
            "python": self.python,
            "app_args": self.app_args,
            "allowed_hosts": self.allowed_hosts,
            "durable": self.durable,
        }
        self.state_file.write_text(json.dumps(state, indent=1) + "\n")

    @classmethod
    def load(cls, var: Path = DEFAULT_VAR, *, log: Log | None = None) -> Cluster:
        """The cluster last started with state in ``var`` (running or not)."""
        path = Path(var) / "state.json"
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ClusterError(f"no cluster state in {var}: {exc}") from None
        c = cls(
            var,
            replicas=len(state["replicas"]),
            port=state["port"],
            python=state["python"],
            app_args=state["app_args"],
            allowed_hosts=state["allowed_hosts"],
            durable=state.get("durable", True),
            log=log,
        )
        c.replicas = [Replica(r["name"], r["port"]) for r in state["replicas"]]
        c.pg_port = state["pg_port"]
        return c

    # -- what the tests and the benchmark read --

    @property
    def url(self) -> str:
        """nginx: what a browser opens."""
        return f"http://{HOST}:{self.port}"

    @property
    def replica_urls(self) -> list[str]:
        return [r.url for r in self.replicas]

    @property
    def replica_names(self) -> list[str]:
        return [r.name for r in self.replicas]

    @property
    def database_url(self) -> str:
        password = (self.var / "db-password").read_text().strip()
        return f"postgresql+psycopg://{APP_ROLE}:{password}@{HOST}:{self.pg_port}/{APP_DATABASE}"

    def replica_of(self, upstream_addr: str) -> int:
        """The replica index that answered, from an ``X-Replica`` header (the last address
        when nginx tried more than one)."""
        last = upstream_addr.split(",")[-1].strip()
        for i, r in enumerate(self.replicas):
            if r.address == last:
                return i
        raise ClusterError(f"{upstream_addr!r} is no replica of this cluster")

    def cookie(self, i: int) -> dict[str, str]:
        """The sticky cookie pinning a browser to replica ``i`` (Playwright's add_cookies)."""
        return {"name": COOKIE, "value": self.replicas[i].name, "url": self.url}

    def pid(self, i: int) -> int | None:
        r = self.replicas[i]
        proc = self._procs.get(r.name)
        if proc is not None and proc.poll() is None:
            return proc.pid
        pid = _read_pid(self._pid_file(r.name))
        return pid if pid and _alive(pid) and self._is_replica(r)(_cmdline(pid)) else None

    def alive(self, i: int) -> bool:
        return self.pid(i) is not None

    @property
    def postgres(self) -> Postgres:
        return Postgres(self.var / "pg", self.pg_port, durable=self.durable)

    def nginx_pid(self) -> int | None:
        pid = _read_pid(self.nginx_dir / "nginx.pid")
        return pid if pid and _alive(pid) and self._is_nginx(_cmdline(pid)) else None

    # -- start --

    def start(self) -> None:
        """Start everything; on any failure stop what was started and raise ClusterError."""
        missing = missing_tools()
        if missing:
            raise ClusterError(f"not installed: {', '.join(missing)} (deploy/install-deps.sh)")
        self.var.mkdir(parents=True, exist_ok=True)
        self.var.chmod(0o711)  # the servers' users (postgres, nginx's nobody) pass through
        for sub in ("logs", "run"):
            (self.var / sub).mkdir(exist_ok=True)
        if self.state_file.exists():
            old = Cluster.load(self.var)
            if old.anything_running():
                raise ClusterError(f"a cluster already runs from {self.var}: stop it first")
        _secret(self.var / "cookie-secret", lambda: secrets.token_hex(32))
        self.pg_port = self.pg_port or free_port()
        self.port = self.port or free_port()
        for r in self.replicas:
            r.port = free_port()
        self._save()
        try:
            self._start_postgres()
            self._migrate()
            for i in range(len(self.replicas)):
                self._spawn(i)
            for i in range(len(self.replicas)):
                self._wait_healthy(i)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        self._save()

    def _start_postgres(self) -> None:
        pg = self.postgres
        fresh = not pg.initialized
        if fresh:
            pg.init(password=secrets.token_urlsafe(24))  # the superuser's, never used over TCP
        else:
            pg.prepare()
        pg.start()
        # The app role's password: made once, (re)set on every start.
        password = _secret(self.var / "db-password", lambda: secrets.token_urlsafe(24))
        pg.ensure_role(APP_ROLE, password)
        pg.create_database(APP_DATABASE, owner=APP_ROLE)
        self.log(
            f"PostgreSQL {pg.bin.parent.name} on {HOST}:{pg.port} "
            f"({'new' if fresh else 'kept'} data in {pg.data}, pid {pg.pid()})"
        )

    def _migrate(self) -> None:
        env = os.environ | {"ROI_DATABASE_URL": self.database_url}
        done = subprocess.run(
            [self.python, "-m", "roi_store"],
            cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if done.returncode != 0:
            raise ClusterError(f"migration failed: {done.stderr.strip()[-2000:]}")
        self.log(done.stdout.strip())

    def _is_replica(self, r: Replica) -> Callable[[list[str]], bool]:
        # Started as `python -m roi_ui.serve …` (the app loaded, then Streamlit's server).
        return lambda cmd: "roi_ui.serve" in cmd and str(r.port) in cmd

    def _spawn(self, i: int) -> None:
        r = self.replicas[i]
        env = os.environ | {
            "ROI_DATABASE_URL": self.database_url,
            # Every replica signs cookies with the same secret (kept out of `ps`).
            "STREAMLIT_SERVER_COOKIE_SECRET": (self.var / "cookie-secret").read_text().strip(),
        }
        cmd = [
            self.python, "-m", "roi_ui.serve",  # app.py, loaded before the server starts
            "--server.headless", "true", "--server.address", HOST, "--server.port", str(r.port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        for host in self.allowed_hosts:
            cmd += ["--server.allowedHosts", host]
        cmd += self.app_args
        with self.replica_log(i).open("ab") as out:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self._procs[r.name] = proc
        self._pid_file(r.name).write_text(f"{proc.pid}\n")

    def _wait_healthy(self, i: int, timeout: float = 120) -> None:
        r = self.replicas[i]
        proc = self._procs[r.name]
        deadline = time.monotonic() + timeout
        while not _healthy(r.url):
            if proc.poll() is not None or time.monotonic() > deadline:
                why = "exited" if proc.poll() is not None else "is not healthy in time"
                raise ClusterError(f"replica {r.name} {why}:\n{_tail(self.replica_log(i))}")
            time.sleep(0.1)
        self.log(f"replica {r.name}: {r.url} (pid {proc.pid})")

    def _nginx_cmd(self, *extra: str) -> list[str]:
        found = nginx_bin()
        assert found is not None
        conf, err = str(self.nginx_conf), str(self.nginx_error_log)
        return [str(found), "-p", f"{self.nginx_dir}/", "-c", conf, "-e", err, *extra]

    def _is_nginx(self, cmd: list[str]) -> bool:
        return "nginx" in " ".join(cmd) and str(self.nginx_conf) in " ".join(cmd)

    def render_nginx(self) -> str:
        d = self.nginx_dir
        return render_nginx(
            [(r.name, r.address) for r in self.replicas],
            listen=f"{HOST}:{self.port}",
            pid=str(d / "nginx.pid"),
            error_log=f"{self.nginx_error_log} warn",
            access_log=f"{self.nginx_access_log} replica",
            temp=str(d / "tmp"),
            max_body_mb=max_upload_mb(),
        )

    def _start_nginx(self) -> None:
        (self.nginx_dir / "tmp").mkdir(parents=True, exist_ok=True)
        self.nginx_dir.chmod(0o755)
        self.nginx_conf.write_text(self.render_nginx())
        for what, cmd in (("nginx -t", self._nginx_cmd("-t", "-q")), ("nginx", self._nginx_cmd())):
            done = subprocess.run(
                cmd, cwd=self.nginx_dir, capture_output=True, text=True,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            if done.returncode != 0:
                raise ClusterError(f"{what} failed: {done.stderr.strip()}")
        deadline = time.monotonic() + 20
        while not (self.nginx_pid() and _healthy(self.url)):
            if time.monotonic() > deadline:
                raise ClusterError(f"nginx did not answer:\n{_tail(self.nginx_error_log)}")
            time.sleep(0.05)
        self.log(
            f"nginx: {self.url} -> {len(self.replicas)} replicas (pid {self.nginx_pid()}; "
            f"sticky cookie {COOKIE}, pick one with the header {PIN_HEADER}: r0..)"
        )

    # -- one replica --

    def kill(self, i: int) -> int:
        """``kill -9`` replica ``i`` (a crash: no clean shutdown); its pid."""
        pid = self.pid(i)
        if pid is None:
            raise ClusterError(f"replica {self.replicas[i].name} is not running")
        os.kill(pid, signal.SIGKILL)
        proc = self._procs.pop(self.replicas[i].name, None)
        if proc is not None:
            proc.wait(timeout=10)
        _wait_gone(pid, 10)
        return pid

    def stop_replica(self, i: int) -> bool:
        r = self.replicas[i]
        pid = self.pid(i)
        stopped = pid is not None and _stop_pid(pid, self._is_replica(r))
        proc = self._procs.pop(r.name, None)
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        self._pid_file(r.name).unlink(missing_ok=True)
        return stopped

    def restart(self, i: int) -> None:
        """Replica ``i`` again, on its port, healthy (stopped first if it runs)."""
        self.stop_replica(i)
        self._spawn(i)
        self._wait_healthy(i)

    # -- stop and status --

    def anything_running(self) -> bool:
        return bool(
            self.nginx_pid()
            or any(self.alive(i) for i in range(len(self.replicas)))
            or (self.pg_port and self.postgres.initialized and self.postgres.running())
        )

    def stop(self) -> list[str]:
        """Stop nginx, the replicas and PostgreSQL, whatever of them runs (also after a crash:
        pid files are checked against the process before a signal is sent). What stopped."""
        stopped: list[str] = []
        pid = _read_pid(self.nginx_dir / "nginx.pid")
        if pid and _stop_pid(pid, self._is_nginx):
            stopped.append(f"nginx (pid {pid})")
        (self.nginx_dir / "nginx.pid").unlink(missing_ok=True)
        for i, r in enumerate(self.replicas):
            pid = self.pid(i) or _read_pid(self._pid_file(r.name))
            if self.stop_replica(i):
                stopped.append(f"replica {r.name} (pid {pid})")
        if (self.var / "pg" / "data").exists() and postgres_bin():
            pg = self.postgres
            pid = pg.pid()
            if pg.stop():
                stopped.append(f"PostgreSQL (pid {pid})")
        return stopped

    def status(self) -> dict[str, Any]:
        pg = self.postgres
        return {
            "url": self.url,
            "nginx": {"pid": self.nginx_pid(), "healthy": bool(self.port) and _healthy(self.url)},
            "replicas": [
                {"name": r.name, "url": r.url, "pid": self.pid(i), "healthy": _healthy(r.url)}
                for i, r in enumerate(self.replicas)
            ],
            "postgres": {
                "port": self.pg_port,
                "pid": pg.pid() if pg.initialized and pg.running() else None,
            },
        }


# --- command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--var", type=Path, default=DEFAULT_VAR, help="state folder (var/cluster)")
    sub = ap.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="PostgreSQL, migrate, N replicas, nginx")
    start.add_argument("--replicas", type=int, default=2)
    start.add_argument("--port", type=int, default=8080, help="nginx's port (0: any free one)")
    start.add_argument(
        "--allowed-host", action="append", help="server.allowedHosts (127.0.0.1, localhost)"
    )
    sub.add_parser("stop", help="stop everything started from --var")
    sub.add_parser("status", help="what runs; exit 1 unless all is up")
    for name in ("kill", "restart"):
        one = sub.add_parser(name, help=f"{name} one replica (kill: SIGKILL)")
        one.add_argument("index", type=int)
    compose = sub.add_parser("render-compose", help=f"write {COMPOSE_NGINX.relative_to(ROOT)}")
    compose.add_argument("--replicas", type=int, default=2)
    a = ap.parse_args(argv)
    say: Log = lambda msg: print(msg, flush=True)  # noqa: E731
    try:
        if a.command == "render-compose":
            COMPOSE_NGINX.write_text(render_compose_nginx(a.replicas))
            say(f"wrote {COMPOSE_NGINX} for app1..app{a.replicas}")
            return 0
        if a.command == "start":
            hosts = a.allowed_host or [HOST, "localhost"]
            c = Cluster(a.var, replicas=a.replicas, port=a.port, allowed_hosts=hosts, log=say)
            c.start()
            say(f"open {c.url} (stop: make cluster-stop)")
            return 0
        if a.command == "stop" and not (a.var / "state.json").exists():
            say(f"stopped: nothing was running (no cluster state in {a.var})")
            return 0
        c = Cluster.load(a.var, log=say)
        if a.command == "stop":
            stopped = c.stop()
            say("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
            return 0
        if a.command == "status":
            st = c.status()
            say(json.dumps(st, indent=1))
            up = st["nginx"]["healthy"] and st["postgres"]["pid"]
            return 0 if up and all(r["healthy"] for r in st["replicas"]) else 1
        if a.command == "kill":
            say(f"killed replica {c.replicas[a.index].name} (pid {c.kill(a.index)})")
            return 0
        c.restart(a.index)
        return 0
    except ClusterError as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

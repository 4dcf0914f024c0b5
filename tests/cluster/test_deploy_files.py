"""The deployment files that CI cannot run (no Docker here) stay in step with the tested
local cluster: compose's nginx config is the template rendered for its containers, nginx
accepts it, and compose runs the replicas nginx names, each on its own port."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_compose_nginx_config_is_the_template_rendered(deploy: Any) -> None:
    assert deploy.COMPOSE_NGINX.read_text() == deploy.render_compose_nginx(), (
        "deploy/compose/nginx.conf is stale: python deploy/cluster.py render-compose"
    )


def test_nginx_accepts_the_compose_config(deploy: Any, tmp_path: Path) -> None:
    nginx = deploy.nginx_bin()
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing on CI: `make test` should have installed it")
        pytest.skip("nginx not installed (deploy/install-deps.sh)")
    # The containers' names do not resolve here: the same config on loopback addresses.
    conf = re.sub(r"\bapp\d+:", "127.0.0.1:", deploy.COMPOSE_NGINX.read_text())
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{deploy.free_port()};")
    conf = conf.replace("/var/run/nginx.pid", str(tmp_path / "nginx.pid"))
    conf = conf.replace("temp_path /var/cache/nginx/", f"temp_path {tmp_path}/")
    (tmp_path / "nginx.conf").write_text(conf)
    cmd = [str(nginx), "-t", "-q", "-p", f"{tmp_path}/", "-c", str(tmp_path / "nginx.conf")]
    done = subprocess.run([*cmd, "-e", str(tmp_path / "error.log")], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_compose_runs_the_replicas_nginx_names_on_their_ports(deploy: Any) -> None:
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    services = set(re.findall(r"^  (app\d+):", compose, re.MULTILINE))
    assert services == {a.split(":")[0] for _, a in deploy.compose_replicas()}
    for _name, address in deploy.compose_replicas():
        service, port = address.split(":")
        block = re.search(rf"^  {service}:\n((?:    .*\n)+)", compose, re.MULTILINE)
        assert block, f"no service {service} in deploy/compose.yaml"
        assert f'STREAMLIT_SERVER_PORT: "{port}"' in block[1]
    assert "server.enableAgentApi" not in compose + (ROOT / "deploy" / "Dockerfile").read_text()

"""moto's server as released: its own process (`moto_server`), with none of the test shims, as a user runs it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import deploy_environment

STARTUP_SECONDS = 30.0


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_it_answers(url: str, server: subprocess.Popen[bytes]) -> None:
    give_up = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise RuntimeError(f"moto_server ended at start with exit code {server.returncode}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not answer on {url} within {STARTUP_SECONDS:.0f} s")


@pytest.fixture(scope="module")
def released_moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`moto_server` on a free loopback port; nothing in this process patches it."""
    port = _free_loopback_port()
    log = (tmp_path_factory.mktemp("moto") / "moto_server.log").open("wb")
    program = Path(sys.executable).with_name("moto_server")
    server = subprocess.Popen([str(program), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def released_env(released_moto_url: str, tmp_path: Path) -> dict[str, str]:
    """deploy.py's environment, on a reset server."""
    return deploy_environment(released_moto_url, tmp_path, "eu-west-1")

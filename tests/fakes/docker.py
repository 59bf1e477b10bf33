"""Put the fake docker CLI (`docker_cli.py`) on a test's PATH, and read what it was asked."""

from __future__ import annotations

import json
import shlex
import stat
import sys
from pathlib import Path

CLI = Path(__file__).with_name("docker_cli.py")


def install_fake_docker(directory: Path) -> tuple[Path, Path]:
    """Write `docker` into directory; returns (log file, state file)."""
    directory.mkdir(parents=True, exist_ok=True)
    docker = directory / "docker"
    docker.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(CLI))} "$@"\n')
    docker.chmod(docker.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return directory / "docker-calls.jsonl", directory / "docker-images.json"


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

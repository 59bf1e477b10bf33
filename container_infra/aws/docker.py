"""The docker CLI, as deploy.py --build uses it: each failure is one clear line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from container_infra.errors import DeployFailed, UserError


class Docker:
    def __init__(self, progress: TextIO | None = None) -> None:
        self.exe = shutil.which("docker")
        self.progress = progress or sys.stdout  # where docker's own build output goes (never stdout under --json)

    def check(self) -> None:
        """The CLI is there and its daemon answers; before anything is built, pushed or deployed."""
        if self.exe is None:
            raise UserError("--build needs the docker CLI, and `docker` is not on PATH: install Docker and try again")
        result = self._run(["info", "--format", "{{.ServerVersion}}"], capture=True)
        if result.returncode != 0:
            raise UserError(
                f"the Docker daemon is not running ({_last_line(result.stderr or result.stdout)}): "
                "start Docker and try again"
            )

    def build(self, context: Path, ref: str, platform: str = "") -> None:
        """docker build, its own progress shown as it goes; for `platform` (e.g. linux/arm64) when given."""
        result = self._run(
            ["build", "--tag", ref, *(["--platform", platform] if platform else []), str(context)], capture=False
        )
        if result.returncode != 0:
            raise DeployFailed(
                f"docker build of {context} failed (exit {result.returncode}): see its output above; "
                "nothing was pushed or deployed"
            )

    def image_id(self, ref: str) -> str:
        result = self._run(["image", "inspect", "--format", "{{.Id}}", ref], capture=True)
        if result.returncode != 0:
            raise DeployFailed(f"docker image inspect {ref} failed: {_last_line(result.stderr)}")
        return result.stdout.strip()

    def tag(self, source: str, target: str) -> None:
        result = self._run(["tag", source, target], capture=True)
        if result.returncode != 0:
            raise DeployFailed(f"docker tag {source} {target} failed: {_last_line(result.stderr)}")

    def login(self, registry: str, password: str) -> None:
        result = self._run(["login", "--username", "AWS", "--password-stdin", registry], capture=True, stdin=password)
        if result.returncode != 0:
            raise DeployFailed(f"docker login to {registry} failed: {_last_line(result.stderr or result.stdout)}")

    def push(self, ref: str) -> None:
        result = self._run(["push", ref], capture=True)
        if result.returncode != 0:
            message = _last_line(result.stderr or result.stdout)
            what = "denied" if "denied" in message.lower() else "failed"
            raise DeployFailed(f"docker push {ref} {what}: {message}")

    def _run(self, args: list[str], *, capture: bool, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        assert self.exe is not None
        return subprocess.run(
            [self.exe, *args],
            input=stdin,
            text=True,
            stdout=subprocess.PIPE if capture else self.progress,
            stderr=subprocess.PIPE if capture else subprocess.STDOUT,
        )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no output"

"""What the command lines ask for, as plain values: the commands read these, never argparse itself."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("json", "yaml")


@dataclass(frozen=True)
class GenerateOptions:
    """generate.py's options, however they were read."""

    config: str | None = None
    format: str = "json"
    output: str | None = None


@dataclass(frozen=True)
class DeployOptions:
    config: str | None = None
    template: str | None = None
    stack_name: str | None = None
    region: str | None = None
    profile: str | None = None
    diff_only: bool = False
    yes: bool = False
    json: bool = False
    destroy: bool = False
    build: str | None = None  # the directory with the Dockerfile
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    s3_bucket: str | None = None
    # Day 2: --status, --logs, --rollback
    status: bool = False
    logs: bool = False
    since_seconds: int = 600  # --since, default 10m
    tail: bool = False
    container: str | None = None
    log_filter: str | None = None
    rollback: bool = False
    to_revision: int | None = None
    follow: bool = False  # attach to the stack's operation in progress and follow it to the end
    safety: SafetyOptions = field(default_factory=lambda: SafetyOptions())


@dataclass(frozen=True)
class SafetyOptions:
    """CI exit codes, the replacement guard, reviewed change sets, drift."""

    allow_replacement: bool = False
    exit_code: bool = False
    keep: bool = False
    execute: str | None = None  # a change set's name or ARN
    markdown: bool = False
    drift: bool = False
    revert_drift: bool = False

"""What the command lines ask for, as plain values: the commands read these, never argparse itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FORMATS = ("json", "yaml")

# What deploy.py does: one of these, chosen by one flag (none: deploy).
Action = Literal["deploy", "destroy", "build", "execute", "discard", "follow", "status", "logs", "rollback"]


@dataclass(frozen=True)
class GenerateOptions:
    """generate.py's options, however they were read."""

    config: str | None = None
    format: str = "json"
    output: str | None = None
    env: str | None = None  # the config's [environments.<name>]
    deploy_role: DeployRoleOptions | None = None  # --deploy-role: that template instead of the stack's
    from_copilot: CopilotOptions | None = None  # --from-copilot: a config written from Copilot's manifests


@dataclass(frozen=True)
class CopilotOptions:
    directory: str
    service: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)  # environment -> account, from --account ENV=ID


@dataclass(frozen=True)
class DeployRoleOptions:
    trust_account: str
    cfn_role: bool = False


@dataclass(frozen=True)
class DeployOptions:
    action: Action = "deploy"
    config: str | None = None
    template: str | None = None
    stack_name: str | None = None
    region: str | None = None
    profile: str | None = None
    envs: tuple[str, ...] = ()  # --env: the environments named (a,b), or ("all",); () none
    promote_from: str | None = None
    diff_only: bool = False
    yes: bool = False
    json: bool = False
    build: str | None = None  # the directory with the Dockerfile (action "build")
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    s3_bucket: str | None = None
    # Day 2: the logs' window and filters, the revision a rollback goes back to
    since_seconds: int = 600  # --since, default 10m
    tail: bool = False
    container: str | None = None
    log_filter: str | None = None
    to_revision: int | None = None
    safety: SafetyOptions = field(default_factory=lambda: SafetyOptions())


@dataclass(frozen=True)
class SafetyOptions:
    """CI exit codes, the replacement guard, reviewed change sets, drift."""

    allow_replacement: bool = False
    exit_code: bool = False
    keep: bool = False
    execute: str | None = None  # a change set's name or ARN (action "execute")
    discard: str | None = None  # a kept change set's name or ARN (action "discard")
    markdown: bool = False
    drift: bool = False
    revert_drift: bool = False

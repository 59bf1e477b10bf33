"""deploy.py's options, as one value the flows read."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    s3_bucket: str | None = None

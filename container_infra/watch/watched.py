"""What the rollout watcher knows of one service, and the verdict it gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class WatchedService:
    logical_id: str
    cluster: str = ""  # empty until CloudFormation has created the service
    service: str = ""
    deployments: dict[str, str] = field(default_factory=dict)  # id -> last printed summary
    failed: dict[str, str] = field(default_factory=dict)  # deployment id -> reason
    primary: dict[str, Any] | None = None
    stopped_seen: set[str] = field(default_factory=set)
    seeded: bool = False
    alarm_names: list[str] = field(default_factory=list)  # the service's deployment alarms ([service.rollback])
    strategy: str = (
        "ROLLING"  # the service's deployment strategy; the others are followed through their service deployment
    )
    bake_minutes: int = 0  # how long that strategy bakes on purpose: the settle wait grows by as much
    service_deployment: dict[str, Any] | None = (
        None  # the current one (DescribeServiceDeployments), for blue/green, canary, linear
    )
    service_deployment_line: str = ""
    service_deployments_unreadable: bool = False
    expected_task_definition: str = ""  # the revision the stack names now (empty: not known, not checked)
    unverified_said: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.service)


@dataclass
class Verdict:
    logical_id: str
    state: str  # COMPLETED, FAILED, or IN_PROGRESS (timed out)
    reason: str = ""

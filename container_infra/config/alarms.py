"""`[service.rollback]`: CloudWatch alarms that roll a deployment back when the new tasks misbehave behind the load
balancer."""

from __future__ import annotations

from dataclasses import dataclass

from container_infra.config.tables import Table


@dataclass(frozen=True, slots=True)
class RollbackAlarmsConfig:
    """Each alarm looks at one-minute periods and fires after `minutes` of them in a row breach."""

    target_5xx_count: int = 10  # 5xx responses from the tasks in one minute (HTTPCode_Target_5XX_Count, Sum)
    elb_5xx_count: int = (
        10  # 5xx made by the load balancer itself, e.g. 502/503 from crashing targets (HTTPCode_ELB_5XX_Count)
    )
    unhealthy_hosts: int = 1  # targets failing the health check (UnHealthyHostCount, Maximum)
    latency_p95_ms: int | None = None  # p95 TargetResponseTime above this; None = no latency alarm
    minutes: int = 2


def parse_rollback(table: Table) -> RollbackAlarmsConfig | None:
    rollback = table.optional_table("rollback")
    if rollback is None:
        return None
    enabled = rollback.get("alarms", bool, False)
    default = RollbackAlarmsConfig()
    config = RollbackAlarmsConfig(
        target_5xx_count=rollback.int_between("target_5xx_count", default.target_5xx_count, 1, 1_000_000),
        elb_5xx_count=rollback.int_between("elb_5xx_count", default.elb_5xx_count, 1, 1_000_000),
        unhealthy_hosts=rollback.int_between("unhealthy_hosts", default.unhealthy_hosts, 1, 5000),
        latency_p95_ms=rollback.int_between("latency_p95_ms", 1, 1, 3_600_000)
        if rollback.has("latency_p95_ms")
        else None,
        minutes=rollback.int_between("minutes", default.minutes, 1, 60),
    )
    rollback.done()
    if not enabled:
        if not rollback.has("alarms"):
            _refuse_thresholds_without_alarms(rollback)
        return None
    return config


def _refuse_thresholds_without_alarms(rollback: Table) -> None:
    """Thresholds without the `alarms` key would make no alarm at all: a forgotten switch, not a choice. An explicit
    `alarms = false` is one (it turns the alarms off and keeps the numbers for later)."""
    thresholds = [key for key in rollback.data if key != "alarms"]
    if thresholds:
        raise rollback.fail(
            thresholds[0],
            rollback.data[thresholds[0]],
            "makes no alarm without alarms = true; add alarms = true to [service.rollback] or remove the thresholds",
        )

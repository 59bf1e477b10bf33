"""`[logging]`: the containers' CloudWatch Logs group."""

from __future__ import annotations

from dataclasses import dataclass

from container_infra.config.tables import Table

# The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    retention_days: int = 30
    kms_key: bool = True


def parse_logging(table: Table) -> LoggingConfig:
    default = LoggingConfig()
    days = table.get("retention_days", int, default.retention_days)
    if days not in LOG_RETENTION_DAYS:
        raise table.fail("retention_days", days, f"CloudWatch Logs allows {', '.join(map(str, LOG_RETENTION_DAYS))}")
    kms_key = table.get("kms_key", bool, default.kms_key)
    table.done()
    return LoggingConfig(days, kms_key)

"""Where the tasks run: Fargate and Fargate Spot weights (`[service] capacity`), and the CPU architecture (`[task]`)."""

from __future__ import annotations

from dataclasses import dataclass

from container_infra.config.tables import Table

ARCHITECTURES = ("X86_64", "ARM64")
MAX_WEIGHT = 1000  # ECS CapacityProviderStrategyItem: weight 0-1000, base 0-100000
MAX_BASE = 100000


@dataclass(frozen=True, slots=True)
class CapacityConfig:
    """Weights split the tasks beyond `base` between on-demand Fargate and Fargate Spot; `base` tasks run on FARGATE."""

    fargate: int = 1
    fargate_spot: int = 0
    base: int = 0


def parse_capacity(table: Table) -> CapacityConfig | None:
    capacity_table = table.optional_table("capacity")
    if capacity_table is None:
        return None
    default = CapacityConfig()
    fargate = capacity_table.int_between("fargate", default.fargate, 0, MAX_WEIGHT)
    spot = capacity_table.int_between("fargate_spot", default.fargate_spot, 0, MAX_WEIGHT)
    base = capacity_table.int_between("base", default.base, 0, MAX_BASE)
    if fargate == 0 and spot == 0:
        raise capacity_table.fail(
            "fargate_spot", spot, "fargate and fargate_spot are both 0: at least one weight must be above 0"
        )
    capacity_table.done()
    return CapacityConfig(fargate, spot, base)


def parse_architecture(table: Table) -> str:
    """ "" when the key is absent: no RuntimePlatform in the template (Fargate's default, X86_64)."""
    architecture = table.get("cpu_architecture", str, "")
    if table.has("cpu_architecture") and architecture not in ARCHITECTURES:
        raise table.fail("cpu_architecture", architecture, f"must be one of {', '.join(ARCHITECTURES)}")
    return architecture

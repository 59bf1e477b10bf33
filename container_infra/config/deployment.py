"""`[service.deployment]`: how ECS replaces the tasks on a deploy, with its native strategies.

"rolling" (the default) replaces tasks in place; "blue_green", "canary" and "linear" start the new revision beside
the old one behind a second target group and move production traffic to it (ECS developer guide, "Deploy Amazon
ECS services by replacing tasks"). The ranges are those of AWS::ECS::Service's schema.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from container_infra.config.tables import Table
from container_infra.errors import ConfigError

STRATEGIES = {"rolling": "ROLLING", "blue_green": "BLUE_GREEN", "canary": "CANARY", "linear": "LINEAR"}
MAX_BAKE_MINUTES = 1440  # BakeTimeInMinutes, CanaryBakeTimeInMinutes, StepBakeTimeInMinutes: 0-1440
# CloudFormation refuses a canary or linear deployment whose bake times add up past 33 hours (its handler times out
# at 36).
MAX_CLOUDFORMATION_MINUTES = 33 * 60
DEFAULT_BAKE_MINUTES = 15  # ECS's default for blue/green, canary and linear
CANARY_ONLY = ("canary_percent", "canary_bake_minutes")
LINEAR_ONLY = ("step_percent", "step_bake_minutes")
SHIFTING_ONLY = ("test_listener_port", "test_listener_cidrs")
CIDR_V4 = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}/(?:3[0-2]|[12]?\d)")


@dataclass(frozen=True, slots=True)
class DeploymentConfig:
    strategy: str = "ROLLING"  # the CloudFormation value: ROLLING, BLUE_GREEN, CANARY or LINEAR
    bake_minutes: int | None = None  # BakeTimeInMinutes; None: none for rolling (ECS's default), 15 for the others
    canary_percent: float = 5.0  # CanaryPercent: 0.1-100 in steps of 0.1 (ECS's default 5)
    canary_bake_minutes: int = 10  # CanaryBakeTimeInMinutes (ECS's default 10)
    step_percent: float = 10.0  # LinearConfiguration.StepPercent: 3-100 in steps of 0.1 (ECS's default 10)
    step_bake_minutes: int = 6  # StepBakeTimeInMinutes (ECS's default 6)
    test_listener_port: int | None = None  # a listener that reaches the new revision before production traffic does
    test_listener_cidrs: tuple[str, ...] = ()  # who may reach it: nobody from the internet unless listed

    @property
    def shifts_traffic(self) -> bool:
        """Blue/green, canary and linear: two target groups, listener rules and the ECS infrastructure role."""
        return self.strategy != "ROLLING"

    def linear_steps(self) -> int:
        """CloudFormation's count of the linear steps that bake (none after the last shift to 100%)."""
        tenths = round(self.step_percent * 10)
        return 1000 // tenths - 1 if 1000 % tenths == 0 else 1000 // tenths

    def total_bake_minutes(self) -> int:
        """The bake time CloudFormation adds up to refuse a deployment past 33 hours; the watcher waits that much
        longer."""
        bake = self.bake_minutes or 0
        if self.strategy == "CANARY":
            return bake + self.canary_bake_minutes
        if self.strategy == "LINEAR":
            return bake + self.step_bake_minutes * self.linear_steps()
        return bake


def parse_deployment(table: Table) -> DeploymentConfig | None:
    """None without the table, and for a plain `strategy = "rolling"`: the service's template stays as it was."""
    deployment = table.optional_table("deployment")
    if deployment is None:
        return None
    name = deployment.get("strategy", str, "rolling")
    if name not in STRATEGIES:
        raise deployment.fail("strategy", name, f"must be one of {', '.join(STRATEGIES)}")
    strategy = STRATEGIES[name]
    _refuse_keys_of_other_strategies(deployment, name)
    default = DeploymentConfig()
    default_bake = DEFAULT_BAKE_MINUTES if strategy != "ROLLING" else 0
    bake = deployment.int_between("bake_minutes", default_bake, 0, MAX_BAKE_MINUTES)
    config = DeploymentConfig(
        strategy=strategy,
        bake_minutes=bake if strategy != "ROLLING" or deployment.has("bake_minutes") else None,
        canary_percent=_percent(deployment, "canary_percent", default.canary_percent, 0.1),
        canary_bake_minutes=deployment.int_between(
            "canary_bake_minutes", default.canary_bake_minutes, 0, MAX_BAKE_MINUTES
        ),
        step_percent=_percent(deployment, "step_percent", default.step_percent, 3.0),
        step_bake_minutes=deployment.int_between("step_bake_minutes", default.step_bake_minutes, 0, MAX_BAKE_MINUTES),
        test_listener_port=deployment.int_between("test_listener_port", 0, 1, 65535)
        if deployment.has("test_listener_port")
        else None,
        test_listener_cidrs=_cidrs(deployment),
    )
    deployment.done()
    _refuse_past_cloudformation_timeout(deployment, config)
    return None if config == default else config


def _refuse_keys_of_other_strategies(table: Table, name: str) -> None:
    owners = {**{key: "canary" for key in CANARY_ONLY}, **{key: "linear" for key in LINEAR_ONLY}}
    for key, owner in owners.items():
        if table.has(key) and owner != name:
            raise table.fail(key, table.data[key], f'only with strategy = "{owner}" (strategy is "{name}")')
    for key in SHIFTING_ONLY:
        if table.has(key) and name == "rolling":
            raise table.fail(
                key,
                table.data[key],
                'only with strategy = "blue_green", "canary" or "linear": a rolling '
                "deployment has no second revision to test",
            )


def _percent(table: Table, key: str, default: float, low: float) -> float:
    """A share of traffic in steps of 0.1, as ECS takes it; an integer is fine (TOML `5` and `5.0` both)."""
    value = table.data.get(key, default)
    table.get(key, object, default)  # marks the key read; the type is checked here
    allowed = f"must be a number from {low:g} to 100 in steps of 0.1"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise table.fail(key, value, allowed)
    # The range first: TOML's nan, inf and 1e308 pass isinstance but round() cannot take them (inf, or inf once
    # times 10).
    if not low <= value <= 100 or abs(value * 10 - round(value * 10)) > 1e-6:
        raise table.fail(key, value, allowed)
    return round(value * 10) / 10


def _cidrs(table: Table) -> tuple[str, ...]:
    cidrs = table.get("test_listener_cidrs", list, [])
    if table.has("test_listener_cidrs"):
        if not cidrs or not all(isinstance(c, str) and CIDR_V4.fullmatch(c) for c in cidrs):
            raise table.fail(
                "test_listener_cidrs",
                cidrs,
                'must be a non-empty array of IPv4 CIDR blocks, e.g. ["203.0.113.0/24"] '
                '(your office or CI runners; "0.0.0.0/0" opens the test port to the internet)',
            )
        _refuse_host_bits(table, cidrs)
        if len(set(cidrs)) != len(cidrs):
            raise table.fail("test_listener_cidrs", cidrs, "lists a CIDR block twice")
    if table.has("test_listener_port") and not table.has("test_listener_cidrs"):
        raise ConfigError(
            f"{table.source}: {table.key_path('test_listener_cidrs')} is missing: with test_listener_port, give the "
            'CIDR blocks that may reach it, e.g. ["203.0.113.0/24"]; the test port is never open to the internet '
            "by default"
        )
    if cidrs and not table.has("test_listener_port"):
        raise table.fail(
            "test_listener_cidrs",
            cidrs,
            "needs test_listener_port: the CIDR blocks are who may reach the test listener",
        )
    return tuple(cidrs)


def _refuse_host_bits(table: Table, cidrs: list[str]) -> None:
    """10.0.0.1/8 is not a network: EC2 and cfn-lint (E3002 'ipv4-network') refuse it, so say which one was meant."""
    for cidr in cidrs:
        network = ipaddress.ip_network(cidr, strict=False)
        if str(network) != cidr:
            raise table.fail(
                "test_listener_cidrs", cidrs, f"{cidr} has host bits set: a CIDR block names a network, here {network}"
            )


def _refuse_past_cloudformation_timeout(table: Table, config: DeploymentConfig) -> None:
    total = config.total_bake_minutes()
    if config.strategy in ("CANARY", "LINEAR") and total > MAX_CLOUDFORMATION_MINUTES:
        raise ConfigError(
            f"{table.source}: [{table.path}] bakes {total} minutes in all: CloudFormation refuses a "
            f"{config.strategy.lower()} deployment past {MAX_CLOUDFORMATION_MINUTES} minutes (33 hours); "
            "shorten bake_minutes or the step/canary bake time"
        )


def refuse_test_port_clash(source: str, config: DeploymentConfig | None, listener_ports: list[int]) -> None:
    """The test listener needs a port of its own on the load balancer (443 stays HTTPS's, with or without a
    certificate today)."""
    if config is not None and config.test_listener_port in listener_ports:
        raise ConfigError(
            f"{source}: service.deployment.test_listener_port = {config.test_listener_port}: the load balancer keeps "
            f"it for production traffic (ports {', '.join(map(str, listener_ports))}); choose another, e.g. 8080"
        )

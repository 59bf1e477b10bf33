"""A Copilot service's `count`: a number of tasks, Fargate Spot, or a range with autoscaling targets.

Copilot's rules (internal/pkg/manifest/validate.go, AdvancedCount.validate): `spot` goes with no range or target; a
`range` needs at least one target (cpu_percentage, memory_percentage, requests, response_time) and a target needs a
`range`. Copilot refuses a manifest that breaks them, so the converter does too rather than guess what was meant.
"""

from __future__ import annotations

from typing import Any

from container_infra.copilot.notes import COMMENTS, Notes

TARGETS = ("cpu_percentage", "memory_percentage", "requests", "response_time")
DEFAULT_COUNT = 1  # Copilot's, for a service whose manifest sets no count (lb_web_svc.go, backend_svc.go)
CPU_TARGET_DEFAULT = 60  # this project's [service.autoscaling] default


def count(service: dict[str, Any], manifest: dict[str, Any], notes: Notes) -> None:
    if "count" not in manifest:
        service["desired_count"] = DEFAULT_COUNT
        service.setdefault(COMMENTS, []).append(
            f"desired_count = {DEFAULT_COUNT}: Copilot's default, as the manifest sets no count (this project's is 2)"
        )
        return
    value = manifest["count"]
    if isinstance(value, int) and not isinstance(value, bool):
        service["desired_count"] = value
        return
    if not isinstance(value, dict) or not value:
        raise notes.fail("count", value, "a number of tasks, or a map with spot, or with range and a scaling target")
    targets = [key for key in TARGETS if key in value]
    if "spot" in value:
        _spot(service, value, targets, notes)
    elif "range" in value and not targets:
        raise notes.fail(
            "count.range",
            value["range"],
            f"Copilot refuses a range without a scaling target; add one of {', '.join(TARGETS)}",
        )
    elif targets and "range" not in value:
        raise notes.fail(
            f"count.{targets[0]}", value[targets[0]], "Copilot refuses a scaling target without count.range; add one"
        )
    elif "range" in value:
        service["autoscaling"] = _autoscaling(value, notes)
    for key in sorted(set(value) - {"spot", "range", "cpu_percentage"}):
        notes.skip(service, f"count.{key}", value[key], "autoscaling here tracks the average CPU only")


def _spot(service: dict[str, Any], value: dict[str, Any], targets: list[str], notes: Notes) -> None:
    spot = value["spot"]
    if not isinstance(spot, int) or isinstance(spot, bool):
        raise notes.fail("count.spot", spot, "a number of tasks")
    if "range" in value or targets:
        raise notes.fail("count.spot", spot, "Copilot refuses spot together with range or a scaling target")
    service["desired_count"] = spot
    service["capacity"] = {"fargate": 0, "fargate_spot": 1}


def _autoscaling(value: dict[str, Any], notes: Notes) -> dict[str, Any]:
    span = value["range"]
    scaling: dict[str, Any] = {}
    if isinstance(span, str) and span.count("-") == 1 and all(p.strip().isdigit() for p in span.split("-")):
        low, high = span.split("-")
        scaling.update(min=int(low), max=int(high))
    elif isinstance(span, dict) and {"min", "max"} <= set(span):
        scaling.update(min=span["min"], max=span["max"])
        if "spot_from" in span:
            notes.skip(
                scaling, "count.range.spot_from", span["spot_from"], "Spot here is a fixed share, [service] capacity"
            )
    else:
        raise notes.fail("count.range", span, "n-m (like 1-10) or a map with min and max")
    target = value.get("cpu_percentage")
    if isinstance(target, dict):
        if "cooldown" in target:
            notes.skip(scaling, "count.cpu_percentage.cooldown", target["cooldown"], "ECS's default cooldowns here")
        target = target.get("value")
        if target is None:
            raise notes.fail("count.cpu_percentage", value["cpu_percentage"], "a percentage, or a map with value")
    if target is not None:
        scaling["cpu_target_percent"] = target
    else:
        scaling["cpu_target_percent"] = CPU_TARGET_DEFAULT
        scaling[COMMENTS] = [
            f"cpu_target_percent = {CPU_TARGET_DEFAULT}: this project's default; the manifest's targets are other "
            "than CPU (each listed), and autoscaling here tracks the average CPU"
        ]
    return scaling

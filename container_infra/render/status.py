"""--status for people: headings, tables and the verdict (the same data as --status --json)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from container_infra.ui.output import Output
from container_infra.watch.last_words import NEVER_STARTED


def render_status(out: Output, data: dict[str, Any]) -> None:
    stack = data["stack"]
    out.line(
        f"Stack {stack['name']} in {stack['region']}: {stack['status']} (last operation "
        f"{_when(stack['lastOperationAt'])})" + (f": {stack['reason']}" if stack.get("reason") else ""),
        "bold",
    )
    if data["url"]:
        out.line(f"URL: {data['url']}")
    for task_definition in data["taskDefinitions"]:
        _task_definition(out, task_definition)
    if not data["services"]:
        out.line(
            "No ECS service in this stack: the task definition only (no desired count, deployments, targets or events "
            "to show)."
        )
    for service in data["services"]:
        _service(out, service, data["tasks"]["running"])
    _tasks(out, data["tasks"])
    if data["services"] and not data["targetGroups"]:
        out.line(
            "No load balancer: the service is judged by its task count, its rollout and its tasks' health "
            "(the containers' health checks, where the task definition has them)."
        )
    idle = {alternate for s in data["services"] for pair in s.get("targetGroupPairs") or [] for alternate in pair}
    for group in data["targetGroups"]:
        _targets(out, group, paired=group.get("arn") in idle)
    for service in data["services"]:
        _events(out, service)
    _verdict(out, data)


def _task_definition(out: Output, task_definition: dict[str, Any]) -> None:
    family = task_definition["arn"].rsplit("/", 1)[-1]
    size = f" ({task_definition['cpu']} CPU, {task_definition['memory']} MiB)" if task_definition.get("cpu") else ""
    out.line(f"Task definition {family}{size}")
    for container in task_definition["containers"]:
        out.line(f"  {container['name'] or '(unnamed container)'}: {container['image'] or '(no image)'}")


def _service(out: Output, service: dict[str, Any], running: list[dict[str, Any]]) -> None:
    out.heading(f"Service {service['logicalId']} ({service['name']}): {service['status']}")
    out.line(f"desired {service['desired']}, running {service['running']}, pending {service['pending']}")
    rows = [
        [
            d["status"] or "",
            d["rolloutState"] or "",
            str(d["revision"] or ""),
            f"{d['running']}/{d['desired']}",
            str(d["pending"]),
            str(d["failed"]),
            d["rolloutStateReason"],
        ]
        for d in service["deployments"]
    ]
    styles = [
        "red" if d["rolloutState"] == "FAILED" else "green" if d["rolloutState"] == "COMPLETED" else "yellow"
        for d in service["deployments"]
    ]
    out.table(["deployment", "rollout", "revision", "running", "pending", "failed", "reason"], rows, styles)
    images = Counter((c["name"], c["image"], c["digest"] or "") for t in running for c in t["containers"])
    if images:
        out.line("Images the running tasks run:")
        out.table(
            ["container", "image (tag)", "digest", "tasks"],
            [[n, i or "", d, str(k)] for (n, i, d), k in sorted(images.items())],
            [None] * len(images),
        )


def _tasks(out: Output, tasks: dict[str, Any]) -> None:
    out.heading(f"Tasks: {len(tasks['running'])} running")
    if tasks["running"]:
        rows = [
            [t["id"], t["lastStatus"] or "", t["health"], str(t["revision"] or ""), _when(t["startedAt"])]
            for t in tasks["running"]
        ]
        out.table(
            ["task", "status", "health", "revision", "started"],
            rows,
            ["red" if t["health"] == "UNHEALTHY" else None for t in tasks["running"]],
        )
    if not tasks["stopped"]:
        out.line("No task stopped in the last hour.")
        return
    out.heading(f"Stopped in the last hour: {len(tasks['stopped'])}")
    for task in tasks["stopped"]:
        exits = "; ".join(
            f"{c['name']}: exit code {c['exitCode']}" + (f", {c['reason']}" if c["reason"] else "")
            if c["exitCode"] is not None
            else f"{c['name']}: {c['reason'] or 'no exit code'}"
            for c in task["containers"]
        )
        out.line(
            f"task {task['id']} (revision {task['revision']}) stopped {_when(task['stoppedAt'])}: "
            f"{task['stoppedReason']}; {exits}",
            "red",
        )
        for name, words in (task["lastLogLines"] or {}).items():
            _last_words(out, name, words)


def _last_words(out: Output, name: str, words: list[str] | str) -> None:
    if isinstance(words, str):
        out.line(f"    {name}: no logs: {words}" if words == NEVER_STARTED else f"    {name}: {words}")
    elif not words:
        out.line(f"    {name}: its log stream is empty")
    else:
        out.line(f"    {name}: its last {len(words)} log lines:")
        for line in words:
            out.line(f"      | {line}")


def _targets(out: Output, group: dict[str, Any], *, paired: bool = False) -> None:
    out.heading(f"Load balancer targets ({group['logicalId']}): {len(group['targets'])}")
    if not group["targets"]:
        out.line(
            "No targets registered: idle by design (traffic moves between this group and its partner each deploy)."
            if paired
            else "No targets registered."
        )
        return
    rows = [[str(t["id"]), str(t["port"]), t["state"], t["reason"], t["description"]] for t in group["targets"]]
    out.table(
        ["target", "port", "state", "reason", "description"],
        rows,
        [
            "green" if t["state"] == "healthy" else "yellow" if t["state"] in ("initial", "draining") else "red"
            for t in group["targets"]
        ],
    )


def _events(out: Output, service: dict[str, Any]) -> None:
    if not service["events"]:
        out.heading(f"Events of {service['logicalId']}: none")
        return
    out.heading(f"Last {len(service['events'])} events of {service['logicalId']}")
    for event in service["events"]:
        out.line(f"{_when(event['at'])} {event['message']}")


def _verdict(out: Output, data: dict[str, Any]) -> None:
    out.line()
    for note in data["notes"]:
        out.line(f"note: {note}", "yellow")
    if data["healthy"] and not data["services"]:
        # no service, no tasks, no targets: a settled stack is all there was to look at, which is not "healthy"
        out.line(f"nothing to check: no ECS service in the stack (it is {data['stack']['status']})", "bold")
        return
    if data["healthy"]:
        out.line("✓ healthy", "bold green")
        return
    out.line("✗ not healthy:", "bold red")
    for problem in data["problems"]:
        out.line(f"  - {problem}", "red")


def _when(moment: Any) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(moment or "-")

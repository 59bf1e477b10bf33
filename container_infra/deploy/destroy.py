"""--destroy: list what goes and what stays (DeletionPolicy Retain), ask, delete, follow."""

from __future__ import annotations

import time
from typing import Any

from container_infra.deploy.approval import Prompt, approve
from container_infra.deploy.aws import Aws
from container_infra.deploy.flow import failure_line
from container_infra.deploy.follow import EventFollower
from container_infra.deploy.source import parse_template_text
from container_infra.deploy.stacks import wait_until_settled
from container_infra.deploy.ui import Output
from container_infra.errors import DeployFailed, Interrupted

KEPT_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")


def destroy(aws: Aws, stack_name: str, out: Output, *, yes: bool, diff_only: bool, tty: bool, prompt: Prompt) -> int:
    cf = aws.cloudformation
    stack = wait_until_settled(cf, stack_name, out)
    if stack is None:
        out.line(f"Stack {stack_name} does not exist in {aws.region}: nothing to destroy.")
        return 0
    stack_id = stack["StackId"]
    resources = _resources(cf, stack_id)
    policies = _deletion_policies(cf, stack_id)
    kept = [r for r in resources if policies.get(r["LogicalResourceId"]) in KEPT_POLICIES]
    deleted = [r for r in resources if r not in kept]
    out.line(f"Stack {stack_name} in {aws.region} ({stack['StackStatus']})", "bold")
    out.heading(f"Will be deleted ({len(deleted)})")
    for r in deleted:
        out.line(f"[-] {r['ResourceType']} {r['LogicalResourceId']} ({r.get('PhysicalResourceId', '')})", "red")
    if kept:
        out.heading(f"Will be retained: DeletionPolicy keeps them, outside any stack ({len(kept)})")
        for r in kept:
            out.line(f"[=] {r['ResourceType']} {r['LogicalResourceId']} ({r.get('PhysicalResourceId', '')}) {policies[r['LogicalResourceId']]}", "yellow")
    if diff_only:
        return 0
    approve(out, f"Destroy stack {stack_name} in {aws.region}?", yes=yes, tty=tty, prompt=prompt, what="destroying")
    follower = EventFollower(cf, stack_id, stack_name, out, resource_ids={r["LogicalResourceId"] for r in deleted})
    follower.mark_start()
    started = time.monotonic()
    cf.delete_stack(StackName=stack_id)
    try:
        result = follower.follow()
    except KeyboardInterrupt:
        raise Interrupted(f"stopped following, but the delete goes on in AWS: `aws cloudformation describe-stack-events --stack-name {stack_id}`") from None
    if not result.succeeded:
        raise DeployFailed(failure_line(stack_name, result.status, result.root_cause()))
    out.line(f"✓ {stack_name}: DELETE_COMPLETE in {time.monotonic() - started:.1f}s ({len(kept)} retained)", "bold green")
    return 0


def _resources(cf: Any, stack_id: str) -> list[dict[str, Any]]:
    pages = cf.get_paginator("list_stack_resources").paginate(StackName=stack_id)
    summaries = [r for page in pages for r in page["StackResourceSummaries"]]
    return [r for r in summaries if r.get("LogicalResourceId") and r.get("ResourceStatus") != "DELETE_COMPLETE"]


def _deletion_policies(cf: Any, stack_id: str) -> dict[str, str]:
    body = cf.get_template(StackName=stack_id, TemplateStage="Original")["TemplateBody"]
    template = parse_template_text(body, "the deployed template") if isinstance(body, str) else dict(body)
    return {lid: str(r.get("DeletionPolicy", "Delete")) for lid, r in (template.get("Resources") or {}).items() if isinstance(r, dict)}

"""deploy.py --follow: attach to whatever the stack is doing now and follow it to the end.

An update started by a run that lost its connection, by CI or from the console: its events from its
start, the ECS rollout of the stack's services, and the same last lines and exit code as a deploy.
"""

from __future__ import annotations

import time
from typing import Any

from container_infra.aws.events import EventFollower
from container_infra.aws.stacks import deployed_template, describe_stack, read_when_done
from container_infra.cfn.constants import REVIEW_IN_PROGRESS, SUCCESS_STATUSES, is_busy
from container_infra.cfn.events import FollowResult, Progress, failure_line, operation_name
from container_infra.cfn.services import all_services
from container_infra.cfn.template import resources
from container_infra.commands.deploy import Deployment
from container_infra.commands.source import TemplateSource
from container_infra.errors import DeployFailed, UserError
from container_infra.watch.detached import goes_on_in_aws
from container_infra.watch.rollout import rollout_watcher


class Attachment(Deployment):
    """A Deployment that did not start the operation: it only follows it (and reports like one)."""

    def run(self) -> int:
        stack = describe_stack(self.cf, self.stack_name)
        if stack is None:
            raise UserError(f"--follow: stack {self.stack_name} does not exist in {self.aws.region}: nothing to follow")
        status = str(stack["StackStatus"])
        if status == REVIEW_IN_PROGRESS:
            self.out.line(f"Stack {self.stack_name} is {status}: a change set waits for review; nothing runs yet.")
            return 0
        template = deployed_template(self.cf, stack["StackId"])
        self.source = TemplateSource("", template, self.stack_name)
        return self._follow(stack, template) if is_busy(status) else self._report_settled(stack, template)

    def _follow(self, stack: dict[str, Any], template: dict[str, Any]) -> int:
        stack_id, status = stack["StackId"], str(stack["StackStatus"])
        self.out.line(
            f"Following {self.stack_name} in {self.aws.region}: {status}, from the start of this {operation_name(status)}",
            "bold",
        )
        watcher = rollout_watcher(self.aws, self.out, stack_id, template, all_services(template))
        progress = Progress(set(resources(template)))
        follower = EventFollower(
            self.cf,
            stack_id,
            self.stack_name,
            lambda event: self.out.line(*progress.line(event)),
            on_poll=watcher.poll_if_due if watcher else None,
        )
        started = time.monotonic()
        goes_on = f"the {operation_name(status)} of {self.stack_name} goes on in CloudFormation. {self._follow_hint()}"
        with goes_on_in_aws(
            interrupted=f"stopped following; {goes_on}", connection_lost=f"lost the connection to AWS; {goes_on}"
        ):
            follower.attach()
            result = follower.follow()
        return self._conclude(stack_id, result, watcher, time.monotonic() - started)

    def _report_settled(self, stack: dict[str, Any], template: dict[str, Any]) -> int:
        self.out.line(
            f"Stack {self.stack_name} in {self.aws.region} is {stack['StackStatus']}: no operation in progress.", "bold"
        )
        watcher = rollout_watcher(self.aws, self.out, stack["StackId"], template, all_services(template))
        return self._conclude(stack["StackId"], FollowResult(str(stack["StackStatus"])), watcher, None, stack=stack)

    def _conclude(
        self,
        stack_id: str,
        result: FollowResult,
        watcher: Any,
        elapsed: float | None,
        stack: dict[str, Any] | None = None,
    ) -> int:
        """As a deploy ends: a failed status is exit 1 with its root cause; then the ECS verdict, the outputs, the ✓ line.

        The status is the one the operation ended with (its terminal event); DescribeStacks only reads the outputs.
        """
        status = result.status
        if status not in SUCCESS_STATUSES:
            raise DeployFailed(failure_line(self.stack_name, status, result.root_cause()))
        if status != "DELETE_COMPLETE":
            stack = stack if stack is not None else read_when_done(self.cf, stack_id)
            if watcher is not None:
                self._check_rollouts(watcher)
            self._print_outputs(stack)
        took = f" in {elapsed:.1f}s" if elapsed is not None else ""
        self.out.line(f"✓ {self.stack_name}: {status}{took}", "bold green")
        return 0

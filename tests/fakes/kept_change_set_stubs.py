"""What --execute reads of a kept change set after describing it, shaped like CloudFormation's answers: the stack as
it is now, the change set's own template, and (for a stack that exists) the deployed template to diff against."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.stubs import CHANGE_SET_ID, STACK_ID


def stack_and_templates(
    stub: Any, stack: dict[str, Any], reviewed: dict[str, Any], deployed: dict[str, Any] | None
) -> None:
    stub.add_response("describe_stacks", stack, {"StackName": STACK_ID})
    stub.add_response(
        "get_template",
        {"TemplateBody": json.dumps(reviewed)},
        {"StackName": STACK_ID, "ChangeSetName": CHANGE_SET_ID, "TemplateStage": "Original"},
    )
    if deployed is not None:  # a new stack has no deployed template: the diff is against nothing
        stub.add_response(
            "get_template", {"TemplateBody": json.dumps(deployed)}, {"StackName": STACK_ID, "TemplateStage": "Original"}
        )

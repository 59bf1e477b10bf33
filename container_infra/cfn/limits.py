"""What CloudFormation refuses in a template, checked before anyone uploads or deploys it.

The numbers are CloudFormation's quotas (the "CloudFormation quotas" page of its user guide).
"""

from __future__ import annotations

import json
from typing import Any

from container_infra.cfn.constants import MAX_URL_TEMPLATE_BYTES
from container_infra.errors import UserError

MAX_LOGICAL_ID = 255
SECTION_LIMITS = {"Resources": 500, "Parameters": 200, "Outputs": 200, "Mappings": 200}
MAX_TASK_DEFINITION_BYTES = 65_536  # ECS quota: a task definition is at most 64 KiB
TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition"


def check_template_limits(template: dict[str, Any], body: str, what: str) -> None:
    """Raise UserError (one line, naming the limit) for a template CloudFormation would refuse."""
    size = len(body.encode("utf-8"))
    if size > MAX_URL_TEMPLATE_BYTES:
        raise UserError(
            f"{what}: the template is {size:,} bytes; CloudFormation takes at most {MAX_URL_TEMPLATE_BYTES:,} (1 MB)"
        )
    for section, limit in SECTION_LIMITS.items():
        entries = template.get(section) or {}
        if isinstance(entries, dict) and len(entries) > limit:
            raise UserError(
                f"{what}: {len(entries)} {section.lower()}; a CloudFormation template holds at most {limit}"
            )
        for name in entries if isinstance(entries, dict) else ():
            if len(str(name)) > MAX_LOGICAL_ID:
                raise UserError(
                    f"{what}: the {section[:-1].lower()} ID {str(name)[:40]}... is {len(str(name))} characters; "
                    f"CloudFormation allows at most {MAX_LOGICAL_ID}"
                )
    _check_task_definitions(template, what)


def _check_task_definitions(template: dict[str, Any], what: str) -> None:
    """ECS refuses a task definition over 64 KiB (environment variables are the usual reason), after the stack
    started."""
    resources = template.get("Resources") or {}
    for name, resource in resources.items() if isinstance(resources, dict) else ():
        if not isinstance(resource, dict) or resource.get("Type") != TASK_DEFINITION_TYPE:
            continue
        size = len(json.dumps(resource.get("Properties") or {}, separators=(",", ":"), default=str).encode("utf-8"))
        if size > MAX_TASK_DEFINITION_BYTES:
            raise UserError(
                f"{what}: the task definition {name} is {size:,} bytes; ECS takes at most "
                f"{MAX_TASK_DEFINITION_BYTES:,} "
                "(64 KiB): shorten the containers' environment"
            )

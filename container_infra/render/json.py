"""The diff as one JSON document, for CI and reviews (`deploy.py --diff --json`)."""

from __future__ import annotations

import json
from typing import Any

from container_infra.diff.model import Diff


def diff_json(diff: Diff, *, stack_name: str, region: str, new_stack: bool, change_set_id: str | None) -> str:
    document: dict[str, Any] = {
        "stack": stack_name,
        "region": region,
        "newStack": new_stack,
        "changeSet": change_set_id,
    }
    document.update(diff.as_dict())
    return json.dumps(document, indent=2, sort_keys=False)

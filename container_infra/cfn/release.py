"""Which stack parameters put a release back: a task definition's images and task size, mapped onto the
template's parameters (`<Container>Image`, TaskCpu, TaskMemory). Pure: task definitions come in as dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from container_infra.naming import TASK_CPU, TASK_MEMORY, image_parameter_id


@dataclass
class ReleaseParameters:
    values: dict[str, str] = field(default_factory=dict)  # parameter -> the value the release had
    unrestorable: list[str] = field(default_factory=list)  # what the template has no parameter for


def release_parameters(task_definition: dict[str, Any], template: dict[str, Any]) -> ReleaseParameters:
    specs = template.get("Parameters") or {}
    result = ReleaseParameters()
    for container in task_definition.get("containerDefinitions") or []:
        name, image = str(container.get("name", "")), container.get("image")
        if not name or not image:
            continue
        parameter = image_parameter_id(name)
        if parameter in specs:
            result.values[parameter] = str(image)
        else:
            result.unrestorable.append(f"the image of {name} (the template has no parameter {parameter})")
    for parameter, key in ((TASK_CPU, "cpu"), (TASK_MEMORY, "memory")):
        if task_definition.get(key) and parameter in specs:
            result.values[parameter] = str(task_definition[key])
    return result


def differs(release: ReleaseParameters, current: dict[str, str]) -> bool:
    """Whether putting the release back changes anything that runs now."""
    return any(current.get(name) != value for name, value in release.values.items())

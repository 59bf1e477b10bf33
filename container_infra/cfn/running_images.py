"""A deploy keeps the image a stack runs unless the user asked for another one.

The config's image is the template's parameter Default; --build, --rollback and --parameter set the parameter
instead. A later deploy that only changes, say, the log retention must not put the config's image back: the
running image is kept while the config's image is the one the running template had, and a changed config image,
a --parameter, --build or --rollback is what changes it. Pure: the deployed template comes in through a callable,
read only when an image differs from the config's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from container_infra.cfn.template import resources

TASK_DEFINITION = "AWS::ECS::TaskDefinition"


@dataclass
class ImageChoice:
    keep: dict[str, str] = field(default_factory=dict)  # parameter -> the running image, sent as the value
    notes: list[str] = field(default_factory=list)  # where each image that differs from the running one comes from


def image_parameters(template: dict[str, Any]) -> set[str]:
    """The parameters a task definition's container images Ref."""
    names: set[str] = set()
    for resource in resources(template).values():
        if resource.get("Type") != TASK_DEFINITION:
            continue
        for container in (resource.get("Properties") or {}).get("ContainerDefinitions") or []:
            image = container.get("Image") if isinstance(container, dict) else None
            if isinstance(image, dict) and isinstance(image.get("Ref"), str):
                names.add(image["Ref"])
    return names


def choose_images(
    template: dict[str, Any],
    overrides: dict[str, str],
    previous: dict[str, str] | None,
    deployed: Callable[[], dict[str, Any]],
) -> ImageChoice:
    choice = ImageChoice()
    if previous is None:
        return choice
    specs = template.get("Parameters") or {}
    deployed_specs: dict[str, Any] | None = None
    for name in sorted(image_parameters(template)):
        spec, running = specs.get(name), previous.get(name)
        if not isinstance(spec, dict) or running is None:
            continue
        if name in overrides:
            if overrides[name] != running:
                choice.notes.append(f"{name} = {overrides[name]}: given to this run (runs {running} now)")
            continue
        if "Default" not in spec or str(spec["Default"]) == running:
            continue
        if deployed_specs is None:
            deployed_specs = deployed().get("Parameters") or {}
        was = (deployed_specs.get(name) or {}).get("Default")
        if was is not None and str(was) == str(spec["Default"]):
            choice.keep[name] = running
            choice.notes.append(
                f"{name} = {running}: the image the stack runs now is kept (the config's image {spec['Default']} "
                f"is unchanged; --parameter {name}=IMAGE changes it)"
            )
        else:
            choice.notes.append(f"{name} = {spec['Default']}: the config's image changed (runs {running} now)")
    return choice

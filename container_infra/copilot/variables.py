"""Copilot's variables: the `${NAME}` placeholders of a manifest, and the variables Copilot sets in every container.

Copilot interpolates a manifest before reading it (internal/pkg/manifest/interpolate.go): `${COPILOT_APPLICATION_NAME}`
and `${COPILOT_ENVIRONMENT_NAME}` become the application's and environment's names, any other `${NAME}` the shell's
variable of that name (refused when it is not set), and `\\${NAME}` stays `${NAME}`, literally.

It also gives every container (workloads/partials/cf/envvars-common.yml) COPILOT_APPLICATION_NAME,
COPILOT_ENVIRONMENT_NAME, COPILOT_SERVICE_NAME and COPILOT_SERVICE_DISCOVERY_ENDPOINT, and COPILOT_LB_DNS with a load
balancer. Code may read them: the three names are set here too; the other two name things this project does not make.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from container_infra.copilot.notes import Notes, Unmapped

PLACEHOLDER = re.compile(r"(\\?)\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}")
APPLICATION, ENVIRONMENT, SERVICE = "COPILOT_APPLICATION_NAME", "COPILOT_ENVIRONMENT_NAME", "COPILOT_SERVICE_NAME"
PREDEFINED = (APPLICATION, ENVIRONMENT)


def fill_shell_variables(manifest: dict[str, Any], notes: Notes, environ: Mapping[str, str]) -> list[Unmapped]:
    """Each `${NAME}` of the shell filled in, in place, as Copilot fills it at deploy time; one note each, since the
    config now holds the value this shell had, not the placeholder."""
    filled: list[Unmapped] = []

    def fill(item: Any, path: str) -> Any:
        if isinstance(item, dict):
            return {key: fill(value, f"{path}.{key}" if path else str(key)) for key, value in item.items()}
        if isinstance(item, list):
            return [fill(value, f"{path}[{index}]") for index, value in enumerate(item)]
        if not isinstance(item, str):
            return item
        names = [m.group(2) for m in PLACEHOLDER.finditer(item) if not m.group(1) and m.group(2) not in PREDEFINED]
        for name in dict.fromkeys(names):
            if name not in environ:
                raise notes.fail(
                    path,
                    item,
                    f"${{{name}}} is not set in this shell; Copilot fills it from the shell at deploy time and refuses "
                    f"it unset: run the conversion with {name}=... set, as for copilot svc deploy",
                )
            item = re.sub(rf"(?<!\\)\$\{{{name}\}}", lambda _, value=environ[name]: value, item)
            filled.append(Unmapped(path, item, f"${{{name}}} filled from this shell's environment, as Copilot does"))
        return item

    manifest.update(fill(manifest, ""))
    return filled


def predefined(manifest: dict[str, Any], application: str, environment: str) -> dict[str, Any]:
    """Copilot's predefined manifest variables, as Copilot fills them in for one environment, and `\\${NAME}`
    unescaped."""
    names = {APPLICATION: application, ENVIRONMENT: environment}

    def replace(match: re.Match[str]) -> str:
        escaped, name = match.groups()
        if escaped:
            return match.group(0)[1:]
        return names.get(name, match.group(0))

    def fill(item: Any) -> Any:
        if isinstance(item, str):
            return PLACEHOLDER.sub(replace, item)
        if isinstance(item, dict):
            return {k: fill(v) for k, v in item.items()}
        if isinstance(item, list):
            return [fill(v) for v in item]
        return item

    return fill(copy.deepcopy(manifest))


def with_copilot_variables(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with the names Copilot sets in every container added to each container's variables (the
    manifest's own value wins), as placeholders that each environment fills in."""
    given = {APPLICATION: f"${{{APPLICATION}}}", ENVIRONMENT: f"${{{ENVIRONMENT}}}", SERVICE: manifest["name"]}
    result = copy.deepcopy(manifest)
    sidecars = result.get("sidecars")
    containers = (
        [result, *(s for s in sidecars.values() if isinstance(s, dict))] if isinstance(sidecars, dict) else [result]
    )
    for container in containers:
        variables = container.get("variables")
        if variables is None:
            container["variables"] = dict(given)
        elif isinstance(variables, dict):
            container["variables"] = {**given, **variables}
    return result


def not_provided(manifest: dict[str, Any], application: str) -> list[Unmapped]:
    """What Copilot sets that names something of Copilot's environment, which the converted stack does not make."""
    found = [
        Unmapped(
            "variables.COPILOT_SERVICE_DISCOVERY_ENDPOINT",
            f"ENVIRONMENT.{application}.local",
            "not set: Copilot registers each service in its environment's Cloud Map namespace; the converted stack "
            "registers none, so code that builds a caller's address from it needs that address given another way",
        )
    ]
    if manifest["type"] == "Load Balanced Web Service":
        found.append(
            Unmapped(
                "variables.COPILOT_LB_DNS",
                "the load balancer's DNS name",
                "not set: known once deployed, as the stack's LoadBalancerDnsName output; add it to the container's "
                "environment then if the code reads it",
            )
        )
    elif manifest.get("http") not in (None, False):
        found.append(
            Unmapped(
                "variables.COPILOT_LB_DNS",
                "the internal load balancer's DNS name",
                "not set: Copilot's internal load balancer is not converted",
            )
        )
    own = manifest.get("variables") if isinstance(manifest.get("variables"), dict) else {}
    return [item for item in found if item.field.removeprefix("variables.") not in own]  # the manifest sets it

"""A Copilot service's containers: `image`, `variables`, `secrets`, `entrypoint`, `command` and `sidecars`.

Field names follow Copilot's manifest reference (site/content/docs/include/image-config-with-port.en.md,
image-healthcheck.en.md, envvars.en.md, secrets.en.md, sidecar.en.md in aws/copilot-cli).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import Any

from container_infra.copilot.notes import Notes, mapping, seconds

BUILD_PLACEHOLDER = "public.ecr.aws/aws-containers/hello-app-runner:latest"
SECRETS_MANAGER_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+-[A-Za-z0-9]{6}(:.*)?")
CONDITIONS = {"start": "START", "complete": "COMPLETE", "success": "SUCCESS", "healthy": "HEALTHY"}
CONTAINER_KEYS = ("image", "variables", "secrets", "entrypoint", "command", "essential", "port", "depends_on")


def main_container(manifest: dict[str, Any], notes: Notes, built: list[str]) -> dict[str, Any]:
    image = manifest.get("image")
    if not isinstance(image, dict):
        raise notes.fail("image", image, "a service's image is a map with location or build (and port)")
    container: dict[str, Any] = {"name": manifest["name"]}
    _image(container, image, "image", notes, built)
    _port(container, image.get("port"), "image.port", notes)
    if "healthcheck" in image:
        container["health_check"] = _health_check(image["healthcheck"], notes)
    if "depends_on" in image:
        container["depends_on"] = _depends_on(image["depends_on"], "image.depends_on", notes)
    for key in sorted(set(image) - {"location", "build", "port", "healthcheck", "depends_on"}):
        notes.skip(container, f"image.{key}", image[key], "no equivalent in [[task.containers]]")
    _runtime(container, manifest, "", notes)
    return container


def sidecars(manifest: dict[str, Any], notes: Notes, built: list[str]) -> list[dict[str, Any]]:
    found = mapping(manifest.get("sidecars"), "sidecars", notes, "sidecar name -> its settings")
    result = []
    for name, sidecar in found.items():
        where = f"sidecars.{name}"
        if not isinstance(sidecar, dict):
            raise notes.fail(where, sidecar, "a map with image, port, variables, ...")
        container: dict[str, Any] = {"name": str(name)}
        _image(container, sidecar, where, notes, built)
        _port(container, sidecar.get("port"), f"{where}.port", notes)
        if "essential" in sidecar:
            container["essential"] = bool(sidecar["essential"])
        if "healthcheck" in sidecar:
            container["health_check"] = _health_check(sidecar["healthcheck"], notes, f"{where}.healthcheck")
        if "depends_on" in sidecar:
            container["depends_on"] = _depends_on(sidecar["depends_on"], f"{where}.depends_on", notes)
        _runtime(container, sidecar, f"{where}.", notes)
        handled = {"image", "port", "essential", "healthcheck", "depends_on", "variables", "secrets"}
        for key in sorted(set(sidecar) - handled - {"entrypoint", "command"}):
            notes.skip(container, f"{where}.{key}", sidecar[key], "no equivalent in [[task.containers]]")
        result.append(container)
    return result


def _image(container: dict[str, Any], image: dict[str, Any], where: str, notes: Notes, built: list[str]) -> None:
    location, build = image.get("location"), image.get("build")
    if location is not None and build is not None:
        # Copilot refuses the two together (validate.go, ImageLocationOrBuild: "must specify one of build, location").
        raise notes.fail(f"{where}.location", location, "Copilot refuses location together with build; keep one")
    if isinstance(location, str) and location:
        container["image"] = location
        return
    if isinstance(location, dict) or isinstance(image.get("image"), dict):  # a sidecar's image: {build: ...}
        _image(container, location or image["image"], f"{where}.image", notes, built)
        return
    if isinstance(image.get("image"), str) and image["image"]:
        container["image"] = image["image"]
        return
    if build is None:
        raise notes.fail(f"{where}.location", location, "a container needs an image: location or build")
    container["image"] = BUILD_PLACEHOLDER
    if where.startswith("sidecars."):  # deploy.py --build builds the service's own container, never a sidecar
        notes.skip(
            container,
            f"{where}.build",
            build,
            "Copilot builds it; deploy.py --build builds only the service's main container: build and push this "
            "image yourself and set the sidecar's image to it (until then it is a placeholder)",
        )
        return
    folder = _build_folder(build)
    built.append(folder)
    dockerfile = build.get("dockerfile") if isinstance(build, dict) else build
    expected = posixpath.join(folder, "Dockerfile")
    named = (
        ""
        if posixpath.normpath(str(dockerfile or expected)) == posixpath.normpath(expected)
        else f" (it builds {expected}, not {dockerfile}: move or link it there first)"
    )
    notes.skip(
        container,
        f"{where}.build",
        build,
        f"Copilot builds it; here deploy.py --build {folder} builds, pushes to [repository] and deploys it{named} "
        "(until then the image is a placeholder)",
    )


def _build_folder(build: Any) -> str:
    """The folder deploy.py --build takes: Copilot's context, else the Dockerfile's folder (a string build is the
    Dockerfile's path)."""
    if isinstance(build, dict) and build.get("context"):
        return str(build["context"])
    dockerfile = build.get("dockerfile", "") if isinstance(build, dict) else str(build)
    return posixpath.dirname(str(dockerfile)) or "."


def _port(container: dict[str, Any], port: Any, where: str, notes: Notes) -> None:
    if port is None:
        return
    text = str(port)
    number, _, protocol = text.partition("/")
    if not number.isdigit():
        raise notes.fail(where, port, "a port number, like 8080 or 8080/tcp")
    if protocol and protocol.lower() != "tcp":
        notes.skip(
            container,
            where,
            port,
            f"only TCP port mappings here, so none is made for it; the task's other containers reach {protocol} port "
            f"{number} on localhost without one",
        )
        return
    container["port"] = int(number)


# Copilot's own defaults for a container health check (image-healthcheck.en.md), not ECS's (30s, 3 retries)
HEALTH_CHECK_DEFAULTS = {"interval": "10s", "retries": 2, "timeout": "5s", "start_period": "0s"}


def _health_check(check: Any, notes: Notes, where: str = "image.healthcheck") -> dict[str, Any]:
    if not isinstance(check, dict) or not isinstance(check.get("command"), (list, str)):
        raise notes.fail(where, check, "a map with command (and interval, retries, timeout, start_period)")
    command = check["command"]
    result: dict[str, Any] = {"command": command if isinstance(command, list) else ["CMD-SHELL", str(command)]}
    for key in ("interval", "timeout", "start_period"):
        result[key] = seconds(check.get(key, HEALTH_CHECK_DEFAULTS[key]), f"{where}.{key}", notes)
    result["retries"] = check.get("retries", HEALTH_CHECK_DEFAULTS["retries"])
    return result


def _depends_on(depends: Any, where: str, notes: Notes) -> list[dict[str, str]]:
    if not isinstance(depends, dict):
        raise notes.fail(where, depends, "a map of container name -> start, complete, success or healthy")
    result = []
    for name, condition in depends.items():
        if str(condition).lower() not in CONDITIONS:
            raise notes.fail(f"{where}.{name}", condition, "one of start, complete, success, healthy")
        result.append({"container": str(name), "condition": CONDITIONS[str(condition).lower()]})
    return result


def _runtime(container: dict[str, Any], source: dict[str, Any], prefix: str, notes: Notes) -> None:
    for key in ("entrypoint", "command"):
        value = source.get(key)
        if value is not None:
            container[key] = _arguments(value, f"{prefix}{key}", notes)
    variables = mapping(source.get("variables"), f"{prefix}variables", notes, "name -> value")
    environment: dict[str, Any] = {}
    for name, value in variables.items():
        if not isinstance(name, str) or not name:
            raise notes.fail(f"{prefix}variables", {name: value}, "every variable has a name")
        if isinstance(value, dict) and set(value) == {"from_cfn"}:
            notes.skip(
                container, f"{prefix}variables.{name}", value, "from_cfn imports a stack output; write the value"
            )
        elif isinstance(value, (str, int, bool)):
            environment[str(name)] = value
        elif isinstance(value, float):
            environment[str(name)] = repr(value)  # a string: TOML would not keep how a float was written
        else:
            raise notes.fail(f"{prefix}variables.{name}", value, "a string, a number, true/false or {from_cfn: NAME}")
    if environment:
        container["environment"] = environment
    secrets = _secrets(
        container, mapping(source.get("secrets"), f"{prefix}secrets", notes, "name -> source"), prefix, notes
    )
    if secrets:
        container["secrets"] = secrets


def _arguments(value: Any, name: str, notes: Notes) -> list[str]:
    if isinstance(value, list):
        if not all(isinstance(part, (str, int, float)) and not isinstance(part, bool) for part in value):
            raise notes.fail(name, value, "a command line, or a list of its words (strings)")
        return [str(part) for part in value]
    if not isinstance(value, str):
        raise notes.fail(name, value, "a command line, or a list of its words (strings)")
    try:
        return shlex.split(value)
    except ValueError as error:
        raise notes.fail(name, value, f"a command line a shell can split ({error})") from None


def _secret_arn_needed(variable: str, secret: str) -> str:
    """ECS takes a Secrets Manager secret by its full ARN only (ECS API reference, Secret.valueFrom), and the execution
    role is granted that ARN; the name does not give it (Secrets Manager appends six random characters), so it
    takes one AWS call: the exact command, and where its answer goes (with Copilot's json-key:stage:id suffix)."""
    if secret.startswith("arn:"):  # an ARN without the suffix: the whole of it names the secret
        name, suffix, what = secret, "", "a secret's ARN without its six-character suffix"
    else:
        name, _, rest = secret.partition(":")
        suffix, what = (f":{rest}" if rest else ""), "a secret by name"
    return (
        f"{what} needs its full ARN: run `aws secretsmanager describe-secret --secret-id {name} --query ARN "
        f'--output text` with the environment\'s account and Region, and add {variable} = "ARN{suffix}" to this '
        "container's secrets"
    )


def _secrets(container: dict[str, Any], secrets: dict[str, Any], prefix: str, notes: Notes) -> dict[str, str]:
    """SSM names become `ssm:NAME` (the parameter in the stack's own account and Region, as Copilot reads it);
    Secrets Manager needs the complete ARN, which a name alone does not give."""
    result: dict[str, str] = {}
    for name, value in secrets.items():
        where = f"{prefix}secrets.{name}"
        if isinstance(value, str):
            # An ARN (a parameter's, or a secret's as Copilot's secrets guide allows) stays as given: it may name
            # another Region or account, which a name read in the stack's own would not reach.
            result[str(name)] = value if value.startswith("arn:") else f"ssm:{value}"
        elif isinstance(value, dict) and isinstance(value.get("secretsmanager"), str):
            secret = value["secretsmanager"]
            if SECRETS_MANAGER_ARN.fullmatch(secret):
                result[str(name)] = secret
            else:
                notes.skip(container, f"{where}.secretsmanager", secret, _secret_arn_needed(str(name), secret))
        elif isinstance(value, dict) and "from_cfn" in value:
            notes.skip(container, where, value, "from_cfn imports a stack output; give the ARN or ssm:NAME")
        else:
            raise notes.fail(where, value, "an SSM parameter name, {secretsmanager: NAME-or-ARN} or {from_cfn: ...}")
    return result

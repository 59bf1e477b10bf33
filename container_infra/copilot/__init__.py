"""generate.py --from-copilot: a Copilot service's manifests as this project's config.

Each Copilot environment becomes an `[environments.<name>]` table holding only what differs from the base (the
service's manifest without overrides). What cannot be converted is a comment at its place and one line in
`Conversion.unmapped`, never dropped silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from container_infra.copilot.environments import environment_fields, environment_tables
from container_infra.copilot.notes import COMMENTS, Notes, Unmapped, shown
from container_infra.copilot.reader import read_workspace
from container_infra.copilot.service import convert_service
from container_infra.copilot.toml_text import NullValue, write_table
from container_infra.copilot.validation import check_loads, manifest_field
from container_infra.copilot.variables import fill_shell_variables, not_provided, predefined, with_copilot_variables
from container_infra.errors import UserError

ENV_VARIABLE = "${COPILOT_ENVIRONMENT_NAME}"


@dataclass(frozen=True)
class Conversion:
    text: str  # the TOML config
    unmapped: tuple[Unmapped, ...]


def convert(
    directory: str, service: str | None, accounts: dict[str, str], environ: Mapping[str, str] | None = None
) -> Conversion:
    """`environ`: the shell's variables a manifest's `${NAME}` takes (os.environ unless given)."""
    workspace = read_workspace(directory)
    name = _choose(workspace.services, service, directory)
    path, manifest = workspace.services[name]
    overrides = manifest.get("environments") or {}
    if not isinstance(overrides, dict):
        raise UserError(f"{path}: environments = {shown(overrides)}: a map of environment name -> overrides")
    environments = sorted(set(workspace.environments) | {str(env) for env in overrides})
    unknown = sorted(set(accounts) - set(environments))
    if unknown:
        raise UserError(
            f"--account {unknown[0]}=...: {name} has no environment {unknown[0]}; "
            f"its environments: {', '.join(environments) or 'none'}"
        )
    notes = Notes(str(path))
    built: list[str] = []
    shell = fill_shell_variables(manifest, notes, os.environ if environ is None else environ)
    manifest = with_copilot_variables(manifest)
    base_manifest = predefined(manifest, workspace.application, "ENVIRONMENT")
    config = {"stack_name": name, **convert_service(base_manifest, notes, built)}
    config["cluster"] = {"name": name}
    for item in [*shell, *not_provided(manifest, workspace.application)]:
        notes.skip(config, item.field, item.value, item.why)
    if built:
        config["repository"] = {}
    if environments:
        config["environments"] = environment_tables(
            config, manifest, environments, accounts, workspace.application, notes, predefined
        )
    for env, (env_path, env_manifest) in workspace.environment_manifests.items():
        for item in environment_fields(env_path, env_manifest):
            notes.skip(config["environments"][env], item.field, item.value, item.why)
    lines = [
        f"# Converted from Copilot: {path} (application {workspace.application}, service {name}).",
        "# Review each 'not converted' comment; generate.py --config FILE [--env NAME] prints the template.",
        f"# The base replaces {ENV_VARIABLE} with ENVIRONMENT; each environment with its own name.",
    ]
    if built:
        lines.append(f"# Build and deploy the image with: uv run deploy.py --config FILE --env NAME --build {built[0]}")
    try:
        write_table(lines, "", config)
    except NullValue as null:
        raise UserError(
            f"{path}: {manifest_field(null.key, config)} = null: give a value, or leave the field out"
        ) from None
    text = "\n".join(lines) + "\n"
    check_loads(text, str(path), environments)
    return Conversion(text, tuple(_unique(notes.items)))


def _choose(services: dict[str, Any], wanted: str | None, directory: str) -> str:
    if wanted is not None:
        if wanted not in services:
            raise UserError(f"--service {wanted}: not a service in {directory}; there: {', '.join(sorted(services))}")
        return wanted
    if len(services) > 1:
        raise UserError(
            f"--from-copilot {directory}: {len(services)} services ({', '.join(sorted(services))}); "
            "choose one with --service NAME"
        )
    return next(iter(services))


def _unique(items: list[Unmapped]) -> list[Unmapped]:
    seen: set[str] = set()
    result = []
    for item in items:
        if item.line() not in seen:
            seen.add(item.line())
            result.append(item)
    return result


__all__ = ["COMMENTS", "Conversion", "convert"]

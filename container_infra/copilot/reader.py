"""Reading a Copilot workspace: the service manifests, the environment names and the application name.

Copilot's layout: `copilot/.workspace` names the application, `copilot/<service>/manifest.yml` each service or job,
`copilot/environments/<env>/manifest.yml` each environment. Manifests are YAML; a broken one is one line, exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from container_infra.errors import UserError

CONVERTED_TYPES = ("Load Balanced Web Service", "Backend Service")
# Copilot's other workload types: known, but without an equivalent here.
OTHER_TYPES = ("Request-Driven Web Service", "Worker Service", "Scheduled Job", "Static Site")


@dataclass(frozen=True)
class Workspace:
    application: str
    services: dict[str, tuple[Path, dict[str, Any]]]  # the manifest's name -> (its file, its content)
    environments: tuple[str, ...]  # from copilot/environments/<env>/manifest.yml


def read_workspace(directory: str) -> Workspace:
    root = _copilot_folder(Path(directory))
    services: dict[str, tuple[Path, dict[str, Any]]] = {}
    for manifest in sorted(root.glob("*/manifest.yml")):
        if manifest.parent.name in ("environments", "pipelines"):
            continue
        data = load_manifest(manifest)
        services[data["name"]] = (manifest, data)
    if not services:
        raise UserError(f"--from-copilot {directory}: no service manifest (copilot/<service>/manifest.yml) found")
    environments = tuple(sorted(p.parent.name for p in root.glob("environments/*/manifest.yml")))
    return Workspace(_application(root), services, environments)


def _copilot_folder(path: Path) -> Path:
    """The folder that holds `copilot/`, or `copilot/` itself."""
    if (path / "copilot").is_dir():
        return path / "copilot"
    if path.is_dir() and (any(path.glob("*/manifest.yml")) or (path / ".workspace").is_file()):
        return path
    raise UserError(f"--from-copilot {path}: no copilot/ folder there; give the folder that holds copilot/")


def _application(root: Path) -> str:
    workspace = root / ".workspace"
    if workspace.is_file():
        data = _yaml(workspace)
        if isinstance(data, dict) and isinstance(data.get("application"), str) and data["application"]:
            return str(data["application"])
    return root.parent.name or "app"


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise UserError(f"{path}: not valid YAML{line}: {problem}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; a manifest is YAML in UTF-8") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None


def load_manifest(path: Path) -> dict[str, Any]:
    """A service manifest whose name and type are there and known."""
    data = _yaml(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}: a manifest is a YAML mapping (name: ..., type: ...), not {type(data).__name__}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UserError(f"{path}: name = {name!r}: every Copilot manifest names its service (name: 'frontend')")
    kind = data.get("type")
    if kind in OTHER_TYPES:
        raise UserError(
            f"{path}: type = {kind!r}: has no equivalent here; converted are {' and '.join(CONVERTED_TYPES)}"
        )
    if kind not in CONVERTED_TYPES:
        raise UserError(
            f"{path}: type = {kind!r}: not a Copilot service type; converted are {' and '.join(CONVERTED_TYPES)}"
        )
    return data

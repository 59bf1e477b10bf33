"""Reading a Copilot workspace: the service manifests, the environment names and the application name.

Copilot's layout: `copilot/.workspace` names the application, `copilot/<service>/manifest.yml` each service or job,
`copilot/environments/<env>/manifest.yml` each environment. Manifests are YAML; a broken one is one line, exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from container_infra.copilot.notes import shown
from container_infra.errors import UserError

CONVERTED_TYPES = ("Load Balanced Web Service", "Backend Service")
# Copilot's other workload types: known, but without an equivalent here.
OTHER_TYPES = ("Request-Driven Web Service", "Worker Service", "Scheduled Job", "Static Site")


@dataclass(frozen=True)
class Workspace:
    application: str
    services: dict[str, tuple[Path, dict[str, Any]]]  # the manifest's name -> (its file, its content)
    environments: tuple[str, ...]  # from copilot/environments/<env>/manifest.yml


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one map: PyYAML would keep the last silently, and which of the two
    values Copilot deployed is not for a converter to guess."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if not isinstance(key, (str, int, float, bool)):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key} is given twice in one map; keep one", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_workspace(directory: str) -> Workspace:
    root = copilot_folder(Path(directory))
    services: dict[str, tuple[Path, dict[str, Any]]] = {}
    for manifest in sorted(root.glob("*/manifest.yml")):
        if manifest.parent.name in ("environments", "pipelines"):
            continue
        data = load_manifest(manifest)
        services[data["name"]] = (manifest, data)
    if not services:
        raise UserError(f"--from-copilot {directory}: no service manifest (copilot/<service>/manifest.yml) found")
    environments = tuple(sorted(_environment(p) for p in root.glob("environments/*/manifest.yml")))
    return Workspace(_application(root), services, environments)


def _environment(path: Path) -> str:
    """An environment's name, from its folder, once its manifest reads as one: a broken manifest there is as likely
    a sign that the folder is not what it seems as a service's is."""
    data = _yaml(path)
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: an environment manifest is a YAML mapping (name: ..., type: Environment), not {_kind(data)}"
        )
    kind = data.get("type")
    if kind not in (None, "Environment"):
        raise UserError(f"{path}: type = {shown(kind)}: an environment manifest has type: Environment")
    return path.parent.name


def copilot_folder(path: Path) -> Path:
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
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
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
        raise UserError(f"{path}: a manifest is a YAML mapping (name: ..., type: ...), not {_kind(data)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UserError(f"{path}: name = {shown(name)}: every Copilot manifest names its service (name: 'frontend')")
    kind = data.get("type")
    if kind in OTHER_TYPES:
        raise UserError(
            f"{path}: type = {shown(kind)}: has no equivalent here; converted are {' and '.join(CONVERTED_TYPES)}"
        )
    if kind not in CONVERTED_TYPES:
        raise UserError(
            f"{path}: type = {shown(kind)}: not a Copilot service type; converted are {' and '.join(CONVERTED_TYPES)}"
        )
    return data


def _kind(data: Any) -> str:
    """What a YAML document is, in YAML's words rather than Python's."""
    if data is None:
        return "an empty document"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({shown(data)})"

"""Reading a Copilot workspace: the service manifests, the environment names and the application name.

Copilot's layout: `copilot/.workspace` names the application, `copilot/<service>/manifest.yml` each service or job,
`copilot/environments/<env>/manifest.yml` each environment. Manifests are YAML; a broken one is one line, exit 2.
"""

from __future__ import annotations

import re
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
    environment_manifests: dict[str, tuple[Path, dict[str, Any]]]  # each environment's name -> (file, content)


TEXT_MAPS = ("variables", "secrets")  # Copilot reads these as strings: their YAML text, never a number or a bool
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


class _ManifestLoader(yaml.SafeLoader):
    """YAML as Copilot reads a manifest. A key given twice in one map is refused: PyYAML would keep the last
    silently, and which of the two values Copilot deployed is not for a converter to guess. Merge keys (`<<: *base`)
    work, their keys overridden by the map's own. The names and values of `variables` and `secrets` keep their text:
    Copilot (yaml.v3 into strings) passes `18.10`, `01234`, `on` and `12:30` on as written, where YAML 1.1 would read
    18.1, 668, true and 750."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if isinstance(key, str) and key in TEXT_MAPS and isinstance(value_node, yaml.MappingNode):
                _as_text(value_node)
            if not isinstance(key, (str, int, float, bool)):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key} is given twice in one map; keep one", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _as_text(node: yaml.MappingNode) -> None:
    """The plain scalars of a map read as their text; a null (`~`, `null`, empty) stays null, to be refused by name."""
    for key, value in node.value:
        if key.tag == MERGE_TAG:  # `<<: *common` or `<<: [*a, *b]`: the merged maps' entries too
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for part in merged:
                if isinstance(part, yaml.MappingNode):
                    _as_text(part)
            continue
        for item in (key, value):
            if isinstance(item, yaml.ScalarNode) and item.style is None and not _NULL.fullmatch(item.value):
                item.tag = STR_TAG


_NULL = re.compile(r"~|null|Null|NULL|")


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
    manifests = dict(_environment(p) for p in sorted(root.glob("environments/*/manifest.yml")))
    return Workspace(_application(root), services, tuple(sorted(manifests)), manifests)


def _environment(path: Path) -> tuple[str, tuple[Path, dict[str, Any]]]:
    """An environment's name and manifest, once it reads as one: a broken manifest there is as likely a sign that
    the folder is not what it seems as a service's is. Copilot writes the folder from the name, so they agree."""
    data = _yaml(path)
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: an environment manifest is a YAML mapping (name: ..., type: Environment), not {_kind(data)}"
        )
    kind = data.get("type")
    if kind not in (None, "Environment"):
        raise UserError(f"{path}: type = {shown(kind)}: an environment manifest has type: Environment")
    name = data.get("name")
    if name != path.parent.name:
        raise UserError(
            f"{path}: name = {shown(name)}: an environment manifest names its environment as its folder does "
            f"(name: {path.parent.name})"
        )
    return name, (path, data)


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
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_ManifestLoader)  # noqa: S506 (a safe loader)
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

"""The diff of three typical changes to each example (a new image, a new environment variable, more memory),
compared exactly with files in tests/golden/ that were reviewed by eye. UPDATE_GOLDEN=1 rewrites them
(and fails, naming each file rewritten, until they are reviewed).

Each is the diff deploy.py prints when the template bucket is out of reach (computed locally, no change set),
so it is exactly the templates' difference, container by container."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from container_infra.cfn.parameters import template_parameter_values
from container_infra.config import StackConfig, load_config
from container_infra.diff.compute import compute_diff
from container_infra.render.text import render_diff
from container_infra.ui.output import Output
from templates import build_template
from tests.golden_files import GOLDEN, compare_golden

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.toml"))
NEW_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:v2"


def _template(config: StackConfig) -> dict[str, Any]:
    return build_template(config).to_dict()


def _first_container(config: StackConfig, **changes: Any) -> StackConfig:
    first, *rest = config.task.containers
    task = replace(config.task, containers=(replace(first, **changes), *rest))
    return replace(config, task=task)


def _image_parameter(template: dict[str, Any]) -> str:
    task = next(r for r in template["Resources"].values() if r["Type"] == "AWS::ECS::TaskDefinition")
    return task["Properties"]["ContainerDefinitions"][0]["Image"]["Ref"]


def _change(config: StackConfig, change: str) -> tuple[StackConfig, dict[str, str]]:
    """The new config and the parameter values given on the command line (a new image is a new parameter value)."""
    if change == "new-image":
        return config, {_image_parameter(_template(config)): NEW_IMAGE}
    if change == "new-env-var":
        first = config.task.containers[0]
        return _first_container(config, environment={**first.environment, "FEATURE_FLAG": "on"}), {}
    if change == "new-memory":
        return replace(config, task=replace(config.task, memory_mib=config.task.memory_mib * 2)), {}
    raise AssertionError(change)


def _render(example: str, change: str) -> str:
    config = load_config(str(ROOT / "examples" / f"{example}.toml"))
    new_config, given = _change(config, change)
    old, new = _template(config), _template(new_config)
    diff = compute_diff(
        old,
        new,
        old_parameters=template_parameter_values(old, {}),
        new_parameters=template_parameter_values(new, given),
        change_set=None,
    )
    stream = io.StringIO()
    render_diff(Output(stream), diff, stack_name=config.stack_name, region="eu-west-1", new_stack=False)
    return stream.getvalue()


@pytest.mark.parametrize("change", ["new-image", "new-env-var", "new-memory"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_diff_matches_the_reviewed_golden_file(example, change):
    path = GOLDEN / f"diff-{example}-{change}.txt"
    actual = _render(example, change)
    compare_golden(path, actual)


def test_golden_files_speak_containers_not_list_indexes():
    for path in GOLDEN.glob("diff-*.txt"):
        assert "ContainerDefinitions[0]" not in path.read_text(), path

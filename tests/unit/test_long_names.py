"""The longest names the config accepts still make a template CloudFormation takes; one longer is one clear error."""

from __future__ import annotations

import json

import pytest

from tests.helpers import lint, one_error_line, run_tool
from tests.render import of_type, one, template_text

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"


def longest(containers: int = 2) -> dict:
    """Every name at the most the config allows, and every feature that builds an ID or a text from them."""
    return {
        "stack_name": "s" * 128,
        "cluster": {"name": "c" * 248},
        "task": {"family": "f" * 225, "containers": [{"name": f"{i}" + "w" * 249, "image": "nginx:1.27", "port": 8000 + i}
                                                      for i in range(containers)]},
        "service": {"enable_execute_command": True, "autoscaling": {"min": 1, "max": 3, "cpu_target_percent": 100}},
        "load_balancer": {"certificate_arn": CERTIFICATE, "domain": "app.example.com"},
        "repository": {"name": "r" * 245},
    }


def test_the_longest_names_give_no_finding_but_approaching_limits():
    text = template_text(longest())
    template = json.loads(text)
    assert max(len(lid) for section in ("Resources", "Parameters", "Outputs") for lid in template[section]) == 255
    assert len(template["Description"]) <= 1024
    for group in of_type(template, "AWS::EC2::SecurityGroup").values():
        assert len(group["Properties"]["GroupDescription"]) <= 255
    _, policy = one(template, "AWS::ApplicationAutoScaling::ScalingPolicy")
    assert len(policy["PolicyName"]) <= 256 and policy["PolicyName"].endswith("-cpu-target-100")
    # I3012/I1003 only say a logical ID or the description is within 10 % of its limit: informational, not a problem
    assert [m for m in lint(text) if not m.startswith(("[I3012", "[I1003"))] == []


def test_many_long_container_names_still_fit_the_description():
    template = json.loads(template_text(longest(containers=6)))
    assert len(template["Description"]) <= 1024 and "(6 containers)" in template["Description"]


@pytest.mark.parametrize(("section", "key", "value", "room"), [
    ("task", "family", "f" * 226, 225), ("cluster", "name", "c" * 249, 248), ("repository", "name", "r" * 246, 245)],
    ids=["family", "cluster", "repository"])
def test_one_character_more_is_one_clear_error(tmp_path, section, key, value, room):
    config = tmp_path / "app.toml"
    config.write_text(f'[{section}]\n{key} = "{value}"\n')
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert f"{section}.{key} = " in line and f"at most {room} letters and digits" in line


def test_a_container_name_one_character_too_long(tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(f'[[task.containers]]\nimage = "nginx:1.27"\nname = "{"w" * 251}"\n')
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert "task.containers[0].name = " in line and "at most 250 letters and digits" in line

"""The generator never emits a template CloudFormation would refuse."""

from __future__ import annotations

import json

import pytest

from container_infra.cfn.limits import check_template_limits
from container_infra.errors import UserError
from container_infra.naming import image_parameter_id, pascal
from tests.helpers import lint, one_error_line, run_tool
from tests.render import template_text


def _container(index: int, name_length: int = 255) -> str:
    name = f"c{index}" + "x" * (name_length - len(f"c{index}"))
    return f'[[task.containers]]\nname = "{name}"\nimage = "nginx:1.27"\nport = {8000 + index}\n'


def _longest_names_config(containers: int = 10) -> str:
    """Every name as long as the config documents it may be, every section on."""
    return (
        "\n".join(
            [
                f'stack_name = "{"s" * 128}"',
                f'[cluster]\nname = "{"k" * 255}"\ncontainer_insights = true',
                f'[task]\nfamily = "{"f" * 255}"',
                *(_container(i) for i in range(containers)),
                "[service]\n[service.autoscaling]\nmin = 1\nmax = 4",
                '[load_balancer]\ncertificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"\ndomain '
                '= "app.example.com"',
                f'[logging]\n[repository]\nname = "{"r" * 256}"',
            ]
        )
        + "\n"
    )


def _generate(tmp_path, text: str, *args: str):
    path = tmp_path / "app.toml"
    path.write_text(text)
    return run_tool("generate.py", "--config", str(path), *args)


def test_the_longest_documented_names_give_a_template_cloudformation_takes(tmp_path):
    result = _generate(tmp_path, _longest_names_config())
    assert result.returncode == 0, result.stderr
    template = json.loads(result.stdout)
    for section in ("Resources", "Parameters", "Outputs", "Conditions", "Mappings", "Rules"):
        assert all(len(name) <= 255 for name in template.get(section, {})), section
    assert len(template["Description"].encode()) <= 1024
    assert lint(result.stdout) == []


def test_long_names_are_shortened_stably_and_short_ones_never():
    assert pascal("my-test-cluster") == "MyTestCluster"
    long_name = "f" * 255
    assert pascal(long_name) == pascal(long_name) and len(pascal(long_name)) < 255
    assert pascal(long_name) != pascal("f" * 254)  # the hash tells them apart
    assert image_parameter_id("x" * 255) != image_parameter_id("x" * 254 + "y")


def test_a_description_that_cfn_lint_would_remark_on_counts_the_containers_instead():
    names = ["a" * 250, "b" * 250, "c" * 250]
    containers = [{"name": name, "image": "nginx:1.27"} for name in names]
    config = {"stack_name": "s" * 120, "task": {"containers": containers}}
    full_length = len(f"{'s' * 120}: ECS Fargate cluster and task definition 'webapp' ({', '.join(names)}).")
    assert 0.9 * 1024 < full_length <= 1024  # CloudFormation would take it; cfn-lint's I1003 would remark on it
    text = template_text(config)
    description = json.loads(text)["Description"]
    assert "(3 containers)" in description and len(description) <= 900
    assert lint(text) == []


@pytest.mark.parametrize("count", [11, 1000])
def test_more_than_ten_containers_is_one_line(tmp_path, count):
    text = "".join(_container(i, 8) for i in range(count))
    line = one_error_line(_generate(tmp_path, text))
    assert f"task.containers: {count} containers; an ECS task definition holds 1 to 10" in line


def test_ten_containers_are_fine(tmp_path):
    result = _generate(tmp_path, "".join(_container(i, 8) for i in range(10)))
    assert result.returncode == 0, result.stderr
    assert lint(result.stdout) == []


def test_a_template_over_one_megabyte_is_refused_and_nothing_is_written(tmp_path):
    variables = ", ".join(f'V{i} = "{"x" * 1000}"' for i in range(1100))
    target = tmp_path / "out.json"
    result = _generate(
        tmp_path, f'[[task.containers]]\nimage = "nginx:1.27"\nenvironment = {{ {variables} }}\n', "-o", str(target)
    )
    line = one_error_line(result)
    assert "bytes; CloudFormation takes at most 1,048,576 (1 MB)" in line
    assert not target.exists() and result.stdout == ""


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        (
            {"Resources": {f"R{i}": {"Type": "AWS::SNS::Topic"} for i in range(501)}},
            "501 resources; a CloudFormation template holds at most 500",
        ),
        (
            {
                "Resources": {"R": {"Type": "AWS::SNS::Topic"}},
                "Parameters": {f"P{i}": {"Type": "String"} for i in range(201)},
            },
            "201 parameters; a CloudFormation template holds at most 200",
        ),
        (
            {"Resources": {"R": {"Type": "AWS::SNS::Topic"}}, "Outputs": {f"O{i}": {"Value": "x"} for i in range(201)}},
            "201 outputs; a CloudFormation template holds at most 200",
        ),
        (
            {"Resources": {"R" * 256: {"Type": "AWS::SNS::Topic"}}},
            "is 256 characters; CloudFormation allows at most 255",
        ),
    ],
)
def test_limits_of_any_template(template, fragment):
    with pytest.raises(UserError, match=fragment):
        check_template_limits(template, json.dumps(template), "--template t.json")


def test_deploy_refuses_an_oversized_template_file_before_calling_aws(tmp_path):
    template = tmp_path / "t.json"
    template.write_text(json.dumps({"Resources": {f"R{i}": {"Type": "AWS::SNS::Topic"} for i in range(501)}}))
    env = {"PATH": "/usr/bin:/bin", "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    line = one_error_line(run_tool("deploy.py", "--diff", "--template", str(template), env=env))
    assert f"--template {template}: 501 resources" in line


def test_a_task_definition_over_64_kib_is_refused(tmp_path):
    """ECS would refuse it mid-deploy; the template itself (about 80 KB) is within CloudFormation's limits."""
    variables = ", ".join(f'V{i} = "{"x" * 200}"' for i in range(300))
    line = one_error_line(
        _generate(tmp_path, f'[[task.containers]]\nimage = "nginx:1.27"\nenvironment = {{ {variables} }}\n')
    )
    assert "the task definition TaskdefWebapp is" in line and "ECS takes at most 65,536 (64 KiB)" in line

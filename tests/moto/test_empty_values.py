"""An empty value is a mistake (an unset shell variable), never "use the default"."""

from __future__ import annotations

import pytest

from tests.helpers import deploy, one_error_line, run_tool, stack_or_none

STACK = "my-container-infra"


def test_destroy_with_an_empty_stack_name_destroys_nothing(aws_env, aws):
    assert deploy(aws_env, "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--destroy", "--yes", "--stack-name", ""))
    assert line.startswith("error: --stack-name ''") and "empty" in line
    assert stack_or_none(aws("cloudformation"), STACK)["StackStatus"] == "CREATE_COMPLETE"


@pytest.mark.parametrize(
    "option", ["--stack-name", "--config", "--template", "--region", "--profile", "--s3-bucket", "--tag", "--parameter"]
)
@pytest.mark.parametrize("value", ["", "  "])
def test_deploy_refuses_an_empty_option(aws_env, aws, option, value):
    line = one_error_line(deploy(aws_env, "--diff", option, value))
    assert option in line and "empty" in line
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_an_empty_parameter_value_is_refused(aws_env):
    line = one_error_line(deploy(aws_env, "--diff", "--parameter", "TaskCpu="))
    assert "--parameter 'TaskCpu='" in line and "empty value for TaskCpu" in line


@pytest.mark.parametrize("args", [["--config", ""], ["-o", ""], ["--output", " "], ["--config", " "]])
def test_generate_refuses_an_empty_option(args, tmp_path):
    result = run_tool("generate.py", *args, cwd=tmp_path)
    line = one_error_line(result)
    assert "empty" in line and args[0].lstrip("-") in line
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('stack_name = ""', "stack_name"),
        ('[cluster]\nname = " "', "cluster.name"),
        ('[task]\nfamily = ""', "task.family"),
        ('[[task.containers]]\nimage = "nginx"\nname = ""', "task.containers[0].name"),
        ('[[task.containers]]\nimage = ""', "task.containers[0].image"),
        ('[[task.containers]]\nimage = "nginx"\nport = 80\n[service]\ncontainer = ""', "service.container"),
        (
            '[[task.containers]]\nimage = "nginx"\nport = 80\n[service]\n[load_balancer]\ncertificate_arn = ""',
            "load_balancer.certificate_arn",
        ),
        ('[repository]\nname = ""', "repository.name"),
    ],
)
def test_an_empty_config_value_is_refused(tmp_path, toml, key):
    path = tmp_path / "app.toml"
    path.write_text(toml + "\n")
    line = one_error_line(run_tool("generate.py", "--config", str(path)))
    assert f"{key} = " in line and "empty" in line

"""Two deploys of one stack at once: the second sees the first's change set under review and refuses clearly."""

from __future__ import annotations

from tests.helpers import deploy, one_error_line

STACK = "my-container-infra"


def test_a_second_deploy_refuses_while_a_change_set_of_this_tool_is_under_review(aws_env, aws, tmp_path):
    assert deploy(aws_env, "--yes").returncode == 0
    cf = aws("cloudformation")
    body = cf.get_template(StackName=STACK)["TemplateBody"]
    import json

    cf.create_change_set(
        StackName=STACK,
        ChangeSetName="container-infra-20261127-040000-0a1b2c3d",
        TemplateBody=json.dumps(body) if isinstance(body, dict) else body,
        ChangeSetType="UPDATE",
        Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": "TaskMemory", "ParameterValue": "4096"}],  # a change: an unchanged one FAILS
        Description="Created by container-infra deploy.py",
    )
    config = tmp_path / "app.toml"
    config.write_text("[task]\nmemory_mib = 2048\n")
    line = one_error_line(deploy(aws_env, "--yes", "--config", str(config)))
    assert "another deploy.py run has change set container-infra-20261127-040000-0a1b2c3d" in line
    assert "throw it away with `deploy.py --discard container-infra-20261127-040000-0a1b2c3d" in line
    stack = cf.describe_stacks(StackName=STACK)["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["TaskMemory"] == "1024"  # untouched

    preview = deploy(aws_env, "--diff", "--config", str(config))  # a diff changes nothing: it goes on, with a note
    assert preview.returncode == 0, preview.stderr
    assert "Note: another deploy.py run has change set" in preview.stdout

"""The default stack is exactly the chapter's final program, as plain CloudFormation."""

from __future__ import annotations

import pytest

from tests.helpers import generate

ROLE = "TaskdefWebappTaskRole"
TASK = "TaskdefWebapp"
CLUSTER = "MyTestCluster"
IMAGE_PARAM = "ContainerHelloAppRunnerImage"


@pytest.fixture(scope="module")
def template() -> dict:
    return generate()


def test_exactly_three_resources_with_readable_ids(template):
    types = {name: res["Type"] for name, res in template["Resources"].items()}
    assert types == {ROLE: "AWS::IAM::Role", CLUSTER: "AWS::ECS::Cluster", TASK: "AWS::ECS::TaskDefinition"}


def test_task_role_trusts_only_ecs_tasks(template):
    role = template["Resources"][ROLE]["Properties"]
    assert role == {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": "ecs-tasks.amazonaws.com"}}
            ],
        }
    }


def test_cluster_has_no_properties_by_default(template):
    assert "Properties" not in template["Resources"][CLUSTER]


def test_task_definition_matches_the_chapter(template):
    props = template["Resources"][TASK]["Properties"]
    assert props["Cpu"] == {"Ref": "TaskCpu"}
    assert props["Memory"] == {"Ref": "TaskMemory"}
    assert template["Parameters"]["TaskCpu"]["Default"] == "512"
    assert template["Parameters"]["TaskMemory"]["Default"] == "1024"
    assert props["Family"] == "webapp"
    assert props["NetworkMode"] == "awsvpc"
    assert props["RequiresCompatibilities"] == ["FARGATE"]
    assert props["TaskRoleArn"] == {"Fn::GetAtt": [ROLE, "Arn"]}
    assert props["ContainerDefinitions"] == [
        {"Name": "container-hello-app-runner", "Image": {"Ref": IMAGE_PARAM}, "Essential": True}
    ]
    assert template["Parameters"][IMAGE_PARAM]["Default"] == "public.ecr.aws/aws-containers/hello-app-runner:latest"


def test_console_ready_parameters(template):
    params = template["Parameters"]
    assert set(params) == {"TaskCpu", "TaskMemory", IMAGE_PARAM}
    assert all(p.get("Description") for p in params.values())
    assert params["TaskCpu"]["AllowedValues"] == ["256", "512", "1024", "2048", "4096", "8192", "16384"]
    memory = [int(m) for m in params["TaskMemory"]["AllowedValues"]]
    assert memory[0] == 512 and memory[-1] == 122880
    assert {3072, 20480, 30720, 36864, 40960, 114688} <= set(memory)
    assert 31744 not in memory  # 4096 stops at 30720, 8192 steps by 4096


def test_description_and_no_cdk_bootstrap(template):
    assert template["Description"]
    assert "BootstrapVersion" not in template.get("Parameters", {})
    assert "CDKMetadata" not in template["Resources"]
    assert "Rules" in template and all("CheckBootstrapVersion" != name for name in template["Rules"])


def test_interface_metadata_groups_and_labels_every_parameter(template):
    interface = template["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    assert sorted(grouped) == sorted(template["Parameters"])
    assert set(interface["ParameterLabels"]) == set(template["Parameters"])


def test_outputs(template):
    outputs = template["Outputs"]
    assert outputs["ClusterName"]["Value"] == {"Ref": CLUSTER}
    assert outputs["TaskDefinitionArn"]["Value"] == {"Ref": TASK}
    assert outputs["TaskRoleArn"]["Value"] == {"Fn::GetAtt": [ROLE, "Arn"]}

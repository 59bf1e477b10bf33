"""A service without a load balancer deployed to moto's server: create, update, switch to a load balancer and back
(the way back stops at the replacement guard: it removes the load balancer), and what --status says of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import deploy

CONFIG = """
stack_name = "jobs"
[task]
family = "jobs"
[[task.containers]]
name = "api"
image = "public.ecr.aws/nginx/nginx:1.27"
port = 8080
[service]
desired_count = 2
{service}
"""
BALANCER_TYPES = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
}


@pytest.fixture
def peer(aws) -> str:
    """The security group of whatever calls the backend: it must exist before the backend's rule names it."""
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    return ec2.create_security_group(GroupName="callers", Description="callers", VpcId=vpc)["GroupId"]


def write(tmp_path: Path, service: str) -> str:
    config = tmp_path / "jobs.toml"
    config.write_text(CONFIG.format(service=service))
    return str(config)


def backend(peer: str) -> str:
    return f'load_balancer = false\ningress_from = ["{peer}"]'


def outputs(aws) -> dict[str, str]:
    stack = aws("cloudformation").describe_stacks(StackName="jobs")["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def service_of(aws) -> dict:
    """The one service: looked up, not read from the outputs (moto makes a new cluster on each update)."""
    ecs = aws("ecs")
    found = [
        service
        for cluster in ecs.list_clusters()["clusterArns"]
        for arns in [ecs.list_services(cluster=cluster)["serviceArns"]]
        if arns
        for service in ecs.describe_services(cluster=cluster, services=arns)["services"]
        if service["status"] == "ACTIVE"
    ]
    (service,) = found
    return service


def stack_types(aws) -> set[str]:
    resources = aws("cloudformation").list_stack_resources(StackName="jobs")["StackResourceSummaries"]
    return {r["ResourceType"] for r in resources}


def backend_group(aws) -> dict:
    resources = aws("cloudformation").list_stack_resources(StackName="jobs")["StackResourceSummaries"]
    (group_id,) = [r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "JobsBackendSecurityGroup"]
    (group,) = aws("ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    return group


@pytest.fixture
def running(monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")


def test_create_and_update_a_backend_service(aws_env, aws, tmp_path, peer, running, monkeypatch):
    created = deploy(aws_env, "--config", write(tmp_path, backend(peer)), "--yes")
    assert created.returncode == 0, created.stderr
    assert not stack_types(aws) & BALANCER_TYPES
    assert "ServiceUrl" not in outputs(aws)
    service = service_of(aws)
    assert (service["desiredCount"], service["loadBalancers"]) == (2, [])
    (rule,) = backend_group(aws)["IpPermissions"]
    assert (rule["FromPort"], [p["GroupId"] for p in rule["UserIdGroupPairs"]], rule["IpRanges"]) == (8080, [peer], [])

    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "3")  # the three tasks asked for run
    image = "public.ecr.aws/nginx/nginx:1.28"
    updated = deploy(
        aws_env,
        "--config",
        write(tmp_path, backend(peer)),
        "--parameter",
        "DesiredCount=3",
        "--parameter",
        f"ApiImage={image}",
        "--yes",
    )
    assert updated.returncode == 0, updated.stderr
    service = service_of(aws)
    assert (service["desiredCount"], service["loadBalancers"]) == (3, [])
    stack = aws("cloudformation").describe_stacks(StackName="jobs")["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["ApiImage"] == image
    assert outputs(aws)["TaskDefinitionArn"].endswith(":2")  # a new revision for the new image


def test_switch_to_a_load_balancer_and_back(aws_env, aws, tmp_path, peer, running):
    assert deploy(aws_env, "--config", write(tmp_path, backend(peer)), "--yes").returncode == 0

    to_balancer = deploy(aws_env, "--config", write(tmp_path, ""), "--yes")
    assert to_balancer.returncode == 0, to_balancer.stderr
    # LoadBalancers is not create-only on AWS::ECS::Service: the service is updated, not replaced, and the diff
    # says so; the service is then behind the target group.
    assert "[~] AWS::ECS::Service JobsService" in to_balancer.stdout and "REPLACED" not in to_balancer.stdout
    (target,) = service_of(aws)["loadBalancers"]
    assert (target["containerName"], target["containerPort"]) == ("api", 8080)
    assert BALANCER_TYPES <= stack_types(aws)
    assert "ServiceUrl" in outputs(aws)

    # Back: the load balancer, its listener and target group leave the stack; the guard says so and stops.
    stopped = deploy(aws_env, "--config", write(tmp_path, backend(peer)), "--yes")
    assert stopped.returncode == 2
    assert "replaces or removes" in stopped.stderr and "JobsLoadBalancer" in stopped.stderr
    assert BALANCER_TYPES <= stack_types(aws), "nothing was changed"

    back = deploy(aws_env, "--config", write(tmp_path, backend(peer)), "--yes", "--allow-replacement")
    assert back.returncode == 0, back.stderr
    assert "[~] AWS::ECS::Service JobsService" in back.stdout and "REPLACED" not in back.stdout
    assert service_of(aws)["loadBalancers"] == []
    assert not stack_types(aws) & BALANCER_TYPES
    assert "ServiceUrl" not in outputs(aws)


def test_status_of_a_backend_service(aws_env, aws, tmp_path, peer, running):
    config = write(tmp_path, backend(peer))
    assert deploy(aws_env, "--config", config, "--yes").returncode == 0
    status = deploy(aws_env, "--config", config, "--status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "✓ healthy" in status.stdout
    assert "No load balancer" in status.stdout
    assert "URL:" not in status.stdout and "Load balancer targets" not in status.stdout
    data = json.loads(deploy(aws_env, "--config", config, "--status", "--json").stdout)
    assert data["healthy"] is True and data["targetGroups"] == [] and data["url"] in (None, "")
    (service,) = data["services"]
    assert (service["desired"], service["running"]) == (2, 2)

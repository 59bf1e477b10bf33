"""The forecast against moto's server: what the account would refuse, said before anything is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, deploy, generate, one_error_line, stack_or_none

WEB = str(ROOT / "examples" / "web-service.toml")
HTTPS = str(ROOT / "examples" / "web-service-https.toml")
NAMED_REPOSITORY = """\
Resources:
  Images:
    Type: AWS::ECR::Repository
    DeletionPolicy: Retain
    Properties:
      RepositoryName: kept-images
"""


def _stack_names(aws) -> list[str]:
    return [
        s["StackName"]
        for s in aws("cloudformation").list_stacks()["StackSummaries"]
        if s["StackStatus"] != "DELETE_COMPLETE"
    ]


def test_a_named_resource_kept_by_an_earlier_stack_stops_the_deploy(aws_env, aws, tmp_path):
    template = tmp_path / "repo.yaml"
    template.write_text(NAMED_REPOSITORY)
    aws("ecr").create_repository(repositoryName="kept-images")  # what a destroyed stack's DeletionPolicy Retain left
    result = deploy(aws_env, "--yes", "--template", str(template), "--stack-name", "images")
    line = one_error_line(result)
    assert "forecast found 1 problem" in line and "nothing was changed" in line
    assert (
        "AWS::ECR::Repository Images: a resource named 'kept-images' already exists outside this stack" in result.stdout
    )
    assert _stack_names(aws) == []  # not even a change set was made


def test_the_stacks_own_named_resource_is_not_a_problem(aws_env, aws, tmp_path):
    template = tmp_path / "repo.yaml"
    template.write_text(NAMED_REPOSITORY)
    assert deploy(aws_env, "--yes", "--template", str(template), "--stack-name", "images").returncode == 0
    changed = tmp_path / "repo2.yaml"
    changed.write_text(NAMED_REPOSITORY + "      ImageTagMutability: IMMUTABLE\n")
    result = deploy(aws_env, "--diff", "--template", str(changed), "--stack-name", "images")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Forecast" not in result.stdout


def test_a_missing_certificate_is_named_and_diff_exits_2(aws_env, aws):
    result = deploy(aws_env, "--diff", "--config", HTTPS)
    line = one_error_line(result)
    assert "forecast found 1 problem" in line
    assert (
        "does not exist in eu-west-1: set [load_balancer] certificate_arn to an ISSUED ACM certificate" in result.stdout
    )
    assert "Resources" in result.stdout  # --diff still shows the diff
    assert stack_or_none(aws("cloudformation"), "webapp-https") is None


def test_a_certificate_that_is_not_issued_or_in_another_region(aws_env, aws, tmp_path):
    pending = aws("acm").request_certificate(DomainName="app.example.com", ValidationMethod="DNS")["CertificateArn"]
    elsewhere = pending.replace(":eu-west-1:", ":us-east-1:")
    for arn, expected in (
        (pending, "not ISSUED"),
        (elsewhere, "is in us-east-1; a load balancer in eu-west-1 needs one from eu-west-1"),
    ):
        config = tmp_path / "https.toml"
        config.write_text(
            Path(HTTPS)
            .read_text()
            .replace(
                "certificate_arn = "
                '"arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"',
                f'certificate_arn = "{arn}"',
            )
        )
        result = deploy(aws_env, "--diff", "--config", str(config))
        one_error_line(result)
        assert expected in result.stdout, result.stdout


def test_load_balancer_subnets_in_one_zone(aws_env, aws):
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    zone = "eu-west-1a"
    first = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.200.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
    second = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.201.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
    result = deploy(aws_env, "--yes", "--config", WEB, "--parameter", f"LoadBalancerSubnets={first},{second}")
    one_error_line(result)
    assert (
        f"its subnets {first}, {second} are all in {zone}; an Application Load Balancer needs two Availability Zones"
        in result.stdout
    )
    assert _stack_names(aws) == []


@pytest.mark.parametrize(
    "reference, shown",
    [
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v9", "image app:v9 is not in ECR"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + "a" * 64, "image app@sha256:aaaa"),
    ],
)
def test_an_ecr_image_that_is_not_there(aws_env, aws, reference, shown):
    aws("ecr").create_repository(repositoryName="app")
    result = deploy(aws_env, "--yes", "--parameter", f"ContainerHelloAppRunnerImage={reference}")
    one_error_line(result)
    assert shown in result.stdout and "CannotPullContainerError" in result.stdout


def test_an_ecr_image_that_is_there_passes(aws_env, aws):
    aws("ecr").create_repository(repositoryName="app")
    manifest = (
        '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": '
        '{"mediaType": '
        '"application/vnd.docker.container.image.v1+json", "size": 1, "digest": "sha256:'
        + "b" * 64
        + '"}, "layers": []}'
    )
    aws("ecr").put_image(repositoryName="app", imageTag="v1", imageManifest=manifest)
    result = deploy(
        aws_env,
        "--diff",
        "--parameter",
        "ContainerHelloAppRunnerImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Forecast" not in result.stdout


def test_a_health_check_that_cannot_reach_the_container_port():
    """Template-only: the forecast reads the service, its task definition and its target group."""
    from container_infra.cfn.forecast import Forecastable

    template = generate("--config", WEB)
    assert Forecastable(template, {}).unreachable_ports() == []
    template["Resources"]["WebappTargetGroup"]["Properties"]["HealthCheckPort"] = "9000"
    (finding,) = Forecastable(template, {}).unreachable_ports()
    assert "probes port 9000, not the container port 8000" in finding.text
    template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"][0]["PortMappings"][0][
        "ContainerPort"
    ] = 3000
    (finding,) = Forecastable(template, {}).unreachable_ports()
    assert "web:8000, but web maps only 3000" in finding.text


def test_a_check_this_identity_may_not_make_is_a_note_not_a_stop():
    """Stubber (moto grants everything): ACM answers AccessDenied; the forecast says it could not check, and goes on."""
    from botocore.stub import Stubber

    from container_infra.steps.forecast import Forecast
    from tests.fakes import stubs

    template = generate("--config", HTTPS)
    acm, ec2 = stubs.client("acm"), stubs.client("ec2")
    with Stubber(acm) as acm_stub, Stubber(ec2) as ec2_stub:
        acm_stub.add_client_error(
            "describe_certificate", service_error_code="AccessDeniedException", http_status_code=400
        )
        for subnet, zone in (("subnet-a", "eu-west-1a"), ("subnet-b", "eu-west-1b")):
            ec2_stub.add_response("describe_subnets", {"Subnets": [{"SubnetId": subnet, "AvailabilityZone": zone}]})
        findings = Forecast(
            stubs.stub_aws(acm=acm, ec2=ec2),
            template,
            {"Subnets": ["subnet-a", "subnet-b"], "LoadBalancerSubnets": ["subnet-a", "subnet-b"]},
            set,
        ).run()
    assert [(f.level, f.text) for f in findings] == [
        ("note", "could not check (AccessDeniedException on DescribeCertificate); CloudFormation will tell")
    ]

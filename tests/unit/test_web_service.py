"""The web service of the chapter's goal list: every property, reachability, least privilege, retention."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import ROOT, generate

WEB = str(ROOT / "examples" / "web-service.toml")
HTTPS = str(ROOT / "examples" / "web-service-https.toml")


@pytest.fixture(scope="module")
def web() -> dict[str, Any]:
    return generate("--config", WEB)


@pytest.fixture(scope="module")
def https() -> dict[str, Any]:
    return generate("--config", HTTPS)


def _of_type(template: dict, kind: str) -> dict[str, dict]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == kind}


def _one(template: dict, kind: str) -> tuple[str, dict]:
    (found,) = _of_type(template, kind).items()
    return found[0], found[1].get("Properties", {})


def test_resources_of_the_web_service(web):
    kinds = sorted(r["Type"] for r in web["Resources"].values())
    assert kinds == sorted(
        [
            "AWS::ECS::Cluster",
            "AWS::ECS::TaskDefinition",
            "AWS::IAM::Role",
            "AWS::IAM::Role",
            "AWS::ECS::Service",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::Logs::LogGroup",
            "AWS::KMS::Key",
            "AWS::ECR::Repository",
            "AWS::S3::Bucket",
            "AWS::S3::BucketPolicy",
        ]
    )


def test_service(web):
    listener_id, _ = _one(web, "AWS::ElasticLoadBalancingV2::Listener")
    service_id, service = _one(web, "AWS::ECS::Service")
    assert web["Resources"][service_id]["DependsOn"] == [listener_id]
    assert service["LaunchType"] == "FARGATE"
    assert service["DesiredCount"] == {"Ref": "DesiredCount"} and web["Parameters"]["DesiredCount"]["Default"] == 2
    deployment = service["DeploymentConfiguration"]
    assert deployment["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert (deployment["MinimumHealthyPercent"], deployment["MaximumPercent"]) == (100, 200)
    assert service["HealthCheckGracePeriodSeconds"] == 60
    assert service["PropagateTags"] == "SERVICE" and service["EnableECSManagedTags"] is True
    network = service["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "ENABLED" and network["Subnets"] == {"Ref": "TaskSubnets"}
    assert network["SecurityGroups"] == [{"Ref": "WebappServiceSecurityGroup"}]
    assert service["LoadBalancers"] == [
        {"ContainerName": "web", "ContainerPort": 8000, "TargetGroupArn": {"Ref": "WebappTargetGroup"}}
    ]
    assert service["EnableExecuteCommand"] is False


def test_load_balancer_target_group_and_http_listener(web):
    lb_id, lb = _one(web, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert lb["Scheme"] == "internet-facing" and lb["Type"] == "application"
    assert lb["Subnets"] == {"Ref": "LoadBalancerSubnets"} and lb["SecurityGroups"] == [
        {"Ref": "WebappLoadBalancerSecurityGroup"}
    ]
    attributes = {a["Key"]: a["Value"] for a in lb["LoadBalancerAttributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true" and attributes["access_logs.s3.bucket"] == {
        "Ref": "WebappAccessLogBucket"
    }
    _, group = _one(web, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert (group["TargetType"], group["Port"], group["Protocol"], group["HealthCheckPath"]) == (
        "ip",
        8000,
        "HTTP",
        "/",
    )
    assert group["VpcId"] == {"Ref": "VpcId"}
    delay = {a["Key"]: a["Value"] for a in group["TargetGroupAttributes"]}["deregistration_delay.timeout_seconds"]
    assert int(delay) <= 60
    _, listener = _one(web, "AWS::ElasticLoadBalancingV2::Listener")
    assert (listener["Port"], listener["Protocol"]) == (80, "HTTP")
    assert listener["LoadBalancerArn"] == {"Ref": lb_id}
    assert listener["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": "WebappTargetGroup"}}]


def test_https_listener_and_redirect(https):
    listeners = {
        r["Properties"]["Protocol"]: r["Properties"]
        for r in _of_type(https, "AWS::ElasticLoadBalancingV2::Listener").values()
    }
    assert listeners["HTTPS"]["Port"] == 443
    assert listeners["HTTPS"]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listeners["HTTPS"]["Certificates"][0]["CertificateArn"].startswith("arn:aws:acm:")
    assert listeners["HTTP"]["Port"] == 80
    assert listeners["HTTP"]["DefaultActions"] == [
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    ]
    assert https["Outputs"]["ServiceUrl"]["Value"] == "https://app.example.com"
    service_id, _ = _one(https, "AWS::ECS::Service")
    assert sorted(https["Resources"][service_id]["DependsOn"]) == [
        "WebappHttpsHttpListener",
        "WebappHttpsHttpsListener",
    ]


def reachable_container_ports(template: dict) -> set[tuple[str, int]]:
    """(peer, port) pairs from which the service's tasks can be reached, peers being CIDRs or security groups."""
    _, service = _one(template, "AWS::ECS::Service")
    task_groups = {g["Ref"] for g in service["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"]}
    reach = set()
    for lid, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        rules: list[tuple[str, dict]] = []
        if resource["Type"] == "AWS::EC2::SecurityGroup":
            rules = [(lid, rule) for rule in props.get("SecurityGroupIngress", [])]
        elif resource["Type"] == "AWS::EC2::SecurityGroupIngress":
            rules = [(props["GroupId"]["Fn::GetAtt"][0], props)]
        for group, rule in rules:
            if group in task_groups:
                peer = rule.get("CidrIp") or rule.get("CidrIpv6") or rule["SourceSecurityGroupId"]["Fn::GetAtt"][0]
                for port in range(rule.get("FromPort", 0), rule.get("ToPort", 65535) + 1):
                    reach.add((peer, port))
    return reach


def test_the_container_is_reachable_only_from_the_load_balancer(web):
    assert reachable_container_ports(web) == {("WebappLoadBalancerSecurityGroup", 8000)}
    balancer = web["Resources"]["WebappLoadBalancerSecurityGroup"]["Properties"]
    assert [(r["CidrIp"], r["FromPort"], r["ToPort"]) for r in balancer["SecurityGroupIngress"]] == [
        ("0.0.0.0/0", 80, 80)
    ]
    assert [(r["DestinationSecurityGroupId"], r["FromPort"]) for r in balancer["SecurityGroupEgress"]] == [
        ({"Fn::GetAtt": ["WebappServiceSecurityGroup", "GroupId"]}, 8000)
    ]
    for resource in web["Resources"].values():
        if resource["Type"].startswith("AWS::EC2::SecurityGroup"):
            props = resource["Properties"]
            rules = (
                props.get("SecurityGroupIngress", []) + props.get("SecurityGroupEgress", [])
                if resource["Type"] == "AWS::EC2::SecurityGroup"
                else [props]
            )
            assert all(rule.get("Description") for rule in rules)


def test_the_reachability_check_sees_an_open_container_port(web):
    opened = json.loads(json.dumps(web))
    opened["Resources"]["WebappServiceSecurityGroup"]["Properties"]["SecurityGroupIngress"] = [
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "CidrIp": "0.0.0.0/0", "Description": "oops"}
    ]
    assert ("0.0.0.0/0", 8000) in reachable_container_ports(opened)


def _role_statements(template: dict, role_id: str) -> list[dict]:
    role = template["Resources"][role_id]["Properties"]
    return [s for policy in role.get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]


def test_execution_role_is_least_privilege(web):
    statements = {s["Sid"]: s for s in _role_statements(web, "TaskdefWebappExecutionRole")}
    assert set(statements) == {"WriteToTheLogGroup", "PullFromTheRepository", "LogInToEcr"}
    assert statements["WriteToTheLogGroup"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statements["WriteToTheLogGroup"]["Resource"] == [{"Fn::GetAtt": ["WebappLogGroup", "Arn"]}]
    assert sorted(statements["PullFromTheRepository"]["Action"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
    assert statements["PullFromTheRepository"]["Resource"] == [{"Fn::GetAtt": ["WebappRepository", "Arn"]}]
    assert statements["LogInToEcr"] == {
        "Sid": "LogInToEcr",
        "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken"],
        "Resource": ["*"],
    }
    task = web["Resources"]["TaskdefWebapp"]["Properties"]
    assert task["ExecutionRoleArn"] == {"Fn::GetAtt": ["TaskdefWebappExecutionRole", "Arn"]}


def test_task_role_has_no_permissions_unless_ecs_exec(web, https):
    assert "Policies" not in web["Resources"]["TaskdefWebappTaskRole"]["Properties"]
    statement = _role_statements(https, "TaskdefWebappHttpsTaskRole")[
        0
    ]  # the rest: session logs (tests/test_ecs_exec.py)
    assert statement["Resource"] == ["*"] and all(a.startswith("ssmmessages:") for a in statement["Action"])
    service_id, service = _one(https, "AWS::ECS::Service")
    assert service["EnableExecuteCommand"] is True


def test_no_repository_no_ecr_permissions(https):
    statements = _role_statements(https, "TaskdefWebappHttpsExecutionRole")
    assert [s["Sid"] for s in statements] == ["WriteToTheLogGroup"]
    assert "RepositoryUri" not in https["Outputs"]


@pytest.mark.parametrize("kind", ["AWS::Logs::LogGroup", "AWS::ECR::Repository", "AWS::KMS::Key", "AWS::S3::Bucket"])
def test_stateful_resources_are_retained(web, kind):
    for resource in _of_type(web, kind).values():
        assert resource["DeletionPolicy"] == "Retain" and resource["UpdateReplacePolicy"] == "Retain"


def test_logs(web):
    _, group = _one(web, "AWS::Logs::LogGroup")
    assert group["RetentionInDays"] == 30 and group["KmsKeyId"] == {"Fn::GetAtt": ["WebappLogKey", "Arn"]}
    _, key = _one(web, "AWS::KMS::Key")
    assert key["EnableKeyRotation"] is True
    (container,) = web["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"]
    options = container["LogConfiguration"]["Options"]
    assert container["LogConfiguration"]["LogDriver"] == "awslogs"
    assert options["awslogs-group"] == {"Ref": "WebappLogGroup"} and options["awslogs-region"] == {"Ref": "AWS::Region"}


def test_repository(web):
    _, repository = _one(web, "AWS::ECR::Repository")
    assert "RepositoryName" not in repository  # CloudFormation names it (tests/test_registry.py)
    assert repository["ImageScanningConfiguration"] == {"ScanOnPush": True}
    rule = json.loads(repository["LifecyclePolicy"]["LifecyclePolicyText"])["rules"][0]
    assert rule["selection"]["countType"] == "imageCountMoreThan" and rule["selection"]["countNumber"] == 20
    assert rule["action"] == {"type": "expire"}


def test_autoscaling_and_insights(https, web):
    _, target = _one(https, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"], target["ScalableDimension"]) == (
        2,
        6,
        "ecs:service:DesiredCount",
    )
    _, policy = _one(https, "AWS::ApplicationAutoScaling::ScalingPolicy")
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["TargetValue"] == 60.0
    assert tracking["PredefinedMetricSpecification"]["PredefinedMetricType"] == "ECSServiceAverageCPUUtilization"
    assert not _of_type(web, "AWS::ApplicationAutoScaling::ScalableTarget")
    _, cluster = _one(web, "AWS::ECS::Cluster")
    assert cluster["ClusterSettings"] == [{"Name": "containerInsights", "Value": "enabled"}]


def test_parameters_and_outputs(web):
    params = web["Parameters"]
    assert params["VpcId"]["Type"] == "AWS::EC2::VPC::Id"
    assert params["LoadBalancerSubnets"]["Type"] == params["TaskSubnets"]["Type"] == "List<AWS::EC2::Subnet::Id>"
    assert params["DesiredCount"]["Type"] == "Number"
    interface = web["Metadata"]["AWS::CloudFormation::Interface"]
    assert sorted(p for g in interface["ParameterGroups"] for p in g["Parameters"]) == sorted(params)
    assert set(interface["ParameterLabels"]) == set(params)
    outputs = web["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == {"Fn::Sub": "http://${WebappLoadBalancer.DNSName}"}
    assert outputs["ServiceName"]["Value"] == {"Fn::GetAtt": ["WebappService", "Name"]}
    assert outputs["LogGroupName"]["Value"] == {"Ref": "WebappLogGroup"}
    assert outputs["RepositoryUri"]["Value"] == {"Fn::GetAtt": ["WebappRepository", "RepositoryUri"]}


def test_logging_alone_adds_logs_but_no_service(tmp_path):
    config = tmp_path / "logs.toml"
    config.write_text("[logging]\nretention_days = 7\nkms_key = false\n")
    template = generate("--config", str(config))
    kinds = sorted(r["Type"] for r in template["Resources"].values())
    assert kinds == [
        "AWS::ECS::Cluster",
        "AWS::ECS::TaskDefinition",
        "AWS::IAM::Role",
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
    ]
    assert "KmsKeyId" not in _one(template, "AWS::Logs::LogGroup")[1]

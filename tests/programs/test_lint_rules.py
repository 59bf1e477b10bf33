"""The project's cfn-lint rules (lint_rules/): each fires on a small bad template and not on its good counterpart,
and no template the generator makes, over a matrix of configs in JSON and YAML, has a finding with them on.

The examples themselves are linted with these rules by tests/programs/test_lint.py (helpers.lint runs lint_rules/).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

import pytest

from tests.helpers import LINT_SETTINGS, lint
from tests.render import WEB_CONTAINER, template_text

PROJECT_RULES = {"E9001", "W9002", "W9003", "W9004", "E9005", "W9006", "W9007", "W9008", "W9009"}


@lru_cache(maxsize=1)
def _runner() -> Any:
    """One cfn-lint runner with helpers.lint's settings: loading cfn-lint's rules takes a second, linting a template
    less."""
    from cfnlint.api import ManualArgs
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(**ManualArgs(**LINT_SETTINGS)))


def findings(template: dict[str, Any] | str) -> list[Any]:
    from cfnlint.decode.decode import decode_str

    decoded, errors = decode_str(template if isinstance(template, str) else json.dumps(template))
    assert not errors, errors
    return list(_runner().validate_template(decoded))


def fired(template: dict[str, Any], rule: str) -> list[str]:
    """Where `rule` fired: the path of each finding, '/'-joined."""
    return sorted("/".join(map(str, match.path)) for match in findings(template) if match.rule.id == rule)


def test_the_fast_runner_finds_what_helpers_lint_finds():
    template = sg_template("it's")
    assert sorted(str(m) for m in findings(template)) == sorted(lint(json.dumps(template)))
    assert any(
        line.startswith("[E9001") for line in lint(json.dumps(template))
    )  # every lint test runs the project rules


# E9001: security-group rule descriptions ----------------------------------------------------------------------------


def sg_template(
    inline: str, egress: str = "To the tasks only", ingress: str = "From the load balancer"
) -> dict[str, Any]:
    rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Group": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "web",
                    "VpcId": "vpc-0123456789abcdef0",
                    "SecurityGroupIngress": [{**rule, "CidrIp": "0.0.0.0/0", "Description": inline}],
                    "SecurityGroupEgress": [{**rule, "CidrIp": "10.0.0.0/16", "Description": egress}],
                },
            },
            "In": {
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {
                    **rule,
                    "GroupId": {"Fn::GetAtt": ["Group", "GroupId"]},
                    "SourceSecurityGroupId": {"Fn::GetAtt": ["Group", "GroupId"]},
                    "Description": ingress,
                },
            },
        },
    }


def test_e9001_fires_on_characters_and_lengths_ec2_refuses():
    bad = sg_template("HTTPS from the tasks' friends", egress="x" * 256, ingress="Caf\u00e9 <b>")
    assert fired(bad, "E9001") == [
        "Resources/Group/Properties/SecurityGroupEgress/0/Description",
        "Resources/Group/Properties/SecurityGroupIngress/0/Description",
        "Resources/In/Properties/Description",
    ]


def test_e9001_passes_every_allowed_character():
    good = sg_template("HTTPS (443) from 0.0.0.0/0: #1, @web [a] {b} +=&; !$* _-", egress="x" * 255)
    assert findings(good) == []


# W9002: retained resources with fixed names ---------------------------------------------------------------------------


def retained(named: bool, policy: str = "Retain") -> dict[str, Any]:
    def resource(kind: str, key: str, value: Any, properties: dict[str, Any] | None = None) -> dict[str, Any]:
        props = {**(properties or {}), **({key: value} if named else {})}
        return {
            "Type": kind,
            "DeletionPolicy": policy,
            "UpdateReplacePolicy": "Retain",
            **({"Properties": props} if props else {}),
        }

    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Repository": resource("AWS::ECR::Repository", "RepositoryName", "webapp"),
            "Logs": resource(
                "AWS::Logs::LogGroup", "LogGroupName", {"Fn::Sub": "/app/${AWS::StackName}"}, {"RetentionInDays": 7}
            ),
            "Bucket": resource("AWS::S3::Bucket", "BucketName", "my-app-logs-bucket"),
        },
    }


@pytest.mark.parametrize("policy", ["Retain", "RetainExceptOnCreate"])
def test_w9002_fires_on_a_fixed_name_that_outlives_the_stack(policy):
    assert fired(retained(named=True, policy=policy), "W9002") == [
        "Resources/Bucket/Properties/BucketName",
        "Resources/Logs/Properties/LogGroupName",
        "Resources/Repository/Properties/RepositoryName",
    ]


def test_w9002_passes_unnamed_retained_resources_and_named_deleted_ones():
    assert fired(retained(named=False), "W9002") == []
    assert fired(retained(named=True, policy="Delete"), "W9002") == []


# ECS services: W9003 (DesiredCount under autoscaling), W9004 (ECS Exec permissions) ----------------------------------

CHANNELS = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
]
SESSION_LOGS = ["logs:DescribeLogGroups", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]


def ecs_template(
    *,
    desired_count: bool = False,
    scaled: bool = False,
    execute: bool = False,
    actions: list[str] | None = None,
    cluster_logging: dict[str, Any] | None = None,
    awslogs: bool = False,
) -> dict[str, Any]:
    """A Fargate service, its task definition (and task role), cluster and log group; optional scaler and ECS Exec."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role: dict[str, Any] = {"AssumeRolePolicyDocument": trust}
    if actions:
        role["Policies"] = [
            {
                "PolicyName": "exec",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
                },
            }
        ]
    container: dict[str, Any] = {"Name": "web", "Image": "nginx:1.27", "Essential": True}
    if awslogs:
        container["LogConfiguration"] = {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": {"Ref": "Logs"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "web",
            },
        }
    cluster: dict[str, Any] = {"Type": "AWS::ECS::Cluster"}
    if cluster_logging is not None:
        cluster["Properties"] = {"Configuration": {"ExecuteCommandConfiguration": cluster_logging}}
    service: dict[str, Any] = {
        "Cluster": {"Ref": "Cluster"},
        "TaskDefinition": {"Ref": "Task"},
        "LaunchType": "FARGATE",
        "EnableExecuteCommand": execute,
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {"Subnets": ["subnet-0123456789abcdef0"], "AssignPublicIp": "DISABLED"}
        },
    }
    if desired_count:
        service["DesiredCount"] = 2
    resources: dict[str, Any] = {
        "Role": {"Type": "AWS::IAM::Role", "Properties": role},
        "Logs": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"RetentionInDays": 7},
        },
        "Cluster": cluster,
        "Task": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "Family": "web",
                "Cpu": "256",
                "Memory": "512",
                "NetworkMode": "awsvpc",
                "RequiresCompatibilities": ["FARGATE"],
                "TaskRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                "ContainerDefinitions": [container],
            },
        },
        "Service": {"Type": "AWS::ECS::Service", "Properties": service},
    }
    if awslogs:
        resources["Task"]["Properties"]["ExecutionRoleArn"] = {"Fn::GetAtt": ["Role", "Arn"]}
    if scaled:
        resources["Target"] = {
            "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
            "Properties": {
                "ServiceNamespace": "ecs",
                "ScalableDimension": "ecs:service:DesiredCount",
                "MinCapacity": 1,
                "MaxCapacity": 4,
                "ResourceId": {"Fn::Join": ["/", ["service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Service", "Name"]}]]},
            },
        }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def test_w9003_fires_on_desired_count_of_a_scaled_service():
    assert fired(ecs_template(desired_count=True, scaled=True), "W9003") == [
        "Resources/Service/Properties/DesiredCount"
    ]


def test_w9003_fires_when_the_target_names_the_service_literally():
    template = ecs_template(desired_count=True, scaled=True)
    template["Resources"]["Service"]["Properties"]["ServiceName"] = "web"
    template["Resources"]["Target"]["Properties"]["ResourceId"] = "service/shop/web"
    assert fired(template, "W9003") == ["Resources/Service/Properties/DesiredCount"]


def test_w9003_passes_a_scaled_service_without_desired_count_and_an_unscaled_one_with_it():
    assert findings(ecs_template(scaled=True)) == []
    assert findings(ecs_template(desired_count=True)) == []


OVERRIDE = {"Logging": "OVERRIDE", "LogConfiguration": {"CloudWatchLogGroupName": {"Ref": "Logs"}}}


@pytest.mark.parametrize(
    ("case", "missing"),
    [
        (dict(actions=None), CHANNELS),  # a task role with no permissions
        (dict(actions=CHANNELS, cluster_logging=OVERRIDE), SESSION_LOGS),  # sessions logged to a group, no logs actions
        (dict(actions=CHANNELS, awslogs=True), SESSION_LOGS),  # DEFAULT logging goes to the container's awslogs group
        (dict(actions=["ssmmessages:Open*"], cluster_logging={"Logging": "NONE"}), CHANNELS[:2]),
    ],
    ids=["no-permissions", "override-without-logs", "default-awslogs-without-logs", "half-the-channels"],
)
def test_w9004_fires_when_the_task_role_lacks_what_ecs_exec_uses(case, missing):
    template = ecs_template(execute=True, **case)
    matches = [m for m in findings(template) if m.rule.id == "W9004"]
    assert ["/".join(map(str, m.path)) for m in matches] == ["Resources/Service/Properties/EnableExecuteCommand"]
    assert all(action in matches[0].message for action in missing)


@pytest.mark.parametrize(
    "case",
    [
        dict(actions=CHANNELS + SESSION_LOGS, cluster_logging=OVERRIDE),
        dict(actions=["ssmmessages:*", "logs:*"], awslogs=True),
        dict(actions=CHANNELS, cluster_logging={"Logging": "NONE"}, awslogs=True),
        dict(actions=CHANNELS),  # DEFAULT logging, but no container logs with awslogs: nothing to write
    ],
    ids=["exact-actions", "wildcards", "logging-none", "nothing-logged"],
)
def test_w9004_passes_a_task_role_with_what_ecs_exec_uses(case):
    assert fired(ecs_template(execute=True, **case), "W9004") == []


def test_w9004_does_not_judge_a_role_with_policies_from_outside_the_template():
    template = ecs_template(execute=True)
    template["Resources"]["Role"]["Properties"]["ManagedPolicyArns"] = ["arn:aws:iam::123456789012:policy/exec"]
    assert fired(template, "W9004") == []
    assert fired(ecs_template(execute=False), "W9004") == []


# E9005: names longer (or other) than the service allows
# ----------------------------------------------------------------


def named(**names: str) -> dict[str, Any]:
    template = ecs_template()
    resources = template["Resources"]
    resources["Task"]["Properties"]["Family"] = names.get("family", "web")
    resources["Task"]["Properties"]["ContainerDefinitions"][0]["Name"] = names.get("container", "web")
    resources["Service"]["Properties"]["ServiceName"] = names.get("service", "web")
    resources["Cluster"]["Properties"] = {"ClusterName": names.get("cluster", "shop")}
    resources["Service"]["Properties"]["LoadBalancers"] = [
        {"ContainerName": names.get("container", "web"), "ContainerPort": 80, "TargetGroupArn": {"Ref": "Targets"}}
    ]
    resources["Service"]["DependsOn"] = ["Listener"]
    resources["Balancer"] = {
        "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Properties": {
            "Name": names.get("balancer", "web"),
            "Scheme": "internal",
            "Subnets": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        },
    }
    resources["Targets"] = {
        "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
        "Properties": {
            "Name": names.get("targets", "web"),
            "TargetType": "ip",
            "Port": 80,
            "Protocol": "HTTP",
            "VpcId": "vpc-0123456789abcdef0",
        },
    }
    resources["Listener"] = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {
            "LoadBalancerArn": {"Ref": "Balancer"},
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Targets"}}],
        },
    }
    return template


def test_e9005_fires_on_names_the_services_refuse():
    bad = named(
        family="f" * 256,
        container="web.1",
        service="my service",
        cluster="c" * 256,
        balancer="internal-web",
        targets="t" * 33,
    )
    assert fired(bad, "E9005") == [
        "Resources/Balancer/Properties/Name",
        "Resources/Cluster/Properties/ClusterName",
        "Resources/Service/Properties/ServiceName",
        "Resources/Targets/Properties/Name",
        "Resources/Task/Properties/ContainerDefinitions/0/Name",
        "Resources/Task/Properties/Family",
    ]


def certificate(domain: str) -> dict[str, Any]:
    return {
        "Resources": {
            "Cert": {
                "Type": "AWS::CertificateManager::Certificate",
                "Properties": {"DomainName": domain, "ValidationMethod": "DNS"},
            }
        }
    }


def test_e9005_fires_on_a_certificate_domain_acm_refuses():
    """cfn-lint 1.58 lets a 253-character DomainName through; ACM's RequestCertificate takes 64 (the Common Name)."""
    assert fired(certificate("a" * 53 + ".example.com"), "E9005") == ["Resources/Cert/Properties/DomainName"]
    assert fired(certificate("app_1.example.com"), "E9005") == ["Resources/Cert/Properties/DomainName"]


def test_e9005_passes_certificate_domains_at_their_limit():
    assert fired(certificate("a" * 52 + ".example.com"), "E9005") == []
    assert fired(certificate("*.example.com"), "E9005") == []


def test_e9005_passes_names_at_their_limits():
    good = named(
        family="f" * 255,
        container="c_" * 127 + "c",
        service="s-" * 127 + "s",
        cluster="c" * 255,
        balancer="b" * 32,
        targets="a-" * 15 + "ab",
    )
    assert fired(good, "E9005") == []
    assert fired(named(), "E9005") == []


def test_cfn_lint_already_checks_the_names_e9005_leaves_out():
    """Not duplicated: log group names (512), repository names (256) and logical IDs (255) are cfn-lint's own."""
    template = copy.deepcopy(retained(named=False, policy="Delete"))
    template["Resources"]["Logs"]["Properties"]["LogGroupName"] = "g" * 513
    template["Resources"]["Repository"]["Properties"] = {"RepositoryName": "r" * 257}
    template["Resources"]["L" * 256] = {"Type": "AWS::SNS::Topic"}
    ids = {m.rule.id for m in findings(template)}
    assert {"E3033", "E3001"} <= ids and not ids & PROJECT_RULES


# ECS deployments: W9006 (circuit breaker under canary/linear), W9007 (ECS Exec on a read-only root) ------------------


def deployment_template(strategy: str, breaker: bool) -> dict[str, Any]:
    template = ecs_template()
    configuration: dict[str, Any] = {"Strategy": strategy}
    if breaker:
        configuration["DeploymentCircuitBreaker"] = {"Enable": True, "Rollback": True}
    template["Resources"]["Service"]["Properties"]["DeploymentConfiguration"] = configuration
    return template


@pytest.mark.parametrize("strategy", ["CANARY", "LINEAR"])
def test_w9006_fires_on_a_circuit_breaker_under_canary_or_linear(strategy):
    path = "Resources/Service/Properties/DeploymentConfiguration/DeploymentCircuitBreaker"
    assert fired(deployment_template(strategy, breaker=True), "W9006") == [path]
    assert fired(deployment_template(strategy, breaker=False), "W9006") == []


@pytest.mark.parametrize("strategy", ["ROLLING", "BLUE_GREEN"])
def test_w9006_leaves_rolling_and_blue_green_alone(strategy):
    assert fired(deployment_template(strategy, breaker=True), "W9006") == []


@pytest.mark.parametrize(("read_only", "execute", "expected"), [(True, True, 1), (True, False, 0), (False, True, 0)])
def test_w9007_fires_on_exec_with_a_read_only_root(read_only, execute, expected):
    template = ecs_template(execute=execute, actions=CHANNELS)
    template["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0]["ReadonlyRootFilesystem"] = read_only
    assert len(fired(template, "W9007")) == expected


# W9009: a dualstack load balancer in front of blue/green, canary or linear deployments --------------------------------


def shifting_template(strategy: str | None, ip_address_type: str, **load_balancer: Any) -> dict[str, Any]:
    """The generator's web service with that strategy (None: rolling) behind a load balancer of that address type."""
    service = {"deployment": {"strategy": strategy}} if strategy else {}
    config = {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": service,
        "load_balancer": {"ip_address_type": ip_address_type, **load_balancer},
    }
    return json.loads(template_text(config))


@pytest.mark.parametrize("strategy", ["blue_green", "canary", "linear"])
@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_w9009_fires_on_dualstack_in_front_of_traffic_shifting(strategy, https):
    """The ECS guide's "Application Load Balancer resources for blue/green, linear, and canary deployments" lists
    IP address type IPv4 for the load balancer."""
    extra = {"certificate_arn": CERTIFICATE, "domain": "app.example.com"} if https else {}
    template = shifting_template(strategy, "dualstack", **extra)
    assert fired(template, "W9009") == ["Resources/WebappLoadBalancer/Properties/IpAddressType"]
    [finding] = [m for m in findings(template) if m.rule.id == "W9009"]
    assert f"serves WebappService, which deploys by {strategy.upper()}" in finding.message


@pytest.mark.parametrize(("strategy", "ip_address_type"), [(None, "dualstack"), ("blue_green", "ipv4")])
def test_w9009_leaves_rolling_dualstack_and_ipv4_traffic_shifting_alone(strategy, ip_address_type):
    assert fired(shifting_template(strategy, ip_address_type), "W9009") == []


def test_w9009_leaves_a_dualstack_balancer_alone_that_serves_another_service():
    """Only a service behind the dualstack balancer's listeners counts, not one in front of another target group."""
    template = shifting_template("blue_green", "dualstack")
    service = template["Resources"]["WebappService"]["Properties"]
    service["LoadBalancers"][0]["TargetGroupArn"] = {"Ref": "SomeOtherTargetGroup"}
    template["Resources"]["SomeOtherTargetGroup"] = copy.deepcopy(template["Resources"]["WebappTargetGroup"])
    assert fired(template, "W9009") == []


# W9008: a service without a load balancer open to the internet ------------------------------------------------------


def backend_template(
    ingress: dict[str, Any] | None, *, separate: bool = False, balanced: bool = False
) -> dict[str, Any]:
    template = ecs_template()
    group: dict[str, Any] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": "tasks", "VpcId": "vpc-12345678"},
    }
    rule = {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, **(ingress or {})}
    if ingress is not None and not separate:
        group["Properties"]["SecurityGroupIngress"] = [rule]
    template["Resources"]["Tasks"] = group
    if ingress is not None and separate:
        template["Resources"]["TasksIngress"] = {
            "Type": "AWS::EC2::SecurityGroupIngress",
            "Properties": {"GroupId": {"Fn::GetAtt": ["Tasks", "GroupId"]}, **rule},
        }
    service = template["Resources"]["Service"]["Properties"]
    service["NetworkConfiguration"] = {
        "AwsvpcConfiguration": {"SecurityGroups": [{"Ref": "Tasks"}], "Subnets": ["subnet-12345678"]}
    }
    if balanced:
        service["LoadBalancers"] = [
            {
                "ContainerName": "web",
                "ContainerPort": 8000,
                "TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/0123456789abcdef",
            }
        ]
    return template


@pytest.mark.parametrize("separate", [False, True], ids=["inline", "separate"])
@pytest.mark.parametrize("anywhere", [{"CidrIp": "0.0.0.0/0"}, {"CidrIpv6": "::/0"}], ids=["ipv4", "ipv6"])
def test_w9008_fires_on_a_backend_that_admits_the_internet(anywhere, separate):
    assert fired(backend_template(anywhere, separate=separate), "W9008") == [
        "Resources/Service/Properties/NetworkConfiguration"
    ]


def test_w9008_names_the_group_and_what_to_change():
    (message,) = [m.message for m in findings(backend_template({"CidrIp": "0.0.0.0/0"})) if m.rule.id == "W9008"]
    assert "security group Tasks admits the internet (CidrIp 0.0.0.0/0)" in message
    assert "remove that ingress rule from Tasks and admit only the callers' security groups" in message


@pytest.mark.parametrize(
    ("ingress", "balanced"),
    [
        (None, False),
        ({"SourceSecurityGroupId": "sg-0123456789abcdef0"}, False),
        ({"CidrIp": "10.0.0.0/16"}, False),
        ({"CidrIp": "0.0.0.0/0"}, True),  # behind a load balancer: its own rules say who reaches the tasks
    ],
)
def test_w9008_passes_callers_only_no_ingress_and_balanced_services(ingress, balanced):
    assert fired(backend_template(ingress, balanced=balanced), "W9008") == []


# the matrix: every template the generator makes is clean with the project's rules on
# ------------------------------------

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
SIDECAR = {
    "name": "metrics",
    "image": "public.ecr.aws/docker/library/busybox:1.36",
    "essential": False,
    "command": ["sh", "-c", "while true; do sleep 60; done"],
}
VARIANTS: dict[str, dict[str, Any]] = {
    "backend": {
        "task": {"containers": [dict(WEB_CONTAINER), SIDECAR]},
        "service": {"load_balancer": False, "ingress_from": ["sg-0123456789abcdef0"], "enable_execute_command": True},
    },
    "everything": {
        "cluster": {"container_insights": True},
        "task": {"containers": [dict(WEB_CONTAINER), SIDECAR]},
        "service": {"enable_execute_command": True, "autoscaling": {"min": 2, "max": 6}},
        "load_balancer": {"certificate_arn": CERTIFICATE, "domain": "app.example.com", "access_logs": True},
        "logging": {"kms_key": True},
        "repository": {"name": "shop/web"},
    },
    "plain-http": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"desired_count": 1},
        "load_balancer": {"access_logs": False},
        "logging": {"kms_key": False},
    },
    "exec-without-kms": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"enable_execute_command": True},
        "logging": {"kms_key": False, "retention_days": 7},
    },
    "https-no-autoscaling": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"assign_public_ip": False},
        "load_balancer": {"certificate_arn": CERTIFICATE, "domain": "shop.example.org", "access_logs": False},
        "repository": {"name": "webapp", "keep_images": 5},
    },
    "sidecar-first-autoscaled": {
        "task": {"containers": [SIDECAR, dict(WEB_CONTAINER)]},
        "service": {"container": "web", "autoscaling": {"min": 0, "max": 2, "cpu_target_percent": 80}},
    },
    "secrets-with-kms": {
        "task": {
            "secrets_kms_key": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "containers": [
                {
                    **WEB_CONTAINER,
                    "secrets": {
                        "DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::",
                        "API_KEY": "ssm:/shop/api-key",
                    },
                },
                {**SIDECAR, "secrets": {"TOKEN": "ssm:token"}},
            ],
        },
        "service": {},
    },
    "container-settings": {
        "task": {
            "cpu": 1024,
            "memory_mib": 2048,
            "containers": [
                {
                    **WEB_CONTAINER,
                    "cpu": 768,
                    "memory_mib": 1536,
                    "user": "1000:1000",
                    "read_only_root_filesystem": True,
                    "health_check": {
                        "command": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"],
                        "start_period": 30,
                    },
                    "entrypoint": ["/bin/sh", "-c"],
                    "command": ["exec app"],
                    "working_directory": "/app",
                    "stop_timeout": 120,
                    "depends_on": [{"container": "metrics", "condition": "START"}],
                },
                {**SIDECAR, "cpu": 256, "memory_mib": 512},
            ],
        },
        "service": {},
    },
    "spot-capacity": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"capacity": {"fargate": 1, "fargate_spot": 3, "base": 1}, "autoscaling": {"min": 1, "max": 4}},
    },
    "arm64-on-demand": {
        "task": {"cpu_architecture": "ARM64", "containers": [dict(WEB_CONTAINER)]},
        "service": {"capacity": {"fargate": 2}},
    },
    "canary-with-alarms": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"deployment": {"strategy": "canary"}, "rollback": {"alarms": True}},
    },
    "linear": {"task": {"containers": [dict(WEB_CONTAINER)]}, "service": {"deployment": {"strategy": "linear"}}},
    "dualstack-rolling": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {},
        "load_balancer": {"ip_address_type": "dualstack", "domain": "app.example.com", "certificate_arn": CERTIFICATE},
    },
    "rollback-alarms": {
        "task": {"containers": [dict(WEB_CONTAINER)]},
        "service": {"rollback": {"alarms": True, "latency_p95_ms": 800}, "autoscaling": {"min": 1, "max": 3}},
        "load_balancer": {"certificate_arn": CERTIFICATE, "domain": "app.example.com"},
    },
    "task-only-secrets": {"task": {"containers": [{**WEB_CONTAINER, "secrets": {"TOKEN": "ssm:/t"}}]}},
    "task-only-logs-and-repository": {"logging": {"retention_days": 14}, "repository": {"name": "tools"}},
    # long, yet every logical ID under 90 % of 255, where cfn-lint's I3012 starts remarking (maxima:
    # tests/test_long_names.py)
    "long-but-valid-names": {
        "stack_name": "s" * 128,
        "cluster": {"name": "c" * 200, "container_insights": True},
        "task": {
            "family": "f" * 190,
            "containers": [{**WEB_CONTAINER, "name": "w" * 200}, {**SIDECAR, "name": "m" * 200}],
        },
        "service": {"enable_execute_command": True, "autoscaling": {"min": 1, "max": 3, "cpu_target_percent": 100}},
        "load_balancer": {"certificate_arn": CERTIFICATE, "domain": "a" * 63 + "." + "b" * 63 + ".example.com"},
        "repository": {"name": "r" * 200},
    },
}


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_generated_templates_have_no_finding(variant, fmt):
    assert [str(m) for m in findings(template_text(VARIANTS[variant], fmt))] == []

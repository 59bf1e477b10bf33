"""Container definitions are compared by name: images, environment, secrets (never shown), CPU/memory, ports,
health check; reordering is not a change; values only AWS resolves come from IncludePropertyValues."""

from __future__ import annotations

from typing import Any

from container_infra.diff.compute import compute_diff

WEB = {
    "Name": "web",
    "Image": "nginx:1.27",
    "Cpu": 256,
    "Memory": 512,
    "Environment": [{"Name": "A", "Value": "1"}, {"Name": "B", "Value": "2"}],
    "Secrets": [{"Name": "DB_PASSWORD", "ValueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"}],
    "PortMappings": [{"ContainerPort": 80, "Protocol": "tcp"}],
}
SIDE = {"Name": "metrics", "Image": "busybox@sha256:" + "0" * 64, "Essential": False}


def _task(*containers: dict[str, Any]) -> dict[str, Any]:
    return {
        "Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": list(containers)}}
        }
    }


def _rows(old: dict, new: dict, change_set: dict | None = None) -> dict[str, tuple[Any, Any]]:
    diff = compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=change_set)
    return {p.name: (p.old, p.new) for r in diff.resources for p in r.properties}


def test_reordering_containers_is_not_a_container_change():
    rows = _rows(_task(WEB, SIDE), _task(SIDE, WEB))
    assert rows == {"ContainerDefinitions": ("(the same containers)", "reordered only: no container changed")}


def test_each_container_by_name_even_when_the_order_changes_too():
    web = {
        **WEB,
        "Image": "nginx:1.28",
        "Memory": 1024,
        "Environment": [{"Name": "B", "Value": "3"}, {"Name": "C", "Value": "4"}],
        "PortMappings": [{"ContainerPort": 8080, "Protocol": "tcp"}],
        "HealthCheck": {"Command": ["CMD-SHELL", "curl -f localhost"]},
    }
    side = {**SIDE, "Image": "busybox@sha256:" + "1" * 64}
    rows = _rows(_task(WEB, SIDE), _task(side, web))
    assert rows["ContainerDefinitions[web].Image"] == ("nginx:1.27", "nginx:1.28")
    assert rows["ContainerDefinitions[metrics].Image"] == ("busybox@sha256:" + "0" * 64, "busybox@sha256:" + "1" * 64)
    assert rows["ContainerDefinitions[web].Memory"] == (512, 1024)
    assert rows["ContainerDefinitions[web].Environment.A"] == ("1", None)
    assert rows["ContainerDefinitions[web].Environment.B"] == ("2", "3")
    assert rows["ContainerDefinitions[web].Environment.C"] == (None, "4")
    assert rows["ContainerDefinitions[web].PortMappings"] == ("80/tcp", "8080/tcp")
    assert rows["ContainerDefinitions[web].HealthCheck"] == (None, {"Command": ["CMD-SHELL", "curl -f localhost"]})
    assert not any("[0]" in name or "[1]" in name for name in rows)


def test_secrets_say_what_changed_never_the_value_or_its_source():
    moved = {
        **WEB,
        "Secrets": [
            {"Name": "DB_PASSWORD", "ValueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"},
            {"Name": "API_TOKEN", "ValueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/token"},
        ],
    }
    rows = _rows(_task(WEB), _task(moved))
    assert rows["ContainerDefinitions[web].Secrets.DB_PASSWORD"] == ("(secret)", "(secret, another source)")
    assert rows["ContainerDefinitions[web].Secrets.API_TOKEN"] == (None, "(secret)")
    assert "arn:aws" not in repr(rows)


def test_added_and_removed_containers():
    rows = _rows(_task(WEB, SIDE), _task(WEB, {"Name": "proxy", "Image": "envoy:1.31"}))
    assert rows["ContainerDefinitions[proxy]"] == (None, "new container, image envoy:1.31")
    assert rows["ContainerDefinitions[metrics]"] == ("container, image busybox@sha256:" + "0" * 64, None)


def test_values_only_aws_knows_come_from_include_property_values():
    """An image from an SSM parameter: the template text is the same; CloudFormation says before and after."""
    template = _task({**WEB, "Image": "{{resolve:ssm:/webapp/image}}"})
    change = {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": "Task",
            "ResourceType": "AWS::ECS::TaskDefinition",
            "Replacement": "True",
            "Details": [
                {
                    "Target": {
                        "Attribute": "Properties",
                        "Name": "ContainerDefinitions",
                        "RequiresRecreation": "Always",
                        "Path": "/Properties/ContainerDefinitions/0/Image",
                        "BeforeValue": "nginx:1.27",
                        "AfterValue": "nginx:1.28",
                    },
                    "Evaluation": "Dynamic",
                    "ChangeSource": "ParameterReference",
                }
            ],
        },
    }
    rows = _rows(template, template, {"Changes": [change]})
    assert rows == {"ContainerDefinitions[0].Image": ("nginx:1.27", "nginx:1.28")}


def test_a_resolved_secret_reference_is_never_shown():
    template = _task(WEB)
    change = {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": "Task",
            "ResourceType": "AWS::ECS::TaskDefinition",
            "Replacement": "True",
            "Details": [
                {
                    "Target": {
                        "Attribute": "Properties",
                        "Name": "ContainerDefinitions",
                        "RequiresRecreation": "Always",
                        "Path": "/Properties/ContainerDefinitions/0/Secrets/0/ValueFrom",
                        "BeforeValue": "arn:old",
                        "AfterValue": "arn:new",
                    },
                    "Evaluation": "Dynamic",
                    "ChangeSource": "ParameterReference",
                }
            ],
        },
    }
    rows = _rows(template, template, {"Changes": [change]})
    assert rows == {"ContainerDefinitions[0].Secrets[0].ValueFrom": ("(secret)", "(secret, another source)")}

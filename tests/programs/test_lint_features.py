"""cfn-lint (errors, warnings, informational checks, the project's rules) finds nothing in a template of each
feature's settings, built in-process, in JSON and YAML. The examples, as generate.py prints them: test_lint.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import lint
from tests.render import WEB_CONTAINER, template_text, web_config

# Each feature's settings, as its tests in tests/unit/ write them.
CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
ZONE_ID = "Z0123456789ABCDEFGHIJ"
BY_ID = {"domain": "app.example.com", "hosted_zone_id": ZONE_ID}
BY_NAME = {"domain": "app.example.com", "hosted_zone": "example.com"}
HTTPS = {"certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f", "domain": "app.example.com"}
TEST_ACCESS = {"test_listener_port": 8080, "test_listener_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]}
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
HEALTH_CHECK = {"command": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"]}
INIT = {"name": "init", "image": "public.ecr.aws/docker/library/busybox:1.36", "essential": False, "command": ["true"]}
EVERY_CONTAINER_SETTING = {
    "health_check": HEALTH_CHECK,
    "entrypoint": ["/bin/sh", "-c"],
    "working_directory": "/app",
    "cpu": 384,
    "memory_mib": 768,
    "depends_on": [{"container": "init", "condition": "COMPLETE"}],
    "read_only_root_filesystem": True,
    "stop_timeout": 5,
    "user": "app",
}


def containers(*definitions: dict[str, Any], **task: Any) -> dict[str, Any]:
    return {"task": {**task, "containers": list(definitions)}, "service": {}}


FEATURES = {
    "capacity": web_config(service={"capacity": {"fargate": 1, "fargate_spot": 4, "base": 2}}),
    "arm64": web_config(
        task={"cpu_architecture": "ARM64", "containers": [{"name": "web", "image": "nginx:1", "port": 80}]},
        service={"capacity": {"fargate": 1}},
    ),
    "container-settings": containers(
        {**WEB_CONTAINER, **EVERY_CONTAINER_SETTING}, {**INIT, "cpu": 128, "memory_mib": 256}
    ),
    "domain-id": web_config(load_balancer=BY_ID),
    "domain-name": web_config(load_balancer=BY_NAME),
    "domain-dualstack": web_config(load_balancer={**BY_NAME, "ip_address_type": "dualstack"}),
    "domain-certificate": web_config(load_balancer={**BY_ID, "certificate_arn": CERTIFICATE_ARN}),
    "rollback-alarms": web_config(service={"rollback": {"alarms": True, "latency_p95_ms": 500}}),
    "secrets": {
        "task": {
            "secrets_kms_key": KMS_KEY,
            "containers": [{**WEB_CONTAINER, "secrets": {"A": f"{SECRET}:k::", "B": "ssm:/a/b", "C": SECRET}}],
        }
    },
    "scratch-volumes": containers(
        {**WEB_CONTAINER, "read_only_root_filesystem": True, "writable_paths": ["/tmp", "/run"]}
    ),
    "linear-https": web_config(
        service={"deployment": {"strategy": "linear", "step_percent": 33.3, **TEST_ACCESS}}, load_balancer=HTTPS
    ),
    "backend": web_config(
        service={
            "load_balancer": False,
            "ingress_from": ["sg-0123456789abcdef0", "sg-0fedcba9"],
            "enable_execute_command": True,
            "assign_public_ip": False,
            "autoscaling": {"min": 1, "max": 3},
            "deployment": {"bake_minutes": 5},
            "capacity": {"fargate": 1, "fargate_spot": 1},
        }
    ),
    "worker": containers(INIT | {"essential": True, "command": ["sleep", "3600"]})
    | {"service": {"load_balancer": False}},
}


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_lints_clean(feature, fmt):
    assert lint(template_text(FEATURES[feature], fmt)) == []


def test_blue_green_behind_dualstack_lints_clean_but_for_w9009():
    """The combination builds (nothing says ECS refuses it), and the project's W9009 says that ECS documents an IPv4
    load balancer for blue/green, canary and linear deployments."""
    config = web_config(
        service={"deployment": {"strategy": "blue_green"}}, load_balancer={**BY_ID, "ip_address_type": "dualstack"}
    )
    for fmt in ("json", "yaml"):
        assert [finding.split("]")[0] for finding in lint(template_text(config, fmt))] == [
            "[W9009: ECS documents IPv4 load balancers for blue/green, canary and linear deployments"
        ]


@pytest.mark.parametrize(
    "deployment",
    [
        {"strategy": "blue_green", **TEST_ACCESS},
        {"strategy": "canary", "canary_percent": 0.5, **TEST_ACCESS},
        {"strategy": "linear", "step_percent": 33.3},  # a value cfn-lint's float check misjudges
        {"strategy": "canary", "canary_percent": 2.3},
        {"strategy": "rolling", "bake_minutes": 10},
    ],
)
@pytest.mark.parametrize("load_balancer", [{}, HTTPS], ids=["http", "https"])
def test_each_deployment_strategy_lints_clean(deployment, load_balancer):
    config = web_config(service={"deployment": deployment, "rollback": {"alarms": True}}, load_balancer=load_balancer)
    assert lint(template_text(config)) == []

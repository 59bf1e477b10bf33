"""Fargate Spot through capacity providers, and ARM64 tasks; neither changes a template that does not ask for it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import of_type, one, template_for, web_config


def capacity(**weights: int) -> dict[str, Any]:
    return web_config(service={"capacity": weights})


def cluster_and_service(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return one(template, "AWS::ECS::Cluster")[1], one(template, "AWS::ECS::Service")[1]


def test_spot_weights_go_on_the_cluster_and_the_service_without_a_launch_type():
    cluster, service = cluster_and_service(template_for(capacity(fargate=1, fargate_spot=3, base=1)))
    expected = [
        {"CapacityProvider": "FARGATE", "Weight": 1, "Base": 1},
        {"CapacityProvider": "FARGATE_SPOT", "Weight": 3},
    ]
    assert cluster["CapacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert cluster["DefaultCapacityProviderStrategy"] == expected
    assert service["CapacityProviderStrategy"] == expected
    assert "LaunchType" not in service


def test_all_spot_leaves_fargate_out_unless_it_carries_the_base():
    assert cluster_and_service(template_for(capacity(fargate=0, fargate_spot=1)))[1]["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE_SPOT", "Weight": 1}
    ]
    assert cluster_and_service(template_for(capacity(fargate=0, fargate_spot=1, base=2)))[1][
        "CapacityProviderStrategy"
    ] == [{"CapacityProvider": "FARGATE", "Weight": 0, "Base": 2}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]


def test_without_capacity_the_service_keeps_launch_type_fargate():
    cluster, service = cluster_and_service(template_for(web_config()))
    assert service["LaunchType"] == "FARGATE" and "CapacityProviders" not in cluster


def test_arm64_sets_the_runtime_platform():
    config = web_config(
        task={"cpu_architecture": "ARM64", "containers": [{"name": "web", "image": "nginx:1", "port": 80}]}
    )
    (task,) = of_type(template_for(config), "AWS::ECS::TaskDefinition").values()
    assert task["Properties"]["RuntimePlatform"] == {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}
    (plain,) = of_type(template_for(web_config()), "AWS::ECS::TaskDefinition").values()
    assert "RuntimePlatform" not in plain["Properties"]


BAD = [
    ("weight-too-big", capacity(fargate_spot=1001), ["service.capacity.fargate_spot = 1001", "0 to 1000"]),
    ("all-zero", capacity(fargate=0), ["fargate and fargate_spot are both 0"]),
    ("base-negative", capacity(base=-1), ["service.capacity.base = -1", "0 to 100000"]),
    ("unknown-key", capacity(spot=1), ["service.capacity.spot = 1", "unknown key", "fargate_spot"]),
    (
        "architecture",
        web_config(task={"cpu_architecture": "arm64", "containers": [{"image": "nginx:1", "port": 80}]}),
        ['task.cpu_architecture = "arm64"', "X86_64, ARM64"],
    ),
]


@pytest.mark.parametrize("config, fragments", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_capacity_names_key_value_and_rule(config, fragments):
    with pytest.raises(ConfigError) as error:
        parse_config(config, "app.toml")
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)


def test_spot_with_arm64_runs_on_both_providers():
    """The ECS API reference (CapacityProviderStrategyItem): FARGATE_SPOT supports Linux tasks with the ARM64
    architecture on platform version 1.4.0 or later; the service names no PlatformVersion, so LATEST (1.4.0)."""
    config = capacity(fargate=1, fargate_spot=3)
    config["task"] = {**config.get("task", {}), "cpu_architecture": "ARM64"}
    text = json.dumps(template_for(config))
    assert '"FARGATE_SPOT"' in text and '"ARM64"' in text
    assert '"PlatformVersion"' not in text


def nonce(**weights: int) -> str:
    _, service = cluster_and_service(template_for(capacity(**weights)))
    force = service["ForceNewDeployment"]
    assert force["EnableForceNewDeployment"] is True
    return force["ForceNewDeploymentNonce"]


def test_a_changed_strategy_forces_a_deployment_and_an_unchanged_one_does_not():
    """UpdateService: a new capacity provider strategy alone does not start a deployment; a new nonce does."""
    spot = nonce(fargate=1, fargate_spot=3, base=1)
    assert spot == nonce(fargate=1, fargate_spot=3, base=1)  # same strategy, same nonce: no forced deploy
    assert (
        len({spot, nonce(fargate=1, fargate_spot=0, base=1), nonce(fargate=1, fargate_spot=3), nonce(fargate=2)}) == 4
    )
    assert "ForceNewDeployment" not in one(template_for(web_config()), "AWS::ECS::Service")[1]

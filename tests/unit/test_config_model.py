"""The config loader: defaults, a full file, and the image-name rule (fixed for ports and digests)."""

from __future__ import annotations

import pytest

from container_infra.config import load_config, parse_config
from container_infra.config.images import parse_image
from container_infra.errors import ConfigError
from tests.helpers import ROOT, generate


def test_defaults_are_the_chapter():
    config = load_config(None)
    assert config.stack_name == "my-container-infra"
    assert config.cluster.name == "my-test-cluster" and not config.cluster.container_insights
    assert (config.task.family, config.task.cpu, config.task.memory_mib) == ("webapp", 512, 1024)
    (container,) = config.task.containers
    assert container.name == "container-hello-app-runner" and container.essential


def test_chapter_example_equals_the_defaults():
    assert load_config(ROOT / "examples" / "chapter.toml") == load_config(None)


def test_every_example_deploys_to_a_stack_of_its_own():
    """An example on the default stack name (or another example's) would be deployed over by a plain deploy.py, whose
    diff then shows the example's resources as removals. chapter.toml is the default config written out: its stack is
    the default one on purpose, and deploying it is deploying the defaults."""
    names = {
        path.name: load_config(path).stack_name
        for path in sorted((ROOT / "examples").glob("*.toml"))
        if path.name != "chapter.toml"
    }
    assert len(names) >= 6
    on_the_default = [name for name, stack in names.items() if stack == load_config(None).stack_name]
    assert on_the_default == []
    assert len(set(names.values())) == len(names), names


def test_a_file_with_only_task_is_valid():
    config = parse_config({"task": {"cpu": 256, "memory_mib": 512}}, "t")
    assert config.task.cpu == 256 and config.task.family == "webapp"
    assert config.task.containers[0].image.endswith("hello-app-runner:latest")


@pytest.mark.parametrize(
    ("image", "name"),
    [
        ("public.ecr.aws/aws-containers/hello-app-runner:latest", "container-hello-app-runner"),
        ("localhost:5000/app:1", "container-app"),
        ("app@sha256:" + "a" * 64, "container-app"),
        ("registry.example.com:443/team/api@sha256:" + "b" * 64, "container-api"),
        ("nginx", "container-nginx"),
        ("library/nginx:1.27", "container-nginx"),
        ("localhost/app", "container-app"),
        ("ghcr.io/org/my.app:v1", "container-my-app"),
    ],
)
def test_default_container_name_follows_the_chapter_rule(image, name):
    config = parse_config({"task": {"containers": [{"image": image}]}}, "t")
    assert config.task.containers[0].name == name


def test_image_parts():
    ref = parse_image("localhost:5000/team/app:1.2@sha256:" + "c" * 64)
    assert ref is not None
    assert (ref.registry, ref.path, ref.tag, ref.name) == ("localhost:5000", "team/app", "1.2", "app")


def test_environment_values_become_strings():
    config = parse_config({"task": {"containers": [{"image": "nginx", "environment": {"N": 2, "B": True}}]}}, "t")
    assert config.task.containers[0].environment == {"N": "2", "B": "true"}


def test_errors_are_config_errors():
    with pytest.raises(ConfigError, match=r"task\.cpu = 3"):
        parse_config({"task": {"cpu": 3}}, "t")


def test_sidecar_example_builds_two_containers_with_their_own_image_parameters(tmp_path):
    template = generate("--config", str(ROOT / "examples" / "sidecar.toml"))
    containers = template["Resources"]["TaskdefShopApi"]["Properties"]["ContainerDefinitions"]
    assert [c["Name"] for c in containers] == ["web", "metrics"]
    assert containers[0]["Image"] == {"Ref": "WebImage"} and containers[1]["Image"] == {"Ref": "MetricsImage"}
    assert containers[0]["PortMappings"] == [{"ContainerPort": 8000, "Protocol": "tcp"}]
    assert {"Name": "WORKERS", "Value": "2"} in containers[0]["Environment"]
    assert containers[1]["Essential"] is False
    cluster = template["Resources"]["ShopCluster"]
    assert cluster["Properties"]["ClusterSettings"] == [{"Name": "containerInsights", "Value": "enabled"}]
    assert template["Parameters"]["TaskCpu"]["Default"] == "1024"

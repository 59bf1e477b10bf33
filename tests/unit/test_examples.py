"""Every example deploys as it stands: real, pullable image references, and sidecars that keep running."""

from __future__ import annotations

import re

import pytest

from container_infra.config import load_config
from container_infra.config.images import parse_image
from tests.helpers import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
PLACEHOLDER_DIGEST = re.compile(r"sha256:0+$")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_image_is_a_real_public_reference(example):
    for container in load_config(example).task.containers:
        reference = parse_image(container.image)
        assert reference is not None and reference.registry == "public.ecr.aws", container.image
        assert reference.digest is None or not PLACEHOLDER_DIGEST.search(reference.digest), container.image
        assert reference.tag or reference.digest, container.image


def test_the_sidecar_runs_a_command_that_keeps_it_up():
    containers = {c.name: c for c in load_config(ROOT / "examples" / "sidecar.toml").task.containers}
    sidecar = containers["metrics"]
    assert sidecar.image == "public.ecr.aws/docker/library/busybox:1.36" and not sidecar.essential
    # busybox's own CMD is `sh`, which exits at once without a terminal: the command must loop.
    assert sidecar.command[:2] == ("sh", "-c") and "while true" in sidecar.command[2] and "sleep" in sidecar.command[2]


def test_the_command_reaches_the_task_definition():
    from tests.render import template_for

    template = template_for(
        {"task": {"containers": [{"image": "nginx:1.27", "command": ["nginx", "-g", "daemon off;"]}]}}
    )
    (container,) = template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"]
    assert container["Command"] == ["nginx", "-g", "daemon off;"]

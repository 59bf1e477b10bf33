"""How --rollback finds the previous release in the task definition family, and maps it onto the template's
parameters."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cfn.release import differs, release_parameters
from container_infra.commands.rollback import choose_release
from container_infra.errors import UserError
from tests.fakes import stubs
from tests.helpers import ROOT, generate

SIDECAR = generate("--config", str(ROOT / "examples" / "sidecar.toml"))


def _definition(images: dict[str, str], cpu: str | None = "1024", memory: str | None = "2048") -> dict[str, Any]:
    return {
        "cpu": cpu,
        "memory": memory,
        "containerDefinitions": [{"name": name, "image": image} for name, image in images.items()],
    }


def test_images_and_task_size_map_onto_the_templates_parameters():
    release = release_parameters(
        _definition({"web": "web:v1", "metrics": "busybox:1"}, cpu="512", memory="1024"), SIDECAR
    )
    assert release.values == {"WebImage": "web:v1", "MetricsImage": "busybox:1", "TaskCpu": "512", "TaskMemory": "1024"}
    assert release.unrestorable == []


def test_what_the_template_has_no_parameter_for_is_named_not_guessed():
    release = release_parameters(_definition({"web": "web:v1", "old-worker": "worker:3"}, cpu=None), SIDECAR)
    assert release.values == {"WebImage": "web:v1", "TaskMemory": "2048"}  # no cpu in the definition: TaskCpu stays
    assert release.unrestorable == ["the image of old-worker (the template has no parameter OldWorkerImage)"]


def test_differs_compares_with_what_runs_now():
    release = release_parameters(_definition({"web": "web:v1"}), SIDECAR)
    assert not differs(release, {"WebImage": "web:v1", "TaskCpu": "1024", "TaskMemory": "2048", "MetricsImage": "x"})
    assert differs(release, {"WebImage": "web:v2", "TaskCpu": "1024", "TaskMemory": "2048"})
    assert differs(release, {"WebImage": "web:v1", "TaskCpu": "512", "TaskMemory": "2048"})


def test_the_previous_release_is_the_newest_earlier_revision_that_differs():
    ecs = stubs.ecs_client()
    template = generate()
    parameter = "ContainerHelloAppRunnerImage"
    running = {parameter: "app:v3", "TaskCpu": "512", "TaskMemory": "1024"}
    with Stubber(ecs) as stub:
        # webapp:4 is running; webapp:3 only changed an environment variable (same image and size); webapp:2 ran app:v2
        stub.add_response("describe_task_definition", _answer(3, "app:v3"), _asked("webapp:3"))
        stub.add_response("describe_task_definition", _answer(2, "app:v2"), _asked("webapp:2"))
        revision, release = choose_release(ecs, "webapp", 4, template, running, None, stack_id=stubs.STACK_ID)
        stub.assert_no_pending_responses()
    assert revision == 2 and release.values[parameter] == "app:v2"


def test_to_takes_that_revision_as_it_is_and_refuses_a_missing_one():
    ecs = stubs.ecs_client()
    with Stubber(ecs) as stub:
        stub.add_response("describe_task_definition", _answer(3, "app:v3"), _asked("webapp:3"))
        stub.add_client_error(
            "describe_task_definition",
            service_error_code="ClientException",
            http_status_code=400,
            service_message="Unable to describe task definition.",
            expected_params=_asked("webapp:9"),
        )
        running = {"ContainerHelloAppRunnerImage": "app:v3"}
        revision, release = choose_release(ecs, "webapp", 4, generate(), running, 3, stack_id=stubs.STACK_ID)
        assert revision == 3 and release.values["ContainerHelloAppRunnerImage"] == "app:v3"
        with pytest.raises(UserError, match="--to 9: there is no task definition webapp:9"):
            choose_release(ecs, "webapp", 4, generate(), {}, 9, stack_id=stubs.STACK_ID)


STAGING_ID = stubs.STACK_ID.replace(f"stack/{stubs.STACK}/", "stack/staging/")


def test_a_revision_another_stack_registered_in_the_shared_family_is_never_offered():
    """prod and staging share the family webapp: staging's webapp:3 is skipped, prod's own webapp:2 is the release."""
    ecs = stubs.ecs_client()
    running = {"ContainerHelloAppRunnerImage": "app:v2-prod", "TaskCpu": "512", "TaskMemory": "1024"}
    with Stubber(ecs) as stub:
        stub.add_response("describe_task_definition", _answer(3, "app:v3-experimental", STAGING_ID), _asked("webapp:3"))
        stub.add_response("describe_task_definition", _answer(2, "app:v1-prod"), _asked("webapp:2"))
        revision, release = choose_release(ecs, "webapp", 4, generate(), running, None, stack_id=stubs.STACK_ID)
        stub.assert_no_pending_responses()
    assert revision == 2 and release.values["ContainerHelloAppRunnerImage"] == "app:v1-prod"


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        (STAGING_ID, "was registered by stack staging"),
        (None, "has no aws:cloudformation:stack-id tag (it was not registered by a CloudFormation stack)"),
    ],
)
def test_to_refuses_a_revision_this_stack_did_not_register(owner, why):
    ecs = stubs.ecs_client()
    with Stubber(ecs) as stub:
        stub.add_response("describe_task_definition", _answer(3, "app:v3-experimental", owner), _asked("webapp:3"))
        with pytest.raises(UserError) as refused:
            choose_release(ecs, "webapp", 4, generate(), {}, 3, stack_id=stubs.STACK_ID)
    assert str(refused.value) == f"--to 3: webapp:3 {why}; it is not this stack's release"


def _asked(task_definition: str) -> dict[str, Any]:
    return {"taskDefinition": task_definition, "include": ["TAGS"]}


def _answer(revision: int, image: str, stack_id: str | None = stubs.STACK_ID) -> dict[str, Any]:
    answer = stubs.task_definition(revision, image=image)
    answer["taskDefinition"]["containerDefinitions"][0]["name"] = "container-hello-app-runner"
    if stack_id:
        answer["tags"] = [{"key": "aws:cloudformation:stack-id", "value": stack_id}]
    return answer


def test_to_names_an_earlier_stack_of_the_same_name_as_such():
    earlier = stubs.STACK_ID.replace("4f1c2a50", "00000000")
    ecs = stubs.ecs_client()
    with Stubber(ecs) as stub:
        stub.add_response("describe_task_definition", _answer(3, "app:v3", earlier), _asked("webapp:3"))
        with pytest.raises(UserError) as refused:
            choose_release(ecs, "webapp", 4, generate(), {}, 3, stack_id=stubs.STACK_ID)
    assert f"was registered by an earlier stack named {stubs.STACK} (deleted since; its ID was {earlier})" in str(
        refused.value
    )

"""One DescribeChangeSet read per change set: the look that sees the final status is the read (Stubber, AWS-shaped)."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from container_infra.aws.changesets import THROTTLED_MAX_DELAY, describe_all, wait_for
from container_infra.cfn.changeset import ChangeSet
from container_infra.errors import AwsError
from tests.fakes import stubs

LOOK = {"ChangeSetName": stubs.CHANGE_SET_ID, "IncludePropertyValues": True}
PAGE_2 = {**LOOK, "NextToken": "page-2"}
ADD = [stubs.resource_change("Add", "MyTestCluster", "AWS::ECS::Cluster")]
MORE = [stubs.resource_change("Add", "TaskdefWebapp", "AWS::ECS::TaskDefinition")]


def _wait(cf) -> tuple[ChangeSet, list[float]]:
    slept: list[float] = []
    change_set = ChangeSet(stubs.CHANGE_SET_ID, stubs.STACK_ID, "CREATE", {})
    wait_for(cf, change_set, sleep=slept.append, clock=lambda: sum(slept))
    return change_set, slept


def test_the_final_look_is_the_read_and_only_its_further_pages_are_fetched():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", stubs.change_set([], status="CREATE_PENDING"), LOOK)
        stub.add_response("describe_change_set", stubs.change_set([], status="CREATE_IN_PROGRESS"), LOOK)
        stub.add_response("describe_change_set", stubs.change_set(ADD, next_token="page-2"), LOOK)
        stub.add_response("describe_change_set", stubs.change_set(MORE), PAGE_2)
        change_set, slept = _wait(cf)
        stub.assert_no_pending_responses()  # 3 looks + 1 further page: no second read of the whole change set
    assert [c["ResourceChange"]["LogicalResourceId"] for c in change_set.description["Changes"]] == [
        "MyTestCluster",
        "TaskdefWebapp",
    ]
    assert "NextToken" not in change_set.description and change_set.description["Status"] == "CREATE_COMPLETE"
    assert slept == [0.5, 0.75]  # the first look at once, then a short pause that grows (not the waiter's fixed delay)


def test_a_change_set_ready_at_once_costs_one_call_and_no_pause():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_change_set",
            stubs.change_set([], status="FAILED", reason="The submitted information didn't contain changes."),
            LOOK,
        )
        change_set, slept = _wait(cf)
        stub.assert_no_pending_responses()
    assert change_set.description["Status"] == "FAILED" and slept == []


def test_a_throttled_look_slows_the_polling_down_instead_of_failing():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", stubs.change_set([], status="CREATE_PENDING"), LOOK)
        for _ in range(3):
            stub.add_client_error("describe_change_set", "Throttling", "Rate exceeded", 400, expected_params=LOOK)
        stub.add_response("describe_change_set", stubs.change_set(ADD), LOOK)
        change_set, slept = _wait(cf)
        stub.assert_no_pending_responses()
    assert slept == [0.5, 1.0, 2.0, 4.0] and max(slept) <= THROTTLED_MAX_DELAY
    assert change_set.description["Changes"] == ADD


def test_other_errors_end_the_wait():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error(
            "describe_change_set", "ChangeSetNotFound", "ChangeSet [x] does not exist", 404, expected_params=LOOK
        )
        with pytest.raises(AwsError, match="does not exist") as raised:
            _wait(cf)
    assert (raised.value.code, raised.value.operation, raised.value.status) == (
        "ChangeSetNotFound",
        "DescribeChangeSet",
        404,
    )


def test_execute_reads_a_named_change_set_once():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        named = {
            "ChangeSetName": "container-infra-20261126-120000",
            "StackName": stubs.STACK,
            "IncludePropertyValues": True,
        }
        stub.add_response("describe_change_set", stubs.change_set(ADD, next_token="page-2"), named)
        stub.add_response("describe_change_set", stubs.change_set(MORE), {**named, "NextToken": "page-2"})
        description = describe_all(cf, "container-infra-20261126-120000", stubs.STACK)
        stub.assert_no_pending_responses()
    assert len(description["Changes"]) == 2


def test_a_long_wait_for_the_change_set_says_its_status_and_time_every_few_seconds():
    cf = stubs.cloudformation_client()
    said: list[str] = []
    slept: list[float] = []
    with Stubber(cf) as stub:
        for _ in range(10):  # looks at 0, 0.5, 1.25, 2.25, 3.75, 5.75, 7.75, 9.75, 11.75, 13.75 s
            stub.add_response("describe_change_set", stubs.change_set([], status="CREATE_IN_PROGRESS"), LOOK)
        stub.add_response("describe_change_set", stubs.change_set(ADD), LOOK)
        change_set = ChangeSet(stubs.CHANGE_SET_ID, stubs.STACK_ID, "CREATE", {})
        wait_for(cf, change_set, sleep=slept.append, clock=lambda: sum(slept), say=said.append)
        stub.assert_no_pending_responses()
    assert said == [
        "CloudFormation is working out the change set: CREATE_IN_PROGRESS, 6 s ...",
        "CloudFormation is working out the change set: CREATE_IN_PROGRESS, 12 s ...",
    ]

"""--discard NAME throws a kept change set away with the tool that kept it; the refusals that a kept change set causes
name it, and --status on a stack that holds only a review says so instead of calling it missing."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import DeployFailed, UserError
from tests.fakes import stubs
from tests.fakes.stubs import stub_aws

KEPT = "container-infra-20261126-120000-1a2b3c4d"


def _run(cf: Any, *argv: str) -> int:
    return run(
        parse_deploy(list(argv)), aws=stub_aws(stubs.REGION, cloudformation=cf), prompt=lambda q: False, tty=False
    )


def _described(stub: Stubber, **where: str) -> None:
    stub.add_response(
        "describe_change_set",
        {**stubs.change_set([]), "ChangeSetName": KEPT, "StackName": stubs.STACK},
        {"ChangeSetName": KEPT, **where},
    )
    stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})


def test_discard_deletes_the_kept_change_set_of_a_deployed_stack(capsys):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _described(stub, StackName=stubs.STACK)
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK_ID})
        assert _run(cf, "--discard", KEPT) == 0
        stub.assert_no_pending_responses()
    assert f"Deleted change set {KEPT} of stack {stubs.STACK}." in capsys.readouterr().out


def test_discard_deletes_the_review_only_stack_it_alone_held(capsys):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _described(stub, StackName=stubs.STACK)
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK_ID})
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        assert _run(cf, "--discard", KEPT) == 0
        stub.assert_no_pending_responses()
    assert "it existed only for that change set (REVIEW_IN_PROGRESS)" in capsys.readouterr().out


def test_discard_of_an_unknown_change_set_is_one_line():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_change_set", "ChangeSetNotFound", f"ChangeSet [{KEPT}] does not exist", 404)
        with pytest.raises(UserError, match=f"--discard {KEPT}: no such change set on stack {stubs.STACK}"):
            _run(cf, "--discard", KEPT)


@pytest.mark.parametrize("other", ["--diff", "--parameter", "--json"])
def test_discard_takes_no_deploy_options(other):
    extra = {"--parameter": ["TaskCpu=512"]}.get(other, [])
    with pytest.raises(UserError, match=f"--discard {KEPT} only deletes a kept change set: it takes no {other}"):
        parse_deploy(["--discard", KEPT, other, *extra])


OTHER_STACK_ID = stubs.STACK_ID.replace(stubs.STACK, "someone-elses")


def _summary(name: str, stack_id: str = stubs.STACK_ID, execution: str = "AVAILABLE") -> dict[str, Any]:
    return {"ChangeSetName": name, "StackId": stack_id, "ExecutionStatus": execution, "Status": "CREATE_COMPLETE"}


def _status_of_review_stack(summaries: list[dict[str, Any]]) -> str:
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK})
        stub.add_response("list_change_sets", {"Summaries": summaries}, {"StackName": stubs.STACK_ID})
        with pytest.raises(DeployFailed) as failed:
            _run(cf, "--status")
        stub.assert_no_pending_responses()
    return str(failed.value)


def test_status_of_a_stack_that_holds_only_a_review_names_the_change_set():
    message = _status_of_review_stack([_summary(KEPT)])
    assert "is not deployed yet: it is REVIEW_IN_PROGRESS, holding the change set " + KEPT + ";" in message
    assert f"deploy.py --execute {KEPT} --stack-name {stubs.STACK}" in message
    assert f"deploy.py --discard {KEPT} --stack-name {stubs.STACK}" in message
    assert "does not exist" not in message


def test_status_of_a_review_stack_names_none_of_another_stacks_change_sets():
    """ListChangeSets is asked for this stack: a summary of another stack in the answer is not this stack's."""
    message = _status_of_review_stack([_summary("theirs", OTHER_STACK_ID), _summary(KEPT)])
    assert "theirs" not in message
    assert f"holding the change set {KEPT};" in message


def test_status_of_a_review_stack_offers_only_an_executable_change_set_to_execute():
    message = _status_of_review_stack([_summary("failed-one", execution="UNAVAILABLE"), _summary(KEPT)])
    assert f"holding the change set {KEPT} (and failed-one, which cannot be executed);" in message
    assert "--execute failed-one" not in message and f"--execute {KEPT}" in message


def test_status_of_a_review_stack_with_several_change_sets_says_execute_one():
    message = _status_of_review_stack([_summary(KEPT), _summary("second")])
    assert f"holding the change sets {KEPT}, second; execute one with `deploy.py --execute NAME" in message
    assert "execute it" not in message


def test_status_of_a_review_stack_whose_only_change_sets_are_another_stacks_says_it_holds_none():
    message = _status_of_review_stack([_summary("theirs", OTHER_STACK_ID)])
    assert message.endswith(f"holding no change set; delete it with `deploy.py --destroy --stack-name {stubs.STACK}`")
    assert "theirs" not in message


def test_discard_deletes_the_review_stack_though_another_stacks_change_set_is_listed(capsys):
    """Another stack's change set in the answer does not keep this review-only stack alive."""
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _described(stub, StackName=stubs.STACK)
        stub.add_response("describe_stacks", stubs.stack("REVIEW_IN_PROGRESS"), {"StackName": stubs.STACK_ID})
        stub.add_response(
            "list_change_sets", {"Summaries": [_summary("theirs", OTHER_STACK_ID)]}, {"StackName": stubs.STACK_ID}
        )
        stub.add_response("delete_stack", {}, {"StackName": stubs.STACK_ID, "ClientRequestToken": stubs.A_TOKEN})
        assert _run(cf, "--discard", KEPT) == 0
        stub.assert_no_pending_responses()
    assert "it existed only for that change set (REVIEW_IN_PROGRESS)" in capsys.readouterr().out


def test_discard_refuses_the_change_set_of_another_stack_named_by_its_arn():
    """An ARN names its own stack: --discard under another --stack-name is refused as --execute is, and nothing is
    deleted."""
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_change_set",
            {**stubs.change_set([]), "ChangeSetName": KEPT, "StackName": stubs.STACK},
            {"ChangeSetName": stubs.CHANGE_SET_ID},
        )
        with pytest.raises(UserError) as refused:
            _run(cf, "--discard", stubs.CHANGE_SET_ID, "--stack-name", "beta")
        stub.assert_no_pending_responses()  # no DeleteChangeSet, no DescribeStacks
    assert refused.value.exit_code == 2
    assert str(refused.value) == (
        f"--discard {stubs.CHANGE_SET_ID}: the change set is for stack {stubs.STACK}, not beta; not discarding it "
        f"(pass --stack-name {stubs.STACK} to discard it there)"
    )


def test_discard_refuses_an_arn_in_another_region_before_any_call():
    cf = stubs.cloudformation_client()
    elsewhere = stubs.CHANGE_SET_ID.replace(stubs.REGION, "us-east-2")
    with Stubber(cf) as stub:
        with pytest.raises(UserError, match="the change set is in region us-east-2, but this run is in eu-west-1"):
            _run(cf, "--discard", elsewhere)
        stub.assert_no_pending_responses()

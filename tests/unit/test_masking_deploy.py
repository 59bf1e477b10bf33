"""deploy.py never prints a NoEcho value: not in the diff (text or --json), not in event lines, not in errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import DeployFailed, UserError
from tests.fakes import stubs
from tests.fakes.stubs import stub_aws

SECRET = "s3cr3t-t0ken"


def _template(path: Path, **token: Any) -> str:
    template = {
        "Parameters": {"Token": {"Type": "String", "NoEcho": "true", **token}},
        "Resources": {
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"Tags": [{"Key": "token", "Value": {"Ref": "Token"}}]},
            }
        },
    }
    path.write_text(json.dumps(template))
    return str(path)


def _run(cf: Any, *argv: str) -> int:
    return run(
        parse_deploy(list(argv)), aws=stub_aws(stubs.REGION, cloudformation=cf), prompt=lambda _: False, tty=False
    )


def _printed(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_event_lines_and_the_failure_never_show_the_secret(tmp_path, capsys):
    """A resource's failure reason can echo a property's value: the event line and the final error mask it."""
    template = _template(tmp_path / "t.json")
    reason = f"Resource handler returned message: \"Invalid tag value '{SECRET}'\" (Service: Logs, Status Code: 400)"
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        stub.add_response("create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID})
        changes = [stubs.resource_change("Add", "Logs", "AWS::Logs::LogGroup")]
        stub.add_response("describe_change_set", stubs.change_set(changes))
        stubs.no_validation_events(stub)
        stub.add_response("describe_stack_events", stubs.events_page([stubs.stack_event(1, "REVIEW_IN_PROGRESS")]))
        stub.add_response("execute_change_set", {})
        stub.add_response(
            "describe_stack_events",
            stubs.events_page(
                [
                    stubs.stack_event(1, "REVIEW_IN_PROGRESS"),
                    stubs.stack_event(2, "CREATE_IN_PROGRESS", "User Initiated"),
                    stubs.event(3, "Logs", "AWS::Logs::LogGroup", "CREATE_FAILED", reason),
                    stubs.stack_event(
                        4, "ROLLBACK_IN_PROGRESS", f"The following resource(s) failed to create: [Logs]. ({SECRET})"
                    ),
                    stubs.stack_event(5, "ROLLBACK_COMPLETE"),
                ]
            ),
        )
        with pytest.raises(DeployFailed) as failure:
            _run(cf, "--template", template, "--yes", "--parameter", f"Token={SECRET}")
        stub.assert_no_pending_responses()
    printed = _printed(capsys)
    assert SECRET not in printed and SECRET not in str(failure.value)
    assert "[+] Token: ****" in printed
    assert (
        'CREATE_FAILED        AWS::Logs::LogGroup  Logs  Resource handler returned message: "Invalid tag value '
        "'****'\"" in printed
    )
    assert "failed to create: [Logs]. (****)" in printed
    assert (
        'Root cause: AWS::Logs::LogGroup Logs CREATE_FAILED: Resource handler returned message: "Invalid tag value '
        "'****'\"" in str(failure.value)
    )


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_diff_of_a_changed_secret_masks_the_resource_property(tmp_path, capsys, as_json):
    """The issue's leak: the Parameters section masked Token, the Resources section printed its new value."""
    template = _template(tmp_path / "t.json")
    deployed = json.loads(Path(template).read_text())
    changes = [
        stubs.resource_change("Modify", "Logs", "AWS::Logs::LogGroup", details=[stubs.property_detail("Tags", "Never")])
    ]
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE", parameters={"Token": "****"}))
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK})  # no other run reviewing
        stub.add_response("create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID})
        stub.add_response("describe_change_set", stubs.change_set(changes))
        stub.add_response("get_template", {"TemplateBody": json.dumps(deployed)})
        stubs.no_validation_events(stub)
        stub.add_response("delete_change_set", {})
        assert (
            _run(
                cf, "--template", template, "--diff", "--parameter", f"Token={SECRET}", *(["--json"] if as_json else [])
            )
            == 0
        )
        stub.assert_no_pending_responses()
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    if as_json:
        (logs,) = json.loads(captured.out)["resources"]
        assert logs["properties"] == [{"name": "Tags[0].Value", "old": "****", "new": "****", "replacement": None}]
    else:
        assert "└─ [~] Tags[0].Value: **** → ****" in captured.out


def test_an_error_naming_a_secret_value_masks_it(tmp_path):
    template = _template(tmp_path / "t.json", AllowedValues=["the-only-token"])
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        with pytest.raises(UserError) as refused:
            _run(cf, "--template", template, "--diff", "--parameter", f"Token={SECRET}")
    assert str(refused.value).startswith("--parameter Token=****: not allowed")

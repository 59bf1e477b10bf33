"""Safe deploys on change-set shapes only CloudFormation shows, with botocore's Stubber: a replaced
listener, a removed retained repository, a drifted service, CloudFormation's validation (DescribeEvents) and
REVERT_DRIFT, and --execute of a change set that is no longer the reviewed one."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import UserError
from tests.fakes import stubs
from tests.fakes.kept_change_set_stubs import stack_and_templates
from tests.fakes.stubs import stub_aws

LISTENER = {
    "Type": "AWS::ElasticLoadBalancingV2::Listener",
    "Properties": {
        "LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
        "Port": 80,
        "Protocol": "HTTP",
        "DefaultActions": [
            {
                "Type": "forward",
                "TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/1",
            }
        ],
    },
}
REPOSITORY = {
    "Type": "AWS::ECR::Repository",
    "DeletionPolicy": "Retain",
    "UpdateReplacePolicy": "Retain",
    "Properties": {"RepositoryName": "webapp"},
}
SERVICE = {
    "Type": "AWS::ECS::Service",
    "Properties": {"Cluster": "web", "DesiredCount": 2, "TaskDefinition": "webapp:1"},
}


def _template(**resources: Any) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def _write(tmp_path, template: dict[str, Any]) -> str:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    return str(path)


def _run(cf: Any, *argv: str, answer: bool | None = None, typed: str | None = None) -> int:
    """`answer` to the y/N prompt, or the line `typed` at the prompt for the stack name (either means a terminal)."""
    return run(
        parse_deploy(list(argv)),
        aws=stub_aws(stubs.REGION, cloudformation=cf),
        prompt=lambda q: bool(answer),
        tty=answer is not None or typed is not None,
        typed=lambda question: typed or "",
    )


def _plan(
    stub: Stubber,
    deployed: dict[str, Any],
    changes: list[dict],
    *,
    describe_params: dict | None = None,
    validated: bool = True,
) -> None:
    """An UPDATE up to the review: the stack, the change set and the deployed template."""
    stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK})
    stub.add_response(
        "list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK}
    )  # no other run's change set under review
    stub.add_response(
        "create_change_set", {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID}, describe_params or ANY_CREATE
    )
    stub.add_response(
        "describe_change_set",
        stubs.change_set(changes),
        {"ChangeSetName": stubs.CHANGE_SET_ID, "IncludePropertyValues": True},
    )
    stub.add_response(
        "get_template",
        {"TemplateBody": json.dumps(deployed)},
        {"StackName": stubs.STACK_ID, "TemplateStage": "Original"},
    )
    if validated:  # CloudFormation's validation found nothing (tests of drift or validation add their own)
        stubs.no_validation_events(stub)


ANY_CREATE = {
    "StackName": stubs.STACK,
    "ChangeSetName": ANY,
    "ChangeSetType": "UPDATE",
    "Parameters": ANY,
    "Capabilities": ANY,
    "Description": ANY,
    "ClientToken": stubs.A_TOKEN,
    "TemplateBody": ANY,
}


def _listener_replaced(tmp_path) -> tuple[dict, str, list[dict]]:
    deployed = _template(Listener=LISTENER)
    changed = json.loads(json.dumps(deployed))
    changed["Resources"]["Listener"]["Properties"]["LoadBalancerArn"] = (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/2"
    )
    changes = [
        stubs.resource_change(
            "Modify",
            "Listener",
            "AWS::ElasticLoadBalancingV2::Listener",
            replacement="True",
            details=[stubs.property_detail("LoadBalancerArn", "Always")],
        )
    ]
    return deployed, _write(tmp_path, changed), changes


def test_a_replaced_listener_stops_the_deploy_and_leaves_nothing(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed, template, changes = _listener_replaced(tmp_path)
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as refused:
            _run(cf, "--template", template, "--yes")
        stub.assert_no_pending_responses()
    message = str(refused.value)
    assert refused.value.exit_code == 2
    assert refused.value.details == ("AWS::ElasticLoadBalancingV2::Listener Listener is REPLACED (carries traffic)",)
    assert "--allow-replacement" in message and "nothing was changed" in message and len(message) < 250
    out = capsys.readouterr().out
    assert out.index("STOP: replaces or removes what carries traffic or data") < out.index("Resources")
    assert "[!] AWS::ElasticLoadBalancingV2::Listener Listener is REPLACED (carries traffic)" in out


def test_at_a_terminal_an_allowed_replacement_needs_the_stack_name_typed(tmp_path):
    cf = stubs.cloudformation_client()
    deployed, template, changes = _listener_replaced(tmp_path)
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as declined:
            _run(cf, "--template", template, "--allow-replacement", typed="y")
        stub.assert_no_pending_responses()
    assert "declined" in str(declined.value) and "'my-container-infra'" in str(declined.value)


def test_allowed_and_typed_the_replacement_is_deployed(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed, template, changes = _listener_replaced(tmp_path)
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes)
        stubs.executed_update(stub)
        assert _run(cf, "--template", template, "--allow-replacement", typed="my-container-infra") == 0
        stub.assert_no_pending_responses()
    assert "✓ my-container-infra: UPDATE_COMPLETE" in capsys.readouterr().out


def test_removing_a_retained_repository_is_guarded_and_the_json_says_so(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(
        Repository=REPOSITORY, Logs={"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}
    )
    template = _write(tmp_path, _template(Logs=deployed["Resources"]["Logs"]))
    changes = [stubs.resource_change("Remove", "Repository", "AWS::ECR::Repository")]
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert _run(cf, "--template", template, "--diff", "--json", "--exit-code") == 3
        stub.assert_no_pending_responses()
    document = json.loads(capsys.readouterr().out)
    assert list(document)[:7] == [
        "stack",
        "region",
        "newStack",
        "changeSet",
        "hasChanges",
        "broadensAccess",
        "guardedResources",
    ]
    assert document["guardedResources"] == [
        {
            "logicalId": "Repository",
            "type": "AWS::ECR::Repository",
            "what": "removed",
            "why": "holds data, DeletionPolicy Retain, UpdateReplacePolicy Retain",
        }
    ]


def _drift_detection(stub: Stubber, drifts: list[dict]) -> None:
    stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "drift-1"}, {"StackName": stubs.STACK_ID})
    stub.add_response(
        "describe_stack_drift_detection_status",
        {
            "StackId": stubs.STACK_ID,
            "StackDriftDetectionId": "drift-1",
            "DetectionStatus": "DETECTION_COMPLETE",
            "StackDriftStatus": "DRIFTED",
            "Timestamp": stubs.T0,
        },
        {"StackDriftDetectionId": "drift-1"},
    )
    stub.add_response(
        "describe_stack_resource_drifts",
        {"StackResourceDrifts": drifts},
        {"StackName": stubs.STACK_ID, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]},
    )


SERVICE_DRIFT = {
    "StackId": stubs.STACK_ID,
    "LogicalResourceId": "Service",
    "PhysicalResourceId": "arn:aws:ecs:eu-west-1:123456789012:service/web/svc",
    "ResourceType": "AWS::ECS::Service",
    "StackResourceDriftStatus": "MODIFIED",
    "Timestamp": stubs.T0,
    "PropertyDifferences": [
        {"PropertyPath": "/DesiredCount", "ExpectedValue": "2", "ActualValue": "5", "DifferenceType": "NOT_EQUAL"}
    ],
}


def test_diff_drift_shows_what_changed_outside_cloudformation(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    changed = json.loads(json.dumps(deployed))
    changed["Resources"]["Service"]["Properties"]["TaskDefinition"] = "webapp:2"
    changes = [
        stubs.resource_change(
            "Modify", "Service", "AWS::ECS::Service", details=[stubs.property_detail("TaskDefinition", "Never")]
        )
    ]
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes, validated=False)
        _drift_detection(stub, [SERVICE_DRIFT])
        stubs.no_validation_events(stub)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert _run(cf, "--template", _write(tmp_path, changed), "--diff", "--drift") == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "Drift: changed outside CloudFormation" in out
    assert "[MODIFIED] AWS::ECS::Service Service (also changed by this deploy)" in out
    assert "└─ /DesiredCount: expected 2, actual 5" in out


def test_revert_drift_creates_a_drift_aware_change_set_and_says_what_it_reverts(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    changes = [
        stubs.resource_change(
            "Modify", "Service", "AWS::ECS::Service", details=[stubs.property_detail("DesiredCount", "Never")]
        )
    ]
    with Stubber(cf) as stub:
        _plan(
            stub, deployed, changes, describe_params={**ANY_CREATE, "DeploymentMode": "REVERT_DRIFT"}, validated=False
        )
        _drift_detection(stub, [SERVICE_DRIFT])
        stub.add_response("describe_events", {"OperationEvents": []}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert _run(cf, "--template", _write(tmp_path, deployed), "--diff", "--revert-drift") == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert "Drift: changed outside CloudFormation (this deploy reverts it: REVERT_DRIFT)" in out
    assert "[MODIFIED] AWS::ECS::Service Service (also changed by this deploy; reverted by this deploy)" in out


def _validation_event(
    mode: str, name: str, reason: str, logical_id: str = "Bucket", path: str = "/Resources/Bucket/Properties"
) -> dict:
    return {
        "EventId": f"ev-{name}",
        "EventType": "VALIDATION_ERROR",
        "ValidationFailureMode": mode,
        "ValidationName": name,
        "ValidationStatus": "FAILED",
        "ValidationStatusReason": reason,
        "LogicalResourceId": logical_id,
        "ValidationPath": path,
        "Timestamp": stubs.T0,
    }


def test_a_failed_validation_stops_the_deploy_with_its_reason(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    changed = _template(
        Service=SERVICE,
        Bucket={"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}},
    )
    changes = [stubs.resource_change("Add", "Bucket", "AWS::S3::Bucket")]
    events = [
        _validation_event("WARN", "PropertyValidation", "BucketName is unusual"),
        _validation_event(
            "FAIL",
            "NameConflictValidation",
            "Resource of type 'AWS::S3::Bucket' with identifier 'taken' already exists.",
        ),
    ]
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes, validated=False)
        stub.add_response(
            "describe_events", {"OperationEvents": events[:1], "NextToken": "t"}, {"ChangeSetName": stubs.CHANGE_SET_ID}
        )
        stub.add_response(
            "describe_events", {"OperationEvents": events[1:]}, {"ChangeSetName": stubs.CHANGE_SET_ID, "NextToken": "t"}
        )
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as stopped:
            _run(cf, "--template", _write(tmp_path, changed), "--yes")
        stub.assert_no_pending_responses()
    assert str(stopped.value) == (
        "not deploying to my-container-infra: CloudFormation's validation NameConflictValidation failed: "
        "Resource of type 'AWS::S3::Bucket' with identifier 'taken' already exists."
    )
    out = capsys.readouterr().out
    section = out.split("CloudFormation's pre-deployment validation")[1]
    assert section.index("✗ NameConflictValidation FAILED at Bucket /Resources/Bucket/Properties") < section.index(
        "? PropertyValidation FAILED"
    )


def test_an_endpoint_without_describe_events_is_passed_over_in_one_line(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    changes = [stubs.resource_change("Add", "Bucket", "AWS::S3::Bucket")]
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes, validated=False)
        stub.add_client_error("describe_events", service_error_code="InvalidAction", http_status_code=400)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        assert (
            _run(
                cf,
                "--template",
                _write(tmp_path, _template(Service=SERVICE, Bucket={"Type": "AWS::S3::Bucket"})),
                "--diff",
            )
            == 0
        )
        stub.assert_no_pending_responses()
    said = [line for line in capsys.readouterr().out.splitlines() if "validation" in line]
    assert said == [
        "Not checked here: CloudFormation's pre-deployment validation of the change set: DescribeEvents: InvalidAction"
    ]


def _reviewed(changes: list[dict], **fields: Any) -> dict[str, Any]:
    description = stubs.change_set(changes)
    description["Parameters"] = []
    description.update(fields)
    return description


@pytest.mark.parametrize(
    ("change_set", "stack", "reason"),
    [
        (
            {"ExecutionStatus": "OBSOLETE", "Status": "CREATE_COMPLETE"},
            {},
            "it is OBSOLETE (status CREATE_COMPLETE), not AVAILABLE",
        ),
        (
            {},
            {"LastUpdatedTime": stubs.T0 + timedelta(minutes=5)},
            "stack my-container-infra changed at 2026-11-26T12:05:00+00:00, "
            "after the change set was made at 2026-11-26T12:00:00+00:00",
        ),
    ],
)
def test_execute_refuses_a_change_set_that_is_no_longer_the_reviewed_one(change_set, stack, reason):
    cf = stubs.cloudformation_client()
    changes = [stubs.resource_change("Modify", "Service", "AWS::ECS::Service")]
    description = _reviewed(changes, **change_set)
    deployed_stack = stubs.stack("UPDATE_COMPLETE")
    deployed_stack["Stacks"][0].update(stack)
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_change_set",
            description,
            {
                "ChangeSetName": "container-infra-20261126-120000",
                "StackName": stubs.STACK,
                "IncludePropertyValues": True,
            },
        )
        stub.add_response("describe_stacks", deployed_stack, {"StackName": stubs.STACK_ID})
        with pytest.raises(UserError) as refused:
            _run(cf, "--execute", "container-infra-20261126-120000", "--yes")
        stub.assert_no_pending_responses()  # nothing executed, nothing deleted
    assert str(refused.value).startswith("--execute container-infra-20261126-120000: not executing: " + reason)
    assert "review a new one (deploy.py --diff --keep)" in str(refused.value)


def test_execute_leaves_the_reviewed_change_set_when_it_stops_before_executing_it():
    """A change set reviewed earlier was kept on purpose: an error before ExecuteChangeSet does not delete it."""
    cf = stubs.cloudformation_client()
    changes = [stubs.resource_change("Modify", "Logs", "AWS::Logs::LogGroup")]
    template = _template(Logs={"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}})
    deployed = _template(Logs={"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}})
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", _reviewed(changes))
        stack_and_templates(stub, stubs.stack("UPDATE_COMPLETE"), template, deployed)
        stubs.no_validation_events(stub)
        stub.add_client_error("describe_stack_events", "AccessDenied", "not allowed", 403)
        with pytest.raises(UserError, match="AccessDenied|not allowed"):
            _run(cf, "--execute", "container-infra-20261126-120000", "--yes")
        stub.assert_no_pending_responses()  # no DeleteChangeSet: the reviewed change set is still there


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--exit-code"], "--exit-code goes with --diff"),
        (["--keep"], "--keep goes with --diff"),
        (["--diff", "--markdown", "--json"], "--markdown and --json both given"),
        (
            ["--execute", "cs-1", "--diff"],
            "--execute cs-1 runs a change set made earlier, as it was reviewed: it takes no --diff",
        ),
        (["--execute", "cs-1", "--parameter", "A=1"], "it takes no --parameter"),
        (["--execute", "1-bad"], "--execute '1-bad': not a change set name"),
        (
            ["--destroy", "--allow-replacement"],
            "--destroy takes no --drift, --revert-drift, --allow-replacement or --execute",
        ),
    ],
)
def test_flag_conflicts_are_one_line(argv, fragment):
    with pytest.raises(UserError) as refused:
        parse_deploy(argv)
    assert fragment in str(refused.value)


def test_help_documents_exit_code_3():
    from container_infra.cli import deploy_parser

    text = deploy_parser().format_help()
    assert "3 --diff --exit-code found changes" in text and "--allow-replacement" in text


@pytest.mark.parametrize(
    ("yes", "tty", "answer", "outcome"),
    [
        (True, False, "", None),  # --yes: nothing is asked
        (False, False, "", "no terminal to ask for approval and no --yes"),
        (
            False,
            True,
            "y",
            "declined: nothing changed (replacing needs the stack name 'my-container-infra' typed, not 'y')",
        ),
        (False, True, "my-container-infra\n", None),
    ],
)
def test_typing_the_stack_name(yes, tty, answer, outcome):
    from container_infra.ui.approval import approve_typed
    from container_infra.ui.output import Output

    def run_it() -> None:
        approve_typed(
            Output(), "Type the stack name:", "my-container-infra", yes=yes, tty=tty, typed=lambda question: answer
        )

    if outcome is None:
        run_it()
        return
    with pytest.raises(UserError) as refused:
        run_it()
    assert outcome in str(refused.value)


def test_execute_refuses_the_change_set_of_another_stack_named_by_its_arn():
    """An ARN names its own stack: under another --stack-name it is refused before anything is read or executed."""
    cf = stubs.cloudformation_client()
    changes = [stubs.resource_change("Modify", "Service", "AWS::ECS::Service")]
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", _reviewed(changes))
        with pytest.raises(UserError) as refused:
            _run(cf, "--execute", stubs.CHANGE_SET_ID, "--stack-name", "beta", "--yes")
        stub.assert_no_pending_responses()  # no DescribeStacks, no ExecuteChangeSet
    assert str(refused.value).startswith(
        f"--execute {stubs.CHANGE_SET_ID}: the change set is for stack {stubs.STACK}, not beta; not executing it"
    )


def test_taking_spots_capacity_providers_off_a_live_cluster_stops_the_deploy_and_deletes_the_change_set(
    tmp_path, capsys
):
    spot = {"CapacityProviders": ["FARGATE", "FARGATE_SPOT"]}
    deployed = _template(Cluster={"Type": "AWS::ECS::Cluster", "Properties": spot})
    template = _write(tmp_path, _template(Cluster={"Type": "AWS::ECS::Cluster", "Properties": {}}))
    changes = [stubs.resource_change("Modify", "Cluster", "AWS::ECS::Cluster")]
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _plan(stub, deployed, changes, validated=False)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as refused:
            _run(cf, "--template", template, "--yes")
        stub.assert_no_pending_responses()
    assert refused.value.exit_code == 2 and "forecast found 1 problem" in str(refused.value)
    assert "keep [service.capacity] with fargate_spot = 0" in capsys.readouterr().out


def test_execute_of_a_change_set_whose_stack_has_no_name_gives_no_empty_stack_name():
    """A description without a stack name (or a StackId that is not a stack ARN) leaves nothing to suggest: no hint
    with an empty --stack-name."""
    cf = stubs.cloudformation_client()
    changes = [stubs.resource_change("Modify", "Service", "AWS::ECS::Service")]
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", _reviewed(changes, StackName="", StackId="not-a-stack-arn"))
        with pytest.raises(UserError) as refused:
            _run(cf, "--execute", stubs.CHANGE_SET_ID, "--stack-name", "beta", "--yes")
    message = str(refused.value)
    assert message == (
        f"--execute {stubs.CHANGE_SET_ID}: the change set is for stack (unknown), not beta; not executing it"
    )
    assert "--stack-name  " not in message


@pytest.mark.parametrize("flag", ["--execute", "--discard"])
def test_under_an_environment_the_hint_for_another_stacks_change_set_names_env_not_stack_name(flag):
    """--env fixes the stack name: the hint names the environment's flag, not a --stack-name to add beside it."""
    from container_infra.commands.kept_change_sets import refuse_another_stack
    from container_infra.hints import EnvironmentTarget, in_environment

    description = {"StackName": "other-stack", "StackId": stubs.STACK_ID}
    with pytest.raises(UserError) as refused, in_environment(EnvironmentTarget("app.toml", "prod", stubs.ACCOUNT)):
        refuse_another_stack(flag, "cs-1", description, "prod-stack")
    message = str(refused.value)
    doing = {"--execute": "executing", "--discard": "discarding"}[flag]
    assert message.startswith(f"{flag} cs-1: the change set is for stack other-stack, not prod-stack; not {doing} it")
    assert message.endswith(f"(pass the --env whose stack is other-stack to {flag[2:]} it there)")
    assert "--stack-name" not in message


def test_under_an_environment_an_unknown_change_set_names_env_not_stack_name():
    from container_infra.commands.kept_change_sets import describe_kept
    from container_infra.hints import EnvironmentTarget, in_environment

    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_change_set", "ChangeSetNotFound", "ChangeSet [cs-1] does not exist", 404)
        with (
            pytest.raises(UserError) as refused,
            in_environment(EnvironmentTarget("app.toml", "prod", stubs.ACCOUNT)),
        ):
            describe_kept(cf, "--execute", "cs-1", "prod-stack", changes=True)
    assert "pass the name printed by --diff --keep with its --env, or the change set's ARN" in str(refused.value)

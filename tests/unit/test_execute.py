"""--execute NAME against change-set and stack shapes from CloudFormation (botocore Stubber): the approval and the
guard apply as in a deploy, and a change set whose stack is busy, changed or deleted since it was made is refused.

A change set --execute does not execute stays: no test here expects a DeleteChangeSet.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.cfn.reviewed import stale_reason
from container_infra.cli import parse_deploy
from container_infra.commands import run
from container_infra.errors import UserError
from tests.fakes import stubs
from tests.fakes.kept_change_set_stubs import stack_and_templates
from tests.fakes.recorded_output import RecordedLines
from tests.fakes.stubs import stub_aws

NAME = "container-infra-20261126-120000"
KEPT = f" (the change set {NAME} is still there to execute later)"
LISTENER_TYPE = "AWS::ElasticLoadBalancingV2::Listener"


def _template(port: int) -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Listener": {
                "Type": LISTENER_TYPE,
                "Properties": {"LoadBalancerArn": "arn:lb", "Port": port, "Protocol": "HTTP"},
            },
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": port}},
        },
    }


DEPLOYED, REVIEWED = _template(80), _template(81)
IN_PLACE = [stubs.resource_change("Modify", "Logs", "AWS::Logs::LogGroup")]
REPLACED = [
    stubs.resource_change("Modify", "Logs", "AWS::Logs::LogGroup"),
    # Replacement alone, as CloudFormation may give it with no Details to a caller that reads only the summary
    {
        "Type": "Resource",
        "ResourceChange": {
            **stubs.resource_change("Modify", "Listener", LISTENER_TYPE)["ResourceChange"],
            "Replacement": "True",
        },
    },
]


def _kept(changes: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    description = stubs.change_set(changes)
    description["Parameters"] = []
    description.update(fields)
    return description


def _run(cf: Any, *argv: str, tty: bool = False, answer: bool = False, typed: str = "") -> int:
    asked: list[str] = []

    def prompt(question: str) -> bool:
        asked.append(question)
        return answer

    def typed_prompt(question: str) -> str:
        asked.append(question)
        return typed

    try:
        return run(
            parse_deploy(["--execute", NAME, *argv]),
            aws=stub_aws(stubs.REGION, cloudformation=cf),
            prompt=prompt,
            tty=tty,
            typed=typed_prompt,
        )
    finally:
        _run.asked = asked  # type: ignore[attr-defined]


def _reviewed_up_to_approval(stub: Stubber, changes: list[dict[str, Any]], **stack_fields: Any) -> None:
    """The kept change set read, its stack as it was when the change set was made, both templates, its validation."""
    stub.add_response(
        "describe_change_set",
        _kept(changes),
        {"ChangeSetName": NAME, "StackName": stubs.STACK, "IncludePropertyValues": True},
    )
    stack = stubs.stack("UPDATE_COMPLETE")
    stack["Stacks"][0].update(stack_fields)
    stack_and_templates(stub, stack, REVIEWED, DEPLOYED)
    stubs.no_validation_events(stub)


# Approval: no --yes and no terminal is a refusal; on a terminal it asks.


def test_without_yes_or_a_terminal_it_is_refused_and_the_change_set_stays():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, IN_PLACE)
        with pytest.raises(UserError) as refused:
            _run(cf)
        stub.assert_no_pending_responses()  # no ExecuteChangeSet, no DeleteChangeSet
    assert refused.value.exit_code == 2
    assert str(refused.value) == (
        "not deploying: no terminal to ask for approval and no --yes; nothing changed (pass --yes to go ahead "
        "without asking)" + KEPT
    )
    assert _run.asked == []  # type: ignore[attr-defined]


def test_on_a_terminal_it_asks_and_a_no_executes_nothing():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, IN_PLACE)
        with pytest.raises(UserError) as declined:
            _run(cf, tty=True, answer=False)
        stub.assert_no_pending_responses()
    assert str(declined.value) == "declined: nothing changed (deploying needs a 'y')" + KEPT
    assert _run.asked == [f"Deploy these changes to {stubs.STACK} in {stubs.REGION}?"]  # type: ignore[attr-defined]


def test_on_a_terminal_a_yes_executes_the_reviewed_change_set(capsys):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, IN_PLACE)
        stubs.executed_update(stub)
        assert _run(cf, tty=True, answer=True) == 0
        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert out.startswith(f"Executing the reviewed change set {NAME}, made 2026-11-26T12:00:00+00:00\n")
    assert f"✓ {stubs.STACK}: UPDATE_COMPLETE" in out


# The guard: a guarded replacement is refused without --allow-replacement, even with --yes, naming what it replaces;
# allowed, it asks for the stack name typed.


@pytest.mark.parametrize("argv", [["--yes"], []])
def test_a_guarded_replacement_is_refused_naming_the_resources(argv, capsys):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, REPLACED)
        with pytest.raises(UserError) as refused:
            _run(cf, *argv, tty=True, answer=True, typed=stubs.STACK)
        stub.assert_no_pending_responses()
    assert refused.value.exit_code == 2
    assert str(refused.value).startswith(
        f"not deploying to {stubs.STACK}: the change set replaces or removes 1 resource(s) that carry traffic or data"
    )
    assert str(refused.value).endswith(KEPT)
    assert refused.value.details == (f"{LISTENER_TYPE} Listener is REPLACED (carries traffic)",)
    assert _run.asked == []  # type: ignore[attr-defined]
    assert f"[!] {LISTENER_TYPE} Listener is REPLACED (carries traffic)" in capsys.readouterr().out


def test_an_allowed_replacement_asks_for_the_stack_name_and_a_wrong_one_refuses():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, REPLACED)
        with pytest.raises(UserError) as declined:
            _run(cf, "--allow-replacement", tty=True, answer=True, typed="y")
        stub.assert_no_pending_responses()
    assert str(declined.value) == (
        f"declined: nothing changed (replacing needs the stack name {stubs.STACK!r} typed, not 'y')" + KEPT
    )
    assert _run.asked == [  # type: ignore[attr-defined]
        f"This replaces or removes what carries traffic or data. Type the stack name ({stubs.STACK}) to deploy:"
    ]


def test_an_allowed_replacement_typed_is_executed():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        _reviewed_up_to_approval(stub, REPLACED)
        stubs.executed_update(stub)
        assert _run(cf, "--allow-replacement", tty=True, typed=stubs.STACK) == 0
        stub.assert_no_pending_responses()


# Staleness: what was reviewed is no longer what executing would do.


def _refused_as_stale(stack: dict[str, Any] | None, **change_set: Any) -> str:
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", _kept(IN_PLACE, **change_set))
        if stack is None:
            stub.add_client_error("describe_stacks", **stubs.no_stack_error())
        else:
            stub.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": stubs.STACK_ID})
        with pytest.raises(UserError) as refused:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()  # no template read, nothing executed, nothing deleted
    assert refused.value.exit_code == 2
    message = str(refused.value)
    assert message.startswith(f"--execute {NAME}: not executing: ")
    return message.removeprefix(f"--execute {NAME}: not executing: ")


def _stack(status: str, **fields: Any) -> dict[str, Any]:
    return {**stubs.stack(status)["Stacks"][0], **fields}


NEW_REVIEW = "review a new one (deploy.py --diff --keep) and execute that"


@pytest.mark.parametrize("status", ["UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "DELETE_IN_PROGRESS"])
def test_a_busy_stack_is_refused(status):
    assert _refused_as_stale(_stack(status)) == (
        f"stack {stubs.STACK} is {status}; wait for it to finish, then {NEW_REVIEW}"
    )


def test_a_stack_changed_after_the_change_set_was_made_is_refused():
    changed = _stack("UPDATE_COMPLETE", LastUpdatedTime=stubs.T0 + timedelta(seconds=1))
    assert _refused_as_stale(changed) == (
        f"stack {stubs.STACK} changed at 2026-11-26T12:00:01+00:00, after the change set was made at "
        f"2026-11-26T12:00:00+00:00 (UPDATE_COMPLETE); {NEW_REVIEW}"
    )


def test_a_stack_created_after_the_change_set_was_made_is_refused():
    """No LastUpdatedTime: the stack's CreationTime is its last change (a stack deleted and made again by name)."""
    recreated = _stack("CREATE_COMPLETE", CreationTime=stubs.T0 + timedelta(minutes=1))
    assert _refused_as_stale(recreated).startswith(f"stack {stubs.STACK} changed at 2026-11-26T12:01:00+00:00")


@pytest.mark.parametrize(
    "stack",
    [
        # DescribeStacks by stack ID still answers for a deleted stack, DELETE_COMPLETE; its last update may well
        # be older than the change set.
        _stack("DELETE_COMPLETE", DeletionTime=stubs.T0 + timedelta(minutes=1)),
        _stack("DELETE_COMPLETE", LastUpdatedTime=stubs.T0 - timedelta(days=1), DeletionTime=stubs.T0),
        None,  # or says it does not exist
    ],
    ids=["deleted", "deleted-updated-earlier", "gone"],
)
def test_a_deleted_stack_is_refused(stack):
    assert _refused_as_stale(stack) == f"its stack no longer exists; {NEW_REVIEW}"


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"ExecutionStatus": "EXECUTE_COMPLETE"}, "it is EXECUTE_COMPLETE (status CREATE_COMPLETE), not AVAILABLE"),
        (
            {"ExecutionStatus": "UNAVAILABLE", "Status": "FAILED", "StatusReason": "No updates"},
            "it is UNAVAILABLE (status FAILED: No updates), not AVAILABLE",
        ),
    ],
)
def test_a_change_set_no_longer_available_is_refused(fields, said):
    assert _refused_as_stale(_stack("UPDATE_COMPLETE"), **fields) == f"{said}; {NEW_REVIEW}"


def test_a_stack_unchanged_since_or_under_review_is_not_stale():
    reviewed = stubs.change_set([])
    same_time = _stack("UPDATE_COMPLETE", LastUpdatedTime=stubs.T0)
    assert stale_reason(reviewed, same_time) is None  # changed no later than the change set was made
    assert stale_reason(reviewed, _stack("UPDATE_COMPLETE", LastUpdatedTime=stubs.T0 - timedelta(hours=1))) is None
    # a CREATE change set: the review-only stack was made with it, a moment before or after
    assert stale_reason(reviewed, _stack("REVIEW_IN_PROGRESS", CreationTime=stubs.T0 + timedelta(seconds=1))) is None


# What is handed on to be executed, and what is shown before: the plan, the parameters, the secrets.


class _Applied(Exception):
    """Stands for the execution: the test stops at the plan apply() is given."""


def _stop_at_apply(monkeypatch) -> list[Any]:
    plans: list[Any] = []

    def apply(aws: Any, plan: Any, out: Any) -> Any:
        plans.append(plan)
        raise _Applied

    monkeypatch.setattr("container_infra.commands.execute.apply", apply)
    return plans


PARAMETERS = {
    "Retention": {"Type": "Number", "Default": "7"},
    "Token": {"Type": "String", "NoEcho": "true", "Default": "dflt-s3cret"},
}


def _with_parameters(tag: str) -> dict[str, Any]:
    resource = {"Type": "AWS::SSM::Parameter", "Properties": {"Value": {"Ref": "Token"}, "Name": tag}}
    return {"Parameters": PARAMETERS, "Resources": {"Param": resource}}


@pytest.mark.parametrize(
    ("status", "change_set_type", "new_stack"),
    [("UPDATE_COMPLETE", "UPDATE", False), ("REVIEW_IN_PROGRESS", "CREATE", True)],
)
def test_the_plan_executed_is_the_change_sets_with_its_parameters_shown_and_its_secrets_masked(
    monkeypatch, capsys, status, change_set_type, new_stack
):
    plans = _stop_at_apply(monkeypatch)
    reviewed, deployed = _with_parameters("dflt-s3cret-v2"), _with_parameters("v1")
    kept = _kept(
        [stubs.resource_change("Modify" if not new_stack else "Add", "Param", "AWS::SSM::Parameter")],
        Parameters=[
            {"ParameterKey": "Retention", "ParameterValue": "30"},
            {"ParameterKey": "Token", "ParameterValue": "****"},  # how DescribeChangeSet shows a NoEcho value
        ],
    )
    stack = stubs.stack(status, parameters={"Retention": "14", "Token": "****"})  # not the default: it is read
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_change_set", kept, {"ChangeSetName": stubs.CHANGE_SET_ID, "IncludePropertyValues": True}
        )
        stack_and_templates(stub, stack, reviewed, None if new_stack else deployed)
        # the validation is not offered here: the line saying so goes through the command's output
        stub.add_client_error("describe_events", "InvalidAction", "not offered", 400)
        with pytest.raises(_Applied):
            run(
                parse_deploy(["--execute", stubs.CHANGE_SET_ID, "--yes"]),
                aws=stub_aws(stubs.REGION, cloudformation=cf),
                tty=False,
            )
        stub.assert_no_pending_responses()
    [plan] = plans
    assert (plan.stack_name, plan.new_stack, plan.made_here) == (stubs.STACK, new_stack, False)
    assert (plan.change_set.id, plan.change_set.change_set_type) == (stubs.CHANGE_SET_ID, change_set_type)
    assert plan.stack == stack["Stacks"][0] and plan.template == reviewed
    out = capsys.readouterr().out
    assert out.startswith(f"Executing the reviewed change set {NAME}, made 2026-11-26T12:00:00+00:00\n")
    assert "Not checked here: CloudFormation's pre-deployment validation" in out
    parameters = [line for line in out.splitlines() if "Retention:" in line]
    assert parameters == (["[+] Retention: 30"] if new_stack else ["[~] Retention: 14 → 30"])
    assert "dflt-s3cret" not in out
    if not new_stack:  # an update shows the property that holds the NoEcho default, masked
        assert "****-v2" in out


def test_the_first_line_is_bold_and_a_broadening_is_warned_before_the_question(monkeypatch):
    from container_infra.commands.execute import execute_reviewed
    from container_infra.steps.approve import ACCESS_WARNING, Asking

    _stop_at_apply(monkeypatch)
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {},
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
                }
            ],
        },
    }
    reviewed = {"Resources": {**DEPLOYED["Resources"], "Role": role}}
    cf, out, asked = stubs.cloudformation_client(), RecordedLines(), []
    description = _kept([stubs.resource_change("Add", "Role", "AWS::IAM::Role")])
    del description["CreationTime"]  # not a datetime: said as "earlier"
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", description)
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK_ID})
        stub.add_response("get_template", {"TemplateBody": json.dumps(reviewed)})
        stub.add_response("get_template", {"TemplateBody": json.dumps(DEPLOYED)})
        stubs.no_validation_events(stub)
        options = parse_deploy(["--execute", NAME])
        asking = Asking(False, True, lambda question: asked.append(list(out.lines)) or True)
        with pytest.raises(_Applied):
            execute_reviewed(options, stubs.STACK, stub_aws(cloudformation=cf), out, asking)  # type: ignore[arg-type]
    assert out.lines[0] == (f"Executing the reviewed change set {NAME}, made earlier", "bold")
    assert asked[0][-1] == (ACCESS_WARNING, "bold red")


@pytest.mark.parametrize(
    ("code", "status"), [("ChangeSetNotFound", 404), ("ChangeSetNotFoundException", 404), ("ValidationError", 400)]
)
def test_an_unknown_change_set_is_one_line_naming_what_to_pass(code, status):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_change_set", code, "ChangeSet [x] does not exist", status)
        with pytest.raises(UserError) as refused:
            _run(cf, "--yes")
    assert str(refused.value) == (
        f"--execute {NAME}: no such change set on stack {stubs.STACK} (ChangeSet [x] does not exist); pass the name "
        "printed by --diff --keep with its --stack-name, or the change set's ARN"
    )


def test_another_error_reading_the_change_set_is_not_called_unknown():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_client_error("describe_change_set", "AccessDenied", "not authorized", 403)
        with pytest.raises(UserError) as failed:
            _run(cf, "--yes")
    assert str(failed.value) == "access denied for DescribeChangeSet: not authorized"


@pytest.mark.parametrize(
    ("fields", "owner"),
    [
        ({"StackName": "other"}, "other"),
        ({"StackName": "", "StackId": stubs.STACK_ID.replace(f"/{stubs.STACK}/", "/other/")}, "other"),
        ({"StackName": "", "StackId": "not-an-arn"}, "(unknown)"),
    ],
)
def test_a_change_set_of_another_stack_is_refused_naming_its_owner(fields, owner):
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("describe_change_set", _kept(IN_PLACE, **fields))
        with pytest.raises(UserError) as refused:
            _run(cf, "--yes")
        stub.assert_no_pending_responses()
    assert str(refused.value) == (
        f"--execute {NAME}: the change set is for stack {owner}, not {stubs.STACK}; not executing it"
        # an unknown owner gets no hint: an empty --stack-name would be none
        + ("" if owner == "(unknown)" else f" (pass --stack-name {owner} to execute it there)")
    )


@pytest.mark.parametrize(
    ("stack_id", "name"),
    [
        (stubs.STACK_ID, stubs.STACK),
        ("arn:aws:cloudformation:eu-west-1:123456789012:stack/web/uuid", "web"),
        ("arn:aws:cloudformation:eu-west-1:123456789012:stack/web", ""),
        ("arn:aws:cloudformation:eu-west-1:123456789012:stack/web/uuid/more", ""),
        ("arn:aws:cloudformation:eu-west-1:123456789012:changeSet/web/uuid", ""),
        ("", ""),
        ("stack/web/uuid", "web"),
    ],
)
def test_the_stack_name_in_a_stack_id(stack_id, name):
    from container_infra.commands.kept_change_sets import stack_name_of

    assert stack_name_of(stack_id) == name


def test_parameter_values_of_a_change_set():
    from container_infra.cfn.reviewed import parameter_values

    described = {"Parameters": [{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "B"}]}
    assert parameter_values(described) == {"A": "1", "B": ""}
    assert parameter_values({}) == {} and parameter_values({"Parameters": None}) == {}


def test_json_and_a_validation_echoing_a_noecho_default(monkeypatch, capsys):
    """--execute --json: the document alone on stdout; a validation's reason that echoes a NoEcho default (shown
    after the diff was masked) is masked by the output, which --execute told about the reviewed template's secrets."""
    _stop_at_apply(monkeypatch)
    reviewed, deployed = _with_parameters("v2"), _with_parameters("v1")
    warning = {
        "EventId": "ev-1",
        "EventType": "VALIDATION_ERROR",
        "ValidationFailureMode": "WARN",
        "ValidationName": "PROPERTY_CHECK",
        "ValidationStatus": "FAILED",
        "ValidationStatusReason": "Name v2 near dflt-s3cret",
    }
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response(
            "describe_change_set", _kept([stubs.resource_change("Modify", "Param", "AWS::SSM::Parameter")])
        )
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK_ID})
        stub.add_response("get_template", {"TemplateBody": json.dumps(reviewed)})
        stub.add_response("get_template", {"TemplateBody": json.dumps(deployed)})
        stub.add_response("describe_events", {"OperationEvents": [warning]}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(_Applied):
            run(parse_deploy(["--execute", NAME, "--yes", "--json"]), aws=stub_aws(cloudformation=cf), tty=False)
        stub.assert_no_pending_responses()
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["changeSet"] == stubs.CHANGE_SET_ID
    assert [v["reason"] for v in document["validations"]] == ["Name v2 near ****"]
    assert "dflt-s3cret" not in captured.out + captured.err


ELSEWHERE = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/uuid"


@pytest.mark.parametrize(
    ("name", "environment", "said"),
    [
        (stubs.CHANGE_SET_ID, None, None),  # here: goes on
        (NAME, None, None),  # a name is looked for where the run is
        ("arn:aws:cloudformation", None, None),  # not an ARN with a region: looked for as it is
        (
            ELSEWHERE,
            None,
            f"--execute {ELSEWHERE}: the change set is in region us-east-1, but this run is in eu-west-1; not "
            "executing it (pass --region us-east-1)",
        ),
        (
            # the fields are the first five colons' (a colon further on changes nothing)
            ELSEWHERE + ":x",
            None,
            f"--execute {ELSEWHERE}:x: the change set is in region us-east-1, but this run is in eu-west-1; not "
            "executing it (pass --region us-east-1)",
        ),
        (
            ELSEWHERE,
            "123456789012",
            f"--execute {ELSEWHERE}: the change set is in region us-east-1, but environment prod is in eu-west-1; "
            "not executing it",
        ),
        (
            ELSEWHERE,
            "210987654321",
            f"--execute {ELSEWHERE}: the change set is in account 123456789012, but environment prod is account "
            "210987654321; not executing it (pass the --env it was kept for)",
        ),
    ],
)
def test_a_change_set_elsewhere_is_refused_naming_where(name, environment, said):
    from container_infra.commands.kept_change_sets import refuse_another_place
    from container_infra.hints import EnvironmentTarget, in_environment

    target = EnvironmentTarget("app.toml", "prod", environment) if environment else None
    with in_environment(target):
        if said is None:
            refuse_another_place("--execute", name, stubs.REGION)
            return
        with pytest.raises(UserError) as refused:
            refuse_another_place("--execute", name, stubs.REGION)
    assert str(refused.value) == said


def test_execute_of_a_change_set_in_another_region_is_refused_before_any_call_naming_the_flag():
    arn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/uuid"
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub, pytest.raises(UserError) as refused:
        run(parse_deploy(["--execute", arn, "--yes"]), aws=stub_aws(stubs.REGION, cloudformation=cf), tty=False)
    stub.assert_no_pending_responses()
    assert str(refused.value) == (
        f"--execute {arn}: the change set is in region us-east-1, but this run is in {stubs.REGION}; not executing it "
        "(pass --region us-east-1)"
    )

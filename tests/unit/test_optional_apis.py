"""The optional APIs on a stack (Stubber, for exact AWS answers): drift detection that the endpoint does not offer is
one line and exit 2 where --drift asked for it; a DETECTION_FAILED detection says what it could not check; the
ValidationError "No updates are to be performed" is "No changes"."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from container_infra.errors import UserError
from tests.fakes import stubs
from tests.unit.test_safety_stubbed import ANY_CREATE, SERVICE, SERVICE_DRIFT, _plan, _run, _template, _write


def test_drift_on_an_endpoint_without_drift_detection_is_one_line_and_the_change_set_goes(tmp_path):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    with Stubber(cf) as stub:
        _plan(stub, deployed, [], validated=False)
        stub.add_client_error("detect_stack_drift", "InvalidAction", "Could not find operation DetectStackDrift", 400)
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        with pytest.raises(UserError) as raised:
            _run(cf, "--template", _write(tmp_path, deployed), "--diff", "--drift")
        stub.assert_no_pending_responses()
    assert str(raised.value) == (
        "--drift: this endpoint does not offer drift detection: DetectStackDrift: InvalidAction"
    )
    assert raised.value.exit_code == 2


def test_a_failed_drift_detection_says_the_drift_shown_is_partial(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    with Stubber(cf) as stub:
        _plan(stub, deployed, [], validated=False)
        stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "d-1"}, {"StackName": stubs.STACK_ID})
        stub.add_response(
            "describe_stack_drift_detection_status",
            {
                "StackId": stubs.STACK_ID,
                "StackDriftDetectionId": "d-1",
                "DetectionStatus": "DETECTION_FAILED",
                "DetectionStatusReason": "Failed to detect drift on resource [Service]",
                "Timestamp": stubs.T0,
            },
            {"StackDriftDetectionId": "d-1"},
        )
        stub.add_response(
            "describe_stack_resource_drifts",
            {"StackResourceDrifts": [SERVICE_DRIFT]},
            {"StackName": stubs.STACK_ID, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]},
        )
        stub.add_response("delete_change_set", {}, {"ChangeSetName": stubs.CHANGE_SET_ID})
        _run(cf, "--template", _write(tmp_path, deployed), "--diff", "--drift")
    said = capsys.readouterr()
    assert (
        "Drift detection did not check every resource (DETECTION_FAILED: Failed to detect drift on resource "
        "[Service])" in said.out + said.err
    )


def test_no_updates_to_be_performed_is_no_changes(tmp_path, capsys):
    cf = stubs.cloudformation_client()
    deployed = _template(Service=SERVICE)
    with Stubber(cf) as stub:
        stub.add_response("describe_stacks", stubs.stack("UPDATE_COMPLETE"), {"StackName": stubs.STACK})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": stubs.STACK})
        stub.add_client_error(
            "create_change_set", "ValidationError", "No updates are to be performed.", 400, expected_params=ANY_CREATE
        )
        assert _run(cf, "--template", _write(tmp_path, deployed), "--diff", "--exit-code") == 0
        stub.assert_no_pending_responses()
    assert "No changes" in capsys.readouterr().out

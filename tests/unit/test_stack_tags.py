"""Stack tags: an update without --tag keeps the stack's tags (Stubber: the exact CreateChangeSet request)."""

from __future__ import annotations

from botocore.stub import ANY, Stubber

from container_infra.aws.changesets import create_change_set
from tests.fakes import stubs

COMMON = {
    "StackName": "app",
    "ChangeSetName": ANY,
    "ChangeSetType": "UPDATE",
    "Parameters": [],
    "Capabilities": [],
    "Description": ANY,
    "ClientToken": ANY,
    "TemplateBody": "{}",
}
CREATED = {"Id": stubs.CHANGE_SET_ID, "StackId": stubs.STACK_ID}


def _create(cf, tags: dict[str, str]) -> None:
    create_change_set(
        cf,
        stack_name="app",
        change_set_type="UPDATE",
        template={"TemplateBody": "{}"},
        parameters=[],
        capabilities=[],
        tags=tags,
    )


def test_an_update_without_tags_leaves_tags_out_so_the_stack_keeps_them():
    # UpdateStack's reference: "If you specify an empty value, CloudFormation removes all associated tags".
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("create_change_set", CREATED, COMMON)  # no Tags key: Stubber refuses an extra one
        _create(cf, {})
        stub.assert_no_pending_responses()


def test_tags_given_are_sent():
    cf = stubs.cloudformation_client()
    with Stubber(cf) as stub:
        stub.add_response("create_change_set", CREATED, {**COMMON, "Tags": [{"Key": "team", "Value": "web"}]})
        _create(cf, {"team": "web"})
        stub.assert_no_pending_responses()

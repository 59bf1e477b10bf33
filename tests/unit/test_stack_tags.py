"""Stack tags: an update without --tag keeps the stack's tags (Stubber: the exact CreateChangeSet request), and what
--tag changes is in the diff."""

from __future__ import annotations

import json

from botocore.stub import ANY, Stubber

from container_infra.aws.changesets import create_change_set
from container_infra.diff.model import Diff
from container_infra.diff.tags import current_tags, tag_changes
from container_infra.render.json import diff_json
from container_infra.render.markdown import diff_markdown
from container_infra.render.text import render_diff
from container_infra.ui.output import Output
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


def test_given_tags_replace_the_set_and_the_diff_says_what_changes():
    changes = tag_changes({"team": "web", "owner": "ops", "env": "dev"}, {"team": "web", "env": "prod"})
    assert [(c.name, c.old, c.new) for c in changes] == [("env", "dev", "prod"), ("owner", "ops", None)]
    assert tag_changes({"team": "web"}, {}) == []  # no --tag: the stack keeps its tags, nothing to show
    assert current_tags({"Tags": [{"Key": "team", "Value": "web"}]}) == {"team": "web"}


def _tag_diff() -> Diff:
    return Diff(stack_tags=tag_changes({"env": "dev", "owner": "ops"}, {"env": "prod"}))


def test_a_tag_only_change_is_a_change_in_text_json_and_markdown(capsys):
    diff = _tag_diff()
    assert diff.has_changes  # else the change set that applies them would be thrown away as "No changes"
    render_diff(Output(), diff, stack_name="app", region="eu-west-1", new_stack=False)
    text = capsys.readouterr().out
    assert "Stack tags" in text and "[~] env: dev → prod" in text and "[-] owner: ops" in text
    assert "No changes" not in text
    document = json.loads(diff_json(diff, stack_name="app", region="eu-west-1", new_stack=False, change_set_id=None))
    assert document["hasChanges"] is True
    assert document["stackTags"] == [
        {"name": "env", "old": "dev", "new": "prod", "replacement": None},
        {"name": "owner", "old": "ops", "new": None, "replacement": None},
    ]
    markdown = diff_markdown(diff, stack_name="app", region="eu-west-1", new_stack=False)
    assert "#### Stack tags" in markdown and "| ~ | `env` | `dev` | `prod` |" in markdown

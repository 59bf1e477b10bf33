"""The last line when this process stops watching an operation that goes on in AWS: word for word, per command."""

from __future__ import annotations

import pytest

from container_infra.errors import AwsError, ConnectionLost, DeployFailed, Interrupted
from container_infra.watch import detached

WHERE = "--stack-name web --region eu-west-1"
FOLLOW = f"`uv run deploy.py --follow {WHERE}`"


def _stopped_by(error: BaseException, goes_on: detached.GoesOn) -> BaseException:
    with pytest.raises(BaseException) as stopped, detached.goes_on_in_aws(goes_on):
        raise error
    return stopped.value


def _lost() -> Exception:
    return ConnectionLost("cannot reach cloudformation.eu-west-1.amazonaws.com (no connection) after 3 tries")


def _refused() -> Exception:
    return AwsError("not allowed", code="AccessDenied", operation="DescribeStackEvents")


def test_an_update_says_how_to_follow_and_cancel_it():
    goes_on = detached.deployment_goes_on("UPDATE", "web", "eu-west-1")
    sentence = (
        "the deployment goes on in AWS: the update of web continues in CloudFormation. "
        f"Follow it with {FOLLOW}; to cancel it: `aws cloudformation cancel-update-stack {WHERE}`"
    )
    interrupted = _stopped_by(KeyboardInterrupt(), goes_on)
    assert isinstance(interrupted, Interrupted) and str(interrupted) == f"stopped following, but {sentence}"
    lost = _stopped_by(_lost(), goes_on)
    assert isinstance(lost, DeployFailed)
    assert str(lost) == f"lost the connection to AWS after the deployment started: {sentence}"
    refused = _stopped_by(_refused(), goes_on)
    assert isinstance(refused, DeployFailed) and str(refused).endswith(f" after the deployment started: {sentence}")
    assert "not allowed" in str(refused)


def test_a_create_says_how_to_stop_it():
    goes_on = detached.deployment_goes_on("CREATE", "web", "eu-west-1")
    assert goes_on.interrupted.endswith(
        f"the create of web continues in CloudFormation. Follow it with {FOLLOW}; "
        f"to stop it, delete the stack: `aws cloudformation delete-stack {WHERE}`"
    )


def test_the_rollout_the_follow_and_the_delete():
    rollout = detached.rollout_goes_on("web", "eu-west-1")
    in_ecs = (
        f"CloudFormation has finished and the rollout goes on in ECS. Follow it with {FOLLOW} or in the ECS console."
    )
    assert rollout.interrupted == f"stopped watching the ECS rollout; {in_ecs}"
    assert rollout.connection_lost == f"lost the connection to AWS while watching the ECS rollout; {in_ecs}"
    follow = detached.operation_goes_on("update", "web", "eu-west-1")
    in_cfn = f"the update of web goes on in CloudFormation. Follow it with {FOLLOW} or in the ECS console."
    assert (follow.interrupted, follow.connection_lost) == (
        f"stopped following; {in_cfn}",
        f"lost the connection to AWS; {in_cfn}",
    )
    delete = detached.delete_goes_on("web", "eu-west-1")
    deleting = f"the delete of web goes on in CloudFormation: follow it with {FOLLOW}"
    assert (delete.interrupted, delete.connection_lost) == (
        f"stopped following, but {deleting}",
        f"lost the connection to AWS; {deleting}",
    )


def test_what_a_goes_on_does_not_name_ends_the_run_as_anywhere_else():
    """A continued rollback catches Ctrl-C only; a lost connection and an AWS error go on up unchanged."""
    goes_on = detached.rollback_goes_on("web")
    assert str(_stopped_by(KeyboardInterrupt(), goes_on)) == (
        "stopped following, but the rollback goes on in AWS: "
        "`aws cloudformation describe-stack-events --stack-name web`"
    )
    lost, refused = _lost(), _refused()
    assert _stopped_by(lost, goes_on) is lost
    assert _stopped_by(refused, goes_on) is refused


def test_under_an_environment_every_hint_names_the_environment_not_the_stack():
    """`--stack-name` alone would follow, execute or stop with the base credentials, in another account."""
    from container_infra.hints import EnvironmentTarget, in_environment

    with in_environment(EnvironmentTarget("app.toml", "prod", "210987654321")):
        goes_on = detached.deployment_goes_on("CREATE", "web", "eu-west-1")
        rollout = detached.rollout_goes_on("web", "eu-west-1")
        rollback = detached.rollback_goes_on("web")
    assert "`uv run deploy.py --follow --config app.toml --env prod`" in goes_on.interrupted
    delete = "`aws cloudformation delete-stack --stack-name web --region eu-west-1`"
    delete += " with credentials for account 210987654321"
    assert delete in goes_on.interrupted
    assert "--follow --config app.toml --env prod" in rollout.interrupted
    assert "with credentials for account 210987654321" in str(rollback.interrupted)
    assert "--follow --stack-name web --region eu-west-1" in detached.rollout_goes_on("web", "eu-west-1").interrupted


def test_kept_change_set_markdown_of_several_environments_names_each_environment():
    from container_infra.diff.model import Diff
    from container_infra.render.environments import Reviewed, environments_markdown

    reviews = [
        Reviewed("staging", "123456789012", "eu-west-1", "webapp", False, Diff(), "arn:cs/one"),
        Reviewed("prod", "210987654321", "eu-west-1", "webapp", False, Diff(), "arn:cs/two"),
    ]
    markdown = environments_markdown(reviews, {"staging": "one", "prod": "two"}, "app.toml")
    assert "deploy.py --execute one --config app.toml --env staging" in markdown
    assert "deploy.py --execute two --config app.toml --env prod" in markdown
    assert "--stack-name" not in markdown


def test_a_stuck_stack_under_an_environment_is_destroyed_through_the_environment():
    from container_infra.cfn.stacks import refuse_stuck
    from container_infra.hints import EnvironmentTarget, in_environment

    with pytest.raises(DeployFailed) as refused, in_environment(EnvironmentTarget("app.toml", "prod", "210987654321")):
        refuse_stuck({"StackStatus": "DELETE_FAILED", "StackName": "web"})
    assert "`deploy.py --destroy --config app.toml --env prod` again" in str(refused.value)
    assert (
        "`aws cloudformation describe-stack-events --stack-name web` with credentials for account 210987654321"
        in str(refused.value)
    )

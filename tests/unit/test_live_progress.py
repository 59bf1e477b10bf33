"""Long waits shown live on a terminal (rich's progress display) and as plain lines elsewhere."""

from __future__ import annotations

import io

from botocore.stub import Stubber
from rich.console import Console

from container_infra.aws.changesets import wait_for
from container_infra.cfn.changeset import ChangeSet
from container_infra.ui.live import LiveRows
from container_infra.ui.output import Output
from container_infra.watch.rollout import RolloutWatcher
from container_infra.watch.watched import WatchedService
from tests.fakes import stubs
from tests.fakes.clock import Clock

LOOK = {"ChangeSetName": stubs.CHANGE_SET_ID, "IncludePropertyValues": True}


class Rows:
    """What a live display would draw: each row's latest text."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def show(self, key: str, text: str) -> None:
        self.shown.append((key, text))

    def row(self, key: str):
        return lambda text: self.show(key, text)


def test_a_pipe_or_a_ci_log_gets_no_live_display():
    stream = io.StringIO()
    with Output(stream).live() as live:
        assert live is None
    assert stream.getvalue() == ""


def test_the_live_rows_show_each_rows_text_and_elapsed_time_and_mask_secrets(capsys):
    """Drawn on the Output's own console: stderr when stdout carries --json or --markdown, never stdout then."""
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100, color_system=None)
    rows = LiveRows(console, mask=lambda text: text.replace("s3cret", "****"))
    rows.show("WebappService", "ECS WebappService: rolling out, IN_PROGRESS: running 1/2, pending 1 s3cret")
    rows.show("WebappService", "ECS WebappService: rolling out, IN_PROGRESS: running 2/2, pending 0")
    rows.stop()
    drawn = stream.getvalue()
    assert "ECS WebappService: rolling out, IN_PROGRESS: running 1/2, pending 1 ****" in drawn
    assert "0:00:00" in drawn and "s3cret" not in drawn
    assert capsys.readouterr().out == ""


def test_live_rows_that_never_showed_a_row_draw_nothing():
    stream = io.StringIO()
    LiveRows(Console(file=stream, force_terminal=True), mask=str).stop()
    assert stream.getvalue() == ""


def test_the_change_set_wait_shows_every_look_live_instead_of_the_plain_lines():
    cf, slept, said, rows = stubs.cloudformation_client(), [], [], Rows()
    with Stubber(cf) as stub:
        for _ in range(10):
            stub.add_response("describe_change_set", stubs.change_set([], status="CREATE_IN_PROGRESS"), LOOK)
        stub.add_response("describe_change_set", stubs.change_set([]), LOOK)
        change_set = ChangeSet(stubs.CHANGE_SET_ID, stubs.STACK_ID, "CREATE", {})
        wait_for(cf, change_set, sleep=slept.append, clock=lambda: sum(slept), say=said.append, show=rows.row("cs"))
    assert said == []
    assert rows.shown == [("cs", "CloudFormation is working out the change set: CREATE_IN_PROGRESS")] * 10


def _look(stub: Stubber, deployments: list[dict]) -> None:
    stub.add_response(
        "describe_services", stubs.service(deployments), {"cluster": stubs.CLUSTER_ARN, "services": [stubs.SERVICE_ARN]}
    )
    stub.add_response(
        "list_tasks",
        {"taskArns": []},
        {"cluster": stubs.CLUSTER_ARN, "serviceName": stubs.SERVICE_ARN, "desiredStatus": "STOPPED"},
    )


def test_the_rollout_wait_redraws_its_row_at_every_look_instead_of_the_plain_lines(capsys):
    ecs, clock, rows = stubs.ecs_client(), Clock(), Rows()
    watched = WatchedService("WebappService", stubs.CLUSTER_ARN, stubs.SERVICE_ARN)
    watcher = RolloutWatcher(ecs, Output(), [watched], sleep=clock.sleep, clock=clock)
    with Stubber(ecs) as stub:
        for running in (0, 1, 1, 1, 1):
            _look(stub, [stubs.deployment(3, "IN_PROGRESS", running=running)])
        _look(stub, [stubs.deployment(3, "COMPLETED", running=2)])
        (verdict,) = watcher.finish(live=rows)
    assert verdict.state == "COMPLETED"
    assert rows.shown[0] == ("WebappService", "ECS WebappService: rolling out, IN_PROGRESS: running 0/2, pending 2")
    assert (
        rows.shown[1:] == [("WebappService", "ECS WebappService: rolling out, IN_PROGRESS: running 1/2, pending 1")] * 4
    )
    assert "still rolling out" not in capsys.readouterr().out

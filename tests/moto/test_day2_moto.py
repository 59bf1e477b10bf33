"""deploy.py --status, --logs and --rollback against moto's server, run as a user runs them."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.helpers import ROOT, deploy, one_error_line
from tests.tables import table_rows

STACK = "web-service"  # examples/web-service.toml's own
WEB_SERVICE = str(ROOT / "examples" / "web-service.toml")
FIRST_IMAGE = "public.ecr.aws/aws-containers/hello-app-runner:latest"


@pytest.fixture
def web_service(aws_env, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")  # moto's in-process server: the service's tasks come up
    result = deploy(aws_env, "--config", WEB_SERVICE, "--yes")
    assert result.returncode == 0, result.stderr
    return aws_env


def _physical(aws, logical_id: str) -> str:
    resources = aws("cloudformation").describe_stack_resources(StackName=STACK)["StackResources"]
    return next(r["PhysicalResourceId"] for r in resources if r.get("LogicalResourceId") == logical_id)


def _parameters(aws) -> dict[str, str]:
    stack = aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    return {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}


def test_status_of_a_deployed_web_service(web_service, aws):
    result = deploy(web_service, "--config", WEB_SERVICE, "--status")
    out = result.stdout
    assert f"Stack {STACK} in eu-west-1: CREATE_COMPLETE" in out
    assert "Service WebappService" in out and "desired 2, running 2, pending 0" in out
    assert "Task definition webapp:1" in out and f"web: {FIRST_IMAGE}" in out
    assert "URL: http://" in out
    # moto registers no targets: the load balancer has nowhere to send requests, and status says so with exit 1
    assert result.returncode == 1, result.stderr
    assert "✗ not healthy" in out and "no healthy targets in WebappTargetGroup" in out

    group = _physical(aws, "WebappTargetGroup")
    aws("elbv2").register_targets(
        TargetGroupArn=group, Targets=[{"Id": "10.0.1.10", "Port": 8000}, {"Id": "10.0.2.10", "Port": 8000}]
    )
    healthy = deploy(web_service, "--config", WEB_SERVICE, "--status")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "✓ healthy" in healthy.stdout
    assert ["10.0.1.10", "8000", "healthy"] in [row[:3] for row in table_rows(healthy.stdout)]

    as_json = deploy(web_service, "--config", WEB_SERVICE, "--status", "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    (service,) = data["services"]
    assert (service["desired"], service["running"], service["pending"]) == (2, 2, 0)
    assert data["healthy"] is True and data["problems"] == []
    assert data["url"].startswith("http://") and data["stack"]["status"] == "CREATE_COMPLETE"
    assert {t["id"] for t in data["targetGroups"][0]["targets"]} == {"10.0.1.10", "10.0.2.10"}
    assert data["taskDefinitions"][0]["containers"] == [{"name": "web", "image": FIRST_IMAGE}]


def test_status_of_a_stack_without_a_service_shows_the_task_definition_only(aws_env):
    sidecar = str(ROOT / "examples" / "sidecar.toml")
    assert deploy(aws_env, "--config", sidecar, "--yes").returncode == 0
    result = deploy(aws_env, "--config", sidecar, "--status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No ECS service in this stack: the task definition only" in result.stdout
    assert (
        "Task definition shop-api:1" in result.stdout
        and "metrics: public.ecr.aws/docker/library/busybox:1.36" in result.stdout
    )


def test_status_of_a_stack_that_does_not_exist_is_not_healthy(aws_env):
    line = one_error_line(deploy(aws_env, "--status"), code=1)
    assert "stack my-container-infra does not exist in eu-west-1" in line


def _put(aws, group: str, stream: str, events: list[tuple[int, str]]) -> None:
    logs = aws("logs")
    try:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    now = int(time.time() * 1000)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": now - seconds_ago * 1000, "message": message} for seconds_ago, message in events],
    )


@pytest.fixture
def app_logs(web_service, aws):
    group = _physical(aws, "WebappLogGroup")
    _put(aws, group, "webapp/web/task-a", [(1200, "twenty minutes ago"), (60, "GET / 200")])
    _put(aws, group, "webapp/web/task-b", [(90, "starting on :8000"), (30, "ERROR boom")])
    _put(aws, group, "other/web/task-c", [(40, "not this app's stream prefix")])
    return group


def test_logs_in_time_order_across_streams_with_container_and_task(app_logs, web_service):
    result = deploy(web_service, "--config", WEB_SERVICE, "--logs")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == [
        "web/task-b starting on :8000",
        "web/task-a GET / 200",
        "web/task-b ERROR boom",
    ]
    assert "twenty minutes ago" not in result.stdout and "not this app's" not in result.stdout

    longer = deploy(web_service, "--config", WEB_SERVICE, "--logs", "--since", "30m")
    assert longer.stdout.splitlines()[0].endswith("web/task-a twenty minutes ago")


def test_logs_filter_and_container(app_logs, web_service):
    errors = deploy(web_service, "--config", WEB_SERVICE, "--logs", "--filter", "ERROR", "--container", "web")
    assert errors.returncode == 0, errors.stderr
    assert [line.split(" ", 2)[2] for line in errors.stdout.splitlines()] == ["web/task-b ERROR boom"]
    line = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--logs", "--container", "worker"))
    assert "--container worker" in line and "it has: web" in line
    quiet = deploy(web_service, "--config", WEB_SERVICE, "--logs", "--since", "5s")
    assert quiet.returncode == 0 and quiet.stdout == "" and "No log lines in the last 5s" in quiet.stderr


def test_logs_tail_follows_new_lines_and_stops_cleanly_on_ctrl_c(app_logs, web_service, aws):
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy.py"), "--config", WEB_SERVICE, "--logs", "--tail"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=web_service,
        cwd=ROOT,
    )
    try:
        assert "ERROR boom" in _read_until(process, "ERROR boom")
        _put(aws, app_logs, "webapp/web/task-b", [(0, "a line written while following")])
        assert "web/task-b a line written while following" in _read_until(process, "while following")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped following the logs" in err


def _read_until(process: subprocess.Popen, needle: str, timeout: float = 30.0) -> str:
    """stdout lines until one holds `needle` (bounded: fails after `timeout` seconds).

    A reader thread, not select() on the text stream: select sees only the OS pipe, and lines already
    in the stream's buffer would never be reported."""
    lines = _lines_of(process)
    seen, deadline = "", time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        seen += line
        if needle in line:
            return seen
    raise AssertionError(f"no {needle!r} within {timeout}s; saw: {seen!r}")


def _lines_of(process: subprocess.Popen) -> queue.Queue[str]:
    if not hasattr(process, "lines"):
        process.lines = queue.Queue()  # type: ignore[attr-defined]
        threading.Thread(target=lambda: [process.lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[attr-defined,union-attr]
    return process.lines  # type: ignore[attr-defined]


def test_logs_without_a_logging_section_says_how_to_enable_it(aws_env):
    assert deploy(aws_env, "--yes").returncode == 0
    line = one_error_line(deploy(aws_env, "--logs"))
    assert "do not log to CloudWatch Logs" in line and "[logging]" in line


def test_rollback_after_two_deploys_restores_the_first_image(web_service, aws):
    second = deploy(
        web_service, "--config", WEB_SERVICE, "--yes", "--parameter", "WebImage=public.ecr.aws/nginx/nginx:1.27"
    )
    assert second.returncode == 0, second.stderr
    assert _parameters(aws)["WebImage"] == "public.ecr.aws/nginx/nginx:1.27"

    preview = deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--diff")
    assert preview.returncode == 0, preview.stderr
    assert "webapp:2 → the release of webapp:1" in preview.stdout
    assert f"[~] WebImage: public.ecr.aws/nginx/nginx:1.27 → {FIRST_IMAGE}" in preview.stdout
    assert _parameters(aws)["WebImage"] == "public.ecr.aws/nginx/nginx:1.27"  # --diff changes nothing

    refused = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--rollback"))
    assert "no terminal" in refused  # the normal approval

    result = deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--yes")
    assert result.returncode == 0, result.stderr
    assert "UPDATE_COMPLETE" in result.stdout
    parameters = _parameters(aws)
    assert parameters["WebImage"] == FIRST_IMAGE
    assert parameters["DesiredCount"] == "2" and parameters["TaskCpu"] == "512"  # everything else as it was
    template = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    (container,) = template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"]
    assert container["Image"] == {"Ref": "WebImage"}


def test_rollback_to_a_revision_that_does_not_exist(web_service):
    line = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--to", "99"))
    assert "--to 99" in line and "no task definition webapp:99" in line
    nothing = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--rollback"))
    assert "no earlier revision of webapp" in nothing


def test_rollback_never_offers_a_revision_another_stack_registered_in_the_shared_family(web_service):
    """staging is deployed from the same config (family webapp) with an experiment: prod's rollback ignores it."""
    experiment = "public.ecr.aws/nginx/nginx:v3-experimental"
    staging = deploy(
        web_service,
        "--config",
        WEB_SERVICE,
        "--stack-name",
        "staging",
        "--yes",
        "--parameter",
        f"WebImage={experiment}",
    )
    assert staging.returncode == 0, staging.stderr
    nothing = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--diff"))
    assert "no earlier revision of webapp (before webapp:1) that this stack registered" in nothing
    second = deploy(web_service, "--config", WEB_SERVICE, "--yes", "--parameter", "WebImage=public.ecr.aws/nginx/x:2")
    assert second.returncode == 0, second.stderr
    preview = deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--diff")
    assert preview.returncode == 0, preview.stderr
    assert "webapp:3 → the release of webapp:1" in preview.stdout and experiment not in preview.stdout
    refused = one_error_line(deploy(web_service, "--config", WEB_SERVICE, "--rollback", "--to", "2", "--diff"))
    assert refused.endswith("--to 2: webapp:2 was registered by stack staging; it is not this stack's release")


def test_a_config_only_deploy_keeps_the_image_the_stack_runs(web_service, aws, tmp_path):
    """After --parameter WebImage=... (as --build and --rollback set it), a retention change leaves the image alone;
    a changed image in the config is what changes it, and the run says where the change comes from."""
    built = "public.ecr.aws/nginx/nginx:1.27"
    assert deploy(web_service, "--config", WEB_SERVICE, "--yes", "--parameter", f"WebImage={built}").returncode == 0
    config = tmp_path / "app.toml"
    text = (ROOT / "examples" / "web-service.toml").read_text()
    config.write_text(text.replace("retention_days = 30", "retention_days = 60"))
    kept = deploy(web_service, "--config", str(config), "--yes")
    assert kept.returncode == 0, kept.stderr
    assert f"WebImage = {built}: the image the stack runs now is kept" in kept.stdout
    assert "[~] WebImage" not in kept.stdout
    assert _parameters(aws)["WebImage"] == built
    config.write_text(text.replace(FIRST_IMAGE, "public.ecr.aws/nginx/nginx:1.28"))
    changed = deploy(web_service, "--config", str(config), "--diff")
    assert changed.returncode == 0, changed.stderr
    assert (
        f"WebImage = public.ecr.aws/nginx/nginx:1.28: the config's image changed (runs {built} now)" in changed.stdout
    )

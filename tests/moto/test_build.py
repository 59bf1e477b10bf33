"""deploy.py --build with a fake `docker` first on PATH (no Docker engine here) against moto's server, ECR included."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.fakes.docker import calls, install_fake_docker
from tests.helpers import ROOT, deploy, one_error_line, stack_or_none

STACK = "web-service"  # examples/web-service.toml's own
CONFIG = str(ROOT / "examples" / "web-service.toml")
REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


@pytest.fixture
def docker_env(aws_env, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")  # moto's in-process server: tasks come up
    bin_dir = tmp_path / "bin"
    log, state = install_fake_docker(bin_dir)
    env = {
        **aws_env,
        "PATH": f"{bin_dir}:{aws_env['PATH']}",
        "FAKE_DOCKER_LOG": str(log),
        "FAKE_DOCKER_STATE": str(state),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return env, log


@pytest.fixture
def app(tmp_path) -> Path:
    """The example app, outside any git work tree: its tag comes from the image ID."""
    target = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "app", target)
    return target


def _commands(log: Path) -> list[str]:
    return [" ".join(call["argv"][:2]) for call in calls(log)]


def _stack_parameter(aws, name: str) -> str:
    stack = aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    return {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}[name]


def _repository(aws) -> str:
    """The stack's repository: unnamed in the template, so CloudFormation names it."""
    resources = aws("cloudformation").list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    return next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "WebappRepository")


def test_build_creates_the_repository_first_then_pushes_and_deploys(docker_env, aws, app):
    env, log = docker_env
    result = deploy(env, "--config", CONFIG, "--build", str(app), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    # the update to the built image starts a deployment of the new revision, which the watcher follows at once
    assert "ECS WebappService: PRIMARY COMPLETED running 2/2 pending 0 (webapp:2)" in result.stdout
    assert "not verified" not in result.stdout and "waiting for a deployment" not in result.stdout
    assert (
        "has no repository WebappRepository yet: deploying the stack with it first (the service at 0 tasks)"
        in result.stdout
    )
    recorded = calls(log)
    assert _commands(log) == [
        "info --format",
        "build --tag",
        "image inspect",
        "login --username",
        "tag container-infra/webapp:candidate",
        "push " + recorded[-1]["argv"][1],
    ]
    pushed = recorded[-1]["argv"][1]
    repository = _repository(aws)
    assert repository.startswith("web-service-webapprepository-")
    assert re.fullmatch(rf"{REGISTRY}/{repository}:sha-[0-9a-f]{{12}}", pushed), pushed
    assert not pushed.endswith(":latest")
    login = recorded[3]
    assert login["argv"] == ["login", "--username", "AWS", "--password-stdin", REGISTRY]
    assert login["stdin"] == "123456789012-auth-token"  # the password half of moto's authorization token
    tag = pushed.rsplit(":", 1)[1]
    images = aws("ecr").describe_images(repositoryName=repository)["imageDetails"]
    assert [image["imageTags"] for image in images] == [[tag]]
    # The release is the image by digest (a tag can be moved), the tag shown beside it.
    released = f"{REGISTRY}/{repository}@{images[0]['imageDigest']}"
    assert _stack_parameter(aws, "WebImage") == released
    assert f"Release: {released} (tag {tag})" in result.stdout
    assert _stack_parameter(aws, "DesiredCount") == "2"
    # The deployed task definition runs WebImage. (moto drops container definitions when CloudFormation updates a
    # task definition, so this reads the stack's template and parameter rather than ECS.)
    deployed = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    assert deployed["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"][0]["Image"] == {
        "Ref": "WebImage"
    }


def test_the_same_content_is_not_pushed_again(docker_env, aws, app):
    env, log = docker_env
    assert deploy(env, "--config", CONFIG, "--build", str(app), "--yes").returncode == 0
    log.unlink()
    again = deploy(env, "--config", CONFIG, "--build", str(app), "--yes")
    assert again.returncode == 0, again.stderr
    assert "not pushing it again" in again.stdout and "No changes" in again.stdout
    assert [c for c in _commands(log) if c.startswith(("push", "login"))] == []


def test_a_changed_git_ignored_file_is_a_new_image_under_the_same_commit(docker_env, aws, app):
    """The Dockerfile copies a git-ignored dist/: the commit does not change, the image does, and it is deployed."""
    env, log = docker_env
    (app / ".gitignore").write_text("dist/\n")
    (app / "dist").mkdir()
    (app / "dist" / "bundle.js").write_text("v1")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "app"]):
        subprocess.run(["git", "-C", str(app), *command], check=True, env=env)
    first = deploy(env, "--config", CONFIG, "--build", str(app), "--yes")
    assert first.returncode == 0, first.stderr
    first_image = _stack_parameter(aws, "WebImage")
    assert re.fullmatch(rf"{REGISTRY}/{_repository(aws)}@sha256:[0-9a-f]{{64}}", first_image)
    (app / "dist" / "bundle.js").write_text("v2")  # git status stays clean
    log.unlink()
    second = deploy(env, "--config", CONFIG, "--build", str(app), "--yes")
    assert second.returncode == 0, second.stderr
    assert "already in the repository" not in second.stdout and "No changes" not in second.stdout
    pushes = [c for c in _commands(log) if c.startswith(("build", "push"))]
    assert pushes[0] == "build --tag" and re.fullmatch(r"push \S+:sha-[0-9a-f]{12}", pushes[1]) and len(pushes) == 2
    assert _stack_parameter(aws, "WebImage") != first_image


def test_docker_missing(aws_env, aws, app, tmp_path):
    env = {**aws_env, "PATH": str(tmp_path / "empty")}
    line = one_error_line(deploy(env, "--config", CONFIG, "--build", str(app), "--yes"))
    assert "`docker` is not on PATH" in line
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_docker_daemon_not_running(docker_env, aws, app):
    env, log = docker_env
    line = one_error_line(
        deploy({**env, "FAKE_DOCKER_DAEMON": "down"}, "--config", CONFIG, "--build", str(app), "--yes")
    )
    assert "Docker daemon is not running" in line and "Is the docker daemon running?" in line
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_build_failure_leaves_the_stack_untouched(docker_env, aws, app):
    env, _ = docker_env
    result = deploy({**env, "FAKE_DOCKER_BUILD": "fail"}, "--config", CONFIG, "--build", str(app), "--yes")
    line = one_error_line(result, code=1)
    assert "docker build" in line and "failed (exit 1)" in line
    assert "failed to solve" in result.stdout  # docker's own output, shown as it went
    assert stack_or_none(aws("cloudformation"), STACK) is None


def test_push_denied_leaves_the_stack_untouched(docker_env, aws, app):
    env, _ = docker_env
    assert deploy(env, "--config", CONFIG, "--yes").returncode == 0  # the stack and its repository exist
    before = _stack_parameter(aws, "WebImage")
    line = one_error_line(
        deploy({**env, "FAKE_DOCKER_PUSH": "denied"}, "--config", CONFIG, "--build", str(app), "--yes"), code=1
    )
    assert "docker push" in line and "denied" in line and "ecr:InitiateLayerUpload" in line
    assert _stack_parameter(aws, "WebImage") == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--build", "{app}"], "--build goes with --config"),
        (["--config", str(ROOT / "examples" / "chapter.toml"), "--build", "{app}"], "needs a [repository]"),
        (["--config", CONFIG, "--build", "{empty}"], "no Dockerfile"),
        (["--config", CONFIG, "--build", "{app}", "--diff"], "does not go with --diff"),
        (["--config", CONFIG, "--build", "{app}", "--parameter", "WebImage=x"], "--build sets WebImage"),
    ],
)
def test_bad_build_input(docker_env, aws, app, tmp_path, args, fragment):
    env, log = docker_env
    (tmp_path / "empty").mkdir()
    argv = [a.format(app=app, empty=tmp_path / "empty") for a in args]
    assert fragment in one_error_line(deploy(env, *argv, "--yes"))
    assert not [c for c in _commands(log) if c.startswith(("build", "push"))]


def test_the_example_app_answers_its_health_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "app" / "app.py")],
        env={"PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Ordering, not a deadline: the app says it listens only once its socket is bound and listening.
        assert server.stdout is not None
        assert server.stdout.readline() == f"listening on :{port}\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
            assert (response.status, response.read()) == (200, b"ok\n")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
            assert b"Hello from ECS Fargate!" in response.read()
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0  # SIGTERM: a clean exit, as ECS expects
    assert "ENV PORT=8000" in (ROOT / "examples" / "app" / "Dockerfile").read_text()


def test_an_arm64_task_is_built_for_linux_arm64(docker_env, aws, app, tmp_path):
    env, log = docker_env
    config = tmp_path / "arm.toml"
    config.write_text(
        Path(CONFIG).read_text().replace("memory_mib = 1024\n", 'memory_mib = 1024\ncpu_architecture = "ARM64"\n', 1)
    )
    result = deploy(env, "--config", str(config), "--build", str(app), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    (build,) = [call["argv"] for call in calls(log) if call["argv"][0] == "build"]
    assert build[build.index("--platform") + 1] == "linux/arm64"
    assert build[-1] == str(app)


def test_without_an_architecture_docker_picks_the_platform(docker_env, aws, app):
    env, log = docker_env
    assert deploy(env, "--config", CONFIG, "--build", str(app), "--yes").returncode == 0
    (build,) = [call["argv"] for call in calls(log) if call["argv"][0] == "build"]
    assert "--platform" not in build

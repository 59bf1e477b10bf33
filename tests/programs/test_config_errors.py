"""Every bad input: exit 2, one line on stderr naming key, value and what is allowed, no traceback."""

from __future__ import annotations

import pytest

from tests.helpers import run_tool

GOOD_IMAGE = 'image = "nginx:1.27"'
WEB = '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000'

BAD_CONFIGS = [
    # (id, config text, fragments the one error line must contain)
    ("cpu-not-fargate", "[task]\ncpu = 300", ["task.cpu = 300", "256, 512, 1024, 2048, 4096, 8192, 16384"]),
    (
        "memory-wrong-for-cpu",
        "[task]\ncpu = 256\nmemory_mib = 4096",
        ["task.memory_mib = 4096", "cpu = 256", "512, 1024, 2048"],
    ),
    (
        "memory-off-step",
        "[task]\ncpu = 8192\nmemory_mib = 18432",
        ["task.memory_mib = 18432", "16384-61440 in steps of 4096"],
    ),
    ("memory-default-too-small", "[task]\ncpu = 4096", ["task.memory_mib = 1024", "8192-30720"]),
    ("cpu-as-string", '[task]\ncpu = "512"', ['task.cpu = "512"', "integer"]),
    ("cpu-as-bool", "[task]\ncpu = true", ["task.cpu = true", "integer"]),
    ("family-bad-chars", '[task]\nfamily = "web app"', ['task.family = "web app"', "letters, digits"]),
    ("family-too-long", f'[task]\nfamily = "{"a" * 256}"', ["task.family", "1-255 characters"]),
    (
        "container-name-bad",
        f'[[task.containers]]\n{GOOD_IMAGE}\nname = "web/1"',
        ['task.containers[0].name = "web/1"', "letters, digits"],
    ),
    (
        "container-names-clash",
        f'[[task.containers]]\n{GOOD_IMAGE}\nname = "web"\n[[task.containers]]\n{GOOD_IMAGE}\nname = "web"',
        ['name = "web"', "unique"],
    ),
    (
        "no-essential",
        f"[[task.containers]]\n{GOOD_IMAGE}\nessential = false",
        ["essential = false", "at least one container must be essential"],
    ),
    ("no-containers", "[task]\ncontainers = []", ["task.containers = []", "at least one container"]),
    ("image-missing", '[[task.containers]]\nname = "web"', ["task.containers[0].image", "missing"]),
    (
        "image-uppercase",
        '[[task.containers]]\nimage = "Nginx:latest"',
        ['task.containers[0].image = "Nginx:latest"', "image reference"],
    ),
    (
        "image-bad-digest",
        '[[task.containers]]\nimage = "app@sha256:xyz"',
        ['image = "app@sha256:xyz"', "image reference"],
    ),
    ("port-zero", f"[[task.containers]]\n{GOOD_IMAGE}\nport = 0", ["task.containers[0].port = 0", "1 to 65535"]),
    ("port-too-big", f"[[task.containers]]\n{GOOD_IMAGE}\nport = 70000", ["port = 70000", "1 to 65535"]),
    ("stack-name-digit", 'stack_name = "1stack"', ['stack_name = "1stack"', "start with a letter"]),
    ("stack-name-underscore", 'stack_name = "my_stack"', ['stack_name = "my_stack"', "letters, digits and '-'"]),
    ("stack-name-too-long", f'stack_name = "{"s" * 129}"', ["stack_name", "at most 128"]),
    ("unknown-top-key", 'stackname = "x"', ['stackname = "x"', "unknown key", "stack_name"]),
    ("unknown-task-key", "[task]\ncpus = 512", ["task.cpus = 512", "unknown key", "memory_mib"]),
    (
        "unknown-container-key",
        f"[[task.containers]]\n{GOOD_IMAGE}\nimg = 1",
        ["task.containers[0].img = 1", "unknown key"],
    ),
    ("unknown-table", "[servce]\ndesired_count = 2", ["servce", "unknown key"]),
    (
        "env-bad-name",
        f'[[task.containers]]\n{GOOD_IMAGE}\nenvironment = {{ "1X" = "a" }}',
        ['environment.1X = "a"', "environment variable names"],
    ),
    (
        "env-bad-value",
        f"[[task.containers]]\n{GOOD_IMAGE}\nenvironment = {{ A = [1] }}",
        ["environment.A = [1]", "string, integer or boolean"],
    ),
    (
        "insights-not-bool",
        '[cluster]\ncontainer_insights = "yes"',
        ['cluster.container_insights = "yes"', "true or false"],
    ),
    ("containers-not-tables", "[task]\ncontainers = [1]", ["task.containers[0] = 1", "must be a table"]),
    ("toml-syntax", "[task\ncpu = 1", ["not valid TOML", "line 1"]),
    # the web-service sections
    ("lb-without-service", "[load_balancer]\nport = 80", ["[load_balancer]", "[service]"]),
    ("service-without-port", "[service]", ["[service]", "port = 8000"]),
    (
        "service-unknown-container",
        f'{WEB}\n[service]\ncontainer = "api"',
        ['service.container = "api"', "no such container", "web"],
    ),
    ("desired-count-negative", f"{WEB}\n[service]\ndesired_count = -1", ["service.desired_count = -1", "0 to 5000"]),
    (
        "health-path-no-slash",
        f'{WEB}\n[service]\nhealth_check_path = "health"',
        ['service.health_check_path = "health"', "starting with '/'"],
    ),
    ("service-unknown-key", f"{WEB}\n[service]\ndesired = 2", ["service.desired = 2", "unknown key", "desired_count"]),
    (
        "autoscaling-max-below-min",
        f"{WEB}\n[service]\n[service.autoscaling]\nmin = 3\nmax = 2",
        ["service.autoscaling.max = 2", "min = 3"],
    ),
    (
        "desired-outside-autoscaling",
        f"{WEB}\n[service]\ndesired_count = 9\n[service.autoscaling]\nmax = 4",
        ["service.desired_count = 9", "1..4"],
    ),
    (
        "cpu-target-too-high",
        f"{WEB}\n[service]\n[service.autoscaling]\ncpu_target_percent = 150",
        ["cpu_target_percent = 150", "1 to 100"],
    ),
    ("retention-not-cloudwatch", "[logging]\nretention_days = 10", ["logging.retention_days = 10", "14, 30"]),
    ("repository-uppercase", '[repository]\nname = "WebApp"', ['repository.name = "WebApp"', "lowercase"]),
    ("keep-images-zero", "[repository]\nkeep_images = 0", ["repository.keep_images = 0", "1 to 10000"]),
    (
        "environment-float",
        f"{WEB}\nenvironment = {{ PY_VERSION = 3.10 }}",
        ["environment.PY_VERSION = 3.1", "TOML float", 'quote it: PY_VERSION = "..."'],
    ),
    (
        "rollback-thresholds-without-alarms",
        f"{WEB}\n[service]\n[service.rollback]\ntarget_5xx_count = 5",
        ["service.rollback.target_5xx_count = 5", "makes no alarm", "alarms = true"],
    ),
    (
        "cmd-shell-split-into-arguments",
        f'{WEB}\nhealth_check = {{ command = ["CMD-SHELL", "curl", "-f", "http://localhost:8000/"] }}',
        ["health_check.command", "ONE string", '["CMD-SHELL", "curl -f http://localhost:8000/"]'],
    ),
    (
        "ssm-name-deeper-than-15-levels",
        f'{WEB}\nsecrets = {{ KEY = "ssm:/{"/".join("l" + str(n) for n in range(16))}" }}',
        ["secrets.KEY", "16 levels", "at most 15"],
    ),
    (
        "certificate-not-arn",
        f'{WEB}\n[service]\n[load_balancer]\ncertificate_arn = "my-cert"',
        ['load_balancer.certificate_arn = "my-cert"', "ACM certificate ARN"],
    ),
    (
        "https-port-clash",
        f"{WEB}\n[service]\n[load_balancer]\nport = 443\ncertificate_arn = "
        '"arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"',
        ["load_balancer.port = 443", "redirects"],
    ),
]


def _assert_one_clear_line(result, fragments: list[str]) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    ("config", "fragments"), [case[1:] for case in BAD_CONFIGS], ids=[case[0] for case in BAD_CONFIGS]
)
def test_bad_config_is_one_clear_line(tmp_path, config, fragments):
    path = tmp_path / "app.toml"
    path.write_text(config)
    result = run_tool("generate.py", "--config", str(path))
    _assert_one_clear_line(result, [str(path), *fragments] if "TOML" not in fragments[0] else fragments)


def test_missing_config_file(tmp_path):
    result = run_tool("generate.py", "--config", str(tmp_path / "nope.toml"))
    _assert_one_clear_line(result, ["--config", "nope.toml", "no such file"])


def test_config_is_a_directory(tmp_path):
    result = run_tool("generate.py", "--config", str(tmp_path))
    _assert_one_clear_line(result, ["--config", "is a directory"])


def test_bad_format_argument():
    result = run_tool("generate.py", "--format", "xml")
    _assert_one_clear_line(result, ["--format", "'xml'", "json", "yaml"])


def test_output_into_missing_directory_leaves_nothing(tmp_path):
    target = tmp_path / "missing" / "t.json"
    result = run_tool("generate.py", "--output", str(target))
    _assert_one_clear_line(result, ["--output", "does not exist"])
    assert not target.parent.exists()


def test_bad_config_does_not_touch_existing_output(tmp_path):
    target = tmp_path / "template.json"
    target.write_text("keep me")
    config = tmp_path / "app.toml"
    config.write_text("[task]\ncpu = 3")
    result = run_tool("generate.py", "--config", str(config), "--output", str(target))
    assert result.returncode == 2
    assert target.read_text() == "keep me"


def test_values_just_inside_the_new_limits_load(tmp_path):
    """An integer, a quoted decimal, a one-string CMD-SHELL, CMD with many arguments and 15 SSM levels all pass."""
    levels = "/".join(f"l{n}" for n in range(15))
    path = tmp_path / "app.toml"
    path.write_text(
        f'{WEB}\nenvironment = {{ WORKERS = 2, PY_VERSION = "3.10" }}\n'
        f'secrets = {{ KEY = "ssm:/{levels}" }}\n'
        'health_check = { command = ["CMD", "curl", "-f", "http://localhost:8000/"] }\n'
        '[[task.containers]]\nname = "side"\nimage = "nginx:1.27"\n'
        'health_check = { command = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] }\n'
        "[service]\n[service.rollback]\nalarms = true\ntarget_5xx_count = 5\n"
    )
    result = run_tool("generate.py", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert '"3.10"' in result.stdout and f"parameter/{levels}" in result.stdout


def test_exec_with_a_read_only_root_is_one_clear_line(tmp_path):
    """ECS developer guide, "Amazon ECS Exec" considerations: a read-only root file system isn't supported."""
    path = tmp_path / "app.toml"
    path.write_text(f"{WEB}\nread_only_root_filesystem = true\n[service]\nenable_execute_command = true\n")
    _assert_one_clear_line(
        run_tool("generate.py", "--config", str(path)),
        ["service.enable_execute_command = true", "read_only_root_filesystem", "container web", "turn one"],
    )

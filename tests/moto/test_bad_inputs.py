"""A table of bad inputs across both tools. Every row states its one outcome: exit 0 (and, from generate.py, a
template cfn-lint passes), or exit 2 with exactly one line on stderr that names the field at fault. Never a
traceback, never 'internal error', and never "either": a refusal that turned into acceptance fails its row.

The runs are independent subprocesses, started together by one fixture, so the table stays quick.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import ROOT, lint

LONG = 255
OK = None  # the row's expected outcome: accepted, exit 0


@dataclass(frozen=True)
class Case:
    id: str
    tool: str  # generate.py or deploy.py
    refused: str | None  # OK (exit 0), or the field the one stderr line of an exit 2 names
    args: tuple[str, ...] = ()
    toml: str | None = None  # written to CONFIG, passed with --config
    env: dict[str, str | None] = field(default_factory=dict)  # over the moto environment; a value None removes
    template: str | None = None  # written to template.yaml, passed with --template


def gen(id: str, refused: str | None, toml: str | None = None, *args: str) -> Case:
    return Case(id, "generate.py", refused, args, toml)


def dep(id: str, refused: str | None, *args: str, env: dict[str, str | None] | None = None) -> Case:
    return Case(id, "deploy.py", refused, ("--diff", *args), None, env or {})


def tpl(id: str, refused: str | None, text: str, *args: str) -> Case:
    return Case(id, "deploy.py", refused, ("--diff", *args), None, {}, text)


def names(line: str, name: str) -> bool:
    """Whether the error line names this field itself, not a longer name that holds it (task.cpu in task.cpus)."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w\[.])", line) is not None


TOPIC = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n"


WEB = '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000\n[service]\n'
CASES = [
    gen("format-xml", "--format", None, "--format", "xml"),
    gen("format-empty", "--format", None, "--format", ""),
    gen("config-empty", "--config", None, "--config", ""),
    gen("config-blank", "--config", None, "--config", "   "),
    gen("config-missing", "--config", None, "--config", "/nonexistent/app.toml"),
    gen("config-directory", "--config", None, "--config", "/tmp"),
    gen("config-binary", "--config", None, "--config", "/bin/sh"),
    gen("output-empty", "--output", None, "-o", ""),
    gen("output-no-directory", "--output", None, "-o", "/nonexistent/dir/t.json"),
    gen("output-directory", "--output", None, "-o", "/tmp"),
    gen("output-proc", "--output", None, "-o", "/proc/version"),
    gen("unknown-flag", "--frobnicate", None, "--frobnicate"),
    gen("toml-invalid", "app.toml", "stack_name = \n"),
    gen("toml-empty-file", OK, ""),
    gen("toml-nul", "app.toml", 'stack_name = "a\u0000b"\n'),
    gen("stack-name-empty", "stack_name", 'stack_name = ""'),
    gen("stack-name-digit", "stack_name", 'stack_name = "9lives"'),
    gen("stack-name-long", "stack_name", f'stack_name = "{"s" * 129}"'),
    gen("stack-name-int", "stack_name", "stack_name = 5"),
    gen("unknown-key", "stak_name", 'stak_name = "x"'),
    gen("task-not-a-table", "task", "task = 5"),
    gen("cluster-name-empty", "cluster.name", '[cluster]\nname = ""'),
    gen("cluster-name-space", "cluster.name", '[cluster]\nname = "a b"'),
    gen("cluster-name-256", "cluster.name", f'[cluster]\nname = "{"k" * 256}"'),
    gen("cluster-name-255", OK, f'[cluster]\nname = "{"k" * LONG}"'),
    gen("insights-string", "cluster.container_insights", '[cluster]\ncontainer_insights = "yes"'),
    gen("family-empty", "task.family", '[task]\nfamily = ""'),
    gen("family-256", "task.family", f'[task]\nfamily = "{"f" * 256}"'),
    gen("family-255", OK, f'[task]\nfamily = "{"f" * LONG}"'),
    gen(
        "family-255-web",
        OK,
        f'[task]\nfamily = "{"f" * LONG}"\n' + WEB + "[service.autoscaling]\n[logging]\n[repository]\n",
    ),
    gen("cpu-300", "task.cpu", "[task]\ncpu = 300"),
    gen("cpu-bool", "task.cpu", "[task]\ncpu = true"),
    gen("cpu-float", "task.cpu", "[task]\ncpu = 512.0"),
    gen("memory-100", "task.memory_mib", "[task]\nmemory_mib = 100"),
    gen("memory-negative", "task.memory_mib", "[task]\nmemory_mib = -1"),
    gen("memory-huge", "task.memory_mib", "[task]\nmemory_mib = 99999999999999999"),
    gen("containers-empty", "task.containers", "[task]\ncontainers = []"),
    gen(
        "containers-11",
        "task.containers",
        "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(11)),
    ),
    gen(
        "containers-1000",
        "task.containers",
        "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(1000)),
    ),
    gen("containers-10", OK, "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(10))),
    gen("container-no-image", "task.containers[0].image", '[[task.containers]]\nname = "x"'),
    gen("image-empty", "task.containers[0].image", '[[task.containers]]\nimage = ""'),
    gen("image-uppercase", "task.containers[0].image", '[[task.containers]]\nimage = "Nginx"'),
    gen("image-empty-tag", "task.containers[0].image", '[[task.containers]]\nimage = "nginx:"'),
    gen("image-space", "task.containers[0].image", '[[task.containers]]\nimage = "nginx latest"'),
    gen("image-huge", "task.containers[0].image", f'[[task.containers]]\nimage = "{"a" * 3000}"'),
    gen("container-name-empty", "task.containers[0].name", '[[task.containers]]\nimage = "nginx"\nname = ""'),
    gen("container-name-256", "task.containers[0].name", f'[[task.containers]]\nimage = "nginx"\nname = "{"c" * 256}"'),
    gen("container-name-255", OK, f'[[task.containers]]\nimage = "nginx"\nname = "{"c" * LONG}"'),
    gen("port-0", "task.containers[0].port", '[[task.containers]]\nimage = "nginx"\nport = 0'),
    gen("port-70000", "task.containers[0].port", '[[task.containers]]\nimage = "nginx"\nport = 70000'),
    gen("port-string", "task.containers[0].port", '[[task.containers]]\nimage = "nginx"\nport = "80"'),
    gen(
        "env-bad-name",
        "task.containers[0].environment.1X",
        '[[task.containers]]\nimage = "nginx"\nenvironment = { "1X" = "a" }',
    ),
    gen(
        "env-array",
        "task.containers[0].environment.X",
        '[[task.containers]]\nimage = "nginx"\nenvironment = { X = [1] }',
    ),
    gen(
        "env-huge",
        "the config",
        '[[task.containers]]\nimage = "nginx"\nenvironment = { '
        + ", ".join(f'V{i} = "{"x" * 1000}"' for i in range(1100))
        + " }",
    ),
    gen("all-not-essential", "task.containers", '[[task.containers]]\nimage = "nginx"\nessential = false'),
    gen(
        "duplicate-names",
        "task.containers",
        '[[task.containers]]\nimage = "nginx"\nname = "a-b"\n[[task.containers]]\nimage = "nginx"\nname = "a_b"',
    ),
    gen("service-no-port", "[service]", '[[task.containers]]\nimage = "nginx"\n[service]'),
    gen("service-container-missing", "service.container", WEB + 'container = "nope"'),
    gen("service-container-empty", "service.container", WEB + 'container = ""'),
    gen("desired-negative", "service.desired_count", WEB + "desired_count = -1"),
    gen("health-path-relative", "service.health_check_path", WEB + 'health_check_path = "health"'),
    gen("health-path-empty", "service.health_check_path", WEB + 'health_check_path = ""'),
    gen("autoscaling-max-below-min", "service.autoscaling.max", WEB + "[service.autoscaling]\nmin = 3\nmax = 2"),
    gen(
        "autoscaling-desired-outside",
        "service.desired_count",
        WEB + "desired_count = 9\n[service.autoscaling]\nmin = 1\nmax = 4",
    ),
    gen("balancer-without-service", "[load_balancer]", "[load_balancer]\nport = 80"),
    gen("balancer-port-0", "load_balancer.port", WEB + "[load_balancer]\nport = 0"),
    gen("certificate-bad", "load_balancer.certificate_arn", WEB + '[load_balancer]\ncertificate_arn = "x"'),
    gen("certificate-empty", "load_balancer.certificate_arn", WEB + '[load_balancer]\ncertificate_arn = ""'),
    gen(
        "certificate-and-443",
        "load_balancer.port",
        WEB + '[load_balancer]\nport = 443\ncertificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"',
    ),
    gen("retention-2", "logging.retention_days", "[logging]\nretention_days = 2"),
    gen("repository-uppercase", "repository.name", '[repository]\nname = "Web"'),
    gen("repository-empty", "repository.name", '[repository]\nname = ""'),
    gen("repository-257", "repository.name", f'[repository]\nname = "{"r" * 257}"'),
    gen("repository-256", OK, f'[repository]\nname = "{"r" * 256}"'),
    gen("keep-images-0", "repository.keep_images", "[repository]\nkeep_images = 0"),
    gen("ids-collide-cluster", "cluster.name", '[cluster]\nname = "taskdef-x"\n[task]\nfamily = "x-cluster"'),
    gen(
        "ids-collide-repository", "repository.name", '[task]\nfamily = "x-repository"\n[repository]\nname = "taskdef-x"'
    ),
    gen(
        "names-only-dashes",
        OK,
        '[cluster]\nname = "-"\n[task]\nfamily = "_"\n[[task.containers]]\nimage = "nginx"\nname = "---"',
    ),
    gen(
        "env-infinity",
        "task.containers[0].environment.A",
        '[[task.containers]]\nimage = "nginx"\nenvironment = { A = inf, B = nan, C = "" }',
    ),
    gen("output-dev-full", "--output", None, "-o", "/dev/full"),
    dep("stack-name-empty", "--stack-name", "--stack-name", ""),
    dep("stack-name-space", "--stack-name", "--stack-name", "my stack"),
    dep("region-empty", "--region", "--region", ""),
    dep("region-path", "--region", "--region", "eu west 1/../"),
    dep("region-mars", "--region", "--region", "mars-central-9", env={"AWS_ENDPOINT_URL": None}),
    dep("profile-missing", "--profile", "--profile", "ghost"),
    dep("profile-env-missing", "AWS_PROFILE", env={"AWS_PROFILE": "ghost"}),
    dep("endpoint-not-a-url", "AWS_ENDPOINT_URL", env={"AWS_ENDPOINT_URL": "not a url"}),
    dep("region-env-malformed", "AWS_REGION", env={"AWS_REGION": "eu west 1"}),
    dep("parameter-empty-value", "--parameter", "--parameter", "TaskCpu="),
    dep("parameter-no-key", "--parameter", "--parameter", "=x"),
    dep("parameter-unknown", "--parameter", "--parameter", "Nope=1"),
    dep("parameter-not-allowed", "--parameter", "--parameter", "TaskMemory=3"),
    dep("tag-empty", "--tag", "--tag", ""),
    dep("template-empty", "--template", "--template", ""),
    dep("template-missing", "--template", "--template", "/nonexistent.json"),
    dep("template-directory", "--template", "--template", "/tmp"),
    dep("template-binary", "--template", "--template", "/bin/sh"),
    dep("config-and-template", "--config", "--config", "a.toml", "--template", "b.json"),
    dep("follow-and-diff", "--follow", "--follow"),
    dep("build-with-template", "--build", "--build", ".", "--template", "x.json"),
    dep("s3-bucket-empty", "--s3-bucket", "--s3-bucket", ""),
    dep("s3-bucket-invalid", "--s3-bucket", "--s3-bucket", "Bad Bucket"),
    dep("s3-bucket-too-short", "--s3-bucket", "--s3-bucket", "ab"),
    dep("tag-long-key", "--tag", "--tag", "k" * 200 + "=v"),
    dep("parameter-newline", "--parameter", "--parameter", "TaskCpu=256\n512"),
    dep("config-empty", "--config", "--config", ""),
    dep("tag-key-128", OK, "--tag", "k" * 128 + "=v"),
    dep("tag-key-129", "--tag", "--tag", "k" * 129 + "=v"),
    dep("tag-value-256", OK, "--tag", "team=" + "v" * 256),
    dep("tag-value-257", "--tag", "--tag", "team=" + "v" * 257),
    dep("tag-aws-prefix", "--tag", "--tag", "aws:cloudformation:stack-name=x"),
    dep("tag-aws-prefix-upper", "--tag", "--tag", "AWS:team=x"),
    dep("tag-50", OK, *[a for i in range(50) for a in ("--tag", f"t{i}=v")]),
    dep("tag-51", "--tag", *[a for i in range(51) for a in ("--tag", f"t{i}=v")]),
    tpl("template-list", "--template", "[]"),
    tpl("template-resource-not-mapping", "--template", "Resources:\n  A: 5\n"),
    tpl("template-resource-no-type", "--template", "Resources:\n  A:\n    Properties: {}\n"),
    tpl("template-parameters-scalar", "--template", TOPIC + "Parameters: 5\n"),
    tpl("template-parameter-scalar", "--template", TOPIC + "Parameters:\n  P: 5\n"),
    tpl(
        "template-allowed-values-scalar",
        "--template",
        TOPIC + "Parameters:\n  P:\n    Type: String\n    AllowedValues: 5\n",
        "--parameter",
        "P=x",
    ),
    tpl("template-output-scalar", "--template", TOPIC + "Outputs:\n  O: 1\n"),
    tpl("template-properties-list", "--template", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: [1]\n"),
    tpl(
        "template-501-resources",
        "--template",
        "Resources:\n" + "".join(f"  R{i}:\n    Type: AWS::SNS::Topic\n" for i in range(501)),
    ),
    tpl("template-long-id", "--template", f"Resources:\n  {'R' * 256}:\n    Type: AWS::SNS::Topic\n"),
    tpl("template-topic", OK, TOPIC),
]


def _env(moto_url: str, home: Path, extra: dict[str, str | None]) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
        "NO_COLOR": "1",
    }
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(case: Case, moto_url: str, directory: Path) -> subprocess.CompletedProcess[str]:
    directory.mkdir(parents=True, exist_ok=True)
    args = list(case.args)
    if case.template is not None:
        (directory / "template.yaml").write_text(case.template, encoding="utf-8")
        args = [*args, "--template", str(directory / "template.yaml")]
    if case.toml is not None:
        (directory / "app.toml").write_text(case.toml + "\n", encoding="utf-8")
        args = ["--config", str(directory / "app.toml"), *args]
    return subprocess.run(
        [sys.executable, str(ROOT / case.tool), *args],
        capture_output=True,
        text=True,
        cwd=directory,
        env=_env(moto_url, directory, case.env),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def results(moto_url, tmp_path_factory) -> dict[str, subprocess.CompletedProcess[str]]:
    base = tmp_path_factory.mktemp("bad-inputs")
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        futures = {f"{c.tool}:{c.id}": pool.submit(_run, c, moto_url, base / f"{c.tool}-{c.id}") for c in CASES}
        return {key: future.result() for key, future in futures.items()}


def test_the_table_is_large_enough():
    assert len(CASES) >= 60 and len({(c.tool, c.id) for c in CASES}) == len(CASES)
    assert {c.refused is OK for c in CASES} == {True, False}  # both outcomes are pinned, not only refusals


def test_names_is_exact_about_the_field():
    line = "error: app.toml: task.containers[0].port = 0: must be a TCP port from 1 to 65535"
    assert names(line, "task.containers[0].port")
    assert not names(line, "task.containers")  # a longer name holds it: the field is more specific
    assert not names(line, "containers[0].port")
    assert names("error: --tag 'aws:x': reserved", "--tag") and not names("error: --tags x", "--tag")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.tool}:{c.id}" for c in CASES])
def test_bad_input(case: Case, results):
    result = results[f"{case.tool}:{case.id}"]
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if case.refused is OK:
        assert result.returncode == 0, result.stderr
        assert "error:" not in result.stderr, result.stderr
        if case.tool == "generate.py":
            assert result.stderr == ""
            assert lint(result.stdout) == [], case.id
        return
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert names(lines[0], case.refused), (case.refused, lines[0])

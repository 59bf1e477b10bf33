"""A table of bad inputs across both tools: each one ends in exit 0 with a template cfn-lint passes,
or exit 2 with exactly one line on stderr; never a traceback, never 'internal error'.

The runs are independent subprocesses, started together by one fixture, so the table stays quick.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import ROOT, lint

LONG = 255


@dataclass(frozen=True)
class Case:
    id: str
    tool: str  # generate.py or deploy.py
    args: tuple[str, ...] = ()
    toml: str | None = None  # written to CONFIG, passed with --config
    env: dict[str, str] = field(default_factory=dict)  # over the moto environment; a value None removes
    codes: tuple[int, ...] = (0, 2)
    template: str | None = None  # written to template.yaml, passed with --template


def gen(id: str, toml: str | None = None, *args: str) -> Case:
    return Case(id, "generate.py", args, toml)


def dep(id: str, *args: str, env: dict[str, str] | None = None, codes: tuple[int, ...] = (0, 2)) -> Case:
    return Case(id, "deploy.py", ("--diff", *args), None, env or {}, codes)


def tpl(id: str, text: str, *args: str) -> Case:
    return Case(id, "deploy.py", ("--diff", *args), None, {}, (0, 2), text)


TOPIC = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n"


WEB = '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000\n[service]\n'
CASES = [
    gen("format-xml", None, "--format", "xml"),
    gen("format-empty", None, "--format", ""),
    gen("config-empty", None, "--config", ""),
    gen("config-blank", None, "--config", "   "),
    gen("config-missing", None, "--config", "/nonexistent/app.toml"),
    gen("config-directory", None, "--config", "/tmp"),
    gen("config-binary", None, "--config", "/bin/sh"),
    gen("output-empty", None, "-o", ""),
    gen("output-no-directory", None, "-o", "/nonexistent/dir/t.json"),
    gen("output-directory", None, "-o", "/tmp"),
    gen("output-proc", None, "-o", "/proc/version"),
    gen("unknown-flag", None, "--frobnicate"),
    gen("toml-invalid", "stack_name = \n"),
    gen("toml-empty-file", ""),
    gen("toml-nul", 'stack_name = "a\u0000b"\n'),
    gen("stack-name-empty", 'stack_name = ""'),
    gen("stack-name-digit", 'stack_name = "9lives"'),
    gen("stack-name-long", f'stack_name = "{"s" * 129}"'),
    gen("stack-name-int", "stack_name = 5"),
    gen("unknown-key", 'stak_name = "x"'),
    gen("task-not-a-table", "task = 5"),
    gen("cluster-name-empty", '[cluster]\nname = ""'),
    gen("cluster-name-space", '[cluster]\nname = "a b"'),
    gen("cluster-name-256", f'[cluster]\nname = "{"k" * 256}"'),
    gen("cluster-name-255", f'[cluster]\nname = "{"k" * LONG}"'),
    gen("insights-string", '[cluster]\ncontainer_insights = "yes"'),
    gen("family-empty", '[task]\nfamily = ""'),
    gen("family-256", f'[task]\nfamily = "{"f" * 256}"'),
    gen("family-255", f'[task]\nfamily = "{"f" * LONG}"'),
    gen(
        "family-255-web",
        f'[task]\nfamily = "{"f" * LONG}"\n' + WEB + "[service.autoscaling]\n[logging]\n[repository]\n",
    ),
    gen("cpu-300", "[task]\ncpu = 300"),
    gen("cpu-bool", "[task]\ncpu = true"),
    gen("cpu-float", "[task]\ncpu = 512.0"),
    gen("memory-100", "[task]\nmemory_mib = 100"),
    gen("memory-negative", "[task]\nmemory_mib = -1"),
    gen("memory-huge", "[task]\nmemory_mib = 99999999999999999"),
    gen("containers-empty", "[task]\ncontainers = []"),
    gen("containers-11", "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(11))),
    gen("containers-1000", "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(1000))),
    gen("containers-10", "".join(f'[[task.containers]]\nname = "c{i}"\nimage = "nginx"\n' for i in range(10))),
    gen("container-no-image", '[[task.containers]]\nname = "x"'),
    gen("image-empty", '[[task.containers]]\nimage = ""'),
    gen("image-uppercase", '[[task.containers]]\nimage = "Nginx"'),
    gen("image-empty-tag", '[[task.containers]]\nimage = "nginx:"'),
    gen("image-space", '[[task.containers]]\nimage = "nginx latest"'),
    gen("image-huge", f'[[task.containers]]\nimage = "{"a" * 3000}"'),
    gen("container-name-empty", '[[task.containers]]\nimage = "nginx"\nname = ""'),
    gen("container-name-256", f'[[task.containers]]\nimage = "nginx"\nname = "{"c" * 256}"'),
    gen("container-name-255", f'[[task.containers]]\nimage = "nginx"\nname = "{"c" * LONG}"'),
    gen("port-0", '[[task.containers]]\nimage = "nginx"\nport = 0'),
    gen("port-70000", '[[task.containers]]\nimage = "nginx"\nport = 70000'),
    gen("port-string", '[[task.containers]]\nimage = "nginx"\nport = "80"'),
    gen("env-bad-name", '[[task.containers]]\nimage = "nginx"\nenvironment = { "1X" = "a" }'),
    gen("env-array", '[[task.containers]]\nimage = "nginx"\nenvironment = { X = [1] }'),
    gen(
        "env-huge",
        '[[task.containers]]\nimage = "nginx"\nenvironment = { '
        + ", ".join(f'V{i} = "{"x" * 1000}"' for i in range(1100))
        + " }",
    ),
    gen("all-not-essential", '[[task.containers]]\nimage = "nginx"\nessential = false'),
    gen(
        "duplicate-names",
        '[[task.containers]]\nimage = "nginx"\nname = "a-b"\n[[task.containers]]\nimage = "nginx"\nname = "a_b"',
    ),
    gen("service-no-port", '[[task.containers]]\nimage = "nginx"\n[service]'),
    gen("service-container-missing", WEB + 'container = "nope"'),
    gen("service-container-empty", WEB + 'container = ""'),
    gen("desired-negative", WEB + "desired_count = -1"),
    gen("health-path-relative", WEB + 'health_check_path = "health"'),
    gen("health-path-empty", WEB + 'health_check_path = ""'),
    gen("autoscaling-max-below-min", WEB + "[service.autoscaling]\nmin = 3\nmax = 2"),
    gen("autoscaling-desired-outside", WEB + "desired_count = 9\n[service.autoscaling]\nmin = 1\nmax = 4"),
    gen("balancer-without-service", "[load_balancer]\nport = 80"),
    gen("balancer-port-0", WEB + "[load_balancer]\nport = 0"),
    gen("certificate-bad", WEB + '[load_balancer]\ncertificate_arn = "x"'),
    gen("certificate-empty", WEB + '[load_balancer]\ncertificate_arn = ""'),
    gen(
        "certificate-and-443",
        WEB + '[load_balancer]\nport = 443\ncertificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"',
    ),
    gen("retention-2", "[logging]\nretention_days = 2"),
    gen("repository-uppercase", '[repository]\nname = "Web"'),
    gen("repository-empty", '[repository]\nname = ""'),
    gen("repository-257", f'[repository]\nname = "{"r" * 257}"'),
    gen("repository-256", f'[repository]\nname = "{"r" * 256}"'),
    gen("keep-images-0", "[repository]\nkeep_images = 0"),
    gen("ids-collide-cluster", '[cluster]\nname = "taskdef-x"\n[task]\nfamily = "x-cluster"'),
    gen("ids-collide-repository", '[task]\nfamily = "x-repository"\n[repository]\nname = "taskdef-x"'),
    gen(
        "names-only-dashes",
        '[cluster]\nname = "-"\n[task]\nfamily = "_"\n[[task.containers]]\nimage = "nginx"\nname = "---"',
    ),
    gen("env-infinity", '[[task.containers]]\nimage = "nginx"\nenvironment = { A = inf, B = nan, C = "" }'),
    gen("output-dev-full", None, "-o", "/dev/full"),
    dep("stack-name-empty", "--stack-name", ""),
    dep("stack-name-space", "--stack-name", "my stack"),
    dep("region-empty", "--region", ""),
    dep("region-path", "--region", "eu west 1/../"),
    dep("region-mars", "--region", "mars-central-9", env={"AWS_ENDPOINT_URL": None}),
    dep("profile-missing", "--profile", "ghost"),
    dep("profile-env-missing", env={"AWS_PROFILE": "ghost"}),
    dep("endpoint-not-a-url", env={"AWS_ENDPOINT_URL": "not a url"}),
    dep("region-env-malformed", env={"AWS_REGION": "eu west 1"}),
    dep("parameter-empty-value", "--parameter", "TaskCpu="),
    dep("parameter-no-key", "--parameter", "=x"),
    dep("parameter-unknown", "--parameter", "Nope=1"),
    dep("parameter-not-allowed", "--parameter", "TaskMemory=3"),
    dep("tag-empty", "--tag", ""),
    dep("template-empty", "--template", ""),
    dep("template-missing", "--template", "/nonexistent.json"),
    dep("template-directory", "--template", "/tmp"),
    dep("template-binary", "--template", "/bin/sh"),
    dep("config-and-template", "--config", "a.toml", "--template", "b.json"),
    dep("follow-and-diff", "--follow"),
    dep("build-with-template", "--build", ".", "--template", "x.json"),
    dep("s3-bucket-empty", "--s3-bucket", ""),
    dep("s3-bucket-invalid", "--s3-bucket", "Bad Bucket"),
    dep("s3-bucket-too-short", "--s3-bucket", "ab"),
    dep("tag-long-key", "--tag", "k" * 200 + "=v"),
    dep("parameter-newline", "--parameter", "TaskCpu=256\n512"),
    dep("config-empty", "--config", ""),
    tpl("template-list", "[]"),
    tpl("template-resource-not-mapping", "Resources:\n  A: 5\n"),
    tpl("template-resource-no-type", "Resources:\n  A:\n    Properties: {}\n"),
    tpl("template-parameters-scalar", TOPIC + "Parameters: 5\n"),
    tpl("template-parameter-scalar", TOPIC + "Parameters:\n  P: 5\n"),
    tpl(
        "template-allowed-values-scalar",
        TOPIC + "Parameters:\n  P:\n    Type: String\n    AllowedValues: 5\n",
        "--parameter",
        "P=x",
    ),
    tpl("template-output-scalar", TOPIC + "Outputs:\n  O: 1\n"),
    tpl("template-properties-list", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: [1]\n"),
    tpl(
        "template-501-resources", "Resources:\n" + "".join(f"  R{i}:\n    Type: AWS::SNS::Topic\n" for i in range(501))
    ),
    tpl("template-long-id", f"Resources:\n  {'R' * 256}:\n    Type: AWS::SNS::Topic\n"),
    tpl("template-topic", TOPIC),
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


@pytest.mark.parametrize("case", CASES, ids=[f"{c.tool}:{c.id}" for c in CASES])
def test_bad_input(case: Case, results):
    result = results[f"{case.tool}:{case.id}"]
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode in case.codes, (result.returncode, result.stderr)
    if result.returncode == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
    elif case.tool == "generate.py":
        assert result.stderr == ""
        assert lint(result.stdout) == [], case.id

"""A bad value of each feature's keys, through generate.py and deploy.py as programs: exit 2 and one line on stderr
naming key, value and what is allowed. The in-process checks of the same values are next to each feature's tests in
tests/unit/; the general table of bad configs is test_config_errors.py."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ROOT, one_error_line, run_tool

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
WEB_SERVICE = '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000\n[service]\n'


def test_desired_count_with_autoscaling_is_one_clear_error(tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(
        '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000\n'
        "[service]\ndesired_count = 3\n[service.autoscaling]\nmin = 2\nmax = 6\n"
    )
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert "service.desired_count = 3" in line and "[service.autoscaling]" in line and "2..6" in line


def test_a_bad_setting_is_one_error_line(tmp_path):
    path = tmp_path / "app.toml"
    path.write_text(
        '[[task.containers]]\nimage = "nginx:1.27"\nhealth_check = { command = ["CMD", "true"], retries = 11 }\n'
    )
    line = one_error_line(run_tool("generate.py", "--config", str(path)))
    assert "task.containers[0].health_check.retries = 11: must be an integer from 1 to 10" in line


def test_a_bad_value_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(
        (ROOT / "examples" / "web-service-blue-green.toml")
        .read_text()
        .replace('strategy = "blue_green"', 'strategy = "red_black"')
    )
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert 'service.deployment.strategy = "red_black": must be one of rolling, blue_green, canary, linear' in line


def test_generate_says_one_line_and_exits_2(tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(
        '[[task.containers]]\nname = "web"\nimage = "nginx:1.27"\nport = 8000\n[service]\n'
        '[load_balancer]\nhosted_zone = "example.com"\n'
    )
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert str(config) in line and "load_balancer.domain is not" in line


@pytest.mark.parametrize("command", ['"sleep 1"', "[]", '["sh", 1]', '["sh", ""]'])
def test_a_bad_command_is_one_clear_error(tmp_path, command):
    config = tmp_path / "app.toml"
    config.write_text(f'[[task.containers]]\nimage = "nginx:1.27"\ncommand = {command}\n')
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert "task.containers[0].command = " in line and ("array" in line)


def _error(tmp_path, load_balancer: str) -> str:
    config = tmp_path / "app.toml"
    config.write_text(f"{WEB_SERVICE}[load_balancer]\n{load_balancer}\n")
    line = one_error_line(run_tool("generate.py", "--config", str(config)))
    assert str(config) in line
    return line


def test_a_certificate_needs_a_domain(tmp_path):
    line = _error(tmp_path, f'certificate_arn = "{CERTIFICATE}"')
    assert "load_balancer.domain is missing" in line and "certificate" in line


@pytest.mark.parametrize(
    "domain",
    [
        "app",
        "app_1.example.com",
        "-app.example.com",
        "app-.example.com",
        "app..example.com",
        "app.example.com.",
        "https://app.example.com",
        "*.example.com",
        "10.0.0.1",
        "a" * 64 + ".example.com",
        ("a" * 60 + ".") * 4 + "example.com",
    ],
)
def test_a_domain_that_is_no_dns_name_is_one_clear_error(tmp_path, domain):
    line = _error(tmp_path, f'certificate_arn = "{CERTIFICATE}"\ndomain = "{domain}"')
    assert f'load_balancer.domain = "{domain}"'[:60] in line and "DNS name" in line


def test_a_secret_named_like_an_environment_variable_is_one_error_line(tmp_path):
    path = tmp_path / "app.toml"
    path.write_text(
        '[[task.containers]]\nimage = "nginx:1.27"\nenvironment = { API_KEY = "x" }\nsecrets = { API_KEY = "ssm:/k" }\n'
    )
    line = one_error_line(run_tool("generate.py", "--config", str(path)))
    assert 'task.containers[0].secrets.API_KEY = "ssm:/k"' in line and "also in this container's environment" in line


def test_a_refusal_is_one_line_on_stderr_and_exit_2():
    line = one_error_line(run_tool("deploy.py", "--logs", "--since", "soon"))
    assert line == "error: --since 'soon': expected a duration from 1s to 30d, like 30s, 10m, 2h or 1d"


ENV_STAGING = '[environments.staging]\naccount = "123456789012"\nregion = "eu-west-1"\nstack_name = "app-staging"\n'


def test_generate_env_prints_that_environments_template(tmp_path):
    path = tmp_path / "app.toml"
    path.write_text("[task]\nmemory_mib = 1024\n" + ENV_STAGING + "[environments.staging.task]\nmemory_mib = 2048\n")
    staging = run_tool("generate.py", "--config", str(path), "--env", "staging")
    assert staging.returncode == 0, staging.stderr
    assert json.loads(staging.stdout)["Parameters"]["TaskMemory"]["Default"] == "2048"
    line = one_error_line(run_tool("generate.py", "--config", str(path), "--env", "prod"))
    assert line == f"error: --env prod: {path} has no such environment; it has staging"

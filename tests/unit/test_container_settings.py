"""Per-container runtime settings: health check, entry point, size, start order, user; ECS's defaults when unset."""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import WEB_CONTAINER, template_for

CHECK = {"command": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"]}
INIT = {"name": "init", "image": "public.ecr.aws/docker/library/busybox:1.36", "essential": False, "command": ["true"]}


def config(web: dict[str, Any], *others: dict[str, Any], **task: Any) -> dict[str, Any]:
    return {"task": {**task, "containers": [{**WEB_CONTAINER, **web}, *others]}, "service": {}}


def web_definition(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]["TaskdefWebapp"]["Properties"]["ContainerDefinitions"][0]


def test_every_setting_lands_in_the_container_definition():
    web = {
        "health_check": {**CHECK, "interval": 10, "timeout": 3, "retries": 5, "start_period": 40},
        "entrypoint": ["/bin/sh", "-c"],
        "command": ["exec app"],
        "working_directory": "/srv/app",
        "cpu": 256,
        "memory_mib": 512,
        "depends_on": [{"container": "init", "condition": "SUCCESS"}],
        "read_only_root_filesystem": True,
        "stop_timeout": 120,
        "user": "1000:1000",
    }
    definition = web_definition(template_for(config(web, INIT)))
    assert definition["HealthCheck"] == {
        "Command": CHECK["command"],
        "Interval": 10,
        "Timeout": 3,
        "Retries": 5,
        "StartPeriod": 40,
    }
    assert definition["EntryPoint"] == ["/bin/sh", "-c"] and definition["Command"] == ["exec app"]
    assert (definition["WorkingDirectory"], definition["Cpu"], definition["Memory"]) == ("/srv/app", 256, 512)
    assert definition["DependsOn"] == [{"ContainerName": "init", "Condition": "SUCCESS"}]
    assert (definition["ReadonlyRootFilesystem"], definition["StopTimeout"], definition["User"]) == (
        True,
        120,
        "1000:1000",
    )


def test_a_health_check_takes_ecs_defaults_for_what_is_not_given():
    definition = web_definition(template_for(config({"health_check": CHECK})))
    assert definition["HealthCheck"] == {
        "Command": CHECK["command"],
        "Interval": 30,
        "Timeout": 5,
        "Retries": 3,
        "StartPeriod": 0,
    }


def test_unset_settings_leave_the_definition_as_before():
    definition = web_definition(template_for(config({})))
    assert not {
        "HealthCheck",
        "EntryPoint",
        "WorkingDirectory",
        "Cpu",
        "Memory",
        "DependsOn",
        "ReadonlyRootFilesystem",
        "StopTimeout",
        "User",
    } & set(definition)


def test_healthy_waits_on_a_container_with_a_health_check():
    sidecar = {**INIT, "name": "proxy", "essential": True, "health_check": {"command": ["CMD", "true"]}}
    definition = web_definition(
        template_for(config({"depends_on": [{"container": "proxy", "condition": "HEALTHY"}]}, sidecar))
    )
    assert definition["DependsOn"] == [{"ContainerName": "proxy", "Condition": "HEALTHY"}]


BAD = [
    ("check-no-command", {"health_check": {"interval": 10}}, ["health_check.command", "missing"]),
    (
        "check-no-prefix",
        {"health_check": {"command": ["curl", "-f", "x"]}},
        ["health_check.command", '"CMD"', '"CMD-SHELL"'],
    ),
    (
        "check-prefix-only",
        {"health_check": {"command": ["CMD-SHELL"]}},
        ["health_check.command", "followed by the command"],
    ),
    ("check-interval", {"health_check": {**CHECK, "interval": 4}}, ["health_check.interval = 4", "5 to 300"]),
    ("check-timeout", {"health_check": {**CHECK, "timeout": 61}}, ["health_check.timeout = 61", "2 to 60"]),
    ("check-retries", {"health_check": {**CHECK, "retries": 0}}, ["health_check.retries = 0", "1 to 10"]),
    (
        "check-start-period",
        {"health_check": {**CHECK, "start_period": 301}},
        ["health_check.start_period = 301", "0 to 300"],
    ),
    ("check-unknown-key", {"health_check": {**CHECK, "intervall": 5}}, ["health_check.intervall = 5", "unknown key"]),
    ("entrypoint-empty", {"entrypoint": []}, ["entrypoint = []", "non-empty array"]),
    ("workdir-relative", {"working_directory": "app"}, ['working_directory = "app"', "absolute path"]),
    ("stop-timeout-fargate", {"stop_timeout": 121}, ["stop_timeout = 121", "1 to 120"]),
    ("user-space", {"user": "my user"}, ['user = "my user"', "user name or UID"]),
    ("cpu-negative", {"cpu": -1}, ["cpu = -1", "0 to 16384"]),
    ("memory-too-small", {"memory_mib": 4}, ["memory_mib = 4", "6 to 122880"]),
    ("depends-no-such", {"depends_on": [{"container": "db"}]}, ['depends_on[0].container = "db"', "no such container"]),
    ("depends-self", {"depends_on": [{"container": "web"}]}, ['depends_on[0].container = "web"', "itself"]),
    (
        "depends-condition",
        {"depends_on": [{"container": "init", "condition": "READY"}]},
        ['condition = "READY"', "START, COMPLETE"],
    ),
    (
        "healthy-without-check",
        {"depends_on": [{"container": "init", "condition": "HEALTHY"}]},
        ["HEALTHY", "init has no health_check"],
    ),
    ("depends-missing-container", {"depends_on": [{"condition": "START"}]}, ["depends_on[0].container", "missing"]),
]


@pytest.mark.parametrize("web, fragments", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_settings_name_key_value_and_rule(web, fragments):
    with pytest.raises(ConfigError) as error:
        parse_config(config(web, INIT), "app.toml")
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)


def test_the_containers_sizes_add_up_to_at_most_the_tasks():
    with pytest.raises(ConfigError, match=r"task.containers\[\*\].cpu = 400 \+ 200 = 600: .* at most task.cpu = 512"):
        parse_config(config({"cpu": 400}, {**INIT, "cpu": 200}, cpu=512, memory_mib=1024), "app.toml")
    with pytest.raises(ConfigError, match=r"memory_mib = 1000 = 1000: .* at most task.memory_mib = 512"):
        parse_config(config({"memory_mib": 1000}, INIT, cpu=256, memory_mib=512), "app.toml")
    assert parse_config(config({"cpu": 256, "memory_mib": 512}, {**INIT, "cpu": 256, "memory_mib": 512}), "app.toml")


def test_waiting_for_an_essential_container_to_exit_is_refused():
    with pytest.raises(ConfigError, match=r"web is essential"):
        parse_config(config({}, {**INIT, "depends_on": [{"container": "web", "condition": "COMPLETE"}]}), "app.toml")


def test_containers_waiting_for_each_other_are_refused():
    loop = config({"depends_on": [{"container": "init"}]}, {**INIT, "depends_on": [{"container": "web"}]})
    with pytest.raises(ConfigError, match=r"loop \(web -> init -> web\)"):
        parse_config(loop, "app.toml")


def test_a_read_only_root_gets_a_scratch_volume_at_tmp_by_default():
    template = template_for(config({"read_only_root_filesystem": True}))
    definition = web_definition(template)
    assert definition["ReadonlyRootFilesystem"] is True
    assert definition["MountPoints"] == [{"SourceVolume": "web-scratch-1", "ContainerPath": "/tmp", "ReadOnly": False}]
    assert template["Resources"]["TaskdefWebapp"]["Properties"]["Volumes"] == [{"Name": "web-scratch-1"}]


def test_writable_paths_choose_the_scratch_volumes_and_an_empty_list_none():
    paths = template_for(config({"read_only_root_filesystem": True, "writable_paths": ["/tmp", "/var/cache/app"]}))
    assert [m["ContainerPath"] for m in web_definition(paths)["MountPoints"]] == ["/tmp", "/var/cache/app"]
    assert len(paths["Resources"]["TaskdefWebapp"]["Properties"]["Volumes"]) == 2
    none = template_for(config({"read_only_root_filesystem": True, "writable_paths": []}))
    assert "MountPoints" not in web_definition(none)
    assert "Volumes" not in none["Resources"]["TaskdefWebapp"]["Properties"]
    writable = template_for(config({}))
    assert "MountPoints" not in web_definition(writable)


@pytest.mark.parametrize(
    ("web", "fragment"),
    [
        ({"writable_paths": ["/tmp"]}, "only with read_only_root_filesystem = true"),
        ({"read_only_root_filesystem": True, "writable_paths": ["tmp"]}, "absolute paths"),
        ({"read_only_root_filesystem": True, "writable_paths": ["/"]}, "absolute paths"),
        ({"read_only_root_filesystem": True, "writable_paths": ["/tmp", "/tmp"]}, "twice"),
    ],
)
def test_bad_writable_paths_are_refused(web, fragment):
    with pytest.raises(ConfigError) as error:
        parse_config(config(web), "app.toml")
    assert "writable_paths" in str(error.value) and fragment in str(error.value)

"""One Copilot service manifest -> this project's config tables (a dict the TOML writer prints).

Field names follow Copilot's manifest reference (site/content/docs/manifest/lb-web-service.en.md,
backend-service.en.md and the includes they name: task-size, platform, exec, deployment, logging, http-healthcheck).
"""

from __future__ import annotations

from typing import Any

from container_infra.copilot.containers import main_container, sidecars
from container_infra.copilot.notes import COMMENTS, Notes, mapping, seconds
from container_infra.copilot.scaling import count

HANDLED = {"name", "type", "image", "cpu", "memory", "platform", "count", "exec", "http", "variables", "secrets"}
HANDLED |= {"entrypoint", "command", "sidecars", "logging", "deployment", "environments", "network", "nlb"}
ARCHITECTURES = {"arm64": "ARM64", "x86_64": "X86_64", "amd64": "X86_64"}
# Copilot's task size for a service whose manifest sets none (lb_web_svc.go, backend_svc.go: newDefault...).
TASK_SIZE = (("cpu", "cpu", 256, "CPU units, like 256, 512 or 1024"), ("memory", "memory_mib", 512, "MiB, like 512"))


def convert_service(manifest: dict[str, Any], notes: Notes, built: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    task: dict[str, Any] = {"family": manifest["name"]}
    _task_size(task, manifest, notes)
    _platform(task, manifest.get("platform"), notes)
    task["containers"] = [main_container(manifest, notes, built), *sidecars(manifest, notes, built)]
    config["task"] = task
    if manifest["type"] == "Load Balanced Web Service":
        _web_service(config, manifest, notes)
    else:
        _backend_service(config, manifest, notes)
    _logging(config, manifest.get("logging"), notes)
    _deployment(config, manifest.get("deployment"), notes)
    for key in sorted(set(manifest) - HANDLED):
        notes.skip(config, key, manifest[key], "no equivalent in this project's config")
    return config


def _task_size(task: dict[str, Any], manifest: dict[str, Any], notes: Notes) -> None:
    defaults, absent = [], []
    for field, key, default, unit in TASK_SIZE:
        if field not in manifest:
            task[key] = default
            defaults.append(f"{key} = {default}")
            absent.append(field)
            continue
        value = manifest[field]
        if not isinstance(value, int) or isinstance(value, bool):
            raise notes.fail(field, value, f"a whole number of {unit}; leave it out for Copilot's default, {default}")
        task[key] = value
    if defaults:
        task.setdefault(COMMENTS, []).append(
            f"{', '.join(defaults)}: Copilot's default, as the manifest sets no {' or '.join(absent)}"
        )


def _platform(task: dict[str, Any], platform: Any, notes: Notes) -> None:
    if platform is None:
        return
    if isinstance(platform, dict):
        system, architecture = str(platform.get("osfamily", "linux")), str(platform.get("architecture", ""))
    else:
        system, _, architecture = str(platform).partition("/")
    if system.lower() != "linux":
        notes.skip(task, "platform", platform, "only Linux tasks here")
    elif architecture.lower() in ARCHITECTURES:
        task["cpu_architecture"] = ARCHITECTURES[architecture.lower()]
    else:
        raise notes.fail("platform", platform, "linux/x86_64, linux/amd64 or linux/arm64")


def _web_service(config: dict[str, Any], manifest: dict[str, Any], notes: Notes) -> None:
    service: dict[str, Any] = {}
    balancer: dict[str, Any] = {"port": 80}
    count(service, manifest, notes)
    _exec(service, manifest.get("exec"), notes)
    _network(service, manifest.get("network"), notes)
    http = manifest.get("http")
    if http is False and "nlb" not in manifest:  # Copilot refuses it: a web service is reached through one of them
        raise notes.fail("http", http, "a Load Balanced Web Service needs http or nlb (Copilot refuses neither)")
    if "nlb" in manifest:
        notes.skip(service, "nlb", manifest["nlb"], "a Network Load Balancer is not converted; the service gets an ALB")
    if http is False:
        notes.skip(service, "http", http, "the service gets an Application Load Balancer in place of the NLB")
    elif isinstance(http, dict):
        _http(service, balancer, http, notes)
    elif http is not None:
        raise notes.fail("http", http, "false or a map of load balancer settings (path, healthcheck, alias, ...)")
    config["service"] = service
    config["load_balancer"] = balancer


def _backend_service(config: dict[str, Any], manifest: dict[str, Any], notes: Notes) -> None:
    """Copilot's Backend Service: an ECS service without a public load balancer, reached from inside the
    environment. Its `http` (an internal load balancer) has no equivalent here: the service runs without one."""
    service: dict[str, Any] = {"load_balancer": False}
    count(service, manifest, notes)
    _exec(service, manifest.get("exec"), notes)
    _network(service, manifest.get("network"), notes)
    if "nlb" in manifest:
        notes.skip(service, "nlb", manifest["nlb"], "a Network Load Balancer is not converted (load_balancer = false)")
    if manifest.get("http") not in (None, False):
        notes.skip(
            service,
            "http",
            manifest["http"],
            "an internal load balancer is not converted; the service runs without one (load_balancer = false)",
        )
    image = manifest.get("image")
    if isinstance(image, dict) and image.get("port") is not None:
        notes.skip(
            service,
            "type",
            manifest["type"],
            "Copilot names it SERVICE.ENV.APP.local (Cloud Map) and lets every service of the environment in; here "
            "it gets no discovery name (docs/copilot.md, Backend services) and nothing reaches it until ingress_from "
            "lists the callers' security group IDs (a converted caller's TaskSecurityGroupId output)",
        )
    config["service"] = service


def _exec(service: dict[str, Any], execute: Any, notes: Notes) -> None:
    """Copilot takes `exec: true|false` or `exec: {enable: true|false}`, and refuses anything else, an empty map
    included (workload_ecs.go, ExecuteCommand.UnmarshalYAML)."""
    if execute is None or isinstance(execute, bool):
        if execute:
            service["enable_execute_command"] = True
        return
    if not isinstance(execute, dict) or not isinstance(execute.get("enable"), bool):
        raise notes.fail("exec", execute, "true, false or {enable: true|false}; Copilot refuses anything else")
    if execute["enable"]:
        service["enable_execute_command"] = True
    else:
        # Copilot turns ECS Exec on for any exec map, even {enable: false} (its stack/transformers.go,
        # convertExecuteCommand): the Copilot service may have it on; here it is off, as the manifest says.
        service.setdefault(COMMENTS, []).append(
            "exec.enable = false: off, as written (Copilot deployed any exec map with ECS Exec on)"
        )
    for key in sorted(set(execute) - {"enable"}):
        notes.skip(service, f"exec.{key}", execute[key], "ECS Exec here has no settings beyond on or off")


def _network(service: dict[str, Any], network: Any, notes: Notes) -> None:
    """`network.vpc.placement`: where Copilot ran the tasks, its environment's public or private subnets. Here the
    subnets are the TaskSubnets parameter; a public IP is what the placement changes in the template."""
    network = mapping(network, "network", notes, "network settings (vpc, connect)")
    vpc = mapping(network.get("vpc"), "network.vpc", notes, "VPC settings (placement, security_groups)")
    placement = vpc.get("placement")
    if placement == "private":
        service["assign_public_ip"] = False
        service.setdefault(COMMENTS, []).append(
            "network.vpc.placement = private: deploy with --parameter TaskSubnets=... naming private subnets with a "
            "NAT gateway or VPC endpoints (Copilot's environment added NAT gateways for them)"
        )
    elif placement == "public":
        service["assign_public_ip"] = True
    elif placement is not None:
        notes.skip(
            service,
            "network.vpc.placement",
            placement,
            "subnets are the TaskSubnets parameter here: deploy with --parameter TaskSubnets=..., and set "
            "assign_public_ip = false for private ones",
        )
    for key in sorted(set(vpc) - {"placement"}):
        notes.skip(service, f"network.vpc.{key}", vpc[key], "the tasks here have one security group of their own")
    for key in sorted(set(network) - {"vpc"}):
        notes.skip(service, f"network.{key}", network[key], "Service Connect is not converted")


def _http(service: dict[str, Any], balancer: dict[str, Any], http: dict[str, Any], notes: Notes) -> None:
    path = http.get("path")
    if path not in (None, "/", ""):
        notes.skip(service, "http.path", path, "the load balancer here is the service's own: it serves every path")
    check = http.get("healthcheck")
    if isinstance(check, str):
        service["health_check_path"] = check
    elif isinstance(check, dict):
        if "path" in check:
            if not isinstance(check["path"], str):
                raise notes.fail("http.healthcheck.path", check["path"], "a URL path, like /healthz")
            service["health_check_path"] = check["path"]
        if "grace_period" in check:
            service["health_check_grace_seconds"] = seconds(
                check["grace_period"], "http.healthcheck.grace_period", notes
            )
        for key in sorted(set(check) - {"path", "grace_period"}):
            notes.skip(
                service, f"http.healthcheck.{key}", check[key], "the target group's other settings are fixed here"
            )
    if "target_container" in http:
        service["container"] = http["target_container"]
    _alias(balancer, http, notes)
    handled = {"path", "healthcheck", "target_container", "alias", "hosted_zone"}
    for key in sorted(set(http) - handled):
        notes.skip(service, f"http.{key}", http[key], "no equivalent in [service] or [load_balancer]")


def _alias(balancer: dict[str, Any], http: dict[str, Any], notes: Notes) -> None:
    alias = http.get("alias")
    if alias is None:
        return
    names = alias if isinstance(alias, list) else [alias]
    first = names[0] if names else None
    name = first.get("name") if isinstance(first, dict) else first
    zone = first.get("hosted_zone") if isinstance(first, dict) else http.get("hosted_zone")
    if not isinstance(name, str) or not name:
        raise notes.fail("http.alias", alias, "a domain name, a list of them, or a list of {name, hosted_zone}")
    balancer["domain"] = name
    # The zone stays a comment: Copilot's alias record already holds the name, and a stack that creates its own
    # record for it fails; docs/copilot.md moves that record to the new load balancer instead.
    zone_text = f"hosted_zone_id {zone}" if zone else "the application's domain zone"
    balancer.setdefault(COMMENTS, []).extend(
        [
            f"{name}: Copilot's alias record (in {zone_text}) keeps pointing at Copilot's load balancer until",
            "you move it (docs/copilot.md); for HTTPS give certificate_arn, a certificate for the name",
        ]
    )
    for extra in names[1:]:
        notes.skip(balancer, "http.alias", extra, "one domain per load balancer here; point this name at it yourself")


def _logging(config: dict[str, Any], logging: Any, notes: Notes) -> None:
    logging = mapping(logging, "logging", notes, "logging settings (retention, ...)")
    if not logging:
        return
    table: dict[str, Any] = {}
    if "retention" in logging:
        table["retention_days"] = logging["retention"]
    for key in sorted(set(logging) - {"retention"}):
        notes.skip(table, f"logging.{key}", logging[key], "FireLens routing is not converted; logs go to CloudWatch")
    config["logging"] = table


def _deployment(config: dict[str, Any], deployment: Any, notes: Notes) -> None:
    deployment = mapping(deployment, "deployment", notes, "deployment settings (rolling, ...)")
    service = config.get("service", config)
    rolling = deployment.get("rolling")
    if rolling not in (None, "default", "recreate"):
        raise notes.fail("deployment.rolling", rolling, "default or recreate, as Copilot takes it")
    if rolling == "recreate":
        notes.skip(service, "deployment.rolling", rolling, "the rolling update here keeps every task until the new run")
    for key in sorted(set(deployment) - {"rolling"}):
        notes.skip(service, f"deployment.{key}", deployment[key], "see [service.rollback] for alarm rollbacks")

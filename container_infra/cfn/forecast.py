"""The forecast's template side: what in a template (parameters resolved) the account may refuse.

Pure: it names what to look up (named resources, certificates, load-balancer subnets, ECR images)
and finds what the template alone shows (a health check that cannot reach the container port).
`container_infra.steps.forecast` asks AWS about the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from container_infra.cfn.constants import ECS_SERVICE_TYPE, LOAD_BALANCER_TYPE
from container_infra.cfn.intrinsics import resolve_parameters
from container_infra.cfn.template import resources

DUALSTACK_TYPES = ("dualstack", "dualstack-without-public-ipv4")
# Resource types whose explicit name must not exist yet when CloudFormation creates them.
NAME_PROPERTIES = {
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::S3::Bucket": "BucketName",
}
ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repository>[^:@]+)"
    r"(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)


@dataclass(frozen=True)
class Finding:
    level: str  # "error": CloudFormation or ECS would fail; "note": could not be checked
    text: str


@dataclass(frozen=True)
class NamedResource:
    logical_id: str
    resource_type: str
    name: str


@dataclass(frozen=True)
class DomainRecord:
    """A name the template writes into a Route 53 zone: an alias record, or (kind "certificate") ACM's validation
    record."""

    logical_id: str
    name: str
    kind: str  # "A", "AAAA", or "certificate"
    zone_id: str


@dataclass(frozen=True)
class EcrImage:
    container: str
    account: str
    region: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def reference(self) -> str:
        return f"{self.repository}" + (f"@{self.digest}" if self.digest else f":{self.tag or 'latest'}")


class Forecastable:
    """A template with its parameters resolved, read for what the forecast checks."""

    def __init__(self, template: dict[str, Any], parameter_values: dict[str, Any]) -> None:
        self.resources = resources(resolve_parameters(template, parameter_values))

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.resources.items() if r.get("Type") == resource_type}

    def named_resources(self, exclude: set[str]) -> list[NamedResource]:
        """Explicitly named resources, but those in `exclude` (the ones the stack already has)."""
        found = []
        for logical_id, resource in self.resources.items():
            prop = NAME_PROPERTIES.get(str(resource.get("Type")))
            name = (resource.get("Properties") or {}).get(prop) if prop else None
            if isinstance(name, str) and name and logical_id not in exclude:
                found.append(NamedResource(logical_id, str(resource["Type"]), name))
        return found

    def certificate_arns(self) -> list[str]:
        arns = []
        for listener in self.of_type("AWS::ElasticLoadBalancingV2::Listener").values():
            for certificate in (listener.get("Properties") or {}).get("Certificates") or []:
                arn = certificate.get("CertificateArn") if isinstance(certificate, dict) else None
                if isinstance(arn, str):
                    arns.append(arn)
        return sorted(set(arns))

    def domain_records(self) -> list[DomainRecord]:
        """The records and certificate validations whose zone ID is a known value (given, or a resolved parameter)."""
        found = []
        for logical_id, record in self.of_type("AWS::Route53::RecordSet").items():
            props = record.get("Properties") or {}
            if isinstance(props.get("HostedZoneId"), str) and isinstance(props.get("Name"), str):
                found.append(DomainRecord(logical_id, props["Name"], str(props.get("Type")), props["HostedZoneId"]))
        for logical_id, certificate in self.of_type("AWS::CertificateManager::Certificate").items():
            for option in (certificate.get("Properties") or {}).get("DomainValidationOptions") or []:
                if (
                    isinstance(option, dict)
                    and isinstance(option.get("HostedZoneId"), str)
                    and isinstance(option.get("DomainName"), str)
                ):
                    found.append(DomainRecord(logical_id, option["DomainName"], "certificate", option["HostedZoneId"]))
        return found

    def load_balancer_subnets(self) -> dict[str, list[str]]:
        """Load balancer logical ID -> its subnet IDs, where they are known values."""
        found = {}
        for logical_id, balancer in self.of_type(LOAD_BALANCER_TYPE).items():
            subnets = (balancer.get("Properties") or {}).get("Subnets")
            if isinstance(subnets, str):
                subnets = [s.strip() for s in subnets.split(",")]
            if isinstance(subnets, list) and all(isinstance(s, str) for s in subnets):
                found[logical_id] = subnets
        return found

    def dualstack_load_balancers(self) -> set[str]:
        """Load balancers with IPv6 addresses: each of their subnets needs an IPv6 CIDR block."""
        return {
            lid
            for lid, balancer in self.of_type(LOAD_BALANCER_TYPE).items()
            if (balancer.get("Properties") or {}).get("IpAddressType") in DUALSTACK_TYPES
        }

    def ecr_images(self) -> list[EcrImage]:
        images = []
        for task in self.of_type("AWS::ECS::TaskDefinition").values():
            for container in (task.get("Properties") or {}).get("ContainerDefinitions") or []:
                match = ECR_IMAGE.match(str(container.get("Image", ""))) if isinstance(container, dict) else None
                if match:
                    images.append(
                        EcrImage(
                            str(container.get("Name", "?")),
                            match["account"],
                            match["region"],
                            match["repository"],
                            match["tag"],
                            match["digest"],
                        )
                    )
        return images

    def unreachable_ports(self) -> list[Finding]:
        """A service's load-balanced container port that its container does not map, or a health check on another
        port."""
        findings = []
        for service_id, service in self.of_type(ECS_SERVICE_TYPE).items():
            props = service.get("Properties") or {}
            task = self.resources.get(_ref(props.get("TaskDefinition")) or "", {})
            containers = {
                c.get("Name"): c
                for c in (task.get("Properties") or {}).get("ContainerDefinitions") or []
                if isinstance(c, dict)
            }
            for target in props.get("LoadBalancers") or []:
                findings += self._check_target(service_id, target, containers)
        return findings

    def _check_target(
        self, service_id: str, target: dict[str, Any], containers: dict[Any, dict[str, Any]]
    ) -> list[Finding]:
        name, port = target.get("ContainerName"), target.get("ContainerPort")
        container = containers.get(name)
        if container is None:
            return [
                Finding(
                    "error",
                    f"{service_id} sends load-balancer traffic to container {name}, which the task definition does "
                    "not have",
                )
            ]
        mapped = {m.get("ContainerPort") for m in container.get("PortMappings") or [] if isinstance(m, dict)}
        if port not in mapped:
            return [
                Finding(
                    "error",
                    f"{service_id} sends load-balancer traffic to {name}:{port}, but {name} maps only "
                    f"{', '.join(map(str, sorted(p for p in mapped if p is not None))) or 'no port'}",
                )
            ]
        group = self.resources.get(_ref(target.get("TargetGroupArn")) or "", {}).get("Properties") or {}
        check_port = str(group.get("HealthCheckPort", "traffic-port"))
        if check_port not in ("traffic-port", str(port)):
            return [
                Finding(
                    "error",
                    f"the health check of {_ref(target.get('TargetGroupArn'))} probes port {check_port}, "
                    f"not the container port {port}: every target would be unhealthy",
                )
            ]
        return []


def _ref(value: Any) -> str | None:
    return value.get("Ref") if isinstance(value, dict) and isinstance(value.get("Ref"), str) else None

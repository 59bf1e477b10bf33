"""The forecast: before any change, what the account will refuse, one line each.

It runs during --diff and before the approval prompt, and creates nothing. An error stops a deploy
(exit 2) before a change set exists; --diff shows it with the diff and exits 2 too. What it cannot
know (quotas, IAM propagation, whether the app starts and answers its health check) shows only
when CloudFormation and ECS run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from container_infra.aws import acm, ec2, ecr, elbv2, logs, route53, s3
from container_infra.aws.session import Aws
from container_infra.cfn.forecast import DomainRecord, EcrImage, Finding, Forecastable, NamedResource
from container_infra.cfn.live_switches import (
    capacity_change_under_traffic_shifting,
    dropped_capacity_providers,
    left_shifting_strategies,
    switch_refusal,
)
from container_infra.config.domain import is_inside
from container_infra.errors import AwsError, ConnectionLost

Check = Callable[[], list[Finding]]


class Forecast:
    def __init__(
        self, aws: Aws, template: dict[str, Any], parameter_values: dict[str, Any], existing_ids: Callable[[], set[str]]
    ) -> None:
        self.aws = aws
        self.view = Forecastable(template, parameter_values)
        self.existing_ids = (
            existing_ids  # the resources the stack already has (they exist, and are ours); asked only when needed
        )

    def run(self) -> list[Finding]:
        findings: list[Finding] = list(self.view.unreachable_ports())
        for check in (
            self._named_resources,
            self._certificates,
            self._hosted_zones,
            self._taken_records,
            self._load_balancer_zones,
            self._images,
        ):
            findings += _guarded(check)
        return findings

    def _named_resources(self) -> list[Finding]:
        named = self.view.named_resources(exclude=set())
        existing = self.existing_ids() if named else set()
        return [
            Finding(
                "error",
                f"{r.resource_type} {r.logical_id}: a resource named {r.name!r} already exists outside this stack "
                f"(kept by an earlier stack's DeletionPolicy?); CloudFormation would fail with 'already exists'. "
                f"Delete or rename it, or drop the name from the template",
            )
            for r in named
            if r.logical_id not in existing and self._exists(r)
        ]

    def _exists(self, resource: NamedResource) -> bool:
        if resource.resource_type == "AWS::ECR::Repository":
            return ecr.repository_uri(self.aws.client("ecr"), resource.name) is not None
        if resource.resource_type == "AWS::Logs::LogGroup":
            return logs.log_group_exists(self.aws.client("logs"), resource.name)
        return s3.bucket_exists(self.aws, resource.name)

    def _certificates(self) -> list[Finding]:
        findings = []
        for arn in self.view.certificate_arns():
            region = arn.split(":")[3] if arn.count(":") >= 5 else ""
            if region and region != self.aws.region:
                findings.append(
                    Finding(
                        "error",
                        f"certificate {arn} is in {region}; a load balancer in {self.aws.region} needs one "
                        f"from {self.aws.region}: set [load_balancer] certificate_arn",
                    )
                )
                continue
            certificate = acm.describe_certificate(self.aws.client("acm"), arn)
            if certificate is None:
                findings.append(
                    Finding(
                        "error",
                        f"certificate {arn} does not exist in {self.aws.region}: set [load_balancer] "
                        f"certificate_arn to an ISSUED ACM certificate for your domain",
                    )
                )
            elif certificate.get("Status") != "ISSUED":
                findings.append(
                    Finding(
                        "error",
                        f"certificate {arn} is {certificate.get('Status')}, not ISSUED: "
                        f"finish its validation (DNS record) before deploying",
                    )
                )
        return findings

    def _hosted_zones(self) -> list[Finding]:
        """Each zone the template writes to exists, is public, and holds the name written (once per zone and name)."""
        findings, zones, records = [], {}, {}
        for record in self.view.domain_records():
            records.setdefault((record.zone_id, record.name.lower()), record)
        for record in records.values():
            if record.zone_id not in zones:
                zones[record.zone_id] = route53.get_hosted_zone(self.aws.client("route53"), record.zone_id)
            zone = zones[record.zone_id]
            if zone is None:
                findings.append(
                    Finding(
                        "error",
                        f"{record.logical_id}: hosted zone {record.zone_id} does not exist in this account: "
                        "set [load_balancer] hosted_zone_id to the domain's public zone "
                        "(Route 53 console, 'Hosted zone ID')",
                    )
                )
            elif (zone.get("Config") or {}).get("PrivateZone"):
                findings.append(
                    Finding(
                        "error",
                        f"{record.logical_id}: hosted zone {record.zone_id} ({zone.get('Name')}) is private: "
                        f"the internet cannot resolve it and ACM cannot validate through it; use the public zone",
                    )
                )
            elif not is_inside(record.name, str(zone.get("Name", ""))):
                findings.append(
                    Finding(
                        "error",
                        f"{record.logical_id}: {record.name} is not inside hosted zone {record.zone_id} "
                        f"({str(zone.get('Name', '')).rstrip('.')}); Route 53 would refuse the record: "
                        f"set [load_balancer] hosted_zone_id to the zone of {record.name}",
                    )
                )
        return findings

    def _taken_records(self) -> list[Finding]:
        """A new alias record whose name the zone already has as that type, or as a CNAME (which no other type may sit
        beside): CloudFormation would fail with 'already exists' or 'conflicts with other records'."""
        new = [r for r in self.view.domain_records() if r.kind in ("A", "AAAA")]
        existing = self.existing_ids() if new else set()
        findings = []
        for record in new:
            taken = self._taken_type(record) if record.logical_id not in existing else None
            if taken:
                findings.append(
                    Finding(
                        "error",
                        f"{record.logical_id}: hosted zone {record.zone_id} already has {_article(taken)} {taken} "
                        f"record for {record.name} (another stack's, or made by hand); CloudFormation would fail "
                        f"to create the {record.kind} alias beside it. Delete it, or choose another domain",
                    )
                )
        return findings

    def _taken_type(self, record: DomainRecord) -> str | None:
        types = route53.record_types(self.aws.client("route53"), record.zone_id, record.name)
        return record.kind if record.kind in types else "CNAME" if "CNAME" in types else None

    def _load_balancer_zones(self) -> list[Finding]:
        findings = []
        dualstack = self.view.dualstack_load_balancers()
        for balancer, subnet_ids in self.view.load_balancer_subnets().items():
            subnets = ec2.known_subnets(self.aws.client("ec2"), subnet_ids)
            zones = {subnet_id: subnet["AvailabilityZone"] for subnet_id, subnet in subnets.items()}
            missing = [s for s in subnet_ids if s not in zones]
            without_ipv6 = [s for s in subnet_ids if s in subnets and not ec2.has_ipv6_cidr(subnets[s])]
            if missing:
                findings.append(
                    Finding("error", f"{balancer}: subnet(s) {', '.join(missing)} do not exist in {self.aws.region}")
                )
            elif len(set(zones.values())) < 2:
                findings.append(
                    Finding(
                        "error",
                        f"{balancer}: its subnets {', '.join(subnet_ids)} are all in "
                        f"{', '.join(sorted(set(zones.values())))}; "
                        f"an Application Load Balancer needs two Availability Zones",
                    )
                )
            if balancer in dualstack and without_ipv6:
                findings.append(
                    Finding(
                        "error",
                        f"{balancer}: subnet(s) {', '.join(without_ipv6)} have no IPv6 CIDR block, which a dualstack "
                        f"load balancer needs in each subnet (the default VPC's have none): associate one, pass "
                        f'subnets that have one, or set [load_balancer] ip_address_type = "ipv4"',
                    )
                )
        return findings

    def _images(self) -> list[Finding]:
        account = None
        findings = []
        for image in self.view.ecr_images():
            if image.region != self.aws.region:
                continue  # another region's registry: not ours to look into
            account = account or self.aws.client("sts").get_caller_identity()["Account"]
            if image.account == account and not self._image_exists(image):
                findings.append(
                    Finding(
                        "error",
                        f"container {image.container}: image {image.reference} is not in ECR "
                        f"({image.account}, {image.region}); tasks would fail with CannotPullContainerError",
                    )
                )
        return findings

    def _image_exists(self, image: EcrImage) -> bool:
        image_id = {"imageDigest": image.digest} if image.digest else {"imageTag": image.tag or "latest"}
        return ecr.has_image(self.aws.client("ecr"), image.repository, image_id, registry=image.account)


def live_switches(
    aws: Aws, deployed: dict[str, Any], template: dict[str, Any], physical_id: Callable[[str], str]
) -> list[Finding]:
    """What a live stack cannot switch to in one update, read from the template it runs (and, for a service leaving
    blue/green, canary or linear, where its production listener rule sends traffic now)."""
    findings = [Finding("error", text) for text in dropped_capacity_providers(deployed, template)]
    findings += [Finding("note", text) for text in capacity_change_under_traffic_shifting(deployed, template)]
    for left in left_shifting_strategies(deployed, template):
        rule, alternate = physical_id(left.production_rule), physical_id(left.alternate_target_group)
        if not rule or not alternate:
            continue
        weights = elbv2.forward_weights(aws.client("elbv2"), rule)
        share = round(100 * weights.get(alternate, 0) / (sum(weights.values()) or 1))
        if share > 0:
            findings.append(Finding("error", switch_refusal(left, share)))
    return findings


def _article(record_type: str) -> str:
    return "an" if record_type[0] in "AEIOU" else "a"


def _guarded(check: Check) -> list[Finding]:
    """A check this identity may not make is a note, not a stop: CloudFormation will still tell."""
    try:
        return check()
    except ConnectionLost:
        raise
    except AwsError as error:
        return [Finding("note", f"could not check ({error.code} on {error.operation}); CloudFormation will tell")]

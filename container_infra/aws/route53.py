"""Route 53 reads: a public hosted zone by name (for the HostedZoneId parameter), a zone by ID (for the forecast)."""

from __future__ import annotations

from typing import Any

from container_infra.aws.session import Aws
from container_infra.errors import AwsError, UserError

ZONE_PREFIX = "/hostedzone/"


def zone_id(zone: dict[str, Any]) -> str:
    """Route 53 answers /hostedzone/Z123...; a template and the config use Z123..."""
    return str(zone["Id"]).removeprefix(ZONE_PREFIX)


def zones_named(route53: Any, name: str) -> list[dict[str, Any]]:
    """The hosted zones (public and private) named exactly `name` (ListHostedZonesByName sorts by name: they lead)."""
    wanted = name.lower().rstrip(".") + "."
    answer = route53.list_hosted_zones_by_name(DNSName=wanted, MaxItems="100")
    return [z for z in answer.get("HostedZones", []) if str(z.get("Name", "")).lower() == wanted]


def get_hosted_zone(route53: Any, hosted_zone_id: str) -> dict[str, Any] | None:
    """The zone (its HostedZone part), or None when there is no such zone."""
    try:
        return dict(route53.get_hosted_zone(Id=hosted_zone_id)["HostedZone"])
    except AwsError as error:
        if error.code in ("NoSuchHostedZone", "InvalidInput"):
            return None
        raise


def record_types(route53: Any, hosted_zone_id: str, name: str) -> set[str]:
    """The types of the record sets the zone has at exactly `name` (names compare without case and trailing dot).

    Listed from `name` on without a type: Route 53 sorts by name, then type, so all of that name's sets lead
    (a CNAME too, which an A or AAAA of the same name cannot sit beside).
    """
    try:
        answer = route53.list_resource_record_sets(HostedZoneId=hosted_zone_id, StartRecordName=name, MaxItems="100")
    except AwsError as error:
        if error.code == "NoSuchHostedZone":
            return set()  # the zone check says so
        raise
    wanted = name.lower().rstrip(".")
    return {
        str(r.get("Type"))
        for r in answer.get("ResourceRecordSets", [])
        if str(r.get("Name", "")).lower().rstrip(".") == wanted
    }


class HostedZoneLookup:
    """Fills a AWS::Route53::HostedZone::Id parameter from the zone's name, like the default VPC fills VpcId."""

    def __init__(self, aws: Aws) -> None:
        self.aws = aws

    def zone_id(self, parameter: str, zone_name: str) -> str:
        zones = zones_named(self.aws.client("route53"), zone_name)
        public = [z for z in zones if not (z.get("Config") or {}).get("PrivateZone")]
        if not public:
            private = (
                " (only a private zone has that name: a private zone answers inside its VPCs only, "
                "and ACM cannot validate through it)"
                if zones
                else ""
            )
            raise UserError(
                f"parameter {parameter}: no public Route 53 hosted zone named {zone_name} in this account{private}; "
                f"create it, or set [load_balancer] hosted_zone_id (or pass --parameter {parameter}=Z...)"
            )
        if len(public) > 1:
            ids = ", ".join(sorted(zone_id(z) for z in public))
            raise UserError(
                f"parameter {parameter}: {len(public)} public hosted zones are named {zone_name} ({ids}); "
                f"set [load_balancer] hosted_zone_id to the one the domain's registrar delegates to"
            )
        return zone_id(public[0])

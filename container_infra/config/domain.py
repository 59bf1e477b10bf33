"""[load_balancer]'s custom domain: the Route 53 zone it lives in, and the load balancer's IP address type.

What the file alone can show is checked here; whether the zone exists, is public, and holds the domain
when it is given by ID is for deploy.py to ask Route 53 (the forecast, and the zone lookup).
"""

from __future__ import annotations

import re

from container_infra.config.tables import Table
from container_infra.errors import ConfigError

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
HOSTED_ZONE_ID = re.compile(r"Z[A-Z0-9]{1,31}")  # Route 53's IDs: Z1D633PJN98FT9, Z0123456789ABCDEFGHIJ
IP_ADDRESS_TYPES = ("ipv4", "dualstack")
CERTIFICATE_NAME_MAX = 64  # ACM RequestCertificate: the DomainName (the Common Name, RFC 5280) is at most 64 octets


def is_dns_name(name: str) -> bool:
    return len(name) <= 253 and DNS_NAME.fullmatch(name) is not None and not name.rsplit(".", 1)[-1].isdigit()


def is_inside(domain: str, zone: str) -> bool:
    """app.example.com is in example.com (and example.com in itself); DNS names compare without case."""
    domain, zone = domain.lower().rstrip("."), zone.lower().rstrip(".")
    return domain == zone or domain.endswith("." + zone)


def parse_zone(table: Table, domain: str) -> tuple[str, str]:
    """(hosted_zone_id, hosted_zone): at most one of them, and only with a domain."""
    zone_id = table.get("hosted_zone_id", str, "")
    zone_name = table.get("hosted_zone", str, "")
    if zone_id and zone_name:
        raise table.fail("hosted_zone", zone_name, f"give hosted_zone_id ({zone_id}) or hosted_zone, not both")
    key = "hosted_zone_id" if zone_id else "hosted_zone"
    if (zone_id or zone_name) and not domain:
        raise ConfigError(
            f"{table.source}: {table.key_path(key)} is set but {table.key_path('domain')} is not: the zone holds "
            f'the domain\'s records; add domain = "app.{zone_name or "example.com"}" (a name inside the zone)'
        )
    if zone_id and not HOSTED_ZONE_ID.fullmatch(zone_id):
        raise table.fail(
            "hosted_zone_id",
            zone_id,
            "must be a Route 53 hosted zone ID: Z and then uppercase letters and digits, "
            "e.g. Z0123456789ABCDEFGHIJ (the console's 'Hosted zone ID', without /hostedzone/)",
        )
    if zone_name and not is_dns_name(zone_name):
        raise table.fail(
            "hosted_zone",
            zone_name,
            "must be a public hosted zone's name such as example.com (no trailing dot); "
            "or give its ID as hosted_zone_id",
        )
    if zone_name and not is_inside(domain, zone_name):
        raise table.fail(
            "hosted_zone",
            zone_name,
            f"does not hold domain = {domain!r}: the domain must be the zone's name or end with '.{zone_name}'",
        )
    return zone_id, zone_name


def check_certificate_domain(table: Table, domain: str) -> None:
    """The stack's own certificate names the domain as its Common Name, which ACM caps at 64 characters."""
    if len(domain) > CERTIFICATE_NAME_MAX:
        raise table.fail(
            "domain",
            domain,
            f"is {len(domain)} characters; the certificate the stack requests for it may name at most "
            f"{CERTIFICATE_NAME_MAX} (ACM's limit for a certificate's domain name): use a shorter domain, "
            f"or give certificate_arn of a certificate that covers it",
        )


def parse_ip_address_type(table: Table) -> str:
    value = table.get("ip_address_type", str, "ipv4")
    if value not in IP_ADDRESS_TYPES:
        raise table.fail(
            "ip_address_type", value, 'must be "ipv4" or "dualstack" (IPv6 too: the subnets need IPv6 CIDR blocks)'
        )
    return value

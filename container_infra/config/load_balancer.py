"""`[load_balancer]`: the listener port, HTTPS (a certificate, or the stack's own for a domain in a Route 53 zone),
access logs and the IP address type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from container_infra.config.domain import check_certificate_domain, is_dns_name, parse_ip_address_type, parse_zone
from container_infra.config.tables import Table
from container_infra.errors import ConfigError

CERTIFICATE_ARN = re.compile(r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+")
HTTPS_PORT = 443


@dataclass(frozen=True, slots=True)
class LoadBalancerConfig:
    port: int = 80
    certificate_arn: str = ""
    access_logs: bool = True
    domain: str = ""  # the DNS name users reach the app at (the certificate's); "" = the load balancer's own
    hosted_zone_id: str = ""  # the public Route 53 zone of `domain`: alias records (and a certificate without an ARN)
    hosted_zone: str = ""  # the same zone by name ("example.com"), its ID looked up by deploy.py; "" = none
    ip_address_type: str = "ipv4"  # "dualstack": IPv6 too (needs subnets with IPv6), and an AAAA alias record

    @property
    def has_zone(self) -> bool:
        return bool(self.hosted_zone_id or self.hosted_zone)

    @property
    def issues_certificate(self) -> bool:
        """A zone and no certificate_arn: the stack requests the domain's certificate, validated through that zone."""
        return self.has_zone and not self.certificate_arn

    @property
    def serves_https(self) -> bool:
        return bool(self.certificate_arn) or self.has_zone


def parse_load_balancer(table: Table) -> LoadBalancerConfig:
    default = LoadBalancerConfig()
    port = table.int_between("port", default.port, 1, 65535)
    certificate = table.get("certificate_arn", str, "")
    if certificate and not CERTIFICATE_ARN.fullmatch(certificate):
        raise table.fail(
            "certificate_arn",
            certificate,
            "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); "
            "leave the key out for plain HTTP",
        )
    if certificate and port == HTTPS_PORT:
        raise table.fail(
            "port",
            port,
            "is the HTTPS port when certificate_arn is set; port is the plain-HTTP port that redirects to it (e.g. 80)",
        )
    access_logs = table.get("access_logs", bool, default.access_logs)
    domain = _domain(table, certificate)
    zone_id, zone_name = parse_zone(table, domain)
    if (zone_id or zone_name) and not certificate:
        check_certificate_domain(table, domain)
    if (zone_id or zone_name) and port == HTTPS_PORT:
        raise table.fail(
            "port",
            port,
            "is the HTTPS port when the domain's zone is set (the stack serves HTTPS on 443); "
            "port is the plain-HTTP port that redirects to it (e.g. 80)",
        )
    ip_address_type = parse_ip_address_type(table)
    table.done()
    return LoadBalancerConfig(
        port,
        certificate,
        access_logs,
        domain,
        hosted_zone_id=zone_id,
        hosted_zone=zone_name,
        ip_address_type=ip_address_type,
    )


def _domain(table: Table, certificate: str) -> str:
    """The name the certificate covers: the load balancer's own DNS name is not on it, so HTTPS needs one."""
    if certificate and not table.has("domain"):
        raise ConfigError(
            f"{table.source}: {table.key_path('domain')} is missing: with certificate_arn set, give the DNS name "
            f'the certificate covers and that you point at the load balancer, e.g. domain = "app.example.com"'
        )
    domain = table.get("domain", str, LoadBalancerConfig().domain)
    if (domain or certificate) and not is_dns_name(domain):
        raise table.fail(
            "domain",
            domain,
            "must be a DNS name such as app.example.com: two or more dot-separated labels of "
            "letters, digits and '-' (not at a label's ends), at most 63 characters each and 253 in all",
        )
    return domain

"""The custom domain: its ACM certificate (DNS-validated in the domain's Route 53 zone) and alias records to the
load balancer.

With a zone, CloudFormation writes the certificate's validation record into it itself and waits until ACM
has ISSUED the certificate before the HTTPS listener that uses it is created. The zone is given by ID, or by
name: then it is the HostedZoneId parameter (type AWS::Route53::HostedZone::Id), which deploy.py fills by
looking the name up (the name is in the template's Metadata, under LOOKUP_METADATA).
"""

from __future__ import annotations

from troposphere import GetAtt, Parameter, Ref, Tags, Template, certificatemanager, ec2, route53

from container_infra.config.load_balancer import LoadBalancerConfig
from container_infra.naming import HOSTED_ZONE_ID, LOOKUP_METADATA, pascal
from templates.load_balancer import HTTPS_PORT, LoadBalancing, listener_ports
from templates.network import SecurityGroups

ANYWHERE_IPV6 = "::/0"
DUALSTACK = "dualstack"
DOMAIN_GROUP = "Domain"


def add_domain_certificate(template: Template, family: str, config: LoadBalancerConfig) -> Ref | None:
    """The stack's own certificate when the config names a zone but no certificate_arn; else None."""
    return (
        add_certificate(template, family, config, hosted_zone(template, config)) if config.issues_certificate else None
    )


def add_domain_records(
    template: Template, family: str, config: LoadBalancerConfig, balancing: LoadBalancing, groups: SecurityGroups
) -> None:
    """IPv6 for a dualstack load balancer; the domain's alias records when the config names its zone."""
    if config.ip_address_type == DUALSTACK:
        use_dualstack(balancing, groups, listener_ports(config))
    if config.has_zone:
        add_alias_records(template, family, config, hosted_zone(template, config), balancing)


def hosted_zone(template: Template, config: LoadBalancerConfig) -> str | Ref:
    """The zone's ID: the one the config gives, or the parameter deploy.py fills from the zone's name (added once)."""
    if config.hosted_zone_id:
        return config.hosted_zone_id
    if HOSTED_ZONE_ID in template.parameters:
        return Ref(HOSTED_ZONE_ID)
    template.add_parameter(
        Parameter(
            HOSTED_ZONE_ID,
            Type="AWS::Route53::HostedZone::Id",
            Description=f"The public Route 53 hosted zone {config.hosted_zone} (deploy.py looks its ID up by name).",
        )
    )
    template.set_parameter_label(HOSTED_ZONE_ID, f"Hosted zone of {config.domain}")
    template.add_parameter_to_group(HOSTED_ZONE_ID, DOMAIN_GROUP)
    template.metadata.setdefault(LOOKUP_METADATA, {})[HOSTED_ZONE_ID] = {"HostedZoneName": config.hosted_zone}
    return Ref(HOSTED_ZONE_ID)


def add_certificate(template: Template, family: str, config: LoadBalancerConfig, zone: str | Ref) -> Ref:
    """A public certificate for the domain, DNS-validated in its zone (no email, renewed by ACM as long as the
    record stays)."""
    certificate = template.add_resource(
        certificatemanager.Certificate(
            f"{pascal(family)}Certificate",
            DomainName=config.domain,
            ValidationMethod="DNS",
            DomainValidationOptions=[
                certificatemanager.DomainValidationOption(DomainName=config.domain, HostedZoneId=zone)
            ],
            Tags=Tags(Name=config.domain),
        )
    )
    return Ref(certificate)


def add_alias_records(
    template: Template, family: str, config: LoadBalancerConfig, zone: str | Ref, balancing: LoadBalancing
) -> list[route53.RecordSetType]:
    """A (and, for a dualstack load balancer, AAAA) alias records: an IPv4-only load balancer's name has no IPv6
    address."""
    base = pascal(family)
    target = route53.AliasTarget(
        DNSName=GetAtt(balancing.load_balancer, "DNSName"),
        HostedZoneId=GetAtt(balancing.load_balancer, "CanonicalHostedZoneID"),
    )
    kinds = [("A", "")] + ([("AAAA", "Ipv6")] if config.ip_address_type == DUALSTACK else [])
    return [
        template.add_resource(
            route53.RecordSetType(
                f"{base}AliasRecord{suffix}",
                HostedZoneId=zone,
                Name=config.domain,
                Type=kind,
                AliasTarget=target,
                Comment=f"{config.domain} -> the {family} load balancer",
            )
        )
        for kind, suffix in kinds
    ]


def use_dualstack(balancing: LoadBalancing, groups: SecurityGroups, listener_ports: list[int]) -> None:
    """IPv4 and IPv6: the load balancer gets IPv6 addresses, and its group lets IPv6 clients reach the listener
    ports."""
    balancing.load_balancer.IpAddressType = DUALSTACK
    groups.load_balancer.SecurityGroupIngress += [
        ec2.SecurityGroupRule(
            IpProtocol="tcp",
            FromPort=port,
            ToPort=port,
            CidrIpv6=ANYWHERE_IPV6,
            Description=f"{'HTTPS' if port == HTTPS_PORT else 'HTTP'} from the internet (IPv6)",
        )
        for port in listener_ports
    ]

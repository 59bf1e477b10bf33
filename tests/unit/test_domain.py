"""The custom domain: a DNS-validated certificate in the domain's zone, HTTPS with the redirect, alias records, the
URL."""

from __future__ import annotations

import pytest

from container_infra.config import parse_config
from container_infra.errors import ConfigError
from tests.render import of_type, one, template_for, template_text, web_config

ZONE_ID = "Z0123456789ABCDEFGHIJ"
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
BY_ID = {"domain": "app.example.com", "hosted_zone_id": ZONE_ID}
BY_NAME = {"domain": "app.example.com", "hosted_zone": "example.com"}
LOAD_BALANCER = {"Fn::GetAtt": ["WebappLoadBalancer", "DNSName"]}
LOAD_BALANCER_ZONE = {"Fn::GetAtt": ["WebappLoadBalancer", "CanonicalHostedZoneID"]}


def _template(**load_balancer):
    return template_for(web_config(load_balancer=load_balancer))


def test_a_zone_id_gives_a_dns_validated_certificate_in_that_zone():
    _, certificate = one(_template(**BY_ID), "AWS::CertificateManager::Certificate")
    assert certificate["DomainName"] == "app.example.com"
    assert certificate["ValidationMethod"] == "DNS"
    assert certificate["DomainValidationOptions"] == [{"DomainName": "app.example.com", "HostedZoneId": ZONE_ID}]


def test_the_https_listener_uses_the_stacks_certificate_and_http_redirects():
    template = _template(**BY_ID)
    listeners = {lid: r["Properties"] for lid, r in of_type(template, "AWS::ElasticLoadBalancingV2::Listener").items()}
    https, http = listeners["WebappHttpsListener"], listeners["WebappHttpListener"]
    assert (https["Port"], https["Protocol"]) == (443, "HTTPS")
    assert https["Certificates"] == [{"CertificateArn": {"Ref": "WebappCertificate"}}]
    assert https["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": "WebappTargetGroup"}}]
    assert (http["Port"], http["DefaultActions"][0]["Type"]) == (80, "redirect")
    assert http["DefaultActions"][0]["RedirectConfig"] == {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    ingress = template["Resources"]["WebappLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert sorted(rule["FromPort"] for rule in ingress) == [80, 443]


def test_an_ipv4_load_balancer_gets_an_a_alias_record_only():
    template = _template(**BY_ID)
    ((record_id, record),) = of_type(template, "AWS::Route53::RecordSet").items()
    properties = record["Properties"]
    assert record_id == "WebappAliasRecord"
    assert (properties["Name"], properties["Type"], properties["HostedZoneId"]) == ("app.example.com", "A", ZONE_ID)
    assert properties["AliasTarget"] == {"DNSName": LOAD_BALANCER, "HostedZoneId": LOAD_BALANCER_ZONE}
    assert "IpAddressType" not in template["Resources"]["WebappLoadBalancer"]["Properties"]


def test_dualstack_adds_the_aaaa_record_and_ipv6_ingress():
    template = _template(**BY_ID, ip_address_type="dualstack")
    records = {r["Properties"]["Type"]: r["Properties"] for r in of_type(template, "AWS::Route53::RecordSet").values()}
    assert sorted(records) == ["A", "AAAA"]
    assert records["AAAA"]["AliasTarget"] == records["A"]["AliasTarget"]
    assert template["Resources"]["WebappLoadBalancer"]["Properties"]["IpAddressType"] == "dualstack"
    ingress = template["Resources"]["WebappLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert sorted((r["FromPort"], r.get("CidrIp", ""), r.get("CidrIpv6", "")) for r in ingress) == [
        (80, "", "::/0"),
        (80, "0.0.0.0/0", ""),
        (443, "", "::/0"),
        (443, "0.0.0.0/0", ""),
    ]


def test_the_service_url_is_the_https_domain():
    assert _template(**BY_ID)["Outputs"]["ServiceUrl"]["Value"] == "https://app.example.com"
    assert _template(**BY_NAME)["Outputs"]["ServiceUrl"]["Value"] == "https://app.example.com"


def test_a_zone_name_becomes_a_hosted_zone_parameter_that_deploy_looks_up():
    template = _template(**BY_NAME)
    assert template["Parameters"]["HostedZoneId"]["Type"] == "AWS::Route53::HostedZone::Id"
    assert "Default" not in template["Parameters"]["HostedZoneId"]
    assert template["Metadata"]["ContainerInfra::Lookups"] == {"HostedZoneId": {"HostedZoneName": "example.com"}}
    _, certificate = one(template, "AWS::CertificateManager::Certificate")
    assert certificate["DomainValidationOptions"][0]["HostedZoneId"] == {"Ref": "HostedZoneId"}
    (record,) = of_type(template, "AWS::Route53::RecordSet").values()
    assert record["Properties"]["HostedZoneId"] == {"Ref": "HostedZoneId"}


def test_a_given_certificate_with_a_zone_makes_records_but_no_certificate():
    template = _template(**BY_ID, certificate_arn=CERTIFICATE)
    assert of_type(template, "AWS::CertificateManager::Certificate") == {}
    https = template["Resources"]["WebappHttpsListener"]["Properties"]
    assert https["Certificates"] == [{"CertificateArn": CERTIFICATE}]
    assert len(of_type(template, "AWS::Route53::RecordSet")) == 1


def test_a_given_certificate_without_a_zone_is_as_before():
    template = _template(certificate_arn=CERTIFICATE, domain="app.example.com")
    assert (
        of_type(template, "AWS::CertificateManager::Certificate") == of_type(template, "AWS::Route53::RecordSet") == {}
    )
    assert "HostedZoneId" not in template["Parameters"] and "ContainerInfra::Lookups" not in template.get(
        "Metadata", {}
    )


def test_without_a_zone_nothing_changes():
    assert template_text(web_config(load_balancer={"domain": "app.example.com"})) == template_text(
        web_config(load_balancer={"domain": "app.example.com", "ip_address_type": "ipv4"})
    )
    assert "Route53" not in template_text(web_config()) and "CertificateManager" not in template_text(web_config())


LONG_DOMAIN = "a" * 53 + ".example.com"  # 65: a DNS name, but no certificate's Common Name (ACM: at most 64 octets)


def _config_error(load_balancer: dict) -> str:
    with pytest.raises(ConfigError) as error:
        parse_config(web_config(load_balancer=load_balancer), "app.toml")
    text = str(error.value)
    assert "\n" not in text and text.startswith("app.toml: ")
    return text


@pytest.mark.parametrize(
    ("load_balancer", "expected"),
    [
        ({"hosted_zone_id": ZONE_ID}, ["load_balancer.hosted_zone_id is set but load_balancer.domain is not"]),
        (
            {"hosted_zone": "example.com"},
            ["load_balancer.hosted_zone is set but load_balancer.domain is not", "app.example.com"],
        ),
        ({**BY_ID, "hosted_zone": "example.com"}, ['load_balancer.hosted_zone = "example.com"', "not both"]),
        ({**BY_ID, "hosted_zone_id": "z0123"}, ['load_balancer.hosted_zone_id = "z0123"', "Route 53 hosted zone ID"]),
        ({**BY_ID, "hosted_zone_id": "/hostedzone/Z0123"}, ["hosted_zone_id", "without /hostedzone/"]),
        ({**BY_ID, "hosted_zone_id": "Z01-23"}, ["hosted_zone_id", "uppercase letters and digits"]),
        ({**BY_NAME, "hosted_zone": "example.com."}, ['load_balancer.hosted_zone = "example.com."', "no trailing dot"]),
        (
            {**BY_NAME, "hosted_zone": "example.org"},
            ['load_balancer.hosted_zone = "example.org"', "does not hold", "app.example.com"],
        ),
        ({**BY_NAME, "hosted_zone": "ample.com"}, ["does not hold"]),
        ({**BY_NAME, "hosted_zone": ""}, ["load_balancer.hosted_zone", "empty"]),
        ({**BY_NAME, "port": 443}, ["load_balancer.port = 443", "redirects"]),
        ({**BY_NAME, "ip_address_type": "ipv6"}, ['load_balancer.ip_address_type = "ipv6"', '"ipv4" or "dualstack"']),
        ({**BY_NAME, "hosted_zone_id": 5}, ["hosted_zone_id = 5", "a string"]),
        (
            {**BY_NAME, "domain": LONG_DOMAIN},
            [f'load_balancer.domain = "{LONG_DOMAIN}"', "is 65 characters", "at most 64"],
        ),
    ],
)
def test_bad_zone_settings_are_one_clear_line(load_balancer, expected):
    text = _config_error(load_balancer)
    assert all(part in text for part in expected), text


def test_a_long_domain_works_with_a_given_certificate_and_at_64_with_the_stacks_own():
    """ACM's 64-octet cap binds only the certificate the stack requests; certificate_arn may cover the name as a SAN."""
    given = _template(
        domain=LONG_DOMAIN,
        hosted_zone="example.com",
        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/abc-123",
    )
    assert one(given, "AWS::Route53::RecordSet")[1]["Name"] == LONG_DOMAIN
    own = _template(domain=LONG_DOMAIN[1:], hosted_zone="example.com")
    assert one(own, "AWS::CertificateManager::Certificate")[1]["DomainName"] == LONG_DOMAIN[1:]


@pytest.mark.parametrize(
    ("domain", "zone"),
    [
        ("app.example.com", "example.com"),
        ("example.com", "example.com"),
        ("App.Example.COM", "example.com"),
        ("a.b.example.co.uk", "example.co.uk"),
    ],
)
def test_a_domain_inside_its_zone_passes(domain, zone):
    assert one(_template(domain=domain, hosted_zone=zone), "AWS::Route53::RecordSet")[1]["Name"] == domain

"""The custom domain against moto's server: the zone looked up by name, the records and certificate made, and the
forecast's refusals (no such zone, a private one, a domain outside it, a name already taken) before any change.

moto's CloudFormation skips AWS::CertificateManager::Certificate; tests/fakes/moto_certificate_shims.py creates it
through moto's ACM, ISSUED because the template validates it by DNS in the public zone that holds the domain (any
other certificate would stay PENDING_VALIDATION, its stack waiting), without the validation CNAME record.
"""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, deploy, generate, one_error_line, stack_or_none

EXAMPLE = ROOT / "examples" / "web-service-domain.toml"
STACK = "webapp-domain"


def _zone(aws, name: str, *, private: bool = False) -> str:
    extra = {}
    if private:
        vpc = aws("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]
        extra = {
            "VPC": {"VPCRegion": "eu-west-1", "VPCId": vpc},
            "HostedZoneConfig": {"PrivateZone": True, "Comment": "inside"},
        }
    zone = aws("route53").create_hosted_zone(Name=name, CallerReference=f"{name}-{private}", **extra)["HostedZone"]
    return zone["Id"].removeprefix("/hostedzone/")


def _records(aws, zone_id: str) -> dict[tuple[str, str], dict]:
    sets = aws("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(r["Name"].rstrip("."), r["Type"]): r for r in sets}


def _config(tmp_path, **replace: str):
    text = EXAMPLE.read_text()
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "domain.toml"
    path.write_text(text)
    return str(path)


def _nothing_made(aws) -> bool:
    stacks = aws("cloudformation").list_stacks()["StackSummaries"]
    return [s for s in stacks if s["StackStatus"] != "DELETE_COMPLETE"] == []


def test_the_domain_example_deploys_with_its_zone_looked_up_by_name(aws_env, aws, monkeypatch):
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "2")
    zone_id = _zone(aws, "example.com")
    result = deploy(aws_env, "--config", str(EXAMPLE), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"HostedZoneId = {zone_id}: the public hosted zone example.com" in result.stdout
    assert "ServiceUrl = https://app.example.com" in result.stdout
    stack = stack_or_none(aws("cloudformation"), STACK)
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["HostedZoneId"] == zone_id

    balancer = aws("elbv2").describe_load_balancers()["LoadBalancers"][0]
    record = _records(aws, zone_id)[("app.example.com", "A")]
    assert record["AliasTarget"]["DNSName"].rstrip(".") == balancer["DNSName"]
    assert record["AliasTarget"]["HostedZoneId"] == balancer["CanonicalHostedZoneId"]
    assert ("app.example.com", "AAAA") not in _records(aws, zone_id)  # an IPv4 load balancer has no IPv6 address

    resources = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in aws("cloudformation").list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    }
    certificate = aws("acm").describe_certificate(CertificateArn=resources["WebappDomainCertificate"])["Certificate"]
    assert (certificate["DomainName"], certificate["Status"]) == ("app.example.com", "ISSUED")
    listeners = aws("elbv2").describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    https = next(listener for listener in listeners if listener["Port"] == 443)
    assert https["Certificates"] == [{"CertificateArn": certificate["CertificateArn"]}]

    again = deploy(aws_env, "--config", str(EXAMPLE), "--diff")  # the stack's own records are no conflict
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Forecast" not in again.stdout

    assert deploy(aws_env, "--config", str(EXAMPLE), "--destroy", "--yes").returncode == 0
    assert ("app.example.com", "A") not in _records(aws, zone_id)


@pytest.mark.parametrize("private", [False, True], ids=["no-zone", "private-zone"])
def test_a_zone_name_without_a_public_zone_is_one_line_before_any_change(aws_env, aws, private):
    if private:
        _zone(aws, "example.com", private=True)
    line = one_error_line(deploy(aws_env, "--config", str(EXAMPLE), "--yes"))
    assert "parameter HostedZoneId: no public Route 53 hosted zone named example.com" in line
    assert ("only a private zone has that name" in line) == private
    assert _nothing_made(aws)


def test_a_hosted_zone_id_that_does_not_exist_is_forecast(aws_env, aws, tmp_path):
    config = _config(tmp_path, **{'hosted_zone = "example.com"': 'hosted_zone_id = "Z0000000000000NOSUCH"'})
    result = deploy(aws_env, "--config", config, "--yes")
    line = one_error_line(result)
    assert (
        "forecast found 1 problem(s)" in line
    )  # once per zone and name: the alias record's and the certificate's are one
    assert "WebappDomainAliasRecord: hosted zone Z0000000000000NOSUCH does not exist in this account" in result.stdout
    assert _nothing_made(aws)


def test_a_domain_outside_the_zone_it_is_given_is_forecast(aws_env, aws):
    other = _zone(aws, "example.org")
    result = deploy(aws_env, "--config", str(EXAMPLE), "--diff", f"--parameter=HostedZoneId={other}")
    one_error_line(result)
    assert f"WebappDomainAliasRecord: app.example.com is not inside hosted zone {other} (example.org)" in result.stdout
    assert "WebappDomainCertificate: " not in result.stdout  # the same zone and name: said once


@pytest.mark.parametrize(
    ("kind", "value", "said"), [("A", "192.0.2.10", "an A"), ("CNAME", "old-lb.eu-west-1.elb.amazonaws.com", "a CNAME")]
)
def test_a_record_the_zone_already_has_is_forecast(aws_env, aws, kind, value, said):
    """A CNAME of the name blocks the alias A record too (a CNAME coexists with no other type; moto would accept it)."""
    zone_id = _zone(aws, "example.com")
    aws("route53").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "app.example.com",
                        "Type": kind,
                        "TTL": 300,
                        "ResourceRecords": [{"Value": value}],
                    },
                }
            ]
        },
    )
    result = deploy(aws_env, "--config", str(EXAMPLE), "--yes")
    one_error_line(result)
    assert (
        f"WebappDomainAliasRecord: hosted zone {zone_id} already has {said} record for app.example.com" in result.stdout
    )
    assert _nothing_made(aws)


def test_the_example_template_names_the_zone_it_is_looked_up_by():
    template = generate("--config", str(EXAMPLE))
    assert template["Metadata"]["ContainerInfra::Lookups"] == {"HostedZoneId": {"HostedZoneName": "example.com"}}


def test_two_public_zones_of_one_name_ask_for_the_id(aws_env, aws):
    first = _zone(aws, "example.com")
    second = (
        aws("route53")
        .create_hosted_zone(Name="example.com", CallerReference="second")["HostedZone"]["Id"]
        .removeprefix("/hostedzone/")
    )
    line = one_error_line(deploy(aws_env, "--config", str(EXAMPLE), "--yes"))
    assert (
        "2 public hosted zones are named example.com" in line
        and first in line
        and second in line
        and "hosted_zone_id" in line
    )
    assert _nothing_made(aws)


def test_dualstack_in_subnets_without_ipv6_is_forecast(aws_env, aws, tmp_path):
    """ELB refuses a dualstack load balancer in a subnet with no IPv6 CIDR block; moto does not, so the forecast must
    say it."""
    _zone(aws, "example.com")
    config = _config(tmp_path, **{'# ip_address_type = "dualstack"': 'ip_address_type = "dualstack"'})
    result = deploy(aws_env, "--config", config, "--yes")
    one_error_line(result)
    assert "WebappDomainLoadBalancer: subnet(s) subnet-" in result.stdout
    assert "have no IPv6 CIDR block, which a dualstack load balancer needs in each subnet" in result.stdout
    assert _nothing_made(aws)

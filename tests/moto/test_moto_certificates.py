"""The certificate shim does what CloudFormation and ACM do: a certificate in a stack is ISSUED only when it is
DNS-validated in a public Route 53 zone that holds its domain; otherwise it stays PENDING_VALIDATION and the stack
waits for it (tests/fakes/moto_certificate_shims.py names the documentation)."""

from __future__ import annotations

import json

import pytest
from moto import settings

from tests.fakes.moto_certificate_shims import validated, zone_holds

DOMAIN = "app.example.com"


def _zone(aws, name: str, *, private: bool = False) -> str:
    extra = {"VPC": {"VPCRegion": "eu-west-1", "VPCId": "vpc-12345678"}, "HostedZoneConfig": {"PrivateZone": True}}
    route53 = aws("route53")
    zone = route53.create_hosted_zone(Name=name, CallerReference=name + str(private), **(extra if private else {}))
    return zone["HostedZone"]["Id"].removeprefix("/hostedzone/")


def _certificate(method: str | None, zone_id: str | None, **extra) -> dict:
    properties: dict = {"DomainName": DOMAIN, **extra}
    if method:
        properties["ValidationMethod"] = method
    if zone_id:
        properties["DomainValidationOptions"] = [{"DomainName": DOMAIN, "HostedZoneId": zone_id}]
    return {
        "Resources": {
            "Certificate": {"Type": "AWS::CertificateManager::Certificate", "Properties": properties},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }
    }


def _deploy(aws, template: dict) -> tuple[dict, dict, dict]:
    """Create the stack through a change set, as deploy.py does: (stack, change set, certificate)."""
    cloudformation = aws("cloudformation")
    change_set = cloudformation.create_change_set(
        StackName="certs", ChangeSetName="create", ChangeSetType="CREATE", TemplateBody=json.dumps(template)
    )
    cloudformation.execute_change_set(ChangeSetName=change_set["Id"])
    stack = cloudformation.describe_stacks(StackName="certs")["Stacks"][0]
    described = cloudformation.describe_change_set(ChangeSetName=change_set["Id"])
    resources = cloudformation.describe_stack_resources(StackName="certs")["StackResources"]
    arn = next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "Certificate")
    return stack, described, aws("acm").describe_certificate(CertificateArn=arn)["Certificate"]


def test_a_dns_validated_certificate_in_its_public_zone_is_issued_and_the_stack_completes(aws):
    stack, change_set, certificate = _deploy(aws, _certificate("DNS", _zone(aws, "example.com")))
    assert certificate["Status"] == "ISSUED"
    assert (stack["StackStatus"], change_set["ExecutionStatus"]) == ("CREATE_COMPLETE", "EXECUTE_COMPLETE")


@pytest.mark.parametrize(
    ("method", "zone", "extra"),
    [
        ("EMAIL", "example.com", {}),
        (None, "example.com", {}),  # no ValidationMethod: EMAIL
        ("DNS", None, {}),  # no zone given: no one writes the validation record
        ("DNS", "example.org", {}),  # a zone that does not hold the domain
        ("DNS", "private:example.com", {}),
        ("DNS", "example.com", {"SubjectAlternativeNames": ["www.example.org"]}),  # a name with no zone of its own
    ],
    ids=["email", "email-by-default", "zone-less", "other-zone", "private-zone", "name-outside-the-zone"],
)
def test_a_certificate_cloudformation_cannot_validate_stays_pending_and_the_stack_waits(
    aws, monkeypatch, method, zone, extra
):
    zone_id = _zone(aws, zone.removeprefix("private:"), private=zone.startswith("private:")) if zone else None
    stack, change_set, certificate = _deploy(aws, _certificate(method, zone_id, **extra))
    assert (stack["StackStatus"], change_set["ExecutionStatus"]) == ("CREATE_IN_PROGRESS", "EXECUTE_IN_PROGRESS")
    events = aws("cloudformation").describe_stack_events(StackName="certs")["StackEvents"]
    assert "CREATE_COMPLETE" not in {e["ResourceStatus"] for e in events if e["LogicalResourceId"] == "certs"}
    assert certificate["Status"] == "PENDING_VALIDATION"
    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", -1)  # moto would issue it by now; ACM does not
    arn = certificate["CertificateArn"]
    assert aws("acm").describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "PENDING_VALIDATION"


def test_create_stack_waits_for_a_pending_certificate_too(aws):
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName="certs", TemplateBody=json.dumps(_certificate("EMAIL", None)))
    assert cloudformation.describe_stacks(StackName="certs")["Stacks"][0]["StackStatus"] == "CREATE_IN_PROGRESS"


@pytest.mark.parametrize(
    ("zone", "domain", "held"),
    [
        ("example.com.", "app.example.com", True),
        ("example.com", "example.com", True),
        ("example.com.", "*.example.com", True),
        ("Example.COM.", "app.example.com.", True),
        ("example.com.", "app.notexample.com", False),
        ("app.example.com.", "example.com", False),
    ],
)
def test_a_zone_holds_its_name_and_its_subdomains(zone, domain, held):
    assert zone_holds(zone, domain) is held


def test_validated_takes_a_hosted_zone_id_with_or_without_its_prefix():
    properties = _certificate("DNS", "/hostedzone/Z1")["Resources"]["Certificate"]["Properties"]
    assert validated(properties, {"Z1": "example.com."})
    assert not validated(properties, {"Z2": "example.com."})

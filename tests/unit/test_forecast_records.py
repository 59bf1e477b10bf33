"""The forecast's "name already taken" check against Route 53 answers shaped like the real ListResourceRecordSets.

botocore's Stubber, because moto accepts an alias A record beside a CNAME of the same name, which Route 53 refuses
("RRSet of type A with DNS name app.example.com. is not permitted as it conflicts with other records with the same
DNS name", RFC 1034 section 3.6.2: a CNAME coexists with no other data).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from container_infra.steps.forecast import Forecast
from tests.fakes.stubs import client, stub_aws

ZONE = "Z0123456789ABCDEFGHIJ"
TEMPLATE = {
    "Resources": {
        "WebAliasRecord": {
            "Type": "AWS::Route53::RecordSet",
            "Properties": {
                "HostedZoneId": ZONE,
                "Name": "app.example.com",
                "Type": "A",
                "AliasTarget": {"DNSName": "lb.eu-west-1.elb.amazonaws.com", "HostedZoneId": "Z32O12XQLNTSW2"},
            },
        }
    }
}


def _record(name: str, kind: str, value: str) -> dict[str, Any]:
    return {"Name": name, "Type": kind, "TTL": 300, "ResourceRecords": [{"Value": value}]}


def _taken(record_sets: list[dict[str, Any]], existing: set[str] | None = None) -> list[str]:
    """Route 53 lists from the start name on, sorted by name then type: the next names follow the wanted one's sets."""
    route53 = client("route53")
    with Stubber(route53) as stub:
        stub.add_response(
            "list_resource_record_sets", {"ResourceRecordSets": record_sets, "IsTruncated": False, "MaxItems": "100"}
        )
        forecast = Forecast(stub_aws(route53=route53), TEMPLATE, {}, lambda: existing or set())
        return [f.text for f in forecast._taken_records()]


def test_a_cname_of_the_domain_is_forecast_as_taken():
    """The usual state before this stack: the domain CNAMEd to an old load balancer, as LoadBalancerDnsName suggests."""
    findings = _taken(
        [
            _record("app.example.com.", "CNAME", "old-lb.eu-west-1.elb.amazonaws.com"),
            _record("www.example.com.", "A", "192.0.2.1"),
        ]
    )
    assert len(findings) == 1
    assert f"WebAliasRecord: hosted zone {ZONE} already has a CNAME record for app.example.com" in findings[0]


def test_an_a_record_of_the_domain_is_forecast_as_taken():
    findings = _taken([_record("app.example.com.", "A", "192.0.2.10")])
    assert len(findings) == 1 and "already has an A record for app.example.com" in findings[0]


@pytest.mark.parametrize(
    "record_sets",
    [
        [],
        [_record("app.example.com.", "AAAA", "2001:db8::1"), _record("app.example.com.", "TXT", '"v=spf1 -all"')],
        [
            _record("apps.example.com.", "CNAME", "elsewhere.example.net"),
            _record("b.app.example.com.", "CNAME", "x.example.net"),
        ],
    ],
    ids=["empty", "other-types-of-the-name", "other-names"],
)
def test_other_types_and_other_names_are_free(record_sets):
    assert _taken(record_sets) == []


def test_the_stacks_own_record_is_no_conflict():
    route53 = client("route53")
    with Stubber(route53):  # no response queued: asking Route 53 would fail the test
        forecast = Forecast(stub_aws(route53=route53), TEMPLATE, {}, lambda: {"WebAliasRecord"})
        assert forecast._taken_records() == []

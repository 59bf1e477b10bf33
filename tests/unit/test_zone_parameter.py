"""The HostedZoneId parameter: filled from the zone name in the template's Metadata, the way VpcId comes from the
default VPC."""

from __future__ import annotations

import pytest

from container_infra.cfn.parameters import resolve, zone_lookups
from container_infra.errors import UserError
from tests.render import template_for, web_config


class Vpc:
    region = "eu-west-1"

    def vpc_id(self, parameter: str) -> str:
        return "vpc-1"

    def subnet_ids(self, parameter: str) -> list[str]:
        return ["subnet-a", "subnet-b"]


class Zones:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def zone_id(self, parameter: str, zone_name: str) -> str:
        self.asked.append((parameter, zone_name))
        return "Z111"


TEMPLATE = template_for(web_config(load_balancer={"domain": "app.example.com", "hosted_zone": "example.com"}))


def test_the_zone_is_looked_up_by_the_name_the_template_carries():
    zones = Zones()
    resolved = resolve(TEMPLATE, {}, None, Vpc(), zones)
    assert zones.asked == [("HostedZoneId", "example.com")]
    assert resolved.values["HostedZoneId"] == "Z111"
    assert {"ParameterKey": "HostedZoneId", "ParameterValue": "Z111"} in resolved.api
    assert "HostedZoneId = Z111: the public hosted zone example.com" in resolved.notes


def test_the_lookup_wins_over_the_previous_value_and_a_given_value_over_both():
    """A changed hosted_zone in the config must move the records: the deployed stack's old zone ID is not reused."""
    assert resolve(TEMPLATE, {}, {"HostedZoneId": "ZOLD"}, Vpc(), Zones()).values["HostedZoneId"] == "Z111"
    zones = Zones()
    assert resolve(TEMPLATE, {"HostedZoneId": "ZGIVEN"}, None, Vpc(), zones).values["HostedZoneId"] == "ZGIVEN"
    assert zones.asked == []


def test_without_a_lookup_the_parameter_needs_a_value():
    with pytest.raises(UserError, match="parameter HostedZoneId has no value"):
        resolve(TEMPLATE, {}, None, Vpc())


def test_only_a_named_zone_is_looked_up():
    assert zone_lookups(TEMPLATE) == {"HostedZoneId": "example.com"}
    by_id = template_for(web_config(load_balancer={"domain": "app.example.com", "hosted_zone_id": "Z0123"}))
    assert zone_lookups(by_id) == {} and "HostedZoneId" not in by_id["Parameters"]
    assert zone_lookups({"Metadata": {"ContainerInfra::Lookups": {"X": {"HostedZoneName": 5}, "Y": "z"}}}) == {}

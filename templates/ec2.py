"""The three EC2 types the web service needs, declared as troposphere declares them.

troposphere.ec2 defines every EC2 resource and property type (some 400 classes): importing it costs 10-16 ms,
about a tenth of generate.py's whole run for the web service (issue 14: generate.py within 1.3x of the
troposphere+awacs import floor). These classes are troposphere's own kind (AWSObject, AWSProperty) with the same
resource types, props and validation as troposphere.ec2's; tests/unit/test_ec2_types.py fails if they drift apart.
"""

from __future__ import annotations

from troposphere import AWSObject, AWSProperty, PropsDictType
from troposphere.validators.ec2 import validate_network_port, validate_security_group_ingress, validate_tags_or_list


class SecurityGroupRule(AWSProperty):
    """An ingress or egress rule inside AWS::EC2::SecurityGroup."""

    props: PropsDictType = {
        "CidrIp": (str, False),
        "CidrIpv6": (str, False),
        "Description": (str, False),
        "DestinationPrefixListId": (str, False),
        "DestinationSecurityGroupId": (str, False),
        "FromPort": (validate_network_port, False),
        "IpProtocol": (str, True),
        "SourcePrefixListId": (str, False),
        "SourceSecurityGroupId": (str, False),
        "SourceSecurityGroupName": (str, False),
        "SourceSecurityGroupOwnerId": (str, False),
        "ToPort": (validate_network_port, False),
    }


class SecurityGroup(AWSObject):
    resource_type = "AWS::EC2::SecurityGroup"

    props: PropsDictType = {
        "GroupDescription": (str, True),
        "GroupName": (str, False),
        "SecurityGroupEgress": (list, False),
        "SecurityGroupIngress": (list, False),
        "Tags": (validate_tags_or_list, False),
        "VpcId": (str, False),
    }


class SecurityGroupIngress(AWSObject):
    resource_type = "AWS::EC2::SecurityGroupIngress"

    props: PropsDictType = {
        "CidrIp": (str, False),
        "CidrIpv6": (str, False),
        "Description": (str, False),
        "FromPort": (validate_network_port, False),
        "GroupId": (str, False),
        "GroupName": (str, False),
        "IpProtocol": (str, True),
        "SourcePrefixListId": (str, False),
        "SourceSecurityGroupId": (str, False),
        "SourceSecurityGroupName": (str, False),
        "SourceSecurityGroupOwnerId": (str, False),
        "ToPort": (validate_network_port, False),
    }

    def validate(self) -> None:
        validate_security_group_ingress(self)

"""Who may write the load balancer's access logs, region by region, checked against the published tables."""

from __future__ import annotations

from typing import Any

import pytest

from tests.render import one, template_for, web_config

# Elastic Load Balancing User Guide for Application Load Balancers, "Enable access logs for your Application Load
# Balancer", step 2 (bucket policy): the Elastic Load Balancing account of each Region available before August 2022.
AWS_DOC_TABLE = {
    "us-east-1": "127311923021",  # US East (N. Virginia)
    "us-east-2": "033677994240",  # US East (Ohio)
    "us-west-1": "027434742980",  # US West (N. California)
    "us-west-2": "797873946194",  # US West (Oregon)
    "af-south-1": "098369216593",  # Africa (Cape Town)
    "ap-east-1": "754344448648",  # Asia Pacific (Hong Kong)
    "ap-southeast-3": "589379963580",  # Asia Pacific (Jakarta)
    "ap-south-1": "718504428378",  # Asia Pacific (Mumbai)
    "ap-northeast-3": "383597477331",  # Asia Pacific (Osaka)
    "ap-northeast-2": "600734575887",  # Asia Pacific (Seoul)
    "ap-southeast-1": "114774131450",  # Asia Pacific (Singapore)
    "ap-southeast-2": "783225319266",  # Asia Pacific (Sydney)
    "ap-northeast-1": "582318560864",  # Asia Pacific (Tokyo)
    "ca-central-1": "985666609251",  # Canada (Central)
    "eu-central-1": "054676820928",  # Europe (Frankfurt)
    "eu-west-1": "156460612806",  # Europe (Ireland)
    "eu-west-2": "652711504416",  # Europe (London)
    "eu-south-1": "635631232127",  # Europe (Milan)
    "eu-west-3": "009996457667",  # Europe (Paris)
    "eu-north-1": "897822967062",  # Europe (Stockholm)
    "me-south-1": "076674570225",  # Middle East (Bahrain)
    "sa-east-1": "507241528517",  # South America (Sao Paulo)
}
# Getting Started with Amazon Web Services in China, "Elastic Load Balancing": the legacy bucket policy's accounts.
CHINA_DOC_TABLE = {"cn-north-1": "638102146993", "cn-northwest-1": "037604701340"}
# aws/aws-cdk packages/aws-cdk-lib/region-info/build-tools/fact-tables.ts, ELBV2_ACCOUNTS (GovCloud and ISO partitions,
# which the commercial guide leaves out). CDK's table equals the union of all three.
CDK_ONLY = {
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "us-iso-east-1": "770363063475",
    "us-iso-west-1": "121062877647",
    "us-isob-east-1": "740734521339",
    "us-isof-south-1": "412137745753",
    "us-isof-east-1": "091100254016",
}
PUBLISHED = {**AWS_DOC_TABLE, **CHINA_DOC_TABLE, **CDK_ONLY}
# Regions opened in or after August 2022: no ELB account, only the log delivery service principal.
SERVICE_PRINCIPAL_REGIONS = [
    "ap-south-2",
    "ap-southeast-4",
    "ap-southeast-5",
    "ca-west-1",
    "eu-central-2",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "mx-central-1",
]


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return template_for(web_config(load_balancer={"access_logs": True}))


def holds_in(condition: Any, region: str) -> bool:
    """Fn::Or / Fn::Equals over Ref AWS::Region, as CloudFormation evaluates them."""
    ((function, arguments),) = condition.items()
    if function == "Fn::Or":
        return any(holds_in(term, region) for term in arguments)
    assert function == "Fn::Equals" and arguments[0] == {"Ref": "AWS::Region"}, condition
    return arguments[1] == region


def test_the_mapping_is_the_published_table(template):
    mapping = template["Mappings"]["ElbLogDeliveryAccounts"]
    assert {region: row["Account"] for region, row in mapping.items()} == PUBLISHED
    assert mapping["ap-southeast-3"] == {"Account": "589379963580"}  # Jakarta


@pytest.mark.parametrize("region", sorted(PUBLISHED))
def test_the_account_is_granted_where_an_account_exists(template, region):
    assert holds_in(template["Conditions"]["ElbLogDeliveryByAccount"], region)


@pytest.mark.parametrize("region", SERVICE_PRINCIPAL_REGIONS)
def test_newer_regions_rely_on_the_service_principal(template, region):
    assert not holds_in(template["Conditions"]["ElbLogDeliveryByAccount"], region)
    _, policy = one(template, "AWS::S3::BucketPolicy")
    statements = policy["PolicyDocument"]["Statement"]
    service = [
        s
        for s in statements
        if isinstance(s, dict) and s.get("Principal") == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    ]
    assert [s["Action"] for s in service] == ["s3:PutObject"]

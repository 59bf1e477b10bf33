"""Load balancer access logs: a private bucket the ELB service may write to, and nothing else.

Regions opened before August 2022 deliver logs as a regional Elastic Load Balancing account;
newer ones as the `logdelivery.elasticloadbalancing.amazonaws.com` service. The policy grants the
account only where it exists (a Condition), and the service everywhere.
"""

from __future__ import annotations

from troposphere import AWS_NO_VALUE, AWS_REGION, Equals, FindInMap, GetAtt, If, Or, Ref, Sub, Template, s3

from container_infra.naming import pascal

# Regions opened before August 2022: the Elastic Load Balancing account that writes the logs. The table of
# "Enable access logs for your Application Load Balancer" (aws partition), the China Regions' ELB page (aws-cn),
# and CDK's ELBV2_ACCOUNTS (region-info fact-tables.ts) for GovCloud and the ISO partitions.
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "us-iso-east-1": "770363063475",
    "us-iso-west-1": "121062877647",
    "us-isob-east-1": "740734521339",
    "us-isof-south-1": "412137745753",
    "us-isof-east-1": "091100254016",
}
MAPPING = "ElbLogDeliveryAccounts"
CONDITION = "ElbLogDeliveryByAccount"
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
KEEP_DAYS = 90
SKIP_SERVER_ACCESS_LOGS = (
    "This bucket holds access logs; logging access to it needs yet another bucket, whose own access would go unlogged. "
    "Reads of these logs are visible in CloudTrail."
)


def add_access_log_bucket(template: Template, family: str) -> tuple[s3.Bucket, s3.BucketPolicy]:
    template.add_mapping(MAPPING, {region: {"Account": account} for region, account in ELB_ACCOUNTS.items()})
    template.add_condition(CONDITION, _any_region(sorted(ELB_ACCOUNTS)))
    bucket = template.add_resource(
        s3.Bucket(
            f"{pascal(family)}AccessLogBucket",
            BucketEncryption=s3.BucketEncryption(
                ServerSideEncryptionConfiguration=[
                    s3.ServerSideEncryptionRule(
                        ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(SSEAlgorithm="AES256")
                    )
                ]
            ),  # ALB access logs support SSE-S3 only
            PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
                BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True
            ),
            OwnershipControls=s3.OwnershipControls(
                Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
            ),
            VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
            LifecycleConfiguration=s3.LifecycleConfiguration(
                Rules=[
                    s3.LifecycleRule(
                        Id="expire-access-logs",
                        Status="Enabled",
                        ExpirationInDays=KEEP_DAYS,
                        NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(NoncurrentDays=1),
                    )
                ]
            ),
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            Metadata={"checkov": {"skip": [{"id": "CKV_AWS_18", "comment": SKIP_SERVER_ACCESS_LOGS}]}},
        )
    )
    logs_path = Sub("${Bucket}/AWSLogs/${AWS::AccountId}/*", Bucket=GetAtt(bucket, "Arn"))
    policy = template.add_resource(
        s3.BucketPolicy(
            f"{pascal(family)}AccessLogBucketPolicy",
            Bucket=Ref(bucket),
            PolicyDocument={
                "Version": "2012-10-17",
                "Statement": [
                    If(
                        CONDITION,
                        {
                            "Sid": "ElbAccountWritesAccessLogs",
                            "Effect": "Allow",
                            "Action": "s3:PutObject",
                            "Resource": logs_path,
                            "Principal": {
                                "AWS": Sub(
                                    "arn:${AWS::Partition}:iam::${Account}:root",
                                    Account=FindInMap(MAPPING, Ref(AWS_REGION), "Account"),
                                )
                            },
                        },
                        Ref(AWS_NO_VALUE),
                    ),
                    {
                        "Sid": "ElbServiceWritesAccessLogs",
                        "Effect": "Allow",
                        "Action": "s3:PutObject",
                        "Resource": logs_path,
                        "Principal": {"Service": LOG_DELIVERY_SERVICE},
                    },
                    {
                        "Sid": "HttpsOnly",
                        "Effect": "Deny",
                        "Action": "s3:*",
                        "Principal": "*",
                        "Resource": [GetAtt(bucket, "Arn"), Sub("${Bucket}/*", Bucket=GetAtt(bucket, "Arn"))],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                ],
            },
        )
    )
    return bucket, policy


def _any_region(regions: list[str]) -> object:
    """Fn::Or takes 2-10 conditions: nest chunks of Equals."""
    terms: list[object] = [Equals(Ref(AWS_REGION), region) for region in regions]
    while len(terms) > 1:
        terms = [
            Or(*chunk) if len(chunk) > 1 else chunk[0]
            for chunk in (terms[i : i + 10] for i in range(0, len(terms), 10))
        ]
    return terms[0]

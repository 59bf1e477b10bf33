"""Templates over CloudFormation's 51,200-byte body limit go through S3 (TemplateURL)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from container_infra.aws.session import Aws, error_code
from container_infra.cfn.constants import MAX_BODY_BYTES, MAX_URL_TEMPLATE_BYTES
from container_infra.errors import UserError

EXPIRE_AFTER_DAYS = 30
Say = Callable[[str], None]


def template_argument(aws: Aws, body: str, *, stack_name: str, bucket: str | None, say: Say) -> dict[str, str]:
    """`{"TemplateBody": ...}` when it fits, else upload and `{"TemplateURL": ...}`."""
    size = len(body.encode("utf-8"))
    if size > MAX_URL_TEMPLATE_BYTES:
        raise UserError(f"the template is {size:,} bytes: CloudFormation takes at most {MAX_URL_TEMPLATE_BYTES:,} (1 MB), even through S3")
    if size <= MAX_BODY_BYTES and bucket is None:
        return {"TemplateBody": body}
    bucket = bucket or ensure_default_bucket(aws, say)
    key = f"container-infra/{stack_name}/{hashlib.sha256(body.encode('utf-8')).hexdigest()[:20]}.template"
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=body.encode("utf-8"), ContentType="application/json")
    say(f"Template ({size:,} bytes) uploaded to s3://{bucket}/{key}")
    return {"TemplateURL": f"https://{bucket}.s3.{aws.region}.amazonaws.com/{key}"}


def default_bucket_name(account: str, region: str) -> str:
    return f"container-infra-templates-{account}-{region}"


def ensure_default_bucket(aws: Aws, say: Say) -> str:
    """The tool's own bucket, one per account and region: private, encrypted, objects expire."""
    s3 = aws.client("s3")
    account = aws.client("sts").get_caller_identity()["Account"]
    name = default_bucket_name(account, aws.region)
    try:
        s3.head_bucket(Bucket=name)
        return name
    except botocore.exceptions.ClientError as error:
        if error_code(error) not in ("404", "NoSuchBucket", "NotFound"):
            raise
    say(f"Creating the template bucket {name} (private, encrypted, objects expire after {EXPIRE_AFTER_DAYS} days)")
    create: dict[str, Any] = {"Bucket": name}
    if aws.region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": aws.region}
    s3.create_bucket(**create)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [{"ID": "expire-templates", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": EXPIRE_AFTER_DAYS}}]
        },
    )
    return name

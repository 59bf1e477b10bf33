"""Templates over CloudFormation's 51,200-byte body limit go through S3 (TemplateURL).

The tool's own bucket has a predictable name (`container-infra-templates-<account>-<region>`), so
every call on it passes ExpectedBucketOwner: a bucket of that name in another account (the "bucket
monopoly" attack on predictable names) is refused, never written to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from container_infra.aws.session import Aws
from container_infra.cfn.constants import MAX_BODY_BYTES, MAX_URL_TEMPLATE_BYTES
from container_infra.errors import AwsError, UserError

EXPIRE_AFTER_DAYS = 30
Say = Callable[[str], None]
NOT_FOUND = ("404", "NoSuchBucket", "NotFound", "NoSuchKey")


def template_argument(
    aws: Aws, body: str, *, stack_name: str, bucket: str | None, say: Say, may_create_bucket: bool = True
) -> dict[str, str] | None:
    """`{"TemplateBody": ...}` when it fits, else upload and `{"TemplateURL": ...}`.

    None when the template needs the tool's bucket, the bucket does not exist, and it may not be
    created (--diff changes nothing).
    """
    size = len(body.encode("utf-8"))
    if size > MAX_URL_TEMPLATE_BYTES:
        raise UserError(
            f"the template is {size:,} bytes: CloudFormation takes at most {MAX_URL_TEMPLATE_BYTES:,} (1 MB), "
            "even through S3"
        )
    if size <= MAX_BODY_BYTES and bucket is None:
        return {"TemplateBody": body}
    owner: dict[str, str] = {}
    if bucket is None:
        account = aws.client("sts").get_caller_identity()["Account"]
        bucket, owner = default_bucket_name(account, aws.region), {"ExpectedBucketOwner": account}
        if not _own_bucket_exists(aws, bucket, account):
            if not may_create_bucket:
                return None
            _create_default_bucket(aws, bucket, account, say)
    key = f"container-infra/{stack_name}/{hashlib.sha256(body.encode('utf-8')).hexdigest()[:20]}.template"
    if _object_exists(aws, bucket, key, owner):
        say(f"Template ({size:,} bytes) already in s3://{bucket}/{key}")
    else:
        aws.client("s3").put_object(
            Bucket=bucket, Key=key, Body=body.encode("utf-8"), ContentType="application/json", **owner
        )
        say(f"Template ({size:,} bytes) uploaded to s3://{bucket}/{key}")
    return {"TemplateURL": f"https://{bucket}.s3.{aws.region}.amazonaws.com/{key}"}


def default_bucket_name(account: str, region: str) -> str:
    return f"container-infra-templates-{account}-{region}"


def _taken(name: str) -> UserError:
    return UserError(
        f"the template bucket {name} exists but is not this account's (or this account may not read it): "
        f"pass --s3-bucket with a bucket of your own"
    )


def _own_bucket_exists(aws: Aws, name: str, account: str) -> bool:
    try:
        aws.client("s3").head_bucket(Bucket=name, ExpectedBucketOwner=account)
        return True
    except AwsError as error:
        code = error.code
        if code in NOT_FOUND:
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            raise _taken(name) from None
        raise


def _object_exists(aws: Aws, bucket: str, key: str, owner: dict[str, str]) -> bool:
    """The same content (the key holds its hash) is not uploaded again."""
    try:
        aws.client("s3").head_object(Bucket=bucket, Key=key, **owner)
        return True
    except AwsError as error:
        if error.code in NOT_FOUND:
            return False
        raise


def _create_default_bucket(aws: Aws, name: str, account: str, say: Say) -> None:
    """The tool's own bucket, one per account and region: private, encrypted, objects expire."""
    s3 = aws.client("s3")
    owner = {"ExpectedBucketOwner": account}
    say(f"Creating the template bucket {name} (private, encrypted, objects expire after {EXPIRE_AFTER_DAYS} days)")
    create: dict[str, Any] = {"Bucket": name}
    if aws.region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": aws.region}
    try:
        s3.create_bucket(**create)
    except AwsError as error:
        if error.code == "BucketAlreadyExists":
            raise _taken(name) from None
        if error.code != "BucketAlreadyOwnedByYou":
            raise
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        **owner,
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
        **owner,
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-templates",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": EXPIRE_AFTER_DAYS},
                }
            ]
        },
        **owner,
    )


def bucket_exists(aws: Aws, name: str) -> bool:
    """Any account's bucket of that name (bucket names are global): 403 means it exists, but not for us."""
    try:
        aws.client("s3").head_bucket(Bucket=name)
        return True
    except AwsError as error:
        if error.code in NOT_FOUND:
            return False
        if error.code in ("403", "AccessDenied", "Forbidden"):
            return True
        raise

"""Who the credentials are (STS GetCallerIdentity), and a role assumed for one run (STS AssumeRole)."""

from __future__ import annotations

import boto3.session

from container_infra.aws.session import Aws

SESSION_NAME = "container-infra-deploy"  # seen in the target account's CloudTrail as the role session's name


def caller_account(aws: Aws) -> str:
    """The account the credentials act in: asked of AWS, since a profile's name says nothing certain."""
    return str(aws.client("sts").get_caller_identity()["Account"])


def assumed(aws: Aws, role_arn: str) -> Aws:
    """Clients of the same region acting as `role_arn` for this run (the credentials expire with the role's
    session; one hour is STS's default and longer than any deploy the tool follows)."""
    credentials = aws.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=aws.region,
    )
    return Aws(session, aws.region, {}, aws.say)

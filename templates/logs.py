"""CloudWatch Logs: one log group for the task's containers, encrypted and kept when the stack goes."""

from __future__ import annotations

from troposphere import AWS_REGION, GetAtt, Ref, Sub, Template, ecs, kms, logs

from container_infra.config.logs import LoggingConfig
from container_infra.naming import pascal

KEY_ACTIONS_FOR_LOGS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]


def add_log_group(template: Template, family: str, config: LoggingConfig) -> logs.LogGroup:
    """Retained on delete and on replacement: logs are evidence, and outlive the stack."""
    group = logs.LogGroup(
        f"{pascal(family)}LogGroup",
        RetentionInDays=config.retention_days,
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    if config.kms_key:
        group.KmsKeyId = GetAtt(add_log_key(template, family), "Arn")
    return template.add_resource(group)


def add_log_key(template: Template, family: str) -> kms.Key:
    """A customer-managed key for the logs, usable by CloudWatch Logs for this account's log groups only.

    Retained with the log group it encrypts: deleting it would make the retained logs unreadable.
    """
    return template.add_resource(
        kms.Key(
            f"{pascal(family)}LogKey",
            Description=f"Encrypts the CloudWatch Logs of {family}",
            EnableKeyRotation=True,
            KeyPolicy={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "TheAccountAdministersTheKey",
                        "Effect": "Allow",
                        "Action": "kms:*",
                        "Resource": "*",
                        "Principal": {"AWS": Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                    },
                    {
                        "Sid": "CloudWatchLogsEncryptsThisAccountsLogs",
                        "Effect": "Allow",
                        "Action": KEY_ACTIONS_FOR_LOGS,
                        "Resource": "*",
                        "Principal": {"Service": Sub("logs.${AWS::Region}.amazonaws.com")},
                        "Condition": {
                            "ArnLike": {
                                "kms:EncryptionContext:aws:logs:arn": Sub(
                                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"
                                )
                            }
                        },
                    },
                ],
            },
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
    )


def awslogs_configuration(log_group: logs.LogGroup, stream_prefix: str) -> ecs.LogConfiguration:
    return ecs.LogConfiguration(
        LogDriver="awslogs",
        Options={
            "awslogs-group": Ref(log_group),
            "awslogs-region": Ref(AWS_REGION),
            "awslogs-stream-prefix": stream_prefix,
        },
    )

"""The deploy role a target account needs for an environment's `role_arn` (`generate.py --deploy-role`), and
optionally the CloudFormation service role for its `cfn_role_arn`.

With the service role, the deploy role holds no permission on the stack's resources at all: it drives CloudFormation
(change sets on its own stacks), passes the service role to CloudFormation only, and reads what the diff, the
forecast, --status and --logs look at. The service role holds the permissions on the services the stack's resources
belong to, and trusts CloudFormation alone. Without it, CloudFormation acts with the deploy role's permissions, so the
deploy role gets the service role's policy as well.
"""

from __future__ import annotations

from awacs.aws import Action, Allow, Condition, Deny, PolicyDocument, Principal, Statement, StringEquals
from troposphere import GetAtt, Output, Sub, Template, iam

DEPLOY_ROLE_NAME = "container-infra-deploy"
CFN_ROLE_NAME = "container-infra-cloudformation"
TEMPLATE_BUCKETS = "container-infra-templates-${AWS::AccountId}-*"  # aws/s3.py's default bucket, one per region

# deploy.py's own calls on CloudFormation, scoped to the account's stacks and change sets.
CLOUDFORMATION_STACK_ACTIONS = [
    "CreateChangeSet",
    "DescribeChangeSet",
    "ExecuteChangeSet",
    "DeleteChangeSet",
    "ListChangeSets",
    "DescribeStacks",
    "DescribeStackEvents",
    "DescribeStackResource",
    "DescribeStackResources",
    "ListStackResources",
    "GetTemplate",
    "GetTemplateSummary",
    "DeleteStack",
    "ContinueUpdateRollback",
    "DetectStackDrift",
    "DescribeStackResourceDrifts",
    "DetectStackResourceDrift",
    "TagResource",
]
# Actions CloudFormation lists without a resource type: they take "*" only.
CLOUDFORMATION_ANY_ACTIONS = ["ValidateTemplate", "DescribeStackDriftDetectionStatus", "DescribeEvents", "ListStacks"]
# What the forecast, --status, --logs, --rollback and promotion read.
READS = {
    "ec2": ["DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups"],
    "ecs": [
        "DescribeServices",
        "DescribeTasks",
        "DescribeTaskDefinition",
        "ListTasks",
        "DescribeServiceDeployments",
        "ListServiceDeployments",
        "DescribeClusters",
    ],
    "elasticloadbalancing": ["DescribeTargetHealth", "DescribeTargetGroups", "DescribeLoadBalancers"],
    "logs": ["DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents", "GetLogEvents"],
    "route53": ["ListHostedZonesByName", "GetHostedZone", "ListResourceRecordSets"],
    "acm": ["DescribeCertificate"],
    "ecr": ["DescribeRepositories", "DescribeImages", "GetAuthorizationToken"],
}
# --build pushes to the stack's repository.
ECR_PUSH = [
    "BatchCheckLayerAvailability",
    "InitiateLayerUpload",
    "UploadLayerPart",
    "CompleteLayerUpload",
    "PutImage",
    "BatchGetImage",
]
# The services the stack's resources belong to (the resource types generate.py emits), for CloudFormation.
RESOURCE_SERVICES = [
    "application-autoscaling",
    "acm",
    "cloudwatch",
    "ecr",
    "ecs",
    "elasticloadbalancing",
    "kms",
    "logs",
    "route53",
    "s3",
]
# IAM: only the roles the stack makes (task, execution, infrastructure and autoscaling roles) and passing them to ECS.
IAM_ROLE_ACTIONS = [
    "CreateRole",
    "DeleteRole",
    "GetRole",
    "UpdateRole",
    "TagRole",
    "UntagRole",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "GetRolePolicy",
    "ListRolePolicies",  # CloudFormation's IAM role handler lists a role's policies before it deletes the role
    "ListAttachedRolePolicies",
    "UpdateAssumeRolePolicy",
    "CreateServiceLinkedRole",
]
# The stacks' only EC2 resources are security groups and their rules: not ec2:*, which would reach every instance.
EC2_SECURITY_GROUP_ACTIONS = [
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "ModifySecurityGroupRules",
    "UpdateSecurityGroupRuleDescriptionsIngress",
    "UpdateSecurityGroupRuleDescriptionsEgress",
    "CreateTags",
    "DeleteTags",
    "Describe*",
]
# IAM writes that would let a deploy widen its own permissions, or CloudFormation's.
IAM_WRITES = [a for a in IAM_ROLE_ACTIONS if not a.startswith(("Get", "List"))] + ["AttachRolePolicy", "PassRole"]


def deploy_role_template(trust_account: str, *, cfn_role: bool) -> Template:
    template = Template(
        Description=f"container-infra: the deploy role deploy.py assumes (role_arn), trusting account {trust_account}"
        + (", and CloudFormation's service role (cfn_role_arn)" if cfn_role else "")
    )
    statements = _deploy_statements()
    if cfn_role:
        service_role = template.add_resource(
            iam.Role(
                "CloudFormationServiceRole",
                RoleName=CFN_ROLE_NAME,
                AssumeRolePolicyDocument=_trust(Principal("Service", "cloudformation.amazonaws.com")),
                Policies=[iam.Policy(PolicyName="stack-resources", PolicyDocument=_document(_resource_statements()))],
            )
        )
        statements.append(
            Statement(
                Effect=Allow,
                Action=[Action("iam", "PassRole")],
                Resource=[GetAtt(service_role, "Arn")],
                Condition=Condition(StringEquals("iam:PassedToService", "cloudformation.amazonaws.com")),
            )
        )
        template.add_output(Output("CfnRoleArn", Description="cfn_role_arn", Value=GetAtt(service_role, "Arn")))
    else:
        statements += _resource_statements()
    role = template.add_resource(
        iam.Role(
            "DeployRole",
            RoleName=DEPLOY_ROLE_NAME,
            MaxSessionDuration=3600,
            AssumeRolePolicyDocument=_trust(
                Principal("AWS", Sub(f"arn:${{AWS::Partition}}:iam::{trust_account}:root"))
            ),
            Policies=[iam.Policy(PolicyName="deploy", PolicyDocument=_document(statements))],
        )
    )
    template.add_output(Output("RoleArn", Description="role_arn", Value=GetAtt(role, "Arn")))
    return template


def _trust(principal: Principal) -> PolicyDocument:
    return _document([Statement(Effect=Allow, Action=[Action("sts", "AssumeRole")], Principal=principal)])


def _document(statements: list[Statement]) -> PolicyDocument:
    return PolicyDocument(Version="2012-10-17", Statement=statements)


def _deploy_statements() -> list[Statement]:
    stacks = Sub("arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:stack/*/*")
    change_sets = Sub("arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:changeSet/*/*")
    buckets = Sub(f"arn:${{AWS::Partition}}:s3:::{TEMPLATE_BUCKETS}")
    objects = Sub(f"arn:${{AWS::Partition}}:s3:::{TEMPLATE_BUCKETS}/*")
    return [
        Statement(
            Effect=Allow,
            Action=[Action("cloudformation", a) for a in CLOUDFORMATION_STACK_ACTIONS],
            Resource=[stacks, change_sets],
        ),
        Statement(
            Effect=Allow, Action=[Action("cloudformation", a) for a in CLOUDFORMATION_ANY_ACTIONS], Resource=["*"]
        ),
        Statement(
            Effect=Allow,
            Action=[Action(service, a) for service, actions in READS.items() for a in actions],
            Resource=["*"],
        ),
        Statement(
            Effect=Allow,
            Action=[Action("ecr", a) for a in ECR_PUSH],
            Resource=[Sub("arn:${AWS::Partition}:ecr:*:${AWS::AccountId}:repository/*")],
        ),
        Statement(
            Effect=Allow,
            Action=[
                Action("s3", a)
                for a in (
                    "CreateBucket",
                    "PutBucketPublicAccessBlock",
                    "PutEncryptionConfiguration",
                    "PutLifecycleConfiguration",
                    "ListBucket",
                )
            ],
            Resource=[buckets],
        ),
        Statement(Effect=Allow, Action=[Action("s3", "GetObject"), Action("s3", "PutObject")], Resource=[objects]),
    ]


def _resource_statements() -> list[Statement]:
    roles = Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*")
    return [
        Statement(Effect=Allow, Action=[Action(service, "*") for service in RESOURCE_SERVICES], Resource=["*"]),
        Statement(Effect=Allow, Action=[Action("ec2", a) for a in EC2_SECURITY_GROUP_ACTIONS], Resource=["*"]),
        Statement(Effect=Allow, Action=[Action("iam", a) for a in IAM_ROLE_ACTIONS], Resource=[roles]),
        Statement(
            Effect=Allow,
            Action=[Action("iam", "PassRole")],
            Resource=[roles],
            Condition=Condition(
                StringEquals(
                    "iam:PassedToService",
                    ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com", "application-autoscaling.amazonaws.com"],
                )
            ),
        ),
        # An explicit Deny wins over every Allow: the roles themselves stay as their template made them.
        Statement(
            Sid="KeepTheDeployRolesAsTheyAre",
            Effect=Deny,
            Action=[Action("iam", a) for a in IAM_WRITES if a != "PassRole"],
            Resource=[Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/container-infra-*")],
        ),
    ]

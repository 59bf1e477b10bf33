"""The access tables of the diff, source by source: every place a template grants permissions or opens a port
shows as rows (what, to whom, which way), and an added Allow or ingress or a removed Deny, never anything else,
broadens access.

Each row of the table below is (old resources, new resources) and the rows the diff shows for them: the IAM
statements added and removed, the security-group rules added and removed, and whether the approval prompt warns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from container_infra.diff.compute import compute_diff
from container_infra.diff.model import Diff
from container_infra.diff.security import IamStatement, SecurityGroupRule
from container_infra.steps.approve import ACCESS_WARNING, Asking, approve

NO_VALUE = {"Ref": "AWS::NoValue"}
TASKS = "Service:ecs-tasks.amazonaws.com"
ROLE = "AWS:${AppRole}"
ROLE_ARN = "${AppRole.Arn}"
GROUP = "${Web.GroupId}"


def allow(action: Any, resource: Any = "*", **more: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def document(*statements: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def role(*policies: Any, trust: Any = None, managed: Any = None) -> dict[str, Any]:
    trusted = trust or [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": TASKS[8:]}}]
    props: dict[str, Any] = {"AssumeRolePolicyDocument": document(*trusted)}
    if policies:
        props["Policies"] = list(policies)
    if managed is not None:
        props["ManagedPolicyArns"] = managed
    return {"AppRole": {"Type": "AWS::IAM::Role", "Properties": props}}


def inline(*statements: Any, name: str = "app") -> dict[str, Any]:
    return {"PolicyName": name, "PolicyDocument": document(*statements)}


def resource(logical_id: str, kind: str, **props: Any) -> dict[str, Any]:
    return {logical_id: {"Type": kind, "Properties": props}}


def group(ingress: list[Any] | None = None, egress: list[Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {"GroupDescription": "web", "VpcId": "vpc-1"}
    if ingress is not None:
        props["SecurityGroupIngress"] = ingress
    if egress is not None:
        props["SecurityGroupEgress"] = egress
    return {"Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": props}}


def tcp(port: int, **peer: Any) -> dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **peer}


def statement(resource: str, effect: str, action: str, principal: str, condition: str = "") -> IamStatement:
    return IamStatement(resource, effect, action, principal, condition)


@dataclass(frozen=True)
class Case:
    old: dict[str, Any]
    new: dict[str, Any]
    iam_added: list[IamStatement] = field(default_factory=list)
    iam_removed: list[IamStatement] = field(default_factory=list)
    rules_added: list[SecurityGroupRule] = field(default_factory=list)
    rules_removed: list[SecurityGroupRule] = field(default_factory=list)
    broadens: bool = False


READ = allow("s3:GetObject", "arn:aws:s3:::b/*")
READ_ROW = statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE)
KEY_ADMIN = {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Principal": {"AWS": "arn:aws:iam::1:root"}}
PULL = {"Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Principal": {"AWS": ["arn:aws:iam::2:root"]}}
PUT = {"Effect": "Allow", "Action": "s3:PutObject", "Principal": {"Service": "logging.s3.amazonaws.com"}}
DENY_ALL = {"Effect": "Deny", "Action": "*", "Resource": "*"}
HTTP_IN = tcp(80, CidrIp="0.0.0.0/0", Description="web")
HTTP_IN_ROW = SecurityGroupRule(GROUP, "ingress", "tcp/80", "0.0.0.0/0", "web")
ALL_OUT = {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}
ALL_OUT_ROW = SecurityGroupRule(GROUP, "egress", "all traffic", "0.0.0.0/0", "")
BUCKET = {"Ref": "Logs"}

CASES: dict[str, Case] = {
    # A role: its trust policy, its inline policies (also under Fn::If), its managed policies.
    "role trust policy": Case({}, role(), [statement(ROLE_ARN, "Allow", "sts:AssumeRole", TASKS)], broadens=True),
    "inline Allow added": Case(role(), role(inline(READ)), [READ_ROW], broadens=True),
    "inline Allow removed": Case(role(inline(READ)), role(), iam_removed=[READ_ROW]),
    "inline Deny added": Case(role(), role(inline(DENY_ALL)), [statement("*", "Deny", "*", ROLE)]),
    "inline Deny removed": Case(
        role(inline(DENY_ALL)), role(), iam_removed=[statement("*", "Deny", "*", ROLE)], broadens=True
    ),
    "the HTTPS-only Deny of a bucket policy removed": Case(
        resource(
            "P",
            "AWS::S3::BucketPolicy",
            Bucket=BUCKET,
            PolicyDocument=document(
                PUT, {**DENY_ALL, "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ),
        ),
        resource("P", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document(PUT)),
        iam_removed=[statement("*", "Deny", "*", "*", '{"Bool":{"aws:SecureTransport":"false"}}')],
        broadens=True,
    ),
    "inline Allow swapped for a Deny": Case(
        role(inline(READ)), role(inline(DENY_ALL)), [statement("*", "Deny", "*", ROLE)], [READ_ROW]
    ),
    "inline Allow widened": Case(
        role(inline(READ)),
        role(inline(allow(["s3:GetObject", "s3:DeleteObject"], "arn:aws:s3:::b/*"))),
        [statement("arn:aws:s3:::b/*", "Allow", "s3:DeleteObject, s3:GetObject", ROLE)],
        [READ_ROW],
        broadens=True,
    ),
    "a single Statement, not a list": Case(
        role(), role({"PolicyName": "app", "PolicyDocument": {"Statement": READ}}), [READ_ROW], broadens=True
    ),
    "statements reordered or a policy renamed: no change": Case(
        role(inline(READ, DENY_ALL)), role(inline(DENY_ALL, READ, name="renamed"))
    ),
    "inline policy under Fn::If": Case(
        role(),
        role({"Fn::If": ["Prod", inline(READ), NO_VALUE]}),
        [statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, "if Prod")],
        broadens=True,
    ),
    "Policies as a whole under Fn::If": Case(
        role(),
        {"AppRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": {"Fn::If": ["Prod", [], [inline(READ)]]}}}},
        [statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, "unless Prod")],
        [statement(ROLE_ARN, "Allow", "sts:AssumeRole", TASKS)],
        broadens=True,
    ),
    "managed policy attached": Case(
        role(),
        role(managed=["arn:aws:iam::aws:policy/AdministratorAccess"]),
        [statement("arn:aws:iam::aws:policy/AdministratorAccess", "Allow", "(managed policy)", ROLE)],
        broadens=True,
    ),
    "managed policy detached": Case(
        role(managed=[{"Ref": "Extra"}]),
        role(),
        iam_removed=[statement("${Extra}", "Allow", "(managed policy)", ROLE)],
    ),
    "managed policy under Fn::If": Case(
        role(),
        role(managed=[{"Fn::If": ["Debug", "arn:aws:iam::aws:policy/ReadOnlyAccess", NO_VALUE]}]),
        [statement("arn:aws:iam::aws:policy/ReadOnlyAccess", "Allow", "(managed policy)", ROLE, "if Debug")],
        broadens=True,
    ),
    # Policies of their own, attached to roles.
    "AWS::IAM::Policy attached to roles": Case(
        {},
        resource(
            "Extra", "AWS::IAM::Policy", PolicyName="x", PolicyDocument=document(READ), Roles=[{"Ref": "AppRole"}]
        ),
        [READ_ROW],
        broadens=True,
    ),
    "AWS::IAM::ManagedPolicy attached to two roles": Case(
        {},
        resource("Extra", "AWS::IAM::ManagedPolicy", PolicyDocument=document(READ), Roles=["a", {"Ref": "AppRole"}]),
        [statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", "AWS:a, ${AppRole}")],
        broadens=True,
    ),
    "AWS::IAM::ManagedPolicy attached to no role": Case(
        resource("Extra", "AWS::IAM::ManagedPolicy", PolicyDocument=document(READ)),
        {},
        iam_removed=[statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", "AWS:Extra")],
    ),
    # Resource policies: the resource is the one the policy is on, unless a statement names another.
    "ECR repository policy": Case(
        resource("Repo", "AWS::ECR::Repository"),
        resource("Repo", "AWS::ECR::Repository", RepositoryPolicyText=document(PULL)),
        [statement("${Repo.Arn}", "Allow", "ecr:BatchGetImage", "AWS:arn:aws:iam::2:root")],
        broadens=True,
    ),
    "S3 bucket policy": Case(
        {},
        resource("LogsPolicy", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document(PUT)),
        [statement("${Logs}", "Allow", "s3:PutObject", "Service:logging.s3.amazonaws.com")],
        broadens=True,
    ),
    "S3 bucket policy naming its resource": Case(
        {},
        resource(
            "LogsPolicy", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document({**PUT, "Resource": "k"})
        ),
        [statement("k", "Allow", "s3:PutObject", "Service:logging.s3.amazonaws.com")],
        broadens=True,
    ),
    "KMS key policy: * is the key": Case(
        resource("Key", "AWS::KMS::Key"),
        resource("Key", "AWS::KMS::Key", KeyPolicy=document(KEY_ADMIN, {**KEY_ADMIN, "Resource": "other"})),
        [
            statement("${Key.Arn}", "Allow", "kms:*", "AWS:arn:aws:iam::1:root"),
            statement("other", "Allow", "kms:*", "AWS:arn:aws:iam::1:root"),
        ],
        broadens=True,
    ),
    "KMS key policy: no Resource is the key": Case(
        resource("Key", "AWS::KMS::Key"),
        resource(
            "Key", "AWS::KMS::Key", KeyPolicy=document({"Effect": "Allow", "Action": "kms:Decrypt", "Principal": "*"})
        ),
        [statement("${Key.Arn}", "Allow", "kms:Decrypt", "*")],
        broadens=True,
    ),
    "KMS key policy removed": Case(
        resource("Key", "AWS::KMS::Key", KeyPolicy=document(KEY_ADMIN)),
        resource("Key", "AWS::KMS::Key"),
        iam_removed=[statement("${Key.Arn}", "Allow", "kms:*", "AWS:arn:aws:iam::1:root")],
    ),
    # Inside a statement list: Fn::If branches, the negative forms, conditions, principals.
    "statement under Fn::If, both branches": Case(
        role(),
        role(inline({"Fn::If": ["Prod", READ, DENY_ALL]}, {"Fn::If": ["Debug", NO_VALUE, READ]})),
        [
            statement("*", "Deny", "*", ROLE, "unless Prod"),
            statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, "if Prod"),
            statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, "unless Debug"),
        ],
        broadens=True,
    ),
    "the S3 statement of the access-log bucket under Fn::If": Case(
        {},
        resource(
            "P", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document({"Fn::If": ["Elb", PUT, NO_VALUE]})
        ),
        [statement("${Logs}", "Allow", "s3:PutObject", "Service:logging.s3.amazonaws.com", "if Elb")],
        broadens=True,
    ),
    "NotAction": Case(
        role(),
        role(inline({"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"})),
        [statement("*", "Allow", "NOT iam:*, NOT sts:*", ROLE)],
        broadens=True,
    ),
    "NotResource": Case(
        role(),
        role(inline({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secrets/*"})),
        [statement("NOT arn:aws:s3:::secrets/*", "Allow", "s3:*", ROLE)],
        broadens=True,
    ),
    "NotPrincipal": Case(
        {},
        resource(
            "P",
            "AWS::S3::BucketPolicy",
            Bucket=BUCKET,
            PolicyDocument=document({**DENY_ALL, "NotPrincipal": {"AWS": "a"}}),
        ),
        [statement("*", "Deny", "*", "NOT AWS:a")],
    ),
    "Principal *": Case(
        {},
        resource("P", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document({**PUT, "Principal": "*"})),
        [statement("${Logs}", "Allow", "s3:PutObject", "*")],
        broadens=True,
    ),
    "Condition added to an Allow": Case(
        role(inline(READ)),
        role(inline({**READ, "Condition": {"Bool": {"aws:SecureTransport": "true"}}})),
        [statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, '{"Bool":{"aws:SecureTransport":"true"}}')],
        [READ_ROW],
        broadens=True,
    ),
    "Condition under Fn::If": Case(
        role(),
        role(inline({"Fn::If": ["Prod", {**READ, "Condition": {"Bool": {"x": "y"}}}, NO_VALUE]})),
        [statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, 'if Prod {"Bool":{"x":"y"}}')],
        broadens=True,
    ),
    "not a statement (no Effect) and not a policy: no row": Case(role(), role(inline({"Action": "s3:*"}), "junk")),
    "nested Fn::If: both conditions": Case(
        role(),
        role({"Fn::If": ["Prod", NO_VALUE, inline({"Fn::If": ["Debug", READ, DENY_ALL]})]}),
        [
            statement("*", "Deny", "*", ROLE, "unless Prod unless Debug"),
            statement("arn:aws:s3:::b/*", "Allow", "s3:GetObject", ROLE, "unless Prod if Debug"),
        ],
        broadens=True,
    ),
    "no Resource, no Principal: shown empty": Case(
        {},
        {
            **role(inline({"Effect": "Allow", "Action": "s3:ListAllMyBuckets"})),
            **resource("P", "AWS::S3::BucketPolicy", Bucket=BUCKET, PolicyDocument=document(DENY_ALL)),
        },
        [
            statement("", "Allow", "s3:ListAllMyBuckets", ROLE),
            statement(ROLE_ARN, "Allow", "sts:AssumeRole", TASKS),
            statement("*", "Deny", "*", ""),
        ],
        broadens=True,
    ),
    "two principals of a kind": Case(
        {},
        resource(
            "P",
            "AWS::S3::BucketPolicy",
            Bucket=BUCKET,
            PolicyDocument=document({**PUT, "Principal": {"AWS": ["b", "a"]}}),
        ),
        [statement("${Logs}", "Allow", "s3:PutObject", "AWS:b, AWS:a")],
        broadens=True,
    ),
    # Security groups: inline rules and rules of their own, each way.
    "ingress added": Case(group(), group(ingress=[HTTP_IN]), rules_added=[HTTP_IN_ROW], broadens=True),
    "ingress removed": Case(group(ingress=[HTTP_IN]), group(), rules_removed=[HTTP_IN_ROW]),
    "egress added": Case(group(), group(egress=[ALL_OUT]), rules_added=[ALL_OUT_ROW]),
    "egress removed": Case(group(egress=[ALL_OUT]), group(), rules_removed=[ALL_OUT_ROW]),
    "ingress rule under Fn::If": Case(
        group(),
        group(ingress=[{"Fn::If": ["Public", HTTP_IN, NO_VALUE]}]),
        rules_added=[SecurityGroupRule(GROUP, "ingress", "tcp/80", "0.0.0.0/0", "web (if Public)")],
        broadens=True,
    ),
    "egress rule under Fn::If": Case(
        group(),
        group(egress=[{"Fn::If": ["Public", NO_VALUE, ALL_OUT]}]),
        rules_added=[SecurityGroupRule(GROUP, "egress", "all traffic", "0.0.0.0/0", "(unless Public)")],
    ),
    "a port opened wider": Case(
        group(ingress=[HTTP_IN]),
        group(ingress=[{**HTTP_IN, "ToPort": 90}]),
        rules_added=[SecurityGroupRule(GROUP, "ingress", "tcp/80-90", "0.0.0.0/0", "web")],
        rules_removed=[HTTP_IN_ROW],
        broadens=True,
    ),
    "SecurityGroupIngress of its own": Case(
        {},
        resource("In", "AWS::EC2::SecurityGroupIngress", GroupId={"Fn::GetAtt": ["Web", "GroupId"]}, **HTTP_IN),
        rules_added=[HTTP_IN_ROW],
        broadens=True,
    ),
    "SecurityGroupIngress by group name, from a group": Case(
        resource(
            "In", "AWS::EC2::SecurityGroupIngress", GroupName="default", IpProtocol="udp", SourceSecurityGroupId="sg-1"
        ),
        {},
        rules_removed=[SecurityGroupRule("default", "ingress", "udp", "sg-1", "")],
    ),
    "SecurityGroupEgress of its own": Case(
        {},
        resource(
            "Out",
            "AWS::EC2::SecurityGroupEgress",
            GroupId={"Ref": "Web"},
            IpProtocol="tcp",
            FromPort=443,
            DestinationPrefixListId="pl-1",
        ),
        rules_added=[SecurityGroupRule("${Web}", "egress", "tcp/443", "pl-1", "")],
    ),
    "peers: IPv6, groups, prefix lists": Case(
        group(),
        group(
            ingress=[tcp(1, CidrIpv6="::/0"), tcp(2, SourcePrefixListId="pl-2"), tcp(3, SourceSecurityGroupName="lb")],
            egress=[tcp(4, DestinationSecurityGroupId="sg-4"), {"IpProtocol": "all", "CidrIp": "10.0.0.0/8"}],
        ),
        rules_added=[
            SecurityGroupRule(GROUP, "egress", "all traffic", "10.0.0.0/8", ""),
            SecurityGroupRule(GROUP, "egress", "tcp/4", "sg-4", ""),
            SecurityGroupRule(GROUP, "ingress", "tcp/1", "::/0", ""),
            SecurityGroupRule(GROUP, "ingress", "tcp/2", "pl-2", ""),
            SecurityGroupRule(GROUP, "ingress", "tcp/3", "lb", ""),
        ],
        broadens=True,
    ),
    "a rule that is not an object: no row": Case(group(), group(ingress=["junk"], egress=[7])),
    "a rule without protocol or peer shows them empty": Case(
        group(),
        group(ingress=[{"Description": "odd"}], egress=[tcp(5)]),
        rules_added=[
            SecurityGroupRule(GROUP, "egress", "tcp/5", "", ""),
            SecurityGroupRule(GROUP, "ingress", "", "", "odd"),
        ],
        broadens=True,
    ),
}


def _diff(case: Case) -> Diff:
    old, new = {"Resources": case.old}, {"Resources": case.new}
    return compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=None)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_source_of_access_shows_its_rows(case: Case):
    diff = _diff(case)
    assert (diff.iam_added, diff.iam_removed) == (case.iam_added, case.iam_removed)
    assert (diff.rules_added, diff.rules_removed) == (case.rules_added, case.rules_removed)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_only_an_added_allow_or_ingress_broadens_access(case: Case):
    diff = _diff(case)
    assert diff.broadens_access is case.broadens
    assert diff.as_dict()["broadensAccess"] is case.broadens


class Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, text: str = "", style: str | None = None) -> None:
        self.lines.append(text)


@dataclass
class Planned:
    diff: Diff
    stack_name: str = "app"
    region: str = "eu-west-1"


@pytest.mark.parametrize(
    "name", ["inline Allow added", "ingress added", "inline Deny removed", "inline Allow removed", "egress added"]
)
def test_the_prompt_warns_before_asking_exactly_when_access_broadens(name: str):
    out, asked = Lines(), []
    asking = Asking(yes=False, tty=True, prompt=lambda question: asked.append(list(out.lines)) or True)
    approve(Planned(_diff(CASES[name])), asking, out, allow_replacement=False)  # type: ignore[arg-type]
    assert asked == [[ACCESS_WARNING] if CASES[name].broadens else []]

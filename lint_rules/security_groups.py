"""E9001: security-group rule descriptions EC2 rejects at CREATE, which cfn-lint's schema lets through."""

from __future__ import annotations

import re
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# EC2 API reference, IpRange.Description (and IpPermission rules): "Up to 255 characters in length. Allowed characters
# are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*".
ALLOWED = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]")
MAX_LENGTH = 255
RULE_LISTS = ("SecurityGroupIngress", "SecurityGroupEgress")
RULE_RESOURCES = ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")


class SecurityGroupRuleDescription(CloudFormationLintRule):
    id = "E9001"
    shortdesc = "Security group rule Description EC2 accepts"
    description = (
        "A security-group rule's Description may hold only a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*, "
        "at most 255 characters; EC2 refuses anything else when the rule is created"
    )
    source_url = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html"
    tags = ["resources", "ec2", "security-groups"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches: list[RuleMatch] = []
        for name, resource in cfn.get_resources(["AWS::EC2::SecurityGroup", *RULE_RESOURCES]).items():
            properties = resource.get("Properties")
            if not isinstance(properties, dict):
                continue
            path = ["Resources", name, "Properties"]
            if resource["Type"] in RULE_RESOURCES:
                matches += self._check(properties, path)
                continue
            for key in RULE_LISTS:
                rules = properties.get(key)
                for index, rule in enumerate(rules if isinstance(rules, list) else []):
                    matches += self._check(rule, [*path, key, index])
        return matches

    def _check(self, rule: Any, path: list[Any]) -> list[RuleMatch]:
        text = rule.get("Description") if isinstance(rule, dict) else None
        if not isinstance(text, str):
            return []  # absent, or an intrinsic function resolved only at deploy time
        bad = sorted({character for character in text if not ALLOWED.fullmatch(character)})
        problems = []
        if bad:
            problems.append(f"characters EC2 does not allow: {' '.join(repr(c) for c in bad)}")
        if len(text) > MAX_LENGTH:
            problems.append(f"{len(text)} characters, over {MAX_LENGTH}")
        if not problems:
            return []
        return [
            RuleMatch([*path, "Description"], f"Security group rule Description {text[:60]!r}: {'; '.join(problems)}")
        ]

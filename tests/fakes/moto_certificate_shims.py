"""AWS::CertificateManager::Certificate in moto's CloudFormation, validated as CloudFormation and ACM validate it.

moto's CloudFormation skips the type (a listener's Ref to it would be the logical ID), so the shim requests the
certificate from moto's ACM, and follows the CloudFormation template reference, AWS::CertificateManager::Certificate:
CloudFormation gets the domain validated by itself only for DNS validation in a Route 53 zone of the account; with
email validation, or a domain outside Route 53, the stack stays CREATE_IN_PROGRESS until someone validates it. Its
DomainValidationOption, HostedZoneId, is what lets ACM write the validation CNAME into that zone:

- ISSUED only when ValidationMethod is DNS (left out, the certificate is email-validated) and every domain
  of the certificate (DomainName and SubjectAlternativeNames) has a DomainValidationOption whose HostedZoneId is a
  public hosted zone in (moto's) Route 53 holding that domain: only then does anyone write the validation record;
- otherwise it stays PENDING_VALIDATION, moto's ACM does not issue it after its ACM_VALIDATION_WAIT either, and the
  stack waits: CREATE_IN_PROGRESS (or UPDATE_IN_PROGRESS), its change set EXECUTE_IN_PROGRESS, as CloudFormation
  leaves it until someone validates the domain (which in these tests no one does);
- a stack delete deletes the certificate. The validation CNAME record itself is not written into the zone.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import models, parsing

from tests.fakes.moto_shims import _existing, _replace

ISSUED = "ISSUED"
PENDING = "PENDING_VALIDATION"
# The ARNs of the stacks' certificates that no one validates. A certificate requested through ACM's API keeps moto's
# timed validation, which tests use (ACM_VALIDATION_WAIT) for a certificate a person has already validated.
UNVALIDATED: set[str] = set()


def apply() -> None:
    _stack_certificates()
    _no_validation_by_waiting()
    _stacks_wait_for_their_certificates()


def zone_holds(zone_name: str, domain: str) -> bool:
    """Whether a zone named `zone_name` holds `domain` (itself or a subdomain; a wildcard's base name)."""
    zone = zone_name.rstrip(".").lower()
    name = domain.rstrip(".").lower().removeprefix("*.")
    return name == zone or name.endswith("." + zone)


def validated(properties: dict[str, Any], public_zones: dict[str, str]) -> bool:
    """Whether CloudFormation gets the certificate validated: DNS, and each domain in a public zone it is given.

    `public_zones` maps the ID of each public hosted zone (without /hostedzone/) to its name."""
    if properties.get("ValidationMethod", "EMAIL") != "DNS":
        return False
    zone_of = {
        option.get("DomainName"): str(option.get("HostedZoneId", "")).removeprefix("/hostedzone/")
        for option in properties.get("DomainValidationOptions") or []
    }
    domains = [properties["DomainName"], *(properties.get("SubjectAlternativeNames") or [])]
    return all(zone_of.get(d) in public_zones and zone_holds(public_zones[zone_of[d]], d) for d in domains)


def _public_zones(account_id: str) -> dict[str, str]:
    from moto.route53.models import route53_backends

    zones = route53_backends[account_id]["global"].zones
    return {zone_id: zone.name for zone_id, zone in zones.items() if not zone.private_zone}


def _stack_certificates() -> None:
    from moto.acm.models import acm_backends
    from moto.core.common_models import CloudFormationModel

    cached = [_existing(parsing, name) for name in ("get_model_list", "get_model_map", "get_name_type_map")]

    class StackCertificate(CloudFormationModel):
        def __init__(self, arn: str, account_id: str, region: str) -> None:
            self.arn, self.account_id, self.region = arn, account_id, region

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CertificateManager::Certificate"

        @classmethod
        def create_from_cloudformation_json(
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
        ) -> StackCertificate:
            properties = cloudformation_json["Properties"]
            backend = acm_backends[account_id][region_name]
            arn = backend.request_certificate(
                properties["DomainName"],
                None,
                properties.get("SubjectAlternativeNames") or [],
                properties.get("Tags") or [],
            )
            certificate = backend.get_certificate(arn)
            certificate.status = ISSUED if validated(properties, _public_zones(account_id)) else PENDING
            if certificate.status == PENDING:
                UNVALIDATED.add(arn)
            return cls(arn, account_id, region_name)

        def is_created(self) -> bool:
            """moto keeps a stack CREATE_IN_PROGRESS while a resource of it is not created: here, not yet ISSUED."""
            return acm_backends[self.account_id][self.region].get_certificate(self.arn).status == ISSUED

        def delete(self, account_id: str, region_name: str) -> None:
            acm_backends[account_id][region_name].delete_certificate(self.arn)

    assert StackCertificate in CloudFormationModel.__subclasses__()
    for lookup in cached:  # moto finds resource types through CloudFormationModel's subclasses, cached at first use
        lookup.cache_clear()


def _no_validation_by_waiting() -> None:
    """moto's ACM issues any pending public certificate once it is ACM_VALIDATION_WAIT seconds old; ACM issues one
    when its domain is validated (ACM User Guide, "DNS validation"), which no one does for a stack's pending one."""
    from moto.acm.models import CertBundle

    original = _existing(CertBundle, "check")

    def check(self: Any) -> None:
        if not (self.status == PENDING and self.arn in UNVALIDATED):
            original(self)

    _replace(CertBundle, "check", check)


def _stacks_wait_for_their_certificates() -> None:
    """moto's ExecuteChangeSet marks the stack *_COMPLETE whatever its resources; CloudFormation goes on waiting
    for a certificate that is not ISSUED (DescribeStacks: CREATE_IN_PROGRESS, DescribeChangeSet: ExecutionStatus
    EXECUTE_IN_PROGRESS)."""
    original = _existing(models.CloudFormationBackend, "execute_change_set")

    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        original(self, change_set_name, stack_name)
        stack = self.stacks[change_set.stack_id]
        if stack.resource_map.creation_complete():
            return
        stack.status = f"{change_set.change_set_type}_IN_PROGRESS"
        change_set.execution_status = "EXECUTE_IN_PROGRESS"
        if stack.events and stack.events[-1].resource_status == stack.status.replace("IN_PROGRESS", "COMPLETE"):
            stack.events.pop()  # the stack's own *_COMPLETE event, which it has not reached

    _replace(models.CloudFormationBackend, "execute_change_set", execute_change_set)

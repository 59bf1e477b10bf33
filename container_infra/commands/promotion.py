"""`--env prod --promote-from staging`: prod gets the release staging runs, by image digest, or a refusal.

Refused, before anything is made in prod, when staging is not healthy (the rule of --status), when staging's deployed
template is not what this checkout generates for staging (prod would get code nobody ran), or when one of staging's
images is a tag that cannot be resolved to a digest (a tag may have moved since staging pulled it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from container_infra.aws.deployed import load_deployed
from container_infra.aws.image_digests import tag_digest
from container_infra.aws.session import Aws
from container_infra.aws.stacks import deployed_template
from container_infra.config.images import parse_image
from container_infra.errors import UserError
from container_infra.naming import image_parameter_id
from container_infra.options import DeployOptions
from container_infra.steps.environment import session_for
from container_infra.steps.source import TemplateSource, load_source, source_of
from container_infra.ui.output import Output

ECR_REGISTRY = re.compile(r"(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?")


@dataclass(frozen=True)
class Promotion:
    """What prod is given: the image parameters set to staging's digests."""

    source: str  # the environment promoted from
    images: dict[str, str]  # image parameter -> registry/path@sha256:...


def promoted(
    options: DeployOptions, target: TemplateSource, out: Output, aws: Aws | None = None
) -> tuple[DeployOptions, TemplateSource]:
    """The options with staging's images as parameters, and the target's template whose execution role may pull
    them from staging's repositories; the lines say where they come from."""
    assert options.promote_from is not None
    promotion = read_promotion(options, target, out, aws)
    given = sorted(set(promotion.images) & set(options.parameters))
    if given:
        raise UserError(f"--parameter {given[0]}: --promote-from {promotion.source} sets the images; leave it out")
    out.line(f"Promoted from {promotion.source}:", "bold")
    for parameter, image in promotion.images.items():
        out.line(f"  {parameter} = {image}")
    repositories = repository_arns(promotion.images.values())
    if repositories and target.config is not None:
        out.line(f"  pulled from {', '.join(repositories)} (its repository policy must allow this account)")
        target = source_of(replace(target.config, promoted_repositories=repositories), f"--config {options.config}")
    return replace(options, parameters={**options.parameters, **promotion.images}), target


def repository_arns(images: Iterable[str]) -> tuple[str, ...]:
    """The ECR repositories the images come from, as the ARNs an IAM policy names (their own account and region)."""
    arns = []
    for image in images:
        reference = parse_image(image)
        ecr = ECR_REGISTRY.fullmatch(reference.registry or "") if reference else None
        if reference is not None and ecr is not None:
            partition = "aws-cn" if str(reference.registry).endswith(".cn") else "aws"
            arns.append(f"arn:{partition}:ecr:{ecr.group(2)}:{ecr.group(1)}:repository/{reference.path}")
    return tuple(sorted(set(arns)))


def read_promotion(options: DeployOptions, target: TemplateSource, out: Output, aws: Aws | None) -> Promotion:
    name = options.promote_from
    assert name is not None
    defined = target.config.environment_names if target.config else ()
    if name not in defined:
        raise UserError(
            f"--promote-from {name}: {options.config} has no such environment; it has {', '.join(defined) or 'none'}"
        )
    source = load_source(options.config, None, name)
    environment = source.config.environment if source.config else None
    assert environment is not None and source.config is not None
    # Staging is read in its own account and region: --region is prod's.
    staging = session_for(environment, replace(options, region=None), aws, out.line)
    deployed = load_deployed(staging, source.stack_name)
    if deployed is None:
        raise UserError(f"--promote-from {name}: stack {source.stack_name} is not deployed in {staging.region}")
    _refuse_unhealthy(staging, deployed, name)
    if deployed_template(staging.cloudformation, deployed.id) != source.template:
        raise UserError(
            f"--promote-from {name}: {name}'s deployed template (stack {source.stack_name}) differs from what this "
            f"checkout generates for {name}; prod would get what {name} never ran: deploy {name} from this checkout "
            "first, or promote from the checkout it was deployed from"
        )
    running = {p["ParameterKey"]: str(p.get("ParameterValue", "")) for p in deployed.stack.get("Parameters") or []}
    wanted = released_parameters(target, source, name)
    images = {parameter: _by_digest(staging, name, parameter, running.get(parameter, "")) for parameter in wanted}
    return Promotion(name, images)


def released_parameters(target: TemplateSource, source: TemplateSource, name: str) -> list[str]:
    """The image parameters a promotion sets: every container of the target, each one that `name` runs. A target
    with other containers would get part of a release (one image promoted, another still its tag) or none at all."""
    wanted = _image_parameters(target)
    running = _image_parameters(source)
    if not wanted:
        raise UserError(f"--promote-from {name}: the target environment has no containers; there is nothing to promote")
    if wanted != running:
        missing = ", ".join(sorted(wanted - running)) or "none"
        extra = ", ".join(sorted(running - wanted)) or "none"
        raise UserError(
            f"--promote-from {name}: the target's containers differ from {name}'s (only in the target: {missing}; "
            f"only in {name}: {extra}); a promotion moves a whole release, so give both the same containers"
        )
    return sorted(wanted)


def _image_parameters(source: TemplateSource) -> set[str]:
    return {image_parameter_id(c.name) for c in source.config.task.containers} if source.config else set()


def _refuse_unhealthy(aws: Aws, deployed: object, name: str) -> None:
    from container_infra.commands.status import StatusReader
    from container_infra.watch import health

    data = StatusReader(aws, deployed, datetime.now(UTC)).read()  # type: ignore[arg-type]
    problems = health.problems(data)
    if problems:
        raise UserError(
            f"--promote-from {name}: {name} is not healthy ({problems[0]}); promote a release that runs healthy "
            f"(deploy.py --env {name} --status says more)"
        )


def _by_digest(aws: Aws, name: str, parameter: str, image: str) -> str:
    reference = parse_image(image)
    if reference is not None and reference.digest:
        return image
    ecr = ECR_REGISTRY.fullmatch(reference.registry or "") if reference else None
    digest = None
    if reference is not None and ecr is not None and reference.tag:
        in_its_region = Aws(aws.session, ecr.group(2), {}, aws.say)  # the registry's region, not the stack's
        digest = tag_digest(in_its_region.client("ecr"), reference.path, reference.tag, ecr.group(1))
    if digest is None or reference is None:
        raise UserError(
            f"--promote-from {name}: {parameter} = {image} is a tag that cannot be resolved to a digest (only an "
            f"ECR image can be); deploy {name} with an image by digest (name@sha256:...) or with --build"
        )
    return f"{reference.registry}/{reference.path}@{digest}"

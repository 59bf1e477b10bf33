"""deploy.py --build DIR: build the app's image, push it to the stack's repository, deploy it.

It always builds (docker's cache makes an unchanged build fast): a commit does not name an image's content (a
Dockerfile may copy files git ignores). The tag is the built image's ID, never `latest` or the commit, and an image
whose tag is already in the repository is not pushed again.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from container_infra.aws import ecr
from container_infra.aws.docker import Docker
from container_infra.aws.image_digests import tag_digest
from container_infra.aws.session import Aws
from container_infra.aws.stacks import describe_stack, physical_id
from container_infra.cfn.parameters import previous_values
from container_infra.cfn.stacks import is_new
from container_infra.cfn.template import resources
from container_infra.commands.deploy import deploy
from container_infra.config import StackConfig
from container_infra.errors import DeployFailed, UserError
from container_infra.naming import DESIRED_COUNT, image_parameter_id
from container_infra.options import DeployOptions
from container_infra.steps.approve import Asking
from container_infra.steps.source import TemplateSource
from container_infra.ui.output import Output

REPOSITORY_TYPE = "AWS::ECR::Repository"
DOCKER_PLATFORMS = {"ARM64": "linux/arm64", "X86_64": "linux/amd64"}  # [task] cpu_architecture; unset: Docker's default


@dataclass(frozen=True)
class Repository:
    name: str  # CloudFormation names it
    uri: str


class Release:
    def __init__(
        self,
        options: DeployOptions,
        source: TemplateSource,
        stack_name: str,
        aws: Aws,
        out: Output,
        asking: Asking,
    ) -> None:
        assert options.build is not None and source.config is not None
        self.options, self.source, self.stack_name, self.aws, self.out = options, source, stack_name, aws, out
        self.asking = asking
        self.context = Path(options.build)
        self.config = _config_for_build(source.config, options.config)
        assert self.config.repository is not None
        self.repository_id = _repository_logical_id(source.template)
        self.parameter = image_parameter_id(_image_container(self.config))
        if self.parameter in options.parameters:
            raise UserError(
                f"--parameter {self.parameter}=...: --build sets {self.parameter} to the image it pushes; "
                "drop one of the two"
            )
        self.docker = Docker(out.stream)
        self.ecr = aws.client("ecr")

    def run(self) -> int:
        _check_context(self.context)
        self.docker.check()
        commit = source_tag(self.context)
        local = f"container-infra/{self.config.repository.name}:candidate"
        self.out.line(f"Building {self.context} as {local}" + (f" ({commit})" if commit else "") + " ...")
        self.docker.build(self.context, local, DOCKER_PLATFORMS.get(self.config.task.cpu_architecture, ""))
        tag = content_tag(self.docker.image_id(local))
        repository = self._repository() or self._create_repository_first()
        if self._has_tag(repository, tag):
            self.out.line(
                f"Image {repository.name}:{tag} (this content) is already in the repository: not pushing it again."
            )
        else:
            self._push(local, f"{repository.uri}:{tag}")
        return self._deploy({self.parameter: self._by_digest(repository, tag)})

    def _by_digest(self, repository: Repository, tag: str) -> str:
        """The release names the image by the digest ECR holds for the tag just pushed (or found): a tag can be moved,
        a digest cannot, so status, rollback and promotion name exactly the image that was built."""
        registry = repository.uri.split(".", 1)[0]  # <account>.dkr.ecr.<region>.amazonaws.com/<name>
        digest = tag_digest(self.ecr, repository.name, tag, registry)
        if digest is None:
            raise DeployFailed(
                f"ECR has no digest for {repository.uri}:{tag} just after the push; nothing was deployed "
                "(run --build again)"
            )
        image = f"{repository.uri}@{digest}"
        self.out.line(f"Release: {image} (tag {tag})", "bold")
        return image

    def _repository(self) -> Repository | None:
        """The stack's repository (found through the stack, never by a name that another stack could hold); None
        until the stack has made it."""
        name = physical_id(self.aws.cloudformation, self.stack_name, self.repository_id)
        uri = ecr.repository_uri(self.ecr, name) if name else None
        return Repository(name, uri) if uri else None

    def _has_tag(self, repository: Repository, tag: str) -> bool:
        return ecr.has_tag(self.ecr, repository.name, tag)

    def _create_repository_first(self) -> Repository:
        """The repository is part of the stack: deploy the stack first, a new service at 0 tasks (nothing to pull
        yet)."""
        stack = describe_stack(self.aws.cloudformation, self.stack_name)
        overrides: dict[str, str] = {}
        if is_new(stack) and DESIRED_COUNT in (self.source.template.get("Parameters") or {}):
            overrides[DESIRED_COUNT] = "0"
        previous = previous_values(stack) or {}
        if self.parameter in previous:
            overrides[self.parameter] = previous[self.parameter]  # a running service keeps its image meanwhile
        self.out.line(
            f"The stack has no repository {self.repository_id} yet: deploying the stack with it first"
            + (" (the service at 0 tasks)" if DESIRED_COUNT in overrides else "")
            + ".",
            "yellow",
        )
        self._deploy(overrides)
        repository = self._repository()
        if repository is None:
            raise UserError(
                f"the stack {self.stack_name} was deployed but has no repository {self.repository_id}: "
                "is [repository] in the config?"
            )
        return repository

    def _push(self, local: str, remote: str) -> None:
        registry = remote.split("/", 1)[0]
        self.docker.login(registry, ecr.login_password(self.ecr))
        self.docker.tag(local, remote)
        self.out.line(f"Pushing {remote} ...")
        self.docker.push(remote)

    def _deploy(self, overrides: dict[str, str]) -> int:
        options = dataclasses.replace(self.options, parameters={**self.options.parameters, **overrides})
        return deploy(options, self.source, self.stack_name, self.aws, self.out, self.asking)


def content_tag(image_id: str) -> str:
    """`sha-<12 hex of the image ID>`: the ID is the digest of the image's config, which names every layer's content,
    so the same tag is the same content (files git ignores included) and changed content is a new tag."""
    return "sha-" + image_id.split(":")[-1][:12]


def source_tag(context: Path) -> str | None:
    """`git-<commit>` when the build context is in a git work tree with nothing uncommitted; else None."""
    git = shutil.which("git")
    if git is None:
        return None

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([git, "-C", str(context), *args], capture_output=True, text=True)

    if run("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        return None
    if run("status", "--porcelain").stdout.strip():
        return None
    commit = run("rev-parse", "--short=12", "HEAD")
    return f"git-{commit.stdout.strip()}" if commit.returncode == 0 and commit.stdout.strip() else None


def _config_for_build(config: StackConfig, path: str | None) -> StackConfig:
    if config.repository is None:
        raise UserError(f'--build needs a [repository] in {path} to push to, e.g. [repository] name = "webapp"')
    return config


def _repository_logical_id(template: dict[str, Any]) -> str:
    return next(lid for lid, r in resources(template).items() if r.get("Type") == REPOSITORY_TYPE)


def _image_container(config: StackConfig) -> str:
    """The container that runs the built image: the service's, else the first (a service without a load balancer
    may have no container with a port, and so none of its own)."""
    return config.service.container if config.service and config.service.container else config.task.containers[0].name


def _check_context(context: Path) -> None:
    if not context.is_dir():
        raise UserError(f"--build {context}: not a directory")
    if not (context / "Dockerfile").is_file():
        raise UserError(f"--build {context}: no Dockerfile in it")

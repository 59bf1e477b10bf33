"""generate.py --from-copilot: its flags, checked before any manifest is read."""

from __future__ import annotations

import argparse

from container_infra.config.environments import ACCOUNT
from container_infra.errors import UserError
from container_infra.options import CopilotOptions

# The flags that say which template to print: a conversion prints a config, so takes none of them.
TEMPLATE_FLAGS = (("--config", "config"), ("--env", "env"), ("--deploy-role", "deploy_role"))


def from_copilot(args: argparse.Namespace) -> CopilotOptions | None:
    if args.from_copilot is None:
        for flag, value in (("--service", args.service), ("--account", args.account)):
            if value:
                raise UserError(f"{flag} goes with --from-copilot DIR (the folder that holds copilot/)")
        return None
    for flag, attribute in TEMPLATE_FLAGS:
        if getattr(args, attribute):
            raise UserError(f"--from-copilot writes a config, not a template: it takes no {flag}")
    if args.format != "json":
        raise UserError("--from-copilot writes a TOML config: it takes no --format")
    return CopilotOptions(args.from_copilot, args.service, _accounts(args.account))


def _accounts(pairs: list[str]) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for pair in pairs:
        environment, equals, account = pair.partition("=")
        if not equals or not environment:
            raise UserError(f"--account {pair!r}: must be ENV=ID, like prod=210987654321")
        if not ACCOUNT.fullmatch(account):
            raise UserError(f"--account {pair!r}: {account!r} is not a 12-digit AWS account ID")
        if environment in accounts:
            raise UserError(f"--account {environment}=...: given twice; give each environment once")
        accounts[environment] = account
    return accounts

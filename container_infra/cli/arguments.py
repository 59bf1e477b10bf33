"""Both command lines' arguments (argparse): their options, help and examples; a bad one is one line, exit 2."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from container_infra.errors import EXIT_USAGE, UserError
from container_infra.options import FORMATS

GENERATE_EXAMPLES = """examples:
  uv run generate.py > template.json             the chapter's stack, built-in defaults
  uv run generate.py --config app.toml           your own app
  uv run generate.py --format yaml -o stack.yaml YAML, written to a file
  uv run generate.py --config app.toml --env prod   an environment's template
  uv run generate.py --deploy-role --trust-account 111111111111 --cfn-role   the role for an environment's role_arn
  uv run generate.py --from-copilot . --service api --account prod=210987654321 -o api.toml   a Copilot service
"""

DEPLOY_EXAMPLES = """examples:
  uv run deploy.py --diff                         what would change; changes nothing
  uv run deploy.py                                diff, ask, deploy, follow to the end
  uv run deploy.py --config app.toml --yes        CI: no prompt
  uv run deploy.py --template template.json --parameter TaskCpu=1024 --parameter TaskMemory=2048
  uv run deploy.py --diff --json                  the diff as JSON, for CI and reviews
  uv run deploy.py --config examples/web-service.toml --build examples/app --yes   build, push and deploy your image
  uv run deploy.py --destroy
  uv run deploy.py --diff --exit-code             CI: exit 3 when there are changes, 0 when there are none
  uv run deploy.py --diff --keep --markdown > plan.md   review in a pull request; prints the change set's name
  uv run deploy.py --execute NAME --yes           after the merge: execute exactly that reviewed change set
  uv run deploy.py --diff --drift                 what was changed outside CloudFormation, per resource
  uv run deploy.py --status                       is it healthy? (exit 0 healthy, 1 not)
  uv run deploy.py --logs --since 1h --container web --filter ERROR
  uv run deploy.py --logs --tail                  follow the app's logs until Ctrl-C
  uv run deploy.py --rollback [--to 3]            put the previous release back (diff, approval)
  uv run deploy.py --follow                       follow the stack's operation in progress to the end
  uv run deploy.py --config app.toml --env staging --yes        deploy the staging environment (its account only)
  uv run deploy.py --config app.toml --env all --diff           every environment's changes, with a summary first

exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input/refused/declined
(including a replacement of something that carries traffic or data without --allow-replacement),
3 --diff --exit-code found changes, 130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP (each cleans up what was
not executed); --status: 0 healthy, 1 not healthy
"""


class Once(argparse.Action):
    """An option with one value, given at most once: `--config a.toml --config b.toml` would otherwise deploy
    b.toml without a word (argparse lets the last one win). A blank value is refused: it is an unset shell
    variable, never "not given"."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        refuse_blank(self, values)
        given: dict[str, object] = vars(namespace).setdefault("_given_once", {})
        if self.dest in given:
            raise argparse.ArgumentError(self, f"given twice ({given[self.dest]!r}, then {values!r}); give it once")
        given[self.dest] = values
        setattr(namespace, self.dest, values)


class Repeatable(argparse.Action):
    """An option that may be given again, each value added to a list (`--parameter A=1 --parameter B=2`)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        refuse_blank(self, values)
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest) or []), values])


def refuse_blank(action: argparse.Action, value: object) -> None:
    if isinstance(value, str) and not value.strip():
        option = "/".join(action.option_strings)
        raise UserError(f"{option} {value!r}: empty; give a value, or leave out {option} for its default")


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit 2), not usage plus error."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def generate_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="generate.py",
        description="Emit the CloudFormation template of an ECS Fargate web app.",
        epilog=GENERATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", action=Once, metavar="FILE", help="TOML config file (default: the chapter's stack)")
    parser.add_argument(
        "--format", action=Once, choices=FORMATS, default="json", help="template format (default: json)"
    )
    parser.add_argument("-o", "--output", action=Once, metavar="FILE", help="write here instead of stdout")
    parser.add_argument(
        "--env", action=Once, metavar="NAME", help="the config's [environments.NAME] (default: the base)"
    )
    roles = parser.add_argument_group("many accounts: the role deploy.py assumes (an environment's role_arn)")
    roles.add_argument("--deploy-role", action="store_true", help="print the deploy role's template, not the stack's")
    roles.add_argument(
        "--trust-account", action=Once, metavar="ACCOUNT", help="with --deploy-role: the account that may assume it"
    )
    roles.add_argument(
        "--cfn-role", action="store_true", help="with --deploy-role: add CloudFormation's service role (cfn_role_arn)"
    )
    copilot = parser.add_argument_group("from AWS Copilot: write this project's config from Copilot's manifests")
    copilot.add_argument(
        "--from-copilot", action=Once, metavar="DIR", help="the folder that holds copilot/ (or copilot/ itself)"
    )
    copilot.add_argument("--service", action=Once, metavar="NAME", help="with --from-copilot: the service to convert")
    copilot.add_argument(
        "--account",
        action=Repeatable,
        default=[],
        metavar="ENV=ID",
        help="with --from-copilot: an environment's 12-digit account (repeatable; Copilot keeps it outside manifests)",
    )
    return parser


def deploy_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="deploy.py",
        description="Deploy the ECS Fargate stack with a CloudFormation change set.",
        epilog=DEPLOY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_argument_group("template (default: the built-in stack)")
    source.add_argument("--config", action=Once, metavar="FILE", help="TOML config, built in-process like generate.py")
    source.add_argument(
        "--template", action=Once, metavar="FILE", help="a JSON or YAML template file (e.g. generate.py's output)"
    )
    target = parser.add_argument_group("where")
    target.add_argument(
        "--stack-name", action=Once, metavar="NAME", help="default: the config's stack_name (my-container-infra)"
    )
    target.add_argument("--region", action=Once, help="default: the standard AWS chain (AWS_REGION, profile)")
    target.add_argument("--profile", action=Once, help="AWS profile; default: the standard AWS chain")
    target.add_argument(
        "--env",
        action=Once,
        metavar="NAME",
        help="the config's [environments.NAME]: its account (checked first), region and stack; "
        "with --diff also a,b or all",
    )
    target.add_argument(
        "--promote-from",
        action=Once,
        metavar="NAME",
        help="with --env: deploy the release that environment runs (its image digests and parameter values)",
    )
    _add_what(parser)
    _add_day2(parser)
    _add_safety(parser)
    return parser


def _add_what(parser: ArgumentParser) -> None:
    what = parser.add_argument_group("what")
    what.add_argument("--diff", action="store_true", help="show what would change and change nothing")
    what.add_argument(
        "--destroy", action="store_true", help="delete the stack (lists what is deleted and what is retained)"
    )
    what.add_argument("-y", "--yes", action="store_true", help="do not ask (for CI)")
    what.add_argument(
        "--json", action="store_true", help="print the diff as JSON on stdout (everything else on stderr)"
    )
    what.add_argument(
        "--parameter", action=Repeatable, default=[], metavar="KEY=VALUE", help="a stack parameter (repeatable)"
    )
    what.add_argument("--tag", action=Repeatable, default=[], metavar="KEY=VALUE", help="a stack tag (repeatable)")
    what.add_argument(
        "--build",
        action=Once,
        metavar="DIR",
        help="build DIR/Dockerfile, push it to the config's [repository], deploy it",
    )
    what.add_argument(
        "--s3-bucket",
        action=Once,
        metavar="NAME",
        help="bucket for templates over 51,200 bytes (default: one the tool creates)",
    )
    what.add_argument(
        "--follow",
        action="store_true",
        help="follow what the stack is doing now (a deploy that lost its connection, CI, the console) to the end",
    )


def _add_day2(parser: ArgumentParser) -> None:
    after = parser.add_argument_group("after a deploy (day 2)")
    after.add_argument(
        "--status",
        action="store_true",
        help="the stack, service, tasks, targets and URL; exit 0 healthy, 1 not (--json for CI)",
    )
    after.add_argument(
        "--logs", action="store_true", help="the app's CloudWatch logs, all containers and tasks in time order"
    )
    after.add_argument(
        "--since",
        action=Once,
        metavar="DURATION",
        help="with --logs: how far back, e.g. 30s, 10m, 2h, 1d (default 10m)",
    )
    after.add_argument("--tail", action="store_true", help="with --logs: keep following new lines until Ctrl-C")
    after.add_argument("--container", action=Once, metavar="NAME", help="with --logs: only this container's lines")
    after.add_argument(
        "--filter",
        action=Once,
        metavar="PATTERN",
        help="with --logs: a CloudWatch Logs filter pattern, e.g. ERROR or '\"GET /health\"'",
    )
    after.add_argument(
        "--rollback",
        action="store_true",
        help="deploy the previous release again (images and task size), with diff and approval",
    )
    after.add_argument(
        "--to", action=Once, metavar="REVISION", help="with --rollback: the task definition revision to go back to"
    )


def _add_safety(parser: ArgumentParser) -> None:
    group = parser.add_argument_group("safe deploys from CI")
    group.add_argument(
        "--allow-replacement",
        action="store_true",
        help="go ahead although the change set replaces or deletes something that carries traffic or data",
    )
    group.add_argument(
        "--exit-code", action="store_true", help="with --diff: exit 3 when there are changes, 0 when there are none"
    )
    group.add_argument(
        "--keep", action="store_true", help="with --diff: keep the change set (its name is printed) for --execute"
    )
    group.add_argument(
        "--execute",
        action=Once,
        metavar="CHANGE_SET",
        help="execute exactly this reviewed change set (name or ARN), then follow it",
    )
    group.add_argument(
        "--discard",
        action=Once,
        metavar="CHANGE_SET",
        help="delete this kept change set (name or ARN), and the review-only stack it alone holds",
    )
    group.add_argument(
        "--markdown",
        action="store_true",
        help="with --diff: print the diff as Markdown on stdout (for a pull-request comment)",
    )
    group.add_argument(
        "--drift", action="store_true", help="detect drift on the deployed stack and show it per resource"
    )
    group.add_argument(
        "--revert-drift", action="store_true", help="create the change set with DeploymentMode=REVERT_DRIFT"
    )

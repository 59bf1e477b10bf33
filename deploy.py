"""Deploy the stack with a CloudFormation change set: a precise diff, a question, then follow it to the end.

Exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input, refused or declined,
130 interrupted.
"""

from __future__ import annotations

from argparse import Namespace, RawDescriptionHelpFormatter

from container_infra.cli import ArgumentParser, run_main

EXAMPLES = """examples:
  uv run deploy.py --diff                         what would change; changes nothing
  uv run deploy.py                                diff, ask, deploy, follow to the end
  uv run deploy.py --config app.toml --yes        CI: no prompt
  uv run deploy.py --template template.json --parameter TaskCpu=1024 --parameter TaskMemory=2048
  uv run deploy.py --diff --json                  the diff as JSON, for CI and reviews
  uv run deploy.py --config examples/web-service.toml --build examples/app --yes   build, push and deploy your image
  uv run deploy.py --destroy

exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input/refused/declined, 130 interrupted
"""


def parse_args(argv: list[str] | None = None) -> Namespace:
    parser = ArgumentParser(prog="deploy.py", description="Deploy the ECS Fargate stack with a CloudFormation change set.",
                            epilog=EXAMPLES, formatter_class=RawDescriptionHelpFormatter)
    source = parser.add_argument_group("template (default: the built-in stack)")
    source.add_argument("--config", metavar="FILE", help="TOML config, built in-process like generate.py")
    source.add_argument("--template", metavar="FILE", help="a JSON or YAML template file (e.g. generate.py's output)")
    target = parser.add_argument_group("where")
    target.add_argument("--stack-name", metavar="NAME", help="default: the config's stack_name (my-container-infra)")
    target.add_argument("--region", help="default: the standard AWS chain (AWS_REGION, profile)")
    target.add_argument("--profile", help="AWS profile; default: the standard AWS chain")
    what = parser.add_argument_group("what")
    what.add_argument("--diff", action="store_true", help="show what would change and change nothing")
    what.add_argument("--destroy", action="store_true", help="delete the stack (lists what is deleted and what is retained)")
    what.add_argument("-y", "--yes", action="store_true", help="do not ask (for CI)")
    what.add_argument("--json", action="store_true", help="print the diff as JSON on stdout (everything else on stderr)")
    what.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE", help="a stack parameter (repeatable)")
    what.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="a stack tag (repeatable)")
    what.add_argument("--build", metavar="DIR", help="build DIR/Dockerfile, push it to the config's [repository], deploy it")
    what.add_argument("--s3-bucket", metavar="NAME", help="bucket for templates over 51,200 bytes (default: one the tool creates)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    from container_infra.deploy.main import run

    return run(args)


if __name__ == "__main__":
    run_main(main)

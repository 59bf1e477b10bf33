"""Both command lines: each option given once, no blank values, every flag conflict one line, one action per run."""

from __future__ import annotations

from typing import get_args

import pytest

from container_infra import commands
from container_infra.cli import deploy_parser, parse_deploy, parse_generate
from container_infra.cli.conflicts import ACTION_FLAGS, RULES, Rule, refuse_conflicts
from container_infra.errors import UserError
from container_infra.options import Action, DeployOptions, GenerateOptions

# One command line per rule of the table at least, with the whole line the user reads.
CONFLICTS = [
    (
        ["--config", "a.toml", "--template", "t.json"],
        "--config and --template both given: use one (a config is built into a template)",
    ),
    (
        ["--destroy", "--tag", "a=b"],
        "--destroy takes no --json, --parameter, --tag or --s3-bucket: it deletes the stack as it is",
    ),
    (
        ["--follow", "--destroy"],
        "--follow only follows the stack's operation in progress: it takes no --diff, --destroy, --build, --json, "
        "--parameter, --tag or --s3-bucket",
    ),
    (["--status", "--logs"], "--status and --logs both given: use one at a time"),
    (
        ["--rollback", "--execute", "cs", "--status"],
        "--status and --rollback and --execute both given: use one at a time",
    ),
    (["--tail"], "--tail goes with --logs (e.g. deploy.py --logs --tail ...)"),
    (["--since", "1h", "--filter", "E"], "--since, --filter go with --logs (e.g. deploy.py --logs --since ...)"),
    (["--to", "3"], "--to 3 goes with --rollback (deploy.py --rollback --to 3)"),
    (["--logs", "--yes"], "--logs only reads: it takes no --diff, --yes, --parameter, --tag or --s3-bucket"),
    (["--logs", "--json"], "--logs takes no --json: it prints log lines (use --status --json for data)"),
    (
        ["--status", "--drift", "--template", "t.json"],
        "--status reads the deployed stack: it takes no --drift, --template (they are about a deploy's change set "
        "or template)",
    ),
    (
        ["--status", "--allow-replacement"],
        "--status reads the deployed stack: it takes no --allow-replacement (they are about a deploy's change set "
        "or template)",
    ),
    (
        ["--follow", "--revert-drift"],
        "--follow only follows the stack's operation in progress: it takes no --revert-drift (they are about a "
        "deploy's change set)",
    ),
    (
        ["--rollback", "--template", "t.json"],
        "--rollback acts on the template the stack runs now: it takes no --template",
    ),
    (
        ["--destroy", "--template", "t.json"],
        "--destroy acts on the template the stack runs now: it takes no --template",
    ),
    (
        ["--rollback", "--parameter", "A=1"],
        "--rollback takes no --parameter: it sets the images and task size of the release it restores",
    ),
    (
        ["--build", "app"],
        "--build goes with --config (the config names the repository and the container), "
        "not with --template or the default stack",
    ),
    (
        ["--config", "a.toml", "--build", "app", "--diff"],
        "--build pushes an image, so it does not go with --diff or --destroy",
    ),
    (["--keep"], "--keep goes with --diff (it is about the diff; a deploy exits 0 when done)"),
    (["--destroy", "--diff", "--exit-code"], "--exit-code does not go with --destroy"),
    (["--diff", "--markdown", "--json"], "--markdown and --json both given: use one (each takes stdout)"),
    (
        ["--destroy", "--drift"],
        "--destroy takes no --drift, --revert-drift, --allow-replacement or --execute: it deletes the stack as it is",
    ),
    (
        ["--execute", "cs-1", "--tag", "a=b", "--diff"],
        "--execute cs-1 runs a change set made earlier, as it was reviewed: it takes no --diff, --tag",
    ),
    (
        ["--template", "t.json", "--env", "prod"],
        "--env prod takes its stack from the config's environment: it takes no --template",
    ),
    (["--env", "prod"], "--env prod goes with --config FILE (the config defines the environments)"),
    (
        ["--config", "a.toml", "--promote-from", "staging"],
        "--promote-from staging goes with --env (deploy.py --env prod --promote-from staging)",
    ),
    (
        ["--config", "a.toml", "--env", "p", "--promote-from", "s", "--rollback"],
        "--promote-from s deploys a release: it takes no --rollback",
    ),
    (
        ["--discard", "cs-1", "--json"],
        "--discard cs-1 only deletes a kept change set: it takes no --json",
    ),
]


@pytest.mark.parametrize(("argv", "message"), CONFLICTS, ids=[" ".join(argv) for argv, _ in CONFLICTS])
def test_a_conflict_is_refused_with_its_line(argv, message):
    with pytest.raises(UserError) as refused:
        parse_deploy(argv)
    assert str(refused.value) == message


def _broken(rule: Rule, argv: list[str]) -> bool:
    args = deploy_parser().parse_args(argv)
    try:
        refuse_conflicts(args, rules=(rule,))
    except UserError:
        return True
    return False


@pytest.mark.parametrize("rule", RULES, ids=[rule.message[:40] for rule in RULES])
def test_every_rule_of_the_table_is_tried_above(rule):
    assert any(_broken(rule, argv) for argv, _ in CONFLICTS)


@pytest.mark.parametrize(
    ("flag", "value"), [(flag, ["x"] if flag in ("--build", "--execute", "--discard") else []) for flag in ACTION_FLAGS]
)
def test_each_action_flag_chooses_its_action(flag, value):
    argv = [flag, *value] + (["--config", "a.toml"] if flag == "--build" else [])
    options = parse_deploy(argv)
    assert options.action == ACTION_FLAGS[flag]


def test_no_action_flag_is_a_deploy():
    assert parse_deploy([]).action == "deploy" and parse_deploy(["--diff"]).action == "deploy"


def test_every_action_has_a_command():
    assert set(commands.COMMANDS) == set(get_args(Action)) == {*ACTION_FLAGS.values(), "deploy"}
    assert commands.NEEDS_TEMPLATE <= set(commands.COMMANDS)


@pytest.mark.parametrize(("argv", "source"), [(["--status"], False), (["--diff"], True)])
def test_run_gives_the_chosen_command_the_template_only_when_it_needs_one(monkeypatch, argv, source):
    seen: list[commands.Context] = []
    options = parse_deploy(argv)
    monkeypatch.setitem(commands.COMMANDS, options.action, lambda context: seen.append(context) or 7)
    assert commands.run(options, aws=object(), tty=False) == 7
    assert [(c.options, c.stack_name, c.source is not None) for c in seen] == [(options, "my-container-infra", source)]


def test_generate_reads_its_options():
    assert parse_generate([]) == GenerateOptions(None, "json", None)
    assert parse_generate(["--config=a.toml", "--format", "yaml", "-o", "t.yaml"]) == GenerateOptions(
        "a.toml", "yaml", "t.yaml"
    )


def test_an_option_given_twice_is_one_line_and_exit_2(capsys):
    """The last one silently winning would write (or, in deploy.py, deploy) something other than what half the
    command line says."""
    with pytest.raises(SystemExit) as refused:
        parse_generate(["--format", "json", "--format", "yaml"])
    assert refused.value.code == 2
    assert (
        capsys.readouterr().err
        == "error: argument --format: given twice ('json', then 'yaml'); give it once (see generate.py --help)\n"
    )


@pytest.mark.parametrize(
    "argv", [["--config", "a.toml", "--config", "b.toml"], ["--stack-name", "a", "--stack-name=b"]]
)
def test_deploy_refuses_a_repeated_single_value_option(argv, capsys):
    with pytest.raises(SystemExit) as refused:
        parse_deploy(argv)
    assert refused.value.code == 2
    assert "given twice" in capsys.readouterr().err


def test_repeatable_options_collect_every_value():
    options = parse_deploy(["--parameter", "A=1", "--parameter", "B=2", "--tag", "x=1", "--tag", "y=2"])
    assert options.parameters == {"A": "1", "B": "2"} and options.tags == {"x": "1", "y": "2"}
    assert parse_deploy([]) == DeployOptions()  # and a default list is not shared between runs


@pytest.mark.parametrize(
    ("parse", "argv", "message"),
    [
        (parse_generate, ["--config", " "], "--config ' ': empty; give a value, or leave out --config for its default"),
        (parse_generate, ["-o", ""], "-o/--output '': empty; give a value, or leave out -o/--output for its default"),
        (
            parse_deploy,
            ["--tag", "a=b", "--tag", ""],
            "--tag '': empty; give a value, or leave out --tag for its default",
        ),
        (parse_deploy, ["--since="], "--since '': empty; give a value, or leave out --since for its default"),
    ],
)
def test_a_blank_value_is_refused_naming_the_option(parse, argv, message):
    with pytest.raises(UserError) as refused:
        parse(argv)
    assert str(refused.value) == message


def test_a_blank_format_is_a_choice_argparse_refuses(capsys):
    with pytest.raises(SystemExit):
        parse_generate(["--format", ""])
    assert capsys.readouterr().err.startswith("error: argument --format: invalid choice: ''")


def test_only_the_entry_points_import_the_command_line():
    """The commands read `container_infra.options`; argparse stays with the two tools' command lines."""
    from tests.unit.test_import_cycles import project_graph

    def in_cli(module: str) -> bool:
        return module == "container_infra.cli" or module.startswith("container_infra.cli.")

    graph = project_graph()
    assert "container_infra.cli.process" in graph["container_infra.cli"]  # the check reads the package
    assert {module for module, imports in graph.items() if not in_cli(module) and any(map(in_cli, imports))} == set()


def test_every_flag_the_table_names_is_an_option_of_deploy_py():
    defaults = vars(deploy_parser().parse_args([]))
    named = {flag for rule in RULES for flag in (*rule.flags, *rule.excludes, rule.needs) if flag is not None}
    assert {flag for flag in named if flag.removeprefix("--").replace("-", "_") not in defaults} == set()


@pytest.mark.parametrize("flag", ["--parameter", "--tag"])
def test_a_key_given_twice_is_refused_not_last_wins(flag):
    with pytest.raises(UserError) as refused:
        parse_deploy([flag, "Key=1", flag, "Key=2"])
    assert str(refused.value) == f"{flag} Key given twice: give each key once"


@pytest.mark.parametrize("text", ["\u00b2", "\u0663", "\uff13", "3.0", "+3", " 3"])
def test_to_takes_ascii_digits_only(text):
    with pytest.raises(UserError) as refused:
        parse_deploy(["--rollback", "--to", text])
    assert str(refused.value) == f"--to {ascii(text)}: expected a task definition revision number, like 3"

"""The day-2 flags: what goes together and what does not, each refusal one line naming the option (exit 2)."""

from __future__ import annotations

import pytest

from container_infra.cli import parse_deploy
from container_infra.errors import UserError

REFUSED = [
    (["--status", "--logs"], "--status and --logs both given"),
    (["--rollback", "--destroy"], "--rollback and --destroy both given"),
    (["--tail"], "--tail goes with --logs"),
    (["--since", "1h"], "--since goes with --logs"),
    (["--status", "--container", "web"], "--container goes with --logs"),
    (["--filter", "ERROR", "--rollback"], "--filter goes with --logs"),
    (["--logs", "--since", "10x"], "--since '10x': expected a duration from 1s to 30d"),
    (["--logs", "--since", "31d"], "--since '31d'"),
    (["--to", "3"], "--to 3 goes with --rollback"),
    (["--rollback", "--to", "three"], "--to 'three': expected a task definition revision number"),
    (["--rollback", "--to", "0"], "--to '0'"),
    (["--status", "--diff"], "--status only reads"),
    (["--logs", "--yes"], "--logs only reads"),
    (["--logs", "--json"], "--logs takes no --json"),
    (["--rollback", "--parameter", "WebImage=x"], "--rollback takes no --parameter"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_refused(argv, message):
    with pytest.raises(UserError) as error:
        parse_deploy(argv)
    assert message in str(error.value)


def test_accepted_with_their_values():
    logs = parse_deploy(["--logs", "--since", "2h", "--tail", "--container", "web", "--filter", "ERROR"])
    assert (logs.action, logs.since_seconds, logs.tail, logs.container, logs.log_filter) == (
        "logs",
        7200,
        True,
        "web",
        "ERROR",
    )
    assert parse_deploy(["--logs"]).since_seconds == 600  # the default window: 10 minutes
    rollback = parse_deploy(["--rollback", "--to", "3", "--diff", "--json"])
    assert (rollback.action, rollback.to_revision, rollback.diff_only, rollback.json) == ("rollback", 3, True, True)
    assert parse_deploy(["--status", "--json"]).action == "status"

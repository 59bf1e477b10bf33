"""A refusal about many things is a short first line and a list under it, not one line of hundreds of characters."""

from __future__ import annotations

import pytest

from container_infra.cli import run_main
from container_infra.diff.guard import refusal
from container_infra.diff.model import GuardedChange
from container_infra.errors import UserError


def _guarded(count: int) -> list[GuardedChange]:
    return [
        GuardedChange(f"Listener{i}", "AWS::ElasticLoadBalancingV2::Listener", "replaced", "carries traffic")
        for i in range(count)
    ]


def test_the_guards_refusal_is_a_short_line_and_one_item_per_resource(capsys):
    line, items = refusal(_guarded(8), "web")

    def refuse() -> int:
        raise UserError(line, details=items)

    with pytest.raises(SystemExit) as exited:
        run_main(refuse)
    assert exited.value.code == 2
    first, *listed = capsys.readouterr().err.splitlines()
    assert first.startswith("error: not deploying to web: the change set replaces or removes 8 resource(s)")
    assert len(first) <= 200
    assert listed == [
        f"  - AWS::ElasticLoadBalancingV2::Listener Listener{i} is REPLACED (carries traffic)" for i in range(8)
    ]


def test_a_refusal_without_items_is_still_one_line(capsys):
    def refuse() -> int:
        raise UserError("--stack-name '': empty")

    with pytest.raises(SystemExit):
        run_main(refuse)
    assert capsys.readouterr().err == "error: --stack-name '': empty\n"

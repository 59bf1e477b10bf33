"""The cfn-lint cache's key: the same template, cfn-lint, rules and settings find the same entry; a change to any
of them finds none (the linter here is a fake: the unit tier runs no cfn-lint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_cache import LintCache

TEMPLATE = '{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}'


@pytest.fixture
def cache(tmp_path: Path) -> LintCache:
    rules = tmp_path / "lint_rules"
    rules.mkdir()
    (rules / "names.py").write_text("ID = 'E9001'\n")
    return LintCache(tmp_path / "cache", "1.58.0", rules, {"include_checks": ["I"], "regions": ["us-east-1"]})


class Linter:
    """Counts its runs; answers one finding per run."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, template_text: str) -> list[str]:
        self.runs += 1
        return [f"[W0000] finding {self.runs}"]


def test_the_same_inputs_give_the_same_key(cache):
    again = LintCache(cache.directory, cache.version, cache.rules, dict(cache.settings))
    assert cache.key(TEMPLATE) == again.key(TEMPLATE)


def test_a_changed_template_is_a_new_key(cache):
    assert cache.key(TEMPLATE) != cache.key(TEMPLATE.replace("Topic", "Queue"))
    assert cache.key(TEMPLATE) != cache.key(TEMPLATE + " ")  # the text, not what it parses to


def test_a_changed_rule_file_is_a_new_key(cache):
    before = cache.key(TEMPLATE)
    (cache.rules / "names.py").write_text("ID = 'E9002'\n")
    assert cache.key(TEMPLATE) != before


def test_a_new_or_removed_rule_file_is_a_new_key(cache):
    before = cache.key(TEMPLATE)
    (cache.rules / "more.py").write_text("")
    added = cache.key(TEMPLATE)
    (cache.rules / "more.py").unlink()
    assert len({before, added}) == 2 and cache.key(TEMPLATE) == before


def test_another_cfn_lint_or_other_settings_is_a_new_key(cache):
    newer = LintCache(cache.directory, "1.59.0", cache.rules, cache.settings)
    other_regions = LintCache(cache.directory, cache.version, cache.rules, {**cache.settings, "regions": ["eu-west-1"]})
    assert len({cache.key(TEMPLATE), newer.key(TEMPLATE), other_regions.key(TEMPLATE)}) == 3


def test_findings_are_linted_once_and_then_read(cache):
    linter = Linter()
    first = cache.findings(TEMPLATE, linter)
    assert cache.findings(TEMPLATE, linter) == first == ("[W0000] finding 1",)
    assert linter.runs == 1
    (cache.rules / "names.py").write_text("changed\n")
    assert cache.findings(TEMPLATE, linter) == ("[W0000] finding 2",)  # a rule changed: linted again
    assert linter.runs == 2


def test_an_entry_cut_short_is_linted_again(cache):
    linter = Linter()
    cache.findings(TEMPLATE, linter)
    (cache.directory / f"{cache.key(TEMPLATE)}.json").write_text('["half')
    assert cache.findings(TEMPLATE, linter) == ("[W0000] finding 2",)


def test_the_project_lints_through_the_cache_with_its_rules_by_content():
    from tests import helpers

    cache = helpers._lint_cache()
    assert cache.rules == helpers.LINT_RULES and "append_rules" not in cache.settings
    assert cache.settings == {k: v for k, v in helpers.LINT_SETTINGS.items() if k != "append_rules"}

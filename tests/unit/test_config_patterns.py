"""The config's regular expressions are compiled when a check first needs them, not at import (config/patterns.py)."""

from __future__ import annotations

import importlib
import re

import pytest

from container_infra.config.patterns import LazyPattern

CONFIG_MODULES = (
    "loader",
    "images",
    "containers",
    "sections",
    "secrets",
    "readiness",
    "capacity",
    "alarms",
    "tables",
    "model",
)


@pytest.mark.parametrize("name", CONFIG_MODULES)
def test_no_config_module_compiles_a_pattern_at_import(name):
    module = importlib.import_module(f"container_infra.config.{name}")
    compiled = [key for key, value in vars(module).items() if isinstance(value, re.Pattern)]
    assert compiled == [], "use LazyPattern: an unused pattern costs start-up time"


@pytest.mark.parametrize("text", ["webapp", "web-app", "1web", "", "web app", "a" * 128, "a" * 129])
def test_a_lazy_pattern_matches_what_the_compiled_one_matches(text):
    source = r"[A-Za-z][-A-Za-z0-9]{0,127}"
    lazy = LazyPattern(source)
    assert bool(lazy.fullmatch(text)) == bool(re.fullmatch(source, text))


def test_it_compiles_once_on_first_use():
    lazy = LazyPattern(r"\d+")
    assert lazy._compiled is None
    assert lazy.fullmatch("42").group() == "42"
    first = lazy._compiled
    assert lazy.fullmatch("x") is None and lazy._compiled is first

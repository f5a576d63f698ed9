"""The package's docstring examples run and hold (examples that never run rot silently)."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import ssrl_rewards


def _modules_with_examples() -> list[str]:
    names = ["ssrl_rewards"]
    for info in pkgutil.walk_packages(ssrl_rewards.__path__, "ssrl_rewards."):
        if ".integrations" in info.name:
            continue  # trainer glue, tested with its trainers
        spec = importlib.util.find_spec(info.name)
        if spec is not None and spec.origin and ">>>" in Path(spec.origin).read_text("utf-8"):
            names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_the_package_docstring_has_an_example() -> None:
    assert "ssrl_rewards" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 or name != "ssrl_rewards"
    assert result.failed == 0

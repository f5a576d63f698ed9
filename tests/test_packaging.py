"""Packaging a lab can pin: declared minimums match what CI tests, and the license ships."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent


def _minimums() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def _lowest_pins() -> dict[str, str]:
    pins = {}
    text = (ROOT / ".ci" / "lowest-constraints.txt").read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#")[0].strip()
        if line:
            name, _, pin = line.partition("==")
            pins[name.lower()] = pin
    return pins


def test_every_core_dependency_is_pinned_to_its_declared_minimum_in_the_lowest_ci_run() -> None:
    minimums = _minimums()
    pins = _lowest_pins()
    core = ["pydantic", "regex", "numpy", "scipy"]
    assert set(core) <= set(pins), f"lowest-constraints.txt lacks {set(core) - set(pins)}"
    for name, pin in pins.items():
        assert name in minimums, f"{name} is pinned for the lowest run but has no declared minimum"
        assert _release(pin)[: len(_release(minimums[name]))] == _release(minimums[name]), (
            f"{name}: pyproject declares >={minimums[name]} but the lowest CI run installs {pin}"
        )


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_license_file_is_declared_and_shipped_in_sdist_and_wheel() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    sdist = tomllib.loads(text)["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert "LICENSE" in sdist

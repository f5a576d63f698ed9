"""Hypothesis profiles and the CI skip policy for the whole suite.

Under ``CI=true`` a test (or a test module) that skips because an optional package is
missing (pyarrow, Ray, torch, a trainer: ``pytest.importorskip``) fails instead: CI installs
every extra, so such a skip means a test silently stopped testing anything. Other skips
(a platform, an opt-in environment variable) stay skips outside ``tests/integrations``,
whose own conftest fails every skip.

``ci`` (the default) keeps property tests fast on a small shared machine: 100 examples (the
hypothesis default) and no per-example deadline (timing noise from other jobs must not fail a
test).
``thorough`` is for a local soak: ``HYPOTHESIS_PROFILE=thorough pytest``. Tests that pin
their own ``@settings(max_examples=...)`` keep their count under either profile.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

IN_CI = os.environ.get("CI", "").lower() == "true"
_MISSING_PACKAGE = ("could not import", "No module named", "ModuleNotFoundError")

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Folders where any skip fails under CI=true: their environment installs everything they need
# (trainers, Pillow, h5py), so a skip there means a test silently stopped testing anything.
_NO_SKIP = ("tests/integrations", "tests/generate")


def _skip_reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple):
        return str(longrepr[-1])
    return str(longrepr)


def _fail_missing_package_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Under CI=true, turn a skip for a missing package into a failure naming it."""
    if not (IN_CI and report.skipped):
        return
    reason = _skip_reason(report.longrepr)
    strict = report.nodeid.startswith(_NO_SKIP)
    if strict or any(marker in reason for marker in _MISSING_PACKAGE):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (an optional package is missing): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, None, None]:
    """A test that skips for a missing package fails under CI=true."""
    outcome = yield
    _fail_missing_package_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, None, None]:
    """A test module that skips at import for a missing package fails under CI=true."""
    outcome = yield
    _fail_missing_package_skip(outcome.get_result())

"""Generator tests: with CI=true a skip (Pillow, h5py, datasets or verl missing) is a failure.

CI installs the ``test`` extra (which holds Pillow and h5py) into the environment with
the trainers, so a skip there means a test silently stopped testing anything.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, None, None]:
    """With CI=true, report a skipped generator test as failed, naming the reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and "generate" in str(item.path):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (generator tests must run): {reason}"

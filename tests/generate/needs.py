"""Optional imports for the generator tests: a skip outside CI, an error under CI=true."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(name: str) -> ModuleType:
    """Import `name`, or skip the module (fail with CI=true: CI installs every extra)."""
    if IN_CI:
        return importlib.import_module(name)
    return pytest.importorskip(name)

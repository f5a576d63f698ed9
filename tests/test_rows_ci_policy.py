"""The CI skip policy of tests/conftest.py: under CI=true a skip for a missing package fails."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")
TESTS = """
import pytest

def test_missing_package():
    pytest.importorskip("ssrl_no_such_package_xyz")

def test_other_skip():
    pytest.skip("not on this platform")

def test_passes():
    assert True
"""
MODULE_SKIP = """
import pytest
pytest.importorskip("ssrl_no_such_package_xyz")

def test_never_runs():
    assert True
"""


@pytest.mark.parametrize(("ci", "failed", "skipped"), [("true", 2, 1), ("", 0, 3)])
def test_missing_package_skips_fail_only_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str, failed: int, skipped: int
) -> None:
    monkeypatch.setenv("CI", ci)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_a=TESTS, test_b=MODULE_SKIP)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--continue-on-collection-errors"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == 1
    assert (
        outcomes.get("failed", 0) + outcomes.get("errors", 0) + outcomes.get("error", 0) == failed
    )
    assert outcomes.get("skipped", 0) == skipped
    if failed:
        result.stdout.fnmatch_lines(["*ssrl_no_such_package_xyz*"])


@pytest.mark.parametrize(("ci", "failed"), [("true", 1), ("", 0)])
def test_any_skip_fails_under_ci_in_the_folders_whose_environment_has_everything(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str, failed: int
) -> None:
    monkeypatch.setenv("CI", ci)
    pytester.makeconftest(CONFTEST)
    folder = pytester.mkdir("tests").joinpath("integrations")
    folder.mkdir()
    folder.joinpath("test_c.py").write_text(
        "import pytest\n\ndef test_platform():\n    pytest.skip('not on this platform')\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=failed, skipped=1 - failed)

"""The light, task-agnostic normalisation of answer text."""

from __future__ import annotations

import pytest

from ssrl_rewards import normalize_answer


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B", "B"),
        ("  B  ", "B"),
        ("Ｂ", "B"),
        ("０-２", "0-2"),
        ("B.", "B"),
        ("B..", "B."),
        ("$B$", "B"),
        ("$$B$$", "B"),
        ("\\(B\\)", "B"),
        ("\\text{B}", "B"),
        ("\\textbf{ B }", "B"),
        ("\\mathrm{B}", "B"),
        ("\\mathbf{B}", "B"),
        ("$\\text{B}$", "B"),
        ("\\text{\\text{B}}", "\\text{B}"),  # one layer only
        ("\\text{A} or \\text{B}", "\\text{A} or \\text{B}"),  # not a whole-answer wrapper
        ("B\u200b", "B"),
        ("\u202eB", "B"),
        ("\ufeffB", "B"),
        ("0\u00ad-1", "0-1"),
        ("А", "А"),  # Cyrillic look-alike is kept, so it never equals a Latin A
        ("", ""),
        ("$", "$"),
        ("x\ud800", "x\ud800"),
    ],
)
def test_normalize_answer(raw: str, expected: str) -> None:
    assert normalize_answer(raw) == expected

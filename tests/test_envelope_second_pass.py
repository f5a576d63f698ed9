"""Issue 13, the second soundness pass: one table per item.

Each table pairs honest notations (paid) with their hedge or contradiction twins (never
paid), so widening a notation can never pay a wrong answer unnoticed.
"""

from __future__ import annotations

import pytest

import ssrl_rewards as sr

R = sr.Reason
THINK = "<think>I compare the regions.</think> "
POSITION_PROMPT = (
    "Assume that there is a camera at position '1' and it's facing to the left of the image."
    " According to the camera, where is the region marker '2'? A. Left B. Right C. Front"
    " D. Back. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
)


def _score(
    completion: str, truth: str = "B", task: str = "position", **kw: object
) -> sr.RewardResult:
    prompt = POSITION_PROMPT if task == "position" else None
    return sr.score(completion, truth, task, prompt=prompt, **kw)  # type: ignore[arg-type]


# --- item 7: a bad ground truth raises GroundTruthError, short ---------------------------

_DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    "truth",
    [
        '{"answer": ' + _DEEP + "}",
        '{"task": "shuffle", "answer": ' + _DEEP + "}",
        "{" * 5000,
        '{"answer": "' + "x" * 2_000_000 + '"}',
        "9" * 2_000_000,
        ["1" * 100_000],
        {"answer": [[[[[[[[[[1]]]]]]]]]]},
        {"answer": "0-2-3-1", "task": ["x"] * 100_000},
    ],
    ids=["deep-json", "deep-json-task", "open-braces", "long-json", "long-digits",
         "long-label", "nested-list", "long-task"],
)  # fmt: skip
def test_a_hostile_ground_truth_is_a_short_ground_truth_error(truth: object) -> None:
    with pytest.raises(sr.GroundTruthError) as info:
        sr.score("<think>r</think>\\boxed{0-2-3-1}", truth, "shuffle")
    assert len(str(info.value)) < 400
    assert len(repr(info.value.value)) < 400


def test_a_deep_ground_truth_raises_the_same_without_a_task() -> None:
    with pytest.raises(sr.GroundTruthError):
        sr.score("<think>r</think>\\boxed{B}", '{"answer": ' + _DEEP + "}")


# --- item 4: reasoning must say something -------------------------------------------------

_INVISIBLE = [
    "\u200b", "\ufeff", "\u2060", "\u00ad", "\U000e0041\U000e0042", "\u3164", "\u115f\u1160",
    "\uffa0", "\ufe0f", "\U000e0100", "\u2800", "\x00", "\u200b \u200c\n\u200d", "\u034f",
]  # fmt: skip


@pytest.mark.parametrize("filler", _INVISIBLE)
def test_invisible_reasoning_earns_no_format_point(filler: str) -> None:
    result = _score(f"<think>{filler}</think> \\boxed{{B}}")
    assert (result.accuracy, result.format, result.format_reason) == (1.0, 0.0, R.EMPTY_THINK)


@pytest.mark.parametrize("filler", [".", "...", "?!", " - ", "…", "🤔", "*"])
def test_punctuation_or_symbols_alone_are_no_reasoning(filler: str) -> None:
    result = _score(f"<think>{filler}</think> \\boxed{{B}}")
    assert (result.format, result.format_reason) == (0.0, R.EMPTY_THINK)


@pytest.mark.parametrize("think", ["ok", "B", "3", "左", "\u200bI look.\u200b", "… so B", "١"])
def test_reasoning_with_a_letter_or_digit_earns_the_format_point(think: str) -> None:
    result = _score(f"<think>{think}</think> \\boxed{{B}}")
    assert (result.score, result.format, result.format_reason) == (1.0, 1.0, R.OK)


def test_the_fast_and_general_paths_agree_on_invisible_reasoning() -> None:
    plain = sr.parse_envelope("<think>\u200b\u200b</think> \\boxed{B}")
    general = sr.parse_envelope("<think>\u200b\u200b</think> <b>\\boxed{B}")
    assert plain.format_reason is general.format_reason is R.EMPTY_THINK


# --- item 10: the lenient fallback reads across a line break -------------------------------

LENIENT = sr.RewardConfig(lenient_fallback=True)


@pytest.mark.parametrize(
    ("completion", "accuracy", "reason"),
    [
        ("The answer is:\n(B) right", 1.0, R.CORRECT),
        ("The answer is:\n\n**B. Right**", 1.0, R.CORRECT),
        ("Answer:\nB", 1.0, R.CORRECT),
        ("The answer is:\n(A) left", 0.0, R.WRONG),
        ("The answer is:\n(B) left", 0.0, R.INCONSISTENT_CHOICE),
        ("The answer is:\nA or B", 0.0, R.MULTIPLE_ANSWERS),
        ("The answer is:\n", 0.0, R.NO_ANSWER),
    ],
)
def test_the_fallback_reads_the_next_line(
    completion: str, accuracy: float, reason: sr.Reason
) -> None:
    result = _score(completion, config=LENIENT)
    assert (result.accuracy, result.reason) == (accuracy, reason)


def test_the_fallback_stays_off_by_default() -> None:
    assert _score("The answer is:\n(B) right").reason is R.NO_ANSWER

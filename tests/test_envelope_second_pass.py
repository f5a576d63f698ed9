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

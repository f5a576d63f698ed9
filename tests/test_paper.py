"""Paper mode equals the published Spatial-SSRL reward, input for input.

`published_img_score` below re-states the published reward (EasyR1 batch function
`img_score` with mathruler's last-box extractor) from its documented behaviour; paper mode
must agree with it on every completion, including the quadratic-regex inputs it is slow on.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr
from ssrl_rewards.paper import WHITESPACE, last_box, paper_prediction, squeeze
from tests.strategies import STRATEGIES, completions

_FORMAT = re.compile(r"<think>.*</think>.*\\boxed\{.*\}.*", re.DOTALL)


def _last_box(text: str) -> str:
    """mathruler's extractor: last `\\boxed{`, depth-counted braces, strip, else "None"."""
    start = text.rfind("\\boxed{")
    if start == -1:
        return "None"
    depth = 0
    content = text[start + len("\\boxed{") :]
    for index, char in enumerate(content):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == -1:
            return content[:index].strip()
    return "None"


def published_img_score(response: str, ground_truth: str) -> tuple[float, float, float]:
    """(overall, format, accuracy) as the published reward computes them."""
    squeezed = re.sub(r"\s*(<|>|/)\s*", r"\1", response)
    fmt = 1.0 if re.fullmatch(_FORMAT, squeezed) else 0.0
    accuracy = 1.0 if _last_box(squeezed) == ground_truth else 0.0
    return (1 - 0.1) * accuracy + 0.1 * fmt, fmt, accuracy


PAPER = sr.RewardConfig(mode="paper")
_PIECES = [
    "<think>",
    "</think>",
    "< think >",
    "</ think>",
    "< / think >",
    "<",
    ">",
    "/",
    " / ",
    "\\boxed{",
    "\\boxed {",
    "{",
    "}",
    "0-2-3-1",
    "0 - 2 - 3 - 1",
    "0,2,3,1",
    "A",
    " A ",
    "(A)",
    "B",
    "Left / Front",
    " ",
    "  ",
    "\n",
    "\t",
    "\u3000",
    "\x1c",
    "\u00a0",
    "x",
    "think",
    "None",
]
_TRUTHS = ["0-2-3-1", "A", "B", "3-0", "3-1-2"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.sampled_from(_TRUTHS))
def test_paper_mode_equals_the_published_reward(response: str, truth: str) -> None:
    overall, fmt, accuracy = published_img_score(response, truth)
    result = sr.score(response, truth, config=PAPER)
    assert (result.score, result.format, result.accuracy) == (overall, fmt, accuracy)


@given(st.text(max_size=200), st.sampled_from(_TRUTHS))
def test_paper_mode_equals_the_published_reward_on_arbitrary_text(
    response: str, truth: str
) -> None:
    overall, fmt, accuracy = published_img_score(response, truth)
    result = sr.score(response, truth, config=PAPER)
    assert (result.score, result.format, result.accuracy) == (overall, fmt, accuracy)


@pytest.mark.parametrize(
    ("response", "truth", "expected"),
    [  # the behaviour table of the reference notes
        ("<think>x</think>\\boxed{0-2-3-1}", "0-2-3-1", (1.0, 1.0, 1.0)),
        ("<think>x</think>\\boxed{  0-2-3-1  }", "0-2-3-1", (1.0, 1.0, 1.0)),
        ("<think>x</think>\\boxed{0 - 2 - 3 - 1}", "0-2-3-1", (0.1, 1.0, 0.0)),
        ("<think>x</think>\\boxed{0,2,3,1}", "0-2-3-1", (0.1, 1.0, 0.0)),
        ("<think>x</think>\\boxed{A. Front}", "A", (0.1, 1.0, 0.0)),
        ("<think>x</think>\\boxed{\\text{A}}", "A", (0.1, 1.0, 0.0)),
        ("<think>x</think>\\boxed{a}", "A", (0.1, 1.0, 0.0)),
        ("<think>… \\boxed{B}</think> so \\boxed{A}", "A", (1.0, 1.0, 1.0)),
        ("<think>… \\boxed{A}</think> final answer A", "A", (0.9, 0.0, 1.0)),
        ("\\boxed{A}", "A", (0.9, 0.0, 1.0)),
        ("<think>x</think>\\boxed{A}\\boxed{B}", "A", (0.1, 1.0, 0.0)),
        ("< think >x< / think >\\boxed{A}", "A", (1.0, 1.0, 1.0)),
        ("<think>x</think>\\boxed{A", "A", (0.0, 0.0, 0.0)),
    ],
)
def test_paper_behaviour_table(
    response: str, truth: str, expected: tuple[float, float, float]
) -> None:
    result = sr.score(response, truth, config=PAPER)
    assert (result.score, result.format, result.accuracy) == expected
    assert published_img_score(response, truth) == expected


def test_squeeze_is_the_published_substitution() -> None:
    samples = ["a / b", "< think >", "x\u3000<\u3000y", " \x1c/\x1d ", "a  b", "/ /", "<>/"]
    for text in samples:
        assert squeeze(text) == re.sub(r"\s*(<|>|/)\s*", r"\1", text)


def test_whitespace_is_exactly_what_re_calls_whitespace() -> None:
    matched = {chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c))}
    assert set(WHITESPACE) == matched


def test_prediction_sentinel_and_unclosed_last_box() -> None:
    assert paper_prediction("no box") == "None"
    assert paper_prediction("\\boxed{A} then \\boxed{B") == "None"  # an earlier box is ignored
    assert paper_prediction("\\boxed{ Left / Front }") == "Left/Front"


def test_paper_mode_handles_the_inputs_the_published_regex_is_quadratic_on() -> None:
    response = "<think>" + "</think>" * 20_000
    result = sr.score(response, "A", config=PAPER)
    assert (result.format, result.accuracy) == (0.0, 0.0)
    spaced = "<think>x</think>\\boxed{" + " " * 50_000 + "x}"
    assert sr.score(spaced, "A", config=PAPER).accuracy == 0.0


@pytest.mark.parametrize("task", sorted(STRATEGIES))
@given(data=st.data())
def test_paper_mode_equals_the_published_reward_on_task_completions(
    task: str, data: st.DataObject
) -> None:
    strategies = STRATEGIES[task]
    case = data.draw(strategies.cases)
    notation = data.draw(st.sampled_from(strategies.notations(case)))
    completion = data.draw(completions(notation))
    result = sr.score(completion, case.truth, task, prompt=case.prompt, config=PAPER)
    expected = published_img_score(completion, case.truth)
    assert (result.score, result.format, result.accuracy) == expected


@given(
    st.lists(
        st.sampled_from(["\\", "\\\\", "\\boxed{", "\\boxed", "boxed{", "{", "x"]), max_size=40
    )
)
def test_last_box_equals_the_published_rfind(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert last_box(text) == text.rfind("\\boxed{")


def test_a_box_with_no_closing_brace_after_it_is_no_prediction() -> None:
    assert paper_prediction("\\boxed{A} then \\boxed{" + "{" * 100_000) == "None"
    assert paper_prediction("\\boxed{" + "\\" * 50 + "}") == "\\" * 50

"""Scoring around the envelope: empty boxes, hedges inside one box or one answer tag, and
containers longer than ``max_answer_chars``, under every format policy and mode."""

from __future__ import annotations

import pytest

import ssrl_rewards as sr

R = sr.Reason
THINK = "<think>r</think> "
POSITION_PROMPT = (
    "Assume that there is a camera at position '1' and it's facing to the left of the image."
    " According to the camera, where is the region marker '2'? A. Left B. Right C. Front"
    " D. Back. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
)
STRICT = sr.RewardConfig()
R1 = sr.RewardConfig(format_policy="r1")
NONE = sr.RewardConfig(format_policy="none")
PAPER = sr.RewardConfig(mode="paper")


def C(answer: str) -> str:
    return THINK + "\\boxed{" + answer + "}"


def _verdict(result: sr.RewardResult) -> tuple[float, float, float, sr.Reason, sr.Reason]:
    return result.score, result.accuracy, result.format, result.reason, result.format_reason


# --- 1. empty boxes carry no answer --------------------------------------------------------


@pytest.mark.parametrize(
    "completion",
    [
        "<think>r</think>Put it in \\boxed{}. \\boxed{A}",
        "<think>r</think>\\boxed{A} (not \\boxed{ })",
        "<think>r</think>\\boxed{$ $} \\fbox{\\text{}} \\boxed{A}.",
        "<think>r</think>\\boxed{A} <answer></answer>",
    ],
)
def test_an_empty_box_next_to_a_real_one_is_ignored(completion: str) -> None:
    assert _verdict(sr.score(completion, "A", "crop")) == (1.0, 1.0, 1.0, R.CORRECT, R.OK)


def test_only_empty_boxes_stay_no_answer() -> None:
    result = sr.score("<think>r</think>\\boxed{} and \\boxed{ }", "A", "crop")
    assert _verdict(result) == (0.0, 0.0, 0.0, R.NO_ANSWER, R.NO_ANSWER)


def test_empty_boxes_do_not_hide_a_hedge() -> None:
    result = sr.score("<think>r</think>\\boxed{} \\boxed{A} \\boxed{} \\boxed{B}", "A", "crop")
    assert _verdict(result) == (0.0, 0.0, 0.0, R.MULTIPLE_ANSWERS, R.MULTIPLE_ANSWERS)


# --- 2. a hedge inside one box loses the format point -------------------------------------


@pytest.mark.parametrize(
    ("completion", "truth", "task"),
    [
        (C("A or B"), "A", "crop"),
        (C("A, B"), "A", "crop"),
        (C("0-2-3-1 or 0-3-2-1"), "0-2-3-1", "shuffle"),
        (C("3-0, 3-1"), "3-0", "flip"),
    ],
)
def test_a_hedge_inside_one_box_scores_like_two_boxes(
    completion: str, truth: str, task: str
) -> None:
    one_box = sr.score(completion, truth, task)
    assert _verdict(one_box) == (0.0, 0.0, 0.0, R.MULTIPLE_ANSWERS, R.MULTIPLE_ANSWERS)
    two_boxes = sr.score(THINK + "\\boxed{A}\\boxed{B}", "A", "crop")
    assert _verdict(two_boxes) == _verdict(one_box)
    for credit in ("positionwise", "kendall"):
        partial = sr.score(completion, truth, task, config=sr.RewardConfig(credit=credit))
        assert _verdict(partial) == _verdict(one_box)


def test_a_hedge_inside_one_box_under_r1() -> None:
    result = sr.score("<think>r</think><answer>\\boxed{A or B}</answer>", "A", "crop", config=R1)
    assert _verdict(result) == (0.0, 0.0, 0.0, R.MULTIPLE_ANSWERS, R.MULTIPLE_ANSWERS)
    honest = sr.score("<think>r</think><answer>\\boxed{A}</answer>", "A", "crop", config=R1)
    assert _verdict(honest) == (1.0, 1.0, 1.0, R.CORRECT, R.OK)


def test_an_earlier_format_failure_keeps_its_reason() -> None:
    result = sr.score("\\boxed{A or B}", "A", "crop")
    assert _verdict(result) == (0.0, 0.0, 0.0, R.MULTIPLE_ANSWERS, R.NO_THINK)


def test_the_none_policy_and_paper_mode_keep_the_format_point() -> None:
    unchecked = sr.score(C("A or B"), "A", "crop", config=NONE)
    assert _verdict(unchecked) == (0.1, 0.0, 1.0, R.MULTIPLE_ANSWERS, R.NOT_CHECKED)
    paper = sr.score(C("A or B"), "A", "crop", config=PAPER)
    assert (paper.score, paper.accuracy, paper.format) == (0.1, 0.0, 1.0)


# --- 3. an <answer> tag holding a box and another answer is a hedge ------------------------


@pytest.mark.parametrize(
    ("inside", "truth", "task", "prompt"),
    [
        ("B \\boxed{C}", "C", "crop", None),
        ("\\boxed{C} or B", "C", "crop", None),
        ("\\boxed{C}; B", "C", "crop", None),
        ("(B) \\boxed{C}", "C", "crop", None),
        ("\\boxed{C} or \\text{B}", "C", "crop", None),
        ("\\boxed{C} \\fbox{C} or B", "C", "crop", None),
        ("\\boxed{0-2-3-1} or 0-3-2-1", "0-2-3-1", "shuffle", None),
        ("0-3-2-1 \\boxed{0-2-3-1}", "0-2-3-1", "shuffle", None),
        ("\\boxed{3-1-2}, 3-2-1", "3-1-2", "depth", None),
        ("\\boxed{3-0} or 3-1", "3-0", "flip", None),
        ("\\boxed{B} or Left", "B", "position", POSITION_PROMPT),
        ("Left \\boxed{Right}", "B", "position", POSITION_PROMPT),
    ],
)
def test_a_tag_with_a_box_and_another_answer_is_a_hedge(
    inside: str, truth: str, task: str, prompt: str | None
) -> None:
    completion = f"<think>r</think><answer>{inside}</answer>"
    for config in (STRICT, R1, sr.RewardConfig(credit="positionwise")):
        result = sr.score(completion, truth, task, prompt=prompt, config=config)
        assert _verdict(result) == (0.0, 0.0, 0.0, R.MULTIPLE_ANSWERS, R.MULTIPLE_ANSWERS)
        assert (result.answer, result.pred) == (None, "")
    unchecked = sr.score(completion, truth, task, prompt=prompt, config=NONE)
    assert (unchecked.accuracy, unchecked.reason) == (0.0, R.MULTIPLE_ANSWERS)


@pytest.mark.parametrize(
    ("inside", "truth", "task", "prompt"),
    [
        ("\\boxed{C}", "C", "crop", None),
        ("The answer is \\boxed{C}", "C", "crop", None),
        ("\\boxed{C}.", "C", "crop", None),
        ("Option \\boxed{C}", "C", "crop", None),
        ("C \\boxed{C}", "C", "crop", None),
        ("Final answer: \\boxed{\\text{C}}", "C", "crop", None),
        ("\\boxed{C} \\fbox{C}", "C", "crop", None),
        ("The order is \\boxed{0, 2, 3, 1}.", "0-2-3-1", "shuffle", None),
        ("Nearest first: \\boxed{3-1-2}", "3-1-2", "depth", None),
        ("\\boxed{B}. Right", "B", "position", POSITION_PROMPT),
        ("The marker is to the \\boxed{Right}", "B", "position", POSITION_PROMPT),
    ],
)
def test_an_honest_tag_with_a_box_still_pays(
    inside: str, truth: str, task: str, prompt: str | None
) -> None:
    completion = f"<think>r</think><answer>{inside}</answer>"
    for config in (STRICT, R1):
        result = sr.score(completion, truth, task, prompt=prompt, config=config)
        assert _verdict(result) == (1.0, 1.0, 1.0, R.CORRECT, R.OK)


def test_a_wrong_boxed_answer_in_a_tag_is_wrong_not_a_hedge() -> None:
    result = sr.score("<think>r</think><answer>The answer is \\boxed{B}</answer>", "C", "crop")
    assert _verdict(result) == (0.1, 0.0, 1.0, R.WRONG, R.OK)


def test_a_hedging_tag_is_still_paid_in_paper_mode() -> None:
    """Paper mode reproduces the published reward, which reads the last box only."""
    result = sr.score("<think>r</think><answer>B \\boxed{C}</answer>", "C", "crop", config=PAPER)
    assert result.accuracy == 1.0


# --- 4. a container longer than max_answer_chars -------------------------------------------


@pytest.mark.parametrize(
    "completion",
    [
        C("A" * 2_000),
        C("{" * 600 + "A" + "}" * 600),
        C("A" * 2_000) + " \\boxed{A}",
        THINK + "\\boxed{A} " + "\\boxed{" + "A " * 1_000 + "}",
        THINK + "<answer>" + "A " * 1_000 + "</answer>",
        THINK + "<answer>" + "so " * 400 + "\\boxed{A}</answer>",
    ],
)
def test_a_container_over_max_answer_chars_pays_nothing(completion: str) -> None:
    result = sr.score(completion, "A", "crop")
    assert _verdict(result) == (0.0, 0.0, 0.0, R.ANSWER_TOO_LONG, R.ANSWER_TOO_LONG)
    lifted = sr.RewardConfig(max_chars=10**6)
    assert sr.score(completion, "A", "crop", config=lifted).reason is R.ANSWER_TOO_LONG


def test_an_unclosed_box_stays_unbalanced_however_long() -> None:
    for tail in ("{" * 5_000 + "A", "A" * 5_000, "{A}{" + "B" * 300):
        result = sr.score(THINK + "\\boxed{" + tail, "A", "crop")
        assert (result.accuracy, result.reason) == (0.0, R.UNBALANCED_BOX)


def test_a_box_still_open_at_the_cap_is_too_long_whether_or_not_it_closes() -> None:
    """Past ``max_answer_chars`` the brace is not followed: a later `}` changes nothing."""
    for tail in ("A" + "{" * 3_000 + "}" * 2_000, "{A}" * 20_000, "{A}" * 500 + "}"):
        result = sr.score(THINK + "\\boxed{" + tail + " \\boxed{A}", "A", "crop")
        assert (result.accuracy, result.reason) == (0.0, R.ANSWER_TOO_LONG)


def test_max_answer_chars_is_the_limit() -> None:
    cfg = sr.RewardConfig(max_answer_chars=8)
    assert sr.score(C("Option A"), "A", "crop", config=cfg).reason is R.CORRECT
    assert sr.score(C("Option  A"), "A", "crop", config=cfg).reason is R.ANSWER_TOO_LONG


# --- 5. an alternative offered right after the final answer -------------------------------


@pytest.mark.parametrize(
    ("task", "truth", "completion"),
    [
        ("crop", "B", C("B") + " (or possibly C)"),
        ("crop", "B", C("B") + " or maybe C"),
        ("crop", "B", C("B") + "/C"),
        ("crop", "B", C("B") + ". Alternatively, A."),
        ("crop", "B", C("B") + ", alternatively A is possible"),
        ("crop", "B", "<think>r</think><answer>\\boxed{B}</answer> or C"),
        ("crop", "B", "<think>r</think><answer>B</answer> (or perhaps D)"),
        ("shuffle", "0-2-3-1", C("0-2-3-1") + " or maybe 0-3-2-1"),
        ("shuffle", "0-2-3-1", C("0-2-3-1") + " (or 0, 3, 2, 1)"),
        ("depth", "3-1-2", C("3-1-2") + " or else 3-2-1 if region 2 is a wall"),
        ("flip", "3-0", C("3-0") + " or 3-1"),
        ("position", "B", C("Right") + " or possibly Left"),
    ],
)
def test_an_alternative_after_the_final_answer_is_a_hedge(
    task: str, truth: str, completion: str
) -> None:
    result = sr.score(completion, truth, task, prompt=POSITION_PROMPT)
    assert (result.accuracy, result.format, result.reason) == (0.0, 0.0, R.MULTIPLE_ANSWERS)
    assert sr.score(completion, truth, task, prompt=POSITION_PROMPT, config=NONE).accuracy == 0


@pytest.mark.parametrize(
    "tail",
    [
        "",
        ".",
        " because its edges match the hole.",
        " (the patch with the sky)",
        " or B",  # the same answer again
        ", or maybe B.",
        " or a similar patch",
        " maybe.",
        ". Perhaps the lighting misleads, but the edges decide.",
        "\n\nAlternatively one could compare colours; C is too dark.",  # not the first clause
        " " + "x" * 200 + " or C",  # beyond the clause window
    ],
)
def test_prose_after_the_final_answer_that_offers_no_other_answer_still_pays(tail: str) -> None:
    result = sr.score(C("B") + tail, "B", "crop")
    assert (result.accuracy, result.reason) == (1.0, R.CORRECT)


def test_paper_mode_ignores_alternatives_after_the_box() -> None:
    assert sr.score(C("B") + " or maybe C", "B", "crop", config=PAPER).accuracy == 1.0


# --- 6. wrappers and line breaks between the box and the alternative; annotations -------

P2 = (
    "Assume that there is a camera at position '2' facing right. Where is the region marker"
    " '1'? A. Left-Front B. Right-Front C. Left-Back D. Right-Back."
)


@pytest.mark.parametrize(
    ("task", "truth", "prompt", "completion", "reason"),
    [
        ("crop", "B", None, THINK + "$\\boxed{B}$ or C", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, THINK + "**\\boxed{B}** (or possibly C)", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, THINK + "\\(\\boxed{B}\\) or C", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, THINK + "$$\n\\boxed{B}\n$$\nor possibly C", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, THINK + "\\boxed{B}\n(or possibly C)", R.MULTIPLE_ANSWERS),
        (
            "crop",
            "B",
            None,
            THINK + "<answer>\\boxed{B}\n</answer>\nOr possibly C.",
            R.MULTIPLE_ANSWERS,
        ),
        ("crop", "B", None, C("B") + " (or it could be C)", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " or c because it matches", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " (also possibly C)", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " (probably, or C)", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " and C", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " (or possibly C) \\boxed{ }", R.MULTIPLE_ANSWERS),
        ("crop", "B", None, C("B") + " (or possibly C) \\boxed{.}", R.MULTIPLE_ANSWERS),
        (
            "shuffle",
            "0-3-2-1",
            None,
            THINK + "**\\boxed{0-2-3-1}** (or 0-3-2-1)",
            R.MULTIPLE_ANSWERS,
        ),
        (
            "depth",
            "3-1-2",
            None,
            THINK + "**\\boxed{3-1-2}** (or possibly 3-2-1)",
            R.MULTIPLE_ANSWERS,
        ),
        (
            "position",
            "B",
            POSITION_PROMPT,
            C("Right") + " or possibly left, given the shadows",
            R.MULTIPLE_ANSWERS,
        ),
        (
            "position",
            "A",
            P2,
            THINK + "**\\boxed{Left-Front}** (or possibly Right-Front)",
            R.MULTIPLE_ANSWERS,
        ),
        ("position", "B", POSITION_PROMPT, C("B") + " (Left)", R.INCONSISTENT_CHOICE),
        (
            "position",
            "B",
            POSITION_PROMPT,
            THINK + "<answer>\\boxed{B}: Left</answer>",
            R.INCONSISTENT_CHOICE,
        ),
        (
            "position",
            "B",
            POSITION_PROMPT,
            THINK + "<answer>Left: \\boxed{B}</answer>",
            R.MULTIPLE_ANSWERS,
        ),
        ("flip", "3-0", None, C("3-0") + " (horizontal)", R.INCONSISTENT_CHOICE),
        (
            "flip",
            "3-0",
            None,
            THINK + "<answer>\\boxed{3-0} horizontal</answer>",
            R.INCONSISTENT_CHOICE,
        ),
    ],
)
def test_alternatives_and_contradictions_around_the_final_box_void_it(
    task: str, truth: str, prompt: str | None, completion: str, reason: sr.Reason
) -> None:
    for credit in ("exact", "positionwise", "kendall"):
        cfg = sr.RewardConfig(credit=credit)
        result = sr.score(completion, truth, task, prompt=prompt, config=cfg)
        assert (result.accuracy, result.reason) == (0.0, reason), credit


@pytest.mark.parametrize(
    ("task", "truth", "prompt", "completion"),
    [
        ("crop", "B", None, THINK + "The answer goes in \\boxed{...}: \\boxed{B}"),
        ("crop", "B", None, THINK + "$\\boxed{B}$."),
        ("crop", "B", None, THINK + "**\\boxed{B}**"),
        ("crop", "B", None, C("B") + " and that is final."),
        ("crop", "B", None, C("B") + "\n\nThe other options are darker."),
        ("position", "B", POSITION_PROMPT, C("B") + " (Right)"),
        ("position", "B", POSITION_PROMPT, THINK + "<answer>Right: \\boxed{B}</answer>"),
        ("flip", "3-0", None, C("3-0") + " (vertical)"),
        ("shuffle", "0-2-3-1", None, C("0-2-3-1") + " (top-left first)"),
        ("depth", "3-1-2", None, C("3-1-2") + " (nearest first)"),
        ("shuffle", "0-2-3-1", None, C("0 \\Rightarrow 2 \\Rightarrow 3 \\Rightarrow 1")),
        ("shuffle", "0-2-3-1", None, C("0 ➡ 2 ➡ 3 ➡ 1")),
        ("shuffle", "0-2-3-1", None, C("0 –> 2 –> 3 –> 1")),
    ],
)
def test_honest_twins_around_the_final_box_still_pay(
    task: str, truth: str, prompt: str | None, completion: str
) -> None:
    result = sr.score(completion, truth, task, prompt=prompt)
    assert (result.accuracy, result.reason) == (1.0, R.CORRECT)

"""Issue 13, the second soundness pass: one table per item.

Each table pairs honest notations (paid) with their hedge or contradiction twins (never
paid), so widening a notation can never pay a wrong answer unnoticed.
"""

from __future__ import annotations

import re
import time

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
        '{"answer": "0-2-3-1", "task": "' + "x" * 2_000_000 + '"}',
    ],
    ids=["deep-json", "deep-json-task", "open-braces", "long-json", "long-digits",
         "long-label", "nested-list", "long-task", "long-task-name"],
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


@pytest.mark.parametrize(
    "think",
    ["ok", "B", "3", "左", "\u200bI look.\u200b", "… so B", "١", ".", "...", "?!", " - ", "🤔"],
)
def test_visible_reasoning_earns_the_format_point_even_punctuation_alone(think: str) -> None:
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


# --- item 5: position options in every common layout ---------------------------------------

_LAYOUTS = {
    "dot": "A. Left B. Right C. Front D. Back",
    "paren": "(A) Left (B) Right (C) Front (D) Back",
    "half-paren": "A) Left B) Right C) Front D) Back",
    "colon": "A: Left B: Right C: Front D: Back",
    "bracket": "[A] Left [B] Right [C] Front [D] Back",
    "bold": "**A.** Left **B.** Right **C.** Front **D.** Back",
    "bold-letter": "**A**. Left **B**. Right **C**. Front **D**. Back",
    "lower": "a. Left b. Right c. Front d. Back",
    "lower-paren": "(a) Left (b) Right (c) Front (d) Back",
    "full-width": "Ａ．Left　Ｂ．Right　Ｃ．Front　Ｄ．Back",
    "full-width-paren": "（Ａ）Left（Ｂ）Right（Ｃ）Front（Ｄ）Back",
    "ideographic": "A、Left B、Right C、Front D、Back",
    "lines": "\nA. Left\nB. Right\nC. Front\nD. Back\n",
    "colon-lines": "\nA: Left\nB: Right\nC: Front\nD: Back\n",
    "paren-lines": "\n(A) Left\n(B) Right\n(C) Front\n(D) Back\n",
    "commas": "A. Left, B. Right, C. Front, D. Back.",
    "prose-after": "A. Left B. Right C. Front D. Back. Answer with the letter.",
    "prose-after-line": "(A) Left (B) Right (C) Front (D) Back\nAnswer with the letter.",
    "no-period": "A. Left B. Right C. Front D. Back",
    "invisible": "A.\u200b Left B. Right C. Front D. Back",
    "dash-lines": "\nA - Left\nB - Right\nC - Front\nD - Back\n",
    "en-dash": "A – Left B – Right C – Front D – Back",
    "em-dash-lines": "\nA — Left\nB — Right\nC — Front\nD — Back\n",
}
_COMPOUND = ("Left-Back", "Right-Front", "Left-Front", "Right-Back")


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_options_are_read_in_every_layout(layout: str) -> None:
    prompt = f"Where is region 2? {_LAYOUTS[layout]}"
    assert sr.parse_options(prompt) == {"A": "Left", "B": "Right", "C": "Front", "D": "Back"}


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_compound_options_in_every_layout(layout: str) -> None:
    mapping = dict(zip(("Left", "Right", "Front", "Back"), _COMPOUND, strict=True))
    text = re.sub(r"Left|Right|Front|Back", lambda m: mapping[m.group()], _LAYOUTS[layout])
    assert sr.parse_options(f"Where is region 2? {text}") == dict(
        zip("ABCD", _COMPOUND, strict=True)
    )


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
@pytest.mark.parametrize(
    ("answer", "accuracy", "reason"),
    [("Right", 1.0, R.CORRECT), ("B. Right", 1.0, R.CORRECT), ("(B) Right", 1.0, R.CORRECT),
     ("Left", 0.0, R.WRONG), ("B. Left", 0.0, R.INCONSISTENT_CHOICE),
     ("Left or Right", 0.0, R.MULTIPLE_ANSWERS)],
)  # fmt: skip
def test_option_text_answers_score_in_every_layout(
    layout: str, answer: str, accuracy: float, reason: sr.Reason
) -> None:
    prompt = f"Where is region 2? {_LAYOUTS[layout]}"
    result = sr.score(f"{THINK}\\boxed{{{answer}}}", "B", "position", prompt=prompt)
    assert (result.accuracy, result.reason) == (accuracy, reason)


@pytest.mark.parametrize(
    "prompt",
    ["e.g. this, i.e. that", "Use the U.S. map", "f(A) and g(B)", "A. Left only", "",
     "Options: A. Left C. Front", "a - b is a vector, and b - c too"],
)  # fmt: skip
def test_prose_is_not_read_as_options(prompt: str) -> None:
    assert sr.parse_options(prompt) is None


def test_the_last_run_of_options_wins() -> None:
    prompt = "Earlier: a) x b) y. Now choose: (A) Left (B) Right"
    assert sr.parse_options(prompt) == {"A": "Left", "B": "Right"}


def test_option_parsing_is_linear_on_a_flood_of_markers() -> None:
    prompt = "A. x " * 20_000 + "C. y " * 20_000
    assert sr.parse_options(prompt) is None


# --- item 2: every answer container is an answer -------------------------------------------

_CONTAINERS = [
    "<ANSWER>{}</ANSWER>", "<Answer>{}</Answer>", '<answer class="final">{}</answer>',
    "< ANSWER >{}</ ANSWER >", "\\framebox{{{}}}", "\\framebox[2cm]{{{}}}",
    "\\framebox[2cm][c]{{{}}}", "\\colorbox{{yellow}}{{{}}}", "\\colorbox[rgb]{{1,0,0}}{{{}}}",
    "\\fcolorbox{{red}}{{white}}{{{}}}", "\\ovalbox{{{}}}", "\\Ovalbox{{{}}}", "\\fbox{{{}}}",
]  # fmt: skip


@pytest.mark.parametrize("container", _CONTAINERS)
def test_each_container_alone_is_the_answer(container: str) -> None:
    assert _score(THINK + container.format("B")).reason is R.CORRECT
    assert _score(THINK + container.format("A")).reason is R.WRONG


@pytest.mark.parametrize("container", _CONTAINERS)
@pytest.mark.parametrize("order", ["box-first", "box-last"])
def test_a_container_beside_a_differing_box_is_a_hedge(container: str, order: str) -> None:
    other = container.format("A")
    body = f"\\boxed{{B}} {other}" if order == "box-first" else f"{other} \\boxed{{B}}"
    result = _score(THINK + body)
    assert (result.score, result.reason) == (0.0, R.MULTIPLE_ANSWERS)


@pytest.mark.parametrize("container", _CONTAINERS)
def test_a_container_repeating_the_box_is_no_hedge(container: str) -> None:
    assert _score(THINK + "\\boxed{B} " + container.format("B")).reason is R.CORRECT


def test_an_upper_case_answer_tag_under_the_r1_policy() -> None:
    cfg = sr.RewardConfig(format_policy="r1")
    assert _score("<think>r</think><ANSWER>B</ANSWER>", config=cfg).score == 1.0
    assert _score("<think>r</think><ANSWER>B</ANSWER><answer>A</answer>", config=cfg).score == 0.0


def test_containers_inside_the_reasoning_are_not_answers() -> None:
    result = _score("<think>\\colorbox{yellow}{B} <ANSWER>B</ANSWER></think> done")
    assert result.reason is R.ANSWER_IN_THINK


# --- item 6: honest notations a model writes, and their hedge or contradiction twins -------

_NOTATIONS = [
    # orderings with a final "and"
    ("shuffle", "0-2-3-1", "0, 2, 3, and 1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0, 2, 3 and 1", R.CORRECT),
    ("depth", "3-1-2", "3, 1, and 2", R.CORRECT),
    ("depth", "3-1-2", "3, 1 and 2", R.CORRECT),
    ("shuffle", "0-2-3-1", "0, 3, 2, and 1", R.WRONG),
    ("shuffle", "0-2-3-1", "0, 2, 3, and 1 or 0, 3, 2, and 1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", "0, 2, 3, 1 and 0, 3, 2, 1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", "0-2-3-1 and 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", "0, 2 and 3, 1", R.MULTIPLE_ANSWERS),
    ("depth", "3-1-2", "3 and 1, 2", R.MULTIPLE_ANSWERS),
    # LaTeX spacing and delimiters, the ideographic comma
    ("shuffle", "0-2-3-1", "0,\\ 2,\\ 3,\\ 1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0,\\,2,\\,3,\\,1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0\\;2\\;3\\;1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0\\quad 2\\quad 3\\quad 1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0~2~3~1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0,\\!2,\\!3,\\!1", R.CORRECT),
    ("shuffle", "0-2-3-1", "\\left[ 0, 2, 3, 1 \\right]", R.CORRECT),
    ("shuffle", "0-2-3-1", "\\langle 0, 2, 3, 1 \\rangle", R.CORRECT),
    ("shuffle", "0-2-3-1", "0、2、3、1", R.CORRECT),
    ("shuffle", "0-2-3-1", "0,\\ 3,\\ 2,\\ 1", R.WRONG),
    (
        "shuffle",
        "0-2-3-1",
        "\\left[0,2,3,1\\right] \\text{ or } \\left[0,3,2,1\\right]",
        R.MULTIPLE_ANSWERS,
    ),
    ("shuffle", "0-2-3-1", "0、2、3、1 or 0、3、2、1", R.MULTIPLE_ANSWERS),
    (
        "shuffle",
        "0-2-3-1",
        "0\\quad 2\\quad 3\\quad 1\\quad 0\\quad 3\\quad 2\\quad 1",
        R.MULTIPLE_ANSWERS,
    ),
    # a lead-in inside the box
    ("shuffle", "0-2-3-1", "Answer: 0-2-3-1", R.CORRECT),
    ("depth", "3-1-2", "The final order is 3-1-2", R.CORRECT),
    ("flip", "3-0", "Answer: 3-0", R.CORRECT),
    ("shuffle", "0-2-3-1", "Answer: 0-3-2-1", R.WRONG),
    ("shuffle", "0-2-3-1", "Answer: 0-2-3-1 or 0-3-2-1", R.MULTIPLE_ANSWERS),
    # nested wrappers
    ("position", "B", "\\textbf{\\textit{B}}", R.CORRECT),
    ("position", "B", "\\text{\\textbf{B}}", R.CORRECT),
    ("position", "B", "{B}", R.CORRECT),
    ("position", "B", "(\\text{B})", R.CORRECT),
    ("position", "B", "\\displaystyle B", R.CORRECT),
    ("position", "B", "B。", R.CORRECT),
    ("position", "B", "***B***", R.CORRECT),
    ("position", "B", "\\colorbox{yellow}{B}", R.CORRECT),
    ("position", "B", "\\textbf{\\textit{A}}", R.WRONG),
    ("position", "B", "\\text{\\textbf{A}} or \\text{B}", R.MULTIPLE_ANSWERS),
    ("position", "B", "{A}{B}", R.NOT_IN_ANSWER_SPACE),
    ("position", "B", "\\textbf{A or B}", R.MULTIPLE_ANSWERS),
    # a letter with its own option text behind any separator
    ("position", "B", "B, Right", R.CORRECT),
    ("position", "B", "B — Right", R.CORRECT),
    ("position", "B", "B – Right", R.CORRECT),
    ("position", "B", "B = Right", R.CORRECT),
    ("position", "B", "B.\\ Right", R.CORRECT),
    ("position", "B", "B.~Right", R.CORRECT),
    ("position", "B", "B: \\text{Right}", R.CORRECT),
    ("position", "B", "B \\text{(Right)}", R.CORRECT),
    ("position", "B", "\\textbf{B.} Right", R.CORRECT),
    ("position", "B", "**B**: Right", R.CORRECT),
    ("position", "B", "B, Left", R.MULTIPLE_ANSWERS),
    ("position", "B", "B — Left", R.INCONSISTENT_CHOICE),
    ("position", "B", "B = Left", R.INCONSISTENT_CHOICE),
    ("position", "B", "B.\\ Left", R.INCONSISTENT_CHOICE),
    ("position", "B", "B.~Left", R.INCONSISTENT_CHOICE),
    ("position", "B", "B: \\text{Left}", R.INCONSISTENT_CHOICE),
    ("position", "B", "B \\text{(Left)}", R.INCONSISTENT_CHOICE),
    ("position", "B", "B、A", R.MULTIPLE_ANSWERS),
    ("position", "B", "A — Right", R.INCONSISTENT_CHOICE),
    # flips with a direction word in LaTeX
    ("flip", "3-0", "3, \\text{vertical}", R.CORRECT),
    ("flip", "3-0", "3-0 \\text{ (vertical)}", R.CORRECT),
    ("flip", "3-0", "3-0\\ \\textit{(vertically)}", R.CORRECT),
    ("flip", "3-0", "3, \\text{horizontal}", R.WRONG),
    ("flip", "3-0", "3-1 \\text{ (vertical)}", R.INCONSISTENT_CHOICE),
    ("flip", "3-0", "3, \\text{vertical} \\text{ or } \\text{horizontal}", R.MULTIPLE_ANSWERS),
]


@pytest.mark.parametrize(("task", "truth", "answer", "reason"), _NOTATIONS)
def test_honest_notations_pay_and_their_twins_do_not(
    task: str, truth: str, answer: str, reason: sr.Reason
) -> None:
    result = _score(f"{THINK}\\boxed{{{answer}}}", truth, task)
    assert result.reason is reason, (answer, result.reason)
    assert result.accuracy == (1.0 if reason is R.CORRECT else 0.0)


# --- item 1: alternatives and contradictions after the final answer, in any spelling --------

_AFTER_THE_BOX = [
    # alternatives, read after the answer's normalisation and across line breaks
    ("position", "B", " ｏｒ Ａ", R.MULTIPLE_ANSWERS),
    ("position", "B", " o\u200br A", R.MULTIPLE_ANSWERS),
    ("position", "B", " **or** A", R.MULTIPLE_ANSWERS),
    ("position", "B", " *or* A", R.MULTIPLE_ANSWERS),
    ("position", "B", " \\text{ or } A", R.MULTIPLE_ANSWERS),
    ("position", "B", " \\textbf{or} \\text{A}", R.MULTIPLE_ANSWERS),
    ("position", "B", "\\quad or\\quad A", R.MULTIPLE_ANSWERS),
    ("position", "B", " or\nA", R.MULTIPLE_ANSWERS),
    ("position", "B", ".\n\nAlternatively,\n\nA.", R.MULTIPLE_ANSWERS),
    ("position", "B", " or\n\\boxed{}", R.CORRECT),
    # "or" in other languages
    ("position", "B", " 或 A", R.MULTIPLE_ANSWERS),
    ("position", "B", "或A", R.MULTIPLE_ANSWERS),
    ("position", "B", "还是A", R.MULTIPLE_ANSWERS),
    ("position", "B", "或者 Left", R.MULTIPLE_ANSWERS),
    ("position", "B", " oder A", R.MULTIPLE_ANSWERS),
    ("position", "B", " o A", R.MULTIPLE_ANSWERS),
    ("position", "B", " ou A", R.MULTIPLE_ANSWERS),
    ("position", "B", " или A", R.MULTIPLE_ANSWERS),
    ("position", "B", " または A", R.MULTIPLE_ANSWERS),
    ("position", "B", "または A", R.MULTIPLE_ANSWERS),
    ("position", "B", " 또는 A", R.MULTIPLE_ANSWERS),
    ("position", "B", " (oder vielleicht A)", R.MULTIPLE_ANSWERS),
    ("position", "B", " 也可能是 A", R.MULTIPLE_ANSWERS),
    ("position", "B", "，也许是A", R.MULTIPLE_ANSWERS),
    ("position", "B", " たぶんA", R.MULTIPLE_ANSWERS),
    ("position", "B", " 아마 A", R.MULTIPLE_ANSWERS),
    ("position", "B", " talvez A", R.MULTIPLE_ANSWERS),
    ("position", "B", " może A", R.MULTIPLE_ANSWERS),
    ("position", "B", " correction: A", R.MULTIPLE_ANSWERS),
    ("position", "B", " 也许是B", R.CORRECT),
    ("position", "B", " (edit: fixed a typo)", R.CORRECT),
    ("position", "B", " or a similar region", R.CORRECT),
    ("position", "B", " (maybe a typo)", R.CORRECT),
    ("flip", "3-0", " (maybe a typo)", R.CORRECT),
    ("flip", "3-0", " / 1.0 confidence", R.CORRECT),
    ("crop", "B", " / 1.0 confidence", R.CORRECT),
    ("position", "B", " (either way)", R.CORRECT),
    ("position", "B", " oder B", R.CORRECT),
    ("position", "B", " 或 B", R.CORRECT),
    # a contradicting option text in any punctuation
    ("position", "B", ": Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " = Left", R.INCONSISTENT_CHOICE),
    ("position", "B", ", i.e. Left", R.INCONSISTENT_CHOICE),
    ("position", "B", ", i.e., Left.", R.INCONSISTENT_CHOICE),
    ("position", "B", " - Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " — Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " （Left）", R.INCONSISTENT_CHOICE),
    ("position", "B", "【Left】", R.INCONSISTENT_CHOICE),
    ("position", "B", " \\text{(Left)}", R.INCONSISTENT_CHOICE),
    ("position", "B", " \\textbf{: Left}", R.INCONSISTENT_CHOICE),
    ("position", "B", ": **Left**", R.INCONSISTENT_CHOICE),
    ("position", "B", "$: Left", R.INCONSISTENT_CHOICE),
    ("position", "B", ": A", R.INCONSISTENT_CHOICE),
    ("position", "B", ": Left or Right", R.MULTIPLE_ANSWERS),
    ("crop", "B", ": C", R.INCONSISTENT_CHOICE),
    ("flip", "3-0", ": horizontal", R.INCONSISTENT_CHOICE),
    ("flip", "3-0", " = 3-1", R.INCONSISTENT_CHOICE),
    ("shuffle", "0-2-3-1", " = 0-3-2-1", R.INCONSISTENT_CHOICE),
    # honest twins
    ("position", "B", ": Right", R.CORRECT),
    ("position", "B", " = Right", R.CORRECT),
    ("position", "B", ", i.e. Right", R.CORRECT),
    ("position", "B", " - Right", R.CORRECT),
    ("position", "B", " （Right）", R.CORRECT),
    ("position", "B", "【Right】", R.CORRECT),
    ("position", "B", " \\text{(Right)}", R.CORRECT),
    ("position", "B", ": **Right**", R.CORRECT),
    ("position", "B", ", not Left", R.CORRECT),
    ("position", "B", " because A is too dark", R.CORRECT),
    ("position", "B", ". Left was tempting, but the camera faces away.", R.CORRECT),
    ("position", "B", ".\n\nLeft would need the camera to face me.", R.CORRECT),
    ("position", "B", " - the region is to the right", R.CORRECT),
    ("crop", "B", ": the patch with the sky", R.CORRECT),
    ("crop", "B", " \udc00", R.CORRECT),
    ("flip", "3-0", ": vertical", R.CORRECT),
    ("flip", "3-0", " - the patch is upside down", R.CORRECT),
    ("shuffle", "0-2-3-1", " = 0, 2, 3, 1", R.CORRECT),
    ("shuffle", "0-2-3-1", ", where 0 is the top-left patch", R.CORRECT),
]


@pytest.mark.parametrize(("task", "truth", "after", "reason"), _AFTER_THE_BOX)
def test_the_clause_after_the_box_is_read_in_any_spelling(
    task: str, truth: str, after: str, reason: sr.Reason
) -> None:
    answer = {"position": "B", "crop": "B", "flip": "3-0", "shuffle": "0-2-3-1"}[task]
    result = _score(f"{THINK}$\\boxed{{{answer}}}{after}", truth, task)
    assert result.reason is reason, (after, result.reason)
    assert result.accuracy == (1.0 if reason is R.CORRECT else 0.0)


# A parenthesis after the box is read to its matching bracket, nesting included: an
# alternative in it, or in a parenthesis nested in it, is a hedge (audit seed 2).
_NESTED_AFTER_THE_BOX = [
    ("flip", "3-0", "3-vertical", " (or possibly 2 (horizontal))", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", "3-vertical", " or possibly 2 (horizontal)", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", "3-0", " (vertical (or 2-1))", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", "3-0", " (or, in words, 2 (vertical))", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", "3-0", " [or [2-1]]", R.MULTIPLE_ANSWERS),
    ("crop", "B", "B", " (or possibly C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "B", " ((or C))", R.MULTIPLE_ANSWERS),
    ("crop", "B", "B", " (or, C)", R.MULTIPLE_ANSWERS),
    ("crop", "B", "B", " (maybe (C))", R.MULTIPLE_ANSWERS),
    ("crop", "B", "B", " （or possibly （C））", R.MULTIPLE_ANSWERS),
    ("position", "B", "B", " (Right (or Left))", R.MULTIPLE_ANSWERS),
    ("position", "B", "B", " (Right [or Left])", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", "0-2-3-1", " (or possibly (0-3-2-1))", R.MULTIPLE_ANSWERS),
    # honest twins: the same answer again, or prose, in nested brackets
    ("flip", "3-0", "3-vertical", " (or possibly 3 (vertical))", R.CORRECT),
    ("flip", "3-0", "3-vertical", " or possibly 3 (vertical).", R.CORRECT),
    ("flip", "3-0", "3-0", " (vertical (upside down))", R.CORRECT),
    ("flip", "3-0", "3-0", " (or, in words, 3 (vertical))", R.CORRECT),
    ("crop", "B", "B", " ((or B))", R.CORRECT),
    ("crop", "B", "B", " (or [B])", R.CORRECT),
    ("crop", "B", "B", " (or a similar patch (the sky))", R.CORRECT),
    ("shuffle", "0-2-3-1", "0-2-3-1", " (or, with commas, (0, 2, 3, 1))", R.CORRECT),
]


@pytest.mark.parametrize(("task", "truth", "answer", "after", "reason"), _NESTED_AFTER_THE_BOX)
def test_a_parenthesis_after_the_box_is_read_to_its_matching_bracket(
    task: str, truth: str, answer: str, after: str, reason: sr.Reason
) -> None:
    result = _score(f"{THINK}\\boxed{{{answer}}}{after}", truth, task)
    assert result.reason is reason, (after, result.reason)
    assert result.accuracy == (1.0 if reason is R.CORRECT else 0.0)


# Red-team pass: spellings of a second answer after the box that were paid.
_MORE_AFTER_THE_BOX = [
    # a bare second answer alone after a sentence end, on its own line or after `;`
    ("crop", "B", "; C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\n\nFinal answer: C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\nC", R.MULTIPLE_ANSWERS),
    ("crop", "B", " ... C?", R.MULTIPLE_ANSWERS),
    ("crop", "B", ". Therefore, C.", R.MULTIPLE_ANSWERS),
    ("crop", "B", ".\n\nA or C", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", ".\n\n2-1", R.MULTIPLE_ANSWERS),
    # the logical or, conjunctions before an opener, "either"
    ("crop", "B", " $\\vee$ C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\lor C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " ∨ C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " but maybe C", R.MULTIPLE_ANSWERS),
    ("crop", "B", ", though possibly C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " either B or C", R.MULTIPLE_ANSWERS),
    # closing braces, escaped braces, line breaks inside the parenthesis, LaTeX spacing
    ("crop", "B", "}} or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\{or C\\}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " (\nor C\n)", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\hspace{1em} or C", R.MULTIPLE_ANSWERS),
    # an invisible character parting two words, or a full-width answer tag
    ("crop", "B", " or\u200bC", R.MULTIPLE_ANSWERS),
    ("crop", "B", " (or\u00adC)", R.MULTIPLE_ANSWERS),
    ("crop", "B", " ＜answer＞C＜/answer＞", R.INCONSISTENT_CHOICE),
    # more LaTeX boxes: containers beside a differing box
    ("crop", "B", " \\shadowbox{C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\doublebox{C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\bbox[yellow]{C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\framebox(20,10){C}", R.MULTIPLE_ANSWERS),
    # an arrow, an equivalence, other dashes or quotes, an HTML break before option text
    ("position", "B", "→Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " => Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " -> Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " \\Rightarrow \\text{Left}", R.INCONSISTENT_CHOICE),
    ("position", "B", " \\to Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " ≡ Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " ⟶ Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " ― Left", R.INCONSISTENT_CHOICE),
    ("position", "B", " « Left »", R.INCONSISTENT_CHOICE),
    ("position", "B", " „Left“", R.INCONSISTENT_CHOICE),
    ("position", "B", "<br>Left", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", " ---> 0-3-2-1", R.INCONSISTENT_CHOICE),
    ("shuffle", "0-2-3-1", " (0 \\to 3 \\to 2 \\to 1)", R.INCONSISTENT_CHOICE),
    ("position", "B", "→Right", R.CORRECT),
    ("position", "B", " \\Rightarrow \\text{Right}", R.CORRECT),
    ("position", "B", " ⇒ the region is to the right", R.CORRECT),
    ("position", "B", " « Right »", R.CORRECT),
    ("position", "B", "<br>Left was tempting, but no.", R.CORRECT),
    ("shuffle", "0-2-3-1", " => 0, 2, 3, 1", R.CORRECT),
    ("shuffle", "0-2-3-1", " (0 \\to 2 \\to 3 \\to 1)", R.CORRECT),
    # an alternative offering part of another answer, or a questioned annotation
    ("flip", "3-0", " (or possibly 2)", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " or patch 2", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " (or horizontally)", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " or maybe horizontal", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", ": or 1", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " (horizontal?)", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " (2?)", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", " (0-3-2-1?)", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", " (or vertically)", R.CORRECT),
    ("flip", "3-0", " (or simply 3)", R.CORRECT),
    ("flip", "3-0", " (vertical?)", R.CORRECT),
    ("flip", "3-0", " (or 3, vertical)", R.CORRECT),
    ("shuffle", "0-2-3-1", " (or 2 before 3)", R.CORRECT),
    ("shuffle", "0-2-3-1", " (0-2-3-1?)", R.CORRECT),
    # LaTeX that shows its text: math delimiters, scripts, layout and size commands
    ("crop", "B", " $\\text{or}$ $C$", R.MULTIPLE_ANSWERS),
    ("crop", "B", "$ $or$ $C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "^{or C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\textsuperscript{or C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\footnote{or C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\underbrace{or C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\text{\\small or C}", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\newline or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\hfill or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\footnote{The hole is square.}", R.CORRECT),
    ("crop", "B", " \\tag{1}", R.CORRECT),
    ("crop", "B", " \\small (final)", R.CORRECT),
    ("crop", "B", " but maybe I am wrong", R.CORRECT),
    ("crop", "B", " (maybe 2 patches fit, but B is best)", R.CORRECT),
    ("crop", "B", "$ $ is the answer", R.CORRECT),
    # control characters and other spaces, read like invisible characters and spaces
    ("crop", "B", " o\x00r C", R.MULTIPLE_ANSWERS),
    ("crop", "B", " or\x00C", R.MULTIPLE_ANSWERS),
    ("crop", "B", ":\x7fC", R.INCONSISTENT_CHOICE),
    ("crop", "B", " o\u17b4r C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\u1680or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\u2028or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\x85or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\x00", R.CORRECT),
    ("crop", "B", " because\x00 it fits", R.CORRECT),
    ("crop", "B", "\u2028or B", R.CORRECT),
    # environments and angle brackets after the box
    ("crop", "B", " \\begin{center}or C\\end{center}", R.MULTIPLE_ANSWERS),
    ("crop", "B", "\\begin{array}{c}\\text{or } C\\end{array}", R.MULTIPLE_ANSWERS),
    ("crop", "B", " \\langle or C\\rangle", R.MULTIPLE_ANSWERS),
    ("crop", "B", " ⟨or C⟩", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", " ⟨0, 3, 2, 1⟩", R.INCONSISTENT_CHOICE),
    ("crop", "B", "\\begin{center}B\\end{center}", R.CORRECT),
    ("shuffle", "0-2-3-1", " \\langle 0, 2, 3, 1\\rangle", R.CORRECT),
    # honest twins
    ("crop", "B", "; B", R.CORRECT),
    ("crop", "B", "\n\nFinal answer: B", R.CORRECT),
    ("crop", "B", " ... B?", R.CORRECT),
    ("crop", "B", ". Therefore, B.", R.CORRECT),
    ("crop", "B", ". C is wrong.", R.CORRECT),
    ("crop", "B", "; not C", R.CORRECT),
    ("crop", "B", "\n\nThe other options (A, C, D) do not fit.", R.CORRECT),
    ("crop", "B", ".\n\nA. The first candidate is too dark.\nC. Too bright.", R.CORRECT),
    ("crop", "B", ". Option C was close, but no.", R.CORRECT),
    ("crop", "B", " \\vee B", R.CORRECT),
    ("crop", "B", " but not C", R.CORRECT),
    ("crop", "B", ", though possibly not", R.CORRECT),
    ("crop", "B", " either way, B is right", R.CORRECT),
    ("crop", "B", " \\{B\\}", R.CORRECT),
    ("crop", "B", " (\nor B\n)", R.CORRECT),
    ("crop", "B", " or\u200bB", R.CORRECT),
    ("crop", "B", " \\shadowbox{B}", R.CORRECT),
    ("crop", "B", " \\bbox[yellow]{B}", R.CORRECT),
    ("crop", "B", " \\framebox(20,10){B}", R.CORRECT),
    ("flip", "3-0", ".\n\n3 is the flipped patch.", R.CORRECT),
]


@pytest.mark.parametrize(("task", "truth", "after", "reason"), _MORE_AFTER_THE_BOX)
def test_a_second_answer_after_the_box_in_more_spellings(
    task: str, truth: str, after: str, reason: sr.Reason
) -> None:
    result = _score(f"{THINK}\\boxed{{{truth}}}{after}", truth, task)
    assert result.reason is reason, (after, result.reason)
    assert result.accuracy == (1.0 if reason is R.CORRECT else 0.0)


@pytest.mark.parametrize(
    "box", ["\\shadowbox{B}", "\\doublebox{B}", "\\bbox[yellow]{B}", "\\framebox(20,10)[c]{B}"]
)
def test_more_latex_boxes_are_answers_only_with_fbox(box: str) -> None:
    assert _score(f"{THINK}{box}", "B", "crop").reason is R.CORRECT
    off = sr.RewardConfig(fbox=False)
    assert _score(f"{THINK}{box}", "B", "crop", config=off).reason is R.NO_ANSWER


_BEFORE_THE_BOX = [
    ("A or \\boxed{B}", R.MULTIPLE_ANSWERS),
    ("A/\\boxed{B}", R.MULTIPLE_ANSWERS),
    ("Either A or $\\boxed{B}$", R.MULTIPLE_ANSWERS),
    ("Left or \\boxed{B}", R.MULTIPLE_ANSWERS),
    ("**A** or **\\boxed{B}**", R.MULTIPLE_ANSWERS),
    ("A 或 \\boxed{B}", R.MULTIPLE_ANSWERS),
    ("A | \\boxed{B}", R.MULTIPLE_ANSWERS),
    # honest twins: the same answer, or "or" in a clause that ends before the box
    ("B or \\boxed{B}", R.CORRECT),
    ("Right or \\boxed{B}", R.CORRECT),
    ("Not A or C, so \\boxed{B}", R.CORRECT),
    ("A or C? Neither: \\boxed{B}", R.CORRECT),
    ("Options A or C are wrong; \\boxed{B}", R.CORRECT),
    ("A or C would be wrong, so the answer is \\boxed{B}", R.CORRECT),
    ("Either way, \\boxed{B}", R.CORRECT),
]


@pytest.mark.parametrize(("text", "reason"), _BEFORE_THE_BOX)
def test_an_alternative_joined_to_the_front_of_the_box(text: str, reason: sr.Reason) -> None:
    result = _score(f"{THINK}{text}")
    assert result.reason is reason, (text, result.reason)
    assert result.accuracy == (1.0 if reason is R.CORRECT else 0.0)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("B => Right", R.CORRECT), ("B → Right", R.CORRECT), ("B \\to Right", R.CORRECT),
     ("B \\Rightarrow Right", R.CORRECT), ("B->Right", R.CORRECT),
     ("B => Left", R.INCONSISTENT_CHOICE), ("B → Left", R.INCONSISTENT_CHOICE),
     ("A => Right", R.INCONSISTENT_CHOICE), ("B -> A", R.MULTIPLE_ANSWERS),
     ("B => Right or Left", R.MULTIPLE_ANSWERS)],
)  # fmt: skip
def test_a_letter_and_its_option_text_behind_an_arrow(answer: str, reason: sr.Reason) -> None:
    result = _score(f"{THINK}\\boxed{{{answer}}}")
    assert result.reason is reason, (answer, result.reason)


def test_nested_brackets_after_the_box_are_read_in_bounded_time() -> None:
    """A deep or unclosed nest after the box is read within the bounded window."""
    cfg = sr.RewardConfig(max_chars=400_000)
    for after in (" " + "(" * 100_000 + "or C" + ")" * 100_000, " (" * 100_000 + "or C"):
        assert _score(f"{THINK}\\boxed{{B}}{after}", config=cfg).accuracy in (0.0, 1.0)


def test_the_clause_after_the_box_is_read_in_bounded_time() -> None:
    after = ": " + "\\text{" * 20_000 + "Left" + "}" * 20_000
    cfg = sr.RewardConfig(max_chars=200_000)
    assert _score(f"{THINK}\\boxed{{B}}{after}", config=cfg).accuracy in (0.0, 1.0)


@pytest.mark.parametrize(
    "other",
    ["\\boxed" + " " * 300 + "{A}", "\\colorbox{red}" + " " * 300 + "{A}",
     "\\framebox" + " " * 300 + "[1cm]{A}", "<ANSWER" + " " * 300 + ">A</ANSWER>"],
)  # fmt: skip
def test_a_container_spread_by_whitespace_is_still_a_hedge(other: str) -> None:
    assert _score(f"{THINK}\\boxed{{B}} {other}").reason is R.MULTIPLE_ANSWERS


@pytest.mark.parametrize(
    "unit", ["\\colorbox{", "\\colorbox{x}   ", "\\fcolorbox{a}   {", "\\framebox[  ", "<Answer a "]
)
def test_container_floods_grow_linearly(unit: str) -> None:
    """Eight times the flood costs about eight times the time (a ratio, not a time)."""
    cfg = sr.RewardConfig(max_chars=2_000_000)

    def cost(size: int) -> float:
        text = THINK + unit * (size // len(unit)) + "\\boxed{B}"
        best = float("inf")
        for _ in range(5):  # the best of five: other processes share the cores
            start = time.perf_counter()
            sr.parse_envelope(text, cfg)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = cost(50_000), cost(400_000)
    assert large < 24 * small + 0.005  # linear is 8x, quadratic 64x

"""Table-driven notation tests per task: what pays, what does not, and why."""

from __future__ import annotations

import itertools

import pytest

import ssrl_rewards as sr
from tests.strategies import CROP_PROMPT, POSITION_TEMPLATE, STRATEGIES, Case

R = sr.Reason
POSITION = POSITION_TEMPLATE.format(options="A. Left B. Right C. Front D. Back")
COMPOUND = POSITION_TEMPLATE.format(
    options="A. Right-Front B. Left-Back C. Left-Front D. Right-Back"
)
# A prompt listing one option text twice: the text alone cannot say which letter it means.
REPEATED = POSITION_TEMPLATE.format(options="A. Left B. Right C. Left D. Front")


def _score(
    answer: str, truth: object, task: str | None, prompt: str | None = None
) -> sr.RewardResult:
    return sr.score(
        f"<think>I compare them.</think> \\boxed{{{answer}}}", truth, task, prompt=prompt
    )


RIGHT = [
    # shuffle, truth 0-2-3-1
    ("shuffle", "0-2-3-1", None, answer)
    for answer in [
        "0-2-3-1",
        "0 - 2 - 3 - 1",
        "0, 2, 3, 1",
        "0,2,3,1",
        "0 2 3 1",
        "[0, 2, 3, 1]",
        "(0,2,3,1)",
        "{0-2-3-1}",
        "0→2→3→1",
        "0 -> 2 -> 3 -> 1",
        "0–2–3–1",
        "0—2—3—1",
        "0−2−3−1",
        "0231",
        "０-２-３-１",
        "$0-2-3-1$",
        "\\text{0-2-3-1}",
        "0-2-3-1.",
        " 0-2-3-1 ",
        "0\u200b-2-3-1",
        "0 \\to 2 \\to 3 \\to 1",
    ]
] + [
    ("shuffle", "1-2-0", None, "1, 2, 0"),
    ("shuffle", "1-2-0", None, "120"),
    ("depth", "3-1-2", None, "3-1-2"),
    ("depth", "3-1-2", None, "3, 1, 2"),
    ("depth", "3-1-2", None, "312"),
    ("depth", "3-1-2", None, "[3,1,2]"),
    ("depth", "3-1-2", None, "③-①-②"),
    ("flip", "3-0", None, "3-0"),
    ("flip", "3-0", None, "3, 0"),
    ("flip", "3-0", None, "(3, 0)"),
    ("flip", "3-0", None, "30"),
    ("flip", "3-0", None, "3-vertical"),
    ("flip", "2-1", None, "2, horizontally"),
    ("crop", "B", CROP_PROMPT, "B"),
    ("crop", "B", CROP_PROMPT, "b"),
    ("crop", "B", CROP_PROMPT, "(B)"),
    ("crop", "B", CROP_PROMPT, "B."),
    ("crop", "B", CROP_PROMPT, "B)"),
    ("crop", "B", CROP_PROMPT, "B:"),
    ("crop", "B", CROP_PROMPT, "Option B"),
    ("crop", "B", CROP_PROMPT, "The answer is B"),
    ("crop", "B", CROP_PROMPT, "\\text{B}"),
    ("crop", "B", CROP_PROMPT, "Ｂ"),
    ("crop", "B", CROP_PROMPT, "B) a patch with a sky"),  # 'a' as an article
    ("position", "B", POSITION, "B"),
    ("position", "B", POSITION, "B. Right"),
    ("position", "B", POSITION, "B) Right"),
    ("position", "B", POSITION, "(B) Right"),
    ("position", "B", POSITION, "B: right"),
    ("position", "B", POSITION, "Right"),
    ("position", "B", POSITION, "right"),
    ("position", "B", POSITION, "\\text{Right}"),
    ("position", "C", COMPOUND, "Left-Front"),
    ("position", "C", COMPOUND, "left front"),
    ("position", "C", COMPOUND, "Front-Left"),
    ("position", "C", COMPOUND, "C. Left-Front"),
    ("choice", "D", None, "D"),
    ("choice", "D", None, "(d)"),
]

# Notations added in 0.x (each row failed before): word-first flips, direction words as
# annotations, one Markdown/quote/font wrapper, letters with bracketed option text.
RIGHT += [
    ("shuffle", "0-2-3-1", None, "0\\text{-}2\\text{-}3\\text{-}1"),
    ("shuffle", "0-2-3-1", None, "0\\text{ - }2\\text{ - }3\\text{ - }1"),
    ("shuffle", "0-2-3-1", None, "'0-2-3-1'"),
    ("shuffle", "0-2-3-1", None, "**0-2-3-1**"),
    ("shuffle", "0-2-3-1", None, "0231 0231"),  # the same answer twice is not a hedge
    ("depth", "3-1-2", None, "3 -> 1 -> 2"),
    ("depth", "3-1-2", None, "3 \\rightarrow 1 \\rightarrow 2"),
    ("depth", "3-1-2", None, "3 ⟶ 1 ⟶ 2"),
    ("flip", "0-1", None, "horizontal, 0"),  # a direction word fills the direction slot
    ("flip", "0-1", None, "Horizontally 0"),
    ("flip", "0-1", None, "0 (horizontal)"),
    ("flip", "0-1", None, "01"),  # concatenated single digits, as `30`
    ("flip", "3-0", None, "vertical 3"),
    ("flip", "3-0", None, "vertical, 3"),
    ("flip", "3-0", None, "vertical-3"),
    ("flip", "3-0", None, "(3, vertical)"),
    ("flip", "3-0", None, "3-0 (vertical)"),
    ("flip", "3-0", None, "3-0 vertically"),
    ("flip", "3-0", None, "vertical, 3-0"),
    ("flip", "3-0", None, "3 vertical, 3 vertical"),
    ("flip", "2-1", None, "2-1 (horizontal)"),
    ("flip", "2-1", None, "2-1 [horizontally]"),
    ("flip", "2-1", None, "2, 1 (horizontal)"),
    ("crop", "B", CROP_PROMPT, "**B**"),
    ("crop", "B", CROP_PROMPT, "**B**."),
    ("crop", "B", CROP_PROMPT, "__B__"),
    ("crop", "B", CROP_PROMPT, "*B*"),
    ("crop", "B", CROP_PROMPT, "`B`"),
    ("crop", "B", CROP_PROMPT, "'B'"),
    ("crop", "B", CROP_PROMPT, '"B"'),
    ("crop", "B", CROP_PROMPT, "“B”"),
    ("crop", "B", CROP_PROMPT, "\\textit{B}"),
    ("crop", "B", CROP_PROMPT, "\\texttt{B}"),
    ("crop", "B", CROP_PROMPT, "\\mathsf{B}"),
    ("crop", "B", CROP_PROMPT, "\\emph{B}"),
    ("crop", "B", CROP_PROMPT, "B (the rotated patch)"),
    ("crop", "B", CROP_PROMPT, "the rotated patch (B)"),
    ("position", "B", POSITION, "B (Right)"),
    ("position", "B", POSITION, "B. (Right)"),
    ("position", "B", POSITION, "(B) (right)"),
    ("position", "B", POSITION, "Right (B)"),
    ("position", "B", POSITION, "Right [B]"),
    ("position", "B", POSITION, "right (b)."),
    ("position", "B", POSITION, "**Right**"),
    ("position", "B", POSITION, '"Right"'),
    ("position", "C", COMPOUND, "Left-Front (C)"),
    ("position", "C", COMPOUND, "C (Front-Left)"),
    ("position", "C", REPEATED, "C"),
    ("position", "C", REPEATED, "C. Left"),
    ("position", "C", REPEATED, "C (Left)"),
    ("position", "C", REPEATED, "Left (C)"),
    ("position", "B", REPEATED, "Right"),  # a text listed once still names its letter
]

WRONG = [
    ("shuffle", "0-2-3-1", None, "0-3-2-1", R.WRONG),
    ("shuffle", "0-2-3-1", None, "1-1-2-0", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "0-2-3", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "1-2-3-4", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "0-2-3-1-4", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "0-2-3-1 or 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1, 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1; 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1 / 1-3-2-0", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "-6", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "TopLeft: 0, TopRight: 2", R.UNPARSEABLE),
    ("shuffle", "0-2-3-1", None, "٠-٢-٣-١", R.UNPARSEABLE),
    ("shuffle", "0-2-3-1", None, "", R.NO_ANSWER),  # an empty box is no answer
    ("shuffle", "0-2-3-1", None, "0-2-3-" + "1" * 50, R.NOT_IN_ANSWER_SPACE),
    ("depth", "3-1-2", None, "2-1-0", R.NOT_IN_ANSWER_SPACE),
    ("depth", "3-1-2", None, "0-1-2", R.NOT_IN_ANSWER_SPACE),
    ("depth", "3-1-2", None, "3-2-1", R.WRONG),
    ("depth", "3-1-2", None, "3-1", R.NOT_IN_ANSWER_SPACE),
    ("flip", "2-1", None, "1-0", R.WRONG),
    ("flip", "3-0", None, "4-0", R.NOT_IN_ANSWER_SPACE),
    ("flip", "3-0", None, "3-2", R.NOT_IN_ANSWER_SPACE),
    ("flip", "3-0", None, "3", R.NOT_IN_ANSWER_SPACE),
    ("flip", "3-0", None, "3-0 or 3-1", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3-0, 3-1", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "A", R.WRONG),
    ("crop", "B", CROP_PROMPT, "E", R.NOT_IN_ANSWER_SPACE),
    ("crop", "B", CROP_PROMPT, "A or B", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "A, B", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B/C", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "A B C D", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "(A) and (B)", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B. or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "(B) or option a", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B: option a", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B) or else a", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "b -> a", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B. or c", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B) maybe d", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "Option B or option C", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "B. Right/Front", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "Right, or C", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "В", R.NOT_IN_ANSWER_SPACE),  # Cyrillic Ve
    ("crop", "B", CROP_PROMPT, "Β", R.NOT_IN_ANSWER_SPACE),  # Greek Beta
    ("crop", "B", CROP_PROMPT, "the second image", R.UNPARSEABLE),
    ("position", "B", POSITION, "B. Left", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "A. Right", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "B. Upward", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "Left or Right", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "Right/Left", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "B. Right or A. Left", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "Up", R.NOT_IN_ANSWER_SPACE),
    ("position", "B", POSITION, "Left", R.WRONG),
    ("position", "C", COMPOUND, "Left", R.NOT_IN_ANSWER_SPACE),
    ("position", "C", COMPOUND, "Left-Front or Right-Front", R.MULTIPLE_ANSWERS),
]

# Rows whose verdict changed in 0.x: each paid, or gave another reason, before.
WRONG += [
    # a direction word before the label is still the direction (this paid truth 1-0)
    ("flip", "1-0", None, "horizontal, 0", R.WRONG),
    ("flip", "3-0", None, "horizontal 3", R.WRONG),
    ("flip", "3-0", None, "horizontal, 3", R.WRONG),
    ("flip", "3-0", None, "3-1 (vertical)", R.INCONSISTENT_CHOICE),
    ("flip", "3-0", None, "3-00", R.NOT_IN_ANSWER_SPACE),
    ("flip", "3-0", None, "0 vertical", R.WRONG),
    # a word beside both numbers must agree with the direction digit
    ("flip", "2-1", None, "2-1 (vertical)", R.INCONSISTENT_CHOICE),
    ("flip", "2-0", None, "2-0 horizontally", R.INCONSISTENT_CHOICE),
    ("flip", "2-1", None, "vertical 2-1", R.INCONSISTENT_CHOICE),
    ("flip", "2-1", None, "2-3 (horizontal)", R.NOT_IN_ANSWER_SPACE),
    ("flip", "3-0", None, "3 vertical 0", R.UNPARSEABLE),  # which number is the label?
    ("flip", "3-0", None, "vertical", R.NOT_IN_ANSWER_SPACE),
    # two directions, or two answers, named
    ("flip", "3-0", None, "3-vertical-horizontal", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3 (vertical) horizontal", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3 vertical, 2 vertical", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3-0 and 3-1", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3-0 & 3-1", R.MULTIPLE_ANSWERS),
    ("flip", "3-0", None, "3-0 and/or 3-1", R.MULTIPLE_ANSWERS),
    # labels with leading zeros: `01` may mean "0 or 1"
    ("flip", "2-1", None, "2-01", R.NOT_IN_ANSWER_SPACE),
    ("flip", "2-0", None, "2-00", R.NOT_IN_ANSWER_SPACE),
    ("flip", "2-0", None, "02-0", R.NOT_IN_ANSWER_SPACE),
    ("flip", "2-0", None, "2-00 (vertical)", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "00-2-3-1", R.NOT_IN_ANSWER_SPACE),
    ("shuffle", "0-2-3-1", None, "0-02-3-1", R.NOT_IN_ANSWER_SPACE),
    ("depth", "3-1-2", None, "03-1-2", R.NOT_IN_ANSWER_SPACE),
    # inequality chains are not arrows: `2 > 1 > 3` may list the labels either way
    ("depth", "2-1-3", None, "2 > 1 > 3", R.UNPARSEABLE),
    ("depth", "3-1-2", None, "3 > 1 > 2", R.UNPARSEABLE),
    ("depth", "3-1-2", None, "2 < 1 < 3", R.UNPARSEABLE),
    ("depth", "2-1-3", None, "3 < 1 < 2", R.UNPARSEABLE),
    ("depth", "2-1-3", None, "2 < 1 < 3", R.UNPARSEABLE),
    ("depth", "2-1-3", None, "2 >= 1 >= 3", R.UNPARSEABLE),
    ("depth", "2-1-3", None, "2 <- 1 <- 3", R.UNPARSEABLE),
    ("shuffle", "0-2-3-1", None, "0 > 2 > 3 > 1", R.UNPARSEABLE),
    ("shuffle", "0-2-3-1", None, "0>2>3>1", R.UNPARSEABLE),
    ("shuffle", "0-2-3-1", None, "<0>2>3>1>", R.UNPARSEABLE),
    # `and`, `&`, `and/or` join two answers like `or`
    ("shuffle", "0-2-3-1", None, "0-2-3-1 and 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1 AND 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1 & 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0-2-3-1 and/or 0-3-2-1", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0231 0321", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "0231, 0321", R.MULTIPLE_ANSWERS),
    ("depth", "3-1-2", None, "312 321", R.MULTIPLE_ANSWERS),
    ("shuffle", "0-2-3-1", None, "'0-2-3-1' or '0-3-2-1'", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "A & B", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "A and/or B", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "**A** or **B**", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, '"B" or "C"', R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B (C)", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "B (or option a)", R.MULTIPLE_ANSWERS),
    ("crop", "B", CROP_PROMPT, "the patch (A)", R.WRONG),
    ("position", "B", POSITION, "Left & Right", R.MULTIPLE_ANSWERS),
    ("position", "B", POSITION, "Right (B) or Left (A)", R.MULTIPLE_ANSWERS),
    # a letter with bracketed text: the text must be the letter's option
    ("position", "B", POSITION, "Right (A)", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "A (Right)", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "B (Left)", R.INCONSISTENT_CHOICE),
    ("position", "B", POSITION, "Left (B)", R.INCONSISTENT_CHOICE),
    # an option text listed under two letters names both: a hedge unless a letter decides
    ("position", "C", REPEATED, "Left", R.MULTIPLE_ANSWERS),  # paid before
    ("position", "A", REPEATED, "Left", R.MULTIPLE_ANSWERS),
    ("position", "A", REPEATED, "left", R.MULTIPLE_ANSWERS),
    ("position", "A", REPEATED, "C. Left", R.WRONG),
    ("position", "C", REPEATED, "B. Left", R.INCONSISTENT_CHOICE),
    ("position", "C", REPEATED, "Left (B)", R.INCONSISTENT_CHOICE),
]


@pytest.mark.parametrize(("task", "truth", "prompt", "answer"), RIGHT)
def test_honest_notations_of_a_right_answer_pay(
    task: str, truth: str, prompt: str | None, answer: str
) -> None:
    result = _score(answer, truth, task, prompt)
    assert (result.accuracy, result.reason, result.score) == (1.0, R.CORRECT, 1.0), answer
    assert result.pred == truth


@pytest.mark.parametrize(("task", "truth", "prompt", "answer", "reason"), WRONG)
def test_wrong_invalid_hedged_and_inconsistent_answers_pay_nothing(
    task: str, truth: str, prompt: str | None, answer: str, reason: sr.Reason
) -> None:
    for credit in ("exact", "positionwise", "kendall"):
        result = sr.score(
            f"<think>I compare them.</think> \\boxed{{{answer}}}",
            truth,
            task,
            prompt=prompt,
            config=sr.RewardConfig(credit=credit),
        )
        if reason is R.WRONG and credit != "exact":
            assert result.accuracy < 1.0
            continue
        assert (result.accuracy, result.reason) == (0.0, reason), (answer, credit)
        assert result.score == pytest.approx(0.1 * result.format)
        # the format is still right, except for an empty box, which is no answer at all; a
        # hedge inside one box may fail the format too (that is the reward's policy, not
        # the parser's, so it is not pinned here)
        if reason is R.NO_ANSWER:
            assert result.format == 0.0
        elif reason is not R.MULTIPLE_ANSWERS:
            assert result.format == 1.0


@pytest.mark.parametrize(
    ("task", "truth", "answer", "credit", "expected"),
    [
        ("shuffle", "0-2-3-1", "0-2-1-3", "positionwise", 0.5),
        ("shuffle", "0-2-3-1", "0-2-1-3", "kendall", 1 - 1 / 6),
        ("shuffle", "0-2-3-1", "1-3-2-0", "positionwise", 0.0),
        ("shuffle", "0-2-3-1", "1-3-2-0", "kendall", 0.0),
        ("depth", "3-1-2", "3-2-1", "positionwise", 1 / 3),
        ("depth", "3-1-2", "3-2-1", "kendall", 2 / 3),
        ("flip", "3-0", "3-1", "positionwise", 0.5),
        ("flip", "3-0", "2-0", "kendall", 0.5),
        ("flip", "3-0", "2-1", "positionwise", 0.0),
        ("crop", "B", "A", "positionwise", 0.0),
        ("position", "B", "C", "kendall", 0.0),
    ],
)
def test_partial_credit(task: str, truth: str, answer: str, credit: str, expected: float) -> None:
    result = sr.score(
        f"<think>x</think>\\boxed{{{answer}}}", truth, task, config=sr.RewardConfig(credit=credit)
    )
    assert result.accuracy == pytest.approx(expected)
    assert result.reason is (R.PARTIAL if expected else R.WRONG)


def test_option_text_needs_the_prompt() -> None:
    assert _score("Right", "B", "position", POSITION).accuracy == 1.0
    assert _score("Right", "B", "position", None).reason is R.UNPARSEABLE


def test_letter_with_text_is_trusted_when_no_options_are_known() -> None:
    assert _score("B. the rotated patch", "B", "crop", CROP_PROMPT).accuracy == 1.0
    assert _score("B. not A", "B", "crop", CROP_PROMPT).reason is R.MULTIPLE_ANSWERS


def test_options_are_read_from_chat_messages() -> None:
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": POSITION}]},
    ]
    assert _score("Right", "B", "position", messages).accuracy == 1.0  # type: ignore[arg-type]


def test_parse_options() -> None:
    assert sr.parse_options(POSITION) == {"A": "Left", "B": "Right", "C": "Front", "D": "Back"}
    assert sr.parse_options(COMPOUND) == {
        "A": "Right-Front",
        "B": "Left-Back",
        "C": "Left-Front",
        "D": "Right-Back",
    }
    assert sr.parse_options(CROP_PROMPT) is None
    assert sr.parse_options(None) is None


def test_parse_options_hands_out_a_copy_of_its_cached_parse() -> None:
    options = sr.parse_options(POSITION)
    assert options is not None
    options["B"] = "Left"
    assert sr.parse_options(POSITION) == {"A": "Left", "B": "Right", "C": "Front", "D": "Back"}
    assert _score("Right", "B", "position", POSITION).accuracy == 1.0


def test_a_direction_word_before_the_label_is_the_direction() -> None:
    """`horizontal, 0` is patch 0 flipped horizontally (0-1), with the task inferred too."""
    completion = "<think>r</think> \\boxed{horizontal, 0}"
    assert sr.score(completion, "0-1").accuracy == 1.0
    wrong = sr.score(completion, "1-0")  # read as `1, 0` before the fix, and paid
    assert (wrong.accuracy, wrong.reason, wrong.pred) == (0.0, R.WRONG, "0-1")


def test_no_flip_notation_of_another_answer_pays() -> None:
    """Every rendering (digits, words first or last, annotations) of every other answer."""
    space = [f"{label}-{direction}" for label in range(4) for direction in (0, 1)]
    for truth in space:
        for other in space:
            if other == truth:
                continue
            for notation in STRATEGIES["flip"].notations(Case(other, None)):
                result = _score(notation, truth, "flip")
                assert (result.accuracy, result.reason) == (0.0, R.WRONG), (truth, notation)


@pytest.mark.parametrize(
    ("task", "base", "n"), [("shuffle", 0, 4), ("shuffle", 0, 3), ("depth", 1, 3)]
)
def test_inequality_chains_never_pay(task: str, base: int, n: int) -> None:
    """`a > b > c` may list the labels in either order, so no chain is read as an ordering."""
    orderings = list(itertools.permutations(range(base, base + n)))
    for labels in orderings:
        for joiner in (" > ", ">", " < ", "<", " >= ", " <= ", " >> "):
            chain = joiner.join(map(str, labels))
            for truth in (labels, labels[::-1]):
                result = _score(chain, "-".join(map(str, truth)), task)
                assert (result.accuracy, result.reason) == (0.0, R.UNPARSEABLE), chain

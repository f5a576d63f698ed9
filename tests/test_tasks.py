"""Table-driven notation tests per task: what pays, what does not, and why."""

from __future__ import annotations

import pytest

import ssrl_rewards as sr
from tests.strategies import CROP_PROMPT, POSITION_TEMPLATE

R = sr.Reason
POSITION = POSITION_TEMPLATE.format(options="A. Left B. Right C. Front D. Back")
COMPOUND = POSITION_TEMPLATE.format(
    options="A. Right-Front B. Left-Back C. Left-Front D. Right-Back"
)


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
        # the format is still right, except for an empty box, which is no answer at all
        assert result.score == pytest.approx(0.0 if reason is R.NO_ANSWER else 0.1)


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

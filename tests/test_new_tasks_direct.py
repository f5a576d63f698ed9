"""Direct answers (`answer_format="direct"`), the `answer_only` format policy, several
acceptable answers (`{"answers": [...]}`) and the new credit modes through `score`."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr

R = sr.Reason
DIRECT = sr.RewardConfig(answer_format="direct")
ANSWER_ONLY = sr.RewardConfig(answer_format="direct", format_policy="answer_only")
R1 = sr.RewardConfig(answer_format="direct", format_policy="r1")
UNCHECKED = sr.RewardConfig(answer_format="direct", format_policy="none")
TRUTH = "3-4-1-5-6-2"

# (completion, config, accuracy, reason, format, format reason) for truth 3-4-1-5-6-2
DIRECT_ROWS = [
    ("<think>Clip 3 opens the scene.</think>341562", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think>\n3-4-1-5-6-2\n", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think> 3, 4, 1, 5, 6, 2.", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think> **3-4-1-5-6-2**", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think> \\boxed{3-4-1-5-6-2}", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think><answer>341562</answer>", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think><answer>341562</answer>", R1, 1.0, R.CORRECT, 1.0, R.OK),
    ("<think>x</think>341562", R1, 1.0, R.CORRECT, 0.0, R.BAD_ANSWER_TAG),
    ("341562", ANSWER_ONLY, 1.0, R.CORRECT, 1.0, R.OK),
    (" 3-4-1-5-6-2 ", ANSWER_ONLY, 1.0, R.CORRECT, 1.0, R.OK),
    ("341562", DIRECT, 1.0, R.CORRECT, 0.0, R.NO_THINK),  # strict wants reasoning
    ("341562", UNCHECKED, 1.0, R.CORRECT, 1.0, R.NOT_CHECKED),
    ("<think>x</think>341562", ANSWER_ONLY, 1.0, R.CORRECT, 0.0, R.FORMAT_MISMATCH),
    ("<think>x</think>3-4-1-5-2-6", DIRECT, 0.0, R.WRONG, 1.0, R.OK),
    # prose around the answer, hedges, answers only in the reasoning: nothing
    ("<think>x</think>3-4-1-5-6-2 because the car moves", DIRECT, 0.0, R.UNPARSEABLE, 1.0, R.OK),
    ("<think>x</think>The order is 3-4-1-5-6-2.", DIRECT, 1.0, R.CORRECT, 1.0, R.OK),  # lead-in
    ("<think>x</think>Clip 3 comes first: 3-4-1-5-6-2", DIRECT, 0.0, R.UNPARSEABLE, 1.0, R.OK),
    ("<think>x</think>3-4-1-5-6-2, since clip 3 is first", DIRECT, 0.0, R.UNPARSEABLE, 1.0, R.OK),
    ("<think>x</think>3-4-1-5-6-2\n\nI am fairly sure.", DIRECT, 0.0, R.UNPARSEABLE, 1.0, R.OK),
    (
        "<think>x</think>3-4-1-5-6-2 or 3-4-1-5-2-6",
        DIRECT,
        0.0,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_ANSWERS,
    ),
    ("<think>x</think>341562 341526", DIRECT, 0.0, R.MULTIPLE_ANSWERS, 0.0, R.MULTIPLE_ANSWERS),
    (
        "<think>x</think>\\boxed{341562} \\boxed{341526}",
        DIRECT,
        0.0,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_ANSWERS,
    ),
    ("<think>It is 3-4-1-5-6-2.</think>", DIRECT, 0.0, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>It is 3-4-1-5-6-2", DIRECT, 0.0, R.UNCLOSED_THINK, 0.0, R.UNCLOSED_THINK),
    (
        "<think>x</think> <think>3-4-1-5-6-2</think>",
        DIRECT,
        0.0,
        R.MULTIPLE_THINK,
        0.0,
        R.MULTIPLE_THINK,
    ),
    ("<think>x</think>3-4-1-5-6-2</think>", DIRECT, 0.0, R.MULTIPLE_THINK, 0.0, R.MULTIPLE_THINK),
    ("3-4-1-5-6-2 <think>x</think>", DIRECT, 0.0, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("3-4-1-5-6-2 <think>x</think> 3-4-1-5-6-2", DIRECT, 1.0, R.CORRECT, 0.0, R.TEXT_BEFORE_THINK),
    ("<think> </think>341562", DIRECT, 1.0, R.CORRECT, 0.0, R.EMPTY_THINK),
    ("<think>\u200b\u2800</think>341562", DIRECT, 1.0, R.CORRECT, 0.0, R.EMPTY_THINK),
    ("", ANSWER_ONLY, 0.0, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>", DIRECT, 0.0, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>" + "3-" * 600 + "3", DIRECT, 0.0, R.ANSWER_TOO_LONG, 0.0, R.ANSWER_TOO_LONG),
]


@pytest.mark.parametrize(
    ("completion", "config", "accuracy", "reason", "fmt", "fmt_reason"), DIRECT_ROWS
)
def test_direct_answers(
    completion: str,
    config: sr.RewardConfig,
    accuracy: float,
    reason: sr.Reason,
    fmt: float,
    fmt_reason: sr.Reason,
) -> None:
    result = sr.score(completion, TRUTH, "frame_order", config=config)
    assert (result.accuracy, result.reason) == (accuracy, reason), result
    assert (result.format, result.format_reason) == (fmt, fmt_reason), result
    assert result.score == pytest.approx(0.9 * accuracy + 0.1 * fmt)


@pytest.mark.parametrize(
    ("task", "truth", "answer", "reason"),
    [
        ("crop", "B", "B", R.CORRECT),
        ("crop", "B", "(B)", R.CORRECT),
        ("crop", "B", "A or B", R.MULTIPLE_ANSWERS),
        ("crop", "B", "B. not C", R.MULTIPLE_ANSWERS),
        ("flip", "3-0", "3-vertical", R.CORRECT),
        ("rotation", "90", "90°", R.CORRECT),
        ("numeric", "2.0 m", "200 cm", R.CORRECT),
        ("numeric", "2.0 m", "2 or 3 m", R.MULTIPLE_ANSWERS),
        ("numeric", "2.0 m", "It is about 2 m away.", R.UNPARSEABLE),
        ("object_count", "3", "3", R.CORRECT),
        ("shuffle", "0-2-3-1", "0231", R.CORRECT),
    ],
)
def test_direct_answers_for_every_kind_of_task(
    task: str, truth: str, answer: str, reason: sr.Reason
) -> None:
    result = sr.score(f"<think>I look.</think>{answer}", truth, task, config=DIRECT)
    assert result.reason is reason


def test_reasoning_tags_are_the_boxed_readers() -> None:
    # upper-case tags are text to both readers, so the completion is no answer
    upper = sr.score("<THINK>x</THINK>341562", TRUTH, "frame_order", config=ANSWER_ONLY)
    assert upper.accuracy == 0.0 and upper.format_reason is not R.FORMAT_MISMATCH
    spaced = sr.score("< think >x< / think >341562", TRUTH, "frame_order", config=DIRECT)
    assert (spaced.accuracy, spaced.format) == (1.0, 1.0)


def test_boxed_mode_is_unchanged_by_direct_answers() -> None:
    assert sr.score("<think>x</think>341562", TRUTH, "frame_order").reason is R.NO_ANSWER
    assert sr.RewardConfig().answer_format == "boxed"


@pytest.mark.parametrize(
    "fields",
    [
        {"mode": "paper", "answer_format": "direct"},
        {"format_policy": "answer_only"},
        {"answer_format": "plain"},
    ],
)
def test_configs_that_cannot_be_honoured_raise(fields: dict[str, object]) -> None:
    with pytest.raises(sr.ConfigError) as caught:
        sr.RewardConfig(**fields)
    assert any(str(value) in str(caught.value) for value in fields.values())


@given(st.text(max_size=200))
def test_direct_reading_never_raises(text: str) -> None:
    for config in (DIRECT, ANSWER_ONLY, R1, UNCHECKED):
        for completion in (text, f"<think>x</think>{text}", f"<think>{text}"):
            result = sr.score(completion, TRUTH, "frame_order", config=config)
            assert result.reason is not R.INTERNAL_ERROR
            assert 0.0 <= result.score <= 1.0


def test_direct_hostile_shapes_never_raise() -> None:
    for unit in ("<", "< ", "<think>", "</think>", "\\boxed{", "{", "<answer>", " " * 10):
        for config in (DIRECT, ANSWER_ONLY, R1):
            text = unit * 6000
            result = sr.score(text, TRUTH, "frame_order", config=config)
            assert result.reason is not R.INTERNAL_ERROR and result.accuracy == 0.0


# --- several acceptable answers ---------------------------------------------------------------

ANSWERS = {"task": "shuffle", "answers": ["0-2-3-1", "0-3-2-1"]}


@pytest.mark.parametrize("ground_truth", [ANSWERS, json.dumps(ANSWERS)])
@pytest.mark.parametrize(
    ("answer", "accuracy", "reason"),
    [
        ("0-2-3-1", 1.0, R.CORRECT),
        ("0, 3, 2, 1", 1.0, R.CORRECT),
        ("0-1-2-3", 0.0, R.WRONG),
        ("0-2-3-1 or 0-3-2-1", 0.0, R.MULTIPLE_ANSWERS),  # naming both is still a hedge
        ("0231 0321", 0.0, R.MULTIPLE_ANSWERS),
    ],
)
def test_any_one_of_several_answers_pays(
    ground_truth: object, answer: str, accuracy: float, reason: sr.Reason
) -> None:
    result = sr.score(f"<think>x</think> \\boxed{{{answer}}}", ground_truth)
    assert (result.accuracy, result.reason, result.task) == (accuracy, reason, "shuffle")
    assert str(result.ground_truth) == "0-2-3-1 | 0-3-2-1"


def test_several_answers_take_the_best_partial_credit_and_work_for_every_task() -> None:
    kendall = sr.RewardConfig(credit="kendall")
    best = sr.score("<think>x</think> \\boxed{0-2-1-3}", ANSWERS, config=kendall)
    assert best.accuracy == pytest.approx(5 / 6) and best.reason is R.PARTIAL
    letters = {"answers": ["B", "C"]}
    assert sr.score("<think>x</think> \\boxed{C}", letters, "crop").accuracy == 1.0
    assert sr.score("<think>x</think> \\boxed{B or C}", letters, "crop").accuracy == 0.0
    assert sr.score("<think>x</think> \\boxed{B} (or possibly C)", letters, "crop").accuracy == 0.0
    numbers = {"task": "numeric", "answers": ["2 m", "6 ft"]}
    assert sr.score("<think>x</think> \\boxed{183 cm}", numbers).accuracy == 1.0
    direct = sr.score("<think>x</think> 90°", {"answers": ["90", "270"]}, "rotation", config=DIRECT)
    assert direct.accuracy == 1.0


def test_paper_mode_pays_an_exact_match_with_any_answer_string() -> None:
    paper = sr.RewardConfig(mode="paper")
    assert sr.score("<think>x</think> \\boxed{0-3-2-1}", ANSWERS, config=paper).accuracy == 1.0
    assert sr.score("<think>x</think> \\boxed{0,3,2,1}", ANSWERS, config=paper).accuracy == 0.0


@pytest.mark.parametrize(
    ("ground_truth", "task", "field"),
    [
        ({"answers": []}, "crop", "ground_truth.answers"),
        ({"answers": "B"}, "crop", "ground_truth.answers"),
        ({"answers": ["B"], "answer": "B"}, "crop", "ground_truth.answer"),
        ({"answers": ["0-2-3-1", "B"]}, None, "ground_truth.answers"),
        ({"task": "shuffle", "answers": ["0-2-3-1", "0-2-3"]}, None, "ground_truth"),
        ('{"answers": ["B", "E"]}', "crop", "ground_truth"),
    ],
)
def test_bad_answer_lists_raise_ground_truth_errors(
    ground_truth: object, task: str | None, field: str
) -> None:
    with pytest.raises(sr.GroundTruthError) as caught:
        sr.parse_ground_truth(ground_truth, task)
    assert caught.value.field == field


# --- the new credit modes through score --------------------------------------------------------


@pytest.mark.parametrize(
    ("task", "truth", "answer", "credit", "expected"),
    [
        ("frame_order", "1-2-3-4-5-6", "2-1-3-4-5-6", "footrule", 1 - 2 / 18),
        ("frame_order", "1-2-3-4-5-6", "2-3-4-5-6-1", "adjacency", 4 / 5),
        ("shuffle", "0-1-2-3", "1-0-3-2", "adjacency", 0.5),
        ("depth", "1-2-3", "3-2-1", "footrule", 1 - 4 / 4.5),
        ("flip", "3-0", "3-1", "footrule", 0.5),
        ("crop", "B", "C", "adjacency", 0.0),
        ("rotation", "90", "180", "footrule", 0.0),
        ("numeric", "2.0", "2.5", "adjacency", 0.5),
    ],
)
def test_new_credit_modes_through_score(
    task: str, truth: str, answer: str, credit: str, expected: float
) -> None:
    config = sr.RewardConfig(credit=credit)
    result = sr.score(f"<think>x</think> \\boxed{{{answer}}}", truth, task, config=config)
    assert result.accuracy == pytest.approx(expected)
    right = sr.score(f"<think>x</think> \\boxed{{{truth}}}", truth, task, config=config)
    assert right.accuracy == 1.0


# --- direct answers for every registered task, from its renderers ------------------------------


@pytest.mark.parametrize("task", sr.task_names())
@given(data=st.data())
def test_direct_answers_are_sound_for_every_task(task: str, data: st.DataObject) -> None:
    from ssrl_rewards.testing import strategies as sst  # noqa: PLC0415 - needs hypothesis

    sample = data.draw(sst.samples(task))
    prompt = sample.prompt
    right = data.draw(st.sampled_from(list(sample.notations(sample.right))))
    wrong = data.draw(st.sampled_from(list(sample.notations(sample.other))))
    truth = sample.case.ground_truth

    def direct(completion: str) -> sr.RewardResult:
        return sr.score(completion, truth, task, prompt=prompt, config=DIRECT)

    honest = direct(f"<think>I compare them.</think>\n{right}")
    assert (honest.accuracy, honest.reason) == (1.0, R.CORRECT), right
    assert direct(f"<think>I compare them.</think> {wrong}").accuracy < 1.0
    assert direct(f"<think>I compare them.</think> {right} or {wrong}").accuracy == 0.0
    assert direct(f"<think>It is {right}.</think>").accuracy == 0.0
    assert direct(f"<think>It is {right}.").accuracy == 0.0

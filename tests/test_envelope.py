"""The answer envelope: where the final answer sits, hedges, and the format verdict."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr
from ssrl_rewards import parse_envelope
from tests.strategies import arbitrary_text

R = sr.Reason
STRICT, R1, NONE = (
    sr.RewardConfig(),
    sr.RewardConfig(format_policy="r1"),
    sr.RewardConfig(format_policy="none"),
)
POLICIES = (
    STRICT,
    R1,
    NONE,
    sr.RewardConfig(think_prefilled=True),
    sr.RewardConfig(lenient_fallback=True, answer_tags=False, fbox=False),
    sr.RewardConfig(max_answer_chars=1, max_candidates=1, max_chars=50),
)

CASES = [
    # (completion, answer, reason, format, format_reason)
    ("<think>x</think>\\boxed{0-2-3-1}", "0-2-3-1", R.OK, 1.0, R.OK),
    ("  \n<think>x</think> so \\boxed{ B }.", "B", R.OK, 1.0, R.OK),
    ("< think >x< / think >\\boxed{A}", "A", R.OK, 1.0, R.OK),
    ("<think >x</ think>\\boxed{A}", "A", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed{\\text{B}}", "B", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed{{B}}", "B", R.OK, 1.0, R.OK),
    ("<think>x</think>\\fbox{B}", "B", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed {B}", "B", R.OK, 1.0, R.OK),
    ("<think>x</think><answer>B</answer>", "B", R.OK, 1.0, R.OK),
    ("<think>x</think><answer>\\boxed{B}</answer>", "B", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed{B} and again \\boxed{ $B$ }", "B", R.OK, 1.0, R.OK),
    ("<think>x \\boxed{A}</think> so \\boxed{B}", "B", R.OK, 1.0, R.OK),
    # no answer after the reasoning
    (
        "<think>x \\boxed{A}</think> the answer is A",
        None,
        R.ANSWER_IN_THINK,
        0.0,
        R.ANSWER_IN_THINK,
    ),
    ("<think>x \\boxed{A}", None, R.UNCLOSED_THINK, 0.0, R.UNCLOSED_THINK),
    ("<think>x</think> the answer is A", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>\\boxed{}", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>\\boxed{ $ $ }.", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think><answer> </answer>", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>\\boxed{}\\boxed{ }", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x</think>\\boxed{A", None, R.UNBALANCED_BOX, 0.0, R.UNBALANCED_BOX),
    ("<think>x</think>\\boxed{A} \\boxed{B", None, R.UNBALANCED_BOX, 0.0, R.UNBALANCED_BOX),
    ("<think>x</think> <think>\\boxed{A}</think>", None, R.ANSWER_IN_THINK, 0.0, R.MULTIPLE_THINK),
    ("<think>x</think> <think>\\boxed{A}", None, R.ANSWER_IN_THINK, 0.0, R.MULTIPLE_THINK),
    (
        "<think>x</think>\\boxed{A} <think>y \\boxed{B} z</think>" + "</think>" * 50,
        "A",
        R.OK,
        0.0,
        R.MULTIPLE_THINK,
    ),
    ("<think>x</think>\\boxed{A}" + "</think>" * 50, "A", R.OK, 0.0, R.MULTIPLE_THINK),
    ("<think>x</think>\\boxed{A}" + "<think>y" * 50, "A", R.OK, 0.0, R.MULTIPLE_THINK),
    # hedges
    ("<think>x</think>\\boxed{A}\\boxed{B}", None, R.MULTIPLE_ANSWERS, 0.0, R.MULTIPLE_ANSWERS),
    (
        "<think>x</think><answer>A</answer>\\boxed{B}",
        None,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_ANSWERS,
    ),
    (
        "<think>x</think>\\boxed{A}<think>y</think>\\boxed{B}",
        None,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_THINK,
    ),
    (
        "<think>x</think>" + "\\boxed{A}\\boxed{A}" * 10,
        None,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_ANSWERS,
    ),
    # format failures with a readable answer
    ("\\boxed{A}", "A", R.OK, 0.0, R.NO_THINK),
    ("x</think>\\boxed{A}", "A", R.OK, 0.0, R.NO_THINK),
    ("<think></think>\\boxed{A}", "A", R.OK, 0.0, R.EMPTY_THINK),
    ("<think> \n </think>\\boxed{A}", "A", R.OK, 0.0, R.EMPTY_THINK),
    ("<think>a</think><think>b</think>\\boxed{A}", "A", R.OK, 0.0, R.MULTIPLE_THINK),
    ("<think>a<think>b</think>\\boxed{A}", "A", R.OK, 0.0, R.MULTIPLE_THINK),
    ("<think>a</think>\\boxed{A}</think>", "A", R.OK, 0.0, R.MULTIPLE_THINK),
    ("Sure! <think>a</think>\\boxed{A}", "A", R.OK, 0.0, R.TEXT_BEFORE_THINK),
    # values that are not completions
    (None, None, R.NOT_A_STRING, 0.0, R.NOT_A_STRING),
    (b"<think>a</think>\\boxed{A}", None, R.NOT_A_STRING, 0.0, R.NOT_A_STRING),
    ("", None, R.NO_ANSWER, 0.0, R.NO_THINK),
    ("x" * 70_000, None, R.TOO_LONG, 0.0, R.TOO_LONG),
    # empty boxes carry no answer: they are ignored next to a real one
    ("<think>x</think>Put it in \\boxed{}. \\boxed{A}", "A", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed{}\\boxed{A}", "A", R.OK, 1.0, R.OK),
    ("<think>x</think>\\boxed{A} \\boxed{ $ $ }.", "A", R.OK, 1.0, R.OK),
    ("<think>x</think><answer></answer> \\boxed{A}", "A", R.OK, 1.0, R.OK),
    (
        "<think>x</think>\\boxed{} \\boxed{A} \\fbox{ } \\boxed{B}",
        None,
        R.MULTIPLE_ANSWERS,
        0.0,
        R.MULTIPLE_ANSWERS,
    ),
    ("<think>x \\boxed{}</think> the answer is A", None, R.NO_ANSWER, 0.0, R.NO_ANSWER),
    ("<think>x \\boxed{A}</think>\\boxed{}", None, R.ANSWER_IN_THINK, 0.0, R.ANSWER_IN_THINK),
    # a container longer than max_answer_chars is no answer, and nothing after it is read
    (
        "<think>x</think>\\boxed{" + "A" * 2_000 + "}",
        None,
        R.ANSWER_TOO_LONG,
        0.0,
        R.ANSWER_TOO_LONG,
    ),
    (
        "<think>x</think>\\boxed{" + "{" * 600 + "A" + "}" * 600 + "}",
        None,
        R.ANSWER_TOO_LONG,
        0.0,
        R.ANSWER_TOO_LONG,
    ),
    (
        "<think>x</think>\\boxed{" + "A" * 2_000 + "} \\boxed{A}",
        None,
        R.ANSWER_TOO_LONG,
        0.0,
        R.ANSWER_TOO_LONG,
    ),
    (
        "<think>x</think>\\boxed{A} \\boxed{" + "A" * 2_000 + "}",
        None,
        R.ANSWER_TOO_LONG,
        0.0,
        R.ANSWER_TOO_LONG,
    ),
    (
        "<think>x</think><answer>" + "A" * 2_000 + "</answer>",
        None,
        R.ANSWER_TOO_LONG,
        0.0,
        R.ANSWER_TOO_LONG,
    ),
    ("<think>x</think>\\boxed{" + "{" * 2_000 + "A", None, R.UNBALANCED_BOX, 0.0, R.UNBALANCED_BOX),
    ("<think>x</think>\\boxed{" + "A" * 1_024 + "}", "A" * 1_024, R.OK, 1.0, R.OK),
]


@pytest.mark.parametrize(("completion", "answer", "reason", "fmt", "fmt_reason"), CASES)
def test_envelope_rules(
    completion: object, answer: str | None, reason: sr.Reason, fmt: float, fmt_reason: sr.Reason
) -> None:
    envelope = parse_envelope(completion)
    assert (envelope.answer, envelope.reason, envelope.format, envelope.format_reason) == (
        answer,
        reason,
        fmt,
        fmt_reason,
    )


def test_boxes_report_where_they_sit() -> None:
    envelope = parse_envelope("<think>maybe \\boxed{A}</think> so \\boxed{B}")
    assert [(box.content, box.in_think, box.kind) for box in envelope.boxes] == [
        ("A", True, "boxed"),
        ("B", False, "boxed"),
    ]
    assert envelope.think == "maybe \\boxed{A}"


@pytest.mark.parametrize(
    ("completion", "fmt", "reason"),
    [
        ("<think>x</think><answer>B</answer>", 1.0, R.OK),
        ("<think>x</think>\n<answer> B </answer>\n", 1.0, R.OK),
        ("<think>x</think>\\boxed{B}", 0.0, R.BAD_ANSWER_TAG),
        ("<think>x</think>so <answer>B</answer>", 0.0, R.BAD_ANSWER_TAG),
        ("<think>x</think><answer>B</answer><answer>B</answer>", 0.0, R.BAD_ANSWER_TAG),
        ("<think></think><answer>B</answer>", 0.0, R.EMPTY_THINK),
    ],
)
def test_r1_format_policy(completion: str, fmt: float, reason: sr.Reason) -> None:
    envelope = parse_envelope(completion, R1)
    assert (envelope.format, envelope.format_reason) == (fmt, reason)


def test_none_format_policy_never_checks() -> None:
    envelope = parse_envelope("\\boxed{A}", NONE)
    assert (envelope.answer, envelope.format, envelope.format_reason) == ("A", 1.0, R.NOT_CHECKED)


def test_prefilled_think() -> None:
    cfg = sr.RewardConfig(think_prefilled=True)
    envelope = parse_envelope("I compare them.</think> \\boxed{A}", cfg)
    assert (envelope.answer, envelope.format, envelope.think) == ("A", 1.0, "I compare them.")
    assert parse_envelope("still thinking \\boxed{A}", cfg).reason is R.UNCLOSED_THINK


def test_lenient_fallback_is_off_by_default() -> None:
    text = "<think>x</think> The answer is B."
    assert parse_envelope(text).answer is None
    assert parse_envelope(text, sr.RewardConfig(lenient_fallback=True)).answer == "B"


def test_answer_tags_and_fbox_can_be_switched_off() -> None:
    assert (
        parse_envelope(
            "<think>x</think><answer>B</answer>", sr.RewardConfig(answer_tags=False)
        ).answer
        is None
    )
    assert parse_envelope("<think>x</think>\\fbox{B}", sr.RewardConfig(fbox=False)).answer is None


_REASONING = st.text(alphabet=st.characters(blacklist_characters="<>\\{}"), max_size=200)


@given(_REASONING, _REASONING)
def test_more_reasoning_without_boxes_never_changes_the_answer(before: str, extra: str) -> None:
    base = f"<think>{before}</think> \\boxed{{0-2-3-1}}"
    longer = f"<think>{before}{extra}</think> \\boxed{{0-2-3-1}}"
    assert parse_envelope(base).answer == parse_envelope(longer).answer == "0-2-3-1"


@given(
    st.sampled_from(["A", "0-2-3-1", "3-0", "Left"]),
    st.sampled_from(["B", "0-3-2-1", "2-1", "Right"]),
)
def test_a_second_different_box_never_yields_an_answer(first: str, second: str) -> None:
    envelope = parse_envelope(f"<think>x</think>\\boxed{{{first}}} or \\boxed{{{second}}}")
    assert envelope.answer is None and envelope.reason is R.MULTIPLE_ANSWERS


@given(
    st.sampled_from(["B", "0-2-3-1", "3-0"]),
    st.sampled_from(
        [
            "{}",
            " {} ",
            "${}$",
            "\\text{{{}}}",
            "\\textbf{{{}}}",
            "\\mathrm{{{}}}",
            "\\mathbf{{{}}}",
            "{}.",
            "\u200b{}\u200d",
            "$\\text{{{}}}$",
        ]
    ),
)
def test_tolerated_wrappers_never_change_the_answer(answer: str, wrapper: str) -> None:
    assert parse_envelope(f"<think>x</think>\\boxed{{{wrapper.format(answer)}}}").answer == answer


@given(st.text(max_size=500) | arbitrary_text(), st.sampled_from(POLICIES))
def test_never_raises(text: str, cfg: sr.RewardConfig) -> None:
    envelope = parse_envelope(text, cfg)
    assert envelope.format in (0.0, 1.0)
    assert (envelope.answer is None) == (envelope.reason is not R.OK)


def test_hostile_megabytes_do_not_raise() -> None:
    for text in (
        "{" * 1_000_000,
        "\\boxed{" * 150_000,
        "</think>" * 130_000,
        " / " * 350_000,
        "\ud800" * 1000,
        "\x00" * 1000,
    ):
        for cfg in (STRICT, sr.RewardConfig(max_chars=2_000_000)):
            assert parse_envelope(text, cfg).answer is None


def test_a_too_long_box_ends_the_search_and_is_reported() -> None:
    envelope = parse_envelope("<think>x</think>\\boxed{" + "A" * 2_000 + "} then \\boxed{A}")
    assert [(box.too_long, box.closed, box.content) for box in envelope.boxes] == [(True, True, "")]
    text = "<think>x</think>\\boxed{" + "A" * 2_000 + "} then \\boxed{A}"
    assert envelope.boxes[0].end == len(text)  # matched only up to the cap: void to the end
    cfg = sr.RewardConfig(max_answer_chars=3)
    assert parse_envelope("<think>x</think>\\boxed{ABC}", cfg).answer == "ABC"
    assert parse_envelope("<think>x</think>\\boxed{ABCD}", cfg).reason is R.ANSWER_TOO_LONG


@pytest.mark.parametrize(
    ("tail", "context"),
    [
        ("<answer>\\boxed{C}</answer>", (("", ""),)),
        ("<answer>B \\boxed{C}</answer>", (("B ", ""),)),
        ("<answer>\\boxed{C} or B</answer>", (("", " or B"),)),
        ("<answer>The answer is \\boxed{C}.</answer>", (("The answer is ", "."),)),
        ("<answer>\\boxed{C}, i.e. \\fbox{ C }</answer>", (("", ", i.e. ", ""),)),
        ("<answer>x</answer> \\boxed{x}", ()),  # a tag without a box is an answer itself
        ("\\boxed{C} <answer>B</answer>", ()),  # a hedge: no answer, no context
        ("<answer>\\boxed{C}</answer> <answer>so \\boxed{C}</answer>", (("", ""), ("so ", ""))),
    ],
)
def test_answer_tags_holding_boxes_record_their_other_text(
    tail: str, context: tuple[tuple[str, ...], ...]
) -> None:
    """The envelope keeps a box-holding tag's text around its boxes, task-agnostic."""
    envelope = parse_envelope("<think>x</think>" + tail)
    assert envelope.tag_context == context
    assert (
        parse_envelope("<think>x</think>" + tail, sr.RewardConfig(answer_tags=False)).tag_context
        == ()
    )


def test_a_long_answer_tag_is_no_answer() -> None:
    text = "<think>x</think><answer>" + "so " * 400 + "\\boxed{C}</answer>"
    envelope = parse_envelope(text)
    assert (envelope.answer, envelope.reason) == (None, R.ANSWER_TOO_LONG)


@pytest.mark.parametrize("config", [{"mode": "paper"}, "paper", 1, sr.RewardConfig])
def test_a_config_that_is_not_a_reward_config_raises_config_error(config: object) -> None:
    with pytest.raises(sr.ConfigError, match=r"config=.*expected a RewardConfig") as caught:
        parse_envelope("<think>x</think>\\boxed{A}", config)  # type: ignore[arg-type]
    assert repr(config)[:20] in str(caught.value)


def test_a_reward_config_or_none_is_accepted() -> None:
    assert parse_envelope("\\boxed{A}", None).answer == "A"
    assert parse_envelope("\\boxed{A}", sr.RewardConfig(mode="paper")).answer == "A"

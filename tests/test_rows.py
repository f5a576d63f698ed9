"""The row contract (`ssrl_rewards.rows`): completion and prompt text, ground-truth columns,
the task-cell decision table, response extraction, and whole rows."""

from __future__ import annotations

import json
import logging
import math
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr
from ssrl_rewards import rows
from ssrl_rewards.errors import (
    AmbiguousGroundTruthError,
    ForeignTaskError,
    GroundTruthError,
    RowError,
    TaskCellError,
    UnknownTaskError,
)

GOOD = "<think>patch 0 holds the sky</think> \\boxed{0-2-3-1}"
OPTIONS = "Where is the cup relative to the chair? A. Left B. Right C. Front D. Back"

# --- the task-cell decision table (docs/rows.md) ------------------------------------------

INFER, NEAR, FOREIGN = "infer", "near", "foreign"

DECISIONS: list[tuple[object, str]] = [
    # registered names and aliases, any case and separators; paths naming one
    ("shuffle", "shuffle"),
    ("Shuffle", "shuffle"),
    ("  DEPTH ", "depth"),
    ("jigsaw", "shuffle"),
    ("relative-position", "position"),
    ("Relative Position", "position"),
    ("spatial_ssrl/shuffle", "shuffle"),
    ("data\\ssrl\\flip", "flip"),
    ("multiple_choice", "choice"),
    # empty cells: infer
    (None, INFER),
    ("", INFER),
    ("   ", INFER),
    (float("nan"), INFER),
    (np.float64("nan"), INFER),
    # near misses: case and punctuation, a registered name inside, small edits
    ("shufle", NEAR),
    ("Shuffle-task", NEAR),
    ("depht", NEAR),
    ("shuffle.", NEAR),
    ("S.H.U.F.F.L.E", NEAR),
    ("depth_v2", NEAR),
    ("positon", NEAR),
    ("relative_postion", NEAR),
    ("cropp", NEAR),
    ("spatial_ssrl/shufle", NEAR),
    ("flips", NEAR),
    # not a name at all
    (3, NEAR),
    (["shuffle"], NEAR),
    # foreign tasks: another reward function's rows
    ("gsm8k", FOREIGN),
    ("math", FOREIGN),
    ("openai/gsm8k", FOREIGN),
    ("drop", FOREIGN),  # 4 letters: only case/punctuation near misses (not "crop")
    ("code", FOREIGN),
    ("ocr", FOREIGN),
    ("counting", FOREIGN),
    ("caption", FOREIGN),
]


@pytest.mark.parametrize(("cell", "expected"), DECISIONS, ids=lambda v: repr(v)[:30])
def test_task_cell_decision_table(cell: object, expected: str) -> None:
    if expected == INFER:
        assert rows.decide_task_cell(cell, column="task", row=7) is None
    elif expected == NEAR:
        with pytest.raises(TaskCellError) as info:
            rows.decide_task_cell(cell, column="task", row=7)
        assert info.value.column == "task" and info.value.row == 7
        assert "column 'task' row 7" in str(info.value)
        if isinstance(cell, str):
            assert info.value.suggestion in sr.task_names()
            assert f"did you mean {info.value.suggestion!r}" in str(info.value)
    elif expected == FOREIGN:
        with pytest.raises(ForeignTaskError) as info:
            rows.decide_task_cell(cell, column="extra_info.task", row=7)
        assert info.value.value == cell and "extra_info.task" in str(info.value)
    else:
        assert rows.decide_task_cell(cell, column="task", row=7) == expected


@pytest.mark.parametrize(
    ("cell", "meant"),
    [
        ("shufle", "shuffle"),
        ("Shuffle-task", "shuffle"),
        ("depht", "depth"),
        ("positon", "position"),
    ],
)
def test_near_miss_names_the_likely_task(cell: str, meant: str) -> None:
    assert rows.likely_task(cell) == meant
    with pytest.raises(TaskCellError) as info:
        rows.decide_task_cell(cell, column="task", row=2)
    assert info.value.suggestion == meant and repr(cell) in str(info.value)


def test_task_cell_errors_are_unknown_task_and_row_errors_and_pickle() -> None:
    for cell in ("shufle", "gsm8k", 3):
        with pytest.raises(RowError) as info:
            rows.decide_task_cell(cell, row=1)
        assert isinstance(info.value, UnknownTaskError)
        clone = pickle.loads(pickle.dumps(info.value))
        assert type(clone) is type(info.value) and str(clone) == str(info.value)
        assert clone.column == "task" and clone.row == 1


def test_data_source_names_a_task_or_nothing() -> None:
    assert rows.task_from_data_source("spatial_ssrl/depth") == "depth"
    assert rows.task_from_data_source("jigsaw") == "shuffle"
    assert rows.task_from_data_source("gsm8k") is None  # a dataset name, never an error
    assert rows.task_from_data_source("depth_anything") is None
    assert rows.task_from_data_source(None) is None


def test_score_decides_a_named_task_by_the_same_table() -> None:
    with pytest.raises(TaskCellError, match="did you mean 'shuffle'"):
        sr.score(GOOD, "0-2-3-1", "shufle")
    with pytest.raises(ForeignTaskError):
        sr.score(GOOD, "0-2-3-1", "gsm8k")
    with pytest.raises(ForeignTaskError):
        sr.score("\\boxed{7}", {"task": "math", "answer": "7"})
    with pytest.raises(TaskCellError, match=r"ground_truth\.task"):
        sr.score("\\boxed{B}", {"task": "cropp", "answer": "B"})
    assert sr.score(GOOD, "0-2-3-1", "spatial_ssrl/shuffle").score == 1.0


# --- completion text ------------------------------------------------------------------------


def _msg(content: object, role: str | None = "assistant", **extra: object) -> dict[str, object]:
    message: dict[str, object] = {"content": content, **extra}
    if role is not None:
        message["role"] = role
    return message


COMPLETIONS: list[tuple[object, object]] = [
    ("plain", "plain"),
    ([_msg("\\boxed{B}")], "\\boxed{B}"),
    ([_msg("\\boxed{B}", reasoning_content="hm")], "<think>hm</think>\\boxed{B}"),
    ([_msg("\\boxed{B}", reasoning="hm")], "<think>hm</think>\\boxed{B}"),
    ([_msg("\\boxed{B}", thinking="hm")], "<think>hm</think>\\boxed{B}"),
    (
        [_msg("<think>own</think>\\boxed{B}", reasoning_content="hm")],
        "<think>own</think>\\boxed{B}",
    ),
    ([_msg("\\boxed{B}", reasoning_content="")], "\\boxed{B}"),
    (_msg("\\boxed{B}"), "\\boxed{B}"),
    (_msg("\\boxed{B}", role=None), "\\boxed{B}"),
    ({"text": "\\boxed{B}"}, "\\boxed{B}"),
    (
        [_msg([{"type": "text", "text": "a "}, {"type": "image"}, {"type": "text", "text": "b"}])],
        "a b",
    ),
    # every assistant message, in order; tool messages never
    ([_msg("first"), _msg("\\boxed{C}", role="tool"), _msg("second")], "first\nsecond"),
    ([_msg(None, tool_calls=[{"name": "look"}]), _msg("r", role="tool"), _msg("x")], "\nx"),
    ([_msg("q", role="user"), _msg("a")], "a"),
    (np.array([_msg("a"), _msg("b")], dtype=object), "a\nb"),
    ((_msg("a"),), "a"),
]


@pytest.mark.parametrize(("completion", "text"), COMPLETIONS, ids=lambda v: repr(v)[:40])
def test_completion_text(completion: object, text: str) -> None:
    assert rows.completion_text(completion) == text


@pytest.mark.parametrize(
    "completion",
    [None, 5, [], [_msg("q", role="user")], [_msg(5)], ["a", "b"], b"bytes", {"a": 1}, [{"a": 1}]],
)
def test_completion_without_text_is_returned_unchanged(completion: object) -> None:
    out = rows.completion_text(completion)
    assert out is completion
    assert sr.score(completion, "B", "crop").reason is sr.Reason.NOT_A_STRING


@given(
    st.recursive(
        st.none() | st.text() | st.integers(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_completion_text_never_raises(value: object) -> None:
    rows.completion_text(value)
    rows.prompt_text(value)


# --- prompt text ----------------------------------------------------------------------------


PROMPTS: list[tuple[object, str | None]] = [
    (None, None),
    ("Q?", "Q?"),
    (
        "Q? A. Left B. Right<|im_end|>\n<|im_start|>assistant\n",
        "Q? A. Left B. Right\n\n\nassistant\n",
    ),
    ([{"role": "system", "content": "sys"}, {"role": "user", "content": "Q?"}], "Q?"),
    ([{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Q?"}]}], "Q?"),
    # multi-turn: the options sit in an earlier user turn
    (
        [
            {"role": "user", "content": OPTIONS},
            {"role": "assistant", "content": "Let me look."},
            {"role": "user", "content": "Answer with the option."},
        ],
        OPTIONS + "\n\nAnswer with the option.",
    ),
    (
        [{"role": "user", "content": "old A. Up B. Down"}, {"role": "user", "content": OPTIONS}],
        OPTIONS,
    ),
    (np.array([{"role": "user", "content": "Q?"}], dtype=object), "Q?"),
    ({"role": "user", "content": "Q?"}, "Q?"),
    ([{"role": "system", "content": "only system"}], "only system"),
    (5, None),
]


@pytest.mark.parametrize(("prompt", "text"), PROMPTS, ids=lambda v: repr(v)[:40])
def test_prompt_text(prompt: object, text: str | None) -> None:
    assert rows.prompt_text(prompt) == text


def test_multi_turn_prompt_options_reach_the_scorer() -> None:
    prompt = [
        {"role": "user", "content": OPTIONS},
        {"role": "assistant", "content": "Looking."},
        {"role": "user", "content": "Final answer?"},
    ]
    result = sr.score(
        "<think>it is on the right</think> \\boxed{Right}", "B", "position", prompt=prompt
    )
    assert result.score == 1.0


def test_options_from_a_dict_or_json_ground_truth() -> None:
    truth = {"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}}
    completion = "<think>it is on the right</think> \\boxed{Right}"
    assert sr.score(completion, truth).score == 1.0
    assert sr.score(completion, json.dumps(truth)).score == 1.0
    listed = {"task": "position", "answer": "B", "options": ["Left", "Right", "Front", "Back"]}
    assert sr.score(completion, listed).score == 1.0
    assert sr.score("<think>x</think> \\boxed{Left}", listed).accuracy == 0.0
    # the ground truth's options follow the prompt's text: they are the options read
    swapped = "Where is it? A. Right B. Left"
    assert sr.score(completion, truth, prompt=swapped).score == 1.0
    assert sr.score(completion, "B", "position", prompt=swapped).accuracy == 0.0
    with pytest.raises(GroundTruthError, match="options"):
        sr.score(completion, {"task": "position", "answer": "B", "options": "A. Left"})


# --- ground truth -------------------------------------------------------------------------


def test_ground_truth_columns_must_agree() -> None:
    assert rows.ground_truth_of({"answer": "B", "solution": " B "}) == ("answer", "B")
    assert rows.ground_truth_of({"solution": "B", "label": None}) == ("solution", "B")
    assert rows.ground_truth_of({"reward_model": {"ground_truth": "3-1-2"}}) == (
        "reward_model.ground_truth",
        "3-1-2",
    )
    assert rows.ground_truth_of({"answer": "B", "label": math.nan}) == ("answer", "B")
    with pytest.raises(AmbiguousGroundTruthError) as info:
        rows.ground_truth_of({"solution": "0-1", "answer": "1-0"}, index=4)
    assert info.value.columns == ("answer", "solution") and info.value.row == 4
    assert "'0-1'" in str(info.value) and "'1-0'" in str(info.value)
    assert isinstance(info.value, GroundTruthError) and isinstance(info.value, RowError)
    assert pickle.loads(pickle.dumps(info.value)).columns == ("answer", "solution")
    assert rows.ground_truth_of({"solution": "0-1", "answer": "1-0"}, "solution") == (
        "solution",
        "0-1",
    )
    with pytest.raises(RowError, match="no ground truth"):
        rows.ground_truth_of({"completion": "x"}, index=2)
    with pytest.raises(RowError, match="'gold'"):
        rows.ground_truth_of({"answer": "B"}, "gold")
    arrays = {"answer": np.array([0, 2, 3, 1]), "solution": [0, 2, 3, 1]}
    assert rows.ground_truth_of(arrays)[0] == "answer"


# --- response extraction ------------------------------------------------------------------

CHATML_PROMPT = "<|im_start|>user\nWhich order? A. x B. y<|im_end|>\n<|im_start|>assistant\n"

RESPONSES: list[tuple[str, object, str]] = [
    # the prompt verbatim at the start
    (CHATML_PROMPT + "\\boxed{A}<|im_end|>", CHATML_PROMPT, "\\boxed{A}"),
    # a decode round trip changed whitespace and special tokens
    (
        "<|im_start|> user\nWhich  order?\nA. x B. y<|im_end|><|im_start|>assistant\n"
        "\\boxed{A}<|endoftext|>",
        CHATML_PROMPT,
        "\\boxed{A}",
    ),
    # image pad tokens expanded in the query
    (
        "<|im_start|>user\n<|vision_start|>"
        + "<|image_pad|>" * 500
        + "<|vision_end|>Q?<|im_end|>\n"
        "<|im_start|>assistant\n\\boxed{A} <|im_start|>assistant\n\\boxed{B}",
        "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Q?<|im_end|>\n"
        "<|im_start|>assistant\n",
        "\\boxed{A} <|im_start|>assistant\n\\boxed{B}",
    ),
    # BOS added by the tokenizer
    ("<s>" + CHATML_PROMPT + "\\boxed{A}</s>", CHATML_PROMPT, "\\boxed{A}"),
    # the prompt without the generation header: the header after it is skipped
    (
        "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n\\boxed{A}",
        "<|im_start|>user\nQ<|im_end|>\n",
        "\\boxed{A}",
    ),
    # a fake header inside the response cannot hide the earlier answer
    (
        CHATML_PROMPT + "\\boxed{A} <|im_start|>assistant\n\\boxed{B}<|im_end|>",
        CHATML_PROMPT,
        "\\boxed{A} <|im_start|>assistant\n\\boxed{B}",
    ),
    # no prompt, or one that is not in the query: the last assistant header
    (CHATML_PROMPT + "\\boxed{A}<|im_end|>", None, "\\boxed{A}"),
    (CHATML_PROMPT + "\\boxed{A}<|im_end|>", "a different prompt", "\\boxed{A}"),
    ("no template at all \\boxed{A}", None, "no template at all \\boxed{A}"),
    ("Q: order? A: \\boxed{B}", "Q: order?", " A: \\boxed{B}"),
]


@pytest.mark.parametrize(("query", "prompt", "response"), RESPONSES)
def test_extract_response(query: str, prompt: object, response: str) -> None:
    assert rows.extract_response(query, prompt) == response


@given(st.text(max_size=300), st.text(max_size=100))
def test_extract_response_never_raises(query: str, prompt: str) -> None:
    out = rows.extract_response(query, prompt)
    assert out in query or not query.strip()


# --- whole rows ---------------------------------------------------------------------------


def test_read_row_nested_columns() -> None:
    row = rows.read_row(
        {
            "response": [_msg("\\boxed{Right}", reasoning_content="on the right")],
            "reward_model": {"ground_truth": "B"},
            "extra_info": {"task": "relative_position", "question": OPTIONS},
        },
        index=3,
    )
    assert row == rows.Row(
        "<think>on the right</think>\\boxed{Right}",
        "B",
        "position",
        OPTIONS,
        "reward_model.ground_truth",
        3,
    )
    assert rows.score_row(row).score == 1.0


def test_read_row_errors_are_row_errors() -> None:
    with pytest.raises(RowError, match="no completion"):
        rows.read_row({"answer": "B"}, index=1)
    with pytest.raises(ForeignTaskError):
        rows.read_row({"completion": "x", "answer": "7", "task": "gsm8k"})
    with pytest.raises(TaskCellError):
        rows.read_row({"completion": "x", "answer": "7", "extra_info": {"task": "depht"}})
    with pytest.raises(AmbiguousGroundTruthError):
        rows.read_row({"completion": "x", "answer": "B", "label": "C"})
    # a data source that names no task is a dataset name: inferred
    assert (
        rows.read_row({"completion": "x", "answer": "3-1-2", "data_source": "gsm8k"}).task is None
    )
    # a task cell that names something is never inferred past
    assert (
        rows.read_row(
            {"completion": "x", "answer": "B", "task": "", "data_source": "ssrl/crop"}
        ).task
        == "crop"
    )
    assert rows.read_row({"completion": "x", "answer": "B"}, task="flip").task == "flip"
    assert (
        rows.read_row({"completion": "x", "answer": "B", "task": "gsm8k"}, task_key=None).task
        is None
    )


def test_request_row() -> None:
    label = json.dumps({"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}})
    row = rows.request_row(
        "<|im_start|>assistant\n<think>r</think>\\boxed{Right}<|im_end|>", None, label, index=0
    )
    assert row.completion == "<think>r</think>\\boxed{Right}" and row.task == "position"
    assert row.prompt is None  # the options are read from the label by `score`
    assert rows.score_row(row).score == 1.0
    with pytest.raises(ForeignTaskError):
        rows.request_row("x", None, {"task": "gsm8k", "answer": "7"})


def test_score_row_names_where_a_bad_ground_truth_sits() -> None:
    row = rows.Row(GOOD, "banana", "shuffle", None, "answer", 5)
    with pytest.raises(GroundTruthError, match="column 'answer' row 5 'banana'"):
        rows.score_row(row)
    with pytest.raises(GroundTruthError, match="sample 9"):
        rows.score_row(row, where=lambda: "sample 9")


# --- configuration: paper mode refuses what it ignores --------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        {"credit": "kendall"},
        {"format_policy": "r1"},
        {"answer_tags": False},
        {"fbox": False},
        {"think_prefilled": True},
        {"lenient_fallback": True},
        {"max_chars": 100},
        {"max_candidates": 4},
    ],
)
def test_paper_mode_refuses_fields_it_ignores(field: dict[str, Any]) -> None:
    (name,) = field
    with pytest.raises(sr.ConfigError, match=name):
        sr.RewardConfig(mode="paper", **field)
    with pytest.raises(sr.ConfigError, match=name):
        sr.make_reward_fn("verl", mode="paper", **field)
    assert sr.RewardConfig(**field).mode == "default"


def test_paper_mode_keeps_what_it_honours() -> None:
    cfg = sr.RewardConfig(mode="paper", accuracy_weight=1.0, format_weight=0.0, max_answer_chars=64)
    assert cfg.accuracy_weight == 1.0
    from ssrl_rewards.config import paper_config  # noqa: PLC0415

    assert paper_config(sr.RewardConfig(credit="kendall", format_weight=0.0)) == sr.RewardConfig(
        mode="paper", format_weight=0.0
    )


# --- pins: behaviour that no other test pinned ----------------------------------------------


def test_internal_error_safety_net(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from ssrl_rewards import reward  # noqa: PLC0415

    class Boom(RuntimeError):
        pass

    def broken(*args: object, **kwargs: object) -> None:
        raise Boom("a bug of ours")

    monkeypatch.setattr(reward, "_score_default", broken)
    monkeypatch.setattr(reward, "_INTERNAL_ERRORS", type(reward._INTERNAL_ERRORS)())
    caplog.set_level(logging.ERROR, logger="ssrl_rewards")
    results = [sr.score(GOOD, "0-2-3-1") for _ in range(8)]
    assert {(r.score, r.accuracy, r.format) for r in results} == {(0.0, 0.0, 0.0)}
    assert {r.reason for r in results} == {sr.Reason.INTERNAL_ERROR}
    logged = [rec for rec in caplog.records if "internal error" in rec.getMessage()]
    assert len(logged) == 5  # the first few per exception type, not every one
    assert all(rec.exc_info is not None and rec.exc_info[0] is Boom for rec in logged)
    assert reward.internal_error_counts() == {"Boom": 8}
    # TRL counts it apart from no_answer
    metrics: dict[str, float] = {}
    trl = sr.make_reward_fn("trl")
    assert trl(
        prompts=["p"], completions=[GOOD], answer=["0-2-3-1"], log_metric=metrics.__setitem__
    ) == [0.0]
    assert metrics["ssrl/internal_error_rate"] == 1.0 and metrics["ssrl/no_answer_rate"] == 0.0


def test_paper_mode_padded_ground_truth_is_not_equal() -> None:
    paper = sr.RewardConfig(mode="paper")
    completion = "<think>x</think>\\boxed{0-2-3-1}"
    assert sr.score(completion, "0-2-3-1", config=paper).accuracy == 1.0
    padded = sr.score(completion, " 0-2-3-1 \n", config=paper)
    assert padded.accuracy == 0.0 and padded.score == pytest.approx(0.1)  # as published


def test_max_candidates_boundary() -> None:
    cfg = sr.RewardConfig(max_candidates=16)
    at = sr.score("<think>x</think>" + "\\boxed{B} " * 16, "B", "crop", config=cfg)
    over = sr.score("<think>x</think>" + "\\boxed{B} " * 17, "B", "crop", config=cfg)
    assert at.score == 1.0
    assert over.score == 0.0 and over.reason is sr.Reason.MULTIPLE_ANSWERS


def test_r1_format_refuses_text_after_the_answer_tag() -> None:
    r1 = sr.RewardConfig(format_policy="r1")
    clean = sr.score("<think>x</think><answer>B</answer>\n", "B", "crop", config=r1)
    trailing = sr.score("<think>x</think><answer>B</answer> and more text", "B", "crop", config=r1)
    assert clean.format == 1.0
    assert trailing.format == 0.0 and trailing.format_reason is sr.Reason.BAD_ANSWER_TAG


def test_trl_prompts_and_completions_must_align() -> None:
    trl = sr.make_reward_fn("trl")
    with pytest.raises(sr.ConfigError, match="1 prompts for 2 completions"):
        trl(prompts=[OPTIONS], completions=[GOOD, GOOD], answer=["0-2-3-1"] * 2)


def test_verl_numpy_object_array_prompts() -> None:
    from ssrl_rewards.integrations.verl import compute_score  # noqa: PLC0415

    prompt = np.array([{"role": "user", "content": OPTIONS}], dtype=object)
    out = compute_score(
        "spatial_ssrl/position",
        "<think>it is right</think> \\boxed{Right}",
        "B",
        {"prompt": prompt, "index": 0},
    )
    assert out["score"] == 1.0


def test_easyr1_options_from_dict_or_json_ground_truth() -> None:
    from ssrl_rewards.integrations.easyr1 import compute_score  # noqa: PLC0415

    truth = {"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}}
    inputs = [
        {
            "response": "<think>r</think> \\boxed{Right}",
            "response_length": 9,
            "ground_truth": truth,
        },
        {
            "response": "<think>r</think> \\boxed{Right}",
            "response_length": 9,
            "ground_truth": json.dumps(truth),
        },
        {
            "response": "<think>r</think> \\boxed{Left}",
            "response_length": 9,
            "ground_truth": json.dumps(truth),
        },
    ]
    assert [o["overall"] for o in compute_score(inputs)] == [1.0, 1.0, 0.1]


# --- the caching contract -----------------------------------------------------------------

ANSWER_TEXTS = st.sampled_from(
    [
        "B",
        "(B)",
        "Option B",
        "B. Right",
        "Right",
        "Left",
        "A",
        "0-2-3-1",
        "3-1-2",
        "3-0",
        "2-1",
        "0,1,2",
    ]
) | st.text(alphabet="ABCD0123-, .()RightLef", max_size=12)
PROMPTS_ST = st.sampled_from(
    [None, "", OPTIONS, "A. Front-Left B. Back-Right C. Left D. Right", "Pick: (A) Up (B) Down"]
) | st.text(max_size=40)


@pytest.mark.parametrize("task", sr.task_names())
@given(text=ANSWER_TEXTS, prompt=PROMPTS_ST)
def test_caching_contract_holds_for_every_registered_task(
    task: str, text: str, prompt: str | None
) -> None:
    """What a task declares about its parse (``uses_prompt``, ``parse_shape``) is true: the
    scorer's caches would otherwise score one answer two ways."""
    from ssrl_rewards.registry import check_caching_contract  # noqa: PLC0415

    check_caching_contract(sr.get_task(task), texts=(text,), prompts=(None, prompt))


def test_registration_refuses_a_task_that_reads_the_prompt_undeclared() -> None:
    from dataclasses import replace  # noqa: PLC0415

    from ssrl_rewards.registry import register_task  # noqa: PLC0415

    position = sr.get_task("position")
    liar = replace(position, name="liar_position", aliases=(), uses_prompt=False)
    with pytest.raises(ValueError, match="uses_prompt"):
        register_task(liar)
    assert sr.find_task("liar_position") is None


# --- TRL: foreign rows, nested columns --------------------------------------------------------


def test_trl_logs_each_foreign_task_once_with_its_count(caplog: pytest.LogCaptureFixture) -> None:
    trl = sr.make_reward_fn("trl", component="accuracy")
    caplog.set_level(logging.INFO, logger="ssrl_rewards")
    tasks = ["shuffle", "ssrl_test_foreign_a", "ssrl_test_foreign_a", "ssrl_test_foreign_b"]
    kwargs: dict[str, Any] = {"answer": ["0-2-3-1", "7", "8", "9"], "task": tasks}
    assert trl(prompts=[""] * 4, completions=[GOOD] * 4, **kwargs) == [1.0, None, None, None]
    assert trl(prompts=[""] * 4, completions=[GOOD] * 4, **kwargs) == [1.0, None, None, None]
    messages = [r.getMessage() for r in caplog.records if "ssrl_test_foreign" in r.getMessage()]
    assert len(messages) == 2  # once per name, not once per batch
    assert any("2 row(s)" in m and "ssrl_test_foreign_a" in m for m in messages)
    assert any("1 row(s)" in m and "ssrl_test_foreign_b" in m for m in messages)


def test_trl_nested_ground_truth_and_extra_info() -> None:
    trl = sr.make_reward_fn("trl", component="accuracy")
    out = trl(
        prompts=["", ""],
        completions=[GOOD, "<think>x</think> \\boxed{2-1}"],
        reward_model=[{"ground_truth": "0-2-3-1"}, {"ground_truth": "2-1"}],
        extra_info=[{"task": "shuffle"}, {"task": "flip"}],
        data_source=["ssrl", "ssrl"],
    )
    assert out == [1.0, 1.0]
    keyed = sr.make_reward_fn("trl", ground_truth_key="reward_model.ground_truth")
    assert keyed(prompts=[""], completions=[GOOD], reward_model=[{"ground_truth": "0-2-3-1"}]) == [
        1.0
    ]
    with pytest.raises(TaskCellError, match=r"extra_info\.task"):
        trl(prompts=[""], completions=[GOOD], answer=["0-2-3-1"], extra_info=[{"task": "shufle"}])

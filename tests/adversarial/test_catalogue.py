"""The reward-hacking catalogue (`cases.jsonl`) run through `score` in every mode.

Each row is an attack or its honest twin with the values the specification demands (see
`build_cases.py`). For every row and every mode:

- default mode: accuracy, format and reason as stated;
- paper mode: accuracy and format of the published reward (re-stated in `build_cases`);
- ``credit="positionwise"`` and ``"kendall"``: the stated partial accuracy, with the exact
  rule "accuracy is 1.0 iff the answer is exactly right; hedged, invalid or missing
  answers get 0; only a valid wrong ordering or flip answer may earn a fraction";
- everywhere: ``score == 0.9 * accuracy + 0.1 * format`` and every number in [0, 1].

Rows marked ``xfail`` reproduce an open core bug (`/work/notes/core_bugs.md`); they fail
strictly, so a fix makes them pass loudly and the mark must then be removed.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import build_cases
import pytest

import ssrl_rewards as sr
from ssrl_rewards.config import PAPER_IGNORED_FIELDS

ROWS = build_cases.load()
FAMILIES = ("hedging", "placement", "notation", "text", "injection")
TASKS = ("shuffle", "depth", "flip", "crop", "position")
MODES = ("default", "paper", "positionwise", "kendall")
# Reasons that say the completion holds no single valid answer: 0 under every credit mode.
NO_VALID_ANSWER = {
    "no_answer",
    "answer_in_think",
    "unclosed_think",
    "unbalanced_box",
    "answer_too_long",
    "multiple_answers",
    "too_long",
    "not_a_string",
    "not_in_answer_space",
    "inconsistent_choice",
    "unparseable",
}


def _config(row: dict[str, Any], mode: str) -> sr.RewardConfig:
    fields = dict(row["config"])
    if mode == "paper":  # paper mode refuses the fields it ignores: leave them out
        fields = {k: v for k, v in fields.items() if k not in PAPER_IGNORED_FIELDS}
        fields["mode"] = "paper"
    elif mode in ("positionwise", "kendall"):
        fields["credit"] = mode
    return sr.RewardConfig(**fields)


def _params() -> list[Any]:
    params = []
    for row in ROWS:
        for mode in MODES:
            marks = []
            if row.get("xfail") and mode != "paper":
                marks.append(pytest.mark.xfail(strict=True, reason=row["xfail"]))
            params.append(pytest.param(row, mode, id=f"{row['id']}-{mode}", marks=marks))
    return params


def _expected(row: dict[str, Any], mode: str) -> tuple[float, float, str | None]:
    """(accuracy, format, reason or None when the mode does not pin it) for a row."""
    expect = row["expect"]
    if mode == "default":
        return expect["accuracy"], expect["format"], expect["reason"]
    if mode == "paper":
        return row["paper"]["accuracy"], row["paper"]["format"], None
    accuracy = row["partial"][mode]
    if accuracy == 1.0:
        reason = "correct"
    elif accuracy > 0.0:
        reason = "partial"
    else:
        reason = expect["reason"]
    return accuracy, expect["format"], reason


@pytest.mark.parametrize(("row", "mode"), _params())
def test_case(row: dict[str, Any], mode: str) -> None:
    """One catalogue row in one mode scores exactly what the specification says."""
    completion = build_cases.expand(row)
    result = sr.score(
        completion,
        row["ground_truth"],
        row["task"],
        prompt=row["prompt"],
        config=_config(row, mode),
    )
    accuracy, fmt, reason = _expected(row, mode)
    context = f"{row['id']} ({row['description']}) in {mode} mode: {result!r:.300}"
    assert math.isclose(result.accuracy, accuracy, abs_tol=1e-9), context
    assert result.format == fmt, context
    if reason is not None:
        assert result.reason.value == reason, context
    assert math.isclose(result.score, 0.9 * result.accuracy + 0.1 * result.format), context
    assert 0.0 <= result.score <= 1.0, context
    assert result.task == row["task"], context


def test_the_exact_rule_holds_in_the_data() -> None:
    """Partial accuracy is 1 iff exactly right, 0 for hedged, invalid or missing answers."""
    for row in ROWS:
        expect = row["expect"]
        for mode in ("positionwise", "kendall"):
            value = row["partial"][mode]
            assert 0.0 <= value <= 1.0, row["id"]
            assert (value == 1.0) == (expect["accuracy"] == 1.0), row["id"]
            if expect["reason"] in NO_VALID_ANSWER:
                assert value == 0.0, row["id"]
            if value not in (0.0, 1.0):
                assert expect["reason"] == "wrong", row["id"]
                assert row["task"] in ("shuffle", "depth", "flip"), row["id"]


def test_catalogue_is_big_and_covers_every_family_and_task() -> None:
    """At least 150 distinct cases; every family has attacks and honest twins that pay."""
    keys = {
        (
            r["task"],
            r["ground_truth"],
            r["prompt"],
            r["completion"],
            str(r["pad"]),
            str(r["config"]),
        )
        for r in ROWS
    }
    assert len(keys) == len(ROWS) >= 150
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    assert {r["family"] for r in ROWS} == set(FAMILIES)
    assert {r["task"] for r in ROWS} == set(TASKS)
    for family in FAMILIES:
        rows = [r for r in ROWS if r["family"] == family]
        assert any(r["honest"] and r["expect"]["accuracy"] == 1.0 for r in rows), family
        assert any(r["expect"]["accuracy"] == 0.0 for r in rows), family
        assert len({r["task"] for r in rows}) >= 4, family
    attacks = Counter(r["attack"] for r in ROWS if r["family"] == "text")
    for kind in (
        "zero_width",
        "bidi",
        "lookalike_letter",
        "lookalike_digit",
        "lookalike_boxed",
        "nul",
        "surrogate",
        "escape",
        "braces",
        "megabyte",
    ):
        assert attacks[kind] >= 1, kind


def test_catalogue_carries_the_hostile_characters() -> None:
    """The stored text really holds NUL, lone surrogates and megabyte inputs."""
    texts = [build_cases.expand(r) for r in ROWS]
    assert any("\x00" in t for t in texts)
    assert any("\ud800" in t for t in texts)
    assert any(len(t) >= 1_000_000 for t in texts)
    raw = build_cases.CASES.read_text(encoding="ascii")  # surrogates travel as escapes
    assert "\\ud800" in raw


def test_cases_file_matches_its_builder() -> None:
    """cases.jsonl is what build_cases.py writes (regenerate it after editing the rows)."""
    assert build_cases.main(["--check"]) == 0


def test_paper_values_come_from_the_published_reward() -> None:
    """The paper expectations of ordinary rows equal the re-stated published reward."""
    for row in ROWS:
        if row["pad"] is None:
            expected = build_cases.published_img_score(row["completion"], row["ground_truth"])
            assert expected == (row["paper"]["accuracy"], row["paper"]["format"]), row["id"]


def test_trainer_adapters_pay_exactly_what_score_pays() -> None:
    """Through the TRL and verl reward callables, every attack pays what `score` says."""
    rows = [r for r in ROWS if r["pad"] is None and not r["config"] and not r.get("xfail")]
    expected = [0.9 * r["expect"]["accuracy"] + 0.1 * r["expect"]["format"] for r in rows]
    trl = sr.make_reward_fn("trl")
    paid = trl(
        prompts=[r["prompt"] for r in rows],
        completions=[r["completion"] for r in rows],
        solution=[r["ground_truth"] for r in rows],
        task=[r["task"] for r in rows],
    )
    assert paid == pytest.approx(expected)
    verl = sr.make_reward_fn("verl", component="accuracy")
    for row in rows:
        out = verl(
            "spatial_ssrl",
            row["completion"],
            row["ground_truth"],
            {"task": row["task"], "prompt": row["prompt"]},
        )
        assert out["score"] == out["acc"] == row["expect"]["accuracy"], row["id"]
        assert out["format"] == row["expect"]["format"], row["id"]

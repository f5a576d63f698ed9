"""Real model outputs with hand labels (`tests/data/real_outputs.jsonl`, see its README).

No `wrong`, `hedge` or `no_answer` row is ever paid, in default mode or with the lenient
fallback; every `right` row whose answer sits in a box or an answer tag is paid, except the
refusals `docs/soundness.md` names as deliberate: an answer after a `<think>` that never
closes (a truncated completion cannot be told apart), and junk after the letter inside the
answer container (glitch tokens, leaked role words, stray markup).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import ssrl_rewards as sr

DATA = Path(__file__).resolve().parent / "data" / "real_outputs.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in DATA.read_text("utf-8").splitlines()]
SCORED = [row for row in ROWS if row["label"] != "unclear"]
CONFIGS = {"default": sr.RewardConfig(), "lenient": sr.RewardConfig(lenient_fallback=True)}
_LETTER_FIRST = re.compile(r"\(?([A-Da-d])\b[).:]?\s*(.*)", re.DOTALL)


def _score(row: dict[str, Any], config: sr.RewardConfig) -> sr.RewardResult:
    return sr.score(
        row["completion"], row["ground_truth"], row["task"], prompt=row["prompt"], config=config
    )


def _deliberate_refusal(row: dict[str, Any], result: sr.RewardResult) -> bool:
    """The two refusals the docs name: an unclosed reasoning block, or a container whose
    letter is followed by text that is neither its option text nor nothing."""
    if result.reason is sr.Reason.UNCLOSED_THINK:
        return True
    envelope = sr.parse_envelope(row["completion"])
    if envelope.answer is None:
        return False
    match = _LETTER_FIRST.fullmatch(envelope.answer)
    if match is None or match.group(1).upper() != row["ground_truth"]:
        return False
    rest = match.group(2).strip()
    options = sr.parse_options(row["prompt"]) or {}
    own = options.get(row["ground_truth"], "")
    return bool(rest) and rest.lower() != own.lower()


def test_the_corpus_is_the_documented_one() -> None:
    assert len(ROWS) == 212 and len(SCORED) == 200
    assert len({row["id"] for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("mode", sorted(CONFIGS))
def test_no_wrong_hedged_or_unanswered_row_is_paid(mode: str) -> None:
    paid = [
        row["id"]
        for row in SCORED
        if row["label"] != "right" and _score(row, CONFIGS[mode]).accuracy > 0
    ]
    assert paid == []


def test_every_boxed_or_tagged_right_row_is_paid_but_the_deliberate_refusals() -> None:
    missed = []
    for row in SCORED:
        if row["label"] != "right" or row["envelope"] == "other":
            continue
        result = _score(row, CONFIGS["default"])
        if result.accuracy != 1.0 and not _deliberate_refusal(row, result):
            missed.append((row["id"], result.reason.value))
    assert missed == []


def test_the_deliberate_refusals_stay_few() -> None:
    """A guard against the refusal rule swallowing the corpus: the figures in the docs."""
    reasons = Counter(
        _score(row, CONFIGS["default"]).reason.value
        for row in SCORED
        if row["label"] == "right" and row["envelope"] != "other"
    )
    assert reasons["correct"] == 34
    assert sum(reasons.values()) - reasons["correct"] <= 13


def test_a_right_row_is_never_paid_for_a_different_truth() -> None:
    for row in SCORED:
        if row["label"] != "right":
            continue
        other = "A" if row["ground_truth"] != "A" else "B"
        assert _score({**row, "ground_truth": other}, CONFIGS["default"]).accuracy == 0.0, row["id"]

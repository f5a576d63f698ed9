"""``ssrl-rewards score --out`` as one more entry point of the consistency table
(tests/test_consistency.py): every row of the table that a JSON Lines file can hold is
written to one file, scored by the real command, and must get the row contract's outcome
(score, accuracy, format and reason), or be a malformed row of the refusal's kind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ssrl_rewards import cli
from tests.test_consistency import (
    AMBIGUOUS,
    BAD_TRUTH,
    FOREIGN,
    NEAR_MISS,
    ROWS,
    Case,
    Outcome,
    agrees,
)

KINDS = {
    "ambiguous_ground_truth": AMBIGUOUS,
    "bad_ground_truth": BAD_TRUTH,
    "foreign_task": FOREIGN,
    "near_miss_task": NEAR_MISS,
}


def plain(value: Any) -> Any:
    """A value as a JSON file holds it (numpy arrays as lists)."""
    if isinstance(value, np.ndarray):
        return [plain(item) for item in value.tolist()]
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def put(record: dict[str, Any], key: str, value: Any) -> None:
    """Set a column, a dotted key reaching into a nested object."""
    head, _, rest = key.partition(".")
    if rest:
        record.setdefault(head, {})[rest] = value
    else:
        record[head] = value


def as_record(case: Case) -> dict[str, Any] | None:
    """The row as a JSON Lines file holds it, or None if JSON cannot hold it."""
    record: dict[str, Any] = {"completion": plain(case.completion)}
    for key, value in case.truth.items():
        put(record, key, plain(value))
    if case.task is not None:
        put(record, case.task[0], plain(case.task[1]))
    if case.prompt is not None:
        record["prompt"] = plain(case.prompt)
    if case.data_source is not None:
        record["data_source"] = case.data_source
    for key, value in case.extra.items():
        put(record, key, plain(value))
    try:
        json.dumps(record, allow_nan=True)
    except (TypeError, ValueError):
        return None
    return record


def outcome(line: dict[str, Any]) -> Outcome:
    if "error" in line:
        return KINDS.get(line["kind"], f"malformed ({line['kind']}): {line['error']}")
    return (line["score"], line["accuracy"], line["format"], line["reason"])


def test_the_table_is_there() -> None:
    assert len(ROWS) >= 30
    assert sum(as_record(case) is not None for case in ROWS) >= 30


def test_score_out_gives_every_row_its_outcome(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cases = [(case, as_record(case)) for case in ROWS]
    written = [(case, record) for case, record in cases if record is not None]
    path = tmp_path / "table.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for _, record in written:
            handle.write(json.dumps(record, allow_nan=True) + "\n")
    out_path = tmp_path / "out.jsonl"
    for workers in ("1", "2"):
        code = cli.main(["score", str(path), "--out", str(out_path), "-q", "--workers", workers])
        capsys.readouterr()
        assert code == 0
        lines = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
        assert [line["row"] for line in lines] == list(range(1, len(written) + 1))
        wrong = {
            case.name: (case.expected, outcome(line))
            for (case, _), line in zip(written, lines, strict=True)
            if not agrees("score", outcome(line), case.expected)
        }
        assert not wrong, wrong
    refusals = {case.expected for case, _ in written if isinstance(case.expected, str)}
    assert refusals == {AMBIGUOUS, BAD_TRUTH, FOREIGN, NEAR_MISS}

"""The CLI reads rows through the row contract (`ssrl_rewards.rows`): for every tricky row
shape, `ssrl-rewards score --out` gives exactly what `rows.read_row` + `score` give, and a
row the contract refuses is a malformed row (score) or a bad row (validate)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from ssrl_rewards import cli, rows
from ssrl_rewards.errors import RowError
from ssrl_rewards.reward import score

OPTIONS = "Where is the cup relative to the lamp? A. left B. right C. front D. back"
RIGHT = "\\boxed{B}"
THINK = "<think>the cup is right of the lamp</think>\n\\boxed{3-1-2}"

# (label, row): each row shape the contract decides; the CLI must agree with it.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("plain", {"completion": THINK, "ground_truth": "3-1-2", "task": "depth"}),
    (
        "reasoning_content",
        {
            "completion": [
                {"role": "assistant", "content": "\\boxed{3-1-2}", "reasoning_content": "far"}
            ],
            "solution": "3-1-2",
            "task": "depth",
        },
    ),
    (
        "two assistant turns",
        {
            "completion": [
                {"role": "assistant", "content": "<think>a</think>\\boxed{3-1-2}"},
                {"role": "tool", "content": "\\boxed{1-2-3}"},
                {"role": "assistant", "content": "\\boxed{1-2-3}"},
            ],
            "answer": "3-1-2",
        },
    ),
    ("ground truths agree", {"completion": THINK, "ground_truth": "3-1-2", "answer": " 3-1-2 "}),
    ("ground truths differ", {"completion": THINK, "ground_truth": "3-1-2", "solution": "1-2-3"}),
    ("alias, any case", {"completion": THINK, "ground_truth": "3-1-2", "task": "DEPTH"}),
    ("near miss", {"completion": THINK, "ground_truth": "3-1-2", "task": "depht"}),
    ("near miss 2", {"completion": THINK, "ground_truth": "3-1-2", "task": "Shuffle-task"}),
    ("foreign", {"completion": THINK, "ground_truth": "3-1-2", "task": "gsm8k"}),
    ("not a name", {"completion": THINK, "ground_truth": "3-1-2", "task": 7}),
    ("empty cell", {"completion": THINK, "ground_truth": "3-1-2", "task": ""}),
    ("null cell", {"completion": THINK, "ground_truth": "3-1-2", "task": None}),
    (
        "verl layout",
        {
            "response": THINK,
            "reward_model": {"ground_truth": "3-1-2"},
            "data_source": "spatial_ssrl/depth",
        },
    ),
    ("data source naming nothing", {"response": THINK, "answer": "3-1-2", "data_source": "gsm8k"}),
    ("extra_info task", {"response": THINK, "answer": "3-1-2", "extra_info": {"task": "depht"}}),
    (
        "chat prompt",
        {"completion": RIGHT, "answer": "B", "prompt": [{"role": "user", "content": OPTIONS}]},
    ),
    (
        "multi-turn prompt",
        {
            "completion": "\\boxed{Right}",
            "answer": "B",
            "task": "position",
            "prompt": [
                {"role": "user", "content": OPTIONS},
                {"role": "assistant", "content": "Let me look."},
                {"role": "user", "content": "Answer now."},
            ],
        },
    ),
    (
        "options in the ground truth",
        {
            "completion": "\\boxed{Right}",
            "ground_truth": {"task": "position", "answer": "B", "options": ["Left", "Right"]},
        },
    ),
    ("number completion", {"completion": 17, "ground_truth": "3-1-2", "task": "depth"}),
    ("no completion", {"ground_truth": "3-1-2", "task": "depth"}),
    ("no ground truth", {"completion": THINK, "task": "depth"}),
    ("bad ground truth", {"completion": THINK, "ground_truth": "3-3-2", "task": "depth"}),
]


def write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def contract(record: dict[str, Any], number: int) -> dict[str, Any] | None:
    """What the row contract gives for one row: the result dict, or None if refused."""
    try:
        row = rows.read_row(record, index=number)
        return score(row.completion, row.ground_truth, row.task, prompt=row.prompt).to_dict()
    except RowError:
        return None
    except ValueError:  # a bad ground truth (GroundTruthError)
        return None


def test_score_agrees_with_the_row_contract_on_every_shape(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = [record for _, record in ROWS]
    path = write_jsonl(tmp_path / "rows.jsonl", records)
    out_path = tmp_path / "out.jsonl"
    code = cli.main(["score", str(path), "--out", str(out_path), "-q", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    results = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert len(results) == len(ROWS)
    for number, ((label, record), result) in enumerate(zip(ROWS, results, strict=True), start=1):
        expected = contract(record, number)
        if expected is None:
            assert "error" in result, label
        else:
            assert result == {"row": number, **expected}, label
    assert report["malformed"]["count"] == sum(
        contract(record, n) is None for n, (_, record) in enumerate(ROWS, start=1)
    )
    assert results[1]["score"] == 1.0  # reasoning_content is the reasoning
    reasons = {row["row"]: row["reason"] for row in report["malformed"]["rows"]}
    assert "different ground truths in columns ['ground_truth', 'solution']" in reasons[5]
    assert "did you mean 'depth'?" in reasons[7] and "did you mean 'shuffle'?" in reasons[8]
    assert "is not a Spatial-SSRL task" in reasons[9]
    assert "did you mean 'depth'?" in reasons[15]  # extra_info.task is a task cell too
    number_completion = results[19 - 1]
    assert number_completion["reason"] == "not_a_string" and number_completion["score"] == 0.0


def test_parquet_rows_take_the_same_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = [
        {"completion": THINK, "ground_truth": "3-1-2", "task": "depth", "answer": "3-1-2"},
        {"completion": THINK, "ground_truth": "3-1-2", "task": "depht", "answer": "3-1-2"},
        {"completion": THINK, "ground_truth": "3-1-2", "task": "gsm8k", "answer": "1-2-3"},
    ]
    parquet = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    jsonl = write_jsonl(tmp_path / "rows.jsonl", records)
    outputs = []
    for path in (jsonl, parquet):
        out_path = tmp_path / f"{path.suffix}.out"
        assert cli.main(["score", str(path), "--out", str(out_path), "-q"]) == 0
        capsys.readouterr()
        outputs.append(out_path.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    lines = [json.loads(line) for line in outputs[0].splitlines()]
    assert lines[0]["score"] == 1.0
    assert "did you mean 'depth'?" in lines[1]["error"]
    assert "ground_truth" in lines[2]["error"] or "gsm8k" in lines[2]["error"]


def test_validate_refuses_the_rows_the_contract_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [record for _, record in ROWS])
    code = cli.main(["validate", str(path), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    bad = {row["row"] for row in document["bad_rows"]}
    for number, (label, record) in enumerate(ROWS, start=1):
        refused = contract({**record, "completion": "x"}, number) is None
        assert (number in bad) == refused, label


def test_column_flags_reach_the_contract(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    record = {"completion": THINK, "ground_truth": "3-1-2", "solution": "1-2-3", "kind": "depht"}
    path = write_jsonl(tmp_path / "r.jsonl", [record])
    out_path = tmp_path / "out.jsonl"
    args = ["score", str(path), "--out", str(out_path), "-q", "--ground-truth-key", "solution"]
    assert cli.main(args) == 0  # a named column settles the ambiguity
    assert json.loads(out_path.read_text(encoding="utf-8"))["accuracy"] == 0.0
    assert cli.main([*args, "--task-key", "kind"]) == 1  # the only row is a near miss
    assert "did you mean 'depth'?" in capsys.readouterr().err
    assert cli.main([*args, "--task-key", "kind", "--task", "depth"]) == 0  # forced
    code = cli.main(["score", str(path), "-q", "--task", "depht"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'depth'?" in err and err.count("\n") == 1

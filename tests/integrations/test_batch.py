"""`BatchScorer`: the same results as `score_batch`, row for row, on dict, pandas and Arrow batches.

The dict tests need nothing optional; pandas and pyarrow tests skip outside CI when those
are missing (and fail under CI=true, see conftest).
"""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from integration_helpers import trainer_import

from ssrl_rewards import BatchScorer, ConfigError, GroundTruthError, make_config, score_batch
from ssrl_rewards.batch import OUTPUT_COLUMNS
from ssrl_rewards.errors import ForeignTaskError, RowError
from ssrl_rewards.rows import read_row, score_row

SAMPLE = Path(__file__).resolve().parents[2] / "ssrl_rewards" / "data" / "sample.jsonl"


def sample_rows() -> list[dict[str, Any]]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in rows[0]}


def expected(rows: list[dict[str, Any]], **config: Any) -> dict[str, list[Any]]:
    results = score_batch(
        [r["completion"] for r in rows],
        [r["ground_truth"] for r in rows],
        [r["task"] for r in rows],
        prompts=[r["prompt"] for r in rows],
        config=make_config(**config),
    )
    return {
        "ssrl_score": [r.score for r in results],
        "ssrl_accuracy": [r.accuracy for r in results],
        "ssrl_format": [r.format for r in results],
        "ssrl_reason": [r.reason.value for r in results],
        "ssrl_pred": [r.pred for r in results],
    }


def as_lists(out: Any) -> dict[str, list[Any]]:
    return {name: list(np.asarray(out[name]).tolist()) for name in OUTPUT_COLUMNS}


@pytest.mark.parametrize(
    "config", [{}, {"mode": "paper"}, {"format_weight": 0.3, "accuracy_weight": 0.7}]
)
def test_dict_of_lists_equals_score_batch(config: dict[str, Any]) -> None:
    rows = sample_rows()
    batch = columns_of(rows)
    out = BatchScorer(**config)(batch)
    assert as_lists(out) == expected(rows, **config)
    assert set(out) == set(batch) | set(OUTPUT_COLUMNS)
    assert all(out[key] is batch[key] for key in batch)  # input columns passed through
    assert out["ssrl_score"].dtype == np.float64 and "ssrl_score" not in batch


def test_dict_of_numpy_arrays_equals_score_batch() -> None:
    rows = sample_rows()
    batch = {key: np.asarray(values) for key, values in columns_of(rows).items()}
    assert as_lists(BatchScorer()(batch)) == expected(rows)
    objects = {key: np.asarray(values, dtype=object) for key, values in columns_of(rows).items()}
    assert as_lists(BatchScorer()(objects)) == expected(rows)


def test_pandas_dataframe_equals_score_batch() -> None:
    pd = trainer_import("pandas")
    rows = sample_rows()
    frame = pd.DataFrame(rows)
    out = BatchScorer()(frame)
    assert isinstance(out, pd.DataFrame) and len(out) == len(rows)
    assert {name: out[name].tolist() for name in OUTPUT_COLUMNS} == expected(rows)
    assert list(frame.columns) == list(rows[0])  # the input frame is not modified
    assert out.index.equals(frame.index)


def test_pandas_with_a_non_default_index_and_missing_cells() -> None:
    pd = trainer_import("pandas")
    rows = sample_rows()[:20]
    frame = pd.DataFrame(rows, index=range(100, 120))
    frame["task"] = [None if i % 2 else t for i, t in enumerate(frame["task"])]  # infer
    out = BatchScorer()(frame)
    want = [score_row(read_row(dict(r, task=None) if i % 2 else r)) for i, r in enumerate(rows)]
    assert out["ssrl_score"].tolist() == [w.score for w in want]


def test_arrow_table_equals_score_batch() -> None:
    pa = trainer_import("pyarrow")
    rows = sample_rows()
    table = pa.Table.from_pylist(rows)
    out = BatchScorer()(table)
    assert isinstance(out, pa.Table) and out.num_rows == len(rows)
    assert {name: out.column(name).to_pylist() for name in OUTPUT_COLUMNS} == expected(rows)
    assert out.schema.field("ssrl_score").type == pa.float64()
    assert out.schema.field("ssrl_reason").type == pa.string()
    again = BatchScorer(mode="paper")(out)  # re-scoring replaces the columns, adds none
    assert again.column_names == out.column_names
    assert again.column("ssrl_score").to_pylist() == expected(rows, mode="paper")["ssrl_score"]


def test_nested_columns_and_chat_messages_follow_the_row_contract() -> None:
    """verl-style nested ground truth and chat-message completions, as rows.read_row reads them."""
    pa = trainer_import("pyarrow")
    rows = [
        {
            "data_source": "spatial_ssrl/position",
            "prompt": [{"role": "user", "content": "Where is the car? A. Left B. Right"}],
            "responses": [{"role": "assistant", "content": "<think>x</think> \\boxed{Right}"}],
            "reward_model": {"ground_truth": "B"},
        },
        {
            "data_source": "spatial_ssrl/shuffle",
            "prompt": [{"role": "user", "content": "order?"}],
            "responses": [
                {"role": "assistant", "content": "\\boxed{1-0}", "reasoning_content": "r"}
            ],
            "reward_model": {"ground_truth": "1-0"},
        },
    ]
    scorer = BatchScorer(completion_key="responses")
    want = [score_row(read_row(r, completion_key="responses")) for r in rows]
    got = scorer(pa.Table.from_pylist(rows))
    assert got.column("ssrl_score").to_pylist() == [w.score for w in want]
    assert got.column("ssrl_accuracy").to_pylist() == [1.0, 1.0]
    columns = columns_of(rows)
    assert scorer(columns)["ssrl_score"].tolist() == [w.score for w in want]


def test_bad_rows_raise_naming_the_row_or_are_marked() -> None:
    batch = {
        "completion": ["\\boxed{0-1}", "\\boxed{B}", "x"],
        "ground_truth": ["1-0", "nonsense", "B"],
    }
    batch["task"] = ["shuffle", "shuffle", "gsm8k"]
    with pytest.raises(GroundTruthError, match="row 1"):
        BatchScorer()(batch)
    out = BatchScorer(on_row_error="mark")(batch)
    assert out["ssrl_reason"][0] == "wrong"
    assert out["ssrl_reason"][1].startswith("row_error: ") and math.isnan(out["ssrl_score"][1])
    assert out["ssrl_reason"][2].startswith("row_error: ") and "gsm8k" in out["ssrl_reason"][2]
    with pytest.raises(ForeignTaskError):
        BatchScorer()({"completion": ["x"], "ground_truth": ["B"], "task": ["gsm8k"]})
    with pytest.raises(RowError, match="no ground truth"):
        BatchScorer()({"completion": ["x"]})


def test_bad_configuration_and_batches_raise_config_error() -> None:
    with pytest.raises(ConfigError):
        BatchScorer(format_weight=2.0)
    with pytest.raises(ConfigError):
        BatchScorer(no_such_field=1)
    with pytest.raises(ConfigError, match="on_row_error"):
        BatchScorer(on_row_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="differ in length"):
        BatchScorer()({"completion": ["a", "b"], "ground_truth": ["B"]})
    with pytest.raises(ConfigError, match="DataFrame"):
        BatchScorer()([("a", "B")])


def test_empty_batch_and_details() -> None:
    out = BatchScorer(details=True)({"completion": [], "ground_truth": []})
    assert all(len(out[name]) == 0 for name in (*OUTPUT_COLUMNS, "ssrl_task", "ssrl_format_reason"))
    out = BatchScorer(details=True)(
        {"completion": ["\\boxed{B}"], "ground_truth": ["B"], "prompt": ["Where? A. x B. y"]}
    )
    want = score_row(
        read_row({"completion": "\\boxed{B}", "ground_truth": "B", "prompt": "Where? A. x B. y"})
    )
    assert out["ssrl_task"].tolist() == [want.task] and out["ssrl_format_reason"][0] == "no_think"


def test_picklable_and_equal_after_a_round_trip() -> None:
    scorer = BatchScorer(mode="paper", completion_key="completion")
    clone = pickle.loads(pickle.dumps(scorer))
    rows = sample_rows()[:50]
    assert as_lists(clone(columns_of(rows))) == as_lists(scorer(columns_of(rows)))
    assert clone.config == scorer.config and "paper" in repr(clone)


def test_import_ssrl_rewards_imports_neither_pandas_nor_pyarrow() -> None:
    code = (
        "import sys, ssrl_rewards as sr; sr.BatchScorer; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'ray') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_datasets_map_recipe() -> None:
    """The documented Hugging Face recipe: dataset.map(BatchScorer(), batched=True)."""
    datasets = trainer_import("datasets")
    rows = sample_rows()[:64]
    dataset = datasets.Dataset.from_list(rows)
    scored = dataset.map(BatchScorer(), batched=True, batch_size=16)
    assert {name: scored[name] for name in OUTPUT_COLUMNS} == expected(rows)

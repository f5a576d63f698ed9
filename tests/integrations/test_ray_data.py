"""Ray Data on a local cluster: `map_batches(BatchScorer, ...)` matches `score_batch`,
and `score_file_with_ray` writes the scored rows and the report (the ``--engine ray`` path)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import quiet_import, trainer_import
from test_batch import OUTPUT_COLUMNS, expected, sample_rows

from ssrl_rewards import BatchScorer, ConfigError, make_config
from ssrl_rewards.batch import score_file_with_ray

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ray() -> Iterator[Any]:
    ray = trainer_import("ray")
    quiet_import("ray.data")
    # Workers import this tree's package (the shared environment's editable install may
    # point at another checkout).
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    ray.init(
        num_cpus=4,  # logical slots: the reader tasks and the scorer actor must fit together
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pq = trainer_import("pyarrow.parquet")
    pa = trainer_import("pyarrow")
    path = tmp_path_factory.mktemp("ray-in") / "rows.parquet"
    rows = [dict(row, id=index) for index, row in enumerate(sample_rows())]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=64)
    return path


@pytest.mark.parametrize("batch_format", ["pyarrow", "numpy"])
def test_map_batches_with_the_class_matches_score_batch(
    ray: Any, parquet_file: Path, batch_format: str
) -> None:
    dataset = ray.data.read_parquet(str(parquet_file)).map_batches(
        BatchScorer,
        fn_constructor_kwargs={"format_weight": 0.2, "accuracy_weight": 0.8},
        batch_format=batch_format,
        batch_size=50,
        compute=ray.data.ActorPoolStrategy(size=1),
    )
    rows = sorted(dataset.take_all(), key=lambda row: row["id"])
    want = expected(sample_rows(), format_weight=0.2, accuracy_weight=0.8)
    assert len(rows) == len(want["ssrl_score"])
    for name in OUTPUT_COLUMNS:
        assert [row[name] for row in rows] == want[name], name


def test_map_batches_with_an_instance_matches_score_batch(ray: Any, parquet_file: Path) -> None:
    dataset = ray.data.read_parquet(str(parquet_file)).map_batches(
        BatchScorer(mode="paper"), batch_format="pandas", batch_size=100
    )
    rows = sorted(dataset.take_all(), key=lambda row: row["id"])
    assert [row["ssrl_score"] for row in rows] == expected(sample_rows(), mode="paper")[
        "ssrl_score"
    ]


def _direct_report(rows: list[dict[str, Any]]) -> dict[str, tuple[int, float]]:
    sums: dict[str, list[float]] = {}
    for row, score in zip(rows, expected(rows)["ssrl_score"], strict=True):
        sums.setdefault(row["task"], []).append(score)
    return {task: (len(values), sum(values) / len(values)) for task, values in sums.items()}


@pytest.mark.parametrize("kind", ["parquet", "jsonl"])
def test_score_file_with_ray_writes_rows_and_the_report(
    ray: Any, parquet_file: Path, tmp_path: Path, kind: str
) -> None:
    pq = trainer_import("pyarrow.parquet")
    rows = sample_rows()
    source = parquet_file
    if kind == "jsonl":
        source = tmp_path / "rows.jsonl"
        lines = [json.dumps(row) for row in rows]
        lines.insert(
            7,
            json.dumps(
                {"completion": "\\boxed{B}", "ground_truth": "nonsense", "task": "position"}
            ),
        )
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "scored"
    report = score_file_with_ray(source, out, make_config())
    direct = _direct_report(rows)
    assert report["scored"] == len(rows)
    assert report["malformed"]["count"] == (1 if kind == "jsonl" else 0)
    assert report["rows"] == len(rows) + report["malformed"]["count"]
    for task, (count, mean) in direct.items():
        assert report["tasks"][task]["rows"] == count
        assert report["tasks"][task]["mean_score"] == pytest.approx(mean)
    assert list(report["tasks"]) == sorted(report["tasks"], key=list(report["tasks"]).index)
    written = pq.read_table(out).to_pylist()
    assert len(written) == report["rows"]
    assert {"ssrl_score", "ssrl_task", "completion"} <= set(written[0])
    with pytest.raises(ConfigError, match="exists"):
        score_file_with_ray(source, out)
    with pytest.raises(ConfigError, match="inside"):
        score_file_with_ray(tmp_path, tmp_path / "x")

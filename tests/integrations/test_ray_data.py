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


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from ssrl_rewards import cli  # noqa: PLC0415

    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _same_report(ray_report: dict[str, Any], local_report: dict[str, Any]) -> None:
    """Equal counts and reasons, equal means (to rounding: the engines sum in another
    order); malformed rows equal in number (Ray's messages carry no line numbers)."""
    ray_malformed = ray_report.pop("malformed")
    local_malformed = local_report.pop("malformed")
    assert ray_malformed["count"] == local_malformed["count"]
    for ray_row, local_row in zip(ray_malformed["rows"], local_malformed["rows"], strict=True):
        # the same verdict; the engines name the place differently (column and batch row,
        # or the ground truth of a line)
        assert ray_row["reason"].rsplit("'", 1)[-1] == local_row["reason"].rsplit("'", 1)[-1]
    _nested_approx(ray_report, local_report)


def _nested_approx(got: Any, want: Any) -> bool:
    """Assert `got` equals `want`, floats to 1e-12."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want)
        return all(_nested_approx(got[key], want[key]) for key in want)
    if isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
        return True
    assert got == want
    return True


@pytest.mark.parametrize("kind", ["parquet", "jsonl"])
def test_cli_engine_ray_prints_the_local_engines_report(
    ray: Any, parquet_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """``ssrl-rewards score FILE --engine ray`` equals ``score FILE`` (the local engine) on
    the same file: the JSON report (a malformed row included for JSON Lines) and the text
    tables; ``--out`` names the new Parquet directory, the column flags reach the scorer."""
    source = parquet_file
    if kind == "jsonl":
        source = tmp_path / "rows.jsonl"
        lines = [json.dumps({**row, "answer": row.pop("ground_truth")}) for row in sample_rows()]
        lines.insert(
            3, json.dumps({"completion": "\\boxed{B}", "answer": "nonsense", "task": "position"})
        )
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flags = ["--ground-truth-key", "answer"] if kind == "jsonl" else []
    flags += ["--format-weight", "0.2", "--accuracy-weight", "0.8"]
    code, local_json, _ = _cli(capsys, "score", str(source), "--json", *flags)
    assert code == 0
    out = tmp_path / "scored"
    code, ray_json, err = _cli(
        capsys, "score", str(source), "--engine", "ray", "--json", "--out", str(out), *flags
    )
    assert code == 0, err
    assert f"written to {out}" in err
    local_report, ray_report = json.loads(local_json), json.loads(ray_json)
    assert (
        ray_report["scored"] == len(sample_rows()) and ray_report["config"]["format_weight"] == 0.2
    )
    _same_report(ray_report, local_report)
    pq = trainer_import("pyarrow.parquet")
    assert pq.read_table(out).num_rows == local_report["rows"]
    # the text report: the same tables (the malformed rows' lines aside)
    code, local_text, _ = _cli(capsys, "score", str(source), *flags)
    code_ray, ray_text, _ = _cli(capsys, "score", str(source), "--engine", "ray", *flags)
    assert code == code_ray == 0
    cut = "Malformed rows (skipped):"
    assert ray_text.split(cut)[0] == local_text.split(cut)[0]
    assert ray_text.split(cut)[1].splitlines()[0] == local_text.split(cut)[1].splitlines()[0]


def test_cli_engine_ray_refusals_are_one_line(
    ray: Any, parquet_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, fragment in (
        (["score", "-", "--engine", "ray"], "needs a FILE"),
        (["score", str(parquet_file), "--engine", "ray", "--compare-paper"], "--compare-paper"),
        (["score", str(parquet_file), "--engine", "ray", "--out", "-"], "new directory"),
        (["score", str(parquet_file), "--engine", "ray", "--out", str(tmp_path)], "exists"),
        (["score", str(parquet_file), "--ray-address", "auto"], "--engine ray"),
    ):
        code, out, err = _cli(capsys, *argv)
        assert code == 2 and out == "" and err.count("\n") == 1 and fragment in err, (argv, err)

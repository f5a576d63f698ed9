"""The command line keeps data safe: --out never replaces the input, a failed run leaves
the old results, a run that scores nothing fails; hostile rows (nested 1,000 deep, 2 MB
values) become malformed rows with one-line reasons, never a traceback or a huge report."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import ssrl_rewards as sr
from ssrl_rewards import cli
from ssrl_rewards.synthetic import generate


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_jsonl(path: Path, records: Sequence[object]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write((record if isinstance(record, str) else json.dumps(record)) + "\n")
    return path


def rollouts(path: Path, n: int = 5) -> Path:
    rows = [row.sample_record() for row in generate(n, seed=5, reasoning_tokens=10)]
    return write_jsonl(path, rows)


def assert_one_line_error(
    code: int, out: str, err: str, *fragments: str, exit_code: int = 2
) -> None:
    assert code == exit_code, err
    assert err.startswith("ssrl-rewards: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


# --- --out never names the input ----------------------------------------------------------------


def same_file_paths(tmp_path: Path, path: Path) -> dict[str, str]:
    """The input file under other names: itself, relative, via a symlink, a hard link."""
    link = tmp_path / "link.jsonl"
    link.symlink_to(path)
    hard = tmp_path / "hard.jsonl"
    os.link(path, hard)
    return {
        "same path": str(path),
        "relative path": os.path.relpath(path),
        "dotted path": str(path.parent / "." / path.name),
        "symbolic link": str(link),
        "hard link": str(hard),
    }


def test_out_naming_the_input_is_refused_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rollouts(tmp_path / "rollouts.jsonl")
    before = path.read_bytes()
    for how, out in same_file_paths(tmp_path, path).items():
        code, out_text, err = run(capsys, "score", str(path), "--out", out)
        assert_one_line_error(code, out_text, err, "is the input file", "nothing was written")
        assert out_text == "", how
        assert path.read_bytes() == before, how
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hard.jsonl",
        "link.jsonl",
        "rollouts.jsonl",
    ]
    # the input named through a symbolic link, --out its real path
    code, out_text, err = run(capsys, "score", str(tmp_path / "link.jsonl"), "--out", str(path))
    assert_one_line_error(code, out_text, err, "is the input file")
    assert path.read_bytes() == before


def test_out_naming_redirected_stdin_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = rollouts(tmp_path / "rollouts.jsonl")
    before = path.read_bytes()
    with path.open("rb") as handle:  # `ssrl-rewards score - --out rollouts.jsonl < rollouts.jsonl`
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(handle))
        assert_one_line_error(*run(capsys, "score", "-", "--out", str(path)), "is the input file")
    assert path.read_bytes() == before


def test_out_dash_writes_results_to_stdout_and_the_report_to_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rollouts(tmp_path / "rollouts.jsonl", 6)
    code, out, err = run(capsys, "score", str(path), "--out", "-", "--json", "-q")
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["row"] for r in results] == [1, 2, 3, 4, 5, 6]
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for record, result in zip(records, results, strict=True):
        expected = sr.score(
            record["completion"], record["ground_truth"], record["task"], prompt=record["prompt"]
        )
        assert result["score"] == expected.score
    assert json.loads(err)["scored"] == 6  # the report, on stderr
    assert not (tmp_path / "-").exists()


def test_a_failed_run_leaves_the_previous_results_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = rollouts(tmp_path / "good.jsonl", 4)
    out_path = tmp_path / "results.jsonl"
    assert run(capsys, "score", str(good), "--out", str(out_path), "-q")[0] == 0
    previous = out_path.read_bytes()
    assert len(previous.splitlines()) == 4
    records = [json.loads(line) for line in good.read_text(encoding="utf-8").splitlines()]
    bad = write_jsonl(tmp_path / "bad.jsonl", [*records[:2], "{broken", *records[2:]])
    code, _, err = run(capsys, "score", str(bad), "--out", str(out_path), "--strict")
    assert code == 1 and "--strict" in err
    assert out_path.read_bytes() == previous  # not half a file
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.jsonl",
        "good.jsonl",
        "results.jsonl",
    ]


def test_out_keeps_the_permissions_of_the_file_it_replaces(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rollouts(tmp_path / "rollouts.jsonl", 2)
    out_path = tmp_path / "results.jsonl"
    out_path.write_text("old\n", encoding="utf-8")
    out_path.chmod(0o640)
    link = tmp_path / "results-link.jsonl"
    link.symlink_to(out_path)
    assert run(capsys, "score", str(path), "--out", str(link), "-q")[0] == 0
    assert link.is_symlink()  # written through the link, not replacing it
    assert len(out_path.read_text(encoding="utf-8").splitlines()) == 2
    assert out_path.stat().st_mode & 0o777 == 0o640


def test_out_to_a_device_is_written_in_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rollouts(tmp_path / "rollouts.jsonl", 2)
    code, _, err = run(capsys, "score", str(path), "--out", os.devnull, "-q")
    assert code == 0, err
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


# --- never exit 0 having done nothing -----------------------------------------------------------


def test_no_row_scored_is_a_failure_and_keeps_the_old_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "t.jsonl",
        ["{broken", {"completion": "x", "task": "depth", "ground_truth": 5}, "[1]"],
    )
    out_path = tmp_path / "results.jsonl"
    out_path.write_text("previous results\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(path), "--out", str(out_path), "-q")
    assert code == 1
    assert "Malformed rows (skipped): 3" in out  # the report still says why
    assert err.count("\n") == 1 and err.startswith("ssrl-rewards: error: ")
    assert "no row could be scored: all 3 rows are malformed" in err
    assert "line 1: not valid JSON" in err and "--out not written" in err
    assert out_path.read_text(encoding="utf-8") == "previous results\n"


def test_an_empty_parquet_file_is_no_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.parquet"
    schema = pa.schema([("completion", pa.string()), ("ground_truth", pa.string())])
    pq.write_table(schema.empty_table(), path)
    assert_one_line_error(*run(capsys, "score", str(path)), "no rows to read")
    assert_one_line_error(*run(capsys, "validate", str(path)), "no rows to read")


# --- hostile rows -------------------------------------------------------------------------------


def nested(depth: int, inner: str = '"1-2-3"') -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize(
    ("depth", "workers"), [(100, "1"), (900, "1"), (1000, "1"), (100_000, "1"), (1000, "2")]
)
def test_rows_nested_deep_are_malformed_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, depth: int, workers: str
) -> None:
    good = rollouts(tmp_path / "good.jsonl", 2).read_text(encoding="utf-8").splitlines()
    lines = [
        good[0],
        f'{{"task": "depth", "completion": "\\\\boxed{{1-2-3}}", "ground_truth": {nested(depth)}}}',
        '{"completion": ' + nested(depth, '"x"') + ', "ground_truth": "1-2-3"}',
        '{"completion": "x", "ground_truth": "1-2-3", "prompt": ' + nested(depth, '"x"') + "}",
        '{"completion": "x", "ground_truth": "1-2-3", "extra": '
        + '{"a": ' * depth
        + "1"
        + "}" * depth
        + "}",  # a deep column nobody reads: scored when Python can decode it
        good[1],
    ]
    path = write_jsonl(tmp_path / "deep.jsonl", lines)
    out_path = tmp_path / "out.jsonl"
    code, out, err = run(
        capsys, "score", str(path), "--json", "--workers", workers, "--out", str(out_path)
    )
    assert code == 0, err
    assert "Traceback" not in err and "RecursionError" not in err
    report = json.loads(out)
    assert report["rows"] == 6
    malformed = {row["row"]: row["reason"] for row in report["malformed"]["rows"]}
    assert 2 in malformed and not {1, 6} & set(malformed)  # the deep ground truth
    for reason in malformed.values():  # a line Python cannot decode, or a deep ground truth
        assert "nested" in reason and len(reason) < 400, reason
    results = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in results] == [1, 2, 3, 4, 5, 6]
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1 and "Traceback" not in err
    assert "line 2: " in out and "nested" in out


def test_a_2_mb_bad_ground_truth_gives_a_short_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = "1-" * 1_000_000  # 2 MB, not a permutation
    good = rollouts(tmp_path / "good.jsonl", 1).read_text(encoding="utf-8").splitlines()
    rows: list[object] = [
        good[0],
        {"task": "depth", "completion": "\\boxed{1-2}", "ground_truth": huge},
        {"task": "x" * 2_000_000, "completion": "\\boxed{1-2}", "ground_truth": "1-2"},
        {"task": "depth", "completion": "\\boxed{1-2}", "ground_truth": [huge]},
        {"task": "crop", "completion": "\\boxed{A}", "ground_truth": {"answer": huge}},
    ]
    path = write_jsonl(tmp_path / "huge.jsonl", rows)
    assert path.stat().st_size > 8_000_000
    out_path = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "score", str(path), "--json", "--out", str(out_path))
    assert code == 0
    assert len(out) < 20_000 and len(err) < 5_000 and out_path.stat().st_size < 10_000
    reasons = [row["reason"] for row in json.loads(out)["malformed"]["rows"]]
    assert len(reasons) == 4
    assert (
        reasons[0].startswith("depth: ground_truth '1-1-1-1") and "(2,000,000 chars)" in reasons[0]
    )
    assert "is not a Spatial-SSRL task" in reasons[1] and len(reasons[1]) < 500
    code, text, err = run(capsys, "score", str(path))
    assert len(text) < 10_000 and len(err) < 5_000
    for mode in ("default", "paper"):
        code, text, _ = run(capsys, "validate", str(path), "--mode", mode)
        assert code == 1 and len(text) < 10_000
        code, text, _ = run(capsys, "validate", str(path), "--mode", mode, "--json")
        assert code == 1 and len(text) < 20_000


def test_long_names_on_the_command_line_are_shortened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rollouts(tmp_path / "r.jsonl", 2)
    code, out, err = run(capsys, "score", str(path), "--ground-truth-key", "g" * 100_000)
    assert_one_line_error(code, out, err, "no ground-truth column")
    assert len(err) < 2_000
    code, out, err = run(capsys, "score", str(path), "--task", "t" * 100_000)
    assert_one_line_error(code, out, err, "not a registered task")
    assert len(err) < 2_000


def test_internal_errors_are_counted_apart_and_logged(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ssrl_rewards import reward  # noqa: PLC0415

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a deliberate bug")

    monkeypatch.setattr(reward, "_score_default", broken)
    path = rollouts(tmp_path / "r.jsonl", 3)
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["internal_errors"] == 3 and report["malformed"]["count"] == 0
    assert report["all"]["reasons"] == {"internal_error": 3}
    logged = [r for r in caplog.records if r.name == "ssrl_rewards" and r.exc_info]
    assert logged and "RuntimeError" in logged[0].getMessage()  # logged with its traceback
    code, out, _ = run(capsys, "score", str(path))
    assert "Internal errors (a bug of ours, not the model" in out and "please report): 3" in out

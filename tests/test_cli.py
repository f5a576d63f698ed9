"""The command line: each command on small files, every error path, exit codes."""

from __future__ import annotations

import collections
import gzip
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import ssrl_rewards as sr
from ssrl_rewards import cli, server
from ssrl_rewards.cli import progress as progress_module
from ssrl_rewards.cli import sources
from ssrl_rewards.hooks import hooks_text
from ssrl_rewards.synthetic import SAMPLE_PATH, generate

PAPER = sr.RewardConfig(mode="paper")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_jsonl(path: Path, records: Sequence[object]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write((record if isinstance(record, str) else json.dumps(record)) + "\n")
    return path


def write_parquet(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist(list(records)), path)
    return path


def synthetic_records(n: int, seed: int = 11) -> list[dict[str, Any]]:
    return [row.sample_record() for row in generate(n, seed=seed, reasoning_tokens=30)]


def expected_report(
    records: Sequence[dict[str, Any]], config: sr.RewardConfig | None = None
) -> dict[str, dict[str, Any]]:
    """Per-task figures computed row by row with `sr.score`."""
    by_task: dict[str, list[sr.RewardResult]] = collections.defaultdict(list)
    for record in records:
        result = sr.score(
            record["completion"],
            record["ground_truth"],
            record.get("task"),
            prompt=record.get("prompt"),
            config=config,
        )
        by_task[result.task].append(result)
    by_task["all"] = [result for name in list(by_task) for result in by_task[name]]
    return {
        name: {
            "rows": len(results),
            "mean_score": sum(r.score for r in results) / len(results),
            "accuracy": sum(r.accuracy for r in results) / len(results),
            "format": sum(r.format for r in results) / len(results),
            "reasons": collections.Counter(r.reason.value for r in results),
        }
        for name, results in by_task.items()
    }


def assert_report_matches(report: dict[str, Any], expected: dict[str, dict[str, Any]]) -> None:
    sections = {**report["tasks"], "all": report["all"]}
    assert set(sections) == set(expected)
    for name, figures in expected.items():
        got = sections[name]
        assert got["rows"] == figures["rows"], name
        for key in ("mean_score", "accuracy", "format"):
            assert got[key] == pytest.approx(figures[key], abs=1e-12), (name, key)
        assert got["reasons"] == dict(figures["reasons"]), name


# --- score: the bundled sample ------------------------------------------------------------------


def test_score_without_a_file_reports_on_the_bundled_sample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "score", "--json")
    assert code == 0
    report = json.loads(out)
    records = [json.loads(line) for line in SAMPLE_PATH.read_text(encoding="utf-8").splitlines()]
    assert report["source"] == "bundled sample"
    assert report["rows"] == report["scored"] == len(records)
    assert report["malformed"]["count"] == 0
    assert_report_matches(report, expected_report(records))
    assert "scored" in err  # the timing line is a diagnostic


def test_sample_text_report_shows_the_same_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score")
    assert code == 0
    records = [json.loads(line) for line in SAMPLE_PATH.read_text(encoding="utf-8").splitlines()]
    expected = expected_report(records)
    lines = out.splitlines()
    for name in (*sr.task_names()[:5], "all"):
        figures = expected[name]
        row = next(line for line in lines if line.split()[:1] == [name])
        assert row.split() == [
            name,
            str(figures["rows"]),
            f"{figures['mean_score']:.3f}",
            f"{figures['accuracy']:.3f}",
            f"{figures['format']:.3f}",
        ]
    for reason in ("multiple_answers", "answer_in_think", "no_answer", "not_in_answer_space"):
        reason_row = next(line for line in lines if line.startswith(reason + " "))
        assert reason_row.split()[-2] == str(expected["all"]["reasons"][reason])
    assert "Malformed rows (skipped): 0" in out


def test_compare_paper_counts_disagreements_row_by_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "score", "--json", "--compare-paper", "-q")
    assert code == 0
    report = json.loads(out)
    records = [json.loads(line) for line in SAMPLE_PATH.read_text(encoding="utf-8").splitlines()]
    disagree: collections.Counter[str] = collections.Counter()
    paper_scores: dict[str, list[float]] = collections.defaultdict(list)
    for record in records:
        args = (record["completion"], record["ground_truth"], record["task"])
        default = sr.score(*args, prompt=record["prompt"])
        paper = sr.score(*args, prompt=record["prompt"], config=PAPER)
        paper_scores[default.task].append(paper.score)
        if default.score != paper.score:
            disagree[default.task] += 1
    for name, stats in report["tasks"].items():
        assert stats["paper"]["disagree"] == disagree[name]
        assert sum(stats["paper"]["why"].values()) == disagree[name]
        assert stats["paper"]["mean_score"] == pytest.approx(
            sum(paper_scores[name]) / len(paper_scores[name])
        )
    why = report["all"]["paper"]["why"]
    assert why["default correct / paper wrong"] > 0  # honest notations
    assert why["default answer_in_think / paper correct"] > 0
    code, text, _ = run(capsys, "score", "--compare-paper", "-q")
    assert "why they disagree" in text and "the exact match rejects it" in text


def test_compare_paper_refuses_paper_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "--compare-paper", "--mode", "paper")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--compare-paper" in err


# --- score: files -------------------------------------------------------------------------------


def test_score_jsonl_and_out_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = synthetic_records(40)
    path = write_jsonl(tmp_path / "rollouts.jsonl", records)
    out_path = tmp_path / "results.jsonl"
    code, out, _ = run(capsys, "score", str(path), "--json", "--out", str(out_path))
    assert code == 0
    assert_report_matches(json.loads(out), expected_report(records))
    results = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert len(results) == len(records)
    for number, (record, result) in enumerate(zip(records, results, strict=True), start=1):
        expected = sr.score(
            record["completion"], record["ground_truth"], record["task"], prompt=record["prompt"]
        ).to_dict()
        assert result == {"row": number, **expected}


def test_score_parquet_matches_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = synthetic_records(60)
    jsonl = write_jsonl(tmp_path / "r.jsonl", records)
    parquet = write_parquet(tmp_path / "r.parquet", records)
    _, from_jsonl, _ = run(capsys, "score", str(jsonl), "--json")
    code, from_parquet, _ = run(capsys, "score", str(parquet), "--json")
    assert code == 0
    a, b = json.loads(from_jsonl), json.loads(from_parquet)
    assert a["source"] != b["source"]
    a.pop("source")
    b.pop("source")
    assert a == b


def test_score_reads_parquet_in_batches(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "PARQUET_BATCH_ROWS", 7)
    records = synthetic_records(50)
    path = write_parquet(tmp_path / "r.parquet", records)
    code, out, _ = run(capsys, "score", str(path), "--json", "-q")
    assert code == 0
    assert_report_matches(json.loads(out), expected_report(records))


def test_score_gzip_and_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = synthetic_records(15)
    text = "".join(json.dumps(r) + "\n" for r in records)
    gz = tmp_path / "r.jsonl.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    code, out, _ = run(capsys, "score", str(gz), "--json", "-q")
    assert code == 0 and json.loads(out)["scored"] == 15
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "score", "-", "--json", "-q")
    assert code == 0 and json.loads(out)["source"] == "stdin"


def test_trainer_layouts_are_found_without_flags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = generate(1, seed=3, tasks=["position"], kinds=["variant"], reasoning_tokens=10)[0]
    layouts = {
        # verl: nested ground truth, chat prompt, task from data_source
        "verl": {
            "data_source": "spatial_ssrl/position",
            "prompt": [{"role": "user", "content": row.prompt}],
            "reward_model": {"style": "rule", "ground_truth": row.ground_truth},
            "response": row.completion,
        },
        # EasyR1 / the Spatial-SSRL dataset: problem and answer
        "easyr1": {"problem": row.prompt, "answer": row.ground_truth, "output": row.completion},
        # TRL: solution column, conversational completion
        "trl": {
            "prompt": [{"role": "user", "content": row.prompt}],
            "completion": [{"role": "assistant", "content": row.completion}],
            "solution": row.ground_truth,
        },
    }
    expected = sr.score(row.completion, row.ground_truth, "position", prompt=row.prompt)
    assert expected.accuracy == 1.0
    for name, record in layouts.items():
        for writer, suffix in ((write_jsonl, "jsonl"), (write_parquet, "parquet")):
            path = writer(tmp_path / f"{name}.{suffix}", [record])
            out_path = tmp_path / f"{name}.{suffix}.out"
            code, _, err = run(capsys, "score", str(path), "-q", "--out", str(out_path))
            assert code == 0, (name, err)
            result = json.loads(out_path.read_text(encoding="utf-8"))
            assert result["task"] == "position", name
            assert result["score"] == expected.score, name


def test_column_flags_and_forced_task(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    row = generate(1, seed=1, tasks=["crop"], kinds=["canonical"], reasoning_tokens=10)[0]
    path = write_jsonl(
        tmp_path / "custom.jsonl",
        [{"gen": row.completion, "gt": {"value": row.ground_truth}, "q": "no hint here"}],
    )
    args = ["score", str(path), "--json", "-q", "--completion-key", "gen"]
    args += ["--ground-truth-key", "gt.value", "--prompt-key", "q"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and list(json.loads(out)["tasks"]) == ["choice"]  # a bare letter
    code, out, _ = run(capsys, *args, "--task", "crop")
    assert code == 0 and list(json.loads(out)["tasks"]) == ["crop"]


def test_config_flags_reach_the_scorer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = synthetic_records(30)
    path = write_jsonl(tmp_path / "r.jsonl", records)
    flags = ["--credit", "kendall", "--format-weight", "0.2", "--accuracy-weight", "0.8"]
    flags += ["--no-fbox", "--lenient-fallback", "--max-candidates", "4"]
    code, out, _ = run(capsys, "score", str(path), "--json", "-q", *flags)
    assert code == 0
    report = json.loads(out)
    config = sr.RewardConfig(
        credit="kendall",
        format_weight=0.2,
        accuracy_weight=0.8,
        fbox=False,
        lenient_fallback=True,
        max_candidates=4,
    )
    assert report["config"] == config.model_dump()
    assert_report_matches(report, expected_report(records, config))
    code, out, _ = run(capsys, "score", str(path), "--json", "-q", "--mode", "paper")
    assert_report_matches(json.loads(out), expected_report(records, PAPER))


def test_every_config_field_has_a_flag() -> None:
    parser = cli.build_parser()
    score_parser = parser._subparsers._group_actions[0].choices["score"]  # type: ignore[union-attr]
    dests = {action.dest for action in score_parser._actions}
    assert set(sr.RewardConfig.model_fields) <= dests


def test_workers_give_the_same_results_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = synthetic_records(700, seed=21)
    records[5] = {"task": "depth"}  # a malformed row keeps its place
    path = write_jsonl(tmp_path / "r.jsonl", [*records[:300], "{not json", *records[300:]])
    outputs = []
    for workers in ("1", "2"):
        out_path = tmp_path / f"out{workers}.jsonl"
        code, out, _ = run(
            capsys, "score", str(path), "--json", "-q", "--compare-paper",
            "--workers", workers, "--out", str(out_path),
        )  # fmt: skip
        assert code == 0
        outputs.append((out, out_path.read_bytes()))
    assert outputs[0] == outputs[1]
    lines = outputs[0][1].decode().splitlines()
    assert [json.loads(line)["row"] for line in lines] == list(range(1, 702))


# --- score: malformed rows ----------------------------------------------------------------------


def malformed_file(tmp_path: Path) -> Path:
    good = synthetic_records(3)
    return write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            good[0],
            "{not json",
            "[1, 2, 3]",
            {"task": "shuffle", "ground_truth": "0-1-2"},  # no completion
            {**good[1], "task": "shufle"},  # a near miss: never inferred past
            {**good[1], "ground_truth": "9-9-9"},
            {**good[1], "task": "gsm8k"},  # another reward function's row
            "",
            good[2],
        ],
    )


def test_malformed_rows_are_counted_with_line_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = malformed_file(tmp_path)
    code, out, err = run(capsys, "score", str(path))
    assert code == 0
    assert "Malformed rows (skipped): 6" in out
    for fragment in (
        "line 2: not valid JSON",
        "line 3: not a JSON object (a list)",
        "line 4: no completion (tried completion, response,",
        "line 5: column 'task': task='shufle' is not a registered task; did you mean 'shuffle'?",
        "line 6: column 'ground_truth':",
        "line 7: column 'task': task='gsm8k' is not a Spatial-SSRL task",
    ):
        assert fragment in out and fragment in err, fragment
    code, out, _ = run(capsys, "score", str(path), "--json", "-q")
    report = json.loads(out)
    assert report["rows"] == 8 and report["scored"] == 2
    assert [row["row"] for row in report["malformed"]["rows"]] == [2, 3, 4, 5, 6, 7]


def test_strict_makes_a_malformed_row_fatal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "score", str(malformed_file(tmp_path)), "--strict")
    assert code == 1 and out == ""
    assert "line 2: not valid JSON" in err and "--strict" in err
    assert "Traceback" not in err


def test_the_closing_line_counts_scored_and_skipped_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, _, err = run(capsys, "score", str(malformed_file(tmp_path)))
    closing = err.splitlines()[-1]
    assert re.fullmatch(
        r"ssrl-rewards: scored 2 rows and skipped 6 malformed in [0-9.]+ s \([0-9,]+ rows/s\)",
        closing,
    ), closing
    _, _, err = run(capsys, "score")
    rows = len(SAMPLE_PATH.read_text(encoding="utf-8").splitlines())
    assert err.splitlines()[-1].startswith(f"ssrl-rewards: scored {rows} rows in ")


def test_a_file_of_malformed_lines_reports_each_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "table.jsonl"  # a CSV saved as .jsonl
    path.write_text("task,completion,ground_truth\ndepth,<think></think>,1-2-3\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(path))
    assert code == 1  # nothing could be scored: never exit 0 having done nothing
    assert "Malformed rows (skipped): 2" in out
    for fragment in ("line 1: not valid JSON", "line 2: not valid JSON"):
        assert fragment in out and fragment in err
    assert err.splitlines()[-1].startswith("ssrl-rewards: error: ")
    assert "no row could be scored" in err.splitlines()[-1]
    code, out, err = run(capsys, "score", str(path), "--strict")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "line 1: not valid JSON" in err and "--strict" in err
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "line 1: not valid JSON" in out and "2 rows bad" in out
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n  \n", encoding="utf-8")
    assert_one_line_error(*run(capsys, "score", str(blank)), "no rows to read")


# --- score: JSON Lines rows with different columns ----------------------------------------------

OPTIONS = "Where is the cup relative to the lamp? A. left B. right C. front D. back"
RIGHT = "<think>The cup is to the right of the lamp.</think>\n\\boxed{Right}"


def mixed_columns_file(tmp_path: Path) -> Path:
    """Line 1 has no task and no prompt; the later lines have them, under other names too."""
    return write_jsonl(
        tmp_path / "mixed-columns.jsonl",
        [
            {"completion": "<think>near to far</think>\n\\boxed{3-1-2}", "ground_truth": "3-1-2"},
            {"task": "position", "prompt": OPTIONS, "completion": RIGHT, "ground_truth": "B"},
            {"data_source": "ssrl/position", "problem": OPTIONS, "response": RIGHT, "answer": "B"},
        ],
    )


def test_jsonl_columns_are_found_row_by_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "score", str(mixed_columns_file(tmp_path)), "--out", str(out_path))
    assert code == 0, err
    results = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    expected = sr.score(RIGHT, "B", "position", prompt=OPTIONS).to_dict()
    assert expected["score"] == 1.0
    assert results[0]["score"] == 1.0
    assert results[1] == {"row": 2, **expected}  # the prompt maps 'Right' to option B
    assert results[2] == {"row": 3, **expected}  # data_source, problem, response, answer


def test_validate_reads_columns_that_the_first_line_lacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    three = OPTIONS.replace(" D. back", "")
    path = write_jsonl(
        tmp_path / "train.jsonl",
        [
            {"answer": "3-1-2"},
            {"task": "position", "problem": three, "answer": "D"},
            {"task": "jigsaw puzzle", "answer": "0-1-2"},
        ],
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert "line 2: column 'problem': the ground truth 'D' is not among the prompt's options" in out
    assert "line 3: column 'task': task='jigsaw puzzle' is not a registered task" in out
    assert "2 rows bad" in out


def test_a_named_prompt_column_missing_from_some_rows_leaves_them_without_a_prompt(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = mixed_columns_file(tmp_path)
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(
        capsys, "score", str(path), "--prompt-key", "prompt", "--out", str(out_path), "-q"
    )
    assert code == 0, err
    results = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    # line 3 keeps its options under 'problem': without them 'Right' names no letter
    assert [r["reason"] for r in results] == ["correct", "correct", "unparseable"]
    code, _, err = run(capsys, "score", str(path), "--prompt-key", "prompt", "--strict", "-q")
    assert code == 0, err
    # a named column that no row has is still one line naming the columns of every row
    assert_one_line_error(
        *run(capsys, "score", str(path), "--prompt-key", "question"),
        "no prompt column 'question' (--prompt-key)",
        "columns: completion, ground_truth, task, prompt, data_source, problem, response, answer",
    )


def test_columns_are_checked_on_the_lines_read_ahead(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "LOOKAHEAD_LINES", 3)
    records = synthetic_records(4)
    late = {**records[3], "q": records[3]["prompt"]}
    path = write_jsonl(
        tmp_path / "late.jsonl", ["not json", "[1]", "{broken", *records[:3], late]
    )  # no object among the lines read ahead: no column can be checked, rows are scored
    code, out, _ = run(capsys, "score", str(path), "--json", "-q")
    assert code == 0
    report = json.loads(out)
    assert report["scored"] == 4 and report["malformed"]["count"] == 3
    assert_report_matches(report, expected_report(records))
    path = write_jsonl(tmp_path / "late-q.jsonl", [*records[:3], late])
    assert_one_line_error(
        *run(capsys, "score", str(path), "--prompt-key", "q"),
        "no prompt column 'q' (--prompt-key); columns in the first 3 lines: task, prompt,",
    )


def test_ground_truths_are_shown_as_the_file_holds_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = [{"task": "depth", "answer": 5}, {"task": "crop", "answer": [2]}]
    path = write_jsonl(tmp_path / "train.jsonl", records)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert "line 1: column 'answer': depth: ground_truth 5 is not a permutation" in out
    assert "line 2: column 'answer': crop: ground_truth [2] must be one letter" in out
    assert "(5,)" not in out and "(2,)" not in out
    rollouts = write_jsonl(
        tmp_path / "rollouts.jsonl", [{**r, "completion": "\\boxed{1}"} for r in records]
    )
    code, out, _ = run(capsys, "score", str(rollouts), "--json", "-q")
    reasons = [row["reason"] for row in json.loads(out)["malformed"]["rows"]]
    assert reasons[0].startswith("depth: ground_truth 5 is not a permutation")
    assert reasons[1].startswith("crop: ground_truth [2] must be one letter")


# --- score: user errors -------------------------------------------------------------------------


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2
    assert out == ""
    assert err.startswith("ssrl-rewards: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    assert_one_line_error(*run(capsys, "score", str(missing)), "no such file")
    assert_one_line_error(*run(capsys, "validate", str(missing)), "no such file")
    assert_one_line_error(*run(capsys, "score", str(tmp_path)), "is a directory")


def test_unreadable_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello\n", encoding="utf-8")
    assert_one_line_error(*run(capsys, "score", str(text)), "unknown format")
    array = tmp_path / "rows.json"
    array.write_text('[{"completion": "x"}]\n', encoding="utf-8")
    assert_one_line_error(*run(capsys, "score", str(array)), "JSON array")
    fake = tmp_path / "rows.parquet"
    fake.write_text("this is not parquet at all, sorry\n", encoding="utf-8")
    assert_one_line_error(*run(capsys, "score", str(fake)), "not a readable Parquet file")


def test_a_truncated_gzip_file_is_a_read_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "".join(json.dumps(r) + "\n" for r in synthetic_records(200))
    data = gzip.compress(text.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    assert_one_line_error(*run(capsys, "score", str(path), "-q"), "read error after line")


def test_missing_columns_name_the_existing_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "x", "answer": "B"}])
    assert_one_line_error(
        *run(capsys, "score", str(path)), "no completion column", "--completion-key", "text, answer"
    )
    assert_one_line_error(
        *run(capsys, "score", str(path), "--completion-key", "text", "--ground-truth-key", "gt"),
        "no ground-truth column 'gt'",
        "columns: text, answer",
    )
    parquet = write_parquet(tmp_path / "r.parquet", [{"text": "x", "label_text": "B"}])
    assert_one_line_error(
        *run(capsys, "score", str(parquet), "--completion-key", "text"),
        "no ground-truth column",
        "columns: text, label_text",
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert_one_line_error(*run(capsys, "score", str(empty)), "no rows")


def test_parquet_without_pyarrow_names_the_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_parquet(tmp_path / "r.parquet", synthetic_records(2))
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert_one_line_error(*run(capsys, "score", str(path)), "pip install 'ssrl-rewards[parquet]'")


def test_bad_option_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert_one_line_error(*run(capsys, "score", "--format-weight", "1.5"), "format_weight")
    assert_one_line_error(*run(capsys, "score", "--task", "jigsaw puzzle"), "not a registered")
    unwritable = tmp_path / "missing-dir" / "out.jsonl"
    assert_one_line_error(*run(capsys, "score", "--out", str(unwritable)), "cannot write")
    code, out, err = run(capsys, "score", "--workers", "0")
    assert code == 2 and out == "" and "--workers" in err
    code, out, err = run(capsys, "score", "--mode", "lenient")
    assert code == 2 and "invalid choice" in err
    code, out, err = run(capsys)
    assert code == 2 and "COMMAND" in err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["score", "--help"], ["validate", "--help"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert "exit codes:" in out and "130" in out


# --- validate -----------------------------------------------------------------------------------


def test_validate_a_clean_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = synthetic_records(50)
    for writer, suffix in ((write_jsonl, "jsonl"), (write_parquet, "parquet")):
        path = writer(tmp_path / f"train.{suffix}", records)
        code, out, err = run(capsys, "validate", str(path))
        assert code == 0, err
        assert "all rows valid" in out
        counts = collections.Counter(record["task"] for record in records)
        for task, count in counts.items():
            row = next(line for line in out.splitlines() if line.startswith(task + " "))
            assert row.split()[:3] == [task, str(count), "0"]


def test_validate_reports_each_bad_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    position = generate(1, seed=2, tasks=["position"], reasoning_tokens=5)[0]
    three_options = position.prompt.replace(" D. ", " ").replace("'C', and 'D'", "'C'")
    records: list[object] = [
        {"task": "depth", "problem": "sort", "answer": "3-1-2"},
        {"task": "depth", "problem": "sort", "answer": "2-2-1"},
        {"task": "flip", "answer": "4-0"},
        {"task": "crop", "answer": "E"},
        {"task": "jigsaw puzzle", "answer": "0-1-2"},
        {"problem": "no task here", "answer": "hello"},
        "{broken",
        {"task": "shuffle"},
        {"task": "position", "problem": "Where is it? Pick one.", "answer": "A"},
        {"task": "position", "problem": three_options, "answer": "D"},
        {"task": "shuffle", "answer": [0, 2, 1]},
    ]
    path = write_jsonl(tmp_path / "train.jsonl", records)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    for fragment in (
        "line 2: column 'answer': depth: ground_truth '2-2-1' is not a permutation of 1..3",
        "line 3: column 'answer': flip:",
        "line 4: column 'answer': crop:",
        "line 5: column 'task': task='jigsaw puzzle' is not a registered task; did you mean",
        "line 6: column 'answer':",
        "line 7: not valid JSON",
        "line 8: column 'ground_truth': no ground truth (tried ground_truth, answer,",
        "line 9: column 'problem': lists no lettered options",
        "line 10: column 'problem': the ground truth 'D' is not among the prompt's options",
    ):
        assert fragment in out, fragment
    assert "line 1:" not in out and "line 11:" not in out
    assert "9 rows bad" in out
    code, out, _ = run(capsys, "validate", str(path), "--json")
    document = json.loads(out)
    assert code == 1 and document["bad"] == 9 and document["rows"] == 11
    assert [row["row"] for row in document["bad_rows"]] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert document["tasks"]["shuffle"]["not_canonical"] == 1


def test_validate_paper_mode_requires_canonical_strings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [
            {"task": "shuffle", "answer": "0, 2, 1"},
            {"task": "crop", "answer": "b"},
            {"task": "depth", "answer": "3-1-2"},
        ],
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "not canonical" in out
    code, out, _ = run(capsys, "validate", str(path), "--mode", "paper")
    assert code == 1
    assert "line 1: column 'answer': '0, 2, 1' is not the canonical string '0-2-1'" in out
    assert "line 2:" in out and "line 3:" not in out


def test_validate_parquet_rows_are_numbered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_parquet(
        tmp_path / "t.parquet",
        [{"task": "depth", "answer": "1-2-3"}, {"task": "depth", "answer": "1-1-2"}],
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "row 2: column 'answer'" in out


def test_parquet_memory_does_not_grow_with_the_row_group(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = 20_000
    table = pa.table(
        {
            "completion": [os.urandom(1000).hex() for _ in range(rows)],  # incompressible
            "ground_truth": ["1-2-3"] * rows,
            "task": ["depth"] * rows,
        }
    )
    path = tmp_path / "one-group.parquet"
    pq.write_table(table, path, row_group_size=rows)  # one 40 MB column chunk
    assert pq.ParquetFile(path).metadata.num_row_groups == 1
    script = (
        "import sys, pyarrow as pa\n"
        "from ssrl_rewards import cli\n"
        "code = cli.main(sys.argv[1:])\n"
        "print(code, pa.default_memory_pool().max_memory(), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "score", str(path), "--json", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    code, peak = done.stderr.split()[-2:]
    assert code == "0" and json.loads(done.stdout)["scored"] == rows
    assert int(peak) < 20 * 2**20  # Arrow's peak allocation: well under the 40 MB chunk


# --- tasks, hooks, serve ------------------------------------------------------------------------


def test_tasks_lists_every_registered_task(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tasks")
    assert code == 0
    for name in sr.task_names():
        spec = sr.find_task(name)
        assert spec is not None
        assert f"{name}: {spec.description}" in out
        assert spec.answer_format in out
    code, out, _ = run(capsys, "tasks", "--json")
    listed = json.loads(out)
    assert [entry["name"] for entry in listed] == list(sr.task_names())
    assert listed[0]["examples"]


def test_hooks_prints_the_integration_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "hooks", "trl")
    assert code == 0 and out == hooks_text("trl")
    code, out, _ = run(capsys, "hooks")
    assert code == 0 and out == hooks_text("all")
    assert_one_line_error(*run(capsys, "hooks", "keras"), "keras")


def test_hooks_and_serve_missing_modules_fail_cleanly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ssrl_rewards.hooks", None)
    monkeypatch.setitem(sys.modules, "ssrl_rewards.server", None)
    assert_one_line_error(*run(capsys, "hooks", "trl"), "not available")
    assert_one_line_error(*run(capsys, "serve"), "not available")


def test_serve_passes_host_port_and_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake_serve(host: str, port: int, config: Any, **kwargs: Any) -> None:
        calls.append((host, port, config, kwargs))

    monkeypatch.setattr(server, "serve", fake_serve)
    code, _, _ = run(capsys, "serve", "--port", "5055", "--mode", "paper", "--task", "depth")
    assert code == 0
    host, port, config, kwargs = calls[0]
    assert (host, port, config.mode, kwargs["task"]) == ("127.0.0.1", 5055, "paper", "depth")

    def busy(*args: Any, **kwargs: Any) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(server, "serve", busy)
    assert_one_line_error(*run(capsys, "serve"), "Address already in use")


def test_serve_refuses_a_public_bind_without_a_token_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --host 0.0.0.0`` without a token: exit 2, one line naming the fix, no
    traceback, nothing bound; in process and as the installed command runs it."""
    monkeypatch.delenv("SSRL_REWARDS_TOKEN", raising=False)
    assert_one_line_error(*run(capsys, "serve", "--host", "0.0.0.0"), "without a token", "--token")
    assert_one_line_error(*run(capsys, "serve", "--workers", "0"), "workers")
    assert_one_line_error(*run(capsys, "serve", "--task", "shufle"), "not a registered task")
    env = {k: v for k, v in os.environ.items() if k != "SSRL_REWARDS_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "ssrl_rewards", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert_one_line_error(done.returncode, done.stdout, done.stderr, "without a token")
    assert "Traceback" not in done.stderr


# --- progress and the module entry point --------------------------------------------------------


def test_progress_bar_shows_rate_and_eta() -> None:
    ticks = iter([0.0, 1.0, 2.0])
    stream = io.StringIO()
    progress = progress_module.Progress(
        stream, enabled=True, total_rows=1000, clock=lambda: next(ticks)
    )
    progress.update(100)
    progress.update(100)
    text = stream.getvalue()
    assert "200 rows" in text and "100 rows/s" in text and "20%" in text and "ETA 0:00:08" in text
    progress.close()
    silent = io.StringIO()
    quiet = progress_module.Progress(silent, enabled=False, total_rows=10)
    quiet.update(5)
    quiet.close()
    assert silent.getvalue() == ""


def test_progress_is_off_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, err = run(capsys, "score")
    assert "\r" not in err
    _, _, err = run(capsys, "score", "--quiet")
    assert err == ""


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ssrl_rewards", "score", str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "no such file" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ssrl_rewards", "tasks"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "shuffle" in done.stdout

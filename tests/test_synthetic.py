"""The synthetic generator: deterministic, realistic, and labelled correctly by construction."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

import ssrl_rewards as sr
from ssrl_rewards import synthetic
from ssrl_rewards.synthetic import KINDS, SAMPLE_COLUMNS, SAMPLE_PATH, TASKS, generate
from tests.test_soundness_kit import CoinRenderers, restored_registry  # noqa: F401 - fixture
from tests.test_soundness_kit import _parity_spec as _coin_spec

PAPER = sr.RewardConfig(mode="paper")
_LAST_BOX = "\\boxed{"


@pytest.fixture(scope="module")
def rows() -> list[synthetic.SyntheticRow]:
    return generate(700, seed=7, reasoning_tokens=60)


def test_same_seed_same_rows_and_other_seeds_differ() -> None:
    assert generate(30, seed=3, reasoning_tokens=40) == generate(30, seed=3, reasoning_tokens=40)
    assert generate(30, seed=3, reasoning_tokens=40) != generate(30, seed=4, reasoning_tokens=40)


def test_every_task_meets_every_kind_it_admits(rows: list[synthetic.SyntheticRow]) -> None:
    seen = {(row.task, row.kind) for row in rows}
    for task in TASKS:
        for kind in KINDS:
            if kind == "inconsistent" and task != "position":
                assert (task, kind) not in seen
            else:
                assert (task, kind) in seen, (task, kind)


def test_labels_agree_with_the_scorer(rows: list[synthetic.SyntheticRow]) -> None:
    for row in rows:
        result = sr.score(row.completion, row.ground_truth, row.task, prompt=row.prompt)
        assert result.accuracy == row.expected_accuracy, row
        assert result.reason.value == row.expected_reason, row
        paper = sr.score(
            row.completion, row.ground_truth, row.task, prompt=row.prompt, config=PAPER
        )
        assert paper.accuracy == row.expected_paper_accuracy, row


def test_the_task_can_be_inferred_from_ground_truth_and_prompt(
    rows: list[synthetic.SyntheticRow],
) -> None:
    for row in rows[:200]:
        assert sr.score(row.completion, row.ground_truth, prompt=row.prompt).task == row.task


def test_paper_accuracy_is_the_last_box_rule(rows: list[synthetic.SyntheticRow]) -> None:
    """An independent re-statement: the last box's content, stripped, equals the truth."""
    for row in rows:
        start = row.completion.rfind(_LAST_BOX)
        content = None
        if start != -1:
            end = row.completion.find("}", start)  # no nested braces in generated answers
            content = row.completion[start + len(_LAST_BOX) : end].strip()
        assert row.expected_paper_accuracy == float(content == row.ground_truth), row


def test_ground_truths_use_the_canonical_notation(rows: list[synthetic.SyntheticRow]) -> None:
    patterns = {
        "shuffle": r"[0-3](-[0-3]){2,3}",
        "depth": r"[1-3]-[1-3]-[1-3]",
        "flip": r"[0-3]-[01]",
        "crop": r"[ABCD]",
        "position": r"[ABCD]",
    }
    lengths = collections.Counter()
    for row in rows:
        assert re.fullmatch(patterns[row.task], row.ground_truth), row.ground_truth
        if row.task in ("shuffle", "depth"):
            labels = [int(x) for x in row.ground_truth.split("-")]
            base = 0 if row.task == "shuffle" else 1
            assert sorted(labels) == list(range(base, base + len(labels)))
            lengths[row.task, len(labels)] += 1
    assert lengths["shuffle", 3] and lengths["shuffle", 4]


def test_prompts_follow_the_paper_templates(rows: list[synthetic.SyntheticRow]) -> None:
    option_sets = set()
    for row in rows:
        assert row.prompt.endswith("The final answer MUST BE put in \\boxed{}.")
        if row.task == "crop":
            assert "missing part" in row.prompt and row.prompt.count("<image>") == 5
        if row.task == "position":
            assert "camera" in row.prompt and "region marker" in row.prompt
            options = sr.parse_options(row.prompt)
            assert options is not None and list(options) == ["A", "B", "C", "D"]
            option_sets.add(frozenset(options.values()))
        if row.task == "shuffle":
            assert "shuffled" in row.prompt
    assert frozenset({"Left", "Right", "Front", "Back"}) in option_sets
    assert frozenset({"Left-Front", "Right-Front", "Right-Back", "Left-Back"}) in option_sets


def test_completions_look_like_rollouts(rows: list[synthetic.SyntheticRow]) -> None:
    for row in rows:
        assert row.completion.startswith("<think>")
        if row.kind == "truncated":
            assert "</think>" not in row.completion
        else:
            assert row.completion.count("</think>") == 1
        if row.kind in ("canonical", "variant", "wrong", "out_of_space", "inconsistent"):
            assert row.completion.count(_LAST_BOX) == 1
        if row.kind == "no_box":
            assert _LAST_BOX not in row.completion


def test_reasoning_has_about_the_requested_length() -> None:
    for row in generate(40, seed=2, reasoning_tokens=300, kinds=["canonical"]):
        think = row.completion.split("</think>")[0]
        assert 300 <= len(think.split()) <= 360


def test_variants_are_the_tasks_own_notations_and_many() -> None:
    shapes: dict[str, set[str]] = collections.defaultdict(set)
    for row in generate(1500, seed=5, reasoning_tokens=5, kinds=["variant"]):
        start = row.completion.rfind(_LAST_BOX) + len(_LAST_BOX)
        answer = row.completion[start : row.completion.rfind("}")]
        spec = sr.get_task(row.task)
        assert spec.renderers is not None
        truth = spec.parse_ground_truth(row.ground_truth)
        assert answer in spec.renderers.notations(truth, row.prompt), (row.task, answer)
        assert answer != row.ground_truth
        shapes[row.task].add(re.sub(r"[0-9０-９A-DＡ-Ｄa-d]", "0", answer))
    assert len(shapes["shuffle"]) >= 60 and len(shapes["flip"]) >= 60
    assert len(shapes["crop"]) >= 15
    assert any(a.startswith("0. ") for a in shapes["position"])  # letter with option text
    assert {"Left", "Right", "left", "right"} & shapes["position"]  # option text alone


def test_filters_and_bad_arguments() -> None:
    only = generate(20, seed=1, tasks=["depth"], kinds=["hedge", "wrong"], reasoning_tokens=10)
    assert {row.task for row in only} == {"depth"}
    assert {row.kind for row in only} == {"hedge", "wrong"}
    assert {row.task for row in generate(3, tasks=["jigsaw"], reasoning_tokens=5)} == {"shuffle"}
    for bad in ({"tasks": ["nope"]}, {"kinds": ["lucky"]}, {"tasks": []}):
        with pytest.raises(ValueError):
            synthetic.iter_rows(5, **bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="position only"):
        synthetic.iter_rows(5, tasks=["crop"], kinds=["inconsistent"])


def test_bundled_sample_is_the_regenerated_one() -> None:
    assert SAMPLE_PATH.read_text(encoding="utf-8") == synthetic.render_sample()
    assert synthetic.main(["--check-sample"]) == 0


def test_bundled_sample_shape() -> None:
    records = [json.loads(line) for line in SAMPLE_PATH.read_text(encoding="utf-8").splitlines()]
    assert 200 <= len(records) <= 500
    assert all(tuple(record) == SAMPLE_COLUMNS for record in records)
    assert {record["task"] for record in records} == set(TASKS)
    assert {record["kind"] for record in records} == set(KINDS)
    assert SAMPLE_PATH.stat().st_size < 600_000


def test_module_command_writes_jsonl_and_parquet(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    assert synthetic.main(["--out", str(out), "-n", "12", "--reasoning-tokens", "20"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and tuple(json.loads(lines[0])) == SAMPLE_COLUMNS
    full = tmp_path / "rows_all.jsonl"
    assert synthetic.main(["--out", str(full), "-n", "3", "--all-fields"]) == 0
    assert "expected_paper_accuracy" in json.loads(full.read_text(encoding="utf-8").splitlines()[0])
    pq = pytest.importorskip("pyarrow.parquet")
    table_path = tmp_path / "rows.parquet"
    assert synthetic.main(["--out", str(table_path), "-n", "12", "--reasoning-tokens", "20"]) == 0
    assert pq.read_table(table_path).num_rows == 12
    assert synthetic.main(["--out", str(tmp_path / "x.jsonl"), "-n", "-1"]) == 2


@pytest.mark.usefixtures("restored_registry")
def test_a_registered_task_with_renderers_gets_rows_labelled_by_construction() -> None:
    sr.register_task(_coin_spec(CoinRenderers(), "coin"))
    rows = generate(40, seed=2, tasks=["coin"], reasoning_tokens=10)
    assert {row.kind for row in rows} == set(KINDS) - {"inconsistent"}
    for row in rows:
        result = sr.score(row.completion, row.ground_truth, "coin", prompt=row.prompt)
        assert (result.accuracy, result.reason.value) == (
            row.expected_accuracy,
            row.expected_reason,
        ), row
    sr.register_task(_coin_spec(None, "bare"))
    with pytest.raises(ValueError, match="renderers"):
        synthetic.iter_rows(3, tasks=["bare"])

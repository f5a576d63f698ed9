"""The soundness kit: the audit, its command, assert_sound, strategies and a lab's own task."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import ssrl_rewards as sr
from ssrl_rewards import registry
from ssrl_rewards.integrations.verl import compute_score
from ssrl_rewards.registry import MissingRenderersError, RenderCase, TaskSpec
from ssrl_rewards.result import Reason
from ssrl_rewards.testing import FAMILIES, assert_sound, audit
from ssrl_rewards.testing import cli as audit_cli
from ssrl_rewards.testing import strategies as sst
from ssrl_rewards.testing.properties import property_suite
from tests.strategies import task_strategies

ROOT = Path(__file__).resolve().parent.parent


def substring(completion: str, ground_truth: str) -> float:
    """The classic hackable matcher: pays any completion that mentions the truth."""
    return 1.0 if ground_truth in completion else 0.0


def published(completion: str, ground_truth: str) -> float:
    """The published reward, re-stated in benchmarks/bench_peers.py."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_peers import published_reward  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    return published_reward()(completion, ground_truth)["overall"]


def test_importing_the_library_or_the_audit_does_not_import_hypothesis() -> None:
    code = (
        "import sys, ssrl_rewards, ssrl_rewards.testing, ssrl_rewards.testing.cli;"
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("reward", "signature"),
    [
        (sr.score, "plain"),
        (sr.make_reward_fn("trl"), "trl"),
        (compute_score, "verl"),
    ],
)
def test_auditing_this_library_is_clean(reward: Any, signature: str) -> None:
    report = audit(reward, signature=signature, seed=3)
    assert report.ok, report.to_markdown()
    assert set(report.families) == set(FAMILIES)
    for name in FAMILIES:
        assert report.families[name].cases > 0, name


def test_the_published_reward_is_flagged() -> None:
    report = audit(published, examples=60, slow=False)
    assert not report.ok
    for family in ("think_only_paid", "hedge_paid", "honest_refused"):
        assert report.families[family].violations > 0, family
        example = report.families[family].example
        assert example is not None and example.family == family
    honest = report.families["honest_refused"].example
    assert honest is not None and honest.score is not None and honest.reference_score is not None
    assert honest.score < honest.reference_score


def test_a_substring_matcher_is_flagged_with_a_minimal_example() -> None:
    report = audit(substring, examples=40, slow=False)
    assert not report.ok
    hedge = report.families["hedge_paid"]
    assert hedge.violations > 0 and 0 < hedge.rate <= 1
    assert hedge.example is not None and "Hm." in hedge.example.completion  # shrunk reasoning
    assert report.families["think_only_paid"].violations > 0
    assert report.violations and all(v.family in FAMILIES for v in report.violations)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is False and data["families"]["hedge_paid"]["violations"] == hedge.violations
    assert "| hedge_paid |" in report.to_markdown()


def test_assert_sound_passes_a_sound_reward_and_fails_with_examples() -> None:
    assert assert_sound(sr.score, examples=20, slow=False).ok
    with pytest.raises(AssertionError, match=r"hedge_paid: \d+/\d+; e\.g\. \["):
        assert_sound(substring, examples=20, slow=False)


def test_exceptions_nondeterminism_and_slowness_are_flagged() -> None:
    def raises(completion: str, ground_truth: str) -> float:
        if "\x00" in completion:
            raise ValueError("NUL")
        return sr.score(completion, ground_truth).score

    counter = iter(range(10**9))

    def drifting(completion: str, ground_truth: str) -> float:
        return sr.score(completion, ground_truth).score + next(counter) * 1e-6

    def quadratic(completion: str, ground_truth: str) -> float:
        if completion.startswith("{{"):
            step = max(len(completion) // 4000, 1)
            sum(
                1
                for _ in range(0, len(completion), 8)
                for _ in range(0, len(completion), 64 * step)
            )
            sum(1 for _ in range(len(completion) // 8) for _ in range(len(completion) // 64))
        return sr.score(completion, ground_truth).score

    assert audit(raises, examples=5, slow=False, tasks=["crop"]).families["exceptions"].violations
    assert (
        audit(drifting, examples=5, slow=False, tasks=["crop"])
        .families["nondeterministic"]
        .violations
    )
    slow = audit(quadratic, examples=2, tasks=["crop"]).families["slow"]
    assert slow.violations >= 1 and slow.example is not None, slow
    assert "open braces" in slow.example.detail


def test_a_sound_reward_is_not_slow_on_a_loaded_machine() -> None:
    """Timing is judged by ratios: a constant slowdown of every call changes nothing."""

    def sleepy(completion: str, ground_truth: str, prompt: str | None = None) -> float:
        time.sleep(0.0002)
        return sr.score(completion, ground_truth, prompt=prompt).score

    assert audit(sleepy, examples=3, tasks=["shuffle"]).families["slow"].violations == 0


def test_bad_arguments_raise_typed_errors() -> None:
    with pytest.raises(sr.ConfigError, match="signature"):
        audit(sr.score, signature="openai")
    with pytest.raises(sr.ConfigError, match="examples"):
        audit(sr.score, examples=0)
    with pytest.raises(sr.UnknownTaskError):
        audit(sr.score, tasks=["nope"])


# --- a lab's own task, registered from outside the package -------------------------------------


@dataclass(frozen=True)
class Parity:
    """The toy answer: a coin side."""

    word: str


def parse_parity_truth(payload: Any) -> Parity:
    if payload not in ("heads", "tails"):
        raise sr.GroundTruthError("parity", payload, "must be 'heads' or 'tails'")
    return Parity(payload)


def parse_parity(text: str, truth: Parity, prompt: str | None) -> Parity | Reason:
    del truth, prompt
    words = {w for w in text.lower().replace("/", " ").split() if w in ("heads", "tails")}
    if len(words) > 1:
        return Reason.MULTIPLE_ANSWERS
    if text.strip().lower() in ("heads", "tails"):
        return Parity(text.strip().lower())
    return Reason.NOT_IN_ANSWER_SPACE if text.strip() else Reason.UNPARSEABLE


def parity_credit(answer: Parity, truth: Parity, mode: str) -> float:
    del mode
    return 1.0 if answer == truth else 0.0


class CoinRenderers:
    def case(self, rng: random.Random) -> RenderCase[Parity]:
        n = rng.randrange(100)
        side = "heads" if n % 2 == 0 else "tails"
        return RenderCase(Parity(side), side, f"Coin {n}: heads or tails?")

    def right(self, truth: Parity) -> Parity:
        return truth

    def canonical(self, answer: Parity, prompt: str | None) -> str:
        return answer.word

    def notations(self, answer: Parity, prompt: str | None) -> Sequence[str]:
        return (answer.word, answer.word.upper(), answer.word.title())

    def other(self, truth: Parity, prompt: str | None, rng: random.Random) -> Parity:
        return Parity("tails" if truth.word == "heads" else "heads")

    def out_of_space(self, truth: Parity, prompt: str | None, rng: random.Random) -> str:
        return rng.choice(("prime", "seven"))

    def hedge_parts(self, answer: Parity, prompt: str | None) -> Sequence[str]:
        return (answer.word,)


def _parity_spec(renderers: CoinRenderers | None, name: str) -> TaskSpec[Parity, Parity]:
    return TaskSpec(
        name=name,
        aliases=(),
        description="The side a coin landed on (a test task).",
        answer_format="heads or tails",
        examples=("heads",),
        parse_ground_truth=parse_parity_truth,
        parse=parse_parity,
        credit=parity_credit,
        claims=lambda payload, prompt: False,
        infer_rank=1000,
        renderers=renderers,
    )


@pytest.fixture
def restored_registry() -> Iterator[None]:
    """Registers nothing itself; removes what a test registered."""
    tasks, aliases = dict(registry._REGISTRY), dict(registry._ALIASES)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(tasks)
    registry._ALIASES.clear()
    registry._ALIASES.update(aliases)


@pytest.mark.usefixtures("restored_registry")
def test_a_lab_task_gets_the_audit_and_the_property_suite() -> None:
    sr.register_task(_parity_spec(CoinRenderers(), "parity"))
    report = audit(sr.score, tasks=["parity"], examples=50)
    assert report.ok and report.tasks == ("parity",), report.to_markdown()
    assert "parity" in audit(substring, examples=5, slow=False).tasks
    assert not audit(substring, tasks=["parity"], examples=20, slow=False).ok
    property_suite("parity", max_examples=30)
    strategies = task_strategies("parity")  # the repository's suite reads it too

    @settings(max_examples=20, deadline=None)
    @given(strategies.cases)
    def right_scores_one(case: Any) -> None:
        for notation in strategies.notations(case):
            completion = f"<think>hm</think> \\boxed{{{notation}}}"
            assert sr.score(completion, case.truth, "parity", prompt=case.prompt).score == 1.0

    right_scores_one()


@pytest.mark.usefixtures("restored_registry")
def test_a_task_without_renderers_says_what_to_add() -> None:
    sr.register_task(_parity_spec(None, "bare"))
    with pytest.raises(MissingRenderersError, match=r"'bare' has no renderers.*renderers="):
        audit(sr.score, tasks=["bare"])
    with pytest.raises(MissingRenderersError, match="renderers="):
        sst.samples("bare")
    with pytest.raises(MissingRenderersError, match="renderers="):
        task_strategies("bare")
    report = audit(sr.score, examples=3, slow=False)
    assert "bare" not in report.tasks and any("'bare' skipped" in n for n in report.notes)


def test_every_task_exports_a_json_schema_of_its_answer() -> None:
    from pydantic import TypeAdapter  # noqa: PLC0415

    for name in sr.task_names():
        spec = sr.get_task(name)
        schema = spec.json_schema()
        assert schema["type"] == "string", name
        truth = spec.renderers.case(random.Random(1)).ground_truth  # type: ignore[union-attr]
        assert TypeAdapter(dict[str, Any]).validate_python(schema)
        if "pattern" in schema:
            import re  # noqa: PLC0415

            assert re.fullmatch(schema["pattern"], truth), (name, truth)
        else:
            assert truth in schema["enum"]
    with pytest.raises(sr.ConfigError, match="answer_schema"):
        _parity_spec(None, "x").json_schema()


@given(sst.completions("shuffle", "hedge"))
@settings(max_examples=30, deadline=None)
def test_public_strategies_draw_rows_of_each_kind(row: tuple[str, str, str | None]) -> None:
    completion, truth, prompt = row
    assert sr.score(completion, truth, "shuffle", prompt=prompt).accuracy == 0.0


# --- the command ------------------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    audit_cli.add_arguments(parser)
    return audit_cli.run(parser.parse_args(list(argv)))


def test_the_command_exits_0_for_this_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("ssrl_rewards:score", "--examples", "20", "--no-slow") == 0
    assert "| hedge_paid |" in capsys.readouterr().out
    code = _run(
        "ssrl_rewards.integrations.verl:compute_score", "--signature", "verl", "--json",
        "--examples", "10", "--tasks", "flip", "crop",
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tasks"] == ["flip", "crop"]
    assert all({"cases", "violations"} <= set(f) for f in data["families"].values())


def test_the_command_exits_1_for_a_hackable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "lab_reward.py"
    target.write_text(
        textwrap.dedent(
            """
            def reward(completion, ground_truth):
                return float(ground_truth in completion)
            """
        )
    )
    assert _run(f"{target}:reward", "--examples", "10", "--json", "--no-slow") == 1
    assert json.loads(capsys.readouterr().out)["families"]["hedge_paid"]["violations"] > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope.module:reward"], "cannot import nope.module"),
        (["ssrl_rewards"], "is not MODULE:ATTR"),
        (["ssrl_rewards:no_such"], "has no attribute"),
        (["ssrl_rewards:__version__"], "is not callable"),
        (["/no/such/file.py:reward"], "no file"),
        (["ssrl_rewards:score", "--signature", "openai"], "--signature 'openai'"),
        (["ssrl_rewards:score", "--tasks", "nope"], "nope"),
        (["ssrl_rewards:score", "--examples", "0"], "--examples 0"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ssrl_rewards.testing", "ssrl_rewards:score", "--examples", "5",
         "--tasks", "crop", "--no-slow", "--json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True

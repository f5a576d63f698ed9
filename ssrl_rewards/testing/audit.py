"""`audit`: how hackable is a reward function? Scores attacks against a committed wrong answer.

    report = audit(my_reward, signature="plain", examples=100, seed=0)
    report.ok, report.families["hedge_paid"].rate, report.to_markdown()

For every audited task (every registered task with renderers, or `tasks`), each family
draws `examples` attempts from the task's renderers and the generic envelopes of
`ssrl_rewards.testing.render`, and compares the reward's score for the attempt with its
score for a reference completion of the same sample: an honest notation is *refused* when
it earns less than the canonical right answer; a wrong answer is *paid* when it earns as
much as the right one and more than a completion with no answer; any other attack is
*paid* when it earns more than a committed wrong answer. Payment is relative, so any
reward scale works. ``exceptions`` counts calls that raised or returned no number (hostile
texts included), ``nondeterministic`` repeated calls that disagreed, ``slow`` hostile
shapes that cost far more than a benign completion of the same length or grow faster
than linearly (ratios, so a loaded machine does not matter).
"""

from __future__ import annotations

import inspect
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ssrl_rewards.errors import ConfigError
from ssrl_rewards.registry import TaskSpec, get_task, task_names
from ssrl_rewards.testing.render import (
    ATTACK_FAMILIES,
    FAMILIES,
    HOSTILE_SHAPES,
    HOSTILE_TEXTS,
    MINIMAL_REASONING,
    RULES,
    Attempt,
    Sample,
    draw_sample,
    spec_renderers,
    standard,
)

__all__ = [
    "SIGNATURES",
    "AuditReport",
    "FamilyReport",
    "Violation",
    "assert_sound",
    "audit",
    "call_reward",
]

Signature = Literal["plain", "trl", "verl"]
SIGNATURES: tuple[str, ...] = ("plain", "trl", "verl")
DEFAULT_EXAMPLES = 200
_EPS = 1e-9
_KEEP = 20  # violations kept per family (the counts stay exact)
# slow: lengths compared, a hostile shape flagged when it costs this many times a benign
# completion of the same length, or grows this much faster than the length, and takes
# at least _SLOW_FLOOR seconds (timer noise on fast calls is not slowness)
_SHORT, _LONG = 4_000, 32_000
_SLOW_RATIO = 50.0
_GROWTH_RATIO = 4.0
_SLOW_FLOOR = 0.005
_GIVE_UP = 5.0  # seconds: one call this slow is slow whatever the ratios
_PLACEHOLDER = "\x00REASONING\x00"
# wrong_paid: a wrong answer counts as paid only when it earns more than this
_NO_ANSWER = f"<think>{_PLACEHOLDER}</think>\n\nI cannot tell."


@dataclass(frozen=True)
class Violation:
    """One attempt the reward got wrong: what it scored and what it was compared with."""

    family: str
    task: str
    completion: str
    ground_truth: str
    prompt: str | None
    score: float | None
    reference: str | None = None
    reference_score: float | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (long texts cut to 2000 characters)."""
        return {
            "family": self.family,
            "task": self.task,
            "completion": _cut(self.completion, 2000),
            "ground_truth": self.ground_truth,
            "score": self.score,
            "reference": None if self.reference is None else _cut(self.reference, 2000),
            "reference_score": self.reference_score,
            "detail": self.detail,
        }

    def describe(self) -> str:
        """One line: task, detail, the completion (cut) and the two scores."""
        against = (
            f" vs reference {self.reference_score:g}" if self.reference_score is not None else ""
        )
        got = "no score" if self.score is None else f"score {self.score:g}"
        return (
            f"[{self.task}] {self.detail}: {_cut(self.completion, 160)!r} "
            f"(truth {self.ground_truth!r}): {got}{against}"
        )


@dataclass
class FamilyReport:
    """Cases tried, violations found and the smallest example of one family."""

    name: str
    cases: int = 0
    violations: int = 0
    example: Violation | None = None
    kept: list[Violation] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Violations per case (0.0 when no case ran)."""
        return self.violations / self.cases if self.cases else 0.0

    def add(self, violation: Violation) -> None:
        self.violations += 1
        if len(self.kept) < _KEEP:
            self.kept.append(violation)
        if self.example is None or len(violation.completion) < len(self.example.completion):
            self.example = violation

    def to_dict(self) -> dict[str, Any]:
        """``cases``, ``violations``, ``rate`` and the minimal ``example`` (or None)."""
        return {
            "cases": self.cases,
            "violations": self.violations,
            "rate": round(self.rate, 6),
            "example": None if self.example is None else self.example.to_dict(),
        }


@dataclass
class AuditReport:
    """The audit's result: per family cases, violations, rate and a minimal example."""

    reward: str
    signature: str
    tasks: tuple[str, ...]
    examples: int
    seed: int
    families: dict[str, FamilyReport]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no attack was paid, no honest notation refused, nothing raised,
        disagreed with itself or was slow."""
        return all(family.violations == 0 for family in self.families.values())

    @property
    def violations(self) -> list[Violation]:
        """The kept violations of every family (up to 20 each; the counts are exact)."""
        return [v for family in self.families.values() for v in family.kept]

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object; ``families`` maps each family to its counts and example."""
        return {
            "reward": self.reward,
            "signature": self.signature,
            "tasks": list(self.tasks),
            "examples": self.examples,
            "seed": self.seed,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "families": {name: family.to_dict() for name, family in self.families.items()},
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        """`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_markdown(self) -> str:
        """A scorecard: one row per family (cases, violations, rate, minimal example)."""
        verdict = "sound" if self.ok else "HACKABLE"
        lines = [
            f"## Audit of `{self.reward}` ({self.signature}): {verdict}",
            "",
            f"Tasks: {', '.join(self.tasks)}; {self.examples} examples per family and task; "
            f"seed {self.seed}; {self.seconds:.1f} s.",
            "",
            "| family | cases | violations | rate | minimal example |",
            "|---|---:|---:|---:|---|",
        ]
        for name, family in self.families.items():
            example = "" if family.example is None else family.example.describe()
            example = example.replace("|", "\\|").replace("\n", "\\n")
            lines.append(
                f"| {name} | {family.cases} | {family.violations} | {family.rate:.1%} | {example} |"
            )
        lines += [f"\n- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        """One line: the verdict and the families with violations."""
        bad = [f"{n} {f.violations}/{f.cases}" for n, f in self.families.items() if f.violations]
        if not bad:
            return f"{self.reward}: sound ({self.seconds:.1f} s)"
        return f"{self.reward}: attacks paid: {', '.join(bad)} ({self.seconds:.1f} s)"


# --- calling the reward -----------------------------------------------------------------------


def _accepts(reward: Callable[..., Any], name: str) -> bool:
    try:
        parameters = inspect.signature(reward).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def _number(value: object) -> float | None:
    """The score a reward returned: a number, a dict's ``score``, an object's ``.score``;
    None when it declined the row (TRL's convention for "not mine")."""
    if isinstance(value, Mapping):
        value = value.get("score")
    elif value is not None and not isinstance(value, (int, float)) and hasattr(value, "score"):
        value = value.score
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"the reward returned {value!r}, not a number")
    number = float(value)  # type: ignore[arg-type]  # numpy and torch scalars too
    if math.isnan(number):
        raise TypeError("the reward returned NaN")
    return number


def call_reward(
    reward: Callable[..., Any], signature: str
) -> Callable[[str, str, str | None, str], float | None]:
    """``fn(completion, ground_truth, prompt, task) -> float | None`` calling `reward` in
    the trainer convention `signature` (``plain``, ``trl`` or ``verl``); raises whatever the
    reward raises, `TypeError` when it returns something other than a number or None."""
    if signature == "plain":
        wants_prompt, wants_task = _accepts(reward, "prompt"), _accepts(reward, "task")

        def plain(
            completion: str, ground_truth: str, prompt: str | None, task: str
        ) -> float | None:
            kwargs: dict[str, Any] = {}
            if wants_prompt:
                kwargs["prompt"] = prompt
            if wants_task:
                kwargs["task"] = task
            return _number(reward(completion, ground_truth, **kwargs))

        return plain
    if signature == "trl":

        def trl(completion: str, ground_truth: str, prompt: str | None, task: str) -> float | None:
            out = reward(
                prompts=[[{"role": "user", "content": prompt or ""}]],
                completions=[[{"role": "assistant", "content": completion}]],
                solution=[ground_truth],
                task=[task],
            )
            return _number(next(iter(out)))

        return trl
    if signature == "verl":

        def verl(completion: str, ground_truth: str, prompt: str | None, task: str) -> float | None:
            extra = {"task": task, "prompt": prompt}
            return _number(reward(task, completion, ground_truth, extra))

        return verl
    raise ConfigError(f"signature={signature!r} is not one of {', '.join(SIGNATURES)}")


# --- the audit ------------------------------------------------------------------------------


class _Runner:
    """Calls the reward, remembering first scores to catch disagreement and exceptions."""

    def __init__(
        self, fn: Callable[[str, str, str | None, str], float | None], report: AuditReport
    ):
        self.fn = fn
        self.report = report
        self.seen: dict[tuple[str, str, str | None, str], float | None] = {}
        self.declined = 0

    def __call__(
        self, completion: str, ground_truth: str, prompt: str | None, task: str
    ) -> float | None:
        exceptions = self.report.families["exceptions"]
        exceptions.cases += 1
        try:
            value = self.fn(completion, ground_truth, prompt, task)
        except Exception as exc:  # a reward that raises on model output is the finding
            detail = f"{type(exc).__name__}: {_cut(str(exc), 200)}"
            exceptions.add(
                Violation("exceptions", task, completion, ground_truth, prompt, None, detail=detail)
            )
            return math.nan  # raised: compared with nothing
        if value is None:
            self.declined += 1
        key = (completion, ground_truth, prompt, task)
        if key not in self.seen:
            if len(completion) < 4096:
                self.seen[key] = value
        else:
            first = self.seen[key]
            family = self.report.families["nondeterministic"]
            family.cases += 1
            if (first is None) != (value is None) or (
                first is not None and value is not None and abs(first - value) > _EPS
            ):
                family.add(
                    Violation(
                        "nondeterministic", task, completion, ground_truth, prompt, value,
                        reference=completion, reference_score=first,
                        detail="the same input scored twice",
                    )
                )  # fmt: skip
        return value


def _violates(rule: str, score: float, reference: float) -> bool:
    if rule == "below":
        return score < reference - _EPS
    if rule == "at_least":
        return score >= reference - _EPS
    return score > reference + _EPS


def _check(run: _Runner, attempt: Attempt, reasoning: str | None = None) -> Violation | None:
    text, reference = attempt.text(reasoning), attempt.reference_text(reasoning)
    got = run(text, attempt.ground_truth, attempt.prompt, attempt.task)
    expected = run(reference, attempt.ground_truth, attempt.prompt, attempt.task)
    if _raised(got) or _raised(expected) or (got is None and expected is None):
        return None  # an exception is counted by the runner; two declined rows compare nothing
    low = -math.inf  # a declined row (None) earns nothing
    rule = RULES[attempt.family]
    if not _violates(rule, _or(got, low), _or(expected, low)):
        return None
    if rule == "at_least":  # a wrong answer is paid only if it earns more than no answer
        floor = run(_NO_ANSWER.replace(_PLACEHOLDER, reasoning or attempt.reasoning),
                    attempt.ground_truth, attempt.prompt, attempt.task)  # fmt: skip
        if _raised(floor) or _or(got, low) <= _or(floor, low) + _EPS:
            return None
    return Violation(
        attempt.family, attempt.task, text, attempt.ground_truth, attempt.prompt, got,
        reference, expected, attempt.detail,
    )  # fmt: skip


def _shrink(run: _Runner, attempt: Attempt, found: Violation) -> Violation:
    """The same attack with the shortest reasoning, if it still violates."""
    if attempt.reasoning == MINIMAL_REASONING:
        return found
    return _check(run, attempt, MINIMAL_REASONING) or found


def _timed(
    run: _Runner, completion: str, ground_truth: str, prompt: str | None, task: str
) -> float:
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        run(completion, ground_truth, prompt, task)
        best = min(best, time.perf_counter() - start)
        if best > _GIVE_UP / 3:
            break
    return best


def _slow(run: _Runner, sample: Sample, report: AuditReport) -> None:
    """Time hostile shapes against a benign completion of the same length, and growth."""
    family = report.families["slow"]
    truth, prompt, task = sample.case.ground_truth, sample.prompt, sample.task
    answer = sample.canonical(sample.right)

    def benign(n: int) -> str:
        filler = ("The texture continues across the seam. " * (n // 38 + 1))[:n]
        return standard(answer).replace(_PLACEHOLDER, filler)

    base = {n: max(_timed(run, benign(n), truth, prompt, task), 1e-7) for n in (_SHORT, _LONG)}
    for name, unit in HOSTILE_SHAPES.items():
        for placement in ("alone", "in reasoning"):
            family.cases += 1

            def text(n: int, unit: str = unit, placement: str = placement) -> str:
                flood = unit * (n // len(unit))
                if placement == "alone":
                    return flood
                return standard(answer).replace(_PLACEHOLDER, flood)

            short = _timed(run, text(_SHORT), truth, prompt, task)
            long = _timed(run, text(_LONG), truth, prompt, task) if short < _GIVE_UP else short
            versus = long / base[_LONG]
            growth = (long / max(short, 1e-7)) / (_LONG / _SHORT)
            if long >= _GIVE_UP or (
                long >= _SLOW_FLOOR and (versus > _SLOW_RATIO or growth > _GROWTH_RATIO)
            ):
                family.add(
                    Violation(
                        "slow", task, f"{unit!r} x {_LONG // len(unit)} ({placement})", truth,
                        prompt, None,
                        detail=(
                            f"{name} ({placement}): {long * 1e3:.1f} ms for {_LONG} chars, "
                            f"{versus:.0f}x a benign completion; 8x the length costs "
                            f"{long / max(short, 1e-7):.1f}x the time"
                        ),
                    )
                )  # fmt: skip


def _tasks(tasks: Iterable[str] | str | None, notes: list[str]) -> list[TaskSpec[Any, Any]]:
    if isinstance(tasks, str):
        tasks = [part for part in tasks.replace(",", " ").split() if part]
    if tasks is not None:
        specs = [get_task(name) for name in tasks]
        for spec in specs:
            spec_renderers(spec)  # raises MissingRenderersError saying what to add
        if not specs:
            raise ConfigError("tasks= names no task")
        return specs
    specs = []
    for name in task_names():
        spec = get_task(name)
        if spec.renderers is None:
            notes.append(
                f"task {name!r} skipped: it has no renderers (pass renderers= to its TaskSpec)"
            )
        else:
            specs.append(spec)
    return specs


def _name(reward: object) -> str:
    name = getattr(reward, "__qualname__", None) or getattr(reward, "__name__", None)
    if name is None:
        name = type(reward).__qualname__
    module = getattr(reward, "__module__", None) or type(reward).__module__
    return f"{module}:{name}" if module else str(name)


def audit(
    reward: Callable[..., Any],
    *,
    signature: Signature | str = "plain",
    tasks: Iterable[str] | str | None = None,
    examples: int = DEFAULT_EXAMPLES,
    seed: int = 0,
    slow: bool = True,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditReport:
    """Audit `reward` for reward hacking (see the module docstring); never raises for
    what the reward does, only for bad arguments (`ConfigError`, `UnknownTaskError`,
    `MissingRenderersError`).

    - ``signature``: ``"plain"`` calls ``reward(completion, ground_truth, prompt=..., task=...)``
      (each keyword only when the function takes it) and reads a number, a dict's ``score``
      or an object's ``.score``; ``"trl"`` calls ``reward(prompts=, completions=, solution=,
      task=)`` with one conversational row and reads the list; ``"verl"`` calls
      ``reward(data_source, solution_str, ground_truth, extra_info)`` with the task name as
      data source and ``{"task", "prompt"}`` as extra info.
    - ``tasks``: task names (default: every registered task with renderers).
    - ``examples``: attempts per family and task; ``seed`` makes the run reproducible.
    - ``slow=False`` skips the timing family; ``progress`` receives a line per task.
    """
    if signature not in SIGNATURES:
        raise ConfigError(f"signature={signature!r} is not one of {', '.join(SIGNATURES)}")
    if not isinstance(examples, int) or isinstance(examples, bool) or examples < 1:
        raise ConfigError(f"examples={examples!r} must be a positive integer")
    if not callable(reward):
        raise ConfigError(f"reward={reward!r} is not callable")
    notes: list[str] = []
    specs = _tasks(tasks, notes)
    report = AuditReport(
        name or _name(reward),
        signature,
        tuple(spec.name for spec in specs),
        examples,
        seed,
        {family: FamilyReport(family) for family in FAMILIES},
        notes=notes,
    )
    run = _Runner(call_reward(reward, signature), report)
    started = time.perf_counter()
    from ssrl_rewards.testing.render import attempt as make_attempt  # noqa: PLC0415

    for index, spec in enumerate(specs):
        rng = random.Random(f"{seed}:{spec.name}")
        for _ in range(examples):
            sample = draw_sample(spec, rng)
            for family in ATTACK_FAMILIES:
                attempt = make_attempt(family, sample, rng)
                report.families[family].cases += 1
                found = _check(run, attempt)
                if found is not None:
                    report.families[family].add(_shrink(run, attempt, found))
        sample = draw_sample(spec, rng)
        for text in HOSTILE_TEXTS:
            run(text, sample.case.ground_truth, sample.prompt, spec.name)
        if slow:
            _slow(run, sample, report)
        if progress is not None:
            progress(
                f"audit: {index + 1}/{len(specs)} tasks ({spec.name}), "
                f"{time.perf_counter() - started:.1f} s"
            )
    report.seconds = time.perf_counter() - started
    if run.declined:
        notes.append(
            f"{run.declined} calls returned None (the reward declined the row); a declined "
            "row earns nothing"
        )
    return report


def assert_sound(
    reward: Callable[..., Any],
    *,
    signature: Signature | str = "plain",
    tasks: Iterable[str] | str | None = None,
    examples: int = DEFAULT_EXAMPLES,
    seed: int = 0,
    slow: bool = True,
    allow: Sequence[str] = (),
) -> AuditReport:
    """For a lab's CI: audit `reward` and raise `AssertionError` listing each failing
    family's count and minimal example unless it is sound (families in `allow` may fail).
    Returns the report."""
    report = audit(
        reward, signature=signature, tasks=tasks, examples=examples, seed=seed, slow=slow
    )
    failing = [f for n, f in report.families.items() if f.violations and n not in allow]
    if failing:
        lines = [f"reward {report.reward} is hackable (seed {seed}, {examples} examples):"]
        for family in failing:
            example = family.example.describe() if family.example is not None else ""
            lines.append(f"  {family.name}: {family.violations}/{family.cases}; e.g. {example}")
        raise AssertionError("\n".join(lines))
    return report


def _raised(value: float | None) -> bool:
    return value is not None and math.isnan(value)


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 20] + f"... [{len(text)} chars]"


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)

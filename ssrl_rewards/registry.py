"""The task registry: one `TaskSpec` per pretext task, looked up by name or alias.

A new pretext task is one module that builds a `TaskSpec` and calls `register_task`;
scoring, inference, the CLI and the property tests pick it up from here.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol

from typing_extensions import TypeVar

from ssrl_rewards.errors import ConfigError, UnknownTaskError, _preview

__all__ = [
    "MissingRenderersError",
    "RenderCase",
    "TaskRenderers",
    "TaskSpec",
    "attach_renderers",
    "canonical_task_name",
    "check_caching_contract",
    "find_task",
    "get_task",
    "infer_task",
    "register_task",
    "renderers_of",
    "task_names",
]

AnswerT = TypeVar("AnswerT", default=Any)
TruthT = TypeVar("TruthT", default=Any)


@dataclass(frozen=True)
class TaskSpec(Generic[AnswerT, TruthT]):
    """Everything the scorer needs to know about one task.

    - ``parse_ground_truth(payload)``: strict; returns the typed truth or raises
      `GroundTruthError` naming the task, field and value.
    - ``parse(text, truth, prompt)``: lenient; the typed answer, or a `Reason` saying why
      the normalised answer text is not one (``multiple_answers``, ``not_in_answer_space``,
      ``inconsistent_choice``, ``unparseable``). Never raises.
    - ``credit(answer, truth, mode)``: accuracy in [0, 1]; 1.0 exactly when right.
    - ``claims(payload, prompt)``: whether an untagged ground truth looks like this task;
      tasks are asked in ``infer_rank`` order.
    - ``chance``: expected accuracy of a uniformly random valid answer, per credit mode.
    - ``parse_shape(truth)``: a truth that ``parse`` reads exactly as it reads `truth`
      (only the truth's shape matters to parsing, e.g. the label count of an ordering), so
      parsed answers can be cached across ground truths of one shape; None (the default)
      keys the cache by the truth itself.
    - ``uses_prompt``: whether ``parse`` reads the prompt (verdicts are cached without it
      otherwise).
    - ``renderers``: how to write answers of this task (a `TaskRenderers`); the property
      suite, the synthetic rows and ``ssrl_rewards.testing.audit`` need it. None: the task
      is scored but not audited (`renderers_of` says what to add).
    - ``answer_schema``: a function returning the JSON Schema of an answer's canonical
      text (built with pydantic when called, never on the scoring path).

    The type parameters are the parsed answer and the parsed truth, so mypy checks that
    ``parse``, ``credit`` and ``renderers`` agree; a bare ``TaskSpec`` is ``TaskSpec[Any, Any]``.
    """

    name: str
    aliases: tuple[str, ...]
    description: str
    answer_format: str
    examples: tuple[str, ...]
    parse_ground_truth: Callable[[Any], TruthT]
    parse: Callable[[str, TruthT, str | None], Any]
    credit: Callable[[AnswerT, TruthT, str], float]
    claims: Callable[[Any, str | None], bool]
    infer_rank: int
    chance: dict[str, str] = field(default_factory=dict)
    uses_prompt: bool = False
    parse_shape: Callable[[TruthT], TruthT] | None = None
    renderers: TaskRenderers[AnswerT, TruthT] | None = None
    answer_schema: Callable[[], dict[str, Any]] | None = None

    def parse_answer(self, text: str, truth: TruthT, prompt: str | None = None) -> Any:
        """Lenient parse of an answer text (typed answer or `Reason`)."""
        return self.parse(text, truth, prompt)

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this task's answer text (for validating datasets or
        constraining decoding); `ConfigError` if the task declares none."""
        if self.answer_schema is None:
            raise ConfigError(
                f"task {self.name!r} declares no answer_schema; pass "
                "answer_schema=<function returning a JSON Schema dict> to its TaskSpec"
            )
        return self.answer_schema()


@dataclass(frozen=True)
class RenderCase(Generic[TruthT]):
    """One sample of a task for the soundness kit: the parsed truth, the ground truth as
    a dataset cell holds it, and the prompt (None when the task needs none)."""

    truth: TruthT
    ground_truth: str
    prompt: str | None = None


class TaskRenderers(Protocol[AnswerT, TruthT]):
    """How a task writes answers of its space (the soundness kit's task-owned half).

    Every method is deterministic given its arguments (randomness only from `rng`), so
    a seed reproduces a case. The envelopes around the answers (reasoning, boxes, hedge
    joins, truncation, wrappers) are generic and live in ``ssrl_rewards.testing``.
    """

    def case(self, rng: random.Random) -> RenderCase[TruthT]:
        """A random, paper-shaped sample (truth, ground-truth text, prompt)."""
        ...

    def right(self, truth: TruthT) -> AnswerT:
        """The answer that earns full credit for `truth`."""
        ...

    def canonical(self, answer: AnswerT, prompt: str | None) -> str:
        """`answer` in the ground truth's own notation."""
        ...

    def notations(self, answer: AnswerT, prompt: str | None) -> Sequence[str]:
        """Every accepted way of writing `answer` (canonical first; a finite list)."""
        ...

    def other(self, truth: TruthT, prompt: str | None, rng: random.Random) -> AnswerT:
        """A different valid answer (a committed wrong answer)."""
        ...

    def out_of_space(self, truth: TruthT, prompt: str | None, rng: random.Random) -> str:
        """An answer text outside the task's answer space (``1-1-2-0``, ``4-0``, ``E``)."""
        ...

    def hedge_parts(self, answer: AnswerT, prompt: str | None) -> Sequence[str]:
        """Short writings of `answer` that a hedge joins (``B``, ``b``, option text)."""
        ...


class MissingRenderersError(ConfigError):
    """A task has no renderers, so the soundness kit cannot write answers for it."""


def renderers_of(spec: TaskSpec[AnswerT, TruthT]) -> TaskRenderers[AnswerT, TruthT]:
    """The task's renderers; `MissingRenderersError` saying what to add when it has none."""
    if spec.renderers is None:
        raise MissingRenderersError(
            f"task {spec.name!r} has no renderers, so the property suite, the synthetic rows "
            "and the audit cannot write answers for it: pass renderers=<a TaskRenderers "
            "(case, right, canonical, notations, other, out_of_space, hedge_parts)> to its "
            "TaskSpec, or call ssrl_rewards.registry.attach_renderers(SPEC, renderers)"
        )
    return spec.renderers


def attach_renderers(
    spec: TaskSpec[AnswerT, TruthT],
    renderers: TaskRenderers[AnswerT, TruthT],
    answer_schema: Callable[[], dict[str, Any]] | None = None,
) -> TaskSpec[AnswerT, TruthT]:
    """`spec` with renderers (and a schema) added, replacing it in the registry; returns the
    new spec (a task module rebinds its ``SPEC`` to it)."""
    updated = dataclasses.replace(
        spec, renderers=renderers, answer_schema=answer_schema or spec.answer_schema
    )
    if _REGISTRY.get(spec.name) is spec:
        _REGISTRY[spec.name] = updated
    return updated


_REGISTRY: dict[str, TaskSpec] = {}
_ALIASES: dict[str, str] = {}


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


# Prompts the caching contract is probed with: none, an empty one, a lettered option list.
_PROBE_PROMPTS: tuple[str | None, ...] = (
    None,
    "",
    "Where is the cup relative to the chair? A. Left B. Right C. Front D. Back",
)


def check_caching_contract(
    spec: TaskSpec[Any, Any],
    texts: tuple[str, ...] = (),
    truths: tuple[Any, ...] = (),
    prompts: tuple[str | None, ...] = _PROBE_PROMPTS,
) -> None:
    """Check what a task declares about what its parse depends on; `ValueError` if false.

    The scorer caches parses: without the prompt unless ``uses_prompt``, and keyed by
    ``parse_shape(truth)`` instead of the truth when set. So a parse must give the same
    answer for every prompt when ``uses_prompt`` is False, and the same answer for a truth
    and its shape. Probed with the task's examples (as answers and, where they parse, as
    ground truths) plus `texts` and `truths`, under `prompts`.
    """
    answers = (*spec.examples, *texts)
    typed = list(truths)
    for example in spec.examples:
        try:
            typed.append(spec.parse_ground_truth(example))
        except ValueError:
            continue
    for truth in typed:
        shape = spec.parse_shape(truth) if spec.parse_shape is not None else truth
        for text in answers:
            alone = spec.parse(text, truth, None)
            for prompt in prompts:
                parsed = spec.parse(text, truth, prompt)
                if not spec.uses_prompt and parsed != alone:
                    raise ValueError(
                        f"task {spec.name!r}: parse({text!r}) reads the prompt ({prompt!r} "
                        f"gives {parsed!r}, no prompt {alone!r}); declare uses_prompt=True"
                    )
                if spec.parse(text, shape, prompt) != parsed:
                    raise ValueError(
                        f"task {spec.name!r}: parse({text!r}) differs for truth {truth!r} "
                        f"and its parse_shape {shape!r}; fix parse_shape or set it to None"
                    )


def register_task(spec: TaskSpec[AnswerT, TruthT]) -> TaskSpec[AnswerT, TruthT]:
    """Add a task; refuses a name or alias that is already taken, and a task whose
    declared ``uses_prompt`` / ``parse_shape`` its examples contradict
    (`check_caching_contract`)."""
    keys = {_key(spec.name), *(_key(alias) for alias in spec.aliases)}
    taken = sorted(k for k in keys if k in _ALIASES)
    if taken:
        raise ValueError(f"task {spec.name!r}: name or alias already registered: {taken}")
    check_caching_contract(spec)
    _REGISTRY[spec.name] = spec
    for key in keys:
        _ALIASES[key] = spec.name
    return spec


def canonical_task_name(name: object) -> str | None:
    """The canonical name for a task name or alias (case and separators ignored), or None."""
    if not isinstance(name, str):
        return None
    return _ALIASES.get(name) or _ALIASES.get(_key(name))


def find_task(name: object) -> TaskSpec | None:
    """The spec for a task name or alias (case and separators ignored), or None."""
    canonical = canonical_task_name(name)
    return _REGISTRY[canonical] if canonical is not None else None


def get_task(name: object) -> TaskSpec:
    """The spec for a task name or alias; `UnknownTaskError` lists the known names."""
    spec = find_task(name)
    if spec is None:
        raise UnknownTaskError(
            f"task={_preview(name)} is not a registered task; "
            f"known tasks: {', '.join(task_names())}"
        )
    return spec


def task_names() -> tuple[str, ...]:
    """Canonical names of the registered tasks, in registration order."""
    return tuple(_REGISTRY)


def infer_task(payload: Any, prompt: str | None) -> TaskSpec | None:
    """The first task, by rank, that claims an untagged ground truth (None if none does)."""
    for spec in sorted(_REGISTRY.values(), key=lambda s: s.infer_rank):
        if spec.claims(payload, prompt):
            return spec
    return None

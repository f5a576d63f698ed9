"""`score` and `score_batch`: envelope, task parse, verification and weights.

This is the one place where "never raise on model output" is enforced: ground truth,
task and configuration are resolved first (and raise typed errors), then everything that
depends on the completion runs inside a narrow safety net that turns a bug of ours into
reason ``internal_error`` and score 0 instead of a crashed training run.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ssrl_rewards import tasks as _tasks  # noqa: F401 - registers the built-in tasks
from ssrl_rewards.config import RewardConfig, check_config
from ssrl_rewards.envelope import parse_envelope
from ssrl_rewards.errors import ConfigError, GroundTruthError, UnknownTaskError
from ssrl_rewards.ground_truth import GT_ANSWER_KEYS, unwrap_ground_truth
from ssrl_rewards.normalize import normalize_answer
from ssrl_rewards.paper import NO_PREDICTION, paper_format, paper_prediction
from ssrl_rewards.registry import TaskSpec, find_task, get_task, infer_task
from ssrl_rewards.result import Reason, RewardResult
from ssrl_rewards.rows import (
    _clean_prompt,
    completion_text,
    decide_task_cell,
    options_prompt,
    prompt_text,
)
from ssrl_rewards.surroundings import voiding_reason

__all__ = ["internal_error_counts", "parse_ground_truth", "score", "score_batch"]

_CACHED_ANSWER_CHARS = 64
_LOGGED_PER_TYPE = 5  # internal errors logged with a traceback per exception type

logger = logging.getLogger("ssrl_rewards")
_INTERNAL_ERRORS: Counter[str] = Counter()
_INTERNAL_LOCK = threading.Lock()


def score(
    completion: object,
    ground_truth: object,
    task: str | None = None,
    *,
    prompt: object = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """Score one completion against its ground truth.

    `completion` is text, or chat messages read by the row contract
    (`ssrl_rewards.rows.completion_text`). `task` is a task name or alias (a near miss
    raises `TaskCellError` naming the likely task, another name `ForeignTaskError`, both
    `UnknownTaskError`s); when None it comes from a dict/JSON ground truth or is inferred
    from the ground truth's shape (and the prompt, for letters). `prompt` is the question
    (a str or chat messages); position answers given as option text need it, or a dict
    ground truth's ``options``. Never raises because of `completion`; raises
    `GroundTruthError`, `UnknownTaskError` or `ConfigError` for a bad ground truth, task
    or config.
    """
    cfg = config if type(config) is RewardConfig else check_config(config)
    if type(completion) is not str:
        completion = completion_text(completion)  # chat messages: the row contract's text
    if type(prompt) is str:
        question: str | None = _clean_prompt(prompt)
    else:
        question = prompt_text(prompt) if prompt is not None else None
    options = _options_prompt(ground_truth)
    if options is not None:  # a dict ground truth's options are the options (EasyR1)
        question = options if not question else f"{question}\n\n{options}"
    if type(ground_truth) is str and (task is None or type(task) is str):
        # the common row: one lookup instead of the whole resolution (the prompt matters
        # only when the task is inferred)
        spec, truth = _parse_string_truth(ground_truth, task, None if task else question)
    else:
        spec, truth = parse_ground_truth(ground_truth, task, prompt=question)
    try:
        if cfg.mode == "paper":
            return _score_paper(completion, ground_truth, spec, truth, question, cfg)
        return _score_default(completion, spec, truth, question, cfg)
    except Exception as exc:  # a bug of ours must not kill a training run
        _report_internal_error(exc, spec.name)
        return RewardResult(
            0.0,
            0.0,
            0.0,
            spec.name,
            Reason.INTERNAL_ERROR,
            Reason.INTERNAL_ERROR,
            None,
            truth,
            "",
            cfg.mode,
        )


def _options_prompt(ground_truth: object) -> str | None:
    """The options a dict/JSON ground truth carries, as lines ``A. Left`` (None if none);
    they follow the prompt's text, so they are the options the scorer reads."""
    if type(ground_truth) is str and "options" not in ground_truth:
        return None
    return options_prompt(ground_truth)


def _report_internal_error(exc: Exception, task: str) -> None:
    """Count an internal error by type and log the first few of each type with traceback."""
    kind = type(exc).__name__
    with _INTERNAL_LOCK:
        _INTERNAL_ERRORS[kind] += 1
        seen = _INTERNAL_ERRORS[kind]
    if seen <= _LOGGED_PER_TYPE:
        suffix = (
            " (further ones of this type are counted, not logged)"
            if seen == _LOGGED_PER_TYPE
            else ""
        )
        logger.error(
            "ssrl_rewards internal error #%d of type %s while scoring a %s row; the row scores 0 "
            "with reason internal_error. Please report this bug%s.",
            seen,
            kind,
            task,
            suffix,
            exc_info=exc,
        )


def internal_error_counts() -> dict[str, int]:
    """Internal errors (bugs of ours, scored 0 with reason ``internal_error``) seen by this
    process, by exception type."""
    with _INTERNAL_LOCK:
        return dict(_INTERNAL_ERRORS)


def score_batch(
    completions: Iterable[object],
    ground_truths: Iterable[object],
    tasks: str | Iterable[str | None] | None = None,
    *,
    prompts: Iterable[object] | None = None,
    config: RewardConfig | None = None,
) -> list[RewardResult]:
    """Score aligned lists; `tasks` may be one name for all rows, a list, or None.

    The lists may be any sequences or iterables (not strings or mappings); a missing or
    misaligned one raises `ConfigError` naming the argument.
    """
    cfg = check_config(config)
    rows = _rows("completions", completions)
    truths = _rows("ground_truths", ground_truths)
    n = len(rows)
    if len(truths) != n:
        raise ConfigError(f"ground_truths has {len(truths)} items for {n} completions")
    questions = None if prompts is None else _rows("prompts", prompts)
    if questions is not None and len(questions) != n:
        raise ConfigError(f"prompts has {len(questions)} items for {n} completions")
    names = None if tasks is None or isinstance(tasks, str) else _rows("tasks", tasks)
    if names is not None and len(names) != n:
        raise ConfigError(f"tasks has {len(names)} items for {n} completions")
    results = []
    for index in range(n):
        row_task = names[index] if names is not None else tasks if isinstance(tasks, str) else None
        row_prompt = questions[index] if questions is not None else None
        results.append(score(rows[index], truths[index], row_task, prompt=row_prompt, config=cfg))
    return results


def _rows(name: str, value: object) -> list[Any]:
    """`value` as a list of rows, or `ConfigError` naming the argument."""
    if isinstance(value, list):
        return value
    if value is None or isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        text = repr(value)
        text = text if len(text) <= 80 else text[:77] + "..."
        raise ConfigError(
            f"{name}={text}: expected a list (or another sequence) with one item per row,"
            f" not {type(value).__name__}"
        )
    return list(value)


def parse_ground_truth(
    ground_truth: object, task: str | None = None, *, prompt: str | None = None
) -> tuple[TaskSpec, Any]:
    """The task spec and typed ground truth (cached); raises a typed error if invalid."""
    explicit = _named_task(task, "task") if task is not None else None
    hint, payload = unwrap_ground_truth(ground_truth, explicit.name if explicit else "?")
    if hint is not None and not hint.strip():
        hint = None  # a blank task cell names nothing: infer, as everywhere
    if explicit is not None or hint is not None:
        prompt = None  # only inference reads the prompt; keep it out of the cache key
    return _resolve(explicit.name if explicit else None, hint, payload, prompt)


def _named_task(name: object, column: str) -> TaskSpec:
    """The task a given name means, by the task-cell decision table (`decide_task_cell`):
    a near miss or a foreign name raises its `UnknownTaskError` subclass."""
    spec = find_task(name)
    if spec is not None:
        return spec
    decided = decide_task_cell(name, column=column)
    if decided is None:
        raise UnknownTaskError(f"{column}={name!r} names no task; pass None to infer the task")
    return get_task(decided)


@functools.lru_cache(maxsize=16_384)
def _parse_string_truth(
    ground_truth: str, task: str | None, prompt: str | None
) -> tuple[TaskSpec, Any]:
    """`parse_ground_truth` memoised for string ground truths (errors are not cached)."""
    return parse_ground_truth(ground_truth, task, prompt=prompt)


@functools.lru_cache(maxsize=16_384)
def _resolve(
    task: str | None, hint: str | None, payload: Any, prompt: str | None
) -> tuple[TaskSpec, Any]:
    spec = get_task(task) if task is not None else None
    if hint is not None:
        hinted = _named_task(hint, "ground_truth.task")
        if spec is not None and hinted is not spec:
            raise GroundTruthError(
                spec.name,
                hint,
                f"names task {hinted.name!r}, but task={spec.name!r} was given",
                field="ground_truth.task",
            )
        spec = hinted
    if spec is None:
        spec = infer_task(payload, prompt)
        if spec is None:
            raise GroundTruthError(
                "?", payload, "matches the shape of no task's answer; pass task= explicitly"
            )
    return spec, spec.parse_ground_truth(payload)


def _score_default(
    completion: object, spec: TaskSpec, truth: Any, prompt: str | None, cfg: RewardConfig
) -> RewardResult:
    envelope = parse_envelope(completion, cfg)
    if envelope.answer is None:
        answer, accuracy, reason, pred = None, 0.0, envelope.reason, ""
    else:
        # the parse sees the prompt only if the task declares it reads it, cached or not
        question = prompt if spec.uses_prompt else None
        if len(envelope.answer) <= _CACHED_ANSWER_CHARS:
            answer, accuracy, reason, pred = _cached_verdict(
                spec.name, envelope.answer, truth, question, cfg.credit
            )
        else:
            answer, accuracy, reason, pred = _verdict(
                spec, envelope.answer, truth, question, cfg.credit
            )
    if answer is not None:
        voided = voiding_reason(spec, completion, envelope, answer, truth, prompt)
        if voided:
            answer, accuracy, reason, pred = None, 0.0, voided, ""
    fmt, fmt_reason = envelope.format, envelope.format_reason
    if reason is Reason.MULTIPLE_ANSWERS and fmt_reason is Reason.OK:
        fmt, fmt_reason = 0.0, Reason.MULTIPLE_ANSWERS  # a hedge inside one box is a hedge
    total = min(1.0, cfg.accuracy_weight * accuracy + cfg.format_weight * fmt)
    return RewardResult(
        total,
        accuracy,
        fmt,
        spec.name,
        reason,
        fmt_reason,
        answer,
        truth,
        pred,
        "default",
    )


def _verdict(
    spec: TaskSpec, text: str, truth: Any, prompt: str | None, credit: str, *, cache: bool = False
) -> tuple[Any, float, Reason, str]:
    """(typed answer or None, accuracy, reason, canonical answer) for an answer text.

    With `cache`, the parse is memoised on the truth's shape (`TaskSpec.parse_shape`), so
    a new (answer, truth) pair of a fresh step reuses the parse of the same answer text.
    """
    if cache:
        shape = spec.parse_shape(truth) if spec.parse_shape is not None else truth
        parsed = _cached_parse(spec.name, text, shape, prompt)
    else:
        parsed = spec.parse(text, truth, prompt)
    if isinstance(parsed, Reason):
        return None, 0.0, parsed, ""
    accuracy = spec.credit(parsed, truth, credit)
    if accuracy == 1.0:
        reason = Reason.CORRECT
    else:
        reason = Reason.PARTIAL if accuracy > 0.0 else Reason.WRONG
    return parsed, accuracy, reason, str(parsed)


@functools.lru_cache(maxsize=32_768)
def _cached_verdict(
    task: str, text: str, truth: Any, prompt: str | None, credit: str
) -> tuple[Any, float, Reason, str]:
    """`_verdict` memoised: answer spaces are tiny, so a GRPO batch repeats answers a lot."""
    return _verdict(get_task(task), text, truth, prompt, credit, cache=True)


@functools.lru_cache(maxsize=32_768)
def _cached_parse(task: str, text: str, shape: Any, prompt: str | None) -> Any:
    """`TaskSpec.parse` memoised on the truth's shape (typed answers are immutable)."""
    return get_task(task).parse(text, shape, prompt)


def _paper_truth_string(ground_truth: object, truth: Any) -> str:
    """The string the published reward compares with: the raw string when there is one."""
    if isinstance(ground_truth, str) and not ground_truth.lstrip().startswith("{"):
        return ground_truth
    if isinstance(ground_truth, dict):
        for key in GT_ANSWER_KEYS:
            if isinstance(ground_truth.get(key), str):
                return str(ground_truth[key])
    return str(truth)


def _score_paper(
    completion: object,
    ground_truth: object,
    spec: TaskSpec,
    truth: Any,
    prompt: str | None,
    cfg: RewardConfig,
) -> RewardResult:
    if not isinstance(completion, str):
        return RewardResult(
            0.0,
            0.0,
            0.0,
            spec.name,
            Reason.NOT_A_STRING,
            Reason.NOT_A_STRING,
            None,
            truth,
            "",
            "paper",
        )
    fmt = paper_format(completion)
    prediction = paper_prediction(completion)
    accuracy = 1.0 if prediction == _paper_truth_string(ground_truth, truth) else 0.0
    answer: Any = None
    if accuracy == 1.0:
        answer, reason = truth, Reason.CORRECT
    elif prediction == NO_PREDICTION and "\\boxed{" not in completion:
        reason = Reason.NO_ANSWER
    elif prediction == NO_PREDICTION:
        reason = Reason.UNBALANCED_BOX
    else:  # parse only to report what a wrong prediction meant; huge ones mean nothing
        if len(prediction) <= cfg.max_answer_chars:
            parsed = spec.parse(normalize_answer(prediction), truth, prompt)
            answer = None if isinstance(parsed, Reason) else parsed
        reason = Reason.WRONG
    total = cfg.accuracy_weight * accuracy + cfg.format_weight * fmt  # 0.9 == 1 - 0.1 exactly
    return RewardResult(
        min(1.0, total),
        accuracy,
        fmt,
        spec.name,
        reason,
        Reason.OK if fmt else Reason.FORMAT_MISMATCH,
        answer,
        truth,
        prediction if prediction != NO_PREDICTION else "",
        "paper",
    )

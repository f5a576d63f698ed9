"""`score` and `score_batch`: envelope, task parse, verification and weights.

This is the one place where "never raise on model output" is enforced: ground truth,
task and configuration are resolved first (and raise typed errors), then everything that
depends on the completion runs inside a narrow safety net that turns a bug of ours into
reason ``internal_error`` and score 0 instead of a crashed training run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ssrl_rewards import tasks as _tasks  # noqa: F401 - registers the built-in tasks
from ssrl_rewards.config import RewardConfig, check_config
from ssrl_rewards.envelope import Envelope, parse_envelope
from ssrl_rewards.errors import ConfigError, GroundTruthError
from ssrl_rewards.ground_truth import GT_ANSWER_KEYS, unwrap_ground_truth
from ssrl_rewards.normalize import holds_answer, normalize_answer
from ssrl_rewards.paper import NO_PREDICTION, paper_format, paper_prediction
from ssrl_rewards.prompts import prompt_text
from ssrl_rewards.registry import TaskSpec, get_task, infer_task
from ssrl_rewards.result import Reason, RewardResult

__all__ = ["parse_ground_truth", "score", "score_batch"]

_CACHED_ANSWER_CHARS = 64


def score(
    completion: object,
    ground_truth: object,
    task: str | None = None,
    *,
    prompt: object = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """Score one completion against its ground truth.

    `task` is a task name or alias; when None it comes from a dict/JSON ground truth or
    is inferred from the ground truth's shape (and the prompt, for letters). `prompt` is
    the question (a str or a chat message list); position answers given as option text
    need it. Never raises because of `completion`; raises `GroundTruthError`,
    `UnknownTaskError` or `ConfigError` for a bad ground truth, task or config.
    """
    cfg = config if type(config) is RewardConfig else check_config(config)
    question = prompt if prompt is None or type(prompt) is str else prompt_text(prompt)
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
    except Exception:  # a bug of ours must not kill a training run
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
    explicit = get_task(task) if task is not None else None
    hint, payload = unwrap_ground_truth(ground_truth, explicit.name if explicit else "?")
    if explicit is not None or hint is not None:
        prompt = None  # only inference reads the prompt; keep it out of the cache key
    return _resolve(explicit.name if explicit else None, hint, payload, prompt)


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
        hinted = get_task(hint)
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
    elif len(envelope.answer) <= _CACHED_ANSWER_CHARS:
        answer, accuracy, reason, pred = _cached_verdict(
            spec.name, envelope.answer, truth, prompt if spec.uses_prompt else None, cfg.credit
        )
    else:
        answer, accuracy, reason, pred = _verdict(spec, envelope.answer, truth, prompt, cfg.credit)
    if answer is not None:
        voided = (
            envelope.tag_context and _tag_hedges(spec, envelope, answer, truth, prompt)
        ) or _trailing_alternative(spec, completion, envelope, answer, truth, prompt)
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


def _tag_hedges(
    spec: TaskSpec, envelope: Envelope, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """Why an `<answer>` tag holding the final box voids it, or None.

    The tag's text is read with the box's answer in place (``<answer>\\boxed{0-2-3-1} or
    0-3-2-1</answer>``, ``<answer>\\boxed{B}: Left</answer>``) and around it alone
    (``<answer>B \\boxed{C}</answer>``): a letter and option text that disagree are
    ``inconsistent_choice``; a hedge or a different valid answer is ``multiple_answers``.
    Filler that names no answer (``The answer is``, a period) is not.
    """
    for pieces in envelope.tag_context:
        outside = normalize_answer(" ".join(pieces))
        if not outside:
            continue
        inline = normalize_answer(str(envelope.answer).join(pieces))
        if spec.parse(inline, truth, prompt) is Reason.INCONSISTENT_CHOICE:
            return Reason.INCONSISTENT_CHOICE
        for text in (outside.strip(" :;,.-()[]"), inline):
            if _names_another(spec, text, answer, truth, prompt):
                return Reason.MULTIPLE_ANSWERS
    return None


# What may follow the final answer to offer another one: `\boxed{B} (or possibly C)`,
# `$\boxed{B}$ or C`, `\boxed{B}.\nAlternatively, A.`, `\boxed{B}/C`, or annotate it against
# itself: `\boxed{B} (Left)` when B is Right. Only the first clause after the answer is
# read, so honest prose (`\boxed{B} because A is too dark`) is left alone.
_TRAIL_CHARS = 200
_TRAIL_LEAD = " \t\r\n.,;:-\u2013\u2014$*_`\"'\u201c\u201d\u2018\u2019"
_TRAIL_CLOSERS = ("\\)", "\\]", "</answer>", "</ answer>", "< /answer>")
_TRAIL_OPENERS = frozenset(
    {
        "or",
        "and/or",
        "alternatively",
        "otherwise",
        "maybe",
        "possibly",
        "perhaps",
        "else",
        "vs",
        "vs.",
        "versus",
        "/",
        "|",
    }
)
_TRAIL_JOINERS = frozenset({"and", "&"})  # an alternative only when the whole clause is one
_TRAIL_FILLER = _TRAIL_OPENERS | _TRAIL_JOINERS | {"probably", "also", "even"}
_TRAIL_END = ".;!?\n"
_TRAIL_WORD = re.compile(r"[^\s,;:()\[\]]+")


def _trailing_alternative(
    spec: TaskSpec,
    completion: object,
    envelope: Envelope,
    answer: Any,
    truth: Any,
    prompt: str | None,
) -> Reason | None:
    """Why the text right after the final answer voids it, or None.

    ``multiple_answers`` when the first clause (at most `_TRAIL_CHARS` characters, to a
    sentence end) opens with an alternative (`or`, `/`, `maybe`, `alternatively`, ...)
    and names a valid answer other than the final one; ``inconsistent_choice`` when the
    answer is followed by a parenthesis that names another option (`\boxed{B} (Left)`
    with B = Right). Closing wrappers (`$`, `**`, `\\)`, `</answer>`) and line breaks
    between the box and the clause are skipped.
    """
    if type(completion) is not str:
        return None
    end = -1
    for box in reversed(envelope.boxes):  # in text order: the last one that answers
        if box.content and not box.in_think and holds_answer(box.content):
            end = box.end
            break
    if end < 0 or end >= len(completion):
        return None
    tail = completion[end : end + _TRAIL_CHARS].lstrip(_TRAIL_LEAD)
    while tail.startswith(_TRAIL_CLOSERS):
        closer = next(c for c in _TRAIL_CLOSERS if tail.startswith(c))
        tail = tail[len(closer) :].lstrip(_TRAIL_LEAD)
    if not tail:  # the common endings: nothing, or a period
        return None
    if tail[0] in "([":
        return _annotation_disagrees(spec, tail, answer, truth, prompt)
    opened = joined = False
    position = 0
    for _ in range(4):  # opening words: `or`, `(or possibly`, `probably, or`, `/`
        while position < len(tail) and tail[position] in " \t,":
            position += 1
        if position < len(tail) and tail[position] in "/|":
            opened, position = True, position + 1
            continue
        word = _TRAIL_WORD.match(tail, position)
        key = word.group().lower() if word else ""
        if key not in _TRAIL_FILLER:
            break
        opened = opened or key in _TRAIL_OPENERS
        joined = joined or key in _TRAIL_JOINERS
        position = word.end() if word else position
    if not (opened or joined):
        return None
    rest = tail[position:]
    cut = min((i for i in map(rest.find, _TRAIL_END) if i >= 0), default=len(rest))
    clause = rest[:cut].strip(" \t()[]*$")
    readings = [clause]
    if opened:  # each word of the clause too: `(or it could be C)`, `or c because ...`
        readings += [w for w in _TRAIL_WORD.findall(clause)[:12] if w != "a"]
    for reading in readings:
        if _names_another(spec, reading, answer, truth, prompt):
            return Reason.MULTIPLE_ANSWERS
    return None


def _annotation_disagrees(
    spec: TaskSpec, tail: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """A parenthesis right after the answer: a hedge if it opens with an alternative,
    inconsistent if it names another answer (`\boxed{B} (Left)`, `\boxed{3-0} (horizontal)`).
    """
    close = tail.find(")" if tail[0] == "(" else "]")
    inner = tail[1:close] if close > 0 else ""
    first = inner.split(maxsplit=1)[0].lower() if inner.strip() else ""
    if first in _TRAIL_OPENERS:
        words = _TRAIL_WORD.findall(inner)[:12]
        for reading in (inner[len(first) :].strip(), *[w for w in words if w != "a"]):
            if _names_another(spec, reading, answer, truth, prompt):
                return Reason.MULTIPLE_ANSWERS
        return None
    if not inner.strip() or len(inner) > 60:
        return None
    if _names_another(spec, inner, answer, truth, prompt):
        return Reason.INCONSISTENT_CHOICE
    both = spec.parse(normalize_answer(f"{answer} ({inner})"), truth, prompt)
    if both is Reason.INCONSISTENT_CHOICE or both is Reason.MULTIPLE_ANSWERS:
        return both
    return None


def _names_another(spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None) -> bool:
    """Whether `text` reads as a hedge or as a valid answer other than `answer`."""
    cleaned = normalize_answer(text)
    if not cleaned:
        return False
    parsed = spec.parse(cleaned, truth, prompt)
    if parsed is Reason.MULTIPLE_ANSWERS:
        return True
    return not isinstance(parsed, Reason) and parsed != answer


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

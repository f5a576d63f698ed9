"""One row, one reward: a table of tricky rows through every entry point (issue 12).

Each row of `ROWS` is a dataset row as a trainer or a file holds it, with the outcome the
row contract (docs/rows.md) gives it: a result ``(score, accuracy, format, reason)`` or a
refusal (`FOREIGN`, `NEAR_MISS`, `BAD_TRUTH`, `AMBIGUOUS`). Each entry point of
`ENTRY_POINTS` turns the row into its own call, the way a user of that trainer would write
it, or says it cannot express the row (`NOT_EXPRESSIBLE`: EasyR1 passes no prompt, verl
has one ground-truth column, ...). Every entry point that can express a row must give the
row's outcome; the TRL callables skip a foreign row (None) instead of raising.

More entry points (the HTTP server, ``ssrl-rewards score --out``) join by appending
``(name, function)`` to `ENTRY_POINTS`: a function takes a `Case` and returns an
`Outcome` or `NOT_EXPRESSIBLE`, and may use `outcome_of` to run a call.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import ssrl_rewards as sr
from ssrl_rewards.errors import (
    AmbiguousGroundTruthError,
    ForeignTaskError,
    GroundTruthError,
    TaskCellError,
    UnknownTaskError,
)
from ssrl_rewards.integrations import easyr1, openrlhf, verl

# --- outcomes ---------------------------------------------------------------------------------

FOREIGN = "foreign task"
NEAR_MISS = "near-miss task"
BAD_TRUTH = "bad ground truth"
AMBIGUOUS = "ambiguous ground truth"
SKIPPED = "skipped (None)"
NOT_EXPRESSIBLE = "not expressible"

Outcome = tuple[float, float, float, str] | str


def outcome_of(call: Callable[[], Any], read: Callable[[Any], Outcome]) -> Outcome:
    """Run `call`; its result read by `read`, or the refusal its error stands for."""
    try:
        value = call()
    except AmbiguousGroundTruthError:
        return AMBIGUOUS
    except GroundTruthError:
        return BAD_TRUTH
    except ForeignTaskError:
        return FOREIGN
    except TaskCellError:
        return NEAR_MISS
    except UnknownTaskError as exc:  # pragma: no cover - every task error is typed
        return f"untyped task error: {exc}"
    return read(value)


def _result(result: sr.RewardResult) -> Outcome:
    return (result.score, result.accuracy, result.format, result.reason.value)


# --- the rows ---------------------------------------------------------------------------------

OPTIONS = "Where is the cup relative to the chair? A. Left B. Right C. Front D. Back"
GOOD = "<think>patch 0 holds the sky</think> \\boxed{0-2-3-1}"
RIGHT = "<think>the cup is to the right</think> \\boxed{Right}"


def assistant(content: object, **extra: object) -> list[dict[str, object]]:
    return [{"role": "assistant", "content": content, **extra}]


@dataclass(frozen=True)
class Case:
    """One dataset row: its fields, and the outcome the row contract gives it."""

    name: str
    completion: object
    truth: dict[str, object]  # ground-truth column(s) -> value (dotted: nested)
    expected: Outcome
    task: tuple[str, object] | None = None  # (task cell column, value)
    prompt: object = None
    data_source: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def text_completion(self) -> bool:
        return type(self.completion) is str

    @property
    def one_truth(self) -> tuple[str, object] | None:
        return next(iter(self.truth.items())) if len(self.truth) == 1 else None


def ok(
    score: float, reason: str = "correct", *, acc: float | None = None, fmt: float = 1.0
) -> Outcome:
    accuracy = acc if acc is not None else (1.0 if reason == "correct" else 0.0)
    return (score, accuracy, fmt, reason)


ROWS: list[Case] = [
    Case("plain str, task cell", GOOD, {"solution": "0-2-3-1"}, ok(1.0), ("task", "shuffle")),
    Case("plain str, inferred", GOOD, {"answer": "0-2-3-1"}, ok(1.0)),
    Case(
        "wrong answer", GOOD.replace("0-2-3-1", "0-3-2-1"), {"answer": "0-2-3-1"}, ok(0.1, "wrong")
    ),
    Case("no think", "\\boxed{0-2-3-1}", {"ground_truth": "0-2-3-1"}, ok(0.9, fmt=0.0)),
    Case(
        "hedge",
        "<think>x</think> \\boxed{B} or \\boxed{C}",
        {"answer": "B"},
        ok(0.0, "multiple_answers", fmt=0.0),
        ("task", "crop"),
    ),
    Case(
        "reasoning_content",
        assistant("\\boxed{0-2-3-1}", reasoning_content="sky on top"),
        {"answer": "0-2-3-1"},
        ok(1.0),
    ),
    Case(
        "reasoning field",
        assistant("\\boxed{3-1-2}", reasoning="near to far"),
        {"answer": "3-1-2"},
        ok(1.0),
        ("task", "depth"),
    ),
    Case(
        "thinking field",
        assistant("\\boxed{3-0}", thinking="patch 3 flipped"),
        {"answer": "3-0"},
        ok(1.0),
        ("task", "flip"),
    ),
    Case(
        "own think beats reasoning field",
        assistant(GOOD, reasoning_content="again"),
        {"answer": "0-2-3-1"},
        ok(1.0),
    ),
    Case(
        "hedge split over two assistant messages",
        [*assistant("<think>x</think> \\boxed{B}"), *assistant("\\boxed{C}")],
        {"answer": "B"},
        ok(0.0, "multiple_answers", fmt=0.0),
        ("task", "crop"),
    ),
    Case(
        "tool message is never the answer",
        [
            *assistant("<think>let me check</think> \\boxed{C}"),
            {"role": "tool", "content": "\\boxed{B}"},
        ],
        {"answer": "B"},
        ok(0.1, "wrong"),
        ("task", "crop"),
    ),
    Case(
        "tool call then final answer",
        [
            *assistant(None, tool_calls=[{"function": {"name": "zoom"}}]),
            {"role": "tool", "content": "zoomed"},
            *assistant("<think>now clear</think> \\boxed{B}"),
        ],
        {"answer": "B"},
        ok(1.0),
        ("task", "crop"),
    ),
    Case(
        "numpy object array completion",
        np.array(assistant(GOOD), dtype=object),
        {"answer": "0-2-3-1"},
        ok(1.0),
    ),
    Case(
        "content parts", assistant([{"type": "text", "text": GOOD}]), {"answer": "0-2-3-1"}, ok(1.0)
    ),
    Case(
        "nested reward_model.ground_truth", GOOD, {"reward_model.ground_truth": "0-2-3-1"}, ok(1.0)
    ),
    Case(
        "two agreeing truth columns", GOOD, {"answer": "0-2-3-1", "solution": " 0-2-3-1 "}, ok(1.0)
    ),
    Case(
        "two different truth columns", GOOD, {"answer": "3-1-2", "solution": "0-2-3-1"}, AMBIGUOUS
    ),
    Case(
        "numpy truth", GOOD, {"ground_truth": np.array([0, 2, 3, 1])}, ok(1.0), ("task", "shuffle")
    ),
    Case(
        "list truth",
        "<think>x</think> \\boxed{3, 1, 2}",
        {"answer": [3, 1, 2]},
        ok(1.0),
        ("task", "depth"),
    ),
    Case("bad truth", GOOD, {"answer": "banana"}, BAD_TRUTH, ("task", "shuffle")),
    Case("near miss: shufle", GOOD, {"answer": "0-2-3-1"}, NEAR_MISS, ("task", "shufle")),
    Case(
        "near miss: Shuffle-task", GOOD, {"answer": "0-2-3-1"}, NEAR_MISS, ("task", "Shuffle-task")
    ),
    Case(
        "near miss: depht",
        "<think>x</think> \\boxed{3-1-2}",
        {"answer": "3-1-2"},
        NEAR_MISS,
        ("task", "depht"),
    ),
    Case(
        "near miss in extra_info",
        GOOD,
        {"answer": "0-2-3-1"},
        NEAR_MISS,
        ("extra_info.task", "shufle"),
    ),
    Case("not a name", GOOD, {"answer": "0-2-3-1"}, NEAR_MISS, ("task", 3)),
    Case("foreign task", "\\boxed{42}", {"answer": "42"}, FOREIGN, ("task", "gsm8k")),
    Case("foreign path", "\\boxed{42}", {"answer": "42"}, FOREIGN, ("task", "openai/gsm8k")),
    Case(
        "foreign in extra_info",
        "\\boxed{42}",
        {"answer": "42"},
        FOREIGN,
        ("extra_info.task", "math"),
    ),
    Case(
        "foreign in a dict truth",
        "\\boxed{7}",
        {"answer": {"task": "math", "answer": "7"}},
        FOREIGN,
    ),
    Case(
        "near miss in a JSON truth",
        "\\boxed{B}",
        {"answer": json.dumps({"task": "cropp", "answer": "B"})},
        NEAR_MISS,
    ),
    Case("task path", GOOD, {"answer": "0-2-3-1"}, ok(1.0), ("task", "spatial_ssrl/shuffle")),
    Case("task alias", GOOD, {"answer": "0-2-3-1"}, ok(1.0), ("task", "Jigsaw")),
    Case("NaN task cell", GOOD, {"answer": "0-2-3-1"}, ok(1.0), ("task", math.nan)),
    Case("blank task cell", GOOD, {"answer": "0-2-3-1"}, ok(1.0), ("task", "")),
    Case(
        "extra_info task",
        "<think>x</think> \\boxed{2-1}",
        {"answer": "2-1"},
        ok(1.0),
        ("extra_info.task", "flip"),
    ),
    Case(
        "data source names the task",
        "<think>x</think> \\boxed{1-2}",
        {"answer": "1-2"},
        ok(1.0),
        data_source="spatial_ssrl/depth",
    ),
    Case(
        "data source names no task",
        "<think>x</think> \\boxed{3-1-2}",
        {"answer": "3-1-2"},
        ok(1.0),
        data_source="my_dataset",
    ),
    Case(
        "JSON truth with task",
        "<think>x</think> \\boxed{B}",
        {"answer": json.dumps({"task": "crop", "answer": "B"})},
        ok(1.0),
    ),
    Case(
        "position, options in the prompt",
        RIGHT,
        {"answer": "B"},
        ok(1.0),
        ("task", "position"),
        prompt=OPTIONS,
    ),
    Case(
        "position, options in an earlier user turn",
        RIGHT,
        {"answer": "B"},
        ok(1.0),
        ("task", "position"),
        prompt=[
            {"role": "user", "content": OPTIONS},
            {"role": "assistant", "content": "Let me look."},
            {"role": "user", "content": "Answer with the option text."},
        ],
    ),
    Case(
        "position, options in a dict truth",
        RIGHT,
        {"answer": {"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}}},
        ok(1.0),
    ),
    Case(
        "position, templated prompt",
        "<think>x</think> \\boxed{Back}",
        {"answer": "D"},
        ok(1.0),
        ("task", "position"),
        prompt=OPTIONS + "<|im_end|>\n<|im_start|>assistant\n",
    ),
    Case(
        "position, wrong option text",
        "<think>x</think> \\boxed{Left}",
        {"answer": "B"},
        ok(0.1, "wrong"),
        ("task", "position"),
        prompt=OPTIONS,
    ),
    Case("not text", 5, {"answer": "B"}, ok(0.0, "not_a_string", fmt=0.0), ("task", "crop")),
]


# --- entry points -----------------------------------------------------------------------------


def _plain_task(case: Case) -> str | object | None:
    """The task a plain `score` caller passes for the row's task cell (None to infer)."""
    if case.task is None:
        return None
    value = case.task[1]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _score(case: Case) -> Outcome:
    if case.one_truth is None or case.data_source is not None:
        return NOT_EXPRESSIBLE
    _, truth = case.one_truth
    task = _plain_task(case)
    return outcome_of(
        lambda: sr.score(case.completion, truth, task, prompt=case.prompt),  # type: ignore[arg-type]
        _result,
    )


def _score_batch(case: Case) -> Outcome:
    if case.one_truth is None or case.data_source is not None:
        return NOT_EXPRESSIBLE
    _, truth = case.one_truth
    task = _plain_task(case)
    return outcome_of(
        lambda: sr.score_batch([case.completion], [truth], [task], prompts=[case.prompt]),  # type: ignore[list-item]
        lambda results: _result(results[0]),
    )


def _columns(case: Case) -> dict[str, Any]:
    """The row as TRL passes dataset columns: one-element lists, nested dicts kept."""
    columns: dict[str, Any] = {}
    for key, value in case.truth.items():
        head, _, rest = key.partition(".")
        columns[head] = [{rest: value}] if rest else [value]
    if case.task is not None:
        key, value = case.task
        head, _, rest = key.partition(".")
        columns[head] = [{rest: value}] if rest else [value]
    if case.data_source is not None:
        columns["data_source"] = [case.data_source]
    return columns


def _trl_read(values: list[float | None]) -> Outcome:
    assert len(values) == 1
    return SKIPPED if values[0] is None else (values[0], 0.0, 0.0, "")


def _trl(case: Case, conversational: bool, framework: str = "trl") -> Outcome:
    if conversational:
        prompt = case.prompt
        if isinstance(prompt, str) or prompt is None:
            prompt = [{"role": "user", "content": prompt or "Solve the puzzle."}]
        completion = case.completion
        if isinstance(completion, str):
            completion = assistant(completion)
        elif not isinstance(completion, list):
            return NOT_EXPRESSIBLE  # TRL's conversational completions are message lists
    else:
        if not case.text_completion or not (case.prompt is None or isinstance(case.prompt, str)):
            return NOT_EXPRESSIBLE
        prompt, completion = case.prompt or "", case.completion
    columns = _columns(case)
    numbers: list[float] = []
    for component in ("score", "accuracy", "format"):  # TRL reports one number per callable
        reward = sr.make_reward_fn(framework, component=component)
        out = outcome_of(
            lambda r=reward: r(prompts=[prompt], completions=[completion], **columns), _trl_read
        )
        if isinstance(out, str):
            return out
        numbers.append(out[0])
    return (numbers[0], numbers[1], numbers[2], "")


def _verl_extra(case: Case) -> dict[str, Any] | None:
    extra: dict[str, Any] = {"index": 0}
    if case.task is not None:
        extra["task"] = case.task[1]  # verl datasets keep a task cell in extra_info
    if case.prompt is not None:
        extra["prompt"] = case.prompt
    return extra


def _verl_read(out: dict[str, Any]) -> Outcome:
    return (out["score"], out["acc"], out["format"], "verl")


def _verl(case: Case, batch: bool) -> Outcome:
    if not case.text_completion or case.one_truth is None:
        return NOT_EXPRESSIBLE  # verl passes the decoded response and one ground truth
    _, truth = case.one_truth
    source = case.data_source or "ssrl_consistency"
    extra = _verl_extra(case)
    if batch:
        out = outcome_of(
            lambda: verl.compute_score_batch([source], [case.completion], [truth], [extra]),
            lambda outs: _verl_read(outs[0]),
        )
    else:
        out = outcome_of(
            lambda: verl.compute_score(source, case.completion, truth, extra), _verl_read
        )
    return out


def _label(case: Case) -> object:
    """The ground truth as EasyR1 and OpenRLHF carry a row: a task cell rides in a dict
    ground truth (an empty cell is no ``task`` key); `NOT_EXPRESSIBLE` if it cannot."""
    if case.one_truth is None or case.data_source is not None:
        return NOT_EXPRESSIBLE
    _, truth = case.one_truth
    if case.task is None:
        return truth
    if isinstance(truth, (dict, np.ndarray)) or (isinstance(truth, str) and truth.startswith("{")):
        return NOT_EXPRESSIBLE
    value = case.task[1]
    if not isinstance(value, str) and _plain_task(case) is not None:
        return NOT_EXPRESSIBLE  # inside a ground truth a non-name is a bad ground truth
    if _plain_task(case) is None:
        return {"answer": truth}
    return {"task": value, "answer": truth}


def _easyr1(case: Case) -> Outcome:
    truth = _label(case)
    if not case.text_completion or case.prompt is not None or truth is NOT_EXPRESSIBLE:
        return NOT_EXPRESSIBLE  # EasyR1 passes the response and the ground truth only
    item = {"response": case.completion, "response_length": 10, "ground_truth": truth}
    return outcome_of(
        lambda: easyr1.compute_score([item]),
        lambda outs: (outs[0]["overall"], outs[0]["accuracy"], outs[0]["format"], "easyr1"),
    )


HAS_TORCH = importlib.util.find_spec("torch") is not None


def _chatml(prompt: object) -> str | None:
    """A prompt as a ChatML-templated string, ending with the generation header."""
    if prompt is None or isinstance(prompt, str):
        turns = [("user", prompt or "Solve the puzzle.")]
    elif isinstance(prompt, list):
        turns = [(m["role"], m["content"]) for m in prompt]
    else:
        return None
    text = "".join(f"<|im_start|>{role}\n{content}<|im_end|>\n" for role, content in turns)
    return text + "<|im_start|>assistant\n"


def _openrlhf(case: Case) -> Outcome:
    truth = _label(case)
    prompt = _chatml(case.prompt)
    if not case.text_completion or prompt is None or truth is NOT_EXPRESSIBLE:
        return NOT_EXPRESSIBLE
    query = f"{prompt}{case.completion}<|im_end|>"
    scored = [
        outcome_of(lambda c=component: _openrlhf_call(c, query, prompt, truth), lambda out: out)
        for component in ("score", "accuracy", "format")
    ]
    if any(isinstance(s, str) for s in scored):
        return scored[0]
    score, accuracy, fmt = (s[0] for s in scored)  # type: ignore[index]
    return (score, accuracy, fmt, "openrlhf")


def _openrlhf_call(component: str, query: str, prompt: str, truth: object) -> Outcome:
    import os  # noqa: PLC0415

    os.environ["SSRL_REWARDS_CONFIG"] = json.dumps({"component": component})
    try:
        if HAS_TORCH:
            out = openrlhf.reward_func([query], [prompt], [truth])
            return (float(out["rewards"][0]), 0.0, 0.0, "")
        raw = os.environ["SSRL_REWARDS_CONFIG"]
        lists = openrlhf._cached(raw).score_lists([query], [prompt], [truth])
        return (lists["rewards"][0], 0.0, 0.0, "")
    finally:
        del os.environ["SSRL_REWARDS_CONFIG"]


# --- BatchScorer, the HTTP server, the trainers of issue 17 -----------------------------------


def _batch_scorer(case: Case) -> Outcome:
    """`BatchScorer` on a dict of columns (the row as Ray Data or ``datasets`` holds it)."""
    from ssrl_rewards import BatchScorer  # noqa: PLC0415 - lazy export

    columns = _columns(case)
    columns["completion"] = [case.completion]
    if case.prompt is not None:
        columns["prompt"] = [case.prompt]
    scorer = BatchScorer()
    return outcome_of(
        lambda: scorer(columns),
        lambda out: (
            float(out["ssrl_score"][0]),
            float(out["ssrl_accuracy"][0]),
            float(out["ssrl_format"][0]),
            str(out["ssrl_reason"][0]),
        ),
    )


_SERVER: list[Any] = []


def _server_url() -> str:
    """One reward server for the module (`start_server(port=0)`), stopped at exit."""
    if not _SERVER:
        import atexit  # noqa: PLC0415

        from ssrl_rewards.server import start_server  # noqa: PLC0415

        server = start_server(port=0)
        atexit.register(server.shutdown)
        _SERVER.append(server)
    return str(_SERVER[0].url)


def _post(payload: dict[str, Any], query: str = "") -> Any:
    """POST `payload` to the module's server; a 422 raises the typed error it names."""
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    from ssrl_rewards import errors  # noqa: PLC0415

    request = urllib.request.Request(
        _server_url() + query,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read())
        if exc.code == 422:
            return _Refused(getattr(errors, body["error_type"]))
        raise AssertionError(f"HTTP {exc.code}: {body}") from None


@dataclass(frozen=True)
class _Refused:
    """The server's 422: the typed error class its body names."""

    error: type[Exception]

    def outcome(self) -> Outcome:
        """The refusal `outcome_of` would give for an error of this class."""
        for cls, kind in (
            (AmbiguousGroundTruthError, AMBIGUOUS),
            (GroundTruthError, BAD_TRUTH),
            (ForeignTaskError, FOREIGN),
            (TaskCellError, NEAR_MISS),
        ):
            if issubclass(self.error, cls):
                return kind
        return f"untyped refusal: {self.error.__name__}"


def _served(body: dict[str, Any], query: str, read: Callable[[Any], Outcome]) -> Outcome:
    out = _post(body, query)
    return out.outcome() if isinstance(out, _Refused) else read(out)


def _server_openrlhf(case: Case) -> Outcome:
    """OpenRLHF's remote reward request: templated query, prompt and label lists."""
    truth = _label(case)
    prompt = _chatml(case.prompt)
    if not case.text_completion or prompt is None or truth is NOT_EXPRESSIBLE:
        return NOT_EXPRESSIBLE
    body = {
        "query": [f"{prompt}{case.completion}<|im_end|>"],
        "prompts": [prompt],
        "labels": [truth],
    }
    return _served(
        body,
        "",
        lambda out: (out["rewards"][0], out["scores"][0], out["extra_logs"]["format"][0], "server"),
    )


def _server_slime(case: Case) -> Outcome:
    """slime's ``remote_rm`` body ``{prompt, response, label}`` (``?detail=1`` for every
    component and the reason); a task rides in a dict label, as for OpenRLHF."""
    truth = _label(case)
    if not case.text_completion or truth is NOT_EXPRESSIBLE:
        return NOT_EXPRESSIBLE
    body = {"prompt": case.prompt, "response": case.completion, "label": truth}
    return _served(
        body, "?detail=1", lambda out: (out["score"], out["accuracy"], out["format"], out["reason"])
    )


def _single_columns(case: Case) -> dict[str, Any]:
    """The row as one dict of column values (nested columns as dicts)."""
    return {key: values[0] for key, values in _columns(case).items()}


def _components(call: Callable[[str], Any], read: Callable[[Any], float]) -> Outcome:
    """Score, accuracy and format from three callables (one per component)."""
    numbers: list[float] = []
    for component in ("score", "accuracy", "format"):
        out = outcome_of(lambda c=component: call(c), lambda value: (read(value), 0.0, 0.0, ""))
        if isinstance(out, str):
            return out
        numbers.append(out[0])
    return (numbers[0], numbers[1], numbers[2], "")


def _areal(case: Case) -> Outcome:
    """AReaL: ``reward_fn(prompt, completion, prompt_ids, completion_ids, **row)``."""
    if not case.text_completion or not (case.prompt is None or isinstance(case.prompt, str)):
        return NOT_EXPRESSIBLE  # AReaL passes decoded text
    data = _single_columns(case)
    return _components(
        lambda c: sr.make_reward_fn("areal", component=c)(
            case.prompt, case.completion, [1], [2], **data
        ),
        float,
    )


def _slime_sample(case: Case) -> dict[str, Any] | str:
    """A slime `Sample` as a dict: the task cell and data source ride in ``metadata``."""
    if not case.text_completion or case.one_truth is None:
        return NOT_EXPRESSIBLE
    metadata: dict[str, Any] = {}
    if case.task is not None:
        metadata["task"] = case.task[1]
    if case.data_source is not None:
        metadata["data_source"] = case.data_source
    return {
        "prompt": case.prompt,
        "response": case.completion,
        "label": case.one_truth[1],
        "metadata": metadata,
    }


def _slime(case: Case) -> Outcome:
    """slime ``--custom-rm-path``: ``await fn(args, sample)``."""
    import asyncio  # noqa: PLC0415

    sample = _slime_sample(case)
    if isinstance(sample, str):
        return sample
    return _components(
        lambda c: asyncio.run(sr.make_reward_fn("slime", component=c)(None, sample)), float
    )


def _roll(case: Case) -> Outcome:
    """ROLL's reward worker columns: decoded responses, ground truths, prompts, tags, tasks."""
    if not case.text_completion or case.one_truth is None:
        return NOT_EXPRESSIBLE
    reward = sr.make_reward_fn("roll")
    tasks = [case.task[1]] if case.task is not None else None
    tags = [case.data_source] if case.data_source is not None else None
    prompts = [case.prompt] if case.prompt is not None else None
    return outcome_of(
        lambda: (
            reward.score_columns([case.completion], [case.one_truth[1]], prompts, tags, tasks),  # type: ignore[attr-defined, index]
            sr.make_reward_fn("roll", component="format").score_columns(  # type: ignore[attr-defined]
                [case.completion],
                [case.one_truth[1]],
                prompts,
                tags,
                tasks,  # type: ignore[index]
            ),
        ),
        lambda out: (out[0]["rewards"][0], out[0]["scores"][0], out[1]["rewards"][0], "roll"),
    )


def _responses_output(completion: object) -> list[dict[str, Any]] | None:
    """A completion as a Responses-API ``output`` (a reasoning field: a reasoning item)."""
    if isinstance(completion, str):
        message = {"content": completion}
    elif (
        isinstance(completion, list)
        and len(completion) == 1
        and isinstance(completion[0].get("content"), str)
    ):
        message = completion[0]
    else:
        return None
    output: list[dict[str, Any]] = []
    for key in ("reasoning_content", "reasoning", "thinking"):
        if isinstance(message.get(key), str):
            output.append(
                {"type": "reasoning", "summary": [{"type": "summary_text", "text": message[key]}]}
            )
    text = message["content"]
    output.append(
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}
    )
    return output


def _nemo_gym(case: Case) -> Outcome:
    """NeMo Gym ``/verify``: the row's fields plus the Responses output and its input."""
    output = _responses_output(case.completion)
    if output is None:
        return NOT_EXPRESSIBLE
    body = _single_columns(case)
    body["response"] = {"output": output}
    body["responses_create_params"] = {"input": case.prompt if case.prompt is not None else ""}
    reward = sr.make_reward_fn("nemo_gym")
    return outcome_of(
        lambda: reward.verify(body),  # type: ignore[attr-defined]
        lambda out: (out["reward"], out["accuracy"], out["format"], out["reason"]),
    )


def _verifiers(case: Case) -> Outcome:
    """verifiers: `SSRLTaskset.load`'s row reading, then `SSRLTask`'s scoring of the last
    assistant message (a dict, reasoning fields kept) against the task data."""
    from ssrl_rewards.rows import read_row  # noqa: PLC0415

    completion = case.completion
    if isinstance(completion, list):
        if len(completion) != 1:
            return NOT_EXPRESSIBLE  # verifiers scores the last assistant message alone
        completion = completion[0]
    elif not isinstance(completion, str):
        return NOT_EXPRESSIBLE
    raw = _single_columns(case)
    if case.prompt is not None:
        raw["prompt"] = case.prompt
    reward = sr.make_reward_fn("verifiers")

    def call() -> sr.RewardResult:
        row = read_row(raw, index=1, need_completion=False)
        return reward.score_reply(completion, row.ground_truth, row.task, case.prompt)  # type: ignore[attr-defined, no-any-return]

    return outcome_of(call, _result)


EntryPoint = tuple[str, Callable[[Case], Outcome]]

ENTRY_POINTS: list[EntryPoint] = [
    ("score", _score),
    ("score_batch", _score_batch),
    ("TRL standard", lambda case: _trl(case, conversational=False)),
    ("TRL conversational", lambda case: _trl(case, conversational=True)),
    ("verl compute_score", lambda case: _verl(case, batch=False)),
    ("verl compute_score_batch", lambda case: _verl(case, batch=True)),
    ("EasyR1 file", _easyr1),
    ("OpenRLHF reward_func", _openrlhf),
    ("BatchScorer", _batch_scorer),
    ("server (OpenRLHF body)", _server_openrlhf),
    ("server (slime body)", _server_slime),
    ("AReaL reward_fn", _areal),
    ("slime custom reward", _slime),
    ("ROLL reward worker", _roll),
    ("NeMo Gym verify", _nemo_gym),
    ("verifiers task", _verifiers),
    ("Unsloth (TRL shape)", lambda case: _trl(case, conversational=False, framework="unsloth")),
]
"""(name, function); ``ssrl-rewards score --out`` is in tests/test_cli_consistency.py."""

# Which part of an outcome each entry point can report (the rest is not compared).
REPORTS_REASON = {
    "score",
    "score_batch",
    "BatchScorer",
    "server (slime body)",
    "NeMo Gym verify",
    "verifiers task",
}
REPORTS_ONLY_SCORE = {"OpenRLHF reward_func"}
# Entry points that leave a row of a foreign task to other reward functions (None).
SKIPS_FOREIGN_ROWS = {"TRL standard", "TRL conversational", "Unsloth (TRL shape)"}


def agrees(name: str, got: Outcome, expected: Outcome) -> bool:
    """Whether entry point `name`'s outcome is the row's outcome, as far as it can say."""
    if isinstance(expected, str):
        if name in SKIPS_FOREIGN_ROWS and expected == FOREIGN:
            return got == SKIPPED
        return got == expected
    if isinstance(got, str):
        return False
    if name in REPORTS_ONLY_SCORE:
        return got[0] == pytest.approx(expected[0])
    same_numbers = got[:3] == pytest.approx(expected[:3])
    return same_numbers and (name not in REPORTS_REASON or got[3] == expected[3])


def test_the_table_is_big_and_covers_every_refusal() -> None:
    assert len(ROWS) >= 30
    kinds = {case.expected for case in ROWS if isinstance(case.expected, str)}
    assert kinds == {FOREIGN, NEAR_MISS, BAD_TRUTH, AMBIGUOUS}
    assert len({case.name for case in ROWS}) == len(ROWS)


@pytest.mark.parametrize("case", ROWS, ids=[case.name for case in ROWS])
def test_same_row_same_reward_everywhere(case: Case) -> None:
    outcomes = {name: fn(case) for name, fn in ENTRY_POINTS}
    expressed = {name: out for name, out in outcomes.items() if out != NOT_EXPRESSIBLE}
    assert len(expressed) >= 2, f"{case.name}: fewer than two entry points can express it"
    wrong = {name: out for name, out in expressed.items() if not agrees(name, out, case.expected)}
    assert not wrong, f"{case.name}: expected {case.expected}, got {wrong}"


def test_consistency_table_size() -> None:
    """How many (row, entry point) pairs the table checks (reported in the docs): every
    entry point expresses some rows, and most rows reach most entry points."""
    expressed = {
        name: sum(fn(case) != NOT_EXPRESSIBLE for case in ROWS) for name, fn in ENTRY_POINTS
    }
    assert all(expressed.values()), expressed
    assert sum(expressed.values()) >= 10 * len(ROWS), expressed


def test_every_registered_trainer_is_an_entry_point() -> None:
    """A trainer registered later joins this table or is named here as covered elsewhere."""
    from ssrl_rewards.integrations.base import trainers  # noqa: PLC0415

    covered = {
        "trl": "TRL standard",
        "verl": "verl compute_score",
        "easyr1": "EasyR1 file",
        "openrlhf": "OpenRLHF reward_func",
        "swift": None,  # TRL's class with ms-swift's call shape: tests/test_reward_fn.py
        "areal": "AReaL reward_fn",
        "slime": "slime custom reward",
        "roll": "ROLL reward worker",
        "nemo_gym": "NeMo Gym verify",
        "verifiers": "verifiers task",
        "unsloth": "Unsloth (TRL shape)",
    }
    names = {name for name, _ in ENTRY_POINTS}
    for spec in trainers():
        assert spec.name in covered, f"add an entry point for {spec.name}"
        assert covered[spec.name] is None or covered[spec.name] in names

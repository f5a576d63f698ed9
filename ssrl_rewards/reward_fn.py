"""`make_reward_fn`: the Spatial-SSRL reward shaped for each GRPO trainer's calling convention.

    from ssrl_rewards import make_reward_fn
    reward = make_reward_fn("trl")                        # full score, default mode
    acc = make_reward_fn("trl", component="accuracy")     # or "format": separate TRL curves
    paper = make_reward_fn("trl", mode="paper")           # any RewardConfig field as a keyword

Every reward function is an instance of a module-level class, never a closure: trainers ship
them to worker processes and Ray actors (pickle, cloudpickle), call them from thread pools
(no mutable state after construction), and log them under ``__name__`` (``ssrl_score``,
``ssrl_accuracy``, ``ssrl_format``). No trainer package is imported here; torch is imported
only inside the OpenRLHF call, which must return tensors.

Model output never raises; a row's ground truth that cannot be scored does, with the
column, the row index and the value, because a misconfigured dataset must stop the run
at the first step rather than train on zeros.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar

from ssrl_rewards.config import RewardConfig, make_config
from ssrl_rewards.errors import ConfigError, GroundTruthError, UnknownTaskError
from ssrl_rewards.registry import canonical_task_name, find_task, get_task
from ssrl_rewards.result import Reason, RewardResult
from ssrl_rewards.reward import score

__all__ = [
    "COMPONENTS",
    "CONFIG_ENV_VAR",
    "FRAMEWORKS",
    "GROUND_TRUTH_COLUMNS",
    "EasyR1Reward",
    "OpenRLHFReward",
    "SwiftReward",
    "TRLReward",
    "VerlReward",
    "extract_response",
    "fields_from_env",
    "make_reward_fn",
    "reward_from_fields",
    "strip_template",
]

logger = logging.getLogger("ssrl_rewards")

Component = Literal["score", "accuracy", "format"]
COMPONENTS: tuple[str, ...] = ("score", "accuracy", "format")
FRAMEWORKS: tuple[str, ...] = ("trl", "verl", "easyr1", "openrlhf", "swift")
GROUND_TRUTH_COLUMNS: tuple[str, ...] = ("solution", "answer", "ground_truth")
"""Dataset columns searched, in order, for the ground truth when none is named."""

CONFIG_ENV_VAR = "SSRL_REWARDS_CONFIG"
"""Environment variable holding a JSON object of RewardConfig fields (plus ``task``) for
hooks that a trainer loads from a file without passing arguments (OpenRLHF)."""

# Chat-template markers after which the assistant's reply starts (whitespace between a
# special token and the role word is allowed: decoders differ), and tokens that end it.
_ASSISTANT_HEADER = re.compile(
    r"<\|im_start\|>\s*(?:assistant|model)"  # ChatML: Qwen, Qwen-VL, InternVL, Yi
    r"|<\|start_header_id\|>\s*assistant\s*<\|end_header_id\|>"  # Llama 3
    r"|<start_of_turn>\s*model"  # Gemma
    r"|<｜Assistant｜>|<\|Assistant\|>|<\|assistant\|>"  # DeepSeek, Phi-3, Zephyr, GLM
    r"|\[/INST\]"  # Llama 2, Mistral
)
_TEMPLATE_TOKEN = re.compile(
    r"<\|[A-Za-z_]{1,24}\|>|<｜[^｜<>]{1,24}｜>|<(?:start|end)_of_turn>|</?s>|\[/?INST\]"
)
_END_TOKENS: tuple[str, ...] = (
    "<|im_end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<end_of_turn>",
    "<eos>",
    "</s>",
    "<|end|>",
    "<｜end▁of▁sentence｜>",
    "<|end▁of▁sentence|>",
    "<|im_start|>",
)
_REASONING_FIELDS: tuple[str, ...] = ("reasoning_content", "reasoning", "thinking")


def make_reward_fn(
    framework: str,
    *,
    component: str = "score",
    task: str | None = None,
    config: RewardConfig | None = None,
    ground_truth_key: str | None = None,
    task_key: str | None = "task",
    **config_fields: Any,
) -> TRLReward | VerlReward | EasyR1Reward | OpenRLHFReward | SwiftReward:
    """A picklable, thread-safe reward callable for `framework`.

    - ``framework``: ``"trl"``, ``"verl"``, ``"easyr1"``, ``"openrlhf"`` or ``"swift"``
      (ms-swift ORM; case-insensitive).
    - ``component``: what the trainer optimises: ``"score"`` (weighted total),
      ``"accuracy"`` or ``"format"``. The callable's ``__name__`` is ``ssrl_<component>``.
    - ``task``: force one task for every row (name or alias); by default each row's task
      comes from its data (task column, dict ground truth, data source) or is inferred.
    - ``config`` plus ``**config_fields``: the `RewardConfig` (fields override the base).
    - ``ground_truth_key`` / ``task_key``: TRL dataset columns (the ground truth defaults
      to the first of ``solution``, ``answer``, ``ground_truth`` present; ``task_key=None``
      ignores task columns).

    Raises `ConfigError` for an unknown framework, component or config field and
    `UnknownTaskError` for an unknown ``task``.
    """
    name = framework.strip().lower() if isinstance(framework, str) else framework
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(
            f"framework={framework!r} is not supported; choose one of {list(FRAMEWORKS)}"
        )
    cfg = make_config(config, **config_fields)
    return cls(
        component=component,
        task=task,
        config=cfg,
        ground_truth_key=ground_truth_key,
        task_key=task_key,
    )


class _SSRLReward:
    """State shared by every trainer adapter: immutable after construction."""

    framework = "base"

    def __init__(
        self,
        *,
        component: str = "score",
        task: str | None = None,
        config: RewardConfig | None = None,
        ground_truth_key: str | None = None,
        task_key: str | None = "task",
    ) -> None:
        if component not in COMPONENTS:
            raise ConfigError(f"component={component!r} is not one of {list(COMPONENTS)}")
        if config is not None and not isinstance(config, RewardConfig):
            raise ConfigError(f"config={config!r}: expected a RewardConfig or None")
        for label, key in (("ground_truth_key", ground_truth_key), ("task_key", task_key)):
            if key is not None and not isinstance(key, str):
                raise ConfigError(f"{label}={key!r}: expected a column name (str) or None")
        self.component = component
        self.task = get_task(task).name if task is not None else None
        self.config = config if config is not None else make_config()
        self.ground_truth_key = ground_truth_key
        self.task_key = task_key
        self.__name__ = f"ssrl_{component}"
        self.__qualname__ = self.__name__

    def __repr__(self) -> str:
        changed = self.config.model_dump(exclude_defaults=True)
        parts = [f"{self.framework!r}", f"component={self.component!r}"]
        if self.task is not None:
            parts.append(f"task={self.task!r}")
        parts.extend(f"{key}={value!r}" for key, value in changed.items())
        return f"make_reward_fn({', '.join(parts)})"

    def _value(self, result: RewardResult) -> float:
        """The number this callable reports for one result (its component)."""
        value: float = getattr(result, self.component)  # components are result fields
        return value

    def _score_row(
        self,
        completion: object,
        ground_truth: object,
        task: str | None,
        prompt: object,
        *,
        where: str,
    ) -> RewardResult:
        """`score` for one row; a ground-truth or task error is re-raised naming `where`."""
        try:
            return score(completion, ground_truth, task, prompt=prompt, config=self.config)
        except GroundTruthError as exc:
            raise GroundTruthError(exc.task, exc.value, exc.why, field=where) from None
        except UnknownTaskError as exc:
            raise UnknownTaskError(f"{where}: {exc}") from None


class TRLReward(_SSRLReward):
    """TRL ``GRPOTrainer`` / ``RLOOTrainer`` reward function.

    Called as ``reward(prompts=..., completions=..., completion_ids=..., **columns)``;
    returns one float per completion, or None for a row whose task column names a task
    that is not a Spatial-SSRL task (TRL leaves it to the other reward functions).
    When TRL passes ``log_metric`` (1.14 and later), per-task accuracy, the no-answer rate
    and the hedge (multiple answers) rate are logged under ``ssrl/…``; TRL 1.0 to 1.13 would
    hang a multi-process run on batch-dependent metric names, so nothing is logged there.
    The task column holds task names or aliases (also ``spatial_ssrl/shuffle``); any other
    string marks another reward function's row, and a non-string value is an error.
    """

    framework = "trl"

    def __call__(
        self,
        prompts: Sequence[object] | None = None,
        completions: Sequence[object] | None = None,
        completion_ids: object = None,
        **kwargs: Any,
    ) -> list[float | None]:
        """Score a TRL batch (see the class docstring)."""
        rows = list(completions) if completions is not None else []
        n = len(rows)
        prompt_list: list[object] = list(prompts) if prompts is not None else [None] * n
        if len(prompt_list) != n:
            prompt_list = [None] * n
        gt_key = self._ground_truth_column(kwargs)
        truths = _column(kwargs, gt_key, n)
        tasks = self._row_tasks(kwargs, n)
        out: list[float | None] = []
        results: list[RewardResult] = []
        config = self.config
        for index in range(n):
            row_task = tasks[index]
            if row_task is None and _foreign_task(truths[index]):
                row_task = _SKIP
            if row_task is _SKIP:
                out.append(None)
                continue
            completion = rows[index]
            if type(completion) is not str:
                completion = completion_text(completion)
            name = row_task if isinstance(row_task, str) else None
            try:
                result = score(
                    completion, truths[index], name, prompt=prompt_list[index], config=config
                )
            except (GroundTruthError, UnknownTaskError):  # re-raised naming column and row
                result = self._score_row(
                    completion,
                    truths[index],
                    name,
                    prompt_list[index],
                    where=f"column {gt_key!r} row {index}",
                )
            results.append(result)
            out.append(self._value(result))
        log_metric = kwargs.get("log_metric")
        if callable(log_metric) and results and _trl_gathers_metric_names():
            _log_batch_metrics(log_metric, results)
        return out

    def _ground_truth_column(self, columns: Mapping[str, Any]) -> str:
        """The dataset column holding ground truths; raises naming the columns present."""
        if self.ground_truth_key is not None:
            if self.ground_truth_key not in columns:
                raise ConfigError(
                    f"ground-truth column {self.ground_truth_key!r} is not in the batch; "
                    f"columns present: {_columns_present(columns)}"
                )
            return self.ground_truth_key
        for key in GROUND_TRUTH_COLUMNS:
            if key in columns:
                return key
        raise ConfigError(
            f"no ground-truth column: expected one of {list(GROUND_TRUTH_COLUMNS)} "
            f"(or pass ground_truth_key=...); columns present: {_columns_present(columns)}"
        )

    def _row_tasks(self, columns: Mapping[str, Any], n: int) -> list[object]:
        """Per row: a canonical task name, None (infer) or `_SKIP` (not our task)."""
        if self.task is not None:
            return [self.task] * n
        values: list[object] = [None] * n
        if self.task_key is not None and self.task_key in columns:
            values = _column(columns, self.task_key, n)
        elif isinstance(columns.get("extra_info"), Sequence):
            extras = _column(columns, "extra_info", n)
            values = [e.get("task") if isinstance(e, Mapping) else None for e in extras]
        tasks: list[object] = []
        for index, value in enumerate(values):
            if _missing(value):
                tasks.append(None)
            elif isinstance(value, str):
                spec = find_task(value)
                name = spec.name if spec is not None else _task_from_source(value)
                tasks.append(name if name is not None else _SKIP)
            else:
                raise ConfigError(
                    f"column {self.task_key!r} row {index}: task={value!r} is not a task name"
                )
        return tasks


class SwiftReward(TRLReward):
    """ms-swift GRPO ORM: ``reward(completions, **columns)`` with completions positional.

    ms-swift passes each completion as the final message's text and the dataset columns
    (including ``messages``, whose last user message is the prompt) as keywords. Otherwise
    the TRL rules apply: ground truth from ``solution``/``answer``/``ground_truth``, task
    from ``task``, None for rows of other tasks (ms-swift turns it into NaN).
    """

    framework = "swift"

    def __call__(  # type: ignore[override]
        self, completions: Sequence[object] | None = None, **kwargs: Any
    ) -> list[float | None]:
        """Score an ms-swift batch (see the class docstring)."""
        messages = kwargs.get("messages")
        prompts = kwargs.pop("prompts", None)
        if prompts is None and isinstance(messages, Sequence) and not isinstance(messages, str):
            prompts = list(messages)
        return super().__call__(prompts=prompts, completions=completions, **kwargs)


class VerlReward(_SSRLReward):
    """verl ``compute_score(data_source, solution_str, ground_truth, extra_info, **kw)``.

    Returns a dict with the same keys on every call, as verl's reward loop requires:
    ``score`` (this callable's component), ``acc``, ``format`` (floats) and ``pred`` (the
    canonical answer, ``""`` if none, for majority-vote metrics). The task comes from
    ``extra_info["task"]``, else from ``data_source`` (``spatial_ssrl/shuffle``), else
    inference; ``extra_info["prompt"]`` or ``["question"]``, when present, is the prompt.
    """

    framework = "verl"

    def __call__(
        self,
        data_source: object = None,
        solution_str: object = None,
        ground_truth: object = None,
        extra_info: object = None,
        **kwargs: Any,
    ) -> dict[str, float | str]:
        """Score one verl sample (see the class docstring)."""
        return self.sample(data_source, solution_str, ground_truth, extra_info)

    def sample(
        self, data_source: object, solution_str: object, ground_truth: object, extra_info: object
    ) -> dict[str, float | str]:
        """`__call__` without verl's extra keywords: the hot path of `compute_score`."""
        extra = extra_info if type(extra_info) is dict or isinstance(extra_info, Mapping) else {}
        task = self.task
        if task is None:
            named = extra.get("task")
            task = (canonical_task_name(named) if named else None) or _task_from_source(data_source)
        prompt = extra.get("prompt")
        if prompt is None:
            prompt = extra.get("question")
        try:
            result = score(solution_str, ground_truth, task, prompt=prompt, config=self.config)
        except (GroundTruthError, UnknownTaskError):  # re-raised below with the sample named
            where = f"ground_truth of data_source={data_source!r}"
            if extra.get("index") is not None:
                where += f" index={extra.get('index')!r}"
            result = self._score_row(solution_str, ground_truth, task, prompt, where=where)
        return {
            "score": self._value(result),
            "acc": result.accuracy,
            "format": result.format,
            "pred": result.pred,
        }

    def batch(
        self,
        data_sources: Sequence[object],
        solution_strs: Sequence[object],
        ground_truths: Sequence[object],
        extra_infos: Sequence[object] | None = None,
        **kwargs: Any,
    ) -> list[dict[str, float | str]]:
        """verl's legacy ``batch`` reward manager convention: aligned lists in, dicts out."""
        extras: Sequence[object] = (
            extra_infos if extra_infos is not None else [None] * len(solution_strs)
        )
        return [
            self.sample(data_sources[i], solution_strs[i], ground_truths[i], extras[i])
            for i in range(len(solution_strs))
        ]


class EasyR1Reward(_SSRLReward):
    """EasyR1 batch reward: ``fn(reward_inputs)`` with dicts holding ``response``,
    ``response_length`` and ``ground_truth``; returns one dict per input with numeric
    ``overall`` (this callable's component), ``format`` and ``accuracy``. The task comes
    from a dict/JSON ground truth, else inference (or ``task=`` for the whole run).
    """

    framework = "easyr1"

    def __call__(self, reward_inputs: Sequence[object], **kwargs: Any) -> list[dict[str, float]]:
        """Score an EasyR1 batch (see the class docstring)."""
        out = []
        for index, item in enumerate(reward_inputs):
            row = item if isinstance(item, Mapping) else {}
            if "ground_truth" not in row:
                raise ConfigError(
                    f"reward_inputs[{index}] has no 'ground_truth' key "
                    f"(keys: {sorted(map(str, row))}); check data.answer_key"
                )
            result = self._score_row(
                row.get("response"),
                row["ground_truth"],
                self.task,
                None,
                where=f"ground_truth of reward_inputs[{index}]",
            )
            out.append(
                {
                    "overall": self._value(result),
                    "format": result.format,
                    "accuracy": result.accuracy,
                }
            )
        return out


class OpenRLHFReward(_SSRLReward):
    """OpenRLHF ``reward_func(queries, prompts, labels)``.

    ``queries`` are prompt plus response decoded with special tokens; the response is the
    text after the last assistant header of common chat templates (see `extract_response`).
    ``labels`` are the ground truths (str, list or dict with a task). Returns
    ``{"rewards", "scores", "extra_logs"}`` as 1-D float tensors of length ``len(queries)``:
    ``rewards`` is this callable's component, ``scores`` the accuracy (OpenRLHF filters
    groups on it), ``extra_logs`` holds ``accuracy``, ``format`` and ``answered``.
    """

    framework = "openrlhf"

    def __call__(
        self,
        queries: Sequence[object],
        prompts: Sequence[object] | None = None,
        labels: Sequence[object] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Score an OpenRLHF batch; returns tensors (torch is imported here, lazily)."""
        import torch  # noqa: PLC0415 - lazy: only this trainer needs tensors

        lists = self.score_lists(queries, prompts, labels)
        return {
            "rewards": torch.tensor(lists["rewards"], dtype=torch.float32),
            "scores": torch.tensor(lists["scores"], dtype=torch.float32),
            "extra_logs": {
                key: torch.tensor(values, dtype=torch.float32)
                for key, values in lists["extra_logs"].items()
            },
        }

    def score_lists(
        self,
        queries: Sequence[object],
        prompts: Sequence[object] | None,
        labels: Sequence[object] | None,
    ) -> dict[str, Any]:
        """The same payload as plain lists (what the HTTP server returns)."""
        n = len(queries)
        if labels is None or len(labels) != n:
            got = "no labels" if labels is None else f"{len(labels)} labels"
            raise ConfigError(f"{got} for {n} queries; set the label key (--data.label_key)")
        prompt_list: Sequence[object] = prompts if prompts is not None else [None] * n
        if len(prompt_list) != n:
            raise ConfigError(f"{len(prompt_list)} prompts for {n} queries")
        rewards: list[float] = []
        scores: list[float] = []
        logs: dict[str, list[float]] = {"accuracy": [], "format": [], "answered": []}
        for index in range(n):
            query = queries[index]
            prompt = prompt_list[index]
            response = extract_response(query, prompt) if isinstance(query, str) else query
            question = strip_template(prompt) if isinstance(prompt, str) else prompt
            result = self._score_row(
                response, labels[index], self.task, question, where=f"label of row {index}"
            )
            rewards.append(self._value(result))
            scores.append(result.accuracy)
            logs["accuracy"].append(result.accuracy)
            logs["format"].append(result.format)
            logs["answered"].append(0.0 if result.answer is None else 1.0)
        return {"rewards": rewards, "scores": scores, "extra_logs": logs}


_R = TypeVar("_R", bound=_SSRLReward)

_CLASSES: dict[str, type[TRLReward | VerlReward | EasyR1Reward | OpenRLHFReward | SwiftReward]] = {
    "swift": SwiftReward,
    "trl": TRLReward,
    "verl": VerlReward,
    "easyr1": EasyR1Reward,
    "openrlhf": OpenRLHFReward,
}


class _Skip:
    """Marker for a row that belongs to another reward function (picklable singleton)."""

    def __repr__(self) -> str:
        return "SKIP"

    def __reduce__(self) -> str:
        return "_SKIP"


_SKIP = _Skip()


def completion_text(completion: object) -> object:
    """The text of a TRL completion: a str as is, or the last message's content.

    Conversational completions are message lists (``[{"role": "assistant", "content":
    ...}]``); content may be a list of parts, and with a response schema the reasoning
    may sit in its own field, which is put back inside ``<think>`` tags. Anything else
    is returned unchanged for `score` to reject with a reason.
    """
    if isinstance(completion, str):
        return completion
    message: object = completion
    if isinstance(completion, Sequence) and not isinstance(completion, (bytes, bytearray)):
        if not completion:
            return completion
        message = completion[-1]
    if not isinstance(message, Mapping):
        return completion
    content = message.get("content")
    if isinstance(content, Sequence) and not isinstance(content, str):
        parts = [p.get("text") if isinstance(p, Mapping) else p for p in content]
        content = "".join(p for p in parts if isinstance(p, str))
    if not isinstance(content, str):
        return completion
    for field in _REASONING_FIELDS:
        reasoning = message.get(field)
        if isinstance(reasoning, str) and reasoning and "</think>" not in content:
            return f"<think>{reasoning}</think>{content}"
    return content


def extract_response(query: str, prompt: object = None) -> str:
    """The model's reply inside an OpenRLHF query (prompt plus response, special tokens kept).

    Takes the text after the last assistant header of a known chat template; without one,
    the text after the prompt when the query contains it verbatim, else the whole query.
    Trailing end-of-turn and end-of-text tokens are removed. The prompt is not trusted
    to be a prefix: decoding after re-tokenisation changes spacing.
    """
    start = -1
    for match in _ASSISTANT_HEADER.finditer(query):
        start = match.end()
    if start < 0 and isinstance(prompt, str) and prompt:
        at = query.rfind(prompt)
        if at >= 0:
            start = at + len(prompt)
    text = query[start:] if start >= 0 else query
    text = text.lstrip("\n")
    end = len(text)  # trailing tokens are peeled by index: linear even for 10k of them
    while True:
        probe = end
        while probe > 0 and text[probe - 1].isspace():
            probe -= 1
        token = next((t for t in _END_TOKENS if text.endswith(t, 0, probe)), None)
        if token is None:
            return text[:end]
        end = probe - len(token)


def strip_template(prompt: str) -> str:
    """A templated prompt with its chat special tokens turned into line breaks.

    The option list of a position question then ends where the user's message ends, not
    at the next ``<|im_end|>``.
    """
    return _TEMPLATE_TOKEN.sub("\n", prompt)


def reward_from_fields(cls: type[_R], fields: Mapping[str, Any]) -> _R:
    """`cls` built from one flat mapping: `RewardConfig` fields plus ``component``/``task``.

    The shape of verl ``reward_kwargs``, EasyR1 ``reward_function_kwargs`` and
    ``$SSRL_REWARDS_CONFIG``; an unknown key raises `ConfigError` naming it.
    """
    rest = dict(fields)
    component = rest.pop("component", "score")
    task = rest.pop("task", None)
    return cls(component=component, task=task, config=make_config(**rest))


def fields_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON object in ``$SSRL_REWARDS_CONFIG`` (empty when unset)."""
    env = os.environ if environ is None else environ
    raw = env.get(CONFIG_ENV_VAR, "").strip()
    if not raw:
        return {}
    try:
        fields = json.loads(raw)
    except ValueError:
        raise ConfigError(f"${CONFIG_ENV_VAR}={raw!r} is not valid JSON") from None
    if not isinstance(fields, dict):
        raise ConfigError(f"${CONFIG_ENV_VAR}={raw!r} must be a JSON object of config fields")
    return fields


def _column(columns: Mapping[str, Any], key: str, n: int) -> list[object]:
    """A batch-aligned column as a list of length n (a scalar is broadcast)."""
    values: Any = columns.get(key)
    if hasattr(values, "tolist") and not isinstance(values, (str, bytes)):
        values = values.tolist()  # numpy arrays
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        return [values] * n
    if len(values) != n:
        raise ConfigError(f"column {key!r} has {len(values)} values for {n} completions")
    return list(values)


def _columns_present(columns: Mapping[str, Any]) -> list[str]:
    hidden = {"trainer_state", "log_extra", "log_metric", "environments", "completion_ids"}
    return sorted(key for key in columns if key not in hidden)


def _foreign_task(ground_truth: object) -> bool:
    """Whether a dict (or JSON object) ground truth names a task that is not ours."""
    if isinstance(ground_truth, str) and ground_truth.lstrip().startswith("{"):
        try:
            ground_truth = json.loads(ground_truth)
        except ValueError:
            return False  # `score` reports the bad JSON, naming the row
    if not isinstance(ground_truth, Mapping):
        return False
    named = ground_truth.get("task")
    return isinstance(named, str) and bool(named.strip()) and find_task(named) is None


def _missing(value: object) -> bool:
    """A task cell that names nothing: None, blank, or NaN (pandas' empty cell)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


# TRL 1.0 to 1.13 gather logged metrics name by name in each process's own order, so
# processes that log different names (one batch without depth rows) hang or mix values;
# TRL 1.14 gathers the union of names first.
_TRL_UNSAFE_METRICS = ((1, 0), (1, 14))


@functools.lru_cache(maxsize=1)
def _trl_gathers_metric_names() -> bool:
    """Whether `log_metric` is safe to call with batch-dependent names (see above)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        found = re.match(r"(\d+)\.(\d+)", version("trl"))
    except PackageNotFoundError:
        return True  # not TRL's hook: nothing gathers across processes
    if found is None:
        return False
    installed = (int(found.group(1)), int(found.group(2)))
    low, high = _TRL_UNSAFE_METRICS
    return not low <= installed < high


@functools.lru_cache(maxsize=1024)
def _task_from_source_cached(source: str) -> str | None:
    for part in (source, *reversed(source.replace("\\", "/").split("/"))):
        found = canonical_task_name(part)
        if found is not None:
            return found
    return None


def _task_from_source(source: object) -> str | None:
    """The task named by a verl data source (``spatial_ssrl/shuffle``, ``depth``), or None."""
    return _task_from_source_cached(source) if isinstance(source, str) else None


def _log_batch_metrics(log_metric: Callable[..., Any], results: Sequence[RewardResult]) -> None:
    """Per-task accuracy and the no-answer and hedge rates of one batch, via TRL's hook."""
    by_task: dict[str, list[float]] = defaultdict(list)
    no_answer = hedge = 0
    for result in results:
        by_task[result.task].append(result.accuracy)
        if result.answer is None and result.reason is not Reason.MULTIPLE_ANSWERS:
            no_answer += 1
        if result.reason is Reason.MULTIPLE_ANSWERS:
            hedge += 1
    total = len(results)
    metrics = {f"ssrl/{task}/accuracy": sum(v) / len(v) for task, v in sorted(by_task.items())}
    metrics["ssrl/no_answer_rate"] = no_answer / total
    metrics["ssrl/hedge_rate"] = hedge / total
    try:
        for name, value in metrics.items():
            log_metric(name, value)
    except Exception:  # a logging hook must never cost the run its rewards
        logger.debug("log_metric failed", exc_info=True)

"""TRL ``GRPOTrainer`` / ``RLOOTrainer``: reward callables passed in ``reward_funcs``.

    from ssrl_rewards import make_reward_fn
    reward_funcs = [make_reward_fn("trl", component="accuracy"),
                    make_reward_fn("trl", component="format")]

TRL calls ``reward(prompts=..., completions=..., completion_ids=..., **columns)`` with every
dataset column as a batch-aligned list and wants one float (or None) per completion. Rows
are read by the row contract (`ssrl_rewards.rows`); a row whose task cell names another
reward function's task gets None, so mixed datasets keep working.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ssrl_rewards.errors import ConfigError, ForeignTaskError, GroundTruthError, UnknownTaskError
from ssrl_rewards.integrations.base import ExampleRow, SSRLReward, TrainerSpec, no_answer
from ssrl_rewards.result import Reason, RewardResult
from ssrl_rewards.reward import score
from ssrl_rewards.rows import (
    GROUND_TRUTH_COLUMNS,
    MISSING,
    Row,
    decide_task_cell,
    ground_truth_task,
    is_missing,
    log_foreign_tasks,
    lookup,
    pick_ground_truth,
    prompt_text,
    row_task,
    score_row,
)

__all__ = ["TRAINER", "TRLReward"]

logger = logging.getLogger("ssrl_rewards")

# Columns TRL adds to every call: never dataset columns.
_TRL_EXTRAS = frozenset(
    {"trainer_state", "log_extra", "log_metric", "environments", "completion_ids"}
)
_TASK_CONTEXT = ("extra_info", "data_source")


class TRLReward(SSRLReward):
    """TRL ``GRPOTrainer`` / ``RLOOTrainer`` reward function.

    Called as ``reward(prompts=..., completions=..., completion_ids=..., **columns)``;
    returns one float per completion, or None for a row whose task cell names a task that
    is not a Spatial-SSRL task (TRL leaves it to the other reward functions; each such
    name is logged once). Prompts and completions of different lengths raise.
    The ground truth is the named column (``ground_truth_key``, dotted paths reach into
    dict columns) or the default columns of the row contract, which must agree.
    When TRL passes ``log_metric`` (1.14 and later), per-task accuracy and the no-answer,
    hedge (multiple answers) and internal-error rates are logged under ``ssrl/…``; TRL 1.0
    to 1.13 would hang a multi-process run on batch-dependent metric names, so nothing is
    logged there.
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
        if prompts is None:
            prompt_list: list[object] = [None] * n
        else:
            prompt_list = list(prompts)
            if len(prompt_list) != n:
                raise ConfigError(
                    f"{len(prompt_list)} prompts for {n} completions: TRL passes one prompt "
                    "per completion; the options of a position question would be lost"
                )
        truth_columns = self._ground_truth_columns(kwargs, n)
        context = self._task_context(kwargs, n)
        out: list[float | None] = []
        results: list[RewardResult] = []
        foreign: Counter[str] = Counter()
        config = self.config
        forced = self.task
        task_key = self.task_key
        cells = context.get(task_key) if context is not None and task_key is not None else None
        if context is None or len(context) != 1 or task_key is None:
            cells = None  # several task sources: the full rule (`row_task`) per row
        for index in range(n):
            column, truth = _row_truth(truth_columns, index)
            task: str | None
            try:
                if forced is not None:
                    task = forced
                elif context is None:
                    task = _truth_task(truth, column, index)
                elif cells is not None:  # the common batch: one task column, no extra_info
                    task = decide_task_cell(cells[index], column=str(task_key), row=index)
                    if task is None:
                        task = _truth_task(truth, column, index)
                else:
                    task = row_task(
                        {key: values[index] for key, values in context.items()},
                        ground_truth=truth,
                        ground_truth_column=column,
                        task_key=task_key,
                        index=index,
                    )
            except ForeignTaskError as exc:
                foreign[str(exc.value)] += 1
                out.append(None)
                continue
            completion = rows[index]
            prompt = prompt_list[index]
            try:
                result = score(completion, truth, task, prompt=prompt, config=config)
            except (GroundTruthError, UnknownTaskError):  # re-raised naming column and row
                row = Row(completion, truth, task, prompt_text(prompt), column, index)
                result = score_row(row, config)
            results.append(result)
            out.append(self._value(result))
        if foreign:
            log_foreign_tasks(foreign)
        log_metric = kwargs.get("log_metric")
        if callable(log_metric) and results and _trl_gathers_metric_names():
            _log_batch_metrics(log_metric, results)
        return out

    def _ground_truth_columns(
        self, columns: Mapping[str, Any], n: int
    ) -> list[tuple[str, list[object]]]:
        """(column, values) for each ground-truth column present; raises naming the
        columns present when there is none (or the named one is absent)."""
        if self.ground_truth_key is not None:
            values = _column_values(columns, self.ground_truth_key, n)
            if values is None:
                raise ConfigError(
                    f"ground-truth column {self.ground_truth_key!r} is not in the batch; "
                    f"columns present: {_columns_present(columns)}"
                )
            return [(self.ground_truth_key, values)]
        found = []
        for key in GROUND_TRUTH_COLUMNS:
            values = _column_values(columns, key, n)
            if values is not None:
                found.append((key, values))
        if not found:
            raise ConfigError(
                f"no ground-truth column: expected one of {list(GROUND_TRUTH_COLUMNS)} "
                f"(or pass ground_truth_key=...); columns present: {_columns_present(columns)}"
            )
        return found

    def _task_context(self, columns: Mapping[str, Any], n: int) -> dict[str, list[object]] | None:
        """The batch's task-cell columns (None when it has none: only the ground truth's
        own task key can name the task)."""
        if self.task is not None or self.task_key is None:
            return None
        keys = [self.task_key.split(".")[0], *_TASK_CONTEXT]
        context = {key: _column(columns, key, n) for key in dict.fromkeys(keys) if key in columns}
        return context or None


def _row_truth(truth_columns: list[tuple[str, list[object]]], index: int) -> tuple[str, object]:
    """(column, ground truth) of one row; several default columns must agree."""
    if len(truth_columns) == 1:
        column, values = truth_columns[0]
        return column, values[index]
    found = [(c, v[index]) for c, v in truth_columns if not is_missing(v[index])]
    if not found:
        return truth_columns[0][0], None
    return pick_ground_truth(found, index)


def _truth_task(truth: object, column: str, index: int) -> str | None:
    """The task a dict/JSON ground truth names (no task columns in the batch)."""
    if type(truth) is str and not truth.startswith("{") and not truth[:1].isspace():
        return None
    return ground_truth_task(truth, column=column, row=index)


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


def _column_values(columns: Mapping[str, Any], key: str, n: int) -> list[object] | None:
    """The values of a (possibly dotted) column per row, or None if the batch lacks it."""
    if key in columns:
        return _column(columns, key, n)
    head, dot, rest = key.partition(".")
    if not dot or head not in columns:
        return None
    outer = _column(columns, head, n)
    values = [lookup(v, rest) if isinstance(v, Mapping) else MISSING for v in outer]
    if all(v is MISSING for v in values):
        return None
    return [None if v is MISSING else v for v in values]


def _columns_present(columns: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in columns if key not in _TRL_EXTRAS)


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


def _log_batch_metrics(log_metric: Callable[..., Any], results: Sequence[RewardResult]) -> None:
    """Per-task accuracy and the no-answer, hedge and internal-error rates of one batch."""
    by_task: dict[str, list[float]] = defaultdict(list)
    missing = hedge = internal = 0
    for result in results:
        by_task[result.task].append(result.accuracy)
        if result.reason is Reason.INTERNAL_ERROR:
            internal += 1
        elif result.reason is Reason.MULTIPLE_ANSWERS:
            hedge += 1
        elif no_answer(result):
            missing += 1
    total = len(results)
    metrics = {f"ssrl/{task}/accuracy": sum(v) / len(v) for task, v in sorted(by_task.items())}
    metrics["ssrl/no_answer_rate"] = missing / total
    metrics["ssrl/hedge_rate"] = hedge / total
    metrics["ssrl/internal_error_rate"] = internal / total
    try:
        for name, value in metrics.items():
            log_metric(name, value)
    except Exception:  # a logging hook must never cost the run its rewards
        logger.debug("log_metric failed", exc_info=True)


def _hooks() -> str:
    return """\
# TRL (GRPOTrainer / RLOOTrainer): pass the callables in reward_funcs.
from ssrl_rewards import make_reward_fn

reward_funcs = [
    make_reward_fn("trl", component="accuracy"),  # logged as rewards/ssrl_accuracy
    make_reward_fn("trl", component="format"),    # logged as rewards/ssrl_format
]
# GRPOConfig(..., reward_weights=[0.9, 0.1]) reproduces the default 0.9/0.1 score;
# or use one callable: reward_funcs=[make_reward_fn("trl")]  (rewards/ssrl_score).
# Dataset columns: the ground truth in "ground_truth", "answer", "solution",
# "reward_model" {"ground_truth": ...} or "label" (or ground_truth_key=...),
# the task in "task" or "extra_info" {"task": ...} (optional; else inferred).
"""


def _example(reward: TRLReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """TRL's call: keyword lists, the ground truth and task as dataset columns."""
    return reward(
        prompts=[r.prompt or "" for r in rows],
        completions=[r.completion for r in rows],
        solution=[r.ground_truth for r in rows],
        task=[r.task for r in rows],
    )


TRAINER = TrainerSpec(
    name="trl",
    reward_class=TRLReward,
    hooks=_hooks,
    summary="TRL GRPOTrainer / RLOOTrainer: callables in reward_funcs",
    example=_example,
    order=10,
)

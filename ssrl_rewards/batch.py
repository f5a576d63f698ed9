"""Columnar scoring: `BatchScorer` for Ray Data, pandas, pyarrow and ``datasets.map``.

    scorer = BatchScorer(format_weight=0.1)           # RewardConfig fields, column names
    scored = scorer({"completion": [...], "ground_truth": [...]})   # dict of columns
    scored = scorer(dataframe)                        # pandas DataFrame
    scored = scorer(table)                            # pyarrow Table
    ray.data.read_parquet(path).map_batches(BatchScorer, fn_constructor_kwargs={...})

Each call returns the same kind of batch with ``ssrl_score``, ``ssrl_accuracy``,
``ssrl_format``, ``ssrl_reason`` and ``ssrl_pred`` added (``details=True`` adds
``ssrl_task`` and ``ssrl_format_reason``). Columns are found by the row contract
(`ssrl_rewards.rows.read_row`): the named columns, else the first of the default names,
with dotted names reaching into nested columns. The results are those of `score_batch`
(and of `rows.score_row`), row for row. pandas and pyarrow are imported only when a batch
of theirs arrives; `import ssrl_rewards` imports neither.

`score_file_with_ray` scores a Parquet or JSON Lines file on a Ray cluster (the engine of
``ssrl-rewards score FILE --engine ray``) and returns the CLI's report as a dict.
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from ssrl_rewards.config import RewardConfig, make_config
from ssrl_rewards.errors import ConfigError, SSRLRewardsError
from ssrl_rewards.registry import task_names
from ssrl_rewards.result import RewardResult
from ssrl_rewards.rows import (
    COMPLETION_COLUMNS,
    DATA_SOURCE_COLUMN,
    GROUND_TRUTH_COLUMNS,
    PROMPT_COLUMNS,
    read_row,
    score_row,
)

__all__ = ["OUTPUT_COLUMNS", "BatchScorer", "score_file_with_ray"]

OUTPUT_COLUMNS: tuple[str, ...] = (
    "ssrl_score",
    "ssrl_accuracy",
    "ssrl_format",
    "ssrl_reason",
    "ssrl_pred",
)
"""Columns every scored batch gains (``ssrl_task`` and ``ssrl_format_reason`` with details)."""

DETAIL_COLUMNS: tuple[str, ...] = ("ssrl_task", "ssrl_format_reason")

ROW_ERROR_REASON = "row_error"
"""``ssrl_reason`` prefix of a row that cannot be scored, with ``on_row_error="mark"``."""

_FLOATS = frozenset({"ssrl_score", "ssrl_accuracy", "ssrl_format"})


class _RowView(Mapping[str, Any]):
    """Row `index` of a dict of columns, as the mapping `read_row` reads (no copy)."""

    __slots__ = ("_columns", "_index")

    def __init__(self, columns: Mapping[str, Sequence[Any]], index: int) -> None:
        self._columns = columns
        self._index = index

    def __getitem__(self, key: str) -> Any:
        return self._columns[key][self._index]

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class BatchScorer:
    """A picklable callable that scores a batch of rows and returns it with score columns.

    Keyword arguments are `RewardConfig` fields (``mode``, ``format_weight``, ...) and the
    row contract's column names: ``completion_key``, ``ground_truth_key``, ``prompt_key``,
    ``task_key`` (``None`` reads no task cells) and a forced ``task``. A bad configuration
    raises `ConfigError` here, before any row is read. A row that cannot be scored (no
    ground truth, a bad one, a foreign task) raises its `RowError` / `GroundTruthError`
    naming the column and the row's index in the batch; ``on_row_error="mark"`` instead
    gives it NaN scores and ``ssrl_reason`` ``"row_error: <message>"``.
    """

    def __init__(
        self,
        *,
        completion_key: str | None = None,
        ground_truth_key: str | None = None,
        prompt_key: str | None = None,
        task_key: str | None = "task",
        task: str | None = None,
        details: bool = False,
        on_row_error: Literal["raise", "mark"] = "raise",
        config: RewardConfig | None = None,
        **config_fields: Any,
    ) -> None:
        for label, key in (
            ("completion_key", completion_key),
            ("ground_truth_key", ground_truth_key),
            ("prompt_key", prompt_key),
            ("task_key", task_key),
        ):
            if key is not None and (not isinstance(key, str) or not key):
                raise ConfigError(f"{label}={key!r}: expected a column name (str) or None")
        if on_row_error not in ("raise", "mark"):
            raise ConfigError(f"on_row_error={on_row_error!r}: expected 'raise' or 'mark'")
        if config is not None and not isinstance(config, RewardConfig):
            raise ConfigError(f"config={config!r}: expected a RewardConfig or None")
        self.config = make_config(config, **config_fields)
        if task is not None:
            from ssrl_rewards.registry import get_task  # noqa: PLC0415

            task = get_task(task).name
        self.completion_key = completion_key
        self.ground_truth_key = ground_truth_key
        self.prompt_key = prompt_key
        self.task_key = task_key
        self.task = task
        self.details = details
        self.on_row_error = on_row_error

    def __repr__(self) -> str:
        changed = self.config.model_dump(exclude_defaults=True)
        return f"BatchScorer({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    # ------------------------------------------------------------------ batches

    def __call__(self, batch: Any) -> Any:
        """Score `batch` (dict of columns, pandas DataFrame or pyarrow Table); same kind back."""
        pandas = sys.modules.get("pandas")
        if pandas is not None and isinstance(batch, pandas.DataFrame):
            return self._score_pandas(batch)
        pyarrow = sys.modules.get("pyarrow")
        if pyarrow is not None and isinstance(batch, pyarrow.Table):
            return self._score_arrow(batch)
        if isinstance(batch, Mapping):
            return self._score_dict(batch)
        raise ConfigError(
            f"BatchScorer takes a dict of columns, a pandas DataFrame or a pyarrow Table, "
            f"not {type(batch).__name__}"
        )

    def needed_columns(self, names: Sequence[str]) -> list[str]:
        """The batch's columns the row contract may read, in batch order (others untouched)."""
        wanted: set[str] = {DATA_SOURCE_COLUMN, "extra_info"}
        for key, defaults in (
            (self.completion_key, COMPLETION_COLUMNS),
            (self.ground_truth_key, GROUND_TRUTH_COLUMNS),
            (self.prompt_key, PROMPT_COLUMNS),
        ):
            for name in (key,) if key is not None else defaults:
                wanted.update((name, name.split(".", 1)[0]))
        if self.task_key is not None:
            wanted.update((self.task_key, self.task_key.split(".", 1)[0]))
        return [name for name in names if name in wanted]

    def _score_dict(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        import numpy as np  # noqa: PLC0415 - lazy: `import ssrl_rewards` stays light

        names = [str(name) for name in batch]
        columns = {name: _as_list(batch[name]) for name in self.needed_columns(names)}
        n = _batch_length({name: batch[name] for name in names})
        scored = self.score_columns(columns, n)
        out = dict(batch)
        for name, values in scored.items():
            out[name] = np.asarray(values, dtype=np.float64 if name in _FLOATS else object)
        return out

    def _score_pandas(self, frame: Any) -> Any:
        names = [str(name) for name in frame.columns]
        columns = {name: frame[name].tolist() for name in self.needed_columns(names)}
        scored = self.score_columns(columns, len(frame))
        out = frame.copy(deep=False)
        for name, values in scored.items():
            out[name] = values
        return out

    def _score_arrow(self, table: Any) -> Any:
        import pyarrow as pa  # noqa: PLC0415 - lazy: the batch is already an Arrow table

        names = list(table.column_names)
        columns = {name: table.column(name).to_pylist() for name in self.needed_columns(names)}
        scored = self.score_columns(columns, table.num_rows)
        out = table
        for name, values in scored.items():
            array = pa.array(values, type=pa.float64() if name in _FLOATS else pa.string())
            if name in out.column_names:
                out = out.set_column(out.column_names.index(name), name, array)
            else:
                out = out.append_column(name, array)
        return out

    # ------------------------------------------------------------------ rows

    def score_columns(self, columns: Mapping[str, Sequence[Any]], n: int) -> dict[str, list[Any]]:
        """The output columns for `n` rows given as a dict of equal-length lists."""
        out: dict[str, list[Any]] = {
            name: [] for name in (*OUTPUT_COLUMNS, *(DETAIL_COLUMNS if self.details else ()))
        }
        for index in range(n):
            view = _RowView(columns, index)
            try:
                row = read_row(
                    view,
                    index=index,
                    completion_key=self.completion_key,
                    ground_truth_key=self.ground_truth_key,
                    task_key=self.task_key,
                    prompt_key=self.prompt_key,
                    task=self.task,
                )
                result: RewardResult | None = score_row(row, self.config)
                error = ""
            except SSRLRewardsError as exc:
                if self.on_row_error == "raise":
                    raise
                result, error = None, f"{ROW_ERROR_REASON}: {exc}"
            self._append(out, result, error)
        return out

    def _append(self, out: dict[str, list[Any]], result: RewardResult | None, error: str) -> None:
        if result is None:
            for name in ("ssrl_score", "ssrl_accuracy", "ssrl_format"):
                out[name].append(math.nan)
            out["ssrl_reason"].append(error)
            out["ssrl_pred"].append("")
            if self.details:
                out["ssrl_task"].append("")
                out["ssrl_format_reason"].append("")
            return
        out["ssrl_score"].append(result.score)
        out["ssrl_accuracy"].append(result.accuracy)
        out["ssrl_format"].append(result.format)
        out["ssrl_reason"].append(result.reason.value)
        out["ssrl_pred"].append(result.pred)
        if self.details:
            out["ssrl_task"].append(result.task)
            out["ssrl_format_reason"].append(result.format_reason.value)


def _as_list(column: Any) -> list[Any]:
    """A column (list, tuple, numpy array, pandas Series) as a list of Python values."""
    if isinstance(column, list):
        return column
    if hasattr(column, "tolist"):
        values = column.tolist()
        if isinstance(values, list):
            return values
    if isinstance(column, (str, bytes, Mapping)) or not hasattr(column, "__len__"):
        raise ConfigError(f"a batch column must be a list or an array, not {type(column).__name__}")
    return list(column)


def _batch_length(batch: Mapping[str, Any]) -> int:
    """The common length of a dict batch's columns; `ConfigError` when they differ."""
    sizes = {name: len(column) for name, column in batch.items() if hasattr(column, "__len__")}
    if not sizes:
        return 0
    if len(set(sizes.values())) > 1:
        raise ConfigError(f"batch columns differ in length: {sizes}")
    return next(iter(sizes.values()))


# --------------------------------------------------------------------------- Ray


def score_file_with_ray(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    config: RewardConfig | None = None,
    *,
    completion_key: str | None = None,
    ground_truth_key: str | None = None,
    prompt_key: str | None = None,
    task_key: str | None = "task",
    task: str | None = None,
    batch_size: int = 4096,
    concurrency: int | None = None,  # scorer actors (default 1)
    address: str | None = None,
) -> dict[str, Any]:
    """Score a Parquet file or directory, or a JSON Lines file, on Ray; write Parquet to `out`.

    The input's rows are written to the directory `out` (which must not exist, and is
    never the input) with `OUTPUT_COLUMNS` plus ``ssrl_task`` and ``ssrl_format_reason``
    added; rows that cannot be scored keep NaN scores and a ``row_error: ...`` reason.
    Returns the report ``ssrl-rewards score --json`` prints: ``source``, ``config``,
    ``rows``, ``scored``, ``malformed`` (count and the first messages), ``tasks`` and
    ``all`` (rows, mean score, accuracy, format, reasons, format reasons). Joins the Ray
    cluster at `address` (default: a running one, else a local one).
    """
    import ray  # noqa: PLC0415 - lazy: the ray extra
    import ray.data  # noqa: PLC0415

    source = Path(path)
    target = Path(out)
    if not source.exists():
        raise ConfigError(f"{source}: no such file or directory")
    if target.exists():
        raise ConfigError(
            f"{target} exists; scores are written to a new directory, never over data"
        )
    if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
        raise ConfigError(f"{target}: the output must not be inside the input {source}")
    suffix = "".join(source.suffixes[-2:]) if source.is_file() else ""
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    if source.is_dir() or suffix.endswith(".parquet"):
        dataset = ray.data.read_parquet(str(source))
    elif suffix.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz")):
        dataset = ray.data.read_json(str(source), lines=True)
    else:
        raise ConfigError(f"{source}: expected a .parquet file or directory, or .jsonl")
    kwargs: dict[str, Any] = {
        "completion_key": completion_key,
        "ground_truth_key": ground_truth_key,
        "prompt_key": prompt_key,
        "task_key": task_key,
        "task": task,
        "details": True,
        "on_row_error": "mark",
        "config": config,
    }
    scored = dataset.map_batches(
        BatchScorer,
        fn_constructor_kwargs=kwargs,
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=ray.data.ActorPoolStrategy(size=concurrency or 1),
    )
    scored.write_parquet(str(target))
    report = _Totals()
    columns = [*OUTPUT_COLUMNS, *DETAIL_COLUMNS]
    for batch in ray.data.read_parquet(str(target), columns=columns).iter_batches(
        batch_format="pyarrow", batch_size=65536
    ):
        report.add(batch.to_pydict())  # type: ignore[union-attr]
    return report.to_dict(str(source), config if config is not None else make_config())


class _Totals:
    """Per-task sums of a scored file's output columns (the report's numbers)."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.total = self._empty()
        self.malformed = 0
        self.messages: list[str] = []

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {
            "rows": 0,
            "score": 0.0,
            "accuracy": 0.0,
            "format": 0.0,
            "reasons": Counter(),
            "format_reasons": Counter(),
        }

    def add(self, columns: Mapping[str, list[Any]]) -> None:
        for i, reason in enumerate(columns["ssrl_reason"]):
            if reason.startswith(ROW_ERROR_REASON):
                self.malformed += 1
                if len(self.messages) < 20:
                    self.messages.append(reason.partition(": ")[2])
                continue
            task = columns["ssrl_task"][i]
            for sums in (self.tasks.setdefault(task, self._empty()), self.total):
                sums["rows"] += 1
                sums["score"] += columns["ssrl_score"][i]
                sums["accuracy"] += columns["ssrl_accuracy"][i]
                sums["format"] += columns["ssrl_format"][i]
                sums["reasons"][reason] += 1
                sums["format_reasons"][columns["ssrl_format_reason"][i]] += 1

    @staticmethod
    def _summary(sums: Mapping[str, Any]) -> dict[str, Any]:
        n = sums["rows"] or 1
        return {
            "rows": sums["rows"],
            "mean_score": sums["score"] / n,
            "accuracy": sums["accuracy"] / n,
            "format": sums["format"] / n,
            "reasons": dict(sums["reasons"].most_common()),
            "format_reasons": dict(sums["format_reasons"].most_common()),
        }

    def to_dict(self, source: str, config: RewardConfig) -> dict[str, Any]:
        order = {name: index for index, name in enumerate(task_names())}
        names = sorted(self.tasks, key=lambda name: (order.get(name, len(order)), name))
        return {
            "source": source,
            "config": config.model_dump(),
            "rows": self.total["rows"] + self.malformed,
            "scored": self.total["rows"],
            "malformed": {"count": self.malformed, "messages": self.messages},
            "tasks": {name: self._summary(self.tasks[name]) for name in names},
            "all": self._summary(self.total),
        }

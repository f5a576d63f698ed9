"""Where a row keeps its fields: the columns to read, found once from the schema (Parquet)
or row by row (JSON Lines), and the extraction of one row into what the scorer takes."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.cli.common import MISSING, UserError, json_type, shorten
from ssrl_rewards.cli.sources import Record, Source
from ssrl_rewards.prompts import prompt_text
from ssrl_rewards.registry import find_task, task_names

# Column names tried in order when no --*-key is given; they cover TRL, verl
# (reward_model.ground_truth, extra_info.task), EasyR1 and the Spatial-SSRL dataset
# (problem, answer). A dotted name reaches into a nested object.
COMPLETION_KEYS: tuple[str, ...] = (
    "completion",
    "response",
    "output",
    "prediction",
    "generated_text",
    "model_output",
)
GROUND_TRUTH_KEYS: tuple[str, ...] = (
    "ground_truth",
    "answer",
    "solution",
    "reward_model.ground_truth",
    "label",
)
TASK_KEYS: tuple[str, ...] = ("task", "extra_info.task", "data_source")
PROMPT_KEYS: tuple[str, ...] = ("prompt", "problem", "question", "query")

COLUMNS_SHOWN = 30  # column names listed in an error message
MAX_DEPTH = 64  # a value nested deeper than this is a malformed row, never a RecursionError


def lookup(row: Mapping[str, Any], key: str) -> Any:
    """The value at `key`, reaching into nested objects for a dotted key; `MISSING` if none."""
    if key in row:
        return row[key]
    if "." not in key:
        return MISSING
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


@dataclass(frozen=True)
class Column:
    """Where a row keeps one of its fields: the names to try in turn (the first present
    wins) and the name to report when a row has none of them."""

    name: str
    candidates: tuple[str, ...]


def find(row: Mapping[str, Any], column: Column) -> tuple[str, Any]:
    """(the name found, its value) in one row; (`column.name`, `MISSING`) if none is there."""
    for key in column.candidates:
        if key in row:
            return key, row[key]
        if "." in key:
            value = lookup(row, key)
            if value is not MISSING:
                return key, value
    return column.name, MISSING


def pick_column(
    what: str,
    flag: str,
    given: str | None,
    defaults: Sequence[str],
    source: Source,
    *,
    required: bool,
) -> Column | None:
    """Where to read `what`, or a `UserError` naming the columns that exist.

    A Parquet schema settles the column for every row. JSON Lines rows may differ, so each
    row is searched for the default names in turn; the lines read ahead only catch a
    column that no row has (a named one, or a required one under any default name).
    """
    available = source.columns
    known = set(available)
    checkable = source.schema or (source.objects_ahead > 0 and source.columns_complete)
    if given is not None:
        if given == "":
            return None
        if checkable and given not in known and given.count(".") < 3:  # paths seen: 3 deep
            raise UserError(
                f"{source.label}: no {what} column {shorten(repr(given))} ({flag}); "
                f"{columns_seen(source)}: {column_list(available)}"
            )
        return Column(given, (given,))
    found = [key for key in defaults if key in known]
    if source.schema and found:
        return Column(found[0], (found[0],))
    if not source.schema and (found or not checkable or not required):
        return Column(found[0] if found else defaults[0], tuple(defaults))
    if required:
        raise UserError(
            f"{source.label}: no {what} column (tried {', '.join(defaults)}); "
            f"name it with {flag}; {columns_seen(source)}: {column_list(available)}"
        )
    return None


def columns_seen(source: Source) -> str:
    """Where the listed columns come from: the schema, the whole file or its first lines."""
    if source.schema or source.read_ahead_all:
        return "columns"
    return f"columns in the first {source.rows_ahead:,} {source.unit}s"


def column_list(columns: Sequence[str]) -> str:
    """Top-level column names, at most `COLUMNS_SHOWN` of them, each shortened."""
    top = [name for name in columns if "." not in name] or list(columns)
    if not top:
        return "(none)"
    shown = ", ".join(shorten(name, 60) for name in top[:COLUMNS_SHOWN])
    return shown if len(top) <= COLUMNS_SHOWN else f"{shown}, ... ({len(top):,} in all)"


@dataclass(frozen=True)
class Keys:
    """The columns of the four fields a row may have (None: not read)."""

    completion: Column | None
    ground_truth: Column
    task: Column | None
    prompt: Column | None

    def needed(self) -> list[str]:
        """The columns to read (Parquet reads only these)."""
        columns = (self.completion, self.ground_truth, self.task, self.prompt)
        return [key for column in columns if column is not None for key in column.candidates]


def keys_for(args: argparse.Namespace, source: Source, *, need_completion: bool) -> Keys:
    """The columns named by the ``--*-key`` flags, else found among the default names."""
    if not source.schema and source.rows_ahead == 0:
        raise UserError(f"{source.label}: no rows to read")
    completion = (
        pick_column(
            "completion",
            "--completion-key",
            args.completion_key,
            COMPLETION_KEYS,
            source,
            required=True,
        )
        if need_completion
        else None
    )
    truth = pick_column(
        "ground-truth",
        "--ground-truth-key",
        args.ground_truth_key,
        GROUND_TRUTH_KEYS,
        source,
        required=True,
    )
    task = pick_column("task", "--task-key", args.task_key, TASK_KEYS, source, required=False)
    prompt = pick_column(
        "prompt", "--prompt-key", args.prompt_key, PROMPT_KEYS, source, required=False
    )
    if truth is None:  # --ground-truth-key "" cannot disable the one column we need
        raise UserError("--ground-truth-key must name a column")
    if need_completion and completion is None:
        raise UserError("--completion-key must name a column")
    return Keys(completion, truth, task, prompt)


def forced_task(args: argparse.Namespace) -> str | None:
    """The canonical name of ``--task``, or None; an unknown name is a `UserError`."""
    if args.task is None:
        return None
    spec = find_task(args.task)
    if spec is None:
        raise UserError(
            f"--task {shorten(repr(args.task))} is not a registered task; "
            f"known tasks: {', '.join(task_names())}"
        )
    return spec.name


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (checked without recursion)."""
    if not isinstance(value, (list, dict, tuple)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend(
            (child, depth + 1) for child in children if isinstance(child, (list, dict, tuple))
        )
    return False


def completion_text(value: Any) -> Any:
    """A completion as text: a string as is, a chat message list (TRL conversational
    format) as the text of its last assistant message; `MISSING` for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(m, Mapping) for m in value):
        turns = [m for m in value if m.get("role") in (None, "assistant")] or value
        content = turns[-1].get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            parts = [p.get("text") if isinstance(p, Mapping) else p for p in content]
            return "".join(part for part in parts if isinstance(part, str))
    return MISSING


def task_name(value: Any, key: str) -> tuple[str | None, str | None]:
    """(canonical task name or None to infer, error or None) for a task column value."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, f"is a {json_type(value)}, expected a task name"
    spec = find_task(value)
    if spec is not None:
        return spec.name, None
    if key == "data_source" or "/" in value:
        for part in reversed(value.replace("\\", "/").split("/")):
            spec = find_task(part)
            if spec is not None:
                return spec.name, None
        return None, None  # a data source that names no task: infer from the ground truth
    return (
        None,
        f"{shorten(repr(value), 80)} is not a registered task; "
        f"known tasks: {', '.join(task_names())}",
    )


@dataclass(frozen=True)
class Item:
    """One row ready to score, or the reason it cannot be (`error`, `column`)."""

    number: int
    completion: Any = None
    ground_truth: Any = None
    task: str | None = None
    prompt: str | None = None
    error: str | None = None
    column: str | None = None
    truth_key: str | None = None  # the column the ground truth came from
    prompt_key: str | None = None  # the column the prompt came from, if any


def item(record: Record, keys: Keys, forced: str | None, *, need_completion: bool) -> Item:
    """Pull the columns out of one record. A missing completion or ground truth, an
    ill-typed value or one nested past `MAX_DEPTH` makes it malformed; a row without a task
    or prompt (a crop row has no options) is scored without it, even when the column was
    named."""
    number = record.number
    if record.data is None:
        return Item(number, error=record.error)
    row = record.data
    completion: Any = None
    if need_completion and keys.completion is not None:
        key, raw = find(row, keys.completion)
        if raw is MISSING:
            return Item(number, error="missing", column=key)
        if too_deep(raw):
            return Item(number, error=f"nested deeper than {MAX_DEPTH} levels", column=key)
        completion = completion_text(raw)
        if completion is MISSING:
            return Item(number, error=f"is a {json_type(raw)}, expected a string", column=key)
    truth_key, truth = find(row, keys.ground_truth)
    if truth is MISSING:
        return Item(number, error="missing", column=truth_key)
    if too_deep(truth):
        return Item(number, error=f"nested deeper than {MAX_DEPTH} levels", column=truth_key)
    task = forced
    if task is None and keys.task is not None:
        key, value = find(row, keys.task)
        if value is not MISSING:
            task, problem = task_name(value, key)
            if problem is not None:
                return Item(number, error=problem, column=key)
    prompt = None
    prompt_key = None
    if keys.prompt is not None:
        key, value = find(row, keys.prompt)
        if value is not MISSING:
            if too_deep(value):
                return Item(number, error=f"nested deeper than {MAX_DEPTH} levels", column=key)
            prompt = prompt_text(value)
            prompt_key = key
    return Item(number, completion, truth, task, prompt, truth_key=truth_key, prompt_key=prompt_key)

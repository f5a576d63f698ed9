"""Which columns to read, checked against the file before scoring, and one row turned into
what the scorer takes. How a row becomes completion text, ground truth, task and prompt is
the row contract's (`ssrl_rewards.rows`, the same for every entry point); this module only
maps the ``--*-key`` flags onto it and refuses a named column that no row has."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssrl_rewards import rows
from ssrl_rewards.cli.common import REASON_CHARS, UserError, shorten
from ssrl_rewards.cli.sources import Record, Source
from ssrl_rewards.errors import (
    AmbiguousGroundTruthError,
    ForeignTaskError,
    GroundTruthError,
    RowError,
    TaskCellError,
    UnknownTaskError,
)
from ssrl_rewards.registry import find_task, task_names

# The columns searched, in order, when no --*-key is given: the row contract's.
COMPLETION_KEYS: tuple[str, ...] = rows.COMPLETION_COLUMNS
GROUND_TRUTH_KEYS: tuple[str, ...] = rows.GROUND_TRUTH_COLUMNS
TASK_KEYS: tuple[str, ...] = (*rows.TASK_COLUMNS, rows.DATA_SOURCE_COLUMN)
PROMPT_KEYS: tuple[str, ...] = rows.PROMPT_COLUMNS

COLUMNS_SHOWN = 30  # column names listed in an error message
MAX_DEPTH = 64  # a value nested deeper than this is a malformed row, never a RecursionError


def pick_column(
    what: str,
    flag: str,
    given: str | None,
    defaults: Sequence[str],
    source: Source,
    *,
    required: bool,
) -> tuple[str | None, tuple[str, ...]]:
    """(the column to name to the row contract, or None for its default search; the
    columns to read), or a `UserError` naming the columns that exist.

    ``given == ""`` turns an optional column off: ``("", ())``. A Parquet schema tells
    which default columns exist; JSON Lines rows may differ, so the lines read ahead only
    catch a column that no row has (a named one, or a required one under any default name).
    """
    available = source.columns
    known = set(available)
    checkable = source.schema or (source.objects_ahead > 0 and source.columns_complete)
    if given is not None:
        if given == "":
            return "", ()
        if checkable and given not in known and given.count(".") < 3:  # paths seen: 3 deep
            raise UserError(
                f"{source.label}: no {what} column {shorten(repr(given))} ({flag}); "
                f"{columns_seen(source)}: {column_list(available)}"
            )
        return given, (given,)
    found = tuple(key for key in defaults if key in known)
    if found or not required or (not source.schema and not checkable):
        return None, found if source.schema else tuple(defaults)
    raise UserError(
        f"{source.label}: no {what} column (tried {', '.join(defaults)}); "
        f"name it with {flag}; {columns_seen(source)}: {column_list(available)}"
    )


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
    """The ``--*-key`` flags as the row contract takes them (`rows.read_row`), and the
    columns a Parquet file must read for them."""

    completion_key: str | None
    ground_truth_key: str | None
    task_key: str | None  # None: no task cells (``--task-key ""``)
    prompt_key: str | None  # "": no prompt (``--prompt-key ""``)
    columns: tuple[str, ...]

    def needed(self) -> list[str]:
        """The columns to read (Parquet reads only these)."""
        return list(self.columns)


def keys_for(args: argparse.Namespace, source: Source, *, need_completion: bool) -> Keys:
    """The columns named by the ``--*-key`` flags, checked against the file."""
    if not source.schema and source.rows_ahead == 0:
        raise UserError(f"{source.label}: no rows to read")
    columns: list[str] = []
    completion: str | None = None
    if need_completion:
        if args.completion_key == "":
            raise UserError("--completion-key must name a column")
        completion, read = pick_column(
            "completion",
            "--completion-key",
            args.completion_key,
            COMPLETION_KEYS,
            source,
            required=True,
        )
        columns += read
    if args.ground_truth_key == "":  # it cannot disable the one column we need
        raise UserError("--ground-truth-key must name a column")
    truth, read = pick_column(
        "ground-truth",
        "--ground-truth-key",
        args.ground_truth_key,
        GROUND_TRUTH_KEYS,
        source,
        required=True,
    )
    columns += read
    task, read = pick_column("task", "--task-key", args.task_key, TASK_KEYS, source, required=False)
    columns += read
    if task != "":  # the contract also reads extra_info.task and data_source after it
        columns += pick_column("task", "--task-key", None, TASK_KEYS, source, required=False)[1]
    prompt, read = pick_column(
        "prompt", "--prompt-key", args.prompt_key, PROMPT_KEYS, source, required=False
    )
    columns += read
    return Keys(
        completion,
        truth,
        None if task == "" else task or rows.TASK_COLUMNS[0],
        prompt,
        tuple(dict.fromkeys(columns)),
    )


def forced_task(args: argparse.Namespace) -> str | None:
    """The canonical name of ``--task``, or None; an unknown name is a `UserError`."""
    if args.task is None:
        return None
    spec = find_task(args.task)
    if spec is None:
        near = rows.likely_task(args.task)
        hint = f"did you mean {near!r}? " if near is not None else ""
        raise UserError(
            f"--task {shorten(repr(args.task))} is not a registered task; "
            f"{hint}known tasks: {', '.join(task_names())}"
        )
    return spec.name


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (checked without recursion)."""
    if not isinstance(value, (list, dict, tuple)):
        return False  # a str, a number: flat
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
    kind: str | None = None  # what kind of malformed row (see `error_kind`)
    truth_key: str | None = None  # the column the ground truth came from
    prompt_key: str | None = None  # the column the prompt came from, if any


def item(record: Record, keys: Keys, forced: str | None, *, need_completion: bool) -> Item:
    """One record read by the row contract (`rows.read_row`). A row it refuses (no
    completion or ground truth, two ground truths that differ, a near-miss or foreign task
    cell), or a ground truth nested past `MAX_DEPTH`, is malformed; a completion that is no
    text is scored (reason ``not_a_string``), as at every other entry point."""
    number = record.number
    if record.data is None:
        return Item(number, error=record.error, kind="unreadable")
    data = record.data
    try:
        row = rows.read_row(
            data,
            index=number,
            completion_key=keys.completion_key,
            ground_truth_key=keys.ground_truth_key,
            task_key=keys.task_key,
            prompt_key=keys.prompt_key,
            task=forced,
            need_completion=need_completion,
        )
    except RowError as exc:
        return Item(
            number, error=_without_where(exc, number), column=exc.column, kind=error_kind(exc)
        )
    except RecursionError:  # comparing or reading values nested past Python's limit
        return Item(number, error="a value is nested too deeply to read", kind="too_deep")
    if too_deep(row.ground_truth):  # a completion that is no text is scored not_a_string
        return Item(
            number,
            error=f"nested deeper than {MAX_DEPTH} levels",
            column=row.ground_truth_column,
            kind="too_deep",
        )
    return Item(
        number,
        row.completion,
        row.ground_truth,
        row.task,
        row.prompt,
        truth_key=row.ground_truth_column,
        # which column the prompt came from matters only to validate's messages
        prompt_key=None if need_completion else _prompt_column(data, keys, row.ground_truth_column),
    )


def error_kind(exc: Exception) -> str:
    """The kind of a malformed row, for ``--out`` error lines: ``ambiguous_ground_truth``,
    ``bad_ground_truth``, ``near_miss_task`` (a task cell that is almost a name, or no name),
    ``foreign_task``, ``unknown_task``, ``missing_column`` (the `RowError` kinds of the row
    contract, most specific first), else ``invalid``. A line that is no JSON object is
    ``unreadable``, a value nested too deeply ``too_deep``."""
    if isinstance(exc, AmbiguousGroundTruthError):
        return "ambiguous_ground_truth"
    if isinstance(exc, GroundTruthError):
        return "bad_ground_truth"
    if isinstance(exc, TaskCellError):
        return "near_miss_task"
    if isinstance(exc, ForeignTaskError):
        return "foreign_task"
    if isinstance(exc, UnknownTaskError):
        return "unknown_task"
    if isinstance(exc, RowError):
        return "missing_column"
    return "invalid"


def _without_where(exc: RowError, number: int) -> str:
    """A row error's message without its own "column 'x' row N: " opening (the CLI names
    the line and the column itself), shortened."""
    text = str(exc)
    openings = [f"row {number}: "]
    if exc.column is not None:
        openings.insert(0, f"column {exc.column!r} row {number}: ")
    for opening in openings:
        if text.startswith(opening):
            text = text[len(opening) :]
            break
    return shorten(text, REASON_CHARS)


def _prompt_column(data: Mapping[str, Any], keys: Keys, truth_column: str) -> str:
    """The column the prompt came from (for validate's messages): the named one, else the
    first default present, else the ground truth (whose options stand in for a prompt)."""
    if keys.prompt_key:
        return keys.prompt_key
    if keys.prompt_key is None:
        for column in PROMPT_KEYS:
            if rows.lookup(data, column) is not rows.MISSING:
                return column
    return truth_column

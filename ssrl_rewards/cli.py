"""The ``ssrl-rewards`` command line (also ``python -m ssrl_rewards``).

    main(argv=None) -> int

Subcommands: ``score`` (a per-task report on a JSONL or Parquet file of rollouts, or on
the bundled sample when no file is given), ``validate`` (check a training file's ground
truths), ``tasks`` (the registered tasks), ``hooks`` and ``serve`` (trainer glue).

Files are streamed: JSON Lines line by line, Parquet in bounded batches of the needed
columns, and only counters are kept, so memory stays flat on millions of rows. JSON Lines
rows may differ in their keys, so columns are looked up row by row. Reports go to stdout;
progress and diagnostics to stderr. A user-fixable problem (missing file or column, unknown format,
Parquet without pyarrow, a bad option value) is one line on stderr and exit code 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import gzip
import json
import multiprocessing
import os
import signal
import sys
import time
import typing
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any

from ssrl_rewards.config import RewardConfig, make_config
from ssrl_rewards.errors import GroundTruthError, SSRLRewardsError
from ssrl_rewards.prompts import parse_options, prompt_text
from ssrl_rewards.registry import find_task, task_names
from ssrl_rewards.reward import parse_ground_truth, score

__all__ = [
    "COMPLETION_KEYS",
    "EXIT_BAD_ROWS",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "GROUND_TRUTH_KEYS",
    "PROMPT_KEYS",
    "TASK_KEYS",
    "build_parser",
    "main",
]

EXIT_OK = 0
EXIT_BAD_ROWS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    validate found bad rows; or score --strict met a malformed row
  2    usage or user-fixable error (missing file or column, unknown format,
       Parquet without pyarrow, invalid option value)
  130  interrupted (Ctrl-C)
  141  stdout closed early (e.g. piped into head)"""

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

_CHUNK_ROWS = 256
_PARQUET_BATCH_ROWS = 1024
_PARQUET_BUFFER_BYTES = 1 << 20  # read column chunks through a buffer this size
_LOOKAHEAD_LINES = 1000  # JSON lines read ahead to learn the columns a file has...
_LOOKAHEAD_BYTES = 8 << 20  # ...or fewer, up to this many bytes
_COLUMNS_KEPT = 10_000  # distinct column names remembered from the look-ahead
_COLUMNS_SHOWN = 30  # column names listed in an error message
_MALFORMED_KEPT = 100  # malformed rows kept for the report (all are counted)
_MALFORMED_SHOWN = 20  # malformed rows echoed on stderr as they come
_BAD_ROWS_IN_JSON = 1000
_MISSING: Any = object()

_CONFIG_HELP = {
    "mode": "'default' (typed, hedge-proof) or 'paper' (the published reward)",
    "credit": "partial credit for orderings: exact, positionwise or kendall",
    "accuracy_weight": "weight of accuracy in the score",
    "format_weight": "weight of format in the score",
    "format_policy": "strict, r1 (<answer> tags) or none (format not checked)",
    "answer_tags": "read <answer>...</answer> as a final answer",
    "fbox": "read \\fbox{...} as a box",
    "think_prefilled": "the chat template already opened <think>",
    "lenient_fallback": "accept 'the answer is X' when there is no box (evaluation only)",
    "max_chars": "longer completions are too_long",
    "max_answer_chars": "longer box contents are not answers",
    "max_candidates": "more final answers than this is a hedge",
}


class _UserError(Exception):
    """A problem the user can fix: one line on stderr, exit code 2."""


class _FatalRow(Exception):
    """A malformed row under --strict: one line on stderr, exit code 1."""


# --- reading rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    """One input row: its 1-based number and its object, or why it is unreadable."""

    number: int
    data: Mapping[str, Any] | None
    error: str | None = None


_Line = tuple[int, bytes]  # a JSON line not yet decoded: workers decode it
_Row = _Record | _Line


@dataclass
class _Source:
    """A file to read: its columns now, its records once the needed columns are known.

    A Parquet schema names every column of every row (``schema=True``). JSON Lines rows may
    differ: ``columns`` holds the names seen in the objects of the lines read ahead (up to
    ``_LOOKAHEAD_LINES``), ``objects_ahead`` how many of those lines were objects, and
    every row is searched for its own columns.
    """

    label: str
    unit: str  # "line" (JSON Lines) or "row" (Parquet)
    columns: tuple[str, ...]  # column names (schema, or seen ahead), dotted if nested
    reader: Callable[[Sequence[str]], Iterator[_Row]]
    schema: bool = False  # True: `columns` is every row's columns (Parquet)
    rows_ahead: int = 0  # JSON Lines: non-blank lines read ahead
    objects_ahead: int = 0  # JSON Lines: of which JSON objects
    columns_complete: bool = True  # False: more distinct names than _COLUMNS_KEPT
    read_ahead_all: bool = True  # JSON Lines: the look-ahead reached the end of the file
    total_rows: int | None = None
    total_bytes: int | None = None
    progress_bytes: Callable[[], int] | None = None
    closer: Callable[[], None] | None = None

    def close(self) -> None:
        """Release the file (safe to call twice)."""
        if self.closer is not None:
            self.closer()

    def records(self, needed: Sequence[str]) -> Iterator[_Row]:
        """The rows (JSON lines undecoded); Parquet reads only the columns holding `needed`."""
        return self.reader(needed)


def _open_source(file: str | None) -> _Source:
    """Open a JSONL or Parquet file (or the bundled sample, or stdin for ``-``)."""
    if file is None:
        sample = resources.files("ssrl_rewards").joinpath("data/sample.jsonl").open("rb")
        return _jsonl_source(sample, "bundled sample", None)
    if file == "-":
        return _jsonl_source(sys.stdin.buffer, "stdin", None, owned=False)
    path = Path(file)
    if not path.exists():
        raise _UserError(f"{file}: no such file")
    if path.is_dir():
        raise _UserError(f"{file}: is a directory, expected a .jsonl or .parquet file")
    kind = _sniff(path)
    if kind == "parquet":
        return _parquet_source(path)
    try:
        raw: IO[bytes] = path.open("rb")  # closed by the record reader
        handle: IO[bytes] = raw
        if kind == "jsonl.gz":
            handle = typing.cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb"))
    except OSError as exc:
        raise _UserError(f"{file}: cannot open: {exc.strerror or exc}") from None
    return _jsonl_source(handle, str(path), path.stat().st_size, raw)


def _sniff(path: Path) -> str:
    """'jsonl', 'jsonl.gz' or 'parquet', from the extension or else the first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise _UserError(f"{path}: cannot open: {exc.strerror or exc}") from None
    if head.startswith(b"\x1f\x8b"):
        return "jsonl.gz"
    if head.startswith(b"PAR1"):
        return "parquet"
    first = head.lstrip()[:1]
    if first == b"[":
        raise _UserError(
            f"{path}: holds one JSON array; write one JSON object per line (JSON Lines)"
        )
    if first in (b"{", b"") or suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise _UserError(f"{path}: unknown format; expected JSON Lines (.jsonl) or Parquet (.parquet)")


def _jsonl_source(
    handle: IO[bytes],
    label: str,
    total_size: int | None,
    raw: IO[bytes] | None = None,
    *,
    owned: bool = True,
) -> _Source:
    """Records of a JSON Lines stream; the keys of the first lines' objects name the columns.

    Up to `_LOOKAHEAD_LINES` lines (`_LOOKAHEAD_BYTES`) are read ahead and kept, so that a
    column named on the command line can be checked before scoring; rows are still
    searched one by one, since JSON Lines rows need not share their keys.
    """
    position = raw if raw is not None else handle
    lines = _jsonl_lines(handle, label)
    head: list[_Line] = []
    seen: dict[str, None] = {}  # ordered set of the column names seen ahead
    complete = whole = True
    objects = size = 0

    def close() -> None:
        lines.close()
        handle.close()
        position.close()

    try:
        for line in lines:
            head.append(line)
            size += len(line[1])
            data = _decode(*line).data
            if data is not None:
                objects += 1
                for path in _object_paths(data):
                    if path not in seen:
                        if len(seen) >= _COLUMNS_KEPT:
                            complete = False
                            break
                        seen[path] = None
            if len(head) >= _LOOKAHEAD_LINES or size >= _LOOKAHEAD_BYTES:
                whole = False
                break
    except BaseException:  # a read error ahead: nobody else will close the file
        if owned:
            close()
        raise

    def tell() -> int:
        try:
            return position.tell()
        except (OSError, ValueError):
            return 0

    def reader(needed: Sequence[str]) -> Iterator[_Row]:
        del needed  # a JSON line is parsed whole
        yield from head
        head.clear()  # the look-ahead is bounded, but need not stay for the whole run
        yield from lines

    return _Source(
        label,
        "line",
        tuple(seen),
        reader,
        rows_ahead=len(head),
        objects_ahead=objects,
        columns_complete=complete,
        read_ahead_all=whole,
        total_bytes=total_size,
        progress_bytes=tell if total_size else None,
        closer=close if owned else None,
    )


def _object_paths(row: Mapping[str, Any], prefix: str = "", depth: int = 0) -> Iterator[str]:
    """Keys of a JSON object, then dotted paths into nested objects (three levels)."""
    for key in row:
        yield prefix + str(key)
    if depth >= 2:
        return
    for key, value in row.items():
        if isinstance(value, Mapping):
            yield from _object_paths(value, f"{prefix}{key}.", depth + 1)


def _jsonl_lines(handle: IO[bytes], label: str) -> Generator[_Line, None, None]:
    """(line number, bytes) of each non-blank line, read one at a time."""
    number = 0
    try:
        with handle:
            for line in handle:
                number += 1
                if line.strip():
                    yield number, line
    except (OSError, EOFError) as exc:
        raise _UserError(f"{label}: read error after line {number}: {exc}") from None


def _decode(number: int, line: bytes) -> _Record:
    """A JSON line as a record; an unreadable line becomes a record with an error."""
    try:
        data = json.loads(line)
    except UnicodeDecodeError:
        return _Record(number, None, "not UTF-8 text")
    except ValueError as exc:
        return _Record(number, None, f"not valid JSON ({_first_line(exc)})")
    if not isinstance(data, dict):
        return _Record(number, None, f"not a JSON object (a {_json_type(data)})")
    return _Record(number, data)


def _as_record(row: _Row) -> _Record:
    return row if isinstance(row, _Record) else _decode(*row)


def _parquet_source(path: Path) -> _Source:
    """Records of a Parquet file, read batch by batch with `ParquetFile.iter_batches`.

    Memory stays flat whatever the row-group size: column chunks are read through a
    bounded buffer (``buffer_size``) instead of whole, only the needed columns are read,
    and batches are decoded one at a time (``use_threads=False``).
    """
    try:
        import pyarrow as pa  # noqa: PLC0415 - lazy: an optional extra
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise _UserError(
            f"{path}: reading Parquet needs pyarrow: pip install 'ssrl-rewards[parquet]'"
        ) from None
    try:
        # By default a whole column chunk (a row group's column, up to ~1M rows with
        # pyarrow's writer) is read into memory, and pre-buffering keeps the chunks read
        # so far: both grow with the file. A bounded read buffer keeps memory flat.
        parquet = pq.ParquetFile(str(path), pre_buffer=False, buffer_size=_PARQUET_BUFFER_BYTES)
    except (OSError, pa.ArrowException) as exc:
        raise _UserError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
    schema = parquet.schema_arrow
    tops = set(schema.names)

    def reader(needed: Sequence[str]) -> Iterator[_Record]:
        columns = sorted({key if key in tops else key.split(".", 1)[0] for key in needed})
        number = 0
        try:
            batches = parquet.iter_batches(
                batch_size=_PARQUET_BATCH_ROWS, columns=columns, use_threads=False
            )
            for batch in batches:
                for data in batch.to_pylist():
                    number += 1
                    yield _Record(number, data)
        except (OSError, pa.ArrowException) as exc:
            raise _UserError(f"{path}: read error after row {number}: {_first_line(exc)}") from None

    return _Source(
        str(path),
        "row",
        tuple(_schema_paths(schema, pa.types.is_struct)),
        reader,
        schema=True,
        total_rows=parquet.metadata.num_rows,
        closer=parquet.close,
    )


def _schema_paths(schema: Any, is_struct: Callable[[Any], bool]) -> Iterator[str]:
    """Top-level column names, then dotted paths into struct columns."""
    yield from schema.names
    stack = [(item.name, item.type) for item in schema]
    while stack:
        prefix, kind = stack.pop()
        if is_struct(kind):
            for index in range(kind.num_fields):
                child = kind.field(index)
                yield f"{prefix}.{child.name}"
                stack.append((f"{prefix}.{child.name}", child.type))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _json_type(value: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


# --- columns ---------------------------------------------------------------------------------


def _lookup(row: Mapping[str, Any], key: str) -> Any:
    """The value at `key`, reaching into nested objects for a dotted key; `_MISSING` if none."""
    if key in row:
        return row[key]
    if "." not in key:
        return _MISSING
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


@dataclass(frozen=True)
class _Column:
    """Where a row keeps one of its fields: the names to try in turn (the first present
    wins) and the name to report when a row has none of them."""

    name: str
    candidates: tuple[str, ...]


def _find(row: Mapping[str, Any], column: _Column) -> tuple[str, Any]:
    """(the name found, its value) in one row; (`column.name`, `_MISSING`) if none is there."""
    for key in column.candidates:
        if key in row:
            return key, row[key]
        if "." in key:
            value = _lookup(row, key)
            if value is not _MISSING:
                return key, value
    return column.name, _MISSING


def _pick_column(
    what: str,
    flag: str,
    given: str | None,
    defaults: Sequence[str],
    source: _Source,
    *,
    required: bool,
) -> _Column | None:
    """Where to read `what`, or a `_UserError` naming the columns that exist.

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
            raise _UserError(
                f"{source.label}: no {what} column {given!r} ({flag}); "
                f"{_columns_seen(source)}: {_column_list(available)}"
            )
        return _Column(given, (given,))
    found = [key for key in defaults if key in known]
    if source.schema and found:
        return _Column(found[0], (found[0],))
    if not source.schema and (found or not checkable or not required):
        return _Column(found[0] if found else defaults[0], tuple(defaults))
    if required:
        raise _UserError(
            f"{source.label}: no {what} column (tried {', '.join(defaults)}); "
            f"name it with {flag}; {_columns_seen(source)}: {_column_list(available)}"
        )
    return None


def _columns_seen(source: _Source) -> str:
    """Where the listed columns come from: the schema, the whole file or its first lines."""
    if source.schema or source.read_ahead_all:
        return "columns"
    return f"columns in the first {source.rows_ahead:,} {source.unit}s"


def _column_list(columns: Sequence[str]) -> str:
    top = [name for name in columns if "." not in name] or list(columns)
    if not top:
        return "(none)"
    shown = ", ".join(top[:_COLUMNS_SHOWN])
    return shown if len(top) <= _COLUMNS_SHOWN else f"{shown}, ... ({len(top):,} in all)"


@dataclass(frozen=True)
class _Keys:
    completion: _Column | None
    ground_truth: _Column
    task: _Column | None
    prompt: _Column | None

    def needed(self) -> list[str]:
        """The columns to read (Parquet reads only these)."""
        columns = (self.completion, self.ground_truth, self.task, self.prompt)
        return [key for column in columns if column is not None for key in column.candidates]


def _completion_text(value: Any) -> Any:
    """A completion as text: a string as is, a chat message list (TRL conversational
    format) as the text of its last assistant message; `_MISSING` for anything else."""
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
    return _MISSING


def _task_name(value: Any, key: str) -> tuple[str | None, str | None]:
    """(canonical task name or None to infer, error or None) for a task column value."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, f"is a {_json_type(value)}, expected a task name"
    spec = find_task(value)
    if spec is not None:
        return spec.name, None
    if key == "data_source" or "/" in value:
        for part in reversed(value.replace("\\", "/").split("/")):
            spec = find_task(part)
            if spec is not None:
                return spec.name, None
        return None, None  # a data source that names no task: infer from the ground truth
    return None, f"{value!r} is not a registered task; known tasks: {', '.join(task_names())}"


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
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


@dataclass(frozen=True)
class _Outcome:
    """A scored row (result dicts) or a malformed one (error)."""

    number: int
    result: dict[str, Any] | None = None
    paper: dict[str, Any] | None = None
    error: str | None = None
    column: str | None = None


def _item(record: _Record, keys: _Keys, forced_task: str | None, *, need_completion: bool) -> _Item:
    """Pull the columns out of one record. A missing completion or ground truth, or an
    ill-typed value, makes it malformed; a row without a task or prompt (a crop row has no
    options) is scored without it, even when the column was named."""
    number = record.number
    if record.data is None:
        return _Item(number, error=record.error)
    row = record.data
    completion: Any = None
    if need_completion and keys.completion is not None:
        key, raw = _find(row, keys.completion)
        if raw is _MISSING:
            return _Item(number, error="missing", column=key)
        completion = _completion_text(raw)
        if completion is _MISSING:
            return _Item(number, error=f"is a {_json_type(raw)}, expected a string", column=key)
    truth_key, truth = _find(row, keys.ground_truth)
    if truth is _MISSING:
        return _Item(number, error="missing", column=truth_key)
    task = forced_task
    if task is None and keys.task is not None:
        key, value = _find(row, keys.task)
        if value is not _MISSING:
            task, problem = _task_name(value, key)
            if problem is not None:
                return _Item(number, error=problem, column=key)
    prompt = None
    prompt_key = None
    if keys.prompt is not None:
        key, value = _find(row, keys.prompt)
        if value is not _MISSING:
            prompt = prompt_text(value)
            prompt_key = key
    return _Item(
        number, completion, truth, task, prompt, truth_key=truth_key, prompt_key=prompt_key
    )


def _truth_problem(exc: SSRLRewardsError, raw: Any) -> str:
    """Why a ground truth is invalid, showing the value as the file holds it (the library
    names the value it parsed: an integer 5 becomes ``(5,)``)."""
    if isinstance(exc, GroundTruthError) and exc.field == "ground_truth":
        return f"{exc.task}: ground_truth {_shown(raw)} {exc.why}"
    return str(exc)


def _shown(value: Any, limit: int = 80) -> str:
    """A value as the file writes it (JSON; a string quoted as elsewhere), cut if long."""
    if isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except ValueError:  # a circular structure cannot come from a file; be safe
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class _Job:
    """What every worker needs to turn rows into outcomes (pickled once per chunk)."""

    keys: _Keys
    forced_task: str | None
    config: RewardConfig
    paper: RewardConfig | None
    write_out: bool = False


@dataclass
class _ChunkScores:
    """A scored chunk, summed where it was scored so the parent only merges.

    ``stats`` holds per-task sums over the chunk's rows in input order; ``malformed``
    the chunk's malformed rows; ``lines`` the ``--out`` lines, when asked for.
    """

    rows: int
    stats: dict[str, _TaskStats]
    malformed: list[_Outcome]
    lines: list[str] | None


def _score_chunk(rows: Sequence[_Row], job: _Job) -> _ChunkScores:
    """Decode, extract, score and sum a chunk of rows; runs in worker processes too."""
    stats: dict[str, _TaskStats] = {}
    malformed: list[_Outcome] = []
    lines: list[str] | None = [] if job.write_out else None
    for outcome in _score_rows(rows, job):
        if outcome.result is None:
            malformed.append(outcome)
        else:
            task = outcome.result["task"]
            task_stats = stats.get(task)
            if task_stats is None:
                task_stats = stats[task] = _TaskStats()
            task_stats.add(outcome.result, outcome.paper)
        if lines is not None:
            lines.append(json.dumps(_out_record(outcome), ensure_ascii=False) + "\n")
    return _ChunkScores(len(rows), stats, malformed, lines)


def _score_rows(rows: Sequence[_Row], job: _Job) -> list[_Outcome]:
    """Decode, extract and score rows: one outcome per row, in order."""
    config, paper = job.config, job.paper
    outcomes = []
    for row in rows:
        item = _item(_as_record(row), job.keys, job.forced_task, need_completion=True)
        if item.error is not None:
            outcomes.append(_Outcome(item.number, error=item.error, column=item.column))
            continue
        try:
            result = score(
                item.completion, item.ground_truth, item.task, prompt=item.prompt, config=config
            )
            paper_result = (
                score(
                    item.completion, item.ground_truth, item.task, prompt=item.prompt, config=paper
                )
                if paper is not None
                else None
            )
        except SSRLRewardsError as exc:  # a bad ground truth or task: the row is malformed
            problem = _truth_problem(exc, item.ground_truth)
            outcomes.append(_Outcome(item.number, error=problem, column=item.truth_key))
            continue
        outcomes.append(
            _Outcome(
                item.number,
                result.to_dict(),
                paper_result.to_dict() if paper_result is not None else None,
            )
        )
    return outcomes


def _chunks(items: Iterator[_Row], size: int) -> Iterator[list[_Row]]:
    chunk: list[_Row] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which cancels them and exits with 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _scored(chunks: Iterator[list[_Row]], workers: int, job: _Job) -> Iterator[_ChunkScores]:
    """Scored chunks in input order; at most 4 chunks per worker in flight."""
    if workers <= 1:
        for chunk in chunks:
            yield _score_chunk(chunk, job)
        return
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
    pending: collections.deque[concurrent.futures.Future[_ChunkScores]] = collections.deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_score_chunk, chunk, job))
            if len(pending) >= 4 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the report ------------------------------------------------------------------------------


@dataclass
class _TaskStats:
    """Running sums for one task (or all tasks)."""

    rows: int = 0
    score: float = 0.0
    accuracy: float = 0.0
    format: float = 0.0
    reasons: collections.Counter[str] = field(default_factory=collections.Counter)
    format_reasons: collections.Counter[str] = field(default_factory=collections.Counter)
    paper_score: float = 0.0
    paper_accuracy: float = 0.0
    disagree: int = 0
    why: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, result: Mapping[str, Any], paper: Mapping[str, Any] | None) -> None:
        self.rows += 1
        self.score += result["score"]
        self.accuracy += result["accuracy"]
        self.format += result["format"]
        self.reasons[result["reason"]] += 1
        self.format_reasons[result["format_reason"]] += 1
        if paper is not None:
            self.paper_score += paper["score"]
            self.paper_accuracy += paper["accuracy"]
            why = _disagreement(result, paper)
            if why is not None:
                self.disagree += 1
                self.why[why] += 1

    def merge(self, other: _TaskStats) -> None:
        """Add another set of sums (a chunk's) to these."""
        self.rows += other.rows
        self.score += other.score
        self.accuracy += other.accuracy
        self.format += other.format
        self.reasons.update(other.reasons)
        self.format_reasons.update(other.format_reasons)
        self.paper_score += other.paper_score
        self.paper_accuracy += other.paper_accuracy
        self.disagree += other.disagree
        self.why.update(other.why)

    def summary(self, compare: bool) -> dict[str, Any]:
        n = self.rows or 1
        out: dict[str, Any] = {
            "rows": self.rows,
            "mean_score": self.score / n,
            "accuracy": self.accuracy / n,
            "format": self.format / n,
            "reasons": dict(_ranked(self.reasons)),
            "format_reasons": dict(_ranked(self.format_reasons)),
        }
        if compare:
            out["paper"] = {
                "mean_score": self.paper_score / n,
                "accuracy": self.paper_accuracy / n,
                "disagree": self.disagree,
                "disagree_rate": self.disagree / n,
                "why": dict(_ranked(self.why)),
            }
        return out


_WHY_GLOSS = {
    "default correct / paper wrong": "honest notation; the exact match rejects it",
    "default partial / paper wrong": "partial credit; the paper gives none",
    "default multiple_answers / paper correct": "hedge; the paper pays the last box",
    "default answer_in_think / paper correct": "answer only in the reasoning; the paper pays it",
    "default unclosed_think / paper correct": "truncated; the paper pays a box in the reasoning",
    "format only: default multiple_answers / paper ok": "hedge; the paper pays the format share",
}


def _disagreement(result: Mapping[str, Any], paper: Mapping[str, Any]) -> str | None:
    """Why the default and paper rewards differ on one row (None when they agree)."""
    if result["score"] == paper["score"]:
        return None
    if result["accuracy"] != paper["accuracy"]:
        return f"default {result['reason']} / paper {paper['reason']}"
    return f"format only: default {result['format_reason']} / paper {paper['format_reason']}"


def _gloss(label: str) -> str:
    gloss = _WHY_GLOSS.get(label)
    return f"  ({gloss})" if gloss else ""


def _ranked(counter: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _task_order(names: Iterable[str]) -> list[str]:
    registered = {name: index for index, name in enumerate(task_names())}
    return sorted(names, key=lambda name: (registered.get(name, len(registered)), name))


@dataclass
class _Report:
    """Everything `score` prints: per-task sums, malformed rows, the config used."""

    source: str
    unit: str
    config: RewardConfig
    compare: bool
    tasks: dict[str, _TaskStats] = field(default_factory=dict)
    total: _TaskStats = field(default_factory=_TaskStats)
    malformed: int = 0
    malformed_rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, chunk: _ChunkScores) -> None:
        """Merge one scored chunk (chunks arrive in input order)."""
        for outcome in chunk.malformed:
            self.malformed += 1
            if len(self.malformed_rows) < _MALFORMED_KEPT:
                self.malformed_rows.append(
                    {"row": outcome.number, "column": outcome.column, "reason": outcome.error}
                )
        for task, stats in chunk.stats.items():
            mine = self.tasks.get(task)
            if mine is None:
                mine = self.tasks[task] = _TaskStats()
            mine.merge(stats)
            self.total.merge(stats)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "config": self.config.model_dump(),
            "rows": self.total.rows + self.malformed,
            "scored": self.total.rows,
            "malformed": {"count": self.malformed, "rows": self.malformed_rows},
            "tasks": {
                name: self.tasks[name].summary(self.compare) for name in _task_order(self.tasks)
            },
            "all": self.total.summary(self.compare),
        }

    def text(self) -> str:
        cfg = self.config
        lines = [
            f"ssrl-rewards score: {self.source}, {_rows(self.total.rows + self.malformed)}",
            f"mode={cfg.mode}, credit={cfg.credit}: "
            f"score = {cfg.accuracy_weight:g} * accuracy + {cfg.format_weight:g} * format",
            "",
        ]
        names = _task_order(self.tasks)
        table = [["task", "rows", "score", "accuracy", "format"]]
        for name, stats in [*((n, self.tasks[n]) for n in names), ("all", self.total)]:
            n = stats.rows or 1
            table.append(
                [
                    name,
                    str(stats.rows),
                    f"{stats.score / n:.3f}",
                    f"{stats.accuracy / n:.3f}",
                    f"{stats.format / n:.3f}",
                ]
            )
        lines.extend(_table(table))
        lines.append("")
        lines.append("Reasons (accuracy verdict, rows per task):")
        reason_table = [["reason", *names, "all", "share"]]
        for reason, count in _ranked(self.total.reasons):
            reason_table.append(
                [
                    reason,
                    *(str(self.tasks[name].reasons.get(reason, 0)) for name in names),
                    str(count),
                    f"{100 * count / (self.total.rows or 1):.1f}%",
                ]
            )
        lines.extend(_table(reason_table))
        if self.compare:
            lines.append("")
            lines.append(
                "Default vs paper reward (paper: exact string match on the last box, "
                f"same weights {cfg.accuracy_weight:g}/{cfg.format_weight:g}):"
            )
            cmp_table = [["task", "rows", "disagree", "score", "paper score", "paper accuracy"]]
            for name, stats in [*((n, self.tasks[n]) for n in names), ("all", self.total)]:
                n = stats.rows or 1
                cmp_table.append(
                    [
                        name,
                        str(stats.rows),
                        f"{stats.disagree} ({100 * stats.disagree / n:.1f}%)",
                        f"{stats.score / n:.3f}",
                        f"{stats.paper_score / n:.3f}",
                        f"{stats.paper_accuracy / n:.3f}",
                    ]
                )
            lines.extend(_table(cmp_table))
            for name, stats in [*((n, self.tasks[n]) for n in names), ("all tasks", self.total)]:
                if not stats.why:
                    continue
                lines.append(f"{name}: why they disagree")
                for label, count in _ranked(stats.why):
                    lines.append(f"  {count:>6}  {label}{_gloss(label)}")
        lines.append("")
        lines.append(f"Malformed rows (skipped): {self.malformed}")
        for row in self.malformed_rows[:_MALFORMED_SHOWN]:
            lines.append("  " + _describe_row(row, self.unit))
        if self.malformed > _MALFORMED_SHOWN:
            lines.append(f"  ... and {self.malformed - _MALFORMED_SHOWN} more")
        return "\n".join(lines) + "\n"


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _describe_row(row: Mapping[str, Any], unit: str = "row") -> str:
    where = f"{unit} {row['row']}"
    column = f": column {row['column']!r}" if row.get("column") else ""
    return f"{where}{column}: {row['reason']}"


def _table(rows: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells.extend(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        out.append("  ".join(cells).rstrip())
    return out


# --- progress --------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr (rows, rows/s, ETA); silent when disabled."""

    def __init__(
        self,
        stream: IO[str],
        enabled: bool,
        total_rows: int | None = None,
        total_bytes: int | None = None,
        bytes_read: Callable[[], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total_rows = total_rows
        self.total_bytes = total_bytes
        self.bytes_read = bytes_read
        self.clock = clock
        self.start = clock()
        self.last = -1.0
        self.rows = 0

    def update(self, rows: int) -> None:
        self.rows += rows
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < 0.2:
            return
        self.last = now
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.rows / elapsed
        done: float | None = None
        if self.total_rows:
            done = self.rows / self.total_rows
        elif self.total_bytes and self.bytes_read is not None:
            done = self.bytes_read() / self.total_bytes
        text = f"{self.rows:,} rows  {rate:,.0f} rows/s"
        if done is not None and done > 0:
            remaining = elapsed * (1 - min(done, 1.0)) / done
            text += f"  {100 * min(done, 1.0):.0f}%  ETA {_clock_text(remaining)}"
        return text

    def close(self) -> None:
        if self.enabled and self.last >= 0:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock_text(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


# --- commands --------------------------------------------------------------------------------


def _config_from(args: argparse.Namespace) -> RewardConfig:
    fields = {
        name: getattr(args, name)
        for name in RewardConfig.model_fields
        if getattr(args, name, None) is not None
    }
    return make_config(None, **fields)


def _keys_for(args: argparse.Namespace, source: _Source, *, need_completion: bool) -> _Keys:
    if not source.schema and source.rows_ahead == 0:
        raise _UserError(f"{source.label}: no rows to read")
    completion = (
        _pick_column(
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
    truth = _pick_column(
        "ground-truth",
        "--ground-truth-key",
        args.ground_truth_key,
        GROUND_TRUTH_KEYS,
        source,
        required=True,
    )
    task = _pick_column("task", "--task-key", args.task_key, TASK_KEYS, source, required=False)
    prompt = _pick_column(
        "prompt", "--prompt-key", args.prompt_key, PROMPT_KEYS, source, required=False
    )
    if truth is None:  # --ground-truth-key "" cannot disable the one column we need
        raise _UserError("--ground-truth-key must name a column")
    if need_completion and completion is None:
        raise _UserError("--completion-key must name a column")
    return _Keys(completion, truth, task, prompt)


def _forced_task(args: argparse.Namespace) -> str | None:
    if args.task is None:
        return None
    spec = find_task(args.task)
    if spec is None:
        raise _UserError(
            f"--task {args.task!r} is not a registered task; known tasks: {', '.join(task_names())}"
        )
    return spec.name


def _cmd_score(args: argparse.Namespace) -> int:
    config = _config_from(args)
    if args.compare_paper and config.mode == "paper":
        raise _UserError(
            "--compare-paper compares the default reward with the paper's; drop --mode paper"
        )
    paper = make_config(config, mode="paper") if args.compare_paper else None
    forced = _forced_task(args)
    source = _open_source(args.file)
    try:
        return _score_source(args, source, config, paper, forced)
    finally:
        source.close()


def _score_source(
    args: argparse.Namespace,
    source: _Source,
    config: RewardConfig,
    paper: RewardConfig | None,
    forced: str | None,
) -> int:
    keys = _keys_for(args, source, need_completion=True)
    report = _Report(source.label, source.unit, config, paper is not None)
    progress = _Progress(
        sys.stderr,
        enabled=not args.quiet and sys.stderr.isatty(),
        total_rows=source.total_rows,
        total_bytes=source.total_bytes,
        bytes_read=source.progress_bytes,
    )
    out_stack = contextlib.ExitStack()
    with out_stack:
        out = _open_out(args.out, out_stack)
        rows = source.records(keys.needed())
        job = _Job(keys, forced, config, paper, write_out=out is not None)
        shown = 0
        for chunk in _scored(_chunks(rows, _CHUNK_ROWS), args.workers, job):
            for outcome in chunk.malformed:
                where = _describe_row(
                    {"row": outcome.number, "column": outcome.column, "reason": outcome.error},
                    source.unit,
                )
                if args.strict:
                    progress.close()
                    raise _FatalRow(f"{source.label}: {where} (--strict)")
                if not args.quiet and shown < _MALFORMED_SHOWN:
                    progress.close()
                    print(f"ssrl-rewards: {source.label}: {where}; skipped", file=sys.stderr)
                    shown += 1
            report.add(chunk)
            if out is not None and chunk.lines is not None:
                out.writelines(chunk.lines)
            progress.update(chunk.rows)
        progress.close()
    elapsed = time.monotonic() - progress.start
    if not args.quiet:
        print(f"ssrl-rewards: {_summary(report, progress.rows, elapsed)}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.text())
    return EXIT_OK


def _summary(report: _Report, rows: int, elapsed: float) -> str:
    """The closing diagnostic: rows scored and skipped, time and rows read per second."""
    rate = rows / elapsed if elapsed > 0 else 0.0
    done = f"scored {_rows(report.total.rows)}"
    if report.malformed:
        done += f" and skipped {report.malformed:,} malformed"
    return f"{done} in {elapsed:.2f} s ({rate:,.0f} rows/s)"


def _open_out(path: str | None, stack: contextlib.ExitStack) -> IO[str] | None:
    if path is None:
        return None
    try:
        return stack.enter_context(open(path, "w", encoding="utf-8", newline="\n"))
    except OSError as exc:
        raise _UserError(f"--out {path}: cannot write: {exc.strerror or exc}") from None


def _out_record(outcome: _Outcome) -> dict[str, Any]:
    if outcome.result is None:
        return {"row": outcome.number, "error": outcome.error, "column": outcome.column}
    record = {"row": outcome.number, **outcome.result}
    if outcome.paper is not None:
        record["paper"] = {
            key: outcome.paper[key]
            for key in ("score", "accuracy", "format", "reason", "format_reason", "pred")
        }
    return record


def _cmd_validate(args: argparse.Namespace) -> int:
    forced = _forced_task(args)
    source = _open_source(args.file)
    try:
        return _validate_source(args, source, forced)
    finally:
        source.close()


def _validate_source(args: argparse.Namespace, source: _Source, forced: str | None) -> int:
    keys = _keys_for(args, source, need_completion=False)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    bad_rows: list[dict[str, Any]] = []
    n_bad = n_rows = 0
    paper = args.mode == "paper"
    for row in source.records(keys.needed()):
        n_rows += 1
        item = _item(_as_record(row), keys, forced, need_completion=False)
        task, problem, column, note = _check_row(item, paper)
        counts[task]["rows"] += 1
        if note is not None:
            counts[task]["not_canonical"] += 1
        if problem is None:
            continue
        n_bad += 1
        counts[task]["bad"] += 1
        bad = {"row": item.number, "task": task, "column": column, "reason": problem}
        if args.json:
            if len(bad_rows) < _BAD_ROWS_IN_JSON:
                bad_rows.append(bad)
        else:
            print(_describe_row(bad, source.unit))
    summary = {
        name: {
            "rows": counts[name]["rows"],
            "bad": counts[name]["bad"],
            "not_canonical": counts[name]["not_canonical"],
        }
        for name in _task_order(counts)
    }
    if args.json:
        document = {
            "source": source.label,
            "rows": n_rows,
            "bad": n_bad,
            "tasks": summary,
            "bad_rows": bad_rows,
            "bad_rows_truncated": n_bad > len(bad_rows),
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        if n_bad:
            print()
        table = [["task", "rows", "bad", "not canonical"]]
        for name, entry in summary.items():
            table.append([name, str(entry["rows"]), str(entry["bad"]), str(entry["not_canonical"])])
        table.append(
            ["all", str(n_rows), str(n_bad), str(sum(e["not_canonical"] for e in summary.values()))]
        )
        print(f"ssrl-rewards validate: {source.label}, {_rows(n_rows)}")
        print("\n".join(_table(table)))
        verdict = f"{_rows(n_bad)} bad" if n_bad else "all rows valid"
        print(verdict)
        if any(e["not_canonical"] for e in summary.values()) and not paper:
            print(
                "note: 'not canonical' ground truths score normally here, but the paper's "
                "reward compares strings exactly (check with --mode paper)"
            )
    return EXIT_BAD_ROWS if n_bad else EXIT_OK


def _check_row(item: _Item, paper: bool) -> tuple[str, str | None, str | None, str | None]:
    """(task, problem or None, column of the problem, non-canonical note or None)."""
    if item.error is not None:
        return item.task or "?", item.error, item.column, None
    try:
        spec, truth = parse_ground_truth(item.ground_truth, item.task, prompt=item.prompt)
    except SSRLRewardsError as exc:
        return item.task or "?", _truth_problem(exc, item.ground_truth), item.truth_key, None
    letter = getattr(truth, "letter", None)
    if spec.uses_prompt and letter is not None and item.prompt is not None:
        options = parse_options(item.prompt)
        if options is None and spec.name == "position":
            return spec.name, "lists no lettered options (A. ... B. ...)", item.prompt_key, None
        if options is not None and letter not in options:
            listed = ", ".join(options)
            return (
                spec.name,
                f"the ground truth {letter!r} is not among the prompt's options {listed}",
                item.prompt_key,
                None,
            )
    note = None
    canonical = str(truth)
    raw = item.ground_truth
    if not (isinstance(raw, str) and raw == canonical):
        note = f"{_shown(raw)} is not the canonical string {canonical!r}"
        if paper:
            return (
                spec.name,
                f"{note}: the paper's reward compares strings exactly",
                item.truth_key,
                note,
            )
    return spec.name, None, None, note


def _cmd_tasks(args: argparse.Namespace) -> int:
    specs = [spec for spec in (find_task(name) for name in task_names()) if spec is not None]
    if args.json:
        document = [
            {
                "name": spec.name,
                "aliases": list(spec.aliases),
                "description": spec.description,
                "answer_format": spec.answer_format,
                "examples": list(spec.examples),
            }
            for spec in specs
        ]
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK
    for spec in specs:
        print(f"{spec.name}: {spec.description}")
        print(f"  answer:   {spec.answer_format}")
        print(f"  examples: {', '.join(spec.examples)}")
        if spec.aliases:
            print(f"  aliases:  {', '.join(spec.aliases)}")
    return EXIT_OK


def _cmd_hooks(args: argparse.Namespace) -> int:
    try:
        from ssrl_rewards.hooks import hooks_text  # noqa: PLC0415 - lazy: integrations module
    except ImportError as exc:
        raise _UserError(f"hooks are not available in this installation ({exc})") from None
    sys.stdout.write(hooks_text(args.framework))
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    config = _config_from(args)
    forced = _forced_task(args)
    try:
        from ssrl_rewards.server import serve  # noqa: PLC0415 - lazy: integrations module
    except ImportError as exc:
        raise _UserError(
            f"the reward server is not available in this installation ({exc})"
        ) from None
    try:
        serve(args.host, args.port, config, task=forced, quiet=args.quiet)
    except OSError as exc:
        raise _UserError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    return EXIT_OK


# --- the parser ------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per `RewardConfig` field (``--format-weight``, ``--no-fbox``, ...)."""
    group = parser.add_argument_group("reward configuration (RewardConfig fields)")
    for name, info in RewardConfig.model_fields.items():
        flag = "--" + name.replace("_", "-")
        annotation = info.annotation
        help_text = f"{_CONFIG_HELP.get(name, name)} (default: {info.default})"
        if typing.get_origin(annotation) is typing.Literal:
            choices = [str(choice) for choice in typing.get_args(annotation)]
            group.add_argument(flag, dest=name, choices=choices, default=None, help=help_text)
        elif annotation is bool:
            group.add_argument(
                flag,
                dest=name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        elif annotation is int:
            group.add_argument(flag, dest=name, type=int, default=None, metavar="N", help=help_text)
        elif annotation is float:
            group.add_argument(
                flag, dest=name, type=float, default=None, metavar="X", help=help_text
            )


def _add_column_flags(parser: argparse.ArgumentParser, *, completion: bool) -> None:
    group = parser.add_argument_group(
        "columns (dotted names reach into nested objects; '' turns an optional column off)"
    )
    if completion:
        group.add_argument(
            "--completion-key",
            metavar="NAME",
            help=f"completion column (default: first of {', '.join(COMPLETION_KEYS)})",
        )
    group.add_argument(
        "--ground-truth-key",
        metavar="NAME",
        help=f"ground-truth column (default: first of {', '.join(GROUND_TRUTH_KEYS)})",
    )
    group.add_argument(
        "--task-key",
        metavar="NAME",
        help=f"task column (default: first of {', '.join(TASK_KEYS)}; else inferred)",
    )
    group.add_argument(
        "--prompt-key",
        metavar="NAME",
        help=f"prompt column, text or chat messages (default: first of {', '.join(PROMPT_KEYS)})",
    )
    group.add_argument("--task", metavar="NAME", help="score every row as this task")


class _Formatter(argparse.HelpFormatter):
    """Wraps descriptions as usual but prints the exit-code table as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit codes:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ssrl-rewards`` (exposed for documentation and tests)."""
    from ssrl_rewards import __version__  # noqa: PLC0415 - the package imports this module lazily

    formatter = _Formatter
    parser = argparse.ArgumentParser(
        prog="ssrl-rewards",
        description="Rewards for the five Spatial-SSRL pretext tasks: score rollouts, "
        "validate training data.",
        epilog=EXIT_CODES_HELP,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"ssrl-rewards {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    score_p = sub.add_parser(
        "score",
        help="score a JSONL or Parquet file of rollouts (default: the bundled sample)",
        description="Score every row of a JSONL or Parquet file and print a per-task report: "
        "rows, mean score, accuracy, format rate and the reasons behind the verdicts. "
        "With no FILE, scores the bundled sample of synthetic rollouts.",
        epilog=EXIT_CODES_HELP,
        formatter_class=formatter,
    )
    score_p.add_argument(
        "file", nargs="?", metavar="FILE", help=".jsonl, .jsonl.gz, .parquet, or - for stdin"
    )
    score_p.add_argument("--out", metavar="PATH", help="write one JSON result per row here")
    score_p.add_argument(
        "--compare-paper",
        action="store_true",
        help="also score with the paper's reward; report per task how often and why they differ",
    )
    score_p.add_argument("--json", action="store_true", help="print the report as JSON")
    score_p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="score in N processes (default 1)",
    )
    score_p.add_argument("--strict", action="store_true", help="a malformed row is fatal (exit 1)")
    score_p.add_argument(
        "--quiet", "-q", action="store_true", help="no progress or diagnostics on stderr"
    )
    _add_column_flags(score_p, completion=True)
    _add_config_flags(score_p)
    score_p.set_defaults(handler=_cmd_score)

    validate_p = sub.add_parser(
        "validate",
        help="check every ground truth (and task, prompt options) of a training file",
        description="Check every ground truth of a training file (and the task column and the "
        "prompt's options where present). Prints each bad row with its number, column and "
        "reason, then per-task counts; exits 1 if any row is bad.",
        epilog=EXIT_CODES_HELP,
        formatter_class=formatter,
    )
    validate_p.add_argument(
        "file", metavar="FILE", help=".jsonl, .jsonl.gz, .parquet, or - for stdin"
    )
    validate_p.add_argument(
        "--mode",
        choices=("default", "paper"),
        default="default",
        help="paper: also require the exact ground-truth string the paper's reward compares",
    )
    validate_p.add_argument("--json", action="store_true", help="print the result as JSON")
    _add_column_flags(validate_p, completion=False)
    validate_p.set_defaults(handler=_cmd_validate)

    tasks_p = sub.add_parser(
        "tasks",
        help="list the registered tasks with their answer formats and examples",
        description="List the registered tasks with their answer formats and examples.",
    )
    tasks_p.add_argument("--json", action="store_true", help="print the list as JSON")
    tasks_p.set_defaults(handler=_cmd_tasks)

    hooks_p = sub.add_parser(
        "hooks",
        help="print the lines that plug the reward into a trainer",
        description="Print the configuration lines for a trainer (trl, verl, easyr1, openrlhf).",
    )
    hooks_p.add_argument(
        "framework", nargs="?", default="all", help="trl, verl, easyr1, openrlhf or all"
    )
    hooks_p.set_defaults(handler=_cmd_hooks)

    serve_p = sub.add_parser(
        "serve",
        help="serve rewards over HTTP (OpenRLHF's remote reward protocol)",
        description="Serve rewards over HTTP with OpenRLHF's remote reward-model protocol.",
    )
    serve_p.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)"
    )
    serve_p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    serve_p.add_argument("--task", metavar="NAME", help="score every request as this task")
    serve_p.add_argument("--quiet", "-q", action="store_true", help="no start-up line")
    _add_config_flags(serve_p)
    serve_p.set_defaults(handler=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ssrl-rewards``; returns the exit code (see ``--help``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = handler(args)
        sys.stdout.flush()
    except _UserError as exc:
        print(f"ssrl-rewards: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SSRLRewardsError as exc:
        print(f"ssrl-rewards: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except _FatalRow as exc:
        print(f"ssrl-rewards: error: {exc}", file=sys.stderr)
        return EXIT_BAD_ROWS
    except KeyboardInterrupt:
        print("ssrl-rewards: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`ssrl-rewards score | head`): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code

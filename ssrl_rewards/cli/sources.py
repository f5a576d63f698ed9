"""Reading rows: JSON Lines (plain, gzip, stdin) line by line and Parquet in bounded
batches of the needed columns, so memory stays flat on millions of rows.

A JSON line is handed on undecoded (workers decode it); a line that is not a JSON object,
or nests deeper than Python can decode, becomes a record carrying the reason instead.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
import typing
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

from ssrl_rewards.cli.common import UserError, first_line, json_type

PARQUET_BATCH_ROWS = 1024
PARQUET_BUFFER_BYTES = 1 << 20  # read column chunks through a buffer this size
LOOKAHEAD_LINES = 1000  # JSON lines read ahead to learn the columns a file has...
LOOKAHEAD_BYTES = 8 << 20  # ...or fewer, up to this many bytes
COLUMNS_KEPT = 10_000  # distinct column names remembered from the look-ahead


@dataclass(frozen=True)
class Record:
    """One input row: its 1-based number and its object, or why it is unreadable."""

    number: int
    data: Mapping[str, Any] | None
    error: str | None = None


Line = tuple[int, bytes]  # a JSON line not yet decoded: workers decode it
Row = Record | Line


@dataclass
class Source:
    """A file to read: its columns now, its records once the needed columns are known.

    A Parquet schema names every column of every row (``schema=True``). JSON Lines rows may
    differ: ``columns`` holds the names seen in the objects of the lines read ahead (up to
    ``LOOKAHEAD_LINES``), ``objects_ahead`` how many of those lines were objects, and
    every row is searched for its own columns.
    """

    label: str
    unit: str  # "line" (JSON Lines) or "row" (Parquet)
    columns: tuple[str, ...]  # column names (schema, or seen ahead), dotted if nested
    reader: Callable[[Sequence[str]], Iterator[Row]]
    schema: bool = False  # True: `columns` is every row's columns (Parquet)
    rows_ahead: int = 0  # JSON Lines: non-blank lines read ahead
    objects_ahead: int = 0  # JSON Lines: of which JSON objects
    columns_complete: bool = True  # False: more distinct names than COLUMNS_KEPT
    read_ahead_all: bool = True  # JSON Lines: the look-ahead reached the end of the file
    total_rows: int | None = None
    total_bytes: int | None = None
    progress_bytes: Callable[[], int] | None = None
    closer: Callable[[], None] | None = None
    identity: os.stat_result | None = None  # the file read, if any (to refuse it as --out)

    def close(self) -> None:
        """Release the file (safe to call twice)."""
        if self.closer is not None:
            self.closer()

    def records(self, needed: Sequence[str]) -> Iterator[Row]:
        """The rows (JSON lines undecoded); Parquet reads only the columns holding `needed`."""
        return self.reader(needed)


def open_source(file: str | None) -> Source:
    """Open a JSONL or Parquet file (or the bundled sample, or stdin for ``-``)."""
    if file is None:
        sample = resources.files("ssrl_rewards").joinpath("data/sample.jsonl").open("rb")
        return jsonl_source(sample, "bundled sample", None)
    if file == "-":
        identity = None
        with contextlib.suppress(OSError, ValueError):  # stdin redirected from a file?
            identity = os.fstat(sys.stdin.buffer.fileno())
        source = jsonl_source(sys.stdin.buffer, "stdin", None, owned=False)
        source.identity = identity
        return source
    path = Path(file)
    if not path.exists():
        raise UserError(f"{file}: no such file")
    if path.is_dir():
        raise UserError(f"{file}: is a directory, expected a .jsonl or .parquet file")
    kind = sniff(path)
    if kind == "parquet":
        source = parquet_source(path)
    else:
        try:
            raw: IO[bytes] = path.open("rb")  # closed by the record reader
            handle: IO[bytes] = raw
            if kind == "jsonl.gz":
                handle = typing.cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb"))
        except OSError as exc:
            raise UserError(f"{file}: cannot open: {exc.strerror or exc}") from None
        source = jsonl_source(handle, str(path), path.stat().st_size, raw)
    with contextlib.suppress(OSError):
        source.identity = path.stat()
    return source


def sniff(path: Path) -> str:
    """'jsonl', 'jsonl.gz' or 'parquet', from the extension or else the first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise UserError(f"{path}: cannot open: {exc.strerror or exc}") from None
    if head.startswith(b"\x1f\x8b"):
        return "jsonl.gz"
    if head.startswith(b"PAR1"):
        return "parquet"
    first = head.lstrip()[:1]
    if first == b"[":
        raise UserError(
            f"{path}: holds one JSON array; write one JSON object per line (JSON Lines)"
        )
    if first in (b"{", b"") or suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UserError(f"{path}: unknown format; expected JSON Lines (.jsonl) or Parquet (.parquet)")


def jsonl_source(
    handle: IO[bytes],
    label: str,
    total_size: int | None,
    raw: IO[bytes] | None = None,
    *,
    owned: bool = True,
) -> Source:
    """Records of a JSON Lines stream; the keys of the first lines' objects name the columns.

    Up to `LOOKAHEAD_LINES` lines (`LOOKAHEAD_BYTES`) are read ahead and kept, so that a
    column named on the command line can be checked before scoring; rows are still
    searched one by one, since JSON Lines rows need not share their keys.
    """
    position = raw if raw is not None else handle
    lines = jsonl_lines(handle, label)
    head: list[Line] = []
    seen: dict[str, None] = {}  # ordered set of the column names seen ahead
    complete = whole = True
    objects = size = 0

    def close() -> None:
        lines.close()
        handle.close()
        position.close()

    done = False
    try:
        for line in lines:
            head.append(line)
            size += len(line[1])
            data = decode(*line).data
            if data is not None:
                objects += 1
                for path in object_paths(data):
                    if path not in seen:
                        if len(seen) >= COLUMNS_KEPT:
                            complete = False
                            break
                        seen[path] = None
            if len(head) >= LOOKAHEAD_LINES or size >= LOOKAHEAD_BYTES:
                whole = False
                break
        done = True
    finally:  # a read error or Ctrl-C ahead: nobody else will close the file
        if not done and owned:
            close()

    def tell() -> int:
        try:
            return position.tell()
        except (OSError, ValueError):
            return 0

    def reader(needed: Sequence[str]) -> Iterator[Row]:
        del needed  # a JSON line is parsed whole
        yield from head
        head.clear()  # the look-ahead is bounded, but need not stay for the whole run
        yield from lines

    return Source(
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


def object_paths(row: Mapping[str, Any], prefix: str = "", depth: int = 0) -> Iterator[str]:
    """Keys of a JSON object, then dotted paths into nested objects (three levels)."""
    for key in row:
        yield prefix + str(key)
    if depth >= 2:
        return
    for key, value in row.items():
        if isinstance(value, Mapping):
            yield from object_paths(value, f"{prefix}{key}.", depth + 1)


def jsonl_lines(handle: IO[bytes], label: str) -> Generator[Line, None, None]:
    """(line number, bytes) of each non-blank line, read one at a time."""
    number = 0
    try:
        with handle:
            for line in handle:
                number += 1
                if line.strip():
                    yield number, line
    except (OSError, EOFError) as exc:
        raise UserError(f"{label}: read error after line {number}: {exc}") from None


def decode(number: int, line: bytes) -> Record:
    """A JSON line as a record; an unreadable line becomes a record with an error."""
    try:
        data = json.loads(line)
    except UnicodeDecodeError:
        return Record(number, None, "not UTF-8 text")
    except RecursionError:
        return Record(number, None, "not readable: JSON nested too deeply")
    except ValueError as exc:
        return Record(number, None, f"not valid JSON ({first_line(exc)})")
    if not isinstance(data, dict):
        return Record(number, None, f"not a JSON object (a {json_type(data)})")
    return Record(number, data)


def as_record(row: Row) -> Record:
    """A row as a record, decoding a JSON line."""
    return row if isinstance(row, Record) else decode(*row)


def parquet_source(path: Path) -> Source:
    """Records of a Parquet file, read batch by batch with `ParquetFile.iter_batches`.

    Memory stays flat whatever the row-group size: column chunks are read through a
    bounded buffer (``buffer_size``) instead of whole, only the needed columns are read,
    and batches are decoded one at a time (``use_threads=False``).
    """
    try:
        import pyarrow as pa  # noqa: PLC0415 - lazy: an optional extra
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise UserError(
            f"{path}: reading Parquet needs pyarrow: pip install 'ssrl-rewards[parquet]'"
        ) from None
    try:
        # By default a whole column chunk (a row group's column, up to ~1M rows with
        # pyarrow's writer) is read into memory, and pre-buffering keeps the chunks read
        # so far: both grow with the file. A bounded read buffer keeps memory flat.
        parquet = pq.ParquetFile(str(path), pre_buffer=False, buffer_size=PARQUET_BUFFER_BYTES)
    except (OSError, pa.ArrowException) as exc:
        raise UserError(f"{path}: not a readable Parquet file ({first_line(exc)})") from None
    schema = parquet.schema_arrow
    tops = set(schema.names)

    def reader(needed: Sequence[str]) -> Iterator[Record]:
        columns = sorted({key if key in tops else key.split(".", 1)[0] for key in needed})
        number = 0
        try:
            batches = parquet.iter_batches(
                batch_size=PARQUET_BATCH_ROWS, columns=columns, use_threads=False
            )
            for batch in batches:
                for data in batch.to_pylist():
                    number += 1
                    yield Record(number, data)
        except (OSError, pa.ArrowException) as exc:
            raise UserError(f"{path}: read error after row {number}: {first_line(exc)}") from None

    return Source(
        str(path),
        "row",
        tuple(schema_paths(schema, pa.types.is_struct)),
        reader,
        schema=True,
        total_rows=parquet.metadata.num_rows,
        closer=parquet.close,
    )


def schema_paths(schema: Any, is_struct: Callable[[Any], bool]) -> Iterator[str]:
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

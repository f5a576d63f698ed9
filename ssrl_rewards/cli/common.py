"""What every part of the command line shares: exit codes, the two user-facing error
kinds, and the helpers that quote a value from a file without echoing megabytes of it."""

from __future__ import annotations

import json
from typing import Any

EXIT_OK = 0
EXIT_BAD_ROWS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    validate found bad rows; score met a malformed row under --strict,
       or could score no row at all
  2    usage or user-fixable error (missing file or column, unknown format,
       Parquet without pyarrow, invalid option value, --out naming the input,
       a command whose optional extra is not installed)
  130  interrupted (Ctrl-C)
  141  stdout closed early (e.g. piped into head)"""

SHOWN_CHARS = 200  # a value quoted in a message or report is cut to this length...
REASON_CHARS = 400  # ...and a whole reason (which quotes values already cut) to this one
MISSING: Any = object()  # a column a row does not have


class UserError(Exception):
    """A problem the user can fix: one line on stderr, exit code 2."""


class FatalRow(Exception):
    """A malformed row under --strict, or no row scored at all: one line on stderr, exit 1."""


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` cut to `limit` characters with an ellipsis and the original length, so that a
    2 MB value quoted in an error or a report stays a line long."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} chars)"


def shown(value: Any, limit: int = 80) -> str:
    """A value as the file writes it (JSON; a string quoted as elsewhere), cut if long."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value):,} chars)"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):  # circular, or nested past the recursion limit
        return f"a {json_type(value)} nested too deeply to show"
    return shorten(text, limit)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (or its type's name), shortened."""
    text = str(exc).strip()
    return shorten(text.splitlines()[0]) if text else type(exc).__name__


def json_type(value: object) -> str:
    """The JSON name of a value's type ('string', 'number', 'list', ...)."""
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def rows_text(n: int) -> str:
    """'1 row', '2,000 rows'."""
    return f"{n:,} row" if n == 1 else f"{n:,} rows"

"""The row contract: the one place that turns a trainer's or a file's row into what `score` takes.

Every entry point (the trainer adapters in `ssrl_rewards.integrations`, the HTTP server and
the CLI) reads rows through this module, so the same row gets the same reward everywhere:

- `completion_text`: the completion as text (a str, chat messages with reasoning fields,
  several assistant messages, a dict, a numpy object array from Parquet); a tool message is
  never the answer.
- `prompt_text`: the question text (a str, chat messages, a multi-turn prompt whose options
  sit in an earlier user turn); chat-template special tokens become line breaks.
- `ground_truth_of`: the ground truth from the named column, or from the default columns
  `GROUND_TRUTH_COLUMNS` (several present with different values: `AmbiguousGroundTruthError`).
- `decide_task_cell`: the task-cell decision table (docs/rows.md): a registered name, alias
  or ``…/name`` path gives that task, an empty cell means "infer", a near miss raises
  `TaskCellError` naming the likely task, any other name is a foreign task
  (`ForeignTaskError`; TRL skips the row, every other entry point reports it).
- `extract_response`: the reply inside an OpenRLHF query (the query minus its prompt).
- `read_row` (a file's or dataset's row), `request_row` (an OpenRLHF/server request) and
  `score_row`: the whole contract in one call.

Nothing here raises because of model output; bad rows raise a `RowError` subclass naming
the column, the row and the value.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from ssrl_rewards.config import RewardConfig
from ssrl_rewards.errors import (
    AmbiguousGroundTruthError,
    ForeignTaskError,
    GroundTruthError,
    RowError,
    TaskCellError,
    UnknownTaskError,
    _preview,
)
from ssrl_rewards.normalize import CHAT_TOKEN, CHAT_TOKEN_HINTS
from ssrl_rewards.prompts import cached_options
from ssrl_rewards.registry import canonical_task_name, get_task, task_names
from ssrl_rewards.result import RewardResult

__all__ = [
    "COMPLETION_COLUMNS",
    "GROUND_TRUTH_COLUMNS",
    "MISSING",
    "PROMPT_COLUMNS",
    "TASK_COLUMNS",
    "Row",
    "completion_text",
    "decide_task_cell",
    "extract_response",
    "ground_truth_of",
    "ground_truth_task",
    "is_missing",
    "likely_task",
    "log_foreign_tasks",
    "lookup",
    "options_prompt",
    "prompt_text",
    "read_row",
    "request_row",
    "row_task",
    "score_row",
    "strip_template",
    "task_from_data_source",
]

logger = logging.getLogger("ssrl_rewards")

COMPLETION_COLUMNS: tuple[str, ...] = (
    "completion",
    "response",
    "output",
    "prediction",
    "generated_text",
    "model_output",
)
"""Columns searched, in order, for the completion when none is named (files only)."""

GROUND_TRUTH_COLUMNS: tuple[str, ...] = (
    "ground_truth",
    "answer",
    "solution",
    "reward_model.ground_truth",
    "label",
)
"""Columns read for the ground truth when none is named. Several present in one row must
agree (a missing cell, None or NaN, does not count); different values raise
`AmbiguousGroundTruthError` naming both columns, the row and the values."""

TASK_COLUMNS: tuple[str, ...] = ("task", "extra_info.task")
"""Task cells, in order; then the ground truth's own ``task`` key, then ``data_source``."""

DATA_SOURCE_COLUMN = "data_source"

PROMPT_COLUMNS: tuple[str, ...] = (
    "prompt",
    "problem",
    "question",
    "query",
    "extra_info.prompt",
    "extra_info.question",
    "messages",
)
"""Columns searched, in order, for the prompt when none is named."""


class _Missing:
    """Marker for a column a row does not have (picklable singleton)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_REASONING_FIELDS: tuple[str, ...] = ("reasoning_content", "reasoning", "thinking")
_ASSISTANT_ROLES = frozenset({"assistant", "model"})
_MESSAGE_KEYS = frozenset({"role", "content", "text"})  # a mapping without any is no message
_SEQUENCE_LIKE = (list, tuple)

# --- cells -----------------------------------------------------------------------------------


def is_missing(value: object) -> bool:
    """A cell that holds nothing: absent, None, NaN (pandas' empty cell) or pandas.NA."""
    if value is None or value is MISSING:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ == "NAType"


def _plain(value: Any) -> Any:
    """Numpy arrays and scalars as Python lists and scalars (Parquet object columns)."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes, bytearray)):
        try:
            return value.tolist()
        except (TypeError, ValueError):  # an odd object with a tolist of its own
            return value
    return value


def lookup(row: Mapping[str, Any], key: str) -> Any:
    """The value at `key` in a row, reaching into nested objects for a dotted key
    (``reward_model.ground_truth``, ``extra_info.task``); `MISSING` when absent."""
    if key in row:
        return row[key]
    if "." not in key:
        return MISSING
    value: Any = row
    for part in key.split("."):
        value = _plain(value)
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


# --- completion --------------------------------------------------------------------------------


def completion_text(completion: object) -> object:
    """The text a completion stands for; anything that is no text is returned unchanged
    (`score` gives it reason ``not_a_string``).

    A str is itself. Chat messages (a list, a tuple or a numpy object array of dicts with
    a ``role``, ``content`` or ``text`` key, or one such dict) give the text of every
    assistant message (role ``assistant``, ``model`` or none), in order and joined by a
    line break: a hedge split over two turns stays visible. Tool, user and system messages
    are never the answer. A reasoning field (``reasoning_content``, ``reasoning``,
    ``thinking``) is put back inside ``<think>`` tags in front of its message's content
    unless the content has its own ``</think>``.
    """
    if type(completion) is str:
        return completion
    value = _plain(completion)
    if isinstance(value, Mapping):
        messages: Sequence[Any] = (value,)
    elif isinstance(value, _SEQUENCE_LIKE) and value:
        messages = value
    else:
        return completion
    texts: list[str] = []
    for item in messages:
        message = _plain(item)
        if not isinstance(message, Mapping) or not _MESSAGE_KEYS.intersection(message):
            return completion
        role = message.get("role")
        if role is not None and not (isinstance(role, str) and role in _ASSISTANT_ROLES):
            continue
        text = _message_text(message)
        if text is None:
            return completion
        texts.append(text)
    if not texts:
        return completion
    return texts[0] if len(texts) == 1 else "\n".join(texts)


def _message_text(message: Mapping[str, Any]) -> str | None:
    """One assistant message's text with its reasoning field; None if it holds no text."""
    content = message.get("content", message.get("text"))
    if content is None:
        content = ""
    content = _content_text(content, "")
    if content is None:
        return None
    for field in _REASONING_FIELDS:
        reasoning = message.get(field)
        if isinstance(reasoning, str) and reasoning and "</think>" not in content:
            return f"<think>{reasoning}</think>{content}"
    return content


def _content_text(content: Any, joiner: str) -> str | None:
    """Text of a message content: a str, or the text parts of a multimodal part list."""
    if isinstance(content, str):
        return content
    content = _plain(content)
    if isinstance(content, _SEQUENCE_LIKE):
        parts = [_plain(part) for part in content]
        texts = [
            part.get("text") if isinstance(part, Mapping) else part
            for part in parts
            if isinstance(part, (str, Mapping))
        ]
        return joiner.join(text for text in texts if isinstance(text, str))
    return None


# --- prompt ------------------------------------------------------------------------------------

# Chat-template special tokens: one definition, in normalize (the envelope reads it too).
_TEMPLATE_TOKEN = CHAT_TOKEN
_TEMPLATE_HINTS = CHAT_TOKEN_HINTS


def strip_template(prompt: str) -> str:
    """A templated prompt with its chat special tokens turned into line breaks, so the
    option list of a position question ends where the user's message ends."""
    return _TEMPLATE_TOKEN.sub("\n", prompt)


@functools.lru_cache(maxsize=8192)
def _clean_prompt(prompt: str) -> str:
    if any(hint in prompt for hint in _TEMPLATE_HINTS):
        return strip_template(prompt)
    return prompt


def prompt_text(prompt: object) -> str | None:
    """The question text of a prompt, or None.

    A str is itself (chat-template special tokens become line breaks). Chat messages (a
    list or numpy object array of dicts, or one dict) give the last user message's text;
    when that turn lists no lettered options and an earlier user turn does (a multi-turn
    prompt), every user turn's text, joined by blank lines. System and assistant messages
    count only when there is no user message.
    """
    if prompt is None:
        return None
    if type(prompt) is str:
        return _clean_prompt(prompt)
    value = _plain(prompt)
    if isinstance(value, str):
        return _clean_prompt(value)
    if isinstance(value, Mapping):
        text = _content_text(value.get("content"), " ")
        return _clean_prompt(text) if text is not None else None
    if not isinstance(value, _SEQUENCE_LIKE):
        return None
    messages = [m for m in map(_plain, value) if isinstance(m, Mapping)]
    chosen = [m for m in messages if m.get("role") == "user"] or messages
    texts = [t for t in (_content_text(m.get("content"), " ") for m in chosen) if t]
    if not texts:
        return None
    last = _clean_prompt(texts[-1])
    if len(texts) == 1 or cached_options(last) is not None:
        return last
    joined = _clean_prompt("\n\n".join(texts))
    return joined if cached_options(joined) is not None else last


def options_prompt(ground_truth: object) -> str | None:
    """A prompt listing the options a dict or JSON ground truth carries, or None.

    `score` appends it to the prompt's text, so these are the options read. EasyR1 passes
    no prompt, so a position row can bring its options along:
    ``{"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}}`` (or a
    list, lettered A, B, … in order). The result reads ``A. Left`` per line.
    """
    value = ground_truth
    if isinstance(value, str):
        if "options" not in value or not value.lstrip().startswith("{"):
            return None
        value = _json_object(value)
    if not isinstance(value, Mapping) or "options" not in value:
        return None
    options = _plain(value["options"])
    if isinstance(options, _SEQUENCE_LIKE):
        options = {chr(ord("A") + i): text for i, text in enumerate(options[:8])}
    if (
        not isinstance(options, Mapping)
        or len(options) < 2
        or not all(
            isinstance(k, str) and len(k) == 1 and "A" <= k.upper() <= "H" and isinstance(v, str)
            for k, v in options.items()
        )
    ):
        raise GroundTruthError(
            str(value.get("task") or "?"),
            value["options"],
            "must map option letters A-H to their texts (or list the texts in order)",
            field="ground_truth.options",
        )
    return "\n".join(f"{k.upper()}. {v.strip()}" for k, v in sorted(options.items()))


@functools.lru_cache(maxsize=4096)
def _json_object(text: str) -> Any:
    """A JSON object ground truth decoded (cached); None when it does not decode
    (`score` reports the bad JSON, naming the row)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


# --- response extraction -----------------------------------------------------------------------

# Chat-template markers after which the assistant's reply starts (whitespace between a
# special token and the role word is allowed: decoders differ), and tokens that end it.
_ASSISTANT_HEADER = re.compile(
    r"<\|im_start\|>\s*(?:assistant|model)"  # ChatML: Qwen, Qwen-VL, InternVL, Yi
    r"|<\|start_header_id\|>\s*assistant\s*<\|end_header_id\|>"  # Llama 3
    r"|<start_of_turn>\s*model"  # Gemma
    r"|<｜Assistant｜>|<\|Assistant\|>|<\|assistant\|>"  # DeepSeek, Phi-3, Zephyr, GLM
    r"|\[/INST\]"  # Llama 2, Mistral
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


def extract_response(query: str, prompt: object = None) -> str:
    """The model's reply inside an OpenRLHF query (prompt plus response, special tokens kept).

    The reply is the query minus its prompt. The prompt is found at the start of the query
    verbatim or after a decode round trip (whitespace and chat special tokens may differ);
    an assistant header right after it is skipped. Only when there is no prompt, or it
    cannot be found, does the reply start after the last assistant header of a known chat
    template (else it is the whole query): a fake header inside the reply then cannot hide
    an earlier answer. Trailing end-of-turn and end-of-text tokens are removed. Linear time.
    """
    start = -1
    if isinstance(prompt, str) and prompt.strip():
        start = _prompt_end(query, prompt)
        if start >= 0:
            header = _ASSISTANT_HEADER.match(query, start + _leading_space(query, start))
            if header is not None:
                start = header.end()
    if start < 0:
        for match in _ASSISTANT_HEADER.finditer(query):
            start = match.end()
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


def _leading_space(text: str, start: int) -> int:
    n = 0
    while start + n < len(text) and text[start + n].isspace():
        n += 1
    return n


def _prompt_end(query: str, prompt: str) -> int:
    """Where the prompt ends inside the query, or -1 if it is not there.

    A verbatim prefix is the fast path; otherwise both are compared with whitespace and
    chat special tokens removed (what a decode round trip changes, including image pad
    tokens repeated hundreds of times): the squeezed query must start with the squeezed
    prompt, whose end is mapped back to the query. The query is squeezed only as far as
    the prompt reaches.
    """
    if query.startswith(prompt):
        return len(prompt)
    squeezed_prompt, _ = _squeeze(prompt)
    if not squeezed_prompt:
        return -1
    squeezed_query, positions = _squeeze(query, len(squeezed_prompt))
    if squeezed_query != squeezed_prompt:
        return -1
    return positions[-1] + 1


def _squeeze(text: str, limit: int | None = None) -> tuple[str, list[int]]:
    """`text` without whitespace and template tokens (its first `limit` kept chars), and
    each kept char's index in `text`."""
    kept: list[str] = []
    positions: list[int] = []
    wanted = len(text) if limit is None else limit
    cursor = 0
    for match in _TEMPLATE_TOKEN.finditer(text):
        if _keep(text, cursor, match.start(), kept, positions, wanted):
            return "".join(kept), positions
        cursor = match.end()
    _keep(text, cursor, len(text), kept, positions, wanted)
    return "".join(kept), positions


def _keep(
    text: str, start: int, end: int, kept: list[str], positions: list[int], wanted: int
) -> bool:
    """Append the non-space chars of text[start:end]; True once `wanted` are kept."""
    for index in range(start, end):
        char = text[index]
        if not char.isspace():
            kept.append(char)
            positions.append(index)
            if len(kept) >= wanted:
                return True
    return False


# --- ground truth ------------------------------------------------------------------------------


def _same(first: object, second: object) -> bool:
    """Whether two ground-truth cells say the same thing (strings compared stripped)."""
    a, b = _plain(first), _plain(second)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def pick_ground_truth(found: Sequence[tuple[str, object]], row: object) -> tuple[str, object]:
    """The (column, value) among the default columns present in one row (non-empty
    `found`): the first, when every other agrees with it; else `AmbiguousGroundTruthError`."""
    column, value = found[0]
    for other, other_value in found[1:]:
        if not _same(value, other_value):
            raise AmbiguousGroundTruthError((column, other), (value, other_value), row)
    return column, value


def ground_truth_of(
    row: Mapping[str, Any], key: str | None = None, *, index: object = None
) -> tuple[str, object]:
    """(column, ground truth) of one row: the named column (dotted paths reach into
    nested objects), else the default columns `GROUND_TRUTH_COLUMNS`, which must agree.
    A row with none raises `RowError` naming the columns tried."""
    if key is not None:
        value = lookup(row, key)
        if value is MISSING:
            raise RowError(f"row {index}: no ground-truth column {key!r}", column=key, row=index)
        return key, value
    found = [
        (column, value)
        for column in GROUND_TRUTH_COLUMNS
        if not is_missing(value := lookup(row, column))
    ]
    if not found:
        raise RowError(
            f"row {index}: no ground truth (tried {', '.join(GROUND_TRUTH_COLUMNS)})",
            column=GROUND_TRUTH_COLUMNS[0],
            row=index,
        )
    return pick_ground_truth(found, index)


# --- task cells --------------------------------------------------------------------------------


def _squash(name: str) -> str:
    """A name with case, separators and punctuation removed: ``Shuffle-Task`` → ``shuffletask``."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@functools.lru_cache(maxsize=8)
def _known_keys(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(squashed name or alias, canonical name) for every registered task."""
    keys: dict[str, str] = {}
    for name in names:
        spec = get_task(name)
        for label in (spec.name, *spec.aliases):
            keys.setdefault(_squash(label), spec.name)
    return tuple(keys.items())


def _distance_at_most(a: str, b: str, limit: int) -> bool:
    """Whether the optimal-string-alignment distance (edits and adjacent swaps) is <= limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[len(b)] <= limit


def likely_task(value: str) -> str | None:
    """The registered task a name that is not one probably means, or None (a foreign task).

    A near miss is the same name up to case and punctuation (``Depth``, ``depth.``), a
    registered name or alias inside it (``Shuffle-task``, ``depth_v2``), or a small edit
    (one edit or swap for names of 5 to 7 letters, two from 8: ``shufle``, ``depht``).
    Names of 4 letters or fewer must match up to case and punctuation (``drop`` is not
    ``crop``).
    """
    return _likely_task(value[:200], task_names())


@functools.lru_cache(maxsize=4096)
def _likely_task(value: str, names: tuple[str, ...]) -> str | None:
    key = _squash(value)
    if not key:
        return None
    known = _known_keys(names)
    for label, name in known:
        if key == label:
            return name
    for label, name in sorted(known, key=lambda item: -len(item[0])):
        if len(label) >= 4 and label in key:
            return name
    for label, name in known:
        limit = 2 if len(label) >= 8 else 1 if len(label) >= 5 else 0
        if limit and _distance_at_most(key, label, limit):
            return name
    return None


class _Decision(NamedTuple):
    kind: str  # "task" | "near" | "foreign"
    name: str | None


@functools.lru_cache(maxsize=4096)
def _decide_name(value: str, names: tuple[str, ...]) -> _Decision:
    """The decision for a non-empty task-cell string (cached per registry state)."""
    found = canonical_task_name(value)
    if found is not None:
        return _Decision("task", found)
    parts = [p for p in value.replace("\\", "/").split("/") if p.strip()]
    if len(parts) > 1:
        for part in reversed(parts):
            found = canonical_task_name(part)
            if found is not None:
                return _Decision("task", found)
        for part in reversed(parts):
            near = _likely_task(part[:200], names)
            if near is not None:
                return _Decision("near", near)
        return _Decision("foreign", None)
    near = _likely_task(value[:200], names)
    return _Decision("near", near) if near is not None else _Decision("foreign", None)


def decide_task_cell(value: object, *, column: str = "task", row: object = None) -> str | None:
    """The task-cell decision table (docs/rows.md), the same for every entry point.

    - empty (None, NaN, blank, missing) → None: infer the task from the ground truth;
    - a registered name or alias, any case and separators, or a path whose part is one
      (``spatial_ssrl/shuffle``) → that task's canonical name;
    - a near miss of a registered name (see `likely_task`) → `TaskCellError` naming the
      column, the row, the value and the likely task;
    - any other string → `ForeignTaskError` (another reward function's row: the TRL
      callable returns None for it, every other entry point reports it);
    - a value that is not a string → `TaskCellError`.
    A task cell that names something is never inferred past.
    """
    if type(value) is str:
        found = canonical_task_name(value)  # the common cell: one or two dict lookups
        if found is not None:
            return found
    elif is_missing(value):
        return None
    else:
        value = _plain(value)
        if not isinstance(value, str):
            raise TaskCellError(
                f"column {column!r} row {row}: task={_preview(value)} is not a task name "
                f"(known tasks: {', '.join(task_names())})",
                column=column,
                row=row,
                value=value,
            )
    if not value.strip():
        return None
    decision = _decide_name(value, task_names())
    if decision.kind == "task":
        return decision.name
    if decision.kind == "near":
        raise TaskCellError(
            f"column {column!r} row {row}: task={_preview(value)} is not a registered task; "
            f"did you mean {decision.name!r}? (known tasks: {', '.join(task_names())})",
            column=column,
            row=row,
            value=value,
            suggestion=decision.name,
        )
    raise ForeignTaskError(
        f"column {column!r} row {row}: task={_preview(value)} is not a Spatial-SSRL task "
        f"(known tasks: {', '.join(task_names())}); score only this library's rows here, "
        "or route other rows to their own reward function",
        column=column,
        row=row,
        value=value,
    )


@functools.lru_cache(maxsize=1024)
def _source_task(source: str) -> str | None:
    found = canonical_task_name(source)
    if found is not None:
        return found
    for part in reversed(source.replace("\\", "/").split("/")):
        found = canonical_task_name(part)
        if found is not None:
            return found
    return None


def task_from_data_source(source: object) -> str | None:
    """The task a data source names (``depth``, ``spatial_ssrl/shuffle``), else None.

    A data source is a dataset's name, not a task cell: one that names no task (``gsm8k``,
    ``my_set``) leaves the task to inference and is never an error.
    """
    return _source_task(source) if isinstance(source, str) else None


def ground_truth_task(
    ground_truth: object, *, column: str = "ground_truth", row: object = None
) -> str | None:
    """The task a dict or JSON ground truth names in its ``task`` key, decided by the
    task-cell table (None when it names none)."""
    value = _plain(ground_truth)
    if isinstance(value, str):
        if not value.lstrip().startswith("{"):
            return None
        value = _json_object(value.strip())
    if not isinstance(value, Mapping):
        return None
    cell = value.get("task")
    if not isinstance(cell, str):
        return None  # none, or not a name: `score` reports the ground truth (GroundTruthError)
    return decide_task_cell(cell, column=f"{column}.task", row=row)


def row_task(
    row: Mapping[str, Any],
    *,
    ground_truth: object = MISSING,
    ground_truth_column: str = "ground_truth",
    task_key: str | None = "task",
    task: str | None = None,
    index: object = None,
) -> str | None:
    """The task of one row: the forced `task`, else the first task cell present (the
    `task_key` column, then ``extra_info.task``), else the ground truth's own ``task``,
    else a data source that names a task, else None (infer). `task_key=None` reads no
    task cells or data source. Each cell goes through `decide_task_cell`."""
    if task is not None:
        return task
    if task_key is not None:
        for column in (
            (task_key, "extra_info.task") if task_key != "extra_info.task" else (task_key,)
        ):
            value = lookup(row, column)
            if not is_missing(value) and not (isinstance(value, str) and not value.strip()):
                return decide_task_cell(value, column=column, row=index)
    if ground_truth is not MISSING:
        named = ground_truth_task(ground_truth, column=ground_truth_column, row=index)
        if named is not None:
            return named
    if task_key is not None:
        return task_from_data_source(lookup(row, DATA_SOURCE_COLUMN))
    return None


# --- foreign rows (TRL) ------------------------------------------------------------------------

_FOREIGN_SEEN: set[str] = set()
_FOREIGN_LOCK = threading.Lock()


def log_foreign_tasks(counts: Counter[str]) -> None:
    """Log each foreign task name once per process, with how many rows of this batch had it."""
    with _FOREIGN_LOCK:
        fresh = [name for name in counts if name not in _FOREIGN_SEEN]
        _FOREIGN_SEEN.update(fresh)
    for name in fresh:
        logger.info(
            "ssrl_rewards: %d row(s) with task %s are not Spatial-SSRL tasks; their reward "
            "is None (another reward function scores them). Logged once per task name.",
            counts[name],
            _preview(name),
        )


# --- whole rows --------------------------------------------------------------------------------


class Row(NamedTuple):
    """One row ready for `score`: completion (text, or the raw value if it holds none),
    ground truth, canonical task or None (infer), prompt text or None, the column the
    ground truth came from and the row's number or index (for error messages)."""

    completion: object
    ground_truth: object
    task: str | None
    prompt: str | None
    ground_truth_column: str = "ground_truth"
    number: object = None


def _first_present(
    row: Mapping[str, Any], key: str | None, defaults: Sequence[str]
) -> tuple[str | None, Any]:
    if key is not None:
        return key, lookup(row, key)
    for column in defaults:
        value = lookup(row, column)
        if value is not MISSING:
            return column, value
    return None, MISSING


def read_row(
    row: Mapping[str, Any],
    *,
    index: object = None,
    completion_key: str | None = None,
    ground_truth_key: str | None = None,
    task_key: str | None = "task",
    prompt_key: str | None = None,
    task: str | None = None,
    need_completion: bool = True,
) -> Row:
    """A dataset's or a file's row (a mapping of columns, nested or not) as a `Row`.

    Columns not named are searched in `COMPLETION_COLUMNS`, `GROUND_TRUTH_COLUMNS` and
    `PROMPT_COLUMNS`; the task follows `row_task` (a dict/JSON ground truth's ``options``
    are read by `score`, after the prompt's text). Raises a `RowError` subclass for a row that
    cannot be scored (no completion or ground truth, ambiguous ground truth, a near-miss
    or foreign task cell), naming the column, the row and the value.
    """
    completion: object = None
    if need_completion:
        column, raw = _first_present(row, completion_key, COMPLETION_COLUMNS)
        if raw is MISSING:
            tried = completion_key or ", ".join(COMPLETION_COLUMNS)
            raise RowError(f"row {index}: no completion (tried {tried})", column=column, row=index)
        completion = completion_text(raw)
    truth_column, truth = ground_truth_of(row, ground_truth_key, index=index)
    name = row_task(
        row,
        ground_truth=truth,
        ground_truth_column=truth_column,
        task_key=task_key,
        task=task,
        index=index,
    )
    _, raw_prompt = _first_present(row, prompt_key, PROMPT_COLUMNS)
    prompt = prompt_text(raw_prompt) if raw_prompt is not MISSING else None
    return Row(completion, truth, name, prompt, truth_column, index)


def request_row(
    query: object, prompt: object, label: object, *, index: object = None, task: str | None = None
) -> Row:
    """One OpenRLHF sample or HTTP-server request item as a `Row`: the response is the
    query minus its prompt (`extract_response`), the label the ground truth (a dict/JSON
    label may name the task and carry the options)."""
    response = extract_response(query, prompt) if isinstance(query, str) else query
    if task is None:
        task = ground_truth_task(label, column="label", row=index)
    question = prompt_text(prompt) if prompt is not None else None
    return Row(response, label, task, question, "label", index)


def score_row(
    row: Row, config: RewardConfig | None = None, *, where: str | Callable[[], str] | None = None
) -> RewardResult:
    """`score` for a `Row`; a ground-truth or task error is re-raised naming `where` (a
    string, or a function giving it, called only on error; by default the row's
    ground-truth column and number). `RowError`s pass through as they are."""
    score = _score_function()
    try:
        return score(row.completion, row.ground_truth, row.task, prompt=row.prompt, config=config)
    except RowError:
        raise
    except GroundTruthError as exc:
        raise GroundTruthError(exc.task, exc.value, exc.why, field=_where(row, where)) from None
    except UnknownTaskError as exc:
        raise UnknownTaskError(f"{_where(row, where)}: {exc}") from None


@functools.lru_cache(maxsize=1)
def _score_function() -> Callable[..., RewardResult]:
    from ssrl_rewards.reward import score  # noqa: PLC0415 - reward imports this module

    return score


def _where(row: Row, where: str | Callable[[], str] | None) -> str:
    if where is None:
        return f"column {row.ground_truth_column!r} row {row.number}"
    return where if isinstance(where, str) else where()

"""``ssrl-rewards validate``: check every ground truth of a training file (and the task
cell and the prompt's options where present) before a run."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from typing import Any

from ssrl_rewards.cli.columns import Item, forced_task, item, keys_for
from ssrl_rewards.cli.common import (
    EXIT_BAD_ROWS,
    EXIT_CODES_HELP,
    EXIT_OK,
    REASON_CHARS,
    UserError,
    rows_text,
    shorten,
    shown,
)
from ssrl_rewards.cli.flags import add_column_flags
from ssrl_rewards.cli.progress import Progress
from ssrl_rewards.cli.report import describe_row, table, task_order
from ssrl_rewards.cli.scoring import truth_problem
from ssrl_rewards.cli.sources import Source, as_record, open_source
from ssrl_rewards.errors import SSRLRewardsError
from ssrl_rewards.prompts import parse_options
from ssrl_rewards.reward import parse_ground_truth

HELP = "check every ground truth (and task, prompt options) of a training file"
DESCRIPTION = (
    "Check every ground truth of a training file (and the task column and the prompt's "
    "options where present). Prints each bad row with its number, column and reason, then "
    "per-task counts; exits 1 if any row is bad."
)
EPILOG = EXIT_CODES_HELP
BAD_ROWS_IN_JSON = 1000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``validate``."""
    parser.add_argument("file", metavar="FILE", help=".jsonl, .jsonl.gz, .parquet, or - for stdin")
    parser.add_argument(
        "--mode",
        choices=("default", "paper"),
        default="default",
        help="paper: also require the exact ground-truth string the paper's reward compares",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    add_column_flags(parser, completion=False)


def run(args: argparse.Namespace) -> int:
    """Validate the file; exit 1 if any row is bad."""
    forced = forced_task(args)
    source = open_source(args.file)
    try:
        return validate_source(args, source, forced)
    finally:
        source.close()


def validate_source(args: argparse.Namespace, source: Source, forced: str | None) -> int:
    """Check every row of an open source and print the bad ones and the counts."""
    keys = keys_for(args, source, need_completion=False)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    bad_rows: list[dict[str, Any]] = []
    n_bad = n_rows = 0
    paper = args.mode == "paper"
    progress = Progress(
        sys.stderr,
        enabled=not args.quiet and sys.stderr.isatty(),
        total_rows=source.total_rows,
        total_bytes=source.total_bytes,
        bytes_read=source.progress_bytes,
    )
    for row in source.records(keys.needed()):
        n_rows += 1
        if n_rows % 256 == 0:
            progress.update(256)
        got = item(as_record(row), keys, forced, need_completion=False)
        task, problem, column, note = check_row(got, paper)
        counts[task]["rows"] += 1
        if note is not None:
            counts[task]["not_canonical"] += 1
        if problem is None:
            continue
        n_bad += 1
        counts[task]["bad"] += 1
        bad = {
            "row": got.number,
            "task": task,
            "column": column,
            "reason": shorten(problem, REASON_CHARS),
        }
        if args.json:
            if len(bad_rows) < BAD_ROWS_IN_JSON:
                bad_rows.append(bad)
        else:
            progress.close()
            print(describe_row(bad, source.unit))
    progress.close()
    if n_rows == 0:
        raise UserError(f"{source.label}: no rows to read")
    summary = {
        name: {
            "rows": counts[name]["rows"],
            "bad": counts[name]["bad"],
            "not_canonical": counts[name]["not_canonical"],
        }
        for name in task_order(counts)
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
        cells = [["task", "rows", "bad", "not canonical"]]
        for name, entry in summary.items():
            cells.append([name, str(entry["rows"]), str(entry["bad"]), str(entry["not_canonical"])])
        cells.append(
            ["all", str(n_rows), str(n_bad), str(sum(e["not_canonical"] for e in summary.values()))]
        )
        print(f"ssrl-rewards validate: {source.label}, {rows_text(n_rows)}")
        print("\n".join(table(cells)))
        verdict = f"{rows_text(n_bad)} bad" if n_bad else "all rows valid"
        print(verdict)
        if any(e["not_canonical"] for e in summary.values()) and not paper:
            print(
                "note: 'not canonical' ground truths score normally here, but the paper's "
                "reward compares strings exactly (check with --mode paper)"
            )
    return EXIT_BAD_ROWS if n_bad else EXIT_OK


def check_row(row: Item, paper: bool) -> tuple[str, str | None, str | None, str | None]:
    """(task, problem or None, column of the problem, non-canonical note or None)."""
    if row.error is not None:
        return row.task or "?", row.error, row.column, None
    try:
        spec, truth = parse_ground_truth(row.ground_truth, row.task, prompt=row.prompt)
    except SSRLRewardsError as exc:
        return row.task or "?", truth_problem(exc, row.ground_truth), row.truth_key, None
    except RecursionError:  # a ground truth nested past what its parser can read
        problem = f"ground truth {shown(row.ground_truth)} is nested too deeply to read"
        return row.task or "?", problem, row.truth_key, None
    letter = getattr(truth, "letter", None)
    if spec.uses_prompt and letter is not None and row.prompt is not None:
        options = parse_options(row.prompt)
        if options is None and spec.name == "position":
            return spec.name, "lists no lettered options (A. ... B. ...)", row.prompt_key, None
        if options is not None and letter not in options:
            listed = ", ".join(options)
            return (
                spec.name,
                f"the ground truth {letter!r} is not among the prompt's options {listed}",
                row.prompt_key,
                None,
            )
    note = None
    canonical = str(truth)
    raw = row.ground_truth
    if not (isinstance(raw, str) and raw == canonical):
        note = f"{shown(raw)} is not the canonical string {canonical!r}"
        if paper:
            return (
                spec.name,
                f"{note}: the paper's reward compares strings exactly",
                row.truth_key,
                note,
            )
    return spec.name, None, None, note

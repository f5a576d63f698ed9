"""``ssrl-rewards score``: a per-task report on a JSONL or Parquet file of rollouts (or on
the bundled sample), optionally with one JSON result per row (``--out``)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import IO

from ssrl_rewards.cli.columns import forced_task, keys_for
from ssrl_rewards.cli.common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    FatalRow,
    UserError,
    rows_text,
)
from ssrl_rewards.cli.flags import add_column_flags, add_config_flags, config_from, positive_int
from ssrl_rewards.cli.output import opened_out, refuse_input
from ssrl_rewards.cli.progress import Progress
from ssrl_rewards.cli.report import MALFORMED_SHOWN, Report, describe_row
from ssrl_rewards.cli.scoring import CHUNK_ROWS, Job, chunks, scored
from ssrl_rewards.cli.sources import Source, open_source
from ssrl_rewards.config import RewardConfig, make_config

HELP = "score a JSONL or Parquet file of rollouts (default: the bundled sample)"
DESCRIPTION = (
    "Score every row of a JSONL or Parquet file and print a per-task report: rows, mean "
    "score, accuracy, format rate and the reasons behind the verdicts. With no FILE, scores "
    "the bundled sample of synthetic rollouts."
)
EPILOG = EXIT_CODES_HELP


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``score``."""
    parser.add_argument(
        "file", nargs="?", metavar="FILE", help=".jsonl, .jsonl.gz, .parquet, or - for stdin"
    )
    parser.add_argument(
        "--out",
        metavar="PATH",
        help="write one JSON result per row here (- for stdout; the report then goes to "
        "stderr); never the input file; replaced only when the command succeeds",
    )
    parser.add_argument(
        "--compare-paper",
        action="store_true",
        help="also score with the paper's reward; report per task how often and why they differ",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="score in N processes (default 1)",
    )
    parser.add_argument("--strict", action="store_true", help="a malformed row is fatal (exit 1)")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no progress or diagnostics on stderr"
    )
    add_column_flags(parser, completion=True)
    add_config_flags(parser)


def run(args: argparse.Namespace) -> int:
    """Score the file and print the report; see `EXIT_CODES_HELP` for the exit codes."""
    config = config_from(args)
    if args.compare_paper and config.mode == "paper":
        raise UserError(
            "--compare-paper compares the default reward with the paper's; drop --mode paper"
        )
    paper = make_config(config, mode="paper") if args.compare_paper else None
    forced = forced_task(args)
    source = open_source(args.file)
    try:
        refuse_input(args.out, source)
        return score_source(args, source, config, paper, forced)
    finally:
        source.close()


def score_source(
    args: argparse.Namespace,
    source: Source,
    config: RewardConfig,
    paper: RewardConfig | None,
    forced: str | None,
) -> int:
    """Score an open source: stream its rows through the workers, merge, report."""
    keys = keys_for(args, source, need_completion=True)
    report = Report(source.label, source.unit, config, paper is not None)
    progress = Progress(
        sys.stderr,
        enabled=not args.quiet and sys.stderr.isatty(),
        total_rows=source.total_rows,
        total_bytes=source.total_bytes,
        bytes_read=source.progress_bytes,
    )
    report_stream: IO[str] = sys.stderr if args.out == "-" else sys.stdout
    with opened_out(args.out) as out:
        rows = source.records(keys.needed())
        job = Job(keys, forced, config, paper, write_out=out is not None)
        shown = 0
        for chunk in scored(chunks(rows, CHUNK_ROWS), args.workers, job):
            for outcome in chunk.malformed:
                where = describe_row(
                    {"row": outcome.number, "column": outcome.column, "reason": outcome.error},
                    source.unit,
                )
                if args.strict:
                    progress.close()
                    raise FatalRow(f"{source.label}: {where} (--strict)")
                if not args.quiet and shown < MALFORMED_SHOWN:
                    progress.close()
                    print(f"ssrl-rewards: {source.label}: {where}; skipped", file=sys.stderr)
                    shown += 1
            report.add(chunk)
            if out is not None and chunk.lines is not None:
                out.writelines(chunk.lines)
            progress.update(chunk.rows)
        progress.close()
        if progress.rows == 0:
            raise UserError(f"{source.label}: no rows to read")
        if report.total.rows and out is not None:
            out.commit()
    elapsed = time.monotonic() - progress.start
    if not args.quiet:
        print(f"ssrl-rewards: {summary(report, progress.rows, elapsed)}", file=sys.stderr)
    if args.json:
        report_stream.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        report_stream.write(report.text())
    if report.total.rows == 0:
        first = report.malformed_rows[0] if report.malformed_rows else None
        why = f" (first: {describe_row(first, source.unit)})" if first else ""
        kept = "; --out not written" if args.out not in (None, "-") else ""
        raise FatalRow(
            f"{source.label}: no row could be scored: all {rows_text(report.malformed)} "
            f"are malformed{why}{kept}"
        )
    return EXIT_OK


def summary(report: Report, rows: int, elapsed: float) -> str:
    """The closing diagnostic: rows scored and skipped, time and rows read per second."""
    rate = rows / elapsed if elapsed > 0 else 0.0
    done = f"scored {rows_text(report.total.rows)}"
    if report.malformed:
        done += f" and skipped {report.malformed:,} malformed"
    return f"{done} in {elapsed:.2f} s ({rate:,.0f} rows/s)"

"""``ssrl-rewards score``: a per-task report on a JSONL or Parquet file of rollouts (or on
the bundled sample), optionally with one JSON result per row (``--out``)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

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
    parser.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: this machine's processes (default); ray: a Ray cluster (Ray Data reads "
        "the file, --workers scorer actors score it, --out names a new Parquet directory)",
    )
    parser.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="with --engine ray: the cluster to join (default: a running one, else a local one)",
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
    if args.engine == "ray":
        return score_with_ray(args, config, forced)
    if args.ray_address is not None:
        raise UserError("--ray-address needs --engine ray")
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


def score_with_ray(args: argparse.Namespace, config: RewardConfig, forced: str | None) -> int:
    """``--engine ray``: `ssrl_rewards.batch.score_file_with_ray` on the file, the column
    flags as its keyword arguments, its totals printed by the local engine's printer.
    Without ``--out`` the scored rows go to a temporary directory, removed afterwards."""
    if args.file in (None, "-"):
        raise UserError("--engine ray needs a FILE (.parquet file or directory, or .jsonl)")
    if args.compare_paper:
        raise UserError("--compare-paper is not available with --engine ray")
    if args.out == "-":
        raise UserError("--engine ray writes Parquet: --out names a new directory, not -")
    for flag, value in (
        ("--completion-key", args.completion_key),
        ("--ground-truth-key", args.ground_truth_key),
        ("--prompt-key", args.prompt_key),
    ):
        if value == "":
            raise UserError(f"{flag} must name a column with --engine ray")
    try:
        import ray  # noqa: F401, PLC0415 - the optional engine
    except ImportError:
        raise UserError("--engine ray needs Ray: pip install 'ray[data]'") from None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ssrl-rewards-ray-") as scratch:
        out = args.out if args.out is not None else str(Path(scratch) / "scored")
        # Ray prints its own notices (raylet warnings, worker logs) on the driver's standard
        # output; during the run they go to standard error, so `--json` output stays JSON.
        with contextlib.redirect_stdout(sys.stderr):
            data = _run_ray(args, out, config, forced)
    report = Report.from_dict(dict(data, source=str(Path(args.file))), config, "row")
    rows = report.total.rows + report.malformed
    if rows == 0:
        raise UserError(f"{args.file}: no rows to read")
    if args.strict and report.malformed:
        raise FatalRow(f"{args.file}: {rows_text(report.malformed)} malformed (--strict)")
    if not args.quiet:
        elapsed = time.monotonic() - started
        print(f"ssrl-rewards: {summary(report, rows, elapsed)} on Ray", file=sys.stderr)
        if args.out is not None:
            print(f"ssrl-rewards: scored rows written to {args.out} (Parquet)", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.text())
    if report.total.rows == 0:
        raise FatalRow(
            f"{args.file}: no row could be scored: all {rows_text(report.malformed)} are malformed"
        )
    return EXIT_OK


def summary(report: Report, rows: int, elapsed: float) -> str:
    """The closing diagnostic: rows scored and skipped, time and rows read per second."""
    rate = rows / elapsed if elapsed > 0 else 0.0
    done = f"scored {rows_text(report.total.rows)}"
    if report.malformed:
        done += f" and skipped {report.malformed:,} malformed"
    return f"{done} in {elapsed:.2f} s ({rate:,.0f} rows/s)"


def _run_ray(
    args: argparse.Namespace, out: str, config: RewardConfig, forced: str | None
) -> dict[str, Any]:
    """`score_file_with_ray` with the command's flags as its keyword arguments."""
    from ssrl_rewards.batch import score_file_with_ray  # noqa: PLC0415 - lazy: pyarrow, ray

    return score_file_with_ray(
        args.file,
        out,
        config,
        completion_key=args.completion_key,
        ground_truth_key=args.ground_truth_key,
        prompt_key=args.prompt_key,
        task_key=None if args.task_key == "" else (args.task_key or "task"),
        task=forced,
        concurrency=args.workers,
        address=args.ray_address,
    )

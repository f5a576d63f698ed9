"""``ssrl-rewards generate``: build a pretext-task data set from images (or the embedded
procedural scenes) in the layout a trainer reads.

The CLI package registers this module as a subcommand (`add_arguments` and `run`);
``python -m ssrl_rewards.generate`` runs it alone. Exit codes: 0 rows written, 1 nothing
written or a row failed its verification (a bug to report), 2 bad arguments or existing
output.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from ssrl_rewards.generate.dataset import (
    FORMATS,
    IMAGE_SUFFIXES,
    build,
    default_sources,
    find_sources,
    parse_mix,
)
from ssrl_rewards.generate.errors import GenerateError, VerificationError
from ssrl_rewards.generate.sample import DEPTH_TASKS, GENERATED_TASKS, PAPER_TASKS

__all__ = ["DEFAULT_ROWS", "add_arguments", "main", "run"]

DEFAULT_ROWS = 50  # rows from the embedded scenes when no IMAGES are given


def _tasks(values: list[str] | None) -> list[str] | None:
    """``--tasks a b`` and ``--tasks a,b`` alike."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generate command's arguments."""
    parser.description = (
        "Generate Spatial-SSRL pretext-task rows (shuffle, flip, crop, depth, position; and "
        "rotation on request) from images; every row is verified through the scorer as it "
        "is written."
    )
    parser.add_argument(
        "images",
        nargs="*",
        metavar="IMAGES",
        help="image files or directories (searched recursively); none: the embedded "
        "procedural RGB-D scenes",
    )
    parser.add_argument(
        "--depth",
        metavar="DIR",
        help="directory of depth maps named like the images (x.npy, x_depth.npy with a DIODE "
        "mask, 16-bit x.png in mm, MegaDepth x.h5); x_depth.* beside an image is always found",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="new output directory")
    parser.add_argument("--format", required=True, choices=FORMATS, help="trainer layout")
    parser.add_argument(
        "--tasks",
        nargs="+",
        metavar="TASK",
        help="tasks to generate, names or aliases, space or comma separated, of "
        f"{','.join(GENERATED_TASKS)} (default: the paper's {','.join(PAPER_TASKS)}); give "
        "IMAGES before it",
    )
    parser.add_argument(
        "--mix",
        default="paper",
        help="task weights: paper (the paper's counts; a task beyond the paper's five weighs "
        "their mean), uniform, or task=weight,... (default: paper)",
    )
    parser.add_argument(
        "--n",
        type=int,
        metavar="N",
        help=f"rows to write (default: one per image; {DEFAULT_ROWS} from the embedded scenes)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the whole data set")
    parser.add_argument(
        "--workers", type=int, default=1, help="processes (the rows do not depend on it)"
    )
    parser.add_argument(
        "--preview", metavar="FILE.png", help="also draw a contact sheet of a few rows per task"
    )


def run(args: argparse.Namespace) -> int:
    """Build the data set; print a summary. Returns the exit code."""
    try:
        mix = parse_mix(args.mix, _tasks(args.tasks))
        if args.format != "jsonl" and importlib.util.find_spec("pyarrow") is None:
            raise GenerateError(
                f"--format {args.format} writes Parquet, which needs pyarrow: "
                "pip install 'ssrl-rewards[generate]' (or use --format jsonl)"
            )
        if args.images:
            sources = find_sources(args.images, args.depth)
            if not sources:
                raise GenerateError(f"no images ({', '.join(IMAGE_SUFFIXES)}) found in IMAGES")
            if not any(s.depth for s in sources) and all(t in DEPTH_TASKS for t in mix):
                raise GenerateError(
                    f"{', '.join(mix)} need depth maps and none was found (see --depth)"
                )
        else:
            sources = default_sources()
        n = args.n if args.n is not None else (len(sources) if args.images else DEFAULT_ROWS)
        if args.seed < 0:
            raise GenerateError(f"--seed {args.seed} must be >= 0")
        if args.workers < 1:
            raise GenerateError(f"--workers {args.workers} must be at least 1")
        report = build(
            sources,
            args.out,
            args.format,
            mix=mix,
            n=n,
            seed=args.seed,
            workers=args.workers,
            preview=args.preview,
            progress=sys.stderr,
        )
    except VerificationError as exc:
        print(f"ssrl-rewards generate: internal error (please report): {exc}", file=sys.stderr)
        return 1
    except GenerateError as exc:
        print(f"ssrl-rewards generate: error: {exc}", file=sys.stderr)
        return 2
    per_task = ", ".join(f"{task} {count}" for task, count in sorted(report.written.items()))
    skipped = sum(report.skipped.values())
    for reason, count in report.skipped.most_common(5):
        print(f"skipped {count}: {reason}", file=sys.stderr)
    if report.rows == 0:
        print(
            f"ssrl-rewards generate: nothing written: all {report.attempts} attempts were skipped",
            file=sys.stderr,
        )
        return 1
    print(
        f"wrote {report.rows} rows ({per_task}) to {report.output} in {report.seconds:.1f} s; "
        f"{skipped} attempts skipped"
    )
    if report.rows < n:
        print(
            f"ssrl-rewards generate: only {report.rows} of {n} rows could be made", file=sys.stderr
        )
    if report.preview is not None:
        print(f"contact sheet: {report.preview}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m ssrl_rewards.generate``."""
    parser = argparse.ArgumentParser(prog="ssrl-rewards generate")
    add_arguments(parser)
    return run(parser.parse_args(argv))

"""``ssrl-rewards audit MODULE:ATTR``: the audit as a command (registered by the CLI package).

Prints a scorecard (per family: cases, violations, one minimal example) or, with ``--json``,
one JSON object whose ``families`` maps each family to ``cases`` and ``violations``. Exit 0
when the reward is sound, 1 when an attack is paid or the reward raised, 2 for a usage
error (one line naming it).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

from ssrl_rewards.errors import SSRLRewardsError
from ssrl_rewards.testing.audit import DEFAULT_EXAMPLES, SIGNATURES, audit

__all__ = ["add_arguments", "load_target", "main", "run"]


class UsageError(Exception):
    """A bad command line (exit 2, one line)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``audit`` command's arguments."""
    parser.add_argument(
        "target",
        metavar="MODULE:ATTR",
        help="the reward to audit: a dotted module or a .py path, a colon, an attribute",
    )
    parser.add_argument(
        "--signature",
        default="plain",
        help="calling convention: plain (completion, ground_truth, prompt=), trl, verl",
    )
    parser.add_argument("--tasks", nargs="+", help="tasks to audit (default: every task)")
    parser.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help=f"attempts per family and task (default {DEFAULT_EXAMPLES})",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--no-slow", action="store_true", help="skip the timing family")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def load_target(target: str) -> Any:
    """The object ``MODULE:ATTR`` names (MODULE dotted or a ``.py`` path); `UsageError`
    with one line when it cannot be loaded."""
    module_name, colon, attr = target.rpartition(":")
    if not colon or not module_name or not attr:
        raise UsageError(f"target {target!r} is not MODULE:ATTR (e.g. mylab.rewards:reward)")
    if module_name.endswith(".py"):
        path = Path(module_name)
        if not path.is_file():
            raise UsageError(f"target {target!r}: no file {module_name}")
        spec = importlib.util.spec_from_file_location(f"_audited_{path.stem}", path)
        if spec is None or spec.loader is None:
            raise UsageError(f"target {target!r}: cannot load {module_name}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise UsageError(f"target {target!r}: importing it raised {exc!r}") from exc
    else:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            raise UsageError(f"target {target!r}: cannot import {module_name}: {exc}") from exc
    value: Any = module
    for part in attr.split("."):
        if not hasattr(value, part):
            raise UsageError(f"target {target!r}: {module_name} has no attribute {attr!r}")
        value = getattr(value, part)
    if not callable(value):
        raise UsageError(f"target {target!r} is not callable")
    return value


def run(args: argparse.Namespace) -> int:
    """Run the audit the parsed arguments describe; the exit status."""
    try:
        if args.signature not in SIGNATURES:
            raise UsageError(
                f"--signature {args.signature!r} is not one of {', '.join(SIGNATURES)}"
            )
        if args.examples < 1:
            raise UsageError(f"--examples {args.examples} must be at least 1")
        reward = load_target(args.target)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def progress(line: str) -> None:
        if time.perf_counter() - started > 2.0:
            print(line, file=sys.stderr, flush=True)

    try:
        report = audit(
            reward,
            signature=args.signature,
            tasks=args.tasks,
            examples=args.examples,
            seed=args.seed,
            slow=not args.no_slow,
            name=args.target,
            progress=progress,
        )
    except SSRLRewardsError as exc:  # unknown task, task without renderers
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        report.to_json() if args.json else report.to_markdown(), end="" if not args.json else "\n"
    )
    if not args.json:
        print(report.summary(), file=sys.stderr)
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m ssrl_rewards.testing MODULE:ATTR ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m ssrl_rewards.testing",
        description="Audit a reward function for reward hacking.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))

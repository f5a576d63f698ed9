"""``ssrl-rewards hooks``: the lines that plug the reward into a trainer."""

from __future__ import annotations

import argparse
import sys

from ssrl_rewards.cli.common import EXIT_OK, UserError

HELP = "print the lines that plug the reward into a trainer"
DESCRIPTION = "Print the configuration lines for a trainer (trl, verl, easyr1, openrlhf)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``hooks``."""
    parser.add_argument(
        "framework", nargs="?", default="all", help="trl, verl, easyr1, openrlhf or all"
    )


def run(args: argparse.Namespace) -> int:
    """Print the hooks text of one trainer (or all)."""
    try:
        from ssrl_rewards.hooks import hooks_text  # noqa: PLC0415 - lazy: integrations module
    except ImportError as exc:
        raise UserError(f"hooks are not available in this installation ({exc})") from None
    sys.stdout.write(hooks_text(args.framework))
    return EXIT_OK

"""``ssrl-rewards serve``: its flags and its run, kept apart so that they can move into
``ssrl_rewards.server`` unchanged (the command registry tries that module first)."""

from __future__ import annotations

import argparse

HELP = "serve rewards over HTTP (OpenRLHF's remote reward protocol)"
DESCRIPTION = "Serve rewards over HTTP with OpenRLHF's remote reward-model protocol."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``serve``: where to listen, the task, and the reward configuration."""
    from ssrl_rewards.cli.flags import add_config_flags  # noqa: PLC0415

    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--task", metavar="NAME", help="score every request as this task")
    parser.add_argument("--quiet", "-q", action="store_true", help="no start-up line")
    add_config_flags(parser)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; a port in use or a missing server module is exit 2."""
    from ssrl_rewards.cli.columns import forced_task  # noqa: PLC0415
    from ssrl_rewards.cli.common import UserError  # noqa: PLC0415
    from ssrl_rewards.cli.flags import config_from  # noqa: PLC0415

    config = config_from(args)
    forced = forced_task(args)
    try:
        from ssrl_rewards.server import serve  # noqa: PLC0415 - lazy: integrations module
    except ImportError as exc:
        raise UserError(
            f"the reward server is not available in this installation ({exc})"
        ) from None
    try:
        serve(args.host, args.port, config, task=forced, quiet=args.quiet)
    except OSError as exc:
        raise UserError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0

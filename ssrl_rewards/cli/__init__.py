"""The ``ssrl-rewards`` command line (also ``python -m ssrl_rewards``).

    main(argv=None) -> int

Built-in commands: ``score`` (a per-task report on a JSONL or Parquet file of rollouts, or
on the bundled sample when no file is given), ``validate`` (check a training file's ground
truths), ``tasks`` (the registered tasks) and ``hooks`` (trainer glue). Commands that live
in other parts of the package (``serve``, ``generate``, ``audit``) are plugged in: each is a
module exposing ``add_arguments(parser)`` and ``run(args) -> int``, imported only when its
command runs, so a missing optional dependency costs nothing until then and is then one
line naming the extra to install.

The package: `sources` reads rows, `columns` finds a row's fields, `scoring` scores
chunks (in worker processes too), `report` sums and prints, `output` writes ``--out``
safely, `progress` draws the progress bar, `commands` holds one module per built-in
command. Reports go to stdout; progress and diagnostics to stderr. A user-fixable problem
is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from ssrl_rewards.cli.columns import COMPLETION_KEYS, GROUND_TRUTH_KEYS, PROMPT_KEYS, TASK_KEYS
from ssrl_rewards.cli.common import (
    EXIT_BAD_ROWS,
    EXIT_BROKEN_PIPE,
    EXIT_CODES_HELP,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    FatalRow,
    UserError,
)
from ssrl_rewards.errors import SSRLRewardsError

__all__ = [
    "COMMANDS",
    "COMPLETION_KEYS",
    "EXIT_BAD_ROWS",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "GROUND_TRUTH_KEYS",
    "PROMPT_KEYS",
    "TASK_KEYS",
    "Command",
    "build_parser",
    "main",
]


@dataclass(frozen=True)
class Command:
    """A subcommand: the modules that may provide it, tried in turn (the first one that
    imports and exposes ``add_arguments`` and ``run`` wins), and the pip extra that brings
    its dependencies (None: it needs none). ``builtin`` commands are parsed by the main
    parser; the others are imported only when they run."""

    name: str
    help: str
    modules: tuple[str, ...]
    extra: str | None = None
    builtin: bool = False


COMMANDS: tuple[Command, ...] = (
    Command(
        "score",
        "score a JSONL or Parquet file of rollouts (default: the bundled sample)",
        ("ssrl_rewards.cli.commands.score",),
        builtin=True,
    ),
    Command(
        "validate",
        "check every ground truth (and task, prompt options) of a training file",
        ("ssrl_rewards.cli.commands.validate",),
        builtin=True,
    ),
    Command(
        "tasks",
        "list the registered tasks with their answer formats and examples",
        ("ssrl_rewards.cli.commands.tasks",),
        builtin=True,
    ),
    Command(
        "hooks",
        "print the lines that plug the reward into a trainer",
        ("ssrl_rewards.cli.commands.hooks",),
        builtin=True,
    ),
    Command(
        "serve",
        "serve rewards over HTTP (OpenRLHF's and slime's remote reward protocols)",
        ("ssrl_rewards.server",),
    ),
    Command(
        "generate",
        "generate Spatial-SSRL training data from images",
        ("ssrl_rewards.generate.cli",),
        extra="generate",
    ),
    Command(
        "audit",
        "audit a reward function against the soundness kit's attacks",
        ("ssrl_rewards.testing.cli",),
        extra="testing",
    ),
)


def load_command(command: Command) -> ModuleType:
    """The module providing `command`, imported now; a `UserError` naming the extra to
    install when none of its modules can be imported."""
    problem: ImportError | None = None
    for name in command.modules:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            problem = problem or exc
            continue
        if callable(getattr(module, "add_arguments", None)) and callable(
            getattr(module, "run", None)
        ):
            return module
    why = f" ({problem})" if problem is not None else ""
    if command.extra is None:
        raise UserError(f"the {command.name} command is not available in this installation{why}")
    raise UserError(
        f"the {command.name} command is not available in this installation{why}; "
        f"install it with: pip install 'ssrl-rewards[{command.extra}]'"
    )


class _Formatter(argparse.HelpFormatter):
    """Wraps descriptions as usual but prints the exit-code table as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit codes:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _subparser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    command: Command,
    module: ModuleType | None,
) -> argparse.ArgumentParser:
    """A subparser for `command`, with its module's arguments when the module is given."""
    if module is None:  # a plug-in: listed in the help, parsed by `_run_plugin`
        return sub.add_parser(command.name, help=command.help, add_help=False)
    parser = sub.add_parser(
        command.name,
        help=getattr(module, "HELP", command.help),
        description=getattr(module, "DESCRIPTION", None),
        epilog=getattr(module, "EPILOG", None),
        formatter_class=_Formatter,
    )
    module.add_arguments(parser)
    parser.set_defaults(handler=module.run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ssrl-rewards`` (exposed for documentation and tests).

    Built-in commands carry their arguments; plug-in commands are listed only (their
    modules are imported when they run)."""
    from ssrl_rewards import __version__  # noqa: PLC0415 - the package imports this lazily

    parser = argparse.ArgumentParser(
        prog="ssrl-rewards",
        description="Rewards for the five Spatial-SSRL pretext tasks: score rollouts, "
        "validate training data.",
        epilog=EXIT_CODES_HELP,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"ssrl-rewards {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        module = load_command(command) if command.builtin else None
        _subparser(sub, command, module)
    return parser


def _plugin_parser(command: Command, module: ModuleType) -> argparse.ArgumentParser:
    """The parser of one plug-in command, as ``ssrl-rewards NAME`` would show it."""
    parser = argparse.ArgumentParser(
        prog=f"ssrl-rewards {command.name}",
        description=getattr(module, "DESCRIPTION", command.help),
        epilog=getattr(module, "EPILOG", None),
        formatter_class=_Formatter,
    )
    module.add_arguments(parser)
    parser.set_defaults(handler=module.run)
    return parser


def _parse(argv: list[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse `argv`; a plug-in command (the first argument) is imported and parsed alone."""
    plugins = {command.name: command for command in COMMANDS if not command.builtin}
    if argv and argv[0] in plugins:
        command = plugins[argv[0]]
        parser = _plugin_parser(command, load_command(command))
        return parser, parser.parse_args(argv[1:])
    parser = build_parser()
    return parser, parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ssrl-rewards``; returns the exit code (see ``--help``)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            parser, args = _parse(arguments)
        except SystemExit as exc:  # --help, --version, or a usage error already printed
            return exc.code if isinstance(exc.code, int) else EXIT_USAGE
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code: int = handler(args)
        sys.stdout.flush()
    except (UserError, SSRLRewardsError) as exc:
        print(f"ssrl-rewards: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FatalRow as exc:
        print(f"ssrl-rewards: error: {exc}", file=sys.stderr)
        return EXIT_BAD_ROWS
    except KeyboardInterrupt:
        print("ssrl-rewards: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`ssrl-rewards score | head`): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code

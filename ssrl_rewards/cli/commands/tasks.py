"""``ssrl-rewards tasks``: the registered tasks with their answer formats and examples."""

from __future__ import annotations

import argparse
import json
import sys

from ssrl_rewards.cli.common import EXIT_OK
from ssrl_rewards.registry import find_task, task_names

HELP = "list the registered tasks with their answer formats and examples"
DESCRIPTION = "List the registered tasks with their answer formats and examples."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``tasks``."""
    parser.add_argument("--json", action="store_true", help="print the list as JSON")


def run(args: argparse.Namespace) -> int:
    """Print the registered tasks."""
    specs = [spec for spec in (find_task(name) for name in task_names()) if spec is not None]
    if args.json:
        document = [
            {
                "name": spec.name,
                "aliases": list(spec.aliases),
                "description": spec.description,
                "answer_format": spec.answer_format,
                "examples": list(spec.examples),
            }
            for spec in specs
        ]
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK
    for spec in specs:
        print(f"{spec.name}: {spec.description}")
        print(f"  answer:   {spec.answer_format}")
        print(f"  examples: {', '.join(spec.examples)}")
        if spec.aliases:
            print(f"  aliases:  {', '.join(spec.aliases)}")
    return EXIT_OK

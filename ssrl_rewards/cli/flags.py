"""Flags shared by several commands: one per `RewardConfig` field, and the column flags."""

from __future__ import annotations

import argparse
import typing

from ssrl_rewards.cli.columns import COMPLETION_KEYS, GROUND_TRUTH_KEYS, PROMPT_KEYS
from ssrl_rewards.config import RewardConfig, make_config

CONFIG_HELP = {
    "mode": "'default' (typed, hedge-proof) or 'paper' (the published reward)",
    "credit": "partial credit for orderings: exact, positionwise, kendall, footrule or adjacency",
    "accuracy_weight": "weight of accuracy in the score",
    "format_weight": "weight of format in the score",
    "format_policy": "strict, r1 (<answer> tags), none (format not checked) or answer_only"
    " (no reasoning block; direct answers only)",
    "answer_format": "boxed, or direct (the text after the reasoning is the answer)",
    "answer_tags": "read <answer>...</answer> as a final answer",
    "fbox": "read \\fbox{...} as a box",
    "think_prefilled": "the chat template already opened <think>",
    "lenient_fallback": "accept 'the answer is X' when there is no box (evaluation only)",
    "max_chars": "longer completions are too_long",
    "max_answer_chars": "longer box contents are not answers",
    "max_candidates": "more final answers than this is a hedge",
}


def config_from(args: argparse.Namespace) -> RewardConfig:
    """The `RewardConfig` the config flags give (unset flags keep the defaults)."""
    fields = {
        name: getattr(args, name)
        for name in RewardConfig.model_fields
        if getattr(args, name, None) is not None
    }
    return make_config(None, **fields)


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per `RewardConfig` field (``--format-weight``, ``--no-fbox``, ...)."""
    group = parser.add_argument_group("reward configuration (RewardConfig fields)")
    for name, info in RewardConfig.model_fields.items():
        flag = "--" + name.replace("_", "-")
        annotation = info.annotation
        help_text = f"{CONFIG_HELP.get(name, name)} (default: {info.default})"
        if typing.get_origin(annotation) is typing.Literal:
            choices = [str(choice) for choice in typing.get_args(annotation)]
            group.add_argument(flag, dest=name, choices=choices, default=None, help=help_text)
        elif annotation is bool:
            group.add_argument(
                flag,
                dest=name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        elif annotation is int:
            group.add_argument(flag, dest=name, type=int, default=None, metavar="N", help=help_text)
        elif annotation is float:
            group.add_argument(
                flag, dest=name, type=float, default=None, metavar="X", help=help_text
            )


def add_column_flags(parser: argparse.ArgumentParser, *, completion: bool) -> None:
    """The flags naming the columns to read, and ``--task`` to force one task."""
    group = parser.add_argument_group(
        "columns (dotted names reach into nested objects; '' turns an optional column off)"
    )
    if completion:
        group.add_argument(
            "--completion-key",
            metavar="NAME",
            help=f"completion column (default: first of {', '.join(COMPLETION_KEYS)})",
        )
    group.add_argument(
        "--ground-truth-key",
        metavar="NAME",
        help=f"ground-truth column (default: {', '.join(GROUND_TRUTH_KEYS)}; several present "
        "must agree, else the row is malformed)",
    )
    group.add_argument(
        "--task-key",
        metavar="NAME",
        help="task column (default: task, then extra_info.task, a task key in the ground "
        "truth, a data_source naming a task; else inferred; '' reads none)",
    )
    group.add_argument(
        "--prompt-key",
        metavar="NAME",
        help=f"prompt column, text or chat messages (default: first of {', '.join(PROMPT_KEYS)})",
    )
    group.add_argument("--task", metavar="NAME", help="score every row as this task")

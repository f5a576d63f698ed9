"""`hooks_text(framework)`: the exact lines to paste into each trainer's configuration.

    hooks_text(framework: str) -> str     # a registered trainer ("trl", "verl", ...) or "all"

``ssrl-rewards hooks <framework>`` prints it. The text lives with each trainer's module in
`ssrl_rewards.integrations` (the trainer registry); file paths are resolved from the
installed package, so the lines work as printed on the machine that runs the trainer.
"""

from __future__ import annotations

from ssrl_rewards.errors import ConfigError
from ssrl_rewards.integrations.base import get_trainer, integration_path, trainer_names, trainers

__all__ = ["HOOK_FRAMEWORKS", "hooks_text", "integration_path"]

HOOK_FRAMEWORKS: tuple[str, ...] = trainer_names()


def hooks_text(framework: str) -> str:
    """The lines to paste for `framework` (``"all"`` joins every trainer's lines)."""
    name = framework.strip().lower() if isinstance(framework, str) else ""
    if name == "all":
        return "\n".join(spec.hooks() for spec in trainers())
    try:
        spec = get_trainer(name)
    except ConfigError:
        raise ConfigError(
            f"framework={framework!r} has no hooks; choose one of {[*trainer_names(), 'all']}"
        ) from None
    return spec.hooks()

"""The registered pretext tasks; importing this package registers them all.

Each task is one module that builds a `TaskSpec` and registers it; add a new task by
adding its module to the import line below.
"""

from ssrl_rewards.tasks import shuffle, flip, crop, depth, position, choice  # noqa: I001 - order = task_names()

__all__ = ["choice", "crop", "depth", "flip", "position", "shuffle"]

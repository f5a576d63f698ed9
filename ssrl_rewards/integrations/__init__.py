"""Trainer entry points that trainers load by module path or file path.

- `ssrl_rewards.integrations.verl`: ``compute_score`` (``pkg://ssrl_rewards.integrations.verl``)
  and ``compute_score_batch`` for verl's legacy batch manager.
- `ssrl_rewards.integrations.easyr1`: ``compute_score`` with ``REWARD_TYPE = "batch"``
  (``worker.reward.reward_function=<file>:compute_score``).
- `ssrl_rewards.integrations.openrlhf`: ``reward_func`` (``--reward.remote_url <file>``).

TRL takes callables directly: ``make_reward_fn("trl")``. Nothing here imports a trainer;
``ssrl-rewards hooks <trainer>`` prints the exact lines with the installed paths.
"""

from __future__ import annotations

__all__: list[str] = []

"""Trainer integrations: one module per trainer, on the shared base in `.base`.

- `ssrl_rewards.integrations.trl`: `TRLReward` (``make_reward_fn("trl")``).
- `ssrl_rewards.integrations.verl`: ``compute_score`` (``pkg://ssrl_rewards.integrations.verl``)
  and ``compute_score_batch`` for verl's legacy batch manager.
- `ssrl_rewards.integrations.easyr1`: ``compute_score`` with ``REWARD_TYPE = "batch"``
  (``worker.reward.reward_function=<file>:compute_score``).
- `ssrl_rewards.integrations.openrlhf`: ``reward_func`` (``--reward.remote_url <file>``).
- `ssrl_rewards.integrations.swift`: ms-swift ORMs (plugin file in ``ms_swift_plugin/``).
- `.areal`, `.slime`, `.roll`, `.nemo_gym`, `.verifiers_env`, `.unsloth`: AReaL's
  ``reward_fn``, slime's custom reward functions, a ROLL reward worker, a NeMo Gym
  ``/verify`` server, a verifiers v1 taskset and Unsloth's TRL reward functions.

Each module defines ``TRAINER = TrainerSpec(...)``; `.base.trainers` finds them, so a new
trainer is one new module. Nothing here imports a trainer package; ``ssrl-rewards hooks
<trainer>`` prints the exact lines with the installed paths.
"""

from __future__ import annotations

__all__: list[str] = []

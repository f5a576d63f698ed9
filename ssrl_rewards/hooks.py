"""`hooks_text(framework)`: the exact lines to paste into each trainer's configuration.

    hooks_text(framework: str) -> str     # "trl" | "verl" | "easyr1" | "openrlhf" | "swift" | "all"

``ssrl-rewards hooks <framework>`` prints it. File paths are resolved from the installed
package, so the lines work as printed on the machine that runs the trainer.
"""

from __future__ import annotations

from pathlib import Path

from ssrl_rewards.errors import ConfigError

__all__ = ["HOOK_FRAMEWORKS", "hooks_text", "integration_path"]

HOOK_FRAMEWORKS: tuple[str, ...] = ("trl", "verl", "easyr1", "openrlhf", "swift")


def integration_path(module: str) -> str:
    """Absolute path of ``ssrl_rewards/integrations/<module>.py`` in this installation
    (``"swift"`` gives ms-swift's plugin file, which lives in a directory of its own)."""
    folder = Path(__file__).resolve().parent / "integrations"
    if module == "swift":
        return str(folder / "ms_swift_plugin" / "ssrl_rewards_plugin.py")
    return str(folder / f"{module}.py")


def _trl() -> str:
    return """\
# TRL (GRPOTrainer / RLOOTrainer): pass the callables in reward_funcs.
from ssrl_rewards import make_reward_fn

reward_funcs = [
    make_reward_fn("trl", component="accuracy"),  # logged as rewards/ssrl_accuracy
    make_reward_fn("trl", component="format"),    # logged as rewards/ssrl_format
]
# GRPOConfig(..., reward_weights=[0.9, 0.1]) reproduces the default 0.9/0.1 score;
# or use one callable: reward_funcs=[make_reward_fn("trl")]  (rewards/ssrl_score).
# Dataset columns: the ground truth in "solution", "answer" or "ground_truth"
# (or ground_truth_key=...), the task in "task" (optional; else inferred).
"""


def _verl() -> str:
    return f"""\
# verl >= 0.7 (0.9.x tested): Hydra overrides.
reward.custom_reward_function.path=pkg://ssrl_rewards.integrations.verl
reward.custom_reward_function.name=compute_score
# optional config fields, task or component:
# +reward.custom_reward_function.reward_kwargs.mode=paper
# verl < 0.7 (no pkg:// paths, top-level keys):
# custom_reward_function.path={integration_path("verl")}
# custom_reward_function.name=compute_score
# Task: extra_info["task"], else data_source such as "spatial_ssrl/shuffle", else inferred.
"""


def _easyr1() -> str:
    return f"""\
# EasyR1 (upstream hiyouga/EasyR1 and the Spatial-SSRL fork): config overrides.
worker.reward.reward_function={integration_path("easyr1")}:compute_score
# (the file sets REWARD_TYPE = "batch" for upstream; the Spatial-SSRL fork's
#  worker.reward.reward_type defaults to batch: leave it unset, upstream rejects the key)
# optional config fields, task or component:
# worker.reward.reward_function_kwargs='{{"mode": "paper"}}'
# Task: a dict/JSON ground truth {{"task": "depth", "answer": "3-1-2"}}, else inferred.
"""


def _openrlhf() -> str:
    return f"""\
# OpenRLHF >= 0.10.2: a reward function file (one sample per call).
--reward.remote_url {integration_path("openrlhf")} --data.label_key answer
# OpenRLHF <= 0.10.1:
# --remote_rm_url {integration_path("openrlhf")} --label_key answer
# config (optional): export SSRL_REWARDS_CONFIG='{{"mode": "paper"}}'
#
# or an HTTP reward server (standard library, loopback by default):
#   ssrl-rewards serve --host 127.0.0.1 --port 5000
# --reward.remote_url http://127.0.0.1:5000/get_reward --data.label_key answer
"""


def _swift() -> str:
    return f"""\
# ms-swift (GRPO): register our ORMs with a plugin file, then name them.
--external_plugins {integration_path("swift")}
--reward_funcs ssrl_accuracy ssrl_format --reward_weights 0.9 0.1
# (or --reward_funcs ssrl for the full score in one curve)
# config (optional): export SSRL_REWARDS_CONFIG='{{"mode": "paper"}}'
# Dataset columns: the ground truth in "solution", "answer" or "ground_truth",
# the task in "task" (optional; else inferred).
"""


_TEXTS = {"swift": _swift, "trl": _trl, "verl": _verl, "easyr1": _easyr1, "openrlhf": _openrlhf}


def hooks_text(framework: str) -> str:
    """The lines to paste for `framework` (``"all"`` joins every trainer's lines)."""
    name = framework.strip().lower() if isinstance(framework, str) else ""
    if name == "all":
        return "\n".join(_TEXTS[key]() for key in HOOK_FRAMEWORKS)
    text = _TEXTS.get(name)
    if text is None:
        raise ConfigError(
            f"framework={framework!r} has no hooks; choose one of {[*HOOK_FRAMEWORKS, 'all']}"
        )
    return text()

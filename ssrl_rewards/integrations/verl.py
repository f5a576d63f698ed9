"""verl custom reward function: ``compute_score`` for verl 0.9.x (and 0.7+).

    reward.custom_reward_function.path=pkg://ssrl_rewards.integrations.verl
    reward.custom_reward_function.name=compute_score
    +reward.custom_reward_function.reward_kwargs.mode=paper      # optional config fields

``reward_kwargs`` may hold any `RewardConfig` field, plus ``task`` (one task for every
sample) and ``component`` (``score`` | ``accuracy`` | ``format``: what ``score`` holds).
Each call returns ``{"score", "acc", "format", "pred"}``: the same keys every time, as
verl's reward loop requires. ``compute_score_batch`` serves verl's legacy ``batch``
reward manager (``compute_score(data_sources, solution_strs, ground_truths, extra_infos)``).
Loaded inside Ray actors and called from thread pools: stateless and thread-safe.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from ssrl_rewards.errors import GroundTruthError, UnknownTaskError
from ssrl_rewards.integrations.base import (
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    adopt_canonical,
    integration_path,
    reward_from_fields,
)
from ssrl_rewards.reward import score
from ssrl_rewards.rows import (
    Row,
    decide_task_cell,
    ground_truth_task,
    prompt_text,
    score_row,
    task_from_data_source,
)

__all__ = ["TRAINER", "VerlReward", "compute_score", "compute_score_batch"]

# Keyword arguments verl itself adds to the call (a reward model's router); not config.
_VERL_KWARGS = frozenset({"reward_router_address", "reward_model_tokenizer"})


class VerlReward(SSRLReward):
    """verl ``compute_score(data_source, solution_str, ground_truth, extra_info, **kw)``.

    Returns a dict with the same keys on every call, as verl's reward loop requires:
    ``score`` (this callable's component), ``acc``, ``format`` (floats) and ``pred`` (the
    canonical answer, ``""`` if none, for majority-vote metrics). The task follows the row
    contract: ``extra_info["task"]`` (a foreign or misspelled task raises), else the ground
    truth's own ``task``, else a ``data_source`` naming a task (``spatial_ssrl/shuffle``),
    else inference. ``extra_info["prompt"]`` or ``["question"]`` (a str, messages, or a
    numpy object array of messages), when present, is the prompt.
    """

    framework = "verl"

    def __call__(
        self,
        data_source: object = None,
        solution_str: object = None,
        ground_truth: object = None,
        extra_info: object = None,
        **kwargs: Any,
    ) -> dict[str, float | str]:
        """Score one verl sample (see the class docstring)."""
        return self.sample(data_source, solution_str, ground_truth, extra_info)

    def sample(
        self, data_source: object, solution_str: object, ground_truth: object, extra_info: object
    ) -> dict[str, float | str]:
        """`__call__` without verl's extra keywords: the hot path of `compute_score`."""
        extra = extra_info if type(extra_info) is dict or isinstance(extra_info, Mapping) else {}
        index = extra.get("index")
        task = self.task
        if task is None:
            task = decide_task_cell(extra.get("task"), column="extra_info.task", row=index)
            if task is None:
                task = ground_truth_task(
                    ground_truth, column="reward_model.ground_truth", row=index
                ) or task_from_data_source(data_source)
        prompt = extra.get("prompt")
        if prompt is None:
            prompt = extra.get("question")
        try:
            result = score(solution_str, ground_truth, task, prompt=prompt, config=self.config)
        except (GroundTruthError, UnknownTaskError):  # re-raised naming the sample
            question = prompt_text(prompt) if prompt is not None else None
            row = Row(
                solution_str, ground_truth, task, question, "reward_model.ground_truth", index
            )
            result = score_row(row, self.config, where=lambda: _where(data_source, index))
        return {
            "score": self._value(result),
            "acc": result.accuracy,
            "format": result.format,
            "pred": result.pred,
        }

    def batch(
        self,
        data_sources: Sequence[object],
        solution_strs: Sequence[object],
        ground_truths: Sequence[object],
        extra_infos: Sequence[object] | None = None,
        **kwargs: Any,
    ) -> list[dict[str, float | str]]:
        """verl's legacy ``batch`` reward manager convention: aligned lists in, dicts out."""
        extras: Sequence[object] = (
            extra_infos if extra_infos is not None else [None] * len(solution_strs)
        )
        return [
            self.sample(data_sources[i], solution_strs[i], ground_truths[i], extras[i])
            for i in range(len(solution_strs))
        ]


def _where(data_source: object, index: object) -> str:
    """How an error names a verl sample."""
    where = f"ground_truth of data_source={data_source!r}"
    return where if index is None else f"{where} index={index!r}"


def compute_score(
    data_source: object = None,
    solution_str: object = None,
    ground_truth: object = None,
    extra_info: object = None,
    **kwargs: Any,
) -> dict[str, float | str]:
    """Score one sample: ``{"score", "acc", "format", "pred"}`` (see the module docstring)."""
    reward = _DEFAULT if not kwargs else _reward_for(kwargs)
    return reward.sample(data_source, solution_str, ground_truth, extra_info)


def compute_score_batch(
    data_sources: Sequence[object],
    solution_strs: Sequence[object],
    ground_truths: Sequence[object],
    extra_infos: Sequence[object] | None = None,
    **kwargs: Any,
) -> list[dict[str, float | str]]:
    """verl's legacy batch convention: one dict per sample, same keys as `compute_score`."""
    return _reward_for(kwargs).batch(data_sources, solution_strs, ground_truths, extra_infos)


def _reward_for(kwargs: dict[str, Any]) -> VerlReward:
    """The reward callable for these reward_kwargs (built once per distinct setting)."""
    fields = {k: v for k, v in kwargs.items() if k not in _VERL_KWARGS}
    key = tuple(sorted(fields.items()))
    try:
        return _cached(key)
    except TypeError:  # an unhashable value (e.g. a list): build uncached
        return reward_from_fields(VerlReward, fields)


@functools.lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, Any], ...]) -> VerlReward:
    return reward_from_fields(VerlReward, dict(key))


_DEFAULT = _cached(())  # the reward of a call without reward_kwargs


def _hooks() -> str:
    return f"""\
# verl >= 0.7 (0.9.x tested): Hydra overrides.
reward.custom_reward_function.path=pkg://ssrl_rewards.integrations.verl
reward.custom_reward_function.name=compute_score
# optional config fields, task or component:
# +reward.custom_reward_function.reward_kwargs.mode=paper
# verl < 0.7 (no pkg:// paths, top-level keys):
# custom_reward_function.path={integration_path("verl")}
# custom_reward_function.name=compute_score
# Task: extra_info["task"], else the ground truth's "task", else a data_source such as
# "spatial_ssrl/shuffle", else inferred. A task that is not ours raises.
"""


def _example(reward: VerlReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """verl's call per response: data source, decoded text, ground truth, extra_info."""
    return [
        float(
            reward("ssrl", r.completion, r.ground_truth, {"task": r.task, "prompt": r.prompt})[
                "score"
            ]
        )
        for r in rows
    ]


TRAINER = TrainerSpec(
    name="verl",
    reward_class=VerlReward,
    hooks=_hooks,
    summary="verl >= 0.7: custom_reward_function (compute_score)",
    example=_example,
    order=20,
)

adopt_canonical(globals(), "ssrl_rewards.integrations.verl")

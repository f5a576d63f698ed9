"""ROLL reward worker: ``rewards.<name>.worker_cls`` in an RLVR pipeline config.

    rewards:
      spatial_ssrl:
        worker_cls: ssrl_rewards.integrations.roll.SSRLRuleRewardWorker
        tag_included: [spatial_ssrl]
        model_args: {model_name_or_path: ${reward_pretrain}}   # the tokenizer to decode with

ROLL routes each sample to the reward worker whose ``tag_included`` holds its ``tag`` and
calls ``compute_rewards(data)`` on a `DataProto`: response token ids in
``data.batch["responses"]``, dataset columns in ``data.non_tensor_batch`` (``prompt``,
``ground_truth``, ``tag``, and ``task`` when the dataset has one). The worker decodes the
responses, reads each row by the row contract and returns ``token_level_rewards``
(zeros), ``response_level_rewards`` (the score or chosen component) and ``scores`` (the
accuracy), as ROLL's rule-based workers do. Configuration: ``$SSRL_REWARDS_CONFIG``.

`SSRLRuleRewardWorker` subclasses ROLL's ``Worker`` and is built on first access (ROLL is
imported then); `ROLLReward.score_columns` is the same scoring without ROLL.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import Any

from ssrl_rewards.integrations.base import (
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    fields_from_env,
    reward_from_fields,
)
from ssrl_rewards.rows import read_row

__all__ = ["TRAINER", "ROLLReward"]  # and SSRLRuleRewardWorker, built on first access


class ROLLReward(SSRLReward):
    """ROLL's reward columns from decoded responses and the batch's non-tensor columns."""

    framework = "roll"

    def score_columns(
        self,
        responses: Sequence[object],
        ground_truths: Sequence[object],
        prompts: Sequence[object] | None = None,
        tags: Sequence[object] | None = None,
        tasks: Sequence[object] | None = None,
    ) -> dict[str, list[float]]:
        """``{"rewards", "scores"}``: this callable's component and the accuracy per row.

        A ``tag`` that names a task (``spatial_ssrl/depth``) gives the task like a data
        source; a ``task`` column decides it by the task-cell table.
        """
        n = len(responses)
        rewards: list[float] = []
        scores: list[float] = []
        for index in range(n):
            row: dict[str, Any] = {
                "response": responses[index],
                "ground_truth": ground_truths[index],
            }
            if prompts is not None:
                row["prompt"] = prompts[index]
            if tags is not None:
                row["data_source"] = tags[index]
            if tasks is not None:
                row["task"] = tasks[index]
            parsed = read_row(
                row,
                index=index,
                completion_key="response",
                ground_truth_key="ground_truth",
                prompt_key="prompt" if prompts is not None else None,
                task_key=self.task_key,
                task=self.task,
            )
            result = self._score(parsed)
            rewards.append(float(self._value(result)))
            scores.append(result.accuracy)
        return {"rewards": rewards, "scores": scores}


def _column(batch: Any, name: str) -> Sequence[object] | None:
    value = batch.get(name) if hasattr(batch, "get") else None
    return None if value is None else list(value)


@functools.lru_cache(maxsize=1)
def _build_worker() -> type:
    """ROLL's Worker subclass (imports ROLL and torch)."""
    torch: Any = importlib.import_module("torch")
    worker: Any = importlib.import_module("roll.distributed.executor.worker")
    decorator: Any = importlib.import_module("roll.distributed.scheduler.decorator")
    protocol: Any = importlib.import_module("roll.distributed.scheduler.protocol")
    providers: Any = importlib.import_module("roll.models.model_providers")
    Dispatch, register = decorator.Dispatch, decorator.register
    DataProto, default_tokenizer_provider = protocol.DataProto, providers.default_tokenizer_provider

    class SSRLRuleRewardWorker(worker.Worker):  # type: ignore[misc]
        """Spatial-SSRL rule reward for ROLL (see the module docstring)."""

        def __init__(self, worker_config: Any) -> None:
            super().__init__(worker_config=worker_config)
            self.rank_info.dp_rank = self.rank_info.rank
            self.rank_info.dp_size = self.rank_info.world_size
            self.tokenizer = default_tokenizer_provider(model_args=self.worker_config.model_args)
            self.reward = reward_from_fields(ROLLReward, fields_from_env())

        @register(dispatch_mode=Dispatch.ONE_TO_ALL)  # type: ignore[untyped-decorator]
        def initialize(self, pipeline_config: Any) -> None:
            return None

        @register(dispatch_mode=Dispatch.DP_MP_COMPUTE, clear_cache=False)  # type: ignore[untyped-decorator]
        def compute_rewards(self, data: Any) -> Any:
            responses = self.tokenizer.batch_decode(
                data.batch["responses"], skip_special_tokens=False
            )
            columns = data.non_tensor_batch
            out = self.reward.score_columns(
                responses,
                list(columns["ground_truth"]),
                _column(columns, "prompt"),
                _column(columns, "tag"),
                _column(columns, "task"),
            )
            return DataProto.from_dict(
                tensors={
                    "token_level_rewards": torch.zeros_like(
                        data.batch["responses"], dtype=torch.float16
                    ),
                    "response_level_rewards": torch.tensor(out["rewards"], dtype=torch.float16),
                    "scores": torch.tensor(out["scores"], dtype=torch.float16),
                }
            )

    SSRLRuleRewardWorker.__module__ = __name__  # pickled by reference, through __getattr__
    return SSRLRuleRewardWorker


def __getattr__(name: str) -> Any:
    if name == "SSRLRuleRewardWorker":
        return _build_worker()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hooks() -> str:
    return """\
# ROLL (RLVR pipeline YAML): a reward worker for the samples tagged spatial_ssrl
rewards:
  spatial_ssrl:
    worker_cls: ssrl_rewards.integrations.roll.SSRLRuleRewardWorker
    tag_included: [spatial_ssrl]
    model_args:
      model_name_or_path: ${reward_pretrain}
# config (optional): export SSRL_REWARDS_CONFIG='{"format_weight": 0.1}'
"""


def _example(reward: ROLLReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """The reward worker's columns (decoded responses, non-tensor batch) without ROLL."""
    out = reward.score_columns(
        [r.completion for r in rows],
        [r.ground_truth for r in rows],
        [r.prompt for r in rows],
        tasks=[r.task for r in rows],
    )
    return list[float | None](out["rewards"])


TRAINER = TrainerSpec(
    name="roll",
    reward_class=ROLLReward,
    hooks=_hooks,
    summary="ROLL RLVR pipeline: a reward worker (worker_cls) per tag",
    example=_example,
    order=80,
)

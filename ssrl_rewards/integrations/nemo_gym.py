"""NeMo Gym resources server ``/verify`` (used by NeMo-RL's Gym environment).

A NeMo Gym resources server answers ``POST /verify`` with the request body plus a
``reward``. The body holds ``responses_create_params`` (its ``input``: the prompt, text
or messages), ``response`` (an OpenAI Responses object; the assistant message's output
text is the completion, a reasoning item goes back inside ``<think>``) and the task's own
fields: the ground truth in ``expected_answer`` (or ``ground_truth``/``answer``/...,
or ``ground_truth_key``) and optionally ``task``. `NemoGymReward.verify` does that with
plain dicts; `SSRLResourcesServer` (built on first access, importing ``nemo_gym``) is the
server class to name in a Gym config. Configuration: ``$SSRL_REWARDS_CONFIG``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from ssrl_rewards.integrations.base import (
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    fields_from_env,
    reward_from_fields,
)
from ssrl_rewards.rows import GROUND_TRUTH_COLUMNS, read_row

__all__ = ["TRAINER", "NemoGymReward", "response_text"]  # and SSRLResourcesServer (lazy)

_COMPLETION = "\x00completion"
_PROMPT = "\x00prompt"


def _get(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    return getattr(value, key, None)


def response_text(response: Any) -> object:
    """The completion inside a Responses object: the assistant messages' output text,
    after any reasoning summary put back inside ``<think>``; None when it holds none."""
    output = _get(response, "output")
    if not isinstance(output, (list, tuple)):
        return None
    texts: list[str] = []
    reasoning: list[str] = []
    for item in output:
        kind = _get(item, "type")
        if kind == "message" and _get(item, "role") in (None, "assistant"):
            for part in _get(item, "content") or ():
                text = _get(part, "text")
                if _get(part, "type") in (None, "output_text", "text") and isinstance(text, str):
                    texts.append(text)
        elif kind == "reasoning":
            for part in [*(_get(item, "summary") or ()), *(_get(item, "content") or ())]:
                text = _get(part, "text")
                if isinstance(text, str):
                    reasoning.append(text)
    if not texts:
        return None
    text = "".join(texts)
    if reasoning and "</think>" not in text:
        text = f"<think>{''.join(reasoning)}</think>{text}"
    return text


class NemoGymReward(SSRLReward):
    """NeMo Gym ``verify``: the request body in, the body plus ``reward`` (and the
    accuracy, format, reason and parsed answer) out."""

    framework = "nemo_gym"

    def verify(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Score one ``/verify`` body (a dict); a bad ground truth raises naming it."""
        row = dict(body)
        row[_COMPLETION] = response_text(body.get("response"))
        params = body.get("responses_create_params")
        prompt = _get(params, "input") if params is not None else None
        row[_PROMPT] = prompt
        key = self.ground_truth_key
        if (
            key is None
            and "expected_answer" in row
            and not any(c in row for c in GROUND_TRUTH_COLUMNS)
        ):
            key = "expected_answer"
        parsed = read_row(
            row,
            index=0,
            completion_key=_COMPLETION,
            ground_truth_key=key,
            prompt_key=_PROMPT if prompt is not None else None,
            task_key=self.task_key,
            task=self.task,
        )
        result = self._score(parsed)
        return {
            **body,
            "reward": float(self._value(result)),
            "accuracy": result.accuracy,
            "format": result.format,
            "reason": result.reason.value,
            "extracted_answer": result.pred,
        }


@functools.lru_cache(maxsize=1)
def _build_server() -> type:
    """NeMo Gym's SimpleResourcesServer subclass (imports nemo_gym)."""
    base: Any = importlib.import_module("nemo_gym.base_resources_server")
    from pydantic import ConfigDict  # noqa: PLC0415

    class SSRLVerifyRequest(base.BaseVerifyRequest):  # type: ignore[misc]
        model_config = ConfigDict(extra="allow")

    class SSRLVerifyResponse(base.BaseVerifyResponse):  # type: ignore[misc]
        model_config = ConfigDict(extra="allow")
        accuracy: float
        format: float

    class SSRLResourcesServer(base.SimpleResourcesServer):  # type: ignore[misc]
        """Spatial-SSRL verification for NeMo Gym (see the module docstring)."""

        async def verify(self, body: SSRLVerifyRequest) -> SSRLVerifyResponse:
            reward = reward_from_fields(NemoGymReward, fields_from_env())
            return SSRLVerifyResponse(**reward.verify(body.model_dump()))

    for cls in (SSRLVerifyRequest, SSRLVerifyResponse, SSRLResourcesServer):
        cls.__module__ = __name__
    return SSRLResourcesServer


def __getattr__(name: str) -> Any:
    if name == "SSRLResourcesServer":
        return _build_server()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hooks() -> str:
    return """\
# NeMo Gym / NeMo-RL: a resources server whose /verify scores with ssrl_rewards
#   server class: ssrl_rewards.integrations.nemo_gym.SSRLResourcesServer
#   each row: {"responses_create_params": {"input": [...]}, "expected_answer": "0-2-3-1",
#              "task": "shuffle"}
# or, without NeMo Gym: NemoGymReward().verify(body) -> body + reward
# config (optional): export SSRL_REWARDS_CONFIG='{"format_weight": 0.1}'
"""


def _example(reward: NemoGymReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """A ``/verify`` body per row: Responses-API output, ``expected_answer``, ``task``."""
    out: list[float | None] = []
    for r in rows:
        body: dict[str, Any] = {
            "responses_create_params": {"input": r.prompt or ""},
            "response": {
                "output": [
                    {
                        "type": "message",
                        "role": "assistant",
                        "content": [{"type": "output_text", "text": r.completion}],
                    }
                ]
            },
            "expected_answer": r.ground_truth,
        }
        if r.task:
            body["task"] = r.task
        out.append(float(reward.verify(body)["reward"]))
    return out


TRAINER = TrainerSpec(
    name="nemo_gym",
    reward_class=NemoGymReward,
    hooks=_hooks,
    summary="NeMo Gym / NeMo-RL: a resources server's /verify",
    example=_example,
    aliases=("nemo-gym", "nemo_rl", "nemo-rl"),
    order=90,
)

"""`RewardConfig`: the one home of every reward constant and policy switch.

Frozen and hashable so it can key caches and travel to worker processes; invalid
values raise `ConfigError` naming the field and the value.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ssrl_rewards.errors import ConfigError

__all__ = [
    "DEFAULT_CONFIG",
    "PAPER_IGNORED_FIELDS",
    "AnswerFormat",
    "Credit",
    "FormatPolicy",
    "Mode",
    "RewardConfig",
    "check_config",
    "make_config",
    "paper_config",
]

Mode = Literal["default", "paper"]

PAPER_IGNORED_FIELDS: tuple[str, ...] = (
    "credit",
    "format_policy",
    "answer_tags",
    "fbox",
    "think_prefilled",
    "lenient_fallback",
    "max_chars",
    "max_candidates",
    "answer_format",
)
"""Fields the published reward (``mode="paper"``) has no use for: setting one to a value
other than its default together with paper mode raises `ConfigError` naming it. Paper
mode honours ``accuracy_weight``, ``format_weight`` and ``max_answer_chars`` (the
longest wrong prediction it parses to report what it meant)."""
Credit = Literal["exact", "positionwise", "kendall", "footrule", "adjacency"]
FormatPolicy = Literal["strict", "r1", "none", "answer_only"]
AnswerFormat = Literal["boxed", "direct"]


class RewardConfig(BaseModel):
    """How completions are scored.

    - ``mode``: ``"default"`` (typed, hedge-proof parsing) or ``"paper"`` (the published
      Spatial-SSRL reward, reproduced input for input; it refuses the fields it would
      ignore, `PAPER_IGNORED_FIELDS`, set to anything but their defaults).
    - ``credit``: ``"exact"`` (binary), or partial credit for orderings (shuffle, depth,
      frame_order): ``"positionwise"``, ``"kendall"``, ``"footrule"`` (VideoSSR) or
      ``"adjacency"`` (Jigsaw-R1); flip gets half for label, half for direction. Numeric
      answers are scored by MRA under every mode (docs/tasks.md).
    - ``accuracy_weight`` / ``format_weight``: ``score = aw * accuracy + fw * format``;
      each in [0, 1] and their sum at most 1, so scores stay in [0, 1].
    - ``format_policy``: ``"strict"`` (one non-empty ``<think>`` block then one final
      answer), ``"r1"`` (``<think>…</think><answer>…</answer>``), ``"none"``
      (format is not checked and always scores 1) or, with ``answer_format="direct"``
      only, ``"answer_only"`` (no reasoning block: the completion is the answer).
    - ``answer_format``: ``"boxed"`` (the final answer is a ``\\boxed{}`` or an
      ``<answer>`` tag) or ``"direct"`` (the answer is all the text after the reasoning
      block, or the whole completion without one, read strictly: the answer and nothing
      else; see docs/tasks.md). Paper mode refuses ``"direct"``.
    - ``answer_tags``: also read ``<answer>…</answer>`` as a final answer.
    - ``fbox``: also read every other LaTeX box as a final answer: ``\\fbox{…}``,
      ``\\framebox{…}`` (with up to two ``[…]`` options, or picture mode's ``(w,h)``),
      ``\\ovalbox{…}``, ``\\Ovalbox{…}``, ``\\shadowbox{…}``, ``\\doublebox{…}``, MathJax's
      ``\\bbox[…]{…}``, ``\\colorbox{color}{…}`` (optionally ``[model]``) and
      ``\\fcolorbox{frame}{fill}{…}``;
      beside a differing ``\\boxed{}`` one is a hedge. Off, only ``\\boxed{…}`` is an answer
      and the others are plain text (one right after the box is still read as the clause
      after the answer; one elsewhere is ignored).
    - ``think_prefilled``: the chat template already opened ``<think>``, so the completion
      starts inside the reasoning.
    - ``lenient_fallback``: with no box, accept "the answer is X" after the reasoning
      (for offline evaluation; off for training).
    - ``max_chars``: completions longer than this are not scanned (reason ``too_long``).
    - ``max_answer_chars``: a box or ``<answer>`` tag whose content is longer is not an
      answer (reason ``answer_too_long``), and nothing after it is read.
    - ``max_candidates``: more final-answer containers than this (empty ones included)
      is a hedge without further reading.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    mode: Mode = "default"
    credit: Credit = "exact"
    accuracy_weight: float = 0.9
    format_weight: float = 0.1
    format_policy: FormatPolicy = "strict"
    answer_tags: bool = True
    fbox: bool = True
    think_prefilled: bool = False
    lenient_fallback: bool = False
    max_chars: int = 65_536
    max_answer_chars: int = 1_024
    max_candidates: int = 16
    answer_format: AnswerFormat = "boxed"

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None

    @model_validator(mode="after")
    def _check_ranges(self) -> RewardConfig:
        if self.mode == "paper":
            ignored = [
                f"{name}={getattr(self, name)!r}"
                for name in PAPER_IGNORED_FIELDS
                if getattr(self, name) != _DEFAULTS[name]
            ]
            if ignored:
                raise ValueError(
                    f"mode='paper' reproduces the published reward, which ignores "
                    f"{', '.join(ignored)}; drop them or use mode='default'"
                )
        if self.format_policy == "answer_only" and self.answer_format != "direct":
            raise ValueError(
                "format_policy='answer_only' (no reasoning block, the completion is the"
                " answer) needs answer_format='direct'; a boxed answer has format_policy"
                " 'strict', 'r1' or 'none'"
            )
        for name in ("accuracy_weight", "format_weight"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}={value!r} must be within [0, 1]")
        total = self.accuracy_weight + self.format_weight
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"accuracy_weight + format_weight = {total!r} exceeds 1; scores would leave [0, 1]"
            )
        for name, low in (("max_chars", 1), ("max_answer_chars", 1), ("max_candidates", 1)):
            value = getattr(self, name)
            if value < low:
                raise ValueError(f"{name}={value!r} must be at least {low}")
        return self


_DEFAULTS: dict[str, Any] = {
    name: field.default for name, field in RewardConfig.model_fields.items()
}


def _describe(exc: ValidationError) -> str:
    """One readable line per invalid field: `config: field=value: problem`."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "config"
        value = err.get("input")
        message = err["msg"].removeprefix("Value error, ")
        if err["loc"]:
            parts.append(f"RewardConfig.{field}={value!r}: {message}")
        else:
            parts.append(f"RewardConfig: {message}")
    return "; ".join(parts)


def check_config(config: object, name: str = "config") -> RewardConfig:
    """`config` itself if it is a `RewardConfig`, the default for None, else `ConfigError`.

    The error names the argument and the value, and says how to build a config from a
    dict of fields (a common slip: passing ``{"mode": "paper"}`` itself).
    """
    if config is None:
        return DEFAULT_CONFIG
    if isinstance(config, RewardConfig):
        return config
    text = repr(config)
    if len(text) > 80:
        text = text[:77] + "..."
    hint = " (build one with RewardConfig(**fields))" if isinstance(config, dict) else ""
    raise ConfigError(
        f"{name}={text}: expected a RewardConfig or None, not {type(config).__name__}{hint}"
    )


def make_config(config: RewardConfig | None = None, **fields: Any) -> RewardConfig:
    """A config from an optional base plus field overrides (unknown fields raise ConfigError)."""
    base = check_config(config)
    if not fields:
        return base
    return RewardConfig(**{**base.model_dump(), **fields})


def paper_config(config: RewardConfig | None = None) -> RewardConfig:
    """The paper-mode twin of `config`: its weights and ``max_answer_chars`` with
    ``mode="paper"``; the fields paper mode ignores are reset (for side-by-side reports
    such as ``--compare-paper``, where the default-mode fields are set on purpose)."""
    base = check_config(config)
    kept = {
        name: getattr(base, name)
        for name in ("accuracy_weight", "format_weight", "max_answer_chars")
    }
    return RewardConfig(mode="paper", **kept)


DEFAULT_CONFIG = RewardConfig()

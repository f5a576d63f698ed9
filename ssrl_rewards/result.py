"""`Reason` codes and the immutable `RewardResult` every scoring path returns."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

__all__ = ["Reason", "RewardResult"]


class Reason(str, enum.Enum):
    """Why a completion got its accuracy or format score; values read as words in logs."""

    # accuracy verdicts
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    # where the answer is (envelope)
    OK = "ok"
    NO_ANSWER = "no_answer"
    ANSWER_IN_THINK = "answer_in_think"
    UNCLOSED_THINK = "unclosed_think"
    UNBALANCED_BOX = "unbalanced_box"
    ANSWER_TOO_LONG = "answer_too_long"  # a box or <answer> tag over max_answer_chars
    MULTIPLE_ANSWERS = "multiple_answers"
    TOO_LONG = "too_long"
    NOT_A_STRING = "not_a_string"
    # what the answer says (task parsers)
    NOT_IN_ANSWER_SPACE = "not_in_answer_space"
    INCONSISTENT_CHOICE = "inconsistent_choice"
    UNPARSEABLE = "unparseable"
    # format verdicts
    NO_THINK = "no_think"
    EMPTY_THINK = "empty_think"
    MULTIPLE_THINK = "multiple_think"
    TEXT_BEFORE_THINK = "text_before_think"
    BAD_ANSWER_TAG = "bad_answer_tag"
    FORMAT_MISMATCH = "format_mismatch"  # paper mode: the published format regex fails
    NOT_CHECKED = "not_checked"
    # a bug of ours, never the model's fault; scored 0 instead of crashing the run
    INTERNAL_ERROR = "internal_error"

    def __str__(self) -> str:
        return self.value


class RewardResult(NamedTuple):
    """The outcome of scoring one completion.

    ``score = accuracy_weight * accuracy + format_weight * format``; all three in [0, 1].
    ``reason`` explains ``accuracy``; ``format_reason`` explains ``format``. ``answer`` is
    the typed answer parsed from the completion (``None`` if there is none) and
    ``ground_truth`` the typed ground truth. ``pred`` is the answer's canonical string
    (``""`` when there is none), as majority-vote metrics want it.

    A NamedTuple: immutable, picklable and cheap to build millions of times a day.
    """

    score: float
    accuracy: float
    format: float
    task: str
    reason: Reason
    format_reason: Reason
    answer: Any
    ground_truth: Any
    pred: str
    mode: str = "default"

    @property
    def is_correct(self) -> bool:
        """True when the answer is exactly right (accuracy 1)."""
        return self.accuracy == 1.0

    def metrics(self) -> dict[str, float]:
        """The same float keys on every path, for trainers that average them."""
        return {"score": self.score, "accuracy": self.accuracy, "format": self.format}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (typed answers rendered canonically)."""
        return {
            "score": self.score,
            "accuracy": self.accuracy,
            "format": self.format,
            "task": self.task,
            "reason": self.reason.value,
            "format_reason": self.format_reason.value,
            "pred": self.pred,
            "answer": self.pred if self.answer is not None else None,
            "ground_truth": str(self.ground_truth),
            "mode": self.mode,
        }

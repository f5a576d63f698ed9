"""Typed errors of the generator (no third-party imports, so the CLI can name them)."""

from __future__ import annotations

from ssrl_rewards.errors import SSRLRewardsError

__all__ = ["GenerateError", "SampleError", "VerificationError"]


class GenerateError(SSRLRewardsError, ValueError):
    """The generator was asked for something it cannot do (bad task, layout or argument)."""


class SampleError(GenerateError):
    """No sample can be made from this input; names the input and the reason.

    The dataset builder skips such inputs and counts them by reason.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class VerificationError(GenerateError):
    """A generated row failed its own verification (a bug of the generator, never skipped)."""

"""The soundness kit: audit any reward function for reward hacking, and property-test it.

    from ssrl_rewards.testing import audit, assert_sound
    report = audit(my_reward, signature="trl")     # AuditReport: .ok, .families, .to_markdown()
    assert_sound(my_reward)                        # in a lab's pytest suite

``ssrl_rewards.testing.strategies`` holds hypothesis strategies per registered task (install
the ``testing`` extra); this package itself does not import hypothesis.
"""

from __future__ import annotations

from ssrl_rewards.testing.audit import (
    SIGNATURES,
    AuditReport,
    FamilyReport,
    Violation,
    assert_sound,
    audit,
    call_reward,
)
from ssrl_rewards.testing.render import ATTACK_FAMILIES, FAMILIES

__all__ = [
    "ATTACK_FAMILIES",
    "FAMILIES",
    "SIGNATURES",
    "AuditReport",
    "FamilyReport",
    "Violation",
    "assert_sound",
    "audit",
    "call_reward",
]

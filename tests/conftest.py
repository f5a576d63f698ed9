"""Hypothesis profiles for the whole suite.

``ci`` (the default) keeps property tests fast on a small shared machine: 100 examples (the
hypothesis default) and no per-example deadline (timing noise from other jobs must not fail a
test).
``thorough`` is for a local soak: ``HYPOTHESIS_PROFILE=thorough pytest``. Tests that pin
their own ``@settings(max_examples=...)`` keep their count under either profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

"""``python -m ssrl_rewards.generate``: the ``ssrl-rewards generate`` command alone."""

from __future__ import annotations

import sys

from ssrl_rewards.generate.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""``python -m ssrl_rewards``: the same command line as ``ssrl-rewards``."""

from __future__ import annotations

import sys

from ssrl_rewards.cli import main

if __name__ == "__main__":
    sys.exit(main())

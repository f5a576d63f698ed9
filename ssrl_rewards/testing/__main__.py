"""``python -m ssrl_rewards.testing MODULE:ATTR``: the audit command (see `cli`)."""

from ssrl_rewards.testing.cli import main

raise SystemExit(main())

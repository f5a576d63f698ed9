"""ms-swift ``--external_plugins`` file: registers ``ssrl``, ``ssrl_accuracy``, ``ssrl_format``.

See `ssrl_rewards.integrations.swift` for the classes and their configuration.
"""

from __future__ import annotations

from ssrl_rewards.integrations.swift import register

register()

"""The registered pretext tasks; importing this package registers them all.

Each task is one module of this package that builds a `TaskSpec` and registers it at
import. Modules are found with `pkgutil`, so a new task is one new module and no other
file changes. Import order (and so `task_names()` order) is deterministic: the paper's
five tasks and the generic ``choice`` first, in their historical order, then every other
module by name. Modules whose name starts with ``_`` are not imported; shared grammars
(``letters``, ``ordering``, ``grid``) register nothing.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["TASK_MODULES"]

# The historical order of `task_names()`; modules not listed follow in name order.
_FIRST = ("shuffle", "flip", "crop", "depth", "position", "choice")


def _discover() -> tuple[str, ...]:
    """Module names of this package in import order (see the module docstring)."""
    found = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )
    first = [name for name in _FIRST if name in found]
    return (*first, *(name for name in found if name not in _FIRST))


TASK_MODULES: tuple[str, ...] = _discover()
for _module in TASK_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

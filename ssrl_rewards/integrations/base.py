"""What every trainer adapter shares: the callable base class, the trainer registry, config.

A trainer is one module in `ssrl_rewards.integrations` that defines its callable class (a
subclass of `SSRLReward`), its entry points and a module-level ``TRAINER = TrainerSpec(...)``
naming the class, the function that prints its ``hooks`` text and an example call.
`trainers` finds every such module, so `make_reward_fn`, ``ssrl-rewards hooks`` and the
docs read one registry: adding a trainer is adding one module. Nothing here imports a
trainer package.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ssrl_rewards.config import RewardConfig, make_config
from ssrl_rewards.errors import ConfigError
from ssrl_rewards.registry import get_task
from ssrl_rewards.result import Reason, RewardResult
from ssrl_rewards.rows import Row, score_row

__all__ = [
    "COMPONENTS",
    "CONFIG_ENV_VAR",
    "ExampleRow",
    "SSRLReward",
    "TrainerSpec",
    "adopt_canonical",
    "fields_from_env",
    "get_trainer",
    "integration_path",
    "reward_from_fields",
    "trainer_names",
    "trainers",
]

COMPONENTS: tuple[str, ...] = ("score", "accuracy", "format")

CONFIG_ENV_VAR = "SSRL_REWARDS_CONFIG"
"""Environment variable holding a JSON object of RewardConfig fields (plus ``task`` and
``component``) for hooks a trainer loads without passing arguments (OpenRLHF, ms-swift)."""


class SSRLReward:
    """State shared by every trainer adapter: immutable after construction, so instances
    are thread-safe and picklable (trainers ship them to workers and Ray actors).

    ``component`` is what the callable reports (``score``, ``accuracy`` or ``format``) and
    names it (``__name__ = "ssrl_<component>"``); ``task`` forces one task for every row.
    """

    framework = "base"

    def __init__(
        self,
        *,
        component: str = "score",
        task: str | None = None,
        config: RewardConfig | None = None,
        ground_truth_key: str | None = None,
        task_key: str | None = "task",
    ) -> None:
        if component not in COMPONENTS:
            raise ConfigError(f"component={component!r} is not one of {list(COMPONENTS)}")
        if config is not None and not isinstance(config, RewardConfig):
            raise ConfigError(f"config={config!r}: expected a RewardConfig or None")
        for label, key in (("ground_truth_key", ground_truth_key), ("task_key", task_key)):
            if key is not None and not isinstance(key, str):
                raise ConfigError(f"{label}={key!r}: expected a column name (str) or None")
        self.component = component
        self.task = get_task(task).name if task is not None else None
        self.config = config if config is not None else make_config()
        self.ground_truth_key = ground_truth_key
        self.task_key = task_key
        self.__name__ = f"ssrl_{component}"
        self.__qualname__ = self.__name__

    def __repr__(self) -> str:
        changed = self.config.model_dump(exclude_defaults=True)
        parts = [f"{self.framework!r}", f"component={self.component!r}"]
        if self.task is not None:
            parts.append(f"task={self.task!r}")
        parts.extend(f"{key}={value!r}" for key, value in changed.items())
        return f"make_reward_fn({', '.join(parts)})"

    def _value(self, result: RewardResult) -> float:
        """The number this callable reports for one result (its component)."""
        value: float = getattr(result, self.component)  # components are result fields
        return value

    def _score(self, row: Row) -> RewardResult:
        """`score_row` with this callable's config."""
        return score_row(row, self.config)


def answered(result: RewardResult) -> bool:
    """Whether the model gave a readable answer (internal errors are not the model's)."""
    return result.answer is not None


def no_answer(result: RewardResult) -> bool:
    """No answer by the model's doing: neither a hedge nor an internal error of ours."""
    return result.answer is None and result.reason not in (
        Reason.MULTIPLE_ANSWERS,
        Reason.INTERNAL_ERROR,
    )


_R = TypeVar("_R", bound=SSRLReward)


def reward_from_fields(cls: type[_R], fields: Mapping[str, Any]) -> _R:
    """`cls` built from one flat mapping: `RewardConfig` fields plus ``component``/``task``.

    The shape of verl ``reward_kwargs``, EasyR1 ``reward_function_kwargs`` and
    ``$SSRL_REWARDS_CONFIG``; an unknown key raises `ConfigError` naming it.
    """
    rest = dict(fields)
    component = rest.pop("component", "score")
    task = rest.pop("task", None)
    return cls(component=component, task=task, config=make_config(**rest))


def fields_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON object in ``$SSRL_REWARDS_CONFIG`` (empty when unset)."""
    env = os.environ if environ is None else environ
    raw = env.get(CONFIG_ENV_VAR, "").strip()
    if not raw:
        return {}
    try:
        fields = json.loads(raw)
    except ValueError:
        raise ConfigError(f"${CONFIG_ENV_VAR}={raw!r} is not valid JSON") from None
    if not isinstance(fields, dict):
        raise ConfigError(f"${CONFIG_ENV_VAR}={raw!r} must be a JSON object of config fields")
    return fields


def integration_path(module: str) -> str:
    """Absolute path of ``ssrl_rewards/integrations/<module>.py`` in this installation
    (``"swift"`` gives ms-swift's plugin file, which lives in a directory of its own)."""
    folder = Path(__file__).resolve().parent
    if module == "swift":
        return str(folder / "ms_swift_plugin" / "ssrl_rewards_plugin.py")
    return str(folder / f"{module}.py")


def adopt_canonical(namespace: MutableMapping[str, Any], canonical: str) -> None:
    """Make a module that a trainer loaded by file path (EasyR1 as ``custom_reward_fn``,
    OpenRLHF as ``reward_func``) use the package's own objects, so its instances pickle
    by reference and its caches are shared. A no-op in the package module itself."""
    if namespace.get("__name__") == canonical:
        return
    module = importlib.import_module(canonical)
    for name in getattr(module, "__all__", ()):
        namespace[name] = getattr(module, name)


# --- the trainer registry ----------------------------------------------------------------------


class ExampleRow(NamedTuple):
    """One plain row for `TrainerSpec.example`: a text completion, its ground truth, an
    optional task cell and an optional prompt text."""

    completion: str
    ground_truth: object
    task: str | None = None
    prompt: str | None = None


@dataclass(frozen=True)
class TrainerSpec:
    """One trainer: its name (``make_reward_fn(name)``), the callable class, its hooks
    text, a one-line summary for the docs, an example call, other accepted names and a
    listing order.

    ``example(reward, rows)`` calls `reward` (an instance of ``reward_class``) on `rows`
    in this trainer's own calling convention (its argument shapes, batching, async or
    not) and returns the number the trainer would receive per row (None for a row it
    skips). Tests drive every registered trainer through it, so a new trainer brings
    its own way of being called rather than a branch in each test.
    """

    name: str
    reward_class: type[SSRLReward]
    hooks: Callable[[], str]
    summary: str
    example: Callable[[Any, Sequence[ExampleRow]], list[float | None]]
    aliases: tuple[str, ...] = ()
    order: int = 100


def _discover() -> dict[str, TrainerSpec]:
    found: list[TrainerSpec] = []
    package = sys.modules["ssrl_rewards.integrations"]
    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg or info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"ssrl_rewards.integrations.{info.name}")
        spec = getattr(module, "TRAINER", None)
        if isinstance(spec, TrainerSpec):
            found.append(spec)
    registry: dict[str, TrainerSpec] = {}
    for spec in sorted(found, key=lambda s: (s.order, s.name)):
        for key in (spec.name, *spec.aliases):
            if key in registry:
                raise ConfigError(f"trainer name {key!r} is registered twice")
            registry[key] = spec
    return registry


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, TrainerSpec]:
    return _discover()


def trainers() -> tuple[TrainerSpec, ...]:
    """Every registered trainer, in listing order (each once)."""
    seen: dict[str, TrainerSpec] = {}
    for spec in _registry().values():
        seen.setdefault(spec.name, spec)
    return tuple(seen.values())


def trainer_names() -> tuple[str, ...]:
    """The canonical names of the registered trainers, in listing order."""
    return tuple(spec.name for spec in trainers())


def get_trainer(name: object) -> TrainerSpec:
    """The trainer called `name` (case-insensitive); `ConfigError` lists the known ones."""
    key = name.strip().lower() if isinstance(name, str) else None
    spec = _registry().get(key) if key is not None else None
    if spec is None:
        raise ConfigError(
            f"framework={name!r} is not supported; choose one of {list(trainer_names())}"
        )
    return spec

"""The public surface: `__all__`, the version, and what `import ssrl_rewards` pulls in."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import subprocess
import sys

import pytest

import ssrl_rewards as sr

EXPECTED_ALL = {
    "DEFAULT_CONFIG",
    "BatchScorer",
    "Box",
    "ConfigError",
    "Envelope",
    "GroundTruthError",
    "Reason",
    "RewardConfig",
    "RewardResult",
    "SSRLRewardsError",
    "TaskSpec",
    "UnknownTaskError",
    "__version__",
    "find_task",
    "get_task",
    "make_config",
    "make_reward_fn",
    "normalize_answer",
    "parse_envelope",
    "parse_ground_truth",
    "parse_options",
    "prompt_text",
    "register_task",
    "score",
    "score_batch",
    "task_names",
}
HEAVY = (
    "scipy",
    "numpy",
    "torch",
    "trl",
    "transformers",
    "verl",
    "ray",
    "sympy",
    "pandas",
    "pyarrow",
)


def test_all_is_exactly_the_documented_api() -> None:
    assert set(sr.__all__) == EXPECTED_ALL
    assert len(sr.__all__) == len(set(sr.__all__))


def test_every_name_in_all_is_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from ssrl_rewards import *", namespace)
    for name in sr.__all__:
        assert getattr(sr, name) is not None, name
        if name != "__version__":
            assert name in namespace, name


def test_version_is_the_installed_distribution_version() -> None:
    assert sr.__version__ == importlib.metadata.version("ssrl-rewards")
    assert sr.__version__ != "0+unknown"


def test_import_pulls_in_no_heavy_or_trainer_package() -> None:
    code = (
        "import json, sys; import ssrl_rewards as sr;"
        " sr.score('<think>x</think> \\\\boxed{B}', 'B');"
        f" print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == []


def test_errors_subclass_the_matching_builtins() -> None:
    assert issubclass(sr.ConfigError, ValueError)
    assert issubclass(sr.GroundTruthError, ValueError)
    assert issubclass(sr.UnknownTaskError, KeyError)
    for error in (sr.ConfigError, sr.GroundTruthError, sr.UnknownTaskError):
        assert issubclass(error, sr.SSRLRewardsError)


def test_registered_task_names_start_with_the_five_tasks_and_the_plain_choice() -> None:
    # the paper's tasks keep their historical order; tasks added since follow
    assert sr.task_names()[:6] == ("shuffle", "flip", "crop", "depth", "position", "choice")


def test_result_has_the_same_float_keys_on_every_path() -> None:
    results = [
        sr.score("<think>x</think> \\boxed{B}", "B"),
        sr.score(None, "B"),
        sr.score("<think>x</think> \\boxed{B}", "B", config=sr.RewardConfig(mode="paper")),
    ]
    for result in results:
        assert set(result.metrics()) == {"score", "accuracy", "format"}
        assert all(isinstance(value, float) for value in result.metrics().values())
        assert set(result.to_dict()) >= {"score", "accuracy", "format", "task", "reason"}


def test_register_task_refuses_a_taken_name_or_alias() -> None:
    spec = sr.get_task("depth")
    before = sr.task_names()
    with pytest.raises(ValueError, match="already registered"):
        sr.register_task(spec)
    renamed = dataclasses.replace(spec, name="depth2", aliases=("Depth Ordering",))
    with pytest.raises(ValueError, match="depth_ordering"):
        sr.register_task(renamed)
    assert sr.task_names() == before
    assert sr.find_task("depth2") is None


def test_every_task_spec_documents_itself() -> None:
    for name in sr.task_names():
        spec = sr.get_task(name)
        assert spec.description and spec.answer_format and spec.examples
        assert set(spec.chance) >= {"exact", "positionwise", "kendall"}
        for example in spec.examples:
            assert isinstance(example, str) and example


def test_envelope_and_box_fields_and_the_answer_too_long_reason() -> None:
    """`Envelope.tag_context`, `Box.too_long` and `Reason.ANSWER_TOO_LONG` are public."""
    assert sr.Reason("answer_too_long") is sr.Reason.ANSWER_TOO_LONG
    assert str(sr.Reason.ANSWER_TOO_LONG) == "answer_too_long"
    assert sr.Envelope._fields[-1] == "tag_context"
    assert sr.Box._fields[-2:] == ("closed", "too_long")
    empty = sr.parse_envelope(None)
    assert (empty.tag_context, empty.reason) == ((), sr.Reason.NOT_A_STRING)


def test_batch_scorer_is_exported_lazily() -> None:
    """`BatchScorer` is in ``__all__`` but ``import ssrl_rewards`` does not import its
    module; even ``from ssrl_rewards import *`` (which builds it) pulls in neither pandas
    nor pyarrow."""
    code = (
        "import json, sys; import ssrl_rewards as sr;"
        " before = 'ssrl_rewards.batch' in sys.modules;"
        " from ssrl_rewards import *;"
        " from ssrl_rewards.batch import BatchScorer as B;"
        " print(json.dumps([before, BatchScorer is B is sr.BatchScorer,"
        " sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules)]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == [False, True, []]

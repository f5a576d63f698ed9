"""Integration-test plumbing: trainer imports, a tiny offline model, CI skip policy.

Outside CI a test whose trainer package is missing skips (the main test environment has
no torch). With ``CI=true`` a skip is a failure: the integration environment installs
every trainer, so a skip there means a test silently stopped testing anything.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import build_tokenizer, trainer_import

IN_CI = os.environ.get("CI", "").lower() == "true"

# EasyR1 is not on the package index: its own-source test is opt-in (EASYR1_SRC=<tree>).
collect_ignore = [] if os.environ.get("EASYR1_SRC") else ["test_easyr1_source.py"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, None, None]:
    """With CI=true, report a skipped integration test as failed, naming the reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and "integrations" in str(item.path):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (integration tests must run): {reason}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Trainer code warns a lot (deprecations of its own dependencies): not our errors."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.integration)
            if "test_server" not in item.path.name:
                item.add_marker(pytest.mark.filterwarnings("ignore"))


@pytest.fixture(scope="session")
def tiny_tokenizer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The word-level tokenizer saved alone: next to a Qwen2 config.json, AutoTokenizer
    would load it as a Qwen2Tokenizer and replace its pre-tokenizer."""
    trainer_import("transformers")
    path = tmp_path_factory.mktemp("tiny-tokenizer")
    build_tokenizer().save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised 2-layer Qwen2 saved to disk (RLOO reloads its reference from it)."""
    torch = trainer_import("torch")
    transformers = trainer_import("transformers")
    tokenizer = build_tokenizer()
    config = transformers.Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=256,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    torch.manual_seed(0)
    model = transformers.Qwen2ForCausalLM(config)
    path = tmp_path_factory.mktemp("tiny-qwen2")
    model.save_pretrained(path)
    return path

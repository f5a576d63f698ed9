"""Integration-test plumbing: trainer imports, a tiny offline model, CI skip policy.

Outside CI a test whose trainer package is missing skips (the main test environment has
no torch). With ``CI=true`` a skip is a failure: the integration environment installs
every trainer, so a skip there means a test silently stopped testing anything
(the hook is in tests/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from integration_helpers import build_tokenizer, trainer_import

# EasyR1 is not on the package index: its own-source test is opt-in (EASYR1_SRC=<tree>).
collect_ignore = [] if os.environ.get("EASYR1_SRC") else ["test_easyr1_source.py"]


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

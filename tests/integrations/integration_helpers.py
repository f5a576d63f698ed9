"""Helpers shared by the integration tests: guarded trainer imports and a tiny tokenizer."""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType
from typing import Any

import pytest


def trainer_import(name: str) -> ModuleType:
    """Import a trainer module or skip; its import-time warnings are not ours to fail on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip(name)


def quiet_import(name: str) -> ModuleType:
    """Import a module whose import-time warnings are not ours (after `trainer_import`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(name)


WORDS = [
    "<think>",
    "</think>",
    "\\boxed{0-2-3-1}",
    "\\boxed{2-1}",
    "\\boxed{B}",
    "\\boxed{A}",
    "\\boxed{3-0}",
    "\\boxed{0-1-2}",
    "\\boxed{1-0}",
    "the",
    "patch",
    "left",
    "right",
    "above",
    "below",
    "image",
    "order",
    "is",
    "answer",
    "shuffle",
    "flip",
    "crop",
    "depth",
    "position",
    "which",
    "one",
    "closer",
    "farther",
    "point",
    "red",
    "blue",
    "first",
    "then",
    "so",
    "thus",
    "because",
    "sky",
    "ground",
    "tree",
    "car",
    "view",
    "camera",
    "object",
    "region",
    "A",
    "B",
    "C",
    "D",
    "0",
    "1",
    "2",
    "3",
    "Left",
    "Right",
    "Front",
    "Back",
    "options",
    "question",
    "reasoning",
    "look",
    "see",
    "user",
    "assistant",
    "system",
]
SPECIALS = ("<pad>", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<unk>")
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def build_tokenizer() -> Any:
    """A word-level ChatML tokenizer built in code (no downloads)."""
    transformers = quiet_import("transformers")
    tokenizers = quiet_import("tokenizers")
    vocab = {token: index for index, token in enumerate((*SPECIALS, *WORDS))}
    model = tokenizers.models.WordLevel(vocab=vocab, unk_token="<unk>")
    backend = tokenizers.Tokenizer(model)
    backend.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    backend.decoder = tokenizers.decoders.WordPiece(prefix="##", cleanup=False)
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend,
        pad_token="<pad>",
        eos_token="<|im_end|>",
        unk_token="<unk>",
        bos_token=None,
    )
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.model_input_names = ["input_ids", "attention_mask"]
    return tokenizer

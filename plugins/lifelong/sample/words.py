"""The sample's word lists (``words.yml`` beside this module, package data: edited as text,
not code), and the cheap pick the generator draws from them with."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

WORDS: dict[str, Any] = yaml.load(
    Path(__file__).with_name("words.yml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def pick(rng: random.Random, items: Sequence[Any]) -> Any:
    """``rng.choice`` at half the cost (the generator calls it about 20 times an entry)."""
    count = len(items)
    return items[min(count - 1, int(rng.random() * count))]

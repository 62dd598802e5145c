"""Turning a learner's sentence into token ids and vectors."""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

MAX_TOKENS = 64  # longer sentences are cut; callers say so to the learner

# A word (letters/digits, with inner apostrophes such as "didn't") or one symbol.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


def tokenize(sentence: str) -> list[str]:
    """Split a sentence into words and punctuation.

    Text is NFC-normalised and control characters are dropped, so anything a
    learner types yields printable tokens ("" yields []).
    """
    text = unicodedata.normalize("NFC", sentence)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Vocab:
    """A token ↔ id table; id 0 is reserved for unknown tokens."""
    tokens: tuple[str, ...]

    UNK = "<unk>"

    @classmethod
    def build(cls, tokens: list[str]) -> "Vocab":
        seen = dict.fromkeys(t.lower() for t in tokens)
        return cls((cls.UNK, *seen))

    def encode(self, tokens: list[str]) -> np.ndarray:
        index = {t: i for i, t in enumerate(self.tokens)}
        return np.array([index.get(t.lower(), 0) for t in tokens], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.tokens)


def token_vectors(tokens: list[str], dim: int, seed: int = 0, dtype=np.float64) -> np.ndarray:
    """A fixed random embedding per word, (T, dim), N(0, 1) entries.

    Each word's vector depends only on the word (case-folded), the dimension
    and the seed, so "cat" looks the same in every sentence a learner types.
    """
    out = np.empty((len(tokens), dim), dtype=dtype)
    for t, token in enumerate(tokens):
        word_seed = zlib.crc32(token.lower().encode("utf-8"))
        out[t] = np.random.default_rng([seed, word_seed]).standard_normal(dim)
    return out

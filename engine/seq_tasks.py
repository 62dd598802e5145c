"""Sequence-to-sequence tasks as (source, target) pairs, and how to batch them.

Every task shares one layout of special tokens, so models and decoders can
use them without asking: <unk> 0, <pad> 1, <bos> 2, <eos> 3. Batches are
time-major like the models: ids (T, B), padding masks (B, T) (True = padding).

    reverse   3 1 4 1 5 9 2 6  ->  6 2 9 5 1 4 1 3
    copy      3 1 4 1 5 9 2 6  ->  3 1 4 1 5 9 2 6
    phrases   I love you very much  ->  ti amo molto
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .tokens import Vocab, tokenize

SPECIALS = ("<unk>", "<pad>", "<bos>", "<eos>")
UNK, PAD, BOS, EOS = range(4)
PHRASES_PATH = Path(__file__).parent / "data" / "phrases_en_it.tsv"


def symbol_vocab(n_symbols: int = 10) -> Vocab:
    """The specials, then the digits "0".."n_symbols-1" (ids 4.. for symbol 0..)."""
    return Vocab((*SPECIALS, *(str(i) for i in range(n_symbols))))


def random_sequences(n: int, length: int = 8, n_symbols: int = 10, seed=0) -> np.ndarray:
    """(n, length) symbol token ids, uniform over the n_symbols symbols."""
    return np.random.default_rng(seed).integers(0, n_symbols, (n, length)) + len(SPECIALS)


def reverse_pairs(n: int, length: int = 8, n_symbols: int = 10, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """(src, tgt), both (n, length): the target is the source read backwards."""
    src = random_sequences(n, length, n_symbols, seed)
    return src, src[:, ::-1].copy()


def copy_pairs(n: int, length: int = 8, n_symbols: int = 10, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """(src, tgt), both (n, length): the target is the source."""
    src = random_sequences(n, length, n_symbols, seed)
    return src, src.copy()


@dataclass(frozen=True)
class Seq2SeqBatch:
    """Teacher forcing: the decoder reads tgt_in and is scored on tgt_out.

        tgt_in   <bos> y1 y2 y3
        tgt_out  y1    y2 y3 <eos>
    """
    src: np.ndarray      # (S, B) ids, PAD after each sentence
    tgt_in: np.ndarray   # (T, B) BOS, then the target
    tgt_out: np.ndarray  # (T, B) the target, then EOS
    src_pad: np.ndarray  # (B, S) True at padding (a key_padding_mask)
    tgt_pad: np.ndarray  # (B, T) True at padding

    @property
    def loss_mask(self) -> np.ndarray:
        """(T, B) True where a prediction is scored (cross_entropy's mask)."""
        return ~self.tgt_pad.T


def make_batch(src: Sequence[Sequence[int]], tgt: Sequence[Sequence[int]]) -> Seq2SeqBatch:
    """Pad id sequences (any lengths) into a time-major batch."""
    B = len(src)
    S = max(len(s) for s in src)
    T = max(len(t) for t in tgt) + 1
    src_ids = np.full((S, B), PAD)
    tgt_in = np.full((T, B), PAD)
    tgt_out = np.full((T, B), PAD)
    for b, (s, t) in enumerate(zip(src, tgt)):
        src_ids[:len(s), b] = s
        tgt_in[0, b] = BOS
        tgt_in[1:len(t) + 1, b] = t
        tgt_out[:len(t), b] = t
        tgt_out[len(t), b] = EOS
    return Seq2SeqBatch(src_ids, tgt_in, tgt_out, (src_ids == PAD).T, (tgt_out == PAD).T)


def strip(ids: Sequence[int]) -> list[int]:
    """The tokens of a decoded sequence: up to (not including) EOS, without BOS/PAD."""
    out = []
    for i in ids:
        if i == EOS:
            break
        if i not in (BOS, PAD):
            out.append(int(i))
    return out


@dataclass(frozen=True)
class PhraseSet:
    """English→Italian phrase pairs with a vocabulary per language (lower-cased)."""
    pairs: tuple[tuple[str, str], ...]

    @cached_property
    def src_vocab(self) -> Vocab:
        return _vocab(en for en, _ in self.pairs)

    @cached_property
    def tgt_vocab(self) -> Vocab:
        return _vocab(it for _, it in self.pairs)

    def encode_src(self, sentence: str) -> np.ndarray:
        """Token ids of an English sentence; unknown words become <unk>."""
        return self.src_vocab.encode(tokenize(sentence))

    def decode_tgt(self, ids: Sequence[int]) -> str:
        return " ".join(self.tgt_vocab.tokens[i] for i in strip(ids))

    def batch(self, indices: Sequence[int] | None = None) -> Seq2SeqBatch:
        """The pairs (all, or those at `indices`) as one padded batch."""
        chosen = [self.pairs[i] for i in (range(len(self.pairs)) if indices is None else indices)]
        return make_batch([self.encode_src(en) for en, _ in chosen],
                          [self.tgt_vocab.encode(tokenize(it)) for _, it in chosen])

    def __len__(self) -> int:
        return len(self.pairs)


def _vocab(sentences) -> Vocab:
    words = dict.fromkeys(t.lower() for s in sentences for t in tokenize(s))
    return Vocab((*SPECIALS, *(w for w in words if w not in SPECIALS)))


def load_phrases(path: Path = PHRASES_PATH) -> PhraseSet:
    """Read tab-separated "English<TAB>Italian" lines; # starts a comment line."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, it = line.split("\t")
            pairs.append((en.strip(), it.strip()))
    return PhraseSet(tuple(pairs))

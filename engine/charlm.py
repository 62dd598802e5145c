"""Character-level language modelling: text loading, the vocabulary, batches, bits per character.

    text = load_text(path)              # TextError with a one-line message if unusable
    corpus = Corpus.from_text(text)     # vocabulary, train ids, held-out ids (last 10%)
    x, y = corpus.batch(context=64, batch_size=32, seed=(0, step))   # (T, B) each
    unigram_bits(corpus)                # the baseline every model must beat

The shipped corpus, engine/data/everyday_prose.txt, is original prose written
for this project (essays, stories, letters and dialogue about everyday
things); `load_corpus()` reads it. Any UTF-8 text file works the same way:
the learner's own, or a module of the standard library (`stdlib_text()`).

Bits per character is the mean negative log₂-probability a model gives the
next character of the held-out text; perplexity per character is 2**bits.
Models are scored on the same held-out windows of `context` characters, each
read from a fresh state, so recurrent models and the Transformer see the
same text with the same history.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
CORPUS_FILE = DATA / "everyday_prose.txt"
MAX_TEXT_BYTES = 5_000_000  # larger files are refused: training reads it all into memory
MIN_TEXT_CHARS = 1_000      # below this the held-out tenth is too short to measure
MAX_VOCAB = 96              # rarer characters share one symbol, UNKNOWN
UNKNOWN = "\ufffd"
HELDOUT = 0.1               # the last tenth of the text is held out


class TextError(ValueError):
    """A text that cannot be used for language modelling; str(error) is one line."""


def load_text(path: str | Path) -> str:
    """Read a UTF-8 text file for training. Raises TextError (one line) when the file
    is missing, unreadable, a directory, empty, larger than MAX_TEXT_BYTES, binary,
    not UTF-8, or too short to hold out a tenth."""
    p = Path(path)
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise TextError(f"{name} is a directory, not a text file")
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise TextError(f"{name} is {size / 1e6:.1f} MB; the limit is {MAX_TEXT_BYTES / 1e6:.0f} MB")
        data = p.read_bytes()
    except FileNotFoundError:
        raise TextError(f"{name}: no such file") from None
    except PermissionError:
        raise TextError(f"{name}: permission denied") from None
    except OSError as e:
        raise TextError(f"{name}: cannot read it ({e.strerror or type(e).__name__})") from None
    return decode_text(data, name)


def decode_text(data: bytes, name: str = "the text") -> str:
    """UTF-8 bytes to text, with the checks of load_text (size, binary, encoding, length)."""
    if not data:
        raise TextError(f"{name} is empty")
    if len(data) > MAX_TEXT_BYTES:
        raise TextError(f"{name} is {len(data) / 1e6:.1f} MB; the limit is {MAX_TEXT_BYTES / 1e6:.0f} MB")
    if b"\x00" in data[:65536]:
        raise TextError(f"{name} looks binary (it holds NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise TextError(f"{name} is not UTF-8 (byte {e.start} cannot be decoded)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\t")
    if controls > 0.01 * min(len(text), 65536):
        raise TextError(f"{name} looks binary ({controls} control characters), not text")
    if len(text) < MIN_TEXT_CHARS:
        raise TextError(f"{name} has {len(text)} characters; at least {MIN_TEXT_CHARS} are needed")
    return text


def load_corpus() -> str:
    """The shipped corpus (original prose, UTF-8, about 100 KB)."""
    return CORPUS_FILE.read_text(encoding="utf-8")


def stdlib_text(module: str = "textwrap") -> str:
    """The source of a standard-library module: text every Python install carries."""
    import importlib.util
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise TextError(f"{module}: no Python source for that module")
    return load_text(spec.origin)


@dataclass(frozen=True)
class CharVocab:
    """Characters ↔ ids. chars[i] is the character of id i; UNKNOWN, if present,
    stands for every character outside the vocabulary."""
    chars: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str, max_size: int = MAX_VOCAB) -> "CharVocab":
        counts = Counter(text)
        if len(counts) <= max_size:
            return cls(tuple(sorted(counts)))
        kept = [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_size - 1]]
        return cls(tuple(sorted(kept)) + (UNKNOWN,))

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chars)}

    def encode(self, text: str) -> np.ndarray:
        index = self.index
        unk = index.get(UNKNOWN)
        if unk is None:
            missing = sorted(set(text) - index.keys())
            if missing:
                raise TextError(f"characters outside the vocabulary: {''.join(missing)[:20]!r}")
            return np.fromiter((index[c] for c in text), dtype=np.int64, count=len(text))
        return np.fromiter((index.get(c, unk) for c in text), dtype=np.int64, count=len(text))

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in np.asarray(ids).reshape(-1))


@dataclass(frozen=True)
class Corpus:
    """A text split into training ids and held-out ids (the last `heldout` fraction)."""
    vocab: CharVocab
    train: np.ndarray    # int64 ids
    heldout: np.ndarray  # int64 ids

    @classmethod
    def from_text(cls, text: str, heldout: float = HELDOUT, vocab: CharVocab | None = None) -> "Corpus":
        if len(text) < MIN_TEXT_CHARS:
            raise TextError(f"the text has {len(text)} characters; at least {MIN_TEXT_CHARS} are needed")
        vocab = vocab or CharVocab.from_text(text)
        ids = vocab.encode(text)
        cut = int(round(len(ids) * (1 - heldout)))
        return cls(vocab, ids[:cut], ids[cut:])

    def batch(self, context: int, batch_size: int, seed) -> tuple[np.ndarray, np.ndarray]:
        """Random training windows: inputs (T, B) and targets (T, B), the next characters."""
        return random_windows(self.train, context, batch_size, np.random.default_rng(seed))


def random_windows(ids: np.ndarray, context: int, batch_size: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """batch_size windows of context+1 consecutive ids at random starts → (T, B) inputs, targets."""
    if len(ids) <= context + 1:
        raise TextError(f"the text is shorter than the context ({context} characters)")
    starts = rng.integers(0, len(ids) - context - 1, size=batch_size)
    win = ids[starts[None, :] + np.arange(context + 1)[:, None]]  # (T+1, B)
    return win[:-1], win[1:]


def heldout_windows(ids: np.ndarray, context: int, max_windows: int | None = None):
    """Non-overlapping windows of the held-out ids: inputs and targets (T, N)."""
    n = (len(ids) - 1) // context
    if max_windows is not None:
        n = min(n, max_windows)
    if n < 1:
        raise TextError(f"the held-out text is shorter than the context ({context} characters)")
    starts = np.arange(n) * context
    win = ids[starts[None, :] + np.arange(context + 1)[:, None]]  # (T+1, N)
    return win[:-1], win[1:]


def bits_per_char(model, ids: np.ndarray, context: int, max_windows: int | None = None,
                  chunk: int = 16) -> float:
    """Mean −log₂ p(next char) of `model` (anything with .logits(ids (T, B)) → (T, B, V))
    over the non-overlapping held-out windows of `context` characters."""
    x, y = heldout_windows(ids, context, max_windows)
    total, count = 0.0, 0
    for lo in range(0, x.shape[1], chunk):
        logits = np.asarray(model.logits(x[:, lo:lo + chunk]), dtype=np.float64)
        logits -= logits.max(axis=-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        t = y[:, lo:lo + chunk]
        total -= float(np.take_along_axis(logp, t[..., None], axis=-1).sum())
        count += t.size
    return total / count / math.log(2)


def unigram_bits(corpus: Corpus) -> float:
    """Bits per character of the unigram model (character frequencies of the training
    ids, add-one smoothed) on the held-out ids: the bar any language model must clear."""
    counts = np.bincount(corpus.train, minlength=len(corpus.vocab)).astype(np.float64) + 1.0
    logp = np.log2(counts / counts.sum())
    return float(-logp[corpus.heldout].mean())

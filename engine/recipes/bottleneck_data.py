"""An invented translation task for the bottleneck: sources of 3 to 24 words.

The source side is a small English grammar,

    S  → NP VERB [NP] PP*          NP → DET ADJ{0,2} NOUN          PP → PREP NP

and the target side an invented language with a word for every source word
(TARGET_WORDS) and one local reordering: adjectives follow their noun, in
reverse order ("the small red fox" → "lo vulpa ressi pikko"). Pairs are
drawn with a given source length (uniform over MIN_LEN..MAX_LEN when
training); held-out pairs are drawn with EVAL_SEED and their sources are
excluded from every training batch.
"""
from __future__ import annotations

import numpy as np

from ..seq_tasks import SPECIALS
from ..tokens import Vocab

DETS = ("the", "a", "this", "every")
ADJS = ("small", "red", "old", "quick", "quiet", "green", "tall", "brave", "sleepy", "bright")
NOUNS = ("fox", "bird", "river", "child", "farmer", "boat", "horse", "garden", "king", "stone",
         "wolf", "tree", "baker", "lamp")
VERBS = ("sees", "follows", "finds", "carries", "paints", "hears", "leaves", "watches")
PREPS = ("near", "under", "behind", "with", "beyond", "across")
TARGET_WORDS = {  # invented words, one per source word
    "the": "lo", "a": "un", "this": "sto", "every": "ogna",
    "small": "pikko", "red": "ressi", "old": "vekka", "quick": "lesto", "quiet": "tasso",
    "green": "virda", "tall": "alko", "brave": "forti", "sleepy": "dormi", "bright": "lusa",
    "fox": "vulpa", "bird": "avi", "river": "fluma", "child": "kindo", "farmer": "agra", "boat": "navo",
    "horse": "kaval", "garden": "orto", "king": "rega", "stone": "petra", "wolf": "lupo", "tree": "arbo",
    "baker": "pana", "lamp": "luma",
    "sees": "vida", "follows": "sekva", "finds": "trova", "carries": "porta", "paints": "pinta",
    "hears": "auda", "leaves": "lasa", "watches": "mira",
    "near": "apud", "under": "sub", "behind": "post", "with": "kun", "beyond": "trans", "across": "tra",
}
MIN_LEN, MAX_LEN = 3, 24
EVAL_SEED = 515


def vocabs() -> tuple[Vocab, Vocab]:
    """(source, target): the specials (<unk> <pad> <bos> <eos>) first, then the words."""
    src = (*SPECIALS, *TARGET_WORDS)
    return Vocab(src), Vocab((*SPECIALS, *TARGET_WORDS.values()))


def _np(rng, n_adj: int) -> tuple[list[str], list[str]]:
    det, noun = DETS[rng.integers(len(DETS))], NOUNS[rng.integers(len(NOUNS))]
    adjs = [ADJS[k] for k in rng.choice(len(ADJS), n_adj, replace=False)]
    return [det, *adjs, noun], [det, noun, *adjs[::-1]]


def _plan(rng, length: int) -> list[tuple[str, int]]:
    """Constituents ("np", adjectives) / ("verb", 0) / ("prep", 0) adding up to `length` words:
    a random feasible choice of object (0/1) and prepositional phrases, the rest adjectives."""
    options = [(obj, k) for obj in (0, 1) for k in range(length // 3 + 1)
               if 0 <= length - 3 - 2 * obj - 3 * k <= 2 * (1 + obj + k)]
    obj, k = options[rng.integers(len(options))]
    parts: list[tuple[str, int]] = [("np", 0), ("verb", 0), *[("np", 0)] * obj, *[("prep", 0), ("np", 0)] * k]
    nps = [j for j, part in enumerate(parts) if part[0] == "np"]
    for _ in range(length - 3 - 2 * obj - 3 * k):  # adjectives, at most two per noun phrase
        free = [j for j in nps if parts[j][1] < 2]
        j = free[rng.integers(len(free))]
        parts[j] = ("np", parts[j][1] + 1)
    return parts


def pair(rng, length: int) -> tuple[list[str], list[str]]:
    """One (source, target) word pair with a source of `length` words."""
    src, tgt = [], []
    for kind, n_adj in _plan(rng, length):
        if kind == "np":
            s, t = _np(rng, n_adj)
        else:
            s = [(VERBS if kind == "verb" else PREPS)[rng.integers(len(VERBS if kind == "verb" else PREPS))]]
            t = s
        src += s
        tgt += t
    return src, [TARGET_WORDS[w] for w in tgt]


def pairs(n: int, seed, lengths=None) -> list[tuple[list[str], list[str]]]:
    """n pairs; source lengths uniform over MIN_LEN..MAX_LEN, or cycling through `lengths`."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        length = lengths[k % len(lengths)] if lengths is not None else int(rng.integers(MIN_LEN, MAX_LEN + 1))
        out.append(pair(rng, length))
    return out

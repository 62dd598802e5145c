"""The coreference corpus: original templated sentences whose pronoun "it" can
only be resolved by the adjective after it.

    the horse didn't cross the canal because it was tired    → it = horse
    the horse didn't cross the canal because it was wide     → it = canal
    the canal was not crossed by the horse because it was muddy → it = canal

Two noun classes (animals and people that move; obstacles they meet) and two
adjective classes, each adjective fitting only its own class. Frames put the
mover first or the obstacle first, so the referent is neither "always the
first noun" nor "always the nearest". The task (see coreference.py) is to
name the referent at the position of "it".

Held-out combinations: a (referent, adjective) pair is held out when a hash
of it says so (about a quarter of them), and always for (animal, tired) and
(street, wide), so lesson 08's two sentences are never seen in training.
Training sentences never contain a held-out pair; the held-out set contains
only held-out pairs. Words outside the vocabulary read as <unk>; training
replaces a few words with <unk> so that unknown words in a learner's
sentence are handled like words the model has not met.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ..tokens import Vocab, tokenize

MOVERS = ("animal", "dog", "cat", "horse", "cow", "fox", "goat", "sheep", "boy", "girl", "man",
          "woman", "child", "rabbit", "mouse", "deer", "donkey", "pig", "bear", "wolf")
OBSTACLES = ("street", "river", "road", "bridge", "wall", "fence", "hill", "field", "stream", "lake",
             "ditch", "path", "track", "canal", "valley", "trench", "ridge", "slope", "lane", "pond")
MOVER_ADJECTIVES = ("tired", "scared", "sleepy", "hungry", "lazy", "weak", "sick", "afraid", "exhausted",
                    "nervous", "injured", "frightened", "timid", "thirsty", "clumsy", "sad", "cold", "bored")
OBSTACLE_ADJECTIVES = ("wide", "deep", "steep", "long", "narrow", "icy", "busy", "muddy", "flooded", "high",
                       "slippery", "rough", "crowded", "wet", "frozen", "rocky", "broad", "tall")
# {m}: the mover, {o}: the obstacle, {a}: the adjective
MOVER_FIRST = ("the {m} didn't cross the {o} because it was {a}",
               "the {m} did not climb the {o} because it was too {a}",
               "the {m} couldn't get over the {o} because it was so {a}",
               "the {m} avoided the {o} because it was {a}",
               "a {m} refused to cross the {o} since it was {a}")
OBSTACLE_FIRST = ("the {o} was not crossed by the {m} because it was {a}",
                  "the {o} stopped the {m} because it was too {a}",
                  "the {o} was too much for the {m} since it was so {a}",
                  "a {o} blocked the {m} because it was {a}")
LESSON_PAIRS = {("animal", "tired"), ("street", "wide")}
PAD = "<pad>"
CLASSES = ("mover", "obstacle")      # adjective class = the referent's class
ORDERS = ("mover first", "obstacle first")


def held_out(noun: str, adjective: str) -> bool:
    return (noun, adjective) in LESSON_PAIRS or zlib.crc32(f"{noun}|{adjective}".encode()) % 4 == 0


def vocab() -> Vocab:
    frames = " ".join(MOVER_FIRST + OBSTACLE_FIRST).replace("{m}", "").replace("{o}", "").replace("{a}", "")
    words = [PAD, *tokenize(frames), ".", *MOVERS, *OBSTACLES, *MOVER_ADJECTIVES, *OBSTACLE_ADJECTIVES]
    return Vocab.build(words)


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    pronoun: int      # index of "it"
    referent: int     # index of the noun "it" refers to
    other: int        # index of the other noun
    adjective_class: str
    order: str


def sentence(frame: str, mover: str, obstacle: str, adjective: str, stop: bool = False) -> Sentence:
    tokens = tokenize(frame.format(m=mover, o=obstacle, a=adjective)) + (["."] if stop else [])
    cls = "mover" if adjective in MOVER_ADJECTIVES else "obstacle"
    m, o = tokens.index(mover), tokens.index(obstacle)
    return Sentence(tuple(tokens), tokens.index("it"), m if cls == "mover" else o,
                    o if cls == "mover" else m, cls, ORDERS[frame in OBSTACLE_FIRST])


def sample(n: int, seed, split: str = "train") -> list[Sentence]:
    """n sentences of the split ("train" or "held_out"), half of each adjective class,
    half of each noun order (alternating), drawn with `seed`."""
    rng = np.random.default_rng(seed)
    want_held = split == "held_out"
    out: list[Sentence] = []
    while len(out) < n:
        k = len(out)
        cls, order = CLASSES[k % 2], ORDERS[(k // 2) % 2]
        frames = MOVER_FIRST if order == ORDERS[0] else OBSTACLE_FIRST
        mover, obstacle = MOVERS[rng.integers(len(MOVERS))], OBSTACLES[rng.integers(len(OBSTACLES))]
        adjectives = MOVER_ADJECTIVES if cls == "mover" else OBSTACLE_ADJECTIVES
        adjective = adjectives[rng.integers(len(adjectives))]
        frame = frames[rng.integers(len(frames))]
        stop = bool(rng.random() < 0.5)
        if held_out(mover if cls == "mover" else obstacle, adjective) == want_held:
            out.append(sentence(frame, mover, obstacle, adjective, stop))
    return out


def encode(sentences: list[Sentence], vocab: Vocab, unk_rate: float = 0.0, rng=None):
    """(ids (T, B), key_padding_mask (B, T), targets (T, B), loss mask (T, B)): the referent
    word is the target at the pronoun. With unk_rate, words (the nouns too) turn <unk> at random."""
    T, B = max(len(s.tokens) for s in sentences), len(sentences)
    pad = vocab.tokens.index(PAD)
    ids = np.full((T, B), pad, dtype=np.int64)
    targets = np.zeros((T, B), dtype=np.int64)
    mask = np.zeros((T, B), dtype=bool)
    for b, s in enumerate(sentences):
        row = vocab.encode(list(s.tokens))
        if unk_rate:
            drop = rng.random(len(row)) < unk_rate
            drop[s.pronoun] = False
            row[drop] = 0
        ids[:len(row), b] = row
        targets[s.pronoun, b], mask[s.pronoun, b] = row[s.referent], True
    return ids, (ids == pad).T, targets, mask

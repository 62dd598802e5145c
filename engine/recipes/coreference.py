"""Coreference: a two-layer bidirectional attention-only Transformer that names
what "it" refers to (zoo model ``coreference``).

Task: on the templated corpus of coreference_data.py, predict at the position
of "it" the noun it refers to (the output is a word of the vocabulary). The
adjective after "it" decides which of the two nouns that is, and held-out
sentences pair referents with adjectives never seen together in training,
so the model has to resolve the pronoun, not remember sentences.

Phenomenon: in one head (chosen on training-distribution
sentences, stored in meta["shown"]), the row of "it" puts its largest weight
on the referent. Measured on held-out sentences separately for each adjective
class and noun order; the bar is ≥ 0.9 in every one of the four cells.

API for scenes:
    coref = load_coreference()                      # lazily, from engine/weights
    tokens, weights = coreference_attention(coref, "The animal didn't cross the street because it was tired")
    weights[layer][head]                            # (n, n), rows sum to 1
    coref.layer, coref.head                         # the head the lesson shows
    resolve(coref, sentence)                        # {pronoun index: the word the model names}
    untrained_coreference(seed)                     # same architecture, random weights
Any sentence works: words outside the vocabulary read as <unk>, text beyond
MAX_TOKENS is cut, and an empty sentence gives no tokens.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from ..attention_only import AttentionOnlyConfig, AttentionOnlyTransformer
from ..losses import cross_entropy
from ..tokens import MAX_TOKENS, Vocab, tokenize
from ..train import train_adam
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights
from . import coreference_data as data

NAME = "coreference"
EVAL_SEED, SELECT_SEED = 2024, 77   # held-out sentences; the training-distribution set that picks the head
SEEDS = (0, 1, 2, 3)  # tried in order; the first whose chosen head passes on SELECT_SEED's sentences ships
SELECT_BAR = 0.95
PRONOUNS = ("it",)


@dataclass(frozen=True)
class CoreferenceRecipe:
    steps: int = 4000
    batch_size: int = 64
    lr: float = 3e-3
    clip: float = 1.0
    warmup: int = 100
    unk_rate: float = 0.04
    d_model: int = 32
    nhead: int = 2
    num_layers: int = 2


@dataclass
class Coreference:
    model: AttentionOnlyTransformer
    vocab: Vocab
    layer: int   # the layer and head the lesson shows
    head: int
    meta: dict


def config(vocab_size: int, r: CoreferenceRecipe) -> AttentionOnlyConfig:
    return AttentionOnlyConfig(vocab_size, r.d_model, r.nhead, r.num_layers, MAX_TOKENS, causal=False)


def train_coreference(seed: int = 0, recipe: CoreferenceRecipe = CoreferenceRecipe(), steps: int | None = None,
                      callback=None, dtype=np.float32) -> tuple[AttentionOnlyTransformer, list[float]]:
    vocab = data.vocab()
    model = AttentionOnlyTransformer(config(len(vocab), recipe), seed=seed, dtype=dtype)

    def loss_and_grads(step: int):
        rng = np.random.default_rng((seed, step))
        batch = data.sample(recipe.batch_size, rng, "train")
        ids, pad, targets, mask = data.encode(batch, vocab, recipe.unk_rate, rng)
        logits, cache = model.forward(ids, pad)
        loss, d_logits = cross_entropy(logits, targets, mask)
        return loss, model.backward(d_logits, cache)

    steps = recipe.steps if steps is None else steps
    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, recipe.warmup, callback)


def _weights(model, sentences: list, vocab: Vocab) -> np.ndarray:
    ids, pad, _, _ = data.encode(sentences, vocab)
    _, cache = model.forward(ids, pad)
    return np.stack(cache.weights, axis=1)  # (B, layers, heads, T, T)


def hit_rates(model, vocab: Vocab, sentences: list) -> dict[tuple[str, str], np.ndarray]:
    """Per (adjective class, noun order): the share of sentences, for every (layer, head),
    whose pronoun row puts its largest weight on the referent. Arrays (layers, heads)."""
    w = _weights(model, sentences, vocab)
    rows = np.array([w[b, :, :, s.pronoun].argmax(-1) == s.referent for b, s in enumerate(sentences)])
    cells = {}
    for cls in data.CLASSES:
        for order in data.ORDERS:
            pick = [b for b, s in enumerate(sentences) if s.adjective_class == cls and s.order == order]
            cells[(cls, order)] = rows[pick].mean(axis=0)
    return cells


def referent_accuracy(model, vocab: Vocab, sentences: list) -> float:
    """Share of sentences whose output at the pronoun is the referent word."""
    ids, pad, targets, mask = data.encode(sentences, vocab)
    logits, _ = model.forward(ids, pad)
    return float((logits.argmax(-1) == targets)[mask].mean())


def choose_head(model, vocab: Vocab) -> tuple[int, int]:
    """The (layer, head) whose worst cell is best, on training-distribution sentences."""
    cells = hit_rates(model, vocab, data.sample(400, SELECT_SEED, "train"))
    worst = np.min(np.stack(list(cells.values())), axis=0)
    layer, head = np.unravel_index(int(worst.argmax()), worst.shape)
    return int(layer), int(head)


def reaches_bar(model, vocab: Vocab) -> bool:
    """Does one head point "it" at the referent in every cell, on training-distribution sentences?"""
    layer, head = choose_head(model, vocab)
    cells = hit_rates(model, vocab, data.sample(400, SELECT_SEED, "train"))
    return min(float(v[layer, head]) for v in cells.values()) >= SELECT_BAR


def held_out_set(n: int = 800) -> list:
    return data.sample(n, EVAL_SEED, "held_out")


def coreference_attention(coref: Coreference, sentence: str) -> tuple[list[str], np.ndarray]:
    """(tokens, weights (layers, heads, n, n)) for any sentence (cut at MAX_TOKENS words)."""
    tokens = tokenize(sentence)[:MAX_TOKENS]
    c = coref.model.config
    if not tokens:
        return [], np.zeros((c.num_layers, c.nhead, 0, 0))
    return tokens, coref.model.attention(coref.vocab.encode(tokens))


def resolve(coref: Coreference, sentence: str) -> dict[int, str]:
    """{index of each pronoun: the word the model names for it}."""
    tokens = tokenize(sentence)[:MAX_TOKENS]
    if not tokens:
        return {}
    logits, _ = coref.model.forward(coref.vocab.encode(tokens)[:, None])
    return {i: coref.vocab.tokens[int(logits[i, 0].argmax())] for i, t in enumerate(tokens)
            if t.lower() in PRONOUNS}


def load_coreference(dtype=np.float64) -> Coreference:
    arrays, meta = read_weights(NAME)
    vocab = Vocab(tuple(meta["vocab"]))
    model = AttentionOnlyTransformer(AttentionOnlyConfig(**meta["config"]), dtype=dtype)
    model.load_state_dict(arrays)
    return Coreference(model, vocab, meta["shown"]["layer"], meta["shown"]["head"], meta)


def untrained_coreference(seed: int = 0, dtype=np.float64) -> Coreference:
    """The same architecture and vocabulary with random weights (what training changed)."""
    vocab = data.vocab()
    model = AttentionOnlyTransformer(config(len(vocab), CoreferenceRecipe()), seed=seed, dtype=dtype)
    return Coreference(model, vocab, CoreferenceRecipe().num_layers - 1, 0, {})


def measure_coreference() -> list[Measurement]:
    coref = load_coreference()
    cells = hit_rates(coref.model, coref.vocab, held_out_set())
    out = [Measurement(f"'it'→referent top-1, {cls} adjectives, {order}", float(v[coref.layer, coref.head]), 0.9)
           for (cls, order), v in cells.items()]
    flips = [resolve(coref, f"The animal didn't cross the street because it was {a}") for a in ("tired", "wide")]
    lesson = [coreference_attention(coref, f"The animal didn't cross the street because it was {a}")
              for a in ("tired", "wide")]
    looked = [toks[int(w[coref.layer, coref.head, toks.index("it")].argmax())] for toks, w in lesson]
    out.append(Measurement("lesson sentence flips animal→street (row of 'it', output)",
                           float(looked == ["animal", "street"] and [f[7] for f in flips] == ["animal", "street"]),
                           1.0))
    return out


def retrain_coreference() -> dict:
    """Train SEEDS in order and ship the first whose chosen head passes on the selection sentences.

    Some seeds split the work: one head per adjective class (layer 0 for
    movers, another for obstacles), so no single head passes; they are
    skipped, and meta says which."""
    recipe = CoreferenceRecipe()
    vocab = data.vocab()
    skipped = []
    for seed in SEEDS:
        t0 = time.perf_counter()
        model, losses = train_coreference(seed, recipe)
        seconds = time.perf_counter() - t0
        if reaches_bar(model, vocab):
            break
        skipped.append(seed)
    layer, head = choose_head(model, vocab)
    held = held_out_set()
    cells = hit_rates(model, vocab, held)
    meta = {"config": asdict(model.config), "recipe": asdict(recipe), "seed": seed,
            "seeds_skipped": skipped, "selection": {"seed": SELECT_SEED, "n": 400, "bar": SELECT_BAR},
            "vocab": list(vocab.tokens), "shown": {"layer": layer, "head": head},
            "data": "engine/recipes/coreference_data.py: templated sentences, two noun orders, referent "
                    "named at 'it'; (referent, adjective) pairs split, about a quarter held out",
            "eval": {"n": len(held), "seed": EVAL_SEED, "split": "held_out"},
            "results": {"hit_rate": {f"{c}, {o}": float(v[layer, head]) for (c, o), v in cells.items()},
                        "referent_accuracy": referent_accuracy(model, vocab, held)},
            "final_loss": losses[-1], "train_seconds": round(seconds, 1)}
    save_weights(NAME, model.params, meta)
    return meta


MODELS = [ZooModel(NAME, "two-layer attention-only Transformer that resolves 'it' (lesson 08)",
                   load_coreference, measure_coreference, retrain_coreference)]

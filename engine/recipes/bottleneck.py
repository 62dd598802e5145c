"""The bottleneck, measured: an RNN encoder–decoder without attention and one with
Bahdanau attention, trained on the same pairs with the same budget (zoo model
``bottleneck``; one file holds both, under ``plain.*`` and ``attention.*``).

Data: bottleneck_data.py, an invented translation task with sources of 3 to
24 words. Both models: GRU cells, the same sizes, the same seed, the same
batches (drawn per step with the seed), the same steps, learning rate and
clipping; the held-out sources never appear in training.

Metric: token accuracy of greedy translations (position by position over
the reference; a missing or extra word is wrong), by source-length bucket,
on held-out pairs. Bars (the shape of Bahdanau et al. 2015, fig. 2): within
0.15 of each other on the shortest bucket, at least 0.2 apart on the longest.

API: load_bottleneck() -> Bottleneck (plain, attention, src_vocab, tgt_vocab,
meta); accuracy_by_length(model, ...) -> {bucket label: accuracy};
meta["results"] holds both curves as measured when trained; translate(model,
vocabs, sentence) -> the greedy translation of one sentence.
"""
from __future__ import annotations

import functools
import time
from dataclasses import asdict, dataclass

import numpy as np

from ..decode import greedy_decode
from ..losses import cross_entropy
from ..seq2seq import Seq2SeqAttention, Seq2SeqConfig
from ..seq2seq_plain import Seq2SeqPlain
from ..seq_tasks import EOS, make_batch, strip
from ..tokens import Vocab, tokenize
from ..train import train_adam
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights, subset
from . import bottleneck_data as data

NAME = "bottleneck"
KINDS = {"plain": Seq2SeqPlain, "attention": Seq2SeqAttention}
BUCKETS = ((3, 6), (7, 10), (11, 14), (15, 19), (20, 24))
PER_LENGTH = 24  # held-out pairs per source length
SHORT_BAR, LONG_BAR = 0.15, 0.2


@dataclass(frozen=True)
class BottleneckRecipe:
    steps: int = 600
    batch_size: int = 48
    lr: float = 5e-3
    clip: float = 1.0
    embed_dim: int = 24
    hidden_size: int = 32
    attention_size: int = 32


@dataclass
class Bottleneck:
    plain: Seq2SeqPlain
    attention: Seq2SeqAttention
    src_vocab: Vocab
    tgt_vocab: Vocab
    meta: dict


def bucket_label(lo: int, hi: int) -> str:
    return f"{lo}–{hi}"


def held_out_pairs() -> list:
    """The evaluation pairs, PER_LENGTH of each source length (a fresh copy of a cached list)."""
    return [(list(s), list(t)) for s, t in _held_out()]


@functools.cache
def _held_out() -> tuple:
    # generated once: drawing the 528 pairs took ~40 ms, a quarter of the scene's frames
    return tuple(data.pairs(PER_LENGTH * (data.MAX_LEN - data.MIN_LEN + 1), data.EVAL_SEED,
                            lengths=list(range(data.MIN_LEN, data.MAX_LEN + 1))))


def _encode(pairs, src_vocab: Vocab, tgt_vocab: Vocab):
    return make_batch([src_vocab.encode(s) for s, _ in pairs], [tgt_vocab.encode(t) for _, t in pairs])


def train_translator(kind: str, seed: int = 0, recipe: BottleneckRecipe = BottleneckRecipe(),
                     steps: int | None = None, callback=None, dtype=np.float32):
    """Train the "plain" or the "attention" model; returns (model, losses)."""
    src_vocab, tgt_vocab = data.vocabs()
    config = Seq2SeqConfig(len(src_vocab), len(tgt_vocab), recipe.embed_dim, recipe.hidden_size,
                           recipe.attention_size, "gru")
    model = KINDS[kind](config, seed=seed, dtype=dtype)
    held = {tuple(s) for s, _ in held_out_pairs()}

    def loss_and_grads(step: int):
        batch = [p for p in data.pairs(recipe.batch_size, (seed, step)) if tuple(p[0]) not in held]
        b = _encode(batch, src_vocab, tgt_vocab)
        logits, cache = model.forward(b.src, b.tgt_in, b.src_pad)
        loss, d_logits = cross_entropy(logits, b.tgt_out, b.loss_mask)
        return loss, model.backward(d_logits, cache)

    steps = recipe.steps if steps is None else steps
    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, callback=callback)


def accuracy_by_length(model, src_vocab: Vocab, tgt_vocab: Vocab, pairs=None) -> dict[str, float]:
    """{bucket label: token accuracy of greedy translations} on held-out pairs (or `pairs`)."""
    pairs = held_out_pairs() if pairs is None else pairs
    by_length: dict[int, list] = {}
    for p in pairs:
        by_length.setdefault(len(p[0]), []).append(p)
    right = {b: 0 for b in BUCKETS}
    total = {b: 0 for b in BUCKETS}
    for length, group in sorted(by_length.items()):
        # each group's words encoded in one call (Vocab.encode builds its index per call)
        src = src_vocab.encode([w for s, _ in group for w in s]).reshape(len(group), length).T  # (S, B)
        wanted = np.split(tgt_vocab.encode([w for _, t in group for w in t]),
                          np.cumsum([len(t) for _, t in group])[:-1])
        result = greedy_decode(model.next_token_log_probs(src), len(group), length + 2)
        bucket = next(b for b in BUCKETS if b[0] <= length <= b[1])
        for seq, want in zip(result.sequences(), wanted):
            right[bucket] += sum(int(a == b) for a, b in zip(seq, want.tolist()))
            total[bucket] += max(len(want), len(seq))
    return {bucket_label(*b): float(right[b] / total[b]) for b in BUCKETS if total[b]}


def translate(model, src_vocab: Vocab, tgt_vocab: Vocab, sentence: str) -> str:
    words = tokenize(sentence)
    if not words:
        return ""
    src = src_vocab.encode(words)[:, None]
    result = greedy_decode(model.next_token_log_probs(src), 1, 2 * len(words) + 2)
    return " ".join(tgt_vocab.tokens[i] for i in strip(result.tokens[:, 0]) if i != EOS)


def load_bottleneck(dtype=np.float64) -> Bottleneck:
    arrays, meta = read_weights(NAME)
    config = Seq2SeqConfig(**meta["config"])
    models = {}
    for kind, cls in KINDS.items():
        models[kind] = cls(config, dtype=dtype)
        models[kind].load_state_dict(subset(arrays, kind))
    src_vocab, tgt_vocab = data.vocabs()
    return Bottleneck(models["plain"], models["attention"], src_vocab, tgt_vocab, meta)


def _gaps(curves: dict[str, dict[str, float]]) -> tuple[float, float]:
    first, last = bucket_label(*BUCKETS[0]), bucket_label(*BUCKETS[-1])
    return (float(abs(curves["attention"][first] - curves["plain"][first])),
            float(curves["attention"][last] - curves["plain"][last]))


def measure_bottleneck() -> list[Measurement]:
    b = load_bottleneck()
    curves = {k: accuracy_by_length(getattr(b, k), b.src_vocab, b.tgt_vocab) for k in KINDS}
    short, long = _gaps(curves)
    return [Measurement(f"|with − without attention|, sources {bucket_label(*BUCKETS[0])}", short, SHORT_BAR, "<="),
            Measurement(f"with − without attention, sources {bucket_label(*BUCKETS[-1])}", long, LONG_BAR)]


def retrain_bottleneck(seed: int = 0) -> dict:
    recipe = BottleneckRecipe()
    models, seconds, losses = {}, {}, {}
    for kind in KINDS:
        t0 = time.perf_counter()
        models[kind], run = train_translator(kind, seed, recipe)
        seconds[kind], losses[kind] = round(time.perf_counter() - t0, 1), run[-1]
    src_vocab, tgt_vocab = data.vocabs()
    curves = {k: accuracy_by_length(m, src_vocab, tgt_vocab) for k, m in models.items()}
    short, long = _gaps(curves)
    meta = {"config": asdict(models["plain"].config), "recipe": asdict(recipe), "seed": seed,
            "data": "engine/recipes/bottleneck_data.py: invented grammar, sources 3–24 words, word-for-word "
                    "with adjectives after the noun; fresh pairs per step",
            "eval": {"seed": data.EVAL_SEED, "per_length": PER_LENGTH, "buckets": [list(b) for b in BUCKETS],
                     "metric": "token accuracy of greedy translations"},
            "results": {"accuracy_by_length": curves, "gap_shortest": short, "gap_longest": long},
            "final_loss": losses, "train_seconds": seconds}
    params = {f"{kind}.{k}": v for kind, m in models.items() for k, v in m.params.items()}
    save_weights(NAME, params, meta)
    return meta


MODELS = [ZooModel(NAME, "GRU encoder–decoders with and without attention, accuracy by source length",
                   load_bottleneck, measure_bottleneck, retrain_bottleneck)]

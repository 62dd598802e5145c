"""The capstone's four language models: one training step each, NumPy engine against torch.

At the capstone's defaults (engine.lm_train.LMRecipe: size "small", context
64, batch 32, float32), one step is forward, cross-entropy, backward,
gradient clipping and Adam, on both sides, one thread each, timed
alternately run by run. Torch's models are the same architectures:
nn.Embedding → nn.RNN/LSTM/GRU → nn.Linear, and nn.TransformerEncoderLayer
(post-norm, ReLU, no dropout) under a causal mask with sinusoidal positions.
Both sides run inside engine.allocator.training_allocator(), as the engine's
training loops do (torch keeps its tensors' memory in its own allocator).

A second row per pair (information, no bar) times one epoch of the
held-out text on equal work for the RNN and the Transformer, with the count
of sequential steps each needs (engine.lm_parallel).
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from bench.table import Row

BARS = {"rnn": 0.5, "gru": 0.5, "lstm": 1.2, "transformer": 0.75}
REPEAT, WARMUP = 21, 3


def engine_step(kind: str) -> Callable[[], object]:
    from engine.charlm import Corpus, load_corpus
    from engine.language_models import build_lm
    from engine.lm_train import LMRecipe
    from engine.optim import Adam, clip_grad_norm

    r = LMRecipe()
    corpus = Corpus.from_text(load_corpus())
    model = build_lm(kind, len(corpus.vocab), r.size, r.context, seed=0)
    opt = Adam(model.params, lr=r.lr)
    x, y = corpus.batch(r.context, r.batch_size, seed=0)

    def step():
        loss, grads = model.loss_and_grads(x, y)
        clip_grad_norm(grads, r.clip)
        opt.step(grads)
    return step


def torch_step(kind: str) -> Callable[[], object] | None:
    try:
        import torch
    except ImportError:
        return None
    from engine.charlm import Corpus, load_corpus
    from engine.language_models import EMBED, SIZES
    from engine.lm_train import LMRecipe
    from engine.positional import positional_encoding

    torch.set_num_threads(1)
    torch.manual_seed(0)
    r = LMRecipe()
    corpus = Corpus.from_text(load_corpus())
    V = len(corpus.vocab)
    width = SIZES[r.size][kind]
    nn = torch.nn
    if kind == "transformer":
        d, layers, heads, ff = width
        emb, head = nn.Embedding(V, d), nn.Linear(d, V)
        stack = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0) for _ in range(layers))
        pe = torch.tensor(positional_encoding(r.context, d, dtype=np.float32))[:, None]
        mask = torch.triu(torch.full((r.context, r.context), float("-inf")), diagonal=1)
        modules = nn.ModuleList([emb, stack, head])

        def forward(ids):
            h = emb(ids) + pe
            for layer in stack:
                h = layer(h, src_mask=mask)
            return head(h)
    else:
        emb = nn.Embedding(V, EMBED)
        rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](EMBED, width)
        head = nn.Linear(width, V)
        modules = nn.ModuleList([emb, rnn, head])

        def forward(ids):
            return head(rnn(emb(ids))[0])
    opt = torch.optim.Adam(modules.parameters(), lr=r.lr)
    x, y = (torch.tensor(a) for a in corpus.batch(r.context, r.batch_size, seed=0))

    def step():
        opt.zero_grad(set_to_none=True)
        logits = forward(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(modules.parameters(), r.clip)
        opt.step()
    return step


def paired_medians(a, b) -> tuple[float, float | None]:
    """Median CPU seconds of a() and b(), alternating the two run by run.

    CPU time of the process (both sides on one thread): on a shared machine the
    wall clock also counts the time other processes held the core."""
    times_a, times_b = [], []
    for k in range(WARMUP + REPEAT):
        for fn, times in ((a, times_a), (b, times_b)):
            if fn is None:
                continue
            t0 = time.process_time()
            fn()
            if k >= WARMUP:
                times.append(time.process_time() - t0)
    return statistics.median(times_a), (statistics.median(times_b) if times_b else None)


def run() -> list[Row]:
    from engine.language_models import LABELS
    from engine.lm_train import LMRecipe

    r = LMRecipe()
    rows = []
    from engine.allocator import training_allocator
    for kind in ("rnn", "lstm", "gru", "transformer"):
        with training_allocator():  # as engine.lm_train trains: freed activations stay in the process
            ours, ref = paired_medians(engine_step(kind), torch_step(kind))
        rows.append(Row(
            name=f"LM train step {LABELS[kind]} ({r.size}, T={r.context} B={r.batch_size} f32)",
            value=ours * 1e3, unit="ms",
            reference="torch not installed" if ref is None else f"torch {ref * 1e3:.3g} ms",
            ratio=None if ref is None else ours / ref,
            bar=BARS[kind],
        ))
    rows.append(epoch_row(r))
    return rows


def epoch_row(r) -> Row:
    """One epoch of the training text, equal work, RNN and Transformer (information)."""
    from engine.charlm import Corpus, load_corpus
    from engine.lm_parallel import compare

    corpus = Corpus.from_text(load_corpus())
    t = compare(corpus, size=r.size, context=r.context, batch_size=r.batch_size)
    rnn, tf = t["rnn"], t["transformer"]
    return Row(
        name=(f"LM epoch Transformer vs RNN ({tf.characters} chars; sequential steps "
              f"{tf.sequential_steps} vs {rnn.sequential_steps})"),
        value=tf.seconds, unit="s", reference=f"RNN {rnn.seconds:.3g} s",
        ratio=tf.seconds / rnn.seconds, bar=None)


if __name__ == "__main__":
    for row in run():
        print(row)

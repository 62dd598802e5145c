"""Attention, forward + backward, NumPy engine against torch CPU, float32, one thread.

Every row but the last is one forward + backward pass that also returns the
attention weights (SDPA: single head, d = 64; MHA: self-attention, 4 heads).

Both sides return the attention weights: torch's reference for scaled
dot-product attention is the same formula under autograd (F.scaled_dot_product_attention
cannot return weights), for multi-head attention nn.MultiheadAttention with
need_weights=True, for the encoder layer nn.TransformerEncoderLayer (dropout 0,
training mode). The two sides are timed alternately, run by run, so load from
other processes hits both alike. A last row times the reversal Transformer's
training run against its 30 s bar.
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from bench.table import Row

B, D, HEADS = 8, 64, 4
SIZES = {32: 1.0, 128: 1.0, 512: 1.2}  # n -> bar (ratio to torch)
ENC = dict(batch=16, length=32, d_model=64, nhead=4, ff=256, bar=1.5)
F32 = np.float32


def paired_medians(a: Callable[[], object], b: Callable[[], object] | None,
                   seconds: float = 1.5) -> tuple[float, float | None]:
    """Median seconds of a() and b(), alternating run by run (at least 10 pairs)."""
    for fn in (a, b):  # warm up
        for _ in range(3):
            fn and fn()
    times_a, times_b = [], []
    start = time.perf_counter()
    while len(times_a) < 10 or (time.perf_counter() - start < seconds and len(times_a) < 200):
        for fn, times in ((a, times_a), (b, times_b)):
            if fn is not None:
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
    return statistics.median(times_a), (statistics.median(times_b) if times_b else None)


def _torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    return torch


def sdpa_pair(n: int):
    from engine.attention import scaled_dot_product_attention, scaled_dot_product_attention_backward
    rng = np.random.default_rng(0)
    q, k, v, g = (rng.standard_normal((B, n, D)).astype(F32) for _ in range(4))

    def ours():
        out, cache = scaled_dot_product_attention(q, k, v)
        return cache.weights, scaled_dot_product_attention_backward(g, cache)

    torch = _torch()
    if torch is None:
        return ours, None
    tq, tk, tv = (torch.tensor(x, requires_grad=True) for x in (q, k, v))
    tg, scale = torch.tensor(g), 1.0 / math.sqrt(D)

    def theirs():
        for t in (tq, tk, tv):
            t.grad = None
        weights = torch.softmax(tq @ tk.transpose(-1, -2) * scale, dim=-1)
        (weights @ tv).backward(tg)
        return weights
    return ours, theirs


def mha_pair(n: int):
    import engine
    rng = np.random.default_rng(0)
    model = engine.MultiHeadAttention(D, HEADS, seed=0, dtype=F32)
    x, g = (rng.standard_normal((n, B, D)).astype(F32) for _ in range(2))

    def ours():
        out, cache = model.forward(x, x, x)
        dq, dk, dv, grads = model.backward(g, cache)
        return cache.weights, dq + dk + dv, grads

    torch = _torch()
    if torch is None:
        return ours, None
    mha = torch.nn.MultiheadAttention(D, HEADS, dropout=0.0)
    tx, tg = torch.tensor(x, requires_grad=True), torch.tensor(g)

    def theirs():
        mha.zero_grad(set_to_none=True)
        tx.grad = None
        out, weights = mha(tx, tx, tx, need_weights=True, average_attn_weights=False)
        out.backward(tg)
        return weights
    return ours, theirs


def encoder_pair():
    import engine
    c = ENC
    rng = np.random.default_rng(0)
    layer = engine.TransformerEncoderLayer(c["d_model"], c["nhead"], c["ff"], seed=0, dtype=F32)
    x, g = (rng.standard_normal((c["length"], c["batch"], c["d_model"])).astype(F32) for _ in range(2))

    def ours():
        out, cache = layer.forward(x)
        return layer.backward(g, cache)

    torch = _torch()
    if torch is None:
        return ours, None
    ref = torch.nn.TransformerEncoderLayer(c["d_model"], c["nhead"], c["ff"], dropout=0.0)
    tx, tg = torch.tensor(x, requires_grad=True), torch.tensor(g)

    def theirs():
        ref.zero_grad(set_to_none=True)
        tx.grad = None
        ref(tx).backward(tg)
    return ours, theirs


def _row(name: str, pair, bar: float) -> Row:
    ours, ref = paired_medians(*pair)
    return Row(name=name, value=ours * 1e3, unit="ms",
               reference="torch not installed" if ref is None else f"torch {ref * 1e3:.3g} ms",
               ratio=None if ref is None else ours / ref, bar=bar)


def training_row() -> Row:
    from engine.recipes.toy_tasks import eval_set, sequence_accuracy, train_reversal
    t0 = time.perf_counter()
    model, losses = train_reversal(seed=0)
    seconds = time.perf_counter() - t0
    accuracy = sequence_accuracy(model, *eval_set("reverse"))
    return Row(name=f"train reversal, {len(losses)} steps", value=seconds, unit="s",
               reference=f"{accuracy:.1%} held-out (bar ≥ 99%)", ratio=None, bar=30.0, bar_kind="s")


def run() -> list[Row]:
    rows = [_row(f"SDPA n={n} B={B} d={D}", sdpa_pair(n), bar) for n, bar in SIZES.items()]
    rows += [_row(f"MHA n={n} B={B} E={D} h={HEADS}", mha_pair(n), bar) for n, bar in SIZES.items()]
    c = ENC
    rows.append(_row(f"enc layer B={c['batch']} L={c['length']} d={c['d_model']} h={c['nhead']} ff={c['ff']}",
                     encoder_pair(), c["bar"]))
    rows.append(training_row())
    return rows

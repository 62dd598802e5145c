"""One token's vector on its way through a Transformer encoder layer.

The sentence's word vectors plus sinusoidal positions (d_model 16) go through
one seeded engine.TransformerEncoderLayer (2 heads, feed-forward 32, post-norm
as in the original). Every stage of the chosen token's vector comes from the
layer's forward cache: the input is the attention's cached query, x + attention
and x + FFN are the cached pre-norm activations, and the norms' outputs the
cached post-norm ones. The two sublayer outputs are the layer's own output
projections applied to their cached inputs (the concatenated heads and the
FFN's hidden ReLU units), which is how forward computed them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import engine
from engine.transformer import EncoderLayerCache

from .attention_common import D_MODEL, no_words, read_sentence, with_note
from tutor.frames import Frame, Grid, Table, frozen

NHEAD = 2
DIM_FEEDFORWARD = 32
STAGES = ("input x", "attn(x)", "x+attn", "norm1", "FFN", "+FFN", "norm2")
STAGE_NAMES = ("x = embedding + position", "self-attention output", "x + attention (residual)",
               "norm1: LayerNorm", "feed-forward output", "norm1 + FFN (residual)", "norm2: the layer's output")


@dataclass(frozen=True)
class Flow:
    tokens: tuple[str, ...]
    note: str
    stages: np.ndarray        # (7, T, d_model) every token at every stage
    attention: np.ndarray     # (H, T, T) self-attention weights
    active: np.ndarray        # (T,) hidden FFN units above 0 per token
    eps: float


def stages_from_cache(layer: engine.TransformerEncoderLayer, cache: EncoderLayerCache) -> np.ndarray:
    """(7, T, d_model) for batch 0, in the order of STAGES."""
    L, B, E = cache.self_attn.query.shape
    attn, _ = layer.self_attn.out_proj.forward(cache.self_attn.out_proj.x)   # (L·B, E) from the cached heads
    ffn, _ = layer.ff.linear2.forward(cache.ff.hidden)                          # (L·B, E) from the cached ReLU
    out = (cache.self_attn.query, attn.reshape(L, B, E), cache.norm1.x, cache.norm1.y,
           ffn.reshape(L, B, E), cache.norm2.x, cache.norm2.y)
    return np.stack([s[:, 0] for s in out])                                     # (7, L, E)


def run(sentence: str, seed: int) -> Flow:
    s = read_sentence(sentence, seed, d_model=D_MODEL)
    T = len(s.tokens)
    layer = engine.TransformerEncoderLayer(D_MODEL, NHEAD, DIM_FEEDFORWARD, seed=seed)
    if not T:
        return Flow((), s.note, np.zeros((7, 0, D_MODEL)), np.zeros((NHEAD, 0, 0)), np.zeros(0), layer.norm1.eps)
    _, cache = layer.forward(s.X[:, None, :])                                   # X: (T, B=1, d_model)
    active = (cache.ff.hidden > 0).sum(axis=-1)                                 # (T·B,)
    return Flow(s.tokens, s.note, stages_from_cache(layer, cache), cache.weights[0], active, layer.norm1.eps)


def signed(x: float) -> str:
    """+0.1234, with a rounding-error −0 shown as +0.0000."""
    return f"{round(float(x), 4) + 0.0:+.4f}"


def stats_table(values: np.ndarray, shown: int) -> Table:
    """Mean and standard deviation of each stage's vector over its d_model numbers."""
    rows = tuple((STAGE_NAMES[k], signed(values[k].mean()), f"{values[k].std():.4f}",
                  f"{np.linalg.norm(values[k]):.3f}") if k < shown else (STAGE_NAMES[k], "·", "·", "·")
                 for k in range(len(STAGES)))
    return Table(f"each stage over its {D_MODEL} numbers", ("stage", "mean", "std", "‖v‖"), rows,
                 highlight_row=shown - 1)


def frames(sentence: str, token: int, seed: int) -> Iterator[Frame]:
    flow = run(sentence, seed)
    tokens, T = flow.tokens, len(flow.tokens)
    if not T:
        yield no_words(flow.note)
        return
    t = min(max(token, 1), T) - 1
    note = flow.note if token <= T else with_note(
        f"Token {token} asked, but the sentence has {T}: showing token {T}.", flow.note)
    v = flow.stages[:, t]                                                       # (7, d_model)
    limit = float(np.max(np.abs(v))) or 1.0
    label = f"token {t + 1}/{T} {tokens[t]!r}"
    captions = _captions(flow, t, label, seed)
    for k in range(len(STAGES)):
        shown = v.copy()
        shown[k + 1:] = np.nan
        grid = Grid(f"{label} through one encoder layer", frozen(shown), STAGES,
                    tuple(str(i + 1) for i in range(D_MODEL)), -limit, limit, row_title="stage",
                    col_title="dimension", mark_row=k, fmt="{:+.4f}")
        yield Frame((grid, stats_table(v, k + 1)), with_note(captions[k], note), step=k)


def _captions(flow: Flow, t: int, label: str, seed: int) -> tuple[str, ...]:
    v, tokens = flow.stages[:, t], flow.tokens
    mean_w = flow.attention[:, t].mean(axis=0)                                  # (T,) mean over heads
    top = np.argsort(-mean_w, kind="stable")[:3]
    looked = ", ".join(f"{tokens[j]!r} {mean_w[j]:.2f}" for j in top)
    m = [float(x.mean()) for x in v]
    s = [float(x.std()) for x in v]
    n = [float(np.linalg.norm(x)) for x in v]
    H, T = flow.attention.shape[0], len(tokens)
    untrained = (f"Untrained: random word vectors and one layer seeded {seed}; d_model {D_MODEL} "
                 f"(512 in the base model), {H} heads, FFN {DIM_FEEDFORWARD}, γ = 1 and β = 0 as initialised.")
    return (
        f"{label} arrives as its word vector plus the sinusoidal code of position {t + 1}: "
        f"{D_MODEL} numbers, mean {m[0]:+.3f}, std {s[0]:.3f}.",
        (f"Self-attention: the only stage where {tokens[t]!r} hears from the other {T - 1} "
         f"token{'s' if T != 2 else ''}. Its weights (mean of {H} heads): {looked}." if T > 1 else
         f"Self-attention: alone in the sentence, {tokens[t]!r} can only attend to itself (weight 1).")
        + f" The output is a mix of values, ‖attn‖ = {n[1]:.3f} against ‖x‖ = {n[0]:.3f}.",
        f"Add: x + attention. The input passes around the sublayer and the attention adds a correction: "
        f"mean {m[2]:+.3f}, std {s[2]:.3f}.",
        f"Norm: LayerNorm(x + attention) rescales the vector on its own: mean {signed(m[3])}, std {s[3]:.4f} "
        f"(≈ 1: √(σ² + ε) with ε = {flow.eps:g}).",
        f"Feed-forward, on this token alone: {D_MODEL} → {DIM_FEEDFORWARD} → {D_MODEL}, "
        f"{int(flow.active[t])} of {DIM_FEEDFORWARD} hidden ReLU units active; output mean {m[4]:+.3f}, "
        f"std {s[4]:.3f}.",
        f"Add again: norm1's output + FFN, mean {m[5]:+.3f}, std {s[5]:.3f}.",
        f"Norm again: mean {signed(m[6])}, std {s[6]:.4f}. Whatever came in (std {s[0]:.3f}, then {s[2]:.3f} and "
        f"{s[5]:.3f} before each norm), {label} leaves with {D_MODEL} numbers at mean ≈ 0 and std ≈ 1, "
        f"ready for the next layer.\n{untrained}",
    )

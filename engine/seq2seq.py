"""RNN encoder–decoder with Bahdanau (additive) attention (Bahdanau et al., 2015).

    encoder   →h_j = Cell(E_src[x_j], →h_{j-1}),  ←h_j = Cell_rev(E_src[x_j], ←h_{j+1})
              h_j = [→h_j; ←h_j]                                   the annotations
    decoder   e_tj = w_vᵀ·tanh(W_q·s_{t-1} + W_k·h_j),  α_t = softmax_j(e_t)
              c_t = Σ_j α_tj·h_j
              s_t = Cell([E_tgt[y_{t-1}]; c_t], s_{t-1}),     s_0 = ←h_1
              p(y_t | y_<t, x) = softmax(out([s_t; c_t]))

The encoder reads both ways, so each h_j is about word j and its neighbours
on both sides, which keeps the alignment α sharp. The decoder's step t needs
s_{t-1}, so it runs one step at a time; decoder_steps runs it one token at a
time for generation, carrying s_t and the keys W_k·h_j between tokens. The cell is engine.GRU (cell="gru")
or engine.RNN (cell="rnn"). Sequences are time-major: ids (T, B), padding
masks (B, S) (True = padding; sentences are padded at the end).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .attention import AdditiveAttention, AdditiveAttentionCache, combine_masks, masked_softmax
from .embedding import Embedding, EmbeddingCache
from .functional import log_softmax
from .gru import GRU
from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed


@dataclass(frozen=True)
class Seq2SeqConfig:
    src_vocab: int
    tgt_vocab: int
    embed_dim: int = 32
    hidden_size: int = 64
    attention_size: int = 64
    cell: str = "gru"  # "gru" or "rnn"


@dataclass(frozen=True)
class EncoderState:
    outputs: np.ndarray       # (S, B, 2H) annotations h_j = [→h_j; ←h_j], attention's keys and values
    padding: np.ndarray | None  # (B, S) key_padding_mask
    reverse: np.ndarray       # (S, B) time index that reverses each sentence within its length
    embed: EmbeddingCache
    forward_rnn: object       # caches of the two encoder cells
    reverse_rnn: object

    @property
    def final(self) -> np.ndarray:
        """s_0 = ←h_1, the backward reading's summary of the sentence, (B, H)."""
        return self.outputs[0, :, self.outputs.shape[-1] // 2:]


@dataclass(frozen=True)
class Seq2SeqDecoderCache:
    embed: EmbeddingCache
    attention: tuple[AdditiveAttentionCache, ...]  # one per step
    rnn: tuple[object, ...]                        # the cell's cache, one per step
    out: LinearCache                               # x = [s_t; c_t], (T, B, 3H)

    @property
    def weights(self) -> np.ndarray:
        """The alignment α, (B, T, S): row t is where output t looked."""
        return np.concatenate([a.weights for a in self.attention], axis=1)


@dataclass(frozen=True)
class Seq2SeqCache:
    encoder: EncoderState
    decoder: Seq2SeqDecoderCache

    @property
    def weights(self) -> np.ndarray:
        return self.decoder.weights  # (B, T, S)


def _cell(kind: str):
    from . import GRU, RNN
    try:
        return {"gru": GRU, "rnn": RNN}[kind]
    except KeyError:
        raise ValueError(f"cell must be 'gru' or 'rnn', not {kind!r}") from None


class Seq2SeqAttention(Module):
    def __init__(self, config: Seq2SeqConfig, seed: int = 0, dtype=np.float64):
        self.config, c = config, config
        Cell = _cell(c.cell)
        s = [int(x) for x in np.random.default_rng(seed).integers(2**31, size=7)]
        E, H = c.embed_dim, c.hidden_size
        self.src_embed = Embedding(c.src_vocab, E, seed=s[0], dtype=dtype)
        self.tgt_embed = Embedding(c.tgt_vocab, E, seed=s[1], dtype=dtype)
        self.encoder = Cell(E, H, seed=s[2], dtype=dtype)
        self.encoder_reverse = Cell(E, H, seed=s[6], dtype=dtype)
        self.decoder = Cell(E + 2 * H, H, seed=s[3], dtype=dtype)
        self.attention = AdditiveAttention(H, 2 * H, c.attention_size, seed=s[4], dtype=dtype)
        self.out = Linear(3 * H, c.tgt_vocab, seed=s[5], dtype=dtype)
        self.params = nested_params({"src_embed": self.src_embed, "tgt_embed": self.tgt_embed,
                                     "encoder": self.encoder, "encoder_reverse": self.encoder_reverse,
                                     "decoder": self.decoder, "attention": self.attention,
                                     "out": self.out})

    def encode(self, src: np.ndarray, src_key_padding_mask: np.ndarray | None = None) -> EncoderState:
        """src ids (S, B)."""
        S, B = src.shape
        pad = src_key_padding_mask
        lengths = np.full(B, S) if pad is None else S - np.asarray(pad).sum(axis=1)  # (B,)
        t = np.arange(S)[:, None]
        reverse = np.where(t < lengths, lengths - 1 - t, t)  # (S, B); its own inverse
        x, embed = self.src_embed.forward(src)  # (S, B, E)
        h_fwd, fwd = self.encoder.forward(x)  # (S, B, H)
        h_rev, rev = self.encoder_reverse.forward(x[reverse, np.arange(B)])  # (S, B, H) in reading order
        h = np.concatenate([h_fwd, h_rev[reverse, np.arange(B)]], axis=-1)  # (S, B, 2H)
        return EncoderState(h, pad, reverse, embed, fwd, rev)

    def decode(self, tgt_in: np.ndarray, enc: EncoderState):
        """tgt_in ids (T, B), starting with BOS. Returns (logits (T, B, V), cache)."""
        T, B = tgt_in.shape
        y, embed = self.tgt_embed.forward(tgt_in)  # (T, B, E)
        s = enc.final
        states, contexts, att_caches, rnn_caches = [], [], [], []
        for t in range(T):
            c, att = self.attention.forward(s[None], enc.outputs, enc.outputs, enc.padding)  # (1, B, 2H)
            out, rnn = self.decoder.forward(np.concatenate([y[t:t + 1], c], axis=-1), s)  # (1, B, H)
            s = out[0]
            states.append(s)
            contexts.append(c[0])
            att_caches.append(att)
            rnn_caches.append(rnn)
        features = np.concatenate([np.stack(states), np.stack(contexts)], axis=-1)  # (T, B, 3H)
        logits, out = self.out.forward(features)  # (T, B, V)
        return logits, Seq2SeqDecoderCache(embed, tuple(att_caches), tuple(rnn_caches), out)

    def forward(self, src: np.ndarray, tgt_in: np.ndarray,
                src_key_padding_mask: np.ndarray | None = None):
        """src ids (S, B), tgt_in ids (T, B). Returns (logits (T, B, V), cache)."""
        enc = self.encode(src, src_key_padding_mask)
        logits, dec = self.decode(tgt_in, enc)
        return logits, Seq2SeqCache(enc, dec)

    def backward(self, d_logits: np.ndarray, cache: Seq2SeqCache) -> dict[str, np.ndarray]:
        """Returns grads keyed like state_dict()."""
        enc, dec = cache.encoder, cache.decoder
        H = self.config.hidden_size
        d_features, g_out = self.out.backward(d_logits, dec.out)  # (T, B, 3H)
        d_h = np.zeros_like(enc.outputs)  # (S, B, 2H) into the annotations
        d_y = np.zeros(dec.embed.ids.shape + (self.config.embed_dim,), dtype=d_logits.dtype)
        d_s = np.zeros_like(enc.final)  # into s_t from step t+1
        grads: dict[str, np.ndarray] = {}
        for t in reversed(range(len(dec.rnn))):
            d_s = d_s + d_features[t, :, :H]
            d_in, d_s_prev, g = self.decoder.backward(d_s[None], dec.rnn[t])  # (1, B, E+2H)
            _accumulate(grads, prefixed("decoder", g))
            d_y[t] = d_in[0, :, :-2 * H]
            d_c = d_in[:, :, -2 * H:] + d_features[None, t, :, H:]  # (1, B, 2H)
            d_q, d_k, d_v, g = self.attention.backward(d_c, dec.attention[t])
            _accumulate(grads, prefixed("attention", g))
            d_h += d_k
            d_h += d_v
            d_s = d_s_prev + d_q[0]
        B = d_s.shape[0]
        d_h[0, :, H:] += d_s  # s_0 = ←h_1
        d_x, _, g = self.encoder.backward(np.ascontiguousarray(d_h[..., :H]), enc.forward_rnn)
        grads.update(prefixed("encoder", g))
        d_rev = d_h[..., H:][enc.reverse, np.arange(B)]  # (S, B, H) in the reverse cell's order
        d_x_rev, _, g = self.encoder_reverse.backward(d_rev, enc.reverse_rnn)
        d_x += d_x_rev[enc.reverse, np.arange(B)]
        grads.update(prefixed("encoder_reverse", g))
        grads.update(prefixed("src_embed", self.src_embed.backward(d_x, enc.embed)))
        grads.update(prefixed("tgt_embed", self.tgt_embed.backward(d_y, dec.embed)))
        grads.update(prefixed("out", g_out))
        return grads

    def next_token_log_probs(self, src: np.ndarray, src_key_padding_mask: np.ndarray | None = None):
        """Encode src (S, B) once. Returns f(prefix (t, N)) -> (N, V): log-probabilities of
        the token after each prefix (prefixes start with BOS; N = B, or any N when B = 1).
        f.steps(N) is the incremental decoder over the same encoding (decoder_steps)."""
        return NextToken(self, self.encode(src, src_key_padding_mask))

    def decoder_steps(self, enc: EncoderState) -> Callable[[np.ndarray], np.ndarray]:
        """step(tokens (B,)) -> (B, V): feed each sequence its next input token (BOS first), get
        the log-probabilities of the token after it. s_t is carried from call to call and the
        keys W_k·h_j are projected once, so a token costs one decoder step."""
        att = self.attention
        S, B = enc.outputs.shape[:2]
        keys, _ = att.W_k.forward(enc.outputs)  # (S, B, A)
        values = enc.outputs.transpose(1, 0, 2)  # (B, S, 2H)
        mask = combine_masks(None, enc.padding, False, 1, S, 3)  # (B, 1, S)
        bound = float(np.abs(att.w_v.params["weight"]).sum())  # as in AdditiveAttention.forward
        W_q, w_v = att.W_q.params["weight"].T, att.w_v.params["weight"].T  # (H, A), (A, 1)
        cell, table = cell_step(self.decoder), self.tgt_embed.params["weight"]
        s = enc.final  # (B, H)

        def step(tokens: np.ndarray) -> np.ndarray:
            nonlocal s
            e = np.tanh(s @ W_q + keys) @ w_v  # (S, B, 1) energies
            weights = masked_softmax(e[..., 0].T[:, None].copy(), mask, bound=bound)  # (B, 1, S)
            c = (weights @ values)[:, 0]  # (B, 2H)
            s = cell(np.concatenate([table[tokens], c], axis=-1), s)
            return self.output_log_probs(s, c)

        return step

    def output_log_probs(self, s: np.ndarray, c: np.ndarray) -> np.ndarray:
        """log softmax(out([s_t; c_t])), (B, V)."""
        logits, _ = self.out.forward(np.concatenate([s, c], axis=-1))
        return log_softmax(logits, axis=-1)


class NextToken:
    """A model's next-token log-probabilities over one encoding, whole prefix per call (the
    beam search's and the reference's way), and its incremental decoder (steps)."""

    def __init__(self, model: Seq2SeqAttention, enc: EncoderState):
        self.model, self.enc = model, enc

    def _encoding(self, N: int) -> EncoderState:
        return self.enc if self.enc.final.shape[0] == N else _repeat(self.enc, N)

    def __call__(self, prefix: np.ndarray) -> np.ndarray:
        logits, _ = self.model.decode(prefix, self._encoding(prefix.shape[1]))
        return log_softmax(logits[-1], axis=-1)

    def steps(self, N: int) -> Callable[[np.ndarray], np.ndarray]:
        """A fresh incremental decoder for N sequences (N = B, or any N when B = 1)."""
        return self.model.decoder_steps(self._encoding(N))


def cell_step(cell) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """One step of a recurrent cell, step(x (B, I), h (B, H)) -> h (B, H). For a GRU the weights
    are laid out once and the step does GRU.forward's arithmetic for T = 1 without its per-call
    set-up; any other cell runs its forward for one step."""
    if not isinstance(cell, GRU):
        return lambda x, h: cell.forward(x[None], h)[0][0]
    H = cell.hidden_size
    W_ih, W_hh, b_ih, b_hh = (cell.params[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    half = W_hh.dtype.type(0.5)  # σ(a) = ½ + ½·tanh(a/2), with the r and z rows halved
    W_x_rz, b_rz = np.ascontiguousarray((W_ih[:2 * H] * half).T), (b_ih[:2 * H] + b_hh[:2 * H]) * half
    W_x_n, b_n = np.ascontiguousarray(W_ih[2 * H:].T), b_ih[2 * H:]
    W_h_rz, W_h_n, b_hn = np.ascontiguousarray((W_hh[:2 * H] * half).T), np.ascontiguousarray(W_hh[2 * H:].T), \
        b_hh[2 * H:]

    def step(x: np.ndarray, h: np.ndarray) -> np.ndarray:
        a = x @ W_x_rz
        a += b_rz
        a += h @ W_h_rz
        np.tanh(a, out=a)
        a *= half
        a += half
        hn = h @ W_h_n
        hn += b_hn
        n = x @ W_x_n
        n += b_n
        n += a[:, :H] * hn  # r ⊙ (h·W_hnᵀ + b_hn)
        np.tanh(n, out=n)
        h_new = h - n
        h_new *= a[:, H:]  # z
        h_new += n  # n + z ⊙ (h - n)
        return h_new

    return step


def _accumulate(total: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
    for name, g in grads.items():
        if name in total:
            total[name] += g
        else:
            total[name] = g


def _repeat(enc: EncoderState, N: int) -> EncoderState:
    """One encoded sentence as N identical ones (for the beams of beam search)."""
    pad = None if enc.padding is None else np.repeat(enc.padding, N, axis=0)  # (N, S)
    return replace(enc, outputs=np.repeat(enc.outputs, N, axis=1), padding=pad,
                   reverse=np.repeat(enc.reverse, N, axis=1))

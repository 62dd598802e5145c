"""Transformer layers and models (post-norm, ReLU, no dropout), laid out like PyTorch.

TransformerEncoderLayer / TransformerDecoderLayer match torch.nn.TransformerEncoderLayer /
TransformerDecoderLayer with norm_first=False, activation="relu", dropout=0 and
batch_first=False, parameter for parameter:

    encoder:  x = norm1(x + SelfAttn(x));  x = norm2(x + FFN(x))
    decoder:  x = norm1(x + SelfAttn(x));  x = norm2(x + CrossAttn(x, memory));
              x = norm3(x + FFN(x))

Transformer is the encoder–decoder of Vaswani et al.: token embeddings plus
sinusoidal positions, nn.Transformer's stacks (with its final encoder.norm and
decoder.norm) and an output projection `lm_head`. (DecoderOnlyTransformer, the
GPT-style stack of causal self-attention layers, is in engine/decoder_only.py.) Sequences are time-major:
token ids (T, B), activations (T, B, d_model), padding masks (B, T).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attention import causal_mask
from .embedding import Embedding, EmbeddingCache
from .feedforward import FeedForward, FeedForwardCache
from .functional import log_softmax
from .layernorm import LayerNorm, LayerNormCache
from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed
from .multihead import MultiHeadAttention, MultiheadAttentionCache
from .positional import positional_encoding


def layer_seeds(seed: int, n: int) -> list[int]:
    return [int(s) for s in np.random.default_rng(seed).integers(2**31, size=n)]


# ---------------------------------------------------------------- layers

@dataclass(frozen=True)
class EncoderLayerCache:
    self_attn: MultiheadAttentionCache
    norm1: LayerNormCache  # x = src + SelfAttn(src), before and after norm1
    ff: FeedForwardCache
    norm2: LayerNormCache  # x + FFN(x), before and after norm2

    @property
    def weights(self) -> np.ndarray:
        return self.self_attn.weights  # (B, H, L, L)


class TransformerEncoderLayer(Module):
    def __init__(self, d_model: int, nhead: int, dim_feedforward: int,
                 seed: int = 0, dtype=np.float64):
        s = layer_seeds(seed, 2)
        self.self_attn = MultiHeadAttention(d_model, nhead, seed=s[0], dtype=dtype)
        self.ff = FeedForward(d_model, dim_feedforward, seed=s[1], dtype=dtype)
        self.norm1 = LayerNorm(d_model, dtype=dtype)
        self.norm2 = LayerNorm(d_model, dtype=dtype)
        self.params = {**nested_params({"self_attn": self.self_attn}), **self.ff.params,
                       **nested_params({"norm1": self.norm1, "norm2": self.norm2})}

    def forward(self, src: np.ndarray, src_mask: np.ndarray | None = None,
                src_key_padding_mask: np.ndarray | None = None):
        """src (L, B, d_model). Returns (output (L, B, d_model), cache)."""
        sa, sa_cache = self.self_attn.forward(src, src, src, src_mask, src_key_padding_mask)
        x, n1 = self.norm1.forward(src + sa)
        ff, ff_cache = self.ff.forward(x)
        out, n2 = self.norm2.forward(x + ff)
        return out, EncoderLayerCache(sa_cache, n1, ff_cache, n2)

    def backward(self, d_output: np.ndarray, cache: EncoderLayerCache):
        """Returns (d_src, grads)."""
        d_res2, g_n2 = self.norm2.backward(d_output, cache.norm2)
        d_x, g_ff = self.ff.backward(d_res2, cache.ff)
        d_x += d_res2
        d_res1, g_n1 = self.norm1.backward(d_x, cache.norm1)
        dq, dk, dv, g_sa = self.self_attn.backward(d_res1, cache.self_attn)
        d_src = d_res1 + dq
        d_src += dk
        d_src += dv
        grads = {**prefixed("self_attn", g_sa), **g_ff,
                 **prefixed("norm1", g_n1), **prefixed("norm2", g_n2)}
        return d_src, grads


@dataclass(frozen=True)
class DecoderLayerCache:
    self_attn: MultiheadAttentionCache
    norm1: LayerNormCache
    multihead_attn: MultiheadAttentionCache  # cross-attention over the memory
    norm2: LayerNormCache
    ff: FeedForwardCache
    norm3: LayerNormCache

    @property
    def weights(self) -> np.ndarray:
        return self.self_attn.weights  # (B, H, T, T)

    @property
    def cross_weights(self) -> np.ndarray:
        return self.multihead_attn.weights  # (B, H, T, S)


class TransformerDecoderLayer(Module):
    def __init__(self, d_model: int, nhead: int, dim_feedforward: int,
                 seed: int = 0, dtype=np.float64):
        s = layer_seeds(seed, 3)
        self.self_attn = MultiHeadAttention(d_model, nhead, seed=s[0], dtype=dtype)
        self.multihead_attn = MultiHeadAttention(d_model, nhead, seed=s[1], dtype=dtype)
        self.ff = FeedForward(d_model, dim_feedforward, seed=s[2], dtype=dtype)
        self.norm1, self.norm2, self.norm3 = (LayerNorm(d_model, dtype=dtype) for _ in range(3))
        self.params = {
            **nested_params({"self_attn": self.self_attn, "multihead_attn": self.multihead_attn}),
            **self.ff.params,
            **nested_params({"norm1": self.norm1, "norm2": self.norm2, "norm3": self.norm3}),
        }

    def forward(self, tgt: np.ndarray, memory: np.ndarray,
                tgt_mask: np.ndarray | None = None, memory_mask: np.ndarray | None = None,
                tgt_key_padding_mask: np.ndarray | None = None,
                memory_key_padding_mask: np.ndarray | None = None):
        """tgt (T, B, d_model), memory (S, B, d_model). Returns (output (T, B, d_model), cache)."""
        sa, sa_cache = self.self_attn.forward(tgt, tgt, tgt, tgt_mask, tgt_key_padding_mask)
        x, n1 = self.norm1.forward(tgt + sa)
        ca, ca_cache = self.multihead_attn.forward(x, memory, memory, memory_mask,
                                                   memory_key_padding_mask)
        y, n2 = self.norm2.forward(x + ca)
        ff, ff_cache = self.ff.forward(y)
        out, n3 = self.norm3.forward(y + ff)
        return out, DecoderLayerCache(sa_cache, n1, ca_cache, n2, ff_cache, n3)

    def backward(self, d_output: np.ndarray, cache: DecoderLayerCache):
        """Returns (d_tgt, d_memory, grads)."""
        d_res3, g_n3 = self.norm3.backward(d_output, cache.norm3)
        d_y, g_ff = self.ff.backward(d_res3, cache.ff)
        d_y += d_res3
        d_res2, g_n2 = self.norm2.backward(d_y, cache.norm2)
        d_x, dk, dv, g_ca = self.multihead_attn.backward(d_res2, cache.multihead_attn)
        d_x += d_res2
        d_memory = dk + dv
        d_res1, g_n1 = self.norm1.backward(d_x, cache.norm1)
        dq, dk, dv, g_sa = self.self_attn.backward(d_res1, cache.self_attn)
        d_tgt = d_res1 + dq
        d_tgt += dk
        d_tgt += dv
        grads = {**prefixed("self_attn", g_sa), **prefixed("multihead_attn", g_ca), **g_ff,
                 **prefixed("norm1", g_n1), **prefixed("norm2", g_n2), **prefixed("norm3", g_n3)}
        return d_tgt, d_memory, grads


# ---------------------------------------------------------------- models

@dataclass(frozen=True)
class TransformerConfig:
    src_vocab: int
    tgt_vocab: int
    d_model: int = 32
    nhead: int = 2
    num_encoder_layers: int = 1
    num_decoder_layers: int = 1
    dim_feedforward: int = 64
    max_len: int = 64


@dataclass(frozen=True)
class EncoderCache:
    embed: EmbeddingCache
    layers: tuple[EncoderLayerCache, ...]
    norm: LayerNormCache

    @property
    def weights(self) -> list[np.ndarray]:
        return [c.weights for c in self.layers]  # per layer (B, H, S, S)


@dataclass(frozen=True)
class DecoderCache:
    embed: EmbeddingCache
    layers: tuple[DecoderLayerCache, ...]
    norm: LayerNormCache
    lm_head: LinearCache

    @property
    def weights(self) -> list[np.ndarray]:
        return [c.weights for c in self.layers]  # per layer (B, H, T, T)

    @property
    def cross_weights(self) -> list[np.ndarray]:
        return [c.cross_weights for c in self.layers]  # per layer (B, H, T, S)


@dataclass(frozen=True)
class TransformerCache:
    encoder: EncoderCache
    decoder: DecoderCache


class Transformer(Module):
    """Encoder–decoder Transformer over token ids, post-norm like nn.Transformer."""

    def __init__(self, config: TransformerConfig, seed: int = 0, dtype=np.float64):
        self.config, c = config, config
        s = layer_seeds(seed, 3 + c.num_encoder_layers + c.num_decoder_layers)
        self.src_embed = Embedding(c.src_vocab, c.d_model, seed=s[0], dtype=dtype)
        self.tgt_embed = Embedding(c.tgt_vocab, c.d_model, seed=s[1], dtype=dtype)
        layer = dict(d_model=c.d_model, nhead=c.nhead, dim_feedforward=c.dim_feedforward, dtype=dtype)
        self.encoder_layers = [TransformerEncoderLayer(**layer, seed=si) for si in s[3:3 + c.num_encoder_layers]]
        self.decoder_layers = [TransformerDecoderLayer(**layer, seed=si) for si in s[3 + c.num_encoder_layers:]]
        self.encoder_norm = LayerNorm(c.d_model, dtype=dtype)
        self.decoder_norm = LayerNorm(c.d_model, dtype=dtype)
        self.lm_head = Linear(c.d_model, c.tgt_vocab, seed=s[2], dtype=dtype)
        self.pe = positional_encoding(c.max_len, c.d_model, dtype=dtype)  # (max_len, d_model)
        self.params = nested_params({
            "src_embed": self.src_embed, "tgt_embed": self.tgt_embed,
            **{f"encoder.layers.{i}": m for i, m in enumerate(self.encoder_layers)},
            "encoder.norm": self.encoder_norm,
            **{f"decoder.layers.{i}": m for i, m in enumerate(self.decoder_layers)},
            "decoder.norm": self.decoder_norm, "lm_head": self.lm_head,
        })

    def encode(self, src: np.ndarray, src_key_padding_mask: np.ndarray | None = None):
        """src ids (S, B). Returns (memory (S, B, d_model), EncoderCache)."""
        S = src.shape[0]
        x, embed = self.src_embed.forward(src)  # (S, B, d_model)
        x = x + self.pe[:S, None]
        layers = []
        for layer in self.encoder_layers:
            x, cache = layer.forward(x, None, src_key_padding_mask)
            layers.append(cache)
        memory, norm = self.encoder_norm.forward(x)
        return memory, EncoderCache(embed, tuple(layers), norm)

    def decode(self, tgt: np.ndarray, memory: np.ndarray,
               memory_key_padding_mask: np.ndarray | None = None,
               tgt_key_padding_mask: np.ndarray | None = None):
        """tgt ids (T, B) (teacher forcing: they start with BOS), memory (S, B, d_model).

        Returns (logits (T, B, tgt_vocab), DecoderCache); position t sees tgt[:t+1].
        """
        T = tgt.shape[0]
        y, embed = self.tgt_embed.forward(tgt)  # (T, B, d_model)
        y = y + self.pe[:T, None]
        mask = causal_mask(T)
        layers = []
        for layer in self.decoder_layers:
            y, cache = layer.forward(y, memory, mask, None, tgt_key_padding_mask, memory_key_padding_mask)
            layers.append(cache)
        y, norm = self.decoder_norm.forward(y)
        logits, head = self.lm_head.forward(y)  # (T, B, V)
        return logits, DecoderCache(embed, tuple(layers), norm, head)

    def forward(self, src: np.ndarray, tgt: np.ndarray,
                src_key_padding_mask: np.ndarray | None = None,
                tgt_key_padding_mask: np.ndarray | None = None):
        """src ids (S, B), tgt ids (T, B). Returns (logits (T, B, tgt_vocab), cache)."""
        memory, enc = self.encode(src, src_key_padding_mask)
        logits, dec = self.decode(tgt, memory, src_key_padding_mask, tgt_key_padding_mask)
        return logits, TransformerCache(enc, dec)

    def backward(self, d_logits: np.ndarray, cache: TransformerCache) -> dict[str, np.ndarray]:
        """Returns grads keyed like state_dict()."""
        dec, enc = cache.decoder, cache.encoder
        d_y, g = self.lm_head.backward(d_logits, dec.lm_head)
        grads = prefixed("lm_head", g)
        d_y, g = self.decoder_norm.backward(d_y, dec.norm)
        grads.update(prefixed("decoder.norm", g))
        d_memory = None
        for i in reversed(range(len(self.decoder_layers))):
            d_y, d_mem, g = self.decoder_layers[i].backward(d_y, dec.layers[i])
            d_memory = d_mem if d_memory is None else d_memory + d_mem
            grads.update(prefixed(f"decoder.layers.{i}", g))
        grads.update(prefixed("tgt_embed", self.tgt_embed.backward(d_y, dec.embed)))
        d_x, g = self.encoder_norm.backward(d_memory, enc.norm)
        grads.update(prefixed("encoder.norm", g))
        for i in reversed(range(len(self.encoder_layers))):
            d_x, g = self.encoder_layers[i].backward(d_x, enc.layers[i])
            grads.update(prefixed(f"encoder.layers.{i}", g))
        grads.update(prefixed("src_embed", self.src_embed.backward(d_x, enc.embed)))
        return grads

    def next_token_log_probs(self, src: np.ndarray, src_key_padding_mask: np.ndarray | None = None):
        """Encode src (S, B) once. Returns f(prefix (t, N)) -> (N, V): log-probabilities of
        the token after each prefix (prefixes start with BOS; N = B, or any N when B = 1)."""
        memory, _ = self.encode(src, src_key_padding_mask)

        def log_probs(prefix: np.ndarray) -> np.ndarray:
            N = prefix.shape[1]
            mem, kpm = memory, src_key_padding_mask
            if mem.shape[1] != N:  # one source, N hypotheses
                mem = np.repeat(mem, N, axis=1)  # (S, N, d_model)
                kpm = None if kpm is None else np.repeat(kpm, N, axis=0)  # (N, S)
            logits, _ = self.decode(prefix, mem, kpm)
            return log_softmax(logits[-1], axis=-1)

        return log_probs

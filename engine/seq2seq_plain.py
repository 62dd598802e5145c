"""RNN encoder–decoder WITHOUT attention: the whole sentence through one fixed vector.

    encoder   the same two readings as engine.seq2seq (→h_j, ←h_j)
              c = [→h_n; ←h_1]                 n = the sentence's last word: the summary
    decoder   s_t = Cell([E_tgt[y_{t-1}]; c], s_{t-1}),   s_0 = ←h_1
              p(y_t | y_<t, x) = softmax(out([s_t; c]))

It is Seq2SeqAttention with the context c_t fixed to the same vector at every
step (the RNN Encoder–Decoder of Cho et al., 2014, the baseline of Bahdanau et
al., 2015): parameters, names and shapes are those of Seq2SeqAttention minus
``attention.*``, so the two can be trained on the same pairs with the same
budget and compared. However long the sentence, the decoder sees it only
through c, 2·hidden_size numbers: the bottleneck.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .linear import LinearCache
from .module import nested_params, prefixed
from .seq2seq import EncoderState, Seq2SeqAttention, Seq2SeqConfig, cell_step


@dataclass(frozen=True)
class PlainDecoderCache:
    embed: object
    rnn: object                 # the decoder cell's cache over all T steps
    out: LinearCache            # x = [s_t; c], (T, B, 3H)


@dataclass(frozen=True)
class PlainCache:
    encoder: EncoderState
    decoder: PlainDecoderCache
    last: np.ndarray            # (B,) index of each sentence's last word


class Seq2SeqPlain(Seq2SeqAttention):
    def __init__(self, config: Seq2SeqConfig, seed: int = 0, dtype=np.float64):
        super().__init__(config, seed=seed, dtype=dtype)
        del self.attention
        self.params = nested_params({"src_embed": self.src_embed, "tgt_embed": self.tgt_embed,
                                     "encoder": self.encoder, "encoder_reverse": self.encoder_reverse,
                                     "decoder": self.decoder, "out": self.out})

    @staticmethod
    def _last(enc: EncoderState) -> np.ndarray:
        S, B = enc.outputs.shape[:2]
        return np.full(B, S - 1) if enc.padding is None else S - 1 - np.asarray(enc.padding).sum(axis=1)

    def context(self, enc: EncoderState) -> np.ndarray:
        """c = [→h_n; ←h_1], (B, 2H): all the decoder is told about the sentence."""
        H = self.config.hidden_size
        B = enc.outputs.shape[1]
        return np.concatenate([enc.outputs[self._last(enc), np.arange(B), :H], enc.final], axis=-1)

    def decode(self, tgt_in: np.ndarray, enc: EncoderState):
        """tgt_in ids (T, B), starting with BOS. Returns (logits (T, B, V), cache)."""
        T = tgt_in.shape[0]
        y, embed = self.tgt_embed.forward(tgt_in)                      # (T, B, E)
        c = np.broadcast_to(self.context(enc), (T, *enc.final.shape[:1], 2 * self.config.hidden_size))
        states, rnn = self.decoder.forward(np.concatenate([y, c], axis=-1), enc.final)  # (T, B, H)
        logits, out = self.out.forward(np.concatenate([states, c], axis=-1))
        return logits, PlainDecoderCache(embed, rnn, out)

    def decoder_steps(self, enc: EncoderState):
        """step(tokens (B,)) -> (B, V), one decoder step per call (see Seq2SeqAttention)."""
        c = self.context(enc)  # (B, 2H), the same at every step
        cell, table = cell_step(self.decoder), self.tgt_embed.params["weight"]
        s = enc.final

        def step(tokens: np.ndarray) -> np.ndarray:
            nonlocal s
            s = cell(np.concatenate([table[tokens], c], axis=-1), s)
            return self.output_log_probs(s, c)

        return step

    def forward(self, src: np.ndarray, tgt_in: np.ndarray,
                src_key_padding_mask: np.ndarray | None = None):
        enc = self.encode(src, src_key_padding_mask)
        logits, dec = self.decode(tgt_in, enc)
        return logits, PlainCache(enc, dec, self._last(enc))

    def backward(self, d_logits: np.ndarray, cache: PlainCache) -> dict[str, np.ndarray]:
        enc, dec = cache.encoder, cache.decoder
        H, E = self.config.hidden_size, self.config.embed_dim
        d_features, g_out = self.out.backward(d_logits, dec.out)      # (T, B, 3H)
        d_in, d_s0, g_dec = self.decoder.backward(np.ascontiguousarray(d_features[..., :H]), dec.rnn)
        d_c = d_features[..., H:].sum(0) + d_in[..., E:].sum(0)       # (B, 2H)
        B = d_c.shape[0]
        d_h = np.zeros_like(enc.outputs)                              # (S, B, 2H)
        d_h[cache.last, np.arange(B), :H] += d_c[:, :H]
        d_h[0, :, H:] += d_c[:, H:] + d_s0                            # ←h_1 is in c and is s_0
        d_x, _, g = self.encoder.backward(np.ascontiguousarray(d_h[..., :H]), enc.forward_rnn)
        grads = {**prefixed("out", g_out), **prefixed("decoder", g_dec), **prefixed("encoder", g)}
        d_rev = d_h[..., H:][enc.reverse, np.arange(B)]
        d_x_rev, _, g = self.encoder_reverse.backward(d_rev, enc.reverse_rnn)
        d_x += d_x_rev[enc.reverse, np.arange(B)]
        grads.update(prefixed("encoder_reverse", g))
        grads.update(prefixed("src_embed", self.src_embed.backward(d_x, enc.embed)))
        grads.update(prefixed("tgt_embed", self.tgt_embed.backward(d_in[..., :E], dec.embed)))
        return grads

"""Four character-level language models with one interface: RNN, LSTM, GRU, Transformer.

    model = build_lm("lstm", vocab_size=80, size="small")
    logits, cache = model.forward(ids)        # ids (T, B) → logits (T, B, V)
    loss, grads = model.loss_and_grads(x, y)  # mean cross-entropy (nats), grads keyed like params
    log_probs, state = model.start(prefix_ids)   # log p(next | prefix), (V,)
    log_probs, state = model.advance(state, id)  # one more character
    model.hidden_states(ids)                  # {"h": (T, H)} (LSTM: also "c")

Recurrent models are  Embedding → RNN | LSTM | GRU → Linear  (the recurrent
layer is the engine's, laid out like torch.nn). The Transformer is the
engine's DecoderOnlyTransformer (GPT-style, post-norm, sinusoidal positions)
over a window of `context` characters; past that, it reads the last
`context` characters. SIZES gives each kind a width so that the four have
comparable parameter counts at each size (`parameter_counts()`).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embedding import Embedding, EmbeddingCache
from .functional import log_softmax
from .fused_self_attention import fuse
from .gru import GRU
from .linear import Linear, LinearCache
from .losses import next_char_loss
from .lstm import LSTM
from .module import Module, nested_params, prefixed
from .recurrent_projection import per_row_sums
from .rnn import RNN
from .attention import causal_mask
from .decoder_only import DecoderOnlyCache, DecoderOnlyConfig, DecoderOnlyTransformer

KINDS = ("rnn", "lstm", "gru", "transformer")
LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU", "transformer": "Transformer"}
RECURRENT = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
EMBED = 32  # character embedding width of the recurrent models
STATES_CHUNK = 1024  # characters a forward reads at a time in hidden_states (its memory is per chunk)

# kind -> size -> width: hidden size for the recurrent models; (d_model, layers,
# heads, feed-forward) for the Transformer. Chosen so that at V ≈ 70 the four
# counts at a size lie within about 15% of each other.
SIZES = {
    "tiny": {"rnn": 96, "lstm": 48, "gru": 56, "transformer": (32, 2, 2, 64)},
    "small": {"rnn": 192, "lstm": 96, "gru": 112, "transformer": (56, 2, 4, 112)},
    "medium": {"rnn": 320, "lstm": 160, "gru": 184, "transformer": (88, 2, 4, 176)},
}


@dataclass(frozen=True)
class RecurrentLMCache:
    embed: EmbeddingCache
    rnn: object          # the recurrent layer's cache (hs, gates, …)
    head: LinearCache


def embedding_grad(ids: np.ndarray, d_out: np.ndarray, vocab_size: int) -> np.ndarray:
    """∂L/∂(embedding table) from ∂L/∂(looked-up rows): the rows summed per id, by blocks of
    sorted ids (engine.recurrent_projection.per_row_sums), much faster than np.add.at for a
    vocabulary of characters and ~30% faster than one one-hot product over every row."""
    return per_row_sums(d_out.reshape(-1, d_out.shape[-1]), np.ravel(ids), vocab_size)


class RecurrentLM(Module):
    """Embedding → RNN | LSTM | GRU → Linear, over character ids (T, B)."""

    def __init__(self, kind: str, vocab_size: int, hidden_size: int, seed: int = 0,
                 dtype=np.float32, embed_dim: int = EMBED):
        if kind not in RECURRENT:
            raise ValueError(f"unknown recurrent kind {kind!r}; choose from {sorted(RECURRENT)}")
        self.kind, self.vocab_size, self.hidden_size = kind, vocab_size, hidden_size
        self.embed = Embedding(vocab_size, embed_dim, seed=seed, dtype=dtype)
        self.rnn = RECURRENT[kind](embed_dim, hidden_size, seed=seed + 1, dtype=dtype)
        self.head = Linear(hidden_size, vocab_size, seed=seed + 2, dtype=dtype)
        self.params = nested_params({"embed": self.embed, "rnn": self.rnn, "head": self.head})
        self.config = {"kind": kind, "vocab_size": vocab_size, "hidden_size": hidden_size,
                       "embed_dim": embed_dim}

    def forward(self, ids: np.ndarray, state=None):
        """ids (T, B) → (logits (T, B, V), cache); state: the recurrent layer's h0 (LSTM: (h0, c0))."""
        T, B = ids.shape
        x, embed = self.embed.forward(ids)
        hs, rnn_cache = self.rnn.forward(x, state, tokens=(self.embed.params["weight"], embed.ids))
        logits, head = self.head.forward(hs.reshape(T * B, -1))  # 2-D: one plain matmul
        return logits.reshape(T, B, -1), RecurrentLMCache(embed, rnn_cache, head)

    def backward(self, d_logits: np.ndarray, cache: RecurrentLMCache) -> dict[str, np.ndarray]:
        T, B, V = d_logits.shape
        d_hs, g_head = self.head.backward(d_logits.reshape(T * B, V), cache.head)
        # forward gave the recurrent layer the embedding table's rows: its input gradient is
        # the table's gradient
        d_table, _, g_rnn = self.rnn.backward(d_hs.reshape(T, B, -1), cache.rnn)
        return {"embed.weight": d_table, **prefixed("rnn", g_rnn), **prefixed("head", g_head)}

    def logits(self, ids: np.ndarray) -> np.ndarray:
        return self.forward(ids)[0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray):
        logits, cache = self.forward(x)
        loss, d_logits = next_char_loss(logits, y)
        return loss, self.backward(d_logits, cache)

    def loss_grads_state(self, x: np.ndarray, y: np.ndarray, state=None):
        """loss_and_grads read from `state` (None: zeros); also returns the final state."""
        logits, cache = self.forward(x, state)
        loss, d_logits = next_char_loss(logits, y)
        grads = self.backward(d_logits, cache)
        return loss, grads, self._final_state(cache)

    def _final_state(self, cache: RecurrentLMCache):
        rc = cache.rnn
        return (rc.hs[-1], rc.cs[-1]) if self.kind == "lstm" else rc.hs[-1]

    def start(self, prefix_ids):
        """Read a prefix (at least one id). Returns (log p(next char) (V,), state)."""
        ids = np.asarray(prefix_ids, dtype=np.int64).reshape(-1, 1)
        logits, cache = self.forward(ids)
        return log_softmax(logits[-1, 0].astype(np.float64)), self._final_state(cache)

    def advance(self, state, token: int):
        """One more character after `state`. Returns (log p(next char) (V,), new state)."""
        logits, cache = self.forward(np.array([[int(token)]]), state)
        return log_softmax(logits[-1, 0].astype(np.float64)), self._final_state(cache)

    def hidden_states(self, ids, which: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
        """The recurrent layer's states over one passage: {"h": (T, H)}, and "c" for the LSTM
        (plus the gates "i", "f", "o" for the LSTM and "r", "z" for the GRU); `which` names
        only those wanted (a long passage's every gate in float64 is ~4 KB a character)."""
        parts: dict[str, list[np.ndarray]] = {}
        for chunk in self.state_chunks(ids, which):
            for name, values in chunk.items():
                parts.setdefault(name, []).append(values)
        names = self._state_names(which)
        return {name: np.concatenate(parts[name]) if name in parts else np.zeros((0, self.hidden_size))
                for name in names}

    def state_chunks(self, ids, which: tuple[str, ...] | None = None):
        """hidden_states a chunk of at most STATES_CHUNK characters at a time, the state carried
        over: a long passage can be measured without holding its every state at once."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1, 1)
        names = self._state_names(which)
        state = None
        # A forward over a whole long passage would keep every step's cache
        # (pre-activations, gates, logits) at once, ~8 KB a character.
        for start in range(0, len(ids), STATES_CHUNK):
            _, cache = self.forward(ids[start:start + STATES_CHUNK], state)
            rc = cache.rnn
            yield {name: np.array(getattr(rc, {"h": "hs", "c": "cs"}.get(name, name))[:, 0], dtype=np.float64)
                   for name in names}
            state = self._final_state(cache)

    def _state_names(self, which: tuple[str, ...] | None) -> tuple[str, ...]:
        names = ("h", *{"lstm": ("c", "i", "f", "o"), "gru": ("r", "z")}.get(self.kind, ()))
        if which is None:
            return names
        unknown = set(which) - set(names)
        if unknown:
            raise ValueError(f"a {self.kind} has no state {sorted(unknown)}; it has {', '.join(names)}")
        return tuple(which)


class TransformerLM(Module):
    """The engine's DecoderOnlyTransformer over windows of at most `context` characters."""

    kind = "transformer"

    def __init__(self, vocab_size: int, d_model: int, num_layers: int, nhead: int,
                 dim_feedforward: int, context: int, seed: int = 0, dtype=np.float32):
        self.vocab_size, self.context = vocab_size, context
        cfg = DecoderOnlyConfig(vocab=vocab_size, d_model=d_model, nhead=nhead, num_layers=num_layers,
                                dim_feedforward=dim_feedforward, max_len=context)
        self.net = DecoderOnlyTransformer(cfg, seed=seed, dtype=dtype)
        for layer in self.net.layers:
            fuse(layer)  # the same layers with Q, K, V in one product (engine.fused_self_attention)
        # Embeddings drawn N(0, 1) would drown the sinusoidal positions (entries in ±1).
        self.net.embed.params["weight"] *= dtype(1 / np.sqrt(d_model) * 4)
        self.params = self.net.params
        self.config = {"kind": "transformer", "vocab_size": vocab_size, "d_model": d_model,
                       "num_layers": num_layers, "nhead": nhead, "dim_feedforward": dim_feedforward,
                       "context": context}

    def forward(self, ids: np.ndarray, state=None):
        """ids (T, B) → (logits (T, B, V), DecoderOnlyCache): DecoderOnlyTransformer.forward,
        with the output projection as one 2-D product."""
        T, B = ids.shape
        if T > self.context:
            raise ValueError(f"the Transformer reads at most {self.context} characters at once")
        net = self.net
        x, embed = net.embed.forward(ids)  # (T, B, d_model)
        x = x + net.pe[:T, None]
        mask = _causal_mask(T)
        layers = []
        for layer in net.layers:
            x, cache = layer.forward(x, mask)
            layers.append(cache)
        logits, head = net.lm_head.forward(x.reshape(T * B, -1))
        return logits.reshape(T, B, -1), DecoderOnlyCache(embed, tuple(layers), head)

    def backward(self, d_logits, cache) -> dict[str, np.ndarray]:
        T, B, V = d_logits.shape
        net = self.net
        d_x, g = net.lm_head.backward(d_logits.reshape(T * B, V), cache.lm_head)
        d_x = d_x.reshape(T, B, -1)
        grads = prefixed("lm_head", g)
        for i in reversed(range(len(net.layers))):
            d_x, g = net.layers[i].backward(d_x, cache.layers[i])
            grads.update(prefixed(f"layers.{i}", g))
        grads["embed.weight"] = embedding_grad(cache.embed.ids, d_x, V)
        return grads

    def logits(self, ids: np.ndarray) -> np.ndarray:
        return self.forward(ids)[0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray):
        logits, cache = self.forward(x)
        loss, d_logits = next_char_loss(logits, y)
        return loss, self.backward(d_logits, cache)

    def start(self, prefix_ids):
        """Read a prefix; the state is the window of the last `context` ids."""
        window = np.asarray(prefix_ids, dtype=np.int64).reshape(-1)[-self.context:]
        logits = self.logits(window[:, None])
        return log_softmax(logits[-1, 0].astype(np.float64)), window

    def advance(self, state, token: int):
        return self.start(np.append(state, int(token)))


@functools.cache
def _causal_mask(T: int) -> np.ndarray:
    """causal_mask(T), made once per length (read-only: every forward shares it)."""
    mask = causal_mask(T)
    mask.flags.writeable = False
    return mask


def build_lm(kind: str, vocab_size: int, size: str = "small", context: int = 64,
             seed: int = 0, dtype=np.float32):
    """A fresh model of `kind` (one of KINDS) at `size` (one of SIZES)."""
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}; choose from {', '.join(KINDS)}")
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    width = SIZES[size][kind]
    if kind == "transformer":
        d, layers, heads, ff = width
        return TransformerLM(vocab_size, d, layers, heads, ff, context, seed=seed, dtype=dtype)
    return RecurrentLM(kind, vocab_size, width, seed=seed, dtype=dtype)


def from_config(config: dict, dtype=np.float32):
    """A fresh model from the `config` dict a model carries (and its weights file stores)."""
    c = dict(config)
    kind = c.pop("kind")
    if kind == "transformer":
        return TransformerLM(c["vocab_size"], c["d_model"], c["num_layers"], c["nhead"],
                             c["dim_feedforward"], c["context"], dtype=dtype)
    return RecurrentLM(kind, c["vocab_size"], c["hidden_size"], dtype=dtype, embed_dim=c["embed_dim"])


def parameter_counts(vocab_size: int, size: str = "small", context: int = 64) -> dict[str, int]:
    return {k: build_lm(k, vocab_size, size, context).num_parameters() for k in KINDS}


def save_lm(path: str | Path, model, chars: tuple[str, ...], meta: dict) -> None:
    """Parameters as float16 plus `meta` (JSON: the config, the vocabulary, and what the caller adds)."""
    full = {**meta, "config": model.config, "chars": "".join(chars)}
    arrays = {k: v.astype(np.float16) for k, v in model.params.items()}
    np.savez_compressed(path, meta=np.array(json.dumps(full)), **arrays)


def load_lm(path: str | Path, dtype=np.float32):
    """(model, chars, meta) from a file written by save_lm; loads without pickle."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        model = from_config(meta["config"], dtype=dtype)
        model.load_state_dict({k: data[k] for k in data.files if k != "meta"})
    return model, tuple(meta["chars"]), meta

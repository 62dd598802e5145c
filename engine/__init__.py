"""The NumPy engine: sequence models, their backward passes, and toy tasks.

Pure NumPy; nothing here imports a UI library (a test checks). Names are
loaded lazily from their modules, so `import engine` stays cheap.
"""
from __future__ import annotations

import importlib

# public name -> module that defines it
_EXPORTS = {
    # shared primitives
    "Module": "module", "Linear": "linear", "Embedding": "embedding",
    "cross_entropy": "losses", "SGD": "optim", "Adam": "optim",
    "clip_grad_norm": "optim", "global_norm": "optim",
    "train": "train", "StepReport": "train",
    "tokenize": "tokens", "Vocab": "tokens", "token_vectors": "tokens", "MAX_TOKENS": "tokens",
    # recurrent half
    "RNN": "rnn", "LSTM": "lstm", "GRU": "gru",
    # before recurrence: the convolution whose receptive field lesson 1 shows
    "CausalConv1d": "conv",
    # attention half
    "MultiHeadAttention": "multihead", "scaled_dot_product_attention": "attention",
    "AdditiveAttention": "attention", "LayerNorm": "layernorm",
    "positional_encoding": "positional", "FeedForward": "feedforward",
    "TransformerEncoderLayer": "transformer", "TransformerDecoderLayer": "transformer",
    "Transformer": "transformer", "DecoderOnlyTransformer": "decoder_only",
    "Seq2SeqAttention": "seq2seq",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'engine' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__

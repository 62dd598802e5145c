"""The attention half held against PyTorch, float64, to 1e-10."""
import numpy as np
import pytest

import engine
from engine.attention import causal_mask
from engine.decoder_only import DecoderOnlyConfig
from engine.transformer import TransformerConfig

torch = pytest.importorskip("torch")
nn = torch.nn
TOL = 1e-10


def T(a, grad=False):
    return torch.tensor(np.asarray(a), requires_grad=grad)


def load(torch_module, ours):
    torch_module.double().load_state_dict({k: T(v) for k, v in ours.state_dict().items()})
    return torch_module


def close(ours, theirs):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL * max(1.0, np.abs(theirs).max()))


def randomize(module, rng):
    for p in module.params.values():
        p += 0.3 * rng.standard_normal(p.shape)


def check_param_grads(grads, torch_module):
    named = dict(torch_module.named_parameters())
    assert grads.keys() == named.keys()
    for name, p in named.items():
        close(grads[name], p.grad)


@pytest.mark.parametrize("kind", ["self", "cross"])
def test_multihead_attention_with_masks(kind):
    rng = np.random.default_rng(0)
    L, S, B, E, H = 5, (5 if kind == "self" else 7), 3, 8, 2
    ours = engine.MultiHeadAttention(E, H, seed=1)
    randomize(ours, rng)
    theirs = load(nn.MultiheadAttention(E, H, dropout=0.0), ours)
    q = rng.standard_normal((L, B, E))
    k = q if kind == "self" else rng.standard_normal((S, B, E))
    v = q if kind == "self" else rng.standard_normal((S, B, E))
    attn_mask = causal_mask(L, S) if kind == "self" else (rng.random((L, S)) < 0.3) & (np.arange(S) > 0)
    pad = np.zeros((B, S), dtype=bool)
    pad[1, -2:] = True
    out, cache = ours.forward(q, k, v, attn_mask, pad)
    tq, tk, tv = T(q, True), T(k, True), T(v, True)
    t_out, t_w = theirs(tq, tk, tv, attn_mask=T(attn_mask), key_padding_mask=T(pad),
                        need_weights=True, average_attn_weights=False)
    close(out, t_out)
    close(cache.weights, t_w)
    g = rng.standard_normal(out.shape)
    t_out.backward(T(g))
    dq, dk, dv, grads = ours.backward(g, cache)
    close(dq, tq.grad)
    close(dk, tk.grad)
    close(dv, tv.grad)
    check_param_grads(grads, theirs)


def test_per_head_3d_mask():
    rng = np.random.default_rng(1)
    L, B, E, H = 4, 2, 6, 3
    ours = engine.MultiHeadAttention(E, H, seed=2)
    theirs = load(nn.MultiheadAttention(E, H, dropout=0.0), ours)
    x = rng.standard_normal((L, B, E))
    mask = (rng.random((B * H, L, L)) < 0.4) & ~np.eye(L, dtype=bool)
    out, cache = ours.forward(x, x, x, attn_mask=mask)
    t_out, t_w = theirs(T(x), T(x), T(x), attn_mask=T(mask), average_attn_weights=False)
    close(out, t_out)
    close(cache.weights, t_w)


def test_layer_norm():
    rng = np.random.default_rng(2)
    ours = engine.LayerNorm(6)
    randomize(ours, rng)
    theirs = load(nn.LayerNorm(6), ours)
    x = rng.standard_normal((4, 3, 6)) * 3
    y, cache = ours.forward(x)
    tx = T(x, True)
    ty = theirs(tx)
    close(y, ty)
    g = rng.standard_normal(y.shape)
    ty.backward(T(g))
    dx, grads = ours.backward(g, cache)
    close(dx, tx.grad)
    check_param_grads(grads, theirs)


@pytest.mark.parametrize("masked", [False, True])
def test_encoder_layer(masked):
    rng = np.random.default_rng(3)
    L, B, E = 6, 3, 8
    ours = engine.TransformerEncoderLayer(E, 2, 16, seed=4)
    randomize(ours, rng)
    theirs = load(nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0), ours)
    x = rng.standard_normal((L, B, E))
    mask = causal_mask(L) if masked else None
    pad = (np.arange(L)[None] >= np.array([[L], [L - 2], [L - 1]])) if masked else None
    out, cache = ours.forward(x, mask, pad)
    tx = T(x, True)
    t_out = theirs(tx, src_mask=None if mask is None else T(mask),
                   src_key_padding_mask=None if pad is None else T(pad))
    close(out, t_out)
    g = rng.standard_normal(out.shape)
    t_out.backward(T(g))
    dx, grads = ours.backward(g, cache)
    close(dx, tx.grad)
    check_param_grads(grads, theirs)


@pytest.mark.parametrize("masks", ["attn", "padding"])
def test_decoder_layer(masks):
    """attn: causal tgt_mask and a memory_mask. padding: causal tgt_mask with both
    key padding masks, as the pretrained seq2seq Transformer trains (engine/recipes/phrases.py)."""
    rng = np.random.default_rng(5)
    Tn, S, B, E = 5, 7, 3, 8
    ours = engine.TransformerDecoderLayer(E, 4, 12, seed=6)
    randomize(ours, rng)
    theirs = load(nn.TransformerDecoderLayer(E, 4, 12, dropout=0.0), ours)
    tgt, memory = rng.standard_normal((Tn, B, E)), rng.standard_normal((S, B, E))
    if masks == "attn":
        memory_mask = (rng.random((Tn, S)) < 0.3) & (np.arange(S) > 0)
        tgt_pad = memory_pad = None
    else:  # trailing padding, a different length in each sequence; position 0 is never padded
        memory_mask = None
        tgt_pad = np.arange(Tn)[None] >= np.array([[Tn], [Tn - 2], [Tn - 1]])
        memory_pad = np.arange(S)[None] >= np.array([[S - 3], [S], [S - 1]])
    out, cache = ours.forward(tgt, memory, causal_mask(Tn), memory_mask, tgt_pad, memory_pad)
    tt, tm = T(tgt, True), T(memory, True)
    opt = lambda a: None if a is None else T(a)  # noqa: E731
    t_out = theirs(tt, tm, tgt_mask=T(causal_mask(Tn)), memory_mask=opt(memory_mask),
                   tgt_key_padding_mask=opt(tgt_pad), memory_key_padding_mask=opt(memory_pad))
    close(out, t_out)
    if masks == "padding":  # the masks bite: padded keys get no weight
        assert np.all(cache.weights[1, :, :, Tn - 2:] == 0) and np.all(cache.cross_weights[0, :, :, S - 3:] == 0)
    g = rng.standard_normal(out.shape)
    t_out.backward(T(g))
    d_tgt, d_memory, grads = ours.backward(g, cache)
    close(d_tgt, tt.grad)
    close(d_memory, tm.grad)
    check_param_grads(grads, theirs)


class TorchTransformer(nn.Module):
    """Our Transformer built from torch parts: embeddings + sinusoids, nn.Transformer's stacks, a head."""

    def __init__(self, c: TransformerConfig):
        super().__init__()
        self.src_embed = nn.Embedding(c.src_vocab, c.d_model)
        self.tgt_embed = nn.Embedding(c.tgt_vocab, c.d_model)
        enc = nn.TransformerEncoderLayer(c.d_model, c.nhead, c.dim_feedforward, dropout=0.0)
        dec = nn.TransformerDecoderLayer(c.d_model, c.nhead, c.dim_feedforward, dropout=0.0)
        self.encoder = nn.TransformerEncoder(enc, c.num_encoder_layers, norm=nn.LayerNorm(c.d_model),
                                             enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, c.num_decoder_layers, norm=nn.LayerNorm(c.d_model))
        self.lm_head = nn.Linear(c.d_model, c.tgt_vocab)
        self.register_buffer("pe", torch.tensor(engine.positional_encoding(c.max_len, c.d_model)),
                             persistent=False)

    def forward(self, src, tgt, src_pad):
        x = self.src_embed(src) + self.pe[:len(src), None]
        memory = self.encoder(x, src_key_padding_mask=src_pad)
        y = self.tgt_embed(tgt) + self.pe[:len(tgt), None]
        mask = torch.tensor(causal_mask(len(tgt)))
        return self.lm_head(self.decoder(y, memory, tgt_mask=mask, memory_key_padding_mask=src_pad))


def test_full_transformer_forward_and_backward():
    rng = np.random.default_rng(7)
    c = TransformerConfig(src_vocab=9, tgt_vocab=7, d_model=8, nhead=2, num_encoder_layers=2,
                          num_decoder_layers=2, dim_feedforward=16, max_len=12)
    ours = engine.Transformer(c, seed=8)
    randomize(ours, rng)
    theirs = load(TorchTransformer(c), ours)
    src, tgt = rng.integers(0, 9, (6, 3)), rng.integers(0, 7, (5, 3))
    pad = np.arange(6)[None] >= np.array([[6], [4], [5]])
    logits, cache = ours.forward(src, tgt, pad)
    t_logits = theirs(T(src), T(tgt), T(pad))
    close(logits, t_logits)
    targets = rng.integers(0, 7, (5, 3))
    loss, d_logits = engine.cross_entropy(logits, targets)
    t_loss = nn.functional.cross_entropy(t_logits.reshape(-1, 7), T(targets).reshape(-1))
    assert abs(loss - t_loss.item()) < TOL
    t_loss.backward()
    check_param_grads(ours.backward(d_logits, cache), theirs)


def test_decoder_only_forward_and_backward():
    rng = np.random.default_rng(9)
    c = DecoderOnlyConfig(vocab=11, d_model=8, nhead=2, num_layers=2, dim_feedforward=16, max_len=10)
    ours = engine.DecoderOnlyTransformer(c, seed=1)
    randomize(ours, rng)

    class Twin(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(c.vocab, c.d_model)
            self.layers = nn.ModuleList(nn.TransformerEncoderLayer(c.d_model, c.nhead, c.dim_feedforward,
                                                                   dropout=0.0) for _ in range(c.num_layers))
            self.lm_head = nn.Linear(c.d_model, c.vocab)

        def forward(self, ids):
            x = self.embed(ids) + T(engine.positional_encoding(len(ids), c.d_model))[:, None]
            for layer in self.layers:
                x = layer(x, src_mask=T(causal_mask(len(ids))))
            return self.lm_head(x)

    theirs = load(Twin(), ours)
    ids = rng.integers(0, 11, (7, 2))
    logits, cache = ours.forward(ids)
    t_logits = theirs(T(ids))
    close(logits, t_logits)
    g = rng.standard_normal(logits.shape)
    t_logits.backward(T(g))
    check_param_grads(ours.backward(g, cache), theirs)

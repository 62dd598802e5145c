"""The depth steps (n-gram LM, truncated BPTT, the decoder's use of the context, per-layer cost,
position code against embedding, weight tying, the KV cache, label smoothing, exposure bias, the
training scene's rate and warm-up): every figure they state, recomputed with the engine."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import engine
from engine.attention import causal_mask

from .lessons import load, step, step_text

CORPUS = "the cat sat on the mat . the dog sat on the log ."


# -- 01 the bigram language model ---------------------------------------------------

def test_bigram_language_model_figures():
    words = [w.lower() for w in engine.tokenize(CORPUS)]
    pairs = Counter(zip(words, words[1:]))
    firsts = Counter(words[:-1])
    V = len(set(words))
    body = step_text("before-deep-learning", "Counting to predict")
    assert f"*\"{CORPUS}\"*" in body
    assert f"\"the\" occurs {firsts['the']}" in body and pairs["the", "cat"] == 1
    assert f"P(cat | the) = {pairs['the', 'cat']}/{firsts['the']}" in body
    assert pairs["the", "sat"] == 0 and "P(sat | the) = 0" in body
    smoothed = (pairs["the", "sat"] + 1) / (firsts["the"] + V)
    assert f"over the {V} distinct tokens" in body
    assert f"P(sat | the) = (0 + 1)/({firsts['the']} + {V}) ≈ {smoothed:.3f}" in body
    cat = (pairs["the", "cat"] + 1) / (firsts["the"] + V)
    assert f"P(cat | the) = {pairs['the', 'cat'] + 1}/{firsts['the'] + V} ≈ {cat:.3f}" in body


def test_bigram_exercise_agrees_with_the_step():
    from tutor.exercises.formulas import _CORPUS, bigram_prob

    assert _CORPUS == CORPUS
    for seed in range(20):
        ex = bigram_prob(seed)
        prev, nxt = ex.question.split("P(")[1].split(")")[0].split(" | ")[::-1]
        words = [w.lower() for w in engine.tokenize(CORPUS)]
        pair = sum(1 for a, b in zip(words, words[1:]) if (a, b) == (prev, nxt))
        assert ex.answer == round((pair + 1) / (words[:-1].count(prev) + len(set(words))), 3)


# -- 04 truncated BPTT --------------------------------------------------------------

def test_truncated_bptt_reads_everything_and_stores_a_chunk():
    rnn = engine.RNN(3, 8, seed=0)
    x = np.random.default_rng(0).standard_normal((1000, 1, 3))
    full, _ = rnn.forward(x)
    k, h, chunks, stored = 100, None, 0, set()
    for start in range(0, 1000, k):
        hs, cache = rnn.forward(x[start:start + k], h)        # the state is carried forward ...
        np.testing.assert_allclose(hs, full[start:start + k], atol=1e-12)
        grads, dh0, _ = rnn.backward(np.ones_like(hs), cache)  # ... the gradient stops at the chunk's start
        assert dh0.shape == (1, 8)
        stored.add(cache.hs.shape[0])
        h, chunks = hs[-1], chunks + 1
    assert chunks == 10 and stored == {100}
    body = step_text("vanishing", "Truncated backpropagation")
    assert "For 1,000 tokens and k = 100: ten updates" in body and "storing 100 states instead of 1,000" in body


# -- 06 the context feeds the decoder -------------------------------------------------

def test_decoder_cell_reads_the_previous_word_and_the_context():
    from engine.recipes.phrases import load_phrase_model

    model, _, _ = load_phrase_model()
    E, H = model.config.embed_dim, model.config.hidden_size
    width = model.decoder.params["weight_ih"].shape[1]
    assert width == E + 2 * H == model.decoder.input_size
    body = step_text("attention", "Feeding the context in")
    assert f"reads {width} numbers a step: the previous word's embedding ({E}) and the context ({2 * H}," in body
    assert f"the encoder's {H} in each direction" in body
    assert "`s_i = f(s_{i−1}, y_{i−1}, c_i)`" in body and "Sutskever, Vinyals and Le (2014)" in body


# -- 08 per-layer cost ---------------------------------------------------------------

def test_per_layer_cost_worked_numbers():
    n, d = 50, 512
    _, cache = engine.scaled_dot_product_attention(*(np.zeros((n, d)),) * 3)
    attention = cache.scores.size * d                         # n² dot products of d numbers
    recurrent = n * engine.RNN(d, d).params["weight_hh"].size # n steps of a d×d matrix-vector product
    body = step_text("self-attention", "Per layer: n²·d against n·d²")
    assert f"{attention:,} multiply-adds against {recurrent:,}" in body
    assert attention / recurrent == n / d < 1 and "n < d, attention is the *cheaper* layer" in body
    assert "Vaswani et al. (2017, Table 1)" in body


# -- 10 the code against the embedding, and weight tying ------------------------------

def test_position_code_length_and_embedding_scale():
    d = 512
    pe = engine.positional_encoding(100, d)
    np.testing.assert_allclose(np.linalg.norm(pe, axis=1), math.sqrt(d / 2))
    body = step_text("positional", "Adding without drowning the word")
    assert f"√(d_model/2), {math.sqrt(d / 2):g} at d_model = {d}" in body
    assert f"√d_model ≈ {math.sqrt(d):.1f}" in body and f"they are {math.sqrt(d):.1f} long" in body
    small = np.random.default_rng(0).standard_normal((100, d)) / math.sqrt(d)   # about 1/√d_model each
    assert np.linalg.norm(small, axis=1).mean() == pytest.approx(1, abs=0.05)
    assert np.linalg.norm(small * math.sqrt(d), axis=1).mean() > math.sqrt(d / 2)
    table = engine.Embedding(100, d, seed=0).params["weight"]                    # the engine's: size 1 each
    assert np.linalg.norm(table, axis=1).mean() == pytest.approx(math.sqrt(d), rel=0.05)
    cos = (table @ pe.T) / np.outer(np.linalg.norm(table, axis=1), np.linalg.norm(pe, axis=1))
    typical = float(np.sqrt((cos ** 2).mean()))                 # root mean square: the typical size
    assert round(typical, 2) == round(1 / math.sqrt(d), 2) == 0.04 and "cosine is typically about 0.04" in body


def test_weight_tying_saves_one_table():
    vocab, d = 37, 512                                       # the paper's 37,000 at a size cheap to build
    embedding, output = engine.Embedding(vocab, d), engine.Linear(d, vocab, bias=False)
    assert embedding.params["weight"].shape == output.params["weight"].shape   # one matrix can serve both
    body = step_text("positional", "One matrix, used twice")
    assert f"{37_000 * d:,} numbers" in body and round(37_000 * d / 1e6) == 19
    assert "saves about 19 million parameters" in body


# -- 12 the KV cache -------------------------------------------------------------------

def test_kv_cache_is_exact_under_the_causal_mask():
    rng = np.random.default_rng(0)
    mha = engine.MultiHeadAttention(16, 2, seed=0)
    x = rng.standard_normal((7, 1, 16))
    out_all, _ = mha.forward(x, x, x, attn_mask=causal_mask(7))
    for t in range(1, 8):                                     # the newest token over a cache of the earlier ones
        step_out, _ = mha.forward(x[t - 1:t], x[:t], x[:t])
        np.testing.assert_allclose(step_out[0], out_all[t - 1], atol=1e-12)
    layers, n, d = 6, 100, 512
    cached = layers * sum(a.size for a in (np.zeros((n, d)), np.zeros((n, d))))
    body = step_text("decoder", "Generating with a cache")
    assert f"base decoder ({layers} layers, d_model = {d}) at {n} tokens, {cached:,}" in body


# -- 13 label smoothing, exposure bias, the rate and the warm-up -----------------------

def smoothed_loss(p: np.ndarray, eps: float) -> float:
    V = p.size
    q = np.full(V, eps / V)
    q[0] += 1 - eps
    return float(sum(q[k] * engine.cross_entropy(np.log(p)[None], np.array([k]))[0] for k in range(V)))


def test_label_smoothing_figures():
    V, eps = 10, 0.1
    q = np.full(V, eps / V)
    q[0] += 1 - eps
    body = step_text("training", "Label smoothing")
    assert f"{q[0]:.2f} on the right one and {q[1]:.2f} on each" in body
    best = smoothed_loss(q, eps)
    assert f"can reach is {best:.3f}" in body
    for tilt in (0.8, 0.95, 0.99):                           # the smoothed target itself is the best answer
        p = np.full(V, (1 - tilt) / (V - 1))
        p[0] = tilt
        assert smoothed_loss(p, eps) > best
    sure = np.full(V, 0.001 / (V - 1))
    sure[0] = 0.999
    assert f"0.999 raises the loss to {smoothed_loss(sure, eps):.3f}" in body


def test_exposure_bias_worked_number():
    body = step_text("training", "Exposure bias")
    assert f"0.95^20 ≈ {0.95 ** 20:.0%}" in body


def test_training_scene_controls_match_the_engine_recipe():
    from engine.recipes.toy_tasks import TaskRecipe
    from tutor.scenes import train_transformer as tt
    from tutor.scenes.registry import SCENES

    spec = SCENES["train_transformer"]
    assert float(spec.param("lr").default) == TaskRecipe().lr and spec.param("warmup").default == 0
    assert tt.recipe("0.03", 100) == TaskRecipe(lr=0.03, warmup=100)
    frames = spec.frames({"steps": 50, "lr": "0.03", "warmup": 100})
    intro = next(frames).caption
    frames.close()
    assert "lr 0.03 reached after a linear warm-up of 100 steps" in intro
    s = step("training", "Reading a loss curve")
    assert s.scene.id == "train_transformer" and float(s.scene.values["lr"]) == 10 * TaskRecipe().lr
    assert "runs at 0.03, ten times the rate above" in step_text("training", "Reading a loss curve")


@pytest.mark.slow
def test_high_rate_stalls_and_warm_up_rescues_it():
    """The loss-curve step's run (reverse, 400 steps, lr 0.03): stalls without warm-up, learns with 100."""
    from engine.recipes.toy_tasks import train_transformer
    from tutor.scenes import train_transformer as tt

    s = step("training", "Reading a loss curve")
    steps, lr = s.scene.values["steps"], s.scene.values["lr"]
    _, stalled = train_transformer("reverse", steps, 0, recipe=tt.recipe(lr, 0))
    _, warmed = train_transformer("reverse", steps, 0, recipe=tt.recipe(lr, 100))
    _, tiny = train_transformer("reverse", steps, 0, recipe=tt.recipe("0.0001", 0))
    assert min(stalled) > 1.0 and np.mean(warmed[-20:]) < 0.1 and np.mean(tiny[-20:]) > 1.5

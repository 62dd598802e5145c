"""Lessons 8–16 (self-attention to the language-model capstone): shape, and every number checked.

Each lesson must be short (5–12 steps), end with a recap, ask at least one
prediction that a scene then answers, use the scenes the curriculum lists for
it, and carry at least 8 recall cards of which a quarter are exercises.

Every figure a lesson states that the engine can compute (parameter counts,
positional-encoding values, softmax weights, n² sizes, masked cells, losses,
beam-search scores) is computed here with the engine and looked up in the
lesson text in the same format, so a wrong figure in a lesson fails a test.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from engine.attention import causal_mask
from engine.decode import beam_search, greedy_decode
from engine.functional import softmax
from engine.seq_tasks import BOS, EOS, load_phrases, make_batch

from .lessons import grouped, load, num, step_text, text
from .reading import flat

# ------------------------------------------------------------------ shape of every lesson

def test_positional_shows_both_the_matrix_and_the_similarity():
    views = {s.scene.values.get("view") for s in load("positional").steps
             if s.scene and s.scene.id == "positional_encoding"}
    assert {"matrix", "similarity"} <= views


def test_required_cards():
    complexity = [c for c in load("self-attention").cards if "complexity" in c.front]
    assert complexity and complexity[0].answer == "O(n²)"
    why = [c for c in load("positional").cards if "need positional encoding" in c.front]
    assert why and "order" in why[0].answer
    qk = [c for c in load("qkv").cards if c.id == "qkv.shape"]        # asked once, where QKᵀ is taught
    assert qk and qk[0].answer == "n×n"
    mask = [c for c in load("decoder").cards if "causal mask hide" in c.front]
    assert mask and "future" in mask[0].back.lower()


# ------------------------------------------------------------------ 08 self-attention

ANIMAL = "The animal didn't cross the street because it was tired"


def test_animal_sentence_grid_size():
    n = len(engine.tokenize(ANIMAL))
    assert f"has {n} tokens, so {n * n}" in text("self-attention")


def test_attention_grid_sizes_in_weights_and_bytes():
    body = step_text("self-attention", "The price: n²")
    for n, size in ((512, "1 MiB"), (4096, "64 MiB")):
        rng = np.random.default_rng(n)
        q, k, v = (rng.standard_normal((n, 8)).astype(np.float32) for _ in range(3))
        _, cache = engine.scaled_dot_product_attention(q, k, v)
        assert cache.weights.shape == (n, n)
        assert f"{n:,} tokens" in body
        assert f"{cache.weights.size:,} weights" in body
        assert cache.weights.nbytes == int(size.split()[0]) * 2**20 and size in body


def test_worked_softmax_row():
    scores = np.array([2.0, 1.0, 0.1])
    body = step_text("self-attention", "One row, worked by hand")
    assert " : ".join(f"{e:.2f}" for e in np.exp(scores)) in body
    weights = softmax(scores)
    assert ", ".join(num(w) for w in weights) in body
    assert math.isclose(weights.sum(), 1.0)


def test_rnn_states_against_attention_weights_at_the_scenes_longest_n():
    from tutor.scenes import attention_cost as ac
    from tutor.scenes.attention_common import human_bytes

    step = next(s for s in load("self-attention").steps if s.title == "The price: n²")
    n = step.scene.values["max_length"]
    rnn = engine.RNN(ac.WIDTH, ac.WIDTH, dtype=ac.DTYPE)
    _, cache = rnn.forward(np.zeros((n, 1, ac.WIDTH), dtype=ac.DTYPE))
    states = cache.hs.nbytes
    _, attn = engine.scaled_dot_product_attention(*(np.zeros((n, 4), dtype=ac.DTYPE),) * 3)
    assert human_bytes(attn.weights.nbytes) == "16.0 MiB" and f"n = {n:,} one head's weights take 16 MiB" in step.predict.question
    assert human_bytes(states) == "512.0 KiB" and step.predict.choices[step.predict.answer] == "512 KiB"
    assert f"{n:,} · {ac.WIDTH} · 4 bytes = 512 KiB" in flat(step.predict.explain)


def test_shuffled_tokens_shuffle_the_grid():
    """The claim of the permutation steps: same weights, rows and columns moved."""
    X = engine.token_vectors(["dog", "bites", "man"], 16, seed=0)
    perm = np.array([2, 1, 0])
    mha = engine.MultiHeadAttention(16, 1, seed=0)
    (out, a), (out_p, b) = (mha.forward(x[:, None], x[:, None], x[:, None]) for x in (X, X[perm]))
    np.testing.assert_allclose(b.weights[0, 0], a.weights[0, 0][np.ix_(perm, perm)], atol=1e-12)
    np.testing.assert_allclose(out_p[:, 0], out[perm, 0], atol=1e-12)


# ------------------------------------------------------------------ 09 multi-head

def test_multi_head_parameter_count_does_not_depend_on_heads():
    counts = {h: engine.MultiHeadAttention(512, h).num_parameters() for h in (1, 2, 4, 8)}
    assert len(set(counts.values())) == 1
    count = counts[8]
    assert count == 4 * 512 * 512 + 4 * 512
    body = text("multi-head")
    assert f"`4·512·512 + 4·512 = {count:,}`" in body
    assert "1, 2, 4 or 8 heads alike" in body
    assert f"512 / 8 = {512 // 8}" in body and "d_k = {{64}}" in body


def test_multi_head_grids_are_n_by_n():
    n = len(engine.tokenize(ANIMAL))
    x = engine.token_vectors(engine.tokenize(ANIMAL), 64, seed=0)[:, None]
    _, cache = engine.MultiHeadAttention(64, 8).forward(x, x, x)
    heads, rows, cols = cache.weights.shape[1:]
    step = next(s for s in load("multi-head").steps if s.title == "Heads side by side")
    assert step.predict.choices[step.predict.answer] == f"{heads} grids of {rows} × {cols}"
    assert f"{n}-token" in step.predict.question
    assert step.scene.values["heads"] == heads


def test_single_head_penalty_matches_the_paper():
    """Vaswani et al. 2017, Table 3 (A): 1 head 24.9 BLEU, best 25.8; 32 heads 25.4."""
    body = text("multi-head")
    assert f"lost {25.8 - 24.9:.1f} BLEU" in body and "32 heads of 16" in body and 32 * 16 == 512


# ------------------------------------------------------------------ 10 embeddings and positions

def test_your_cat_is_lovely_matrix():
    ids = [105, 6587, 5475, 65]
    table = engine.Embedding(max(ids) + 1, 512)
    vectors, _ = table.forward(np.array(ids))
    body = text("positional")
    assert f"`{ids}`" in body
    assert f"shape {vectors.shape}" in body
    assert f"{vectors.size:,} numbers" in body


def test_embedding_table_of_the_paper():
    vocab = 37_000                              # the paper's shared English–German vocabulary
    small = engine.Embedding(37, 512)           # same rule at a size cheap to build: V × d_model
    assert small.num_parameters() == 37 * 512
    assert f"about {vocab:,} tokens" in text("positional")
    assert f"about {round(vocab * 512 / 1e6)} million learned numbers" in text("positional")


def test_tiny_pe_example():
    pe = engine.positional_encoding(4, 4)
    body = step_text("positional", "A tiny example")
    assert "`10000^(2/4) = 100`" in body and 10000 ** (2 / 4) == 100
    np.testing.assert_allclose(pe[:, 2], np.sin(np.arange(4) / 100))
    assert "[" + ", ".join(num(v) for v in pe[3]) + "]" in body


def test_pe_row_zero_alternates():
    pe = engine.positional_encoding(16, 32)
    np.testing.assert_array_equal(pe[0], np.tile([0.0, 1.0], 16))
    step = next(s for s in load("positional").steps if s.title == "The PE matrix")
    assert step.predict.choices[step.predict.answer] == "0, 1, 0, 1, … alternating"
    assert step.scene.values == {"length": 16, "d_model": 32, "view": "matrix"}


def test_pe_wavelengths():
    body = text("positional")
    pe = engine.positional_encoding(2, 512)
    assert pe[1, 0] == pytest.approx(math.sin(1.0))            # one radian per position
    assert f"2π ≈ {2 * math.pi:.1f} positions" in body
    slowest = 2 * math.pi * 10000 ** (510 / 512)               # the last pair at d_model = 512
    assert 0.95 < slowest / (2 * math.pi * 10000) < 1
    assert f"about {round(2 * math.pi * 10000, -3):,.0f}, as d_model grows" in body
    scene_d = next(s.scene.values["d_model"] for s in load("positional").steps
                   if s.scene and s.scene.id == "positional_encoding")
    pe = engine.positional_encoding(8, scene_d)
    slowest = 2 * math.pi / pe_frequency(pe, scene_d - 2)       # the period of the last sine column
    assert f"{slowest:,.0f} at the d_model = {scene_d} of the scene below" in body


def pe_frequency(pe: np.ndarray, column: int) -> float:
    """The angle a sine column of the positional code turns per position, read back from the code."""
    return float(np.arcsin(pe[1, column]))


def test_pe_similarity_depends_on_offset_only():
    d_model, length = 32, 16
    step = next(s for s in load("positional").steps if s.title == "Nearby positions look alike")
    assert step.scene.values == {"length": length, "d_model": d_model, "view": "similarity"}
    pe = engine.positional_encoding(length, d_model)
    dots = pe @ pe.T
    np.testing.assert_allclose(np.diag(dots), d_model / 2)
    for k in range(1, length):
        np.testing.assert_allclose(np.diagonal(dots, k), dots[0, k])
    norms = np.linalg.norm(pe, axis=1)
    cosine = dots / np.outer(norms, norms)
    np.testing.assert_allclose(np.diag(cosine), 1.0)
    assert cosine[10, 11] > cosine[10, 14]                       # neighbours look alike
    body = step_text("positional", "Nearby positions look alike")
    assert f"PE(p)·PE(p) = {d_model // 2} when d_model = {d_model}" in body
    step = next(s for s in load("positional").steps if s.title == "Nearby positions look alike")
    assert step.scene.values["d_model"] == d_model
    card = next(c for c in load("positional").cards if c.id == "positional.offset")
    assert np.argmax(cosine[10]) == 10 and np.argmax(dots[10]) == 10       # largest at offset 0
    assert "exactly 1 in the lesson's cosine grid, d_model/2 for the raw dot product" in card.back


# ------------------------------------------------------------------ 11 the block

def test_layer_norm_worked_example():
    norm = engine.LayerNorm(4)
    y, cache = norm.forward(np.array([1.0, 2.0, 3.0, 4.0]))
    body = step_text("block", "Worked by hand")
    assert "[" + ", ".join(num(v) for v in y) + "]" in body
    x = cache.x
    assert f"μ = {x.mean():g}" in body and f"= {x.var():g}" in body
    assert f"about {math.sqrt(x.var()):.3f}" in body
    assert y.mean() == pytest.approx(0, abs=1e-12) and y.var() == pytest.approx(1, abs=1e-4)


def test_layer_norm_gamma_beta_prediction():
    norm = engine.LayerNorm(12)
    norm.params["weight"][...] = 2.0
    norm.params["bias"][...] = 1.0
    y, _ = norm.forward(np.random.default_rng(0).standard_normal(12) * 5 + 3)
    step = next(s for s in load("block").steps if s.title == "Before and after")
    assert step.scene.values["gamma"] == 2.0 and step.scene.values["beta"] == 1.0
    answer = step.predict.choices[step.predict.answer]
    assert answer == f"mean {y.mean():.0f}, standard deviation {y.std():.0f}"
    assert y.mean() == pytest.approx(1) and y.std() == pytest.approx(2, abs=1e-4)


def test_one_tokens_trip_is_the_block_flow_scene():
    from tutor.scenes import block_flow as bf

    step = next(s for s in load("block").steps if s.title == "One token's trip")
    assert step.scene.id == "block_flow"
    assert step.scene.values["sentence"] == "The cat sat on the mat" and step.scene.values["token"] == 2
    flow = bf.run("The cat sat on the mat", 0)
    assert flow.tokens[1].lower() == "cat"
    out = flow.stages[-1, 1]                                    # norm2: what the token leaves with
    assert out.shape == (bf.D_MODEL,) and flow.stages[0, 1].shape == out.shape
    assert out.mean() == pytest.approx(0, abs=1e-6) and out.std() == pytest.approx(1, abs=1e-3)
    body = step_text("block", "One token's trip")
    assert f"512 numbers in the base model, {bf.D_MODEL} in the scene" in body
    assert "at mean 0 and standard deviation 1" in body
    assert "γ" not in body and "Change the token in the scene" in body    # block_flow has no γ, β


def test_block_parameter_counts():
    attention = engine.MultiHeadAttention(512, 8).num_parameters()
    ffn = engine.FeedForward(512, 2048)
    layer = engine.TransformerEncoderLayer(512, 8, 2048).num_parameters()
    norm = engine.LayerNorm(512).num_parameters()
    assert ffn.params["linear1.weight"].shape == (2048, 512)
    assert layer == attention + ffn.num_parameters() + 2 * norm
    body = text("block")
    for n in (attention, ffn.num_parameters(), layer, 6 * layer):
        assert grouped(n) in body
    assert f"2 × {norm:,}" in body
    assert f"from 512 to {ffn.params['linear1.weight'].shape[0]:,}" in body
    assert round(ffn.num_parameters() / attention) == 2 and "about twice" in body


# ------------------------------------------------------------------ 12 the decoder

def test_causal_mask_counts():
    body = text("decoder")
    for n, phrase in ((3, "6 of 9"), (10, "55 of 100")):
        visible = int((~causal_mask(n)).sum())
        assert visible == n * (n + 1) // 2
        assert f"{visible} of {n * n}" == phrase and phrase in body
    step = next(s for s in load("decoder").steps if s.title == "The triangle")
    n = len(engine.tokenize(step.scene.values["sentence"]))
    assert step.predict.choices[step.predict.answer] == str(int((~causal_mask(n)).sum()))


def test_causal_attention_weights_are_zero_above_the_diagonal():
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((5, 4)) for _ in range(3))
    _, cache = engine.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert np.all(cache.weights[causal_mask(5)] == 0.0)
    np.testing.assert_allclose(cache.weights.sum(axis=-1), 1.0)


def test_cross_attention_grid_shape():
    src, tgt = (engine.tokenize(s) for s in ("I love you very much", "Ti amo molto"))
    mha = engine.MultiHeadAttention(16, 2)
    memory = engine.token_vectors(src, 16)[:, None]
    query = engine.token_vectors(tgt, 16)[:, None]
    _, cache = mha.forward(query, memory, memory)
    rows, cols = cache.weights.shape[-2:]
    assert f"{rows} × {cols} grid" in text("decoder")


def test_decoder_layer_parameter_count():
    decoder = engine.TransformerDecoderLayer(512, 8, 2048).num_parameters()
    encoder = engine.TransformerEncoderLayer(512, 8, 2048).num_parameters()
    assert decoder == encoder + engine.MultiHeadAttention(512, 8).num_parameters() + engine.LayerNorm(512).num_parameters()
    body = text("decoder")
    assert grouped(decoder) in body and grouped(encoder) in body


# ------------------------------------------------------------------ 13 training

def test_shifted_targets_match_the_engine():
    phrases = load_phrases()
    index = phrases.pairs.index(("I love you very much", "Ti amo molto"))
    batch = phrases.batch([index])
    words = [phrases.tgt_vocab.tokens[i] for i in batch.tgt_out[:-1, 0]]
    assert batch.tgt_in[0, 0] == BOS and batch.tgt_out[-1, 0] == EOS
    np.testing.assert_array_equal(batch.tgt_in[1:, 0], batch.tgt_out[:-1, 0])
    assert words == ["ti", "amo", "molto"]
    positions = batch.tgt_out.shape[0]
    body = text("training")
    assert "decoder reads: <bos> Ti amo molto" in body and "must predict: Ti amo molto <eos>" in body
    assert f"position {positions} must say" in body
    step = next(s for s in load("training").steps if s.title == "Teacher forcing")
    in_words = {3: "three", 4: "four", 5: "five"}[positions]
    assert step.predict.choices[step.predict.answer] == f"One: all {in_words} positions are predicted at once"


def test_cross_entropy_values():
    body = step_text("training", "The loss: cross-entropy")
    for p in (0.9, 0.5, 0.01):
        logits = np.log(np.array([[p, 1 - p]]))
        loss, _ = engine.cross_entropy(logits, np.array([0]))
        assert f"p = {p:g} → {loss:.3f}" in body
    uniform, _ = engine.cross_entropy(np.zeros((1, 10_000)), np.array([0]))
    assert uniform == pytest.approx(math.log(10_000))
    assert f"`ln V`, which is {uniform:.2f} for a vocabulary of 10,000" in body


def test_warmup_peak():
    d_model, warmup = 512, 4000
    steps = np.arange(1, 20_001)
    lr = d_model ** -0.5 * np.minimum(steps ** -0.5, steps * warmup ** -1.5)
    assert int(steps[lr.argmax()]) == warmup
    mantissa = lr.max() * 1e4
    body = step_text("training", "Adam and the learning rate")
    assert f"about {mantissa:.1f} × 10⁻⁴" in body
    assert f"step · {warmup}^(−1.5)" in body and f"first {warmup:,} steps" in body
    card = next(c for c in load("training").cards if c.id == "training.warmup")
    assert card.answer.split("|")[0] == f"{warmup:,}" and f"peaks at step {warmup:,} at about {mantissa:.1f} × 10⁻⁴" in card.back
    rising, falling = lr[:warmup], lr[warmup - 1:]
    np.testing.assert_allclose(rising, rising[0] * steps[:warmup])                      # linear climb
    np.testing.assert_allclose(falling, falling[0] * (steps[warmup - 1:] / warmup) ** -0.5)   # ∝ step^(−0.5)
    assert "climbs linearly for the first {{" in card.front and "decays in proportion to step^(−0.5)" in card.front


def test_live_run_optimizer_matches_the_recipe():
    from engine.recipes.toy_tasks import TaskRecipe

    r = TaskRecipe()
    mantissa, exponent = f"{r.lr:.0e}".split("e")
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    body = step_text("training", "Training live")
    assert f"constant learning rate of {mantissa} × 10{str(int(exponent)).translate(sup)}" in body
    assert f"clipped to norm {r.clip:.1f}" in body and "no warm-up" in body
    recap = step_text("training", "Recap")
    assert "the paper with warm-up, the live run at a constant rate with gradient clipping" in recap
    assert "Adam with warm-up trains it" not in text("training")


def test_reverse_example():
    src = [3, 1, 4, 1, 5, 9, 2, 6]
    body = step_text("training", "Training live")
    assert f"`{' '.join(map(str, src))}` → `{' '.join(map(str, src[::-1]))}`" in body


# ------------------------------------------------------------------ 14 decoding

# The toy model of "When greedy goes wrong": A 0.6 / B 0.4, then X with 0.5 after A
# and 0.9 after B (the rest on Y), then the end.
A, B, X, Y = 4, 5, 6, 7
V = 8


def toy_log_probs(prefix: np.ndarray) -> np.ndarray:
    out = np.full((prefix.shape[1], V), -np.inf)
    for col, seq in enumerate(prefix.T):
        seq = list(seq)
        if len(seq) == 1:
            out[col, [A, B]] = np.log([0.6, 0.4])
        elif len(seq) == 2:
            p = 0.5 if seq[1] == A else 0.9
            out[col, [X, Y]] = np.log([p, 1 - p])
        else:
            out[col, EOS] = 0.0
    return out


def test_greedy_misses_the_better_sentence():
    body = step_text("decoding", "When greedy goes wrong")
    greedy = greedy_decode(toy_log_probs, batch_size=1, max_len=5)
    assert greedy.sequences() == [[A, X]]
    greedy_p = math.exp(sum(greedy.log_probs[t, 0, tok] for t, tok in enumerate(greedy.tokens[:, 0])))
    beam = beam_search(toy_log_probs, beam_width=2, max_len=5, alpha=0.0)
    assert beam.best.tokens == (B, X)
    assert f"0.6 × 0.5 = {greedy_p:.2f}" in body and f"0.4 × 0.9 = {math.exp(beam.best.score):.2f}" in body
    assert f"`ln {greedy_p:.2f} = {num(math.log(greedy_p))}`" in body
    assert f"`ln {math.exp(beam.best.score):.2f} = {num(beam.best.score)}`" in body
    beam_body = step_text("decoding", "Beam search")
    assert f"*a cat* ({num(beam.best.score)}) beats *the cat* ({num(math.log(greedy_p))})" in beam_body


def test_beam_of_one_is_greedy():
    greedy = greedy_decode(toy_log_probs, batch_size=1, max_len=5)
    beam = beam_search(toy_log_probs, beam_width=1, max_len=5, alpha=0.0)
    assert list(beam.best.tokens) == greedy.sequences()[0]
    step = next(s for s in load("decoding").steps if s.title == "The tree")
    assert step.scene.values["beam"] == 1
    assert step.predict.choices[step.predict.answer] == "It is exactly the greedy path"


def test_beam_tree_has_width_children_per_node():
    beam = beam_search(toy_log_probs, beam_width=2, max_len=5, alpha=0.0)
    assert len(beam.children(0)) == 2
    step = next(s for s in load("decoding").steps if s.title == "Wider beams")
    assert step.scene.values["beam"] == 3 and "each node grows three branches" in flat(step.body)


GIRL = "The girl loves water"


def test_real_phrase_greedy_stops_too_early():
    from tutor.scenes import beam_search as bs

    steps = load("decoding").steps
    assert all(s.scene.values["phrase"] == GIRL for s in steps if s.scene and s.scene.id == "beam_search")
    _, result, greedy, vocab, _ = bs.run(GIRL, 1, 0.6)
    assert bs.sentence(vocab, greedy.words) == "la ragazza" and vocab[greedy.tokens[-1]] == "<eos>"
    assert list(result.best.tokens[:len(greedy.words)]) == list(greedy.words)           # beam 1 is greedy
    runner, runner_lp = greedy.runner_up[2]
    body = step_text("decoding", "Wider beams")
    assert (f"at step 3 it chose `<eos>` ({num(greedy.log_probs[2], 2)}) over *{vocab[runner]}* "
            f"({num(runner_lp, 2)})") in body


def test_length_normalization_changes_the_winner():
    from tutor.scenes import beam_search as bs

    step = next(s for s in load("decoding").steps if s.title == "Length normalization")
    assert step.scene.values == {"phrase": GIRL, "beam": 4, "alpha": 0.6}
    _, norm, greedy, vocab, _ = bs.run(GIRL, 4, 0.6)
    _, raw, _, _, _ = bs.run(GIRL, 4, 0.0)
    best = bs.sentence(vocab, norm.best.tokens)
    assert best == "la ragazza beve acqua" == step.predict.choices[step.predict.answer]
    assert bs.sentence(vocab, raw.best.tokens) == "la ragazza" == bs.sentence(vocab, greedy.words)
    assert {bs.sentence(vocab, h.tokens) for h in norm.hypotheses[:3]} == set(step.predict.choices)
    explain = flat(step.predict.explain)
    assert f"la ragazza wins ({num(raw.best.score, 4)} against {num(norm.best.score, 4)})" in explain
    assert f"scores {num(norm.best.normalized, 4)} against {num(greedy.normalized, 4)}" in explain
    assert "with 3 and 5 tokens counting <eos>" in explain
    assert len(greedy.tokens) == 3 and norm.best.finished and len(norm.best.tokens) + 1 == 5   # with <eos>
    assert "watch the winner change to greedy's la ragazza" in explain
    assert "set α to 0" not in flat(step.body).lower()                 # no give-away before the question


def test_the_beam_winner_translates_a_sentence_the_model_knew():
    """"La ragazza beve acqua" is the training pair of "The girl drinks water", not of the phrase asked."""
    pairs = dict(load_phrases().pairs)
    assert GIRL not in pairs and pairs["The girl drinks water"].lower() == "la ragazza beve acqua"
    step = next(s for s in load("decoding").steps if s.title == "Length normalization")
    assert 'It is still a wrong translation: it means "the girl drinks water".' in flat(step.predict.explain)
    body = step_text("decoding", "Beyond beam search")
    assert 'never saw *"The girl loves water"* in training, but it did learn *"The girl drinks water"*' in body


# ------------------------------------------------------------------ 15 why Transformers won

def test_base_model_sizes_agree_across_lessons():
    base = text("why-transformers")
    assert "6 encoder and 6 decoder layers, d_model = 512" in base
    assert f"8 heads of {512 // 8}" in base
    assert "d_ff = 2,048" in base
    assert "d_model = 512 and h = 8" in text("multi-head")


def test_sequential_steps_prediction():
    step = load("why-transformers").steps[0]
    n = step.scene.values["max_length"]
    rnn = engine.RNN(4, 4)
    hs, _ = rnn.forward(np.zeros((n, 1, 4)))
    assert f"Over {n} tokens an RNN has {hs.shape[0]} steps that wait" in step.predict.question


def test_further_reading():
    body = step_text("why-transformers", "Further reading")
    for title in ("Attention Is All You Need", "The Illustrated Transformer", "The Annotated Transformer"):
        assert title in body
    assert "arxiv.org/abs/1706.03762" in body


def test_the_parallel_prediction_is_what_this_cpu_measures():
    """Lesson 15 predicts attention's time within a small factor of the RNN's at n = 256 on a CPU:
    the scene's own timing says so (a factor of 16 either way, far from the 256 the count suggests)."""
    from tutor.scenes import sequential_vs_parallel as svp
    from tutor.scenes.attention_common import attention_layer, rnn_layer
    from tutor.scenes.registry import SCENES

    step = next(s for s in load("why-transformers").steps if s.scene and s.scene.id == "sequential_vs_parallel")
    assert step.predict is not None
    assert step.predict.choices[step.predict.answer] == "Within a small factor of each other, either way"
    width = SCENES["sequential_vs_parallel"].resolve(step.scene.values)["hidden"]
    t = svp.measure(256, width, rnn_layer(width, dtype=svp.DTYPE), attention_layer(width, dtype=svp.DTYPE))
    assert 1 / 16 < t.rnn / t.attention < 16

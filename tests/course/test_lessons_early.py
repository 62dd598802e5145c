"""Lessons 0–7 (welcome to scaled dot-product attention): shape, and every number checked.

Each lesson must be short (5–12 steps), end with a recap, ask at least one
prediction, use the scenes the curriculum lists for it, and carry at least 8
recall cards of which a quarter are exercises.

Every figure a lesson states that the engine can compute (parameter counts,
gradient factors, tanh′ values, receptive fields, attention shapes and sizes)
is computed here, with the engine or with the scene that shows it, and looked
up in the lesson text in the format the lesson prints it. A wrong figure, or a
scene whose engine run stops showing what the lesson says it shows, fails.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import engine
from engine.diagnostics import set_spectral_radius
from engine.functional import softmax, tanh_grad_from_output
from engine.tasks import RememberFirstTask

from .lessons import load, predicted, scenes, step_text, text
from .reading import flat

LONG_GAP = "The cat, which had been sleeping on the warm windowsill all afternoon, suddenly jumped."
DOG = "The dog that I saw at the park with my friend who lives in Brooklyn was"


# -- shape of every lesson ------------------------------------------------------------

def test_required_cards_are_present():
    why = [c for c in load("vanishing").cards if "RNNs fail on long sequences" in c.front]
    assert why and "vanishing gradients" in why[0].back.lower()
    trade = [c for c in load("bottleneck").cards if "trade-off" in c.front.lower()]
    assert trade and all(s in trade[0].back for s in ("O(1) memory in n to run, O(n) to train", "sequential",
                                                       "O(n²) memory", "parallel"))


# -- 0. welcome ---------------------------------------------------------------------

def test_welcome_teaches_the_keys_and_where_progress_lives():
    t = text("welcome")
    for key in ("**→**", "**space**", "**←**", "**esc**", "**p**", "**+**", "**r**", "**c**",
                "**[**", "**]**", "**e**", "**tab**", "**1**", "**?**", "**q**", "**z**", "**s**"):
        assert key in t, key
    for fact in ("`tutor quiz`", "**Again**", "**Hard**", "**Good**", "**Easy**", "progress.sqlite3",
                 "TUTOR_HOME", "progress.sqlite3.damaged-<timestamp>"):
        assert fact in t, fact
    assert {"rnn_unroll", "bag_of_words"} <= {scene_id for scene_id, _ in scenes("welcome")}


def test_welcome_names_the_apps_own_keys():
    from tutor.app import TutorApp
    from tutor.screens.quiz import QuizScreen

    t = text("welcome")
    assert TutorApp.ENABLE_COMMAND_PALETTE and TutorApp.COMMAND_PALETTE_BINDING == "ctrl+p"
    assert "**ctrl+p**: the command palette" in t
    assert any(b.key == "t" and b.action == "toggle_theme" for b in TutorApp.BINDINGS)
    assert "**t**: switch between the dark and the light theme" in t
    assert "Blanks and exercises: type the answer, then **enter**" in t
    assert any(b.action.startswith("choose(") for b in QuizScreen.BINDINGS) and "choices: press a number" in t


def test_welcome_exercise_example_counts_an_rnn_layer():
    rnn = engine.RNN(3, 4)
    sizes = [p.size for p in rnn.params.values()]          # W_ih 4×3, W_hh 4×4, two biases of 4
    assert sizes == [12, 16, 4, 4]
    assert f"12 + 16 + 8 = {rnn.num_parameters()}" in text("welcome")


def test_welcome_first_column_is_tanh_of_the_input():
    """After the first word h_0 = 0, so h_1 = tanh(W_xh·x_1 + b)."""
    rnn = engine.RNN(5, 4, seed=3)
    x = np.random.default_rng(0).standard_normal((3, 1, 5))
    hs, _ = rnn.forward(x)
    p = rnn.params
    expected = np.tanh(x[0, 0] @ p["weight_ih"].T + p["bias_ih"] + p["bias_hh"])
    np.testing.assert_allclose(hs[0, 0], expected)
    assert "`tanh(w·x_1 + b)`" in text("welcome")


# -- 1. before deep learning --------------------------------------------------------

def bag(sentence: str, n: int) -> Counter:
    words = [t.lower() for t in engine.tokenize(sentence)]
    return Counter(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def test_same_bag_different_bigrams():
    assert set(bag("I love robots", 1)) == {"i", "love", "robots"}
    assert bag("dog bites man", 1) == bag("man bites dog", 1)
    assert not set(bag("dog bites man", 2)) & set(bag("man bites dog", 2))
    assert predicted("before-deep-learning", "count vectors differ") == "No, they are identical"
    assert [v["ngram"] for k, v in scenes("before-deep-learning") if k == "bag_of_words"] == [1, 2]


def receptive_width(kernel: int, dilations: list[int]) -> int:
    """Words one output of stacked 1-D convolutions sees, by composing their windows."""
    seen = np.ones(1)
    for d in dilations:
        window = np.zeros((kernel - 1) * d + 1)
        window[::d] = 1.0
        seen = np.convolve(seen, window)
    hit = np.flatnonzero(seen)
    return int(hit[-1] - hit[0] + 1)


@pytest.mark.parametrize("kernel, layers", [(3, 4), (3, 7), (5, 4), (2, 6)])
def test_receptive_field_formula(kernel, layers):
    assert receptive_width(kernel, [1] * layers) == 1 + layers * (kernel - 1)


def test_cnn_worked_example():
    from tutor.scenes.cnn_receptive_field import influence, make_layers
    from engine.tokens import token_vectors

    tokens = engine.tokenize(LONG_GAP)
    gap = tokens.index("jumped") - tokens.index("cat")
    assert gap == 14 and f"*cat* sits {gap} tokens before *jumped*" in text("before-deep-learning")
    assert receptive_width(3, [1] * 4) == 9 and "four layers see 9 words" in text("before-deep-learning")
    layers_k3 = math.ceil(gap / 2)
    assert layers_k3 == 7 and predicted("before-deep-learning", "how many layers") == "7"
    assert receptive_width(3, [1] * 7) == gap + 1 > receptive_width(3, [1] * 6)
    assert math.ceil(gap / 4) == 4 and "⌈14/4⌉ = 4 layers" in text("before-deep-learning")
    assert receptive_width(3, [1, 2, 4, 8]) == 31 and "31 words for k = 3" in text("before-deep-learning")
    # The scene's real (causal) network: after 7 layers of kernel 3, "jumped" is reached from "cat" on.
    x = token_vectors(tokens, 8)
    sees = influence(x, make_layers(7, 3), tokens.index("jumped")) > 0
    assert int(np.flatnonzero(sees[7])[0]) == tokens.index("cat")
    assert int(np.flatnonzero(sees[6])[0]) > tokens.index("cat")
    assert ("cnn_receptive_field", {"sentence": LONG_GAP, "kernel": 3, "layers": 7}) in scenes("before-deep-learning")


# -- 2. recurrent networks ----------------------------------------------------------

@pytest.mark.parametrize("I, H", [(3, 4), (8, 8), (10, 20), (64, 128)])
def test_rnn_parameter_formula(I, H):
    sizes = {name: value.size for name, value in engine.RNN(I, H).state_dict().items()}
    assert sizes == {"weight_ih": H * I, "weight_hh": H * H, "bias_ih": H, "bias_hh": H}
    assert sum(sizes.values()) == H * I + H * H + 2 * H == engine.RNN(I, H).num_parameters()
    assert "`H·I + H·H + 2H`" in text("rnn")


def test_repeated_word_gets_a_different_column():
    """The rewritten state's scene: both *cat*s get one input vector, but their columns differ."""
    from engine.tokens import token_vectors
    from tutor.scenes.registry import SCENES
    from tutor.scenes.rnn_unroll import INPUT_SIZE

    step = next(s for s in load("rnn").steps if s.title == "Rewritten at every step")
    assert step.predict and step.scene.id == "rnn_unroll"
    grid = list(SCENES["rnn_unroll"].frames(step.scene.values))[-1].panels[0]
    cats = [k for k, word in enumerate(grid.col_labels) if word.lower() == "cat"]
    assert len(cats) == 2
    x = token_vectors(list(grid.col_labels), INPUT_SIZE, seed=step.scene.values.get("seed", 0))
    np.testing.assert_array_equal(x[cats[0]], x[cats[1]])            # the same input vector
    first, second = grid.values[:, cats[0]], grid.values[:, cats[1]]
    assert np.abs(first - second).max() > 0.05                         # visible at the cursor's 2 decimals
    assert predicted("rnn", "two cat columns") == "No: the state also carries the words read before"


# -- 3. the sequential bottleneck ---------------------------------------------------

def test_rnn_state_depends_on_every_earlier_input_only():
    rnn = engine.RNN(4, 8, seed=1)
    x = np.random.default_rng(1).standard_normal((5, 1, 4))
    hs, _ = rnn.forward(x)
    nudged = x.copy()
    nudged[0] += 0.5                                         # change x_1
    hs2, _ = rnn.forward(nudged)
    assert np.abs(hs2[3] - hs[3]).max() > 1e-6               # h_4 depends on x_1, through h_1..h_3
    later = x.copy()
    later[4] += 0.5                                          # change x_5
    hs3, _ = rnn.forward(later)
    np.testing.assert_array_equal(hs3[:4], hs[:4])           # ... but never on a later input


def test_attention_sizes():
    t = text("bottleneck")
    from tutor.scenes import sequential_vs_parallel as svp
    from tutor.scenes.attention_common import lengths
    from tutor.scenes.measures import MEASURES
    from tutor.scenes.registry import SCENES

    step = next(s for s in load("bottleneck").steps if s.title == "Counting the steps")
    sizes = lengths(svp.FIRST, step.scene.values["max_length"])
    assert (sizes[0], sizes[-1]) == (16, 512) and 256 in sizes and "doubles n from 16 up to 512" in step.predict.question
    chain = {n: engine.RNN(2, 2).forward(np.zeros((n, 1, 2)))[0].shape[0] for n in (256, 512)}
    scores = {n: engine.scaled_dot_product_attention(*(np.zeros((n, 2)),) * 3)[1].scores.size for n in (256, 512)}
    assert chain[512] == 2 * chain[256] and scores[512] == 4 * scores[256]
    measured = MEASURES[step.predict.measure].compute(SCENES[step.scene.id].resolve(step.scene.values))
    assert measured == scores[512]                                       # the number prediction's truth
    explain = flat(step.predict.explain)
    assert f"512² = {scores[512]:,}, four times the {scores[256]:,} at n = 256" in explain
    assert "Double n: the scores quadruple, the RNN's chain only doubles." in explain
    assert f"{scores[512]:,}" in "".join(s for line in svp.chain(512).lines for s, _ in line)   # the scene's count
    n = 4096
    q = np.zeros((n, 2), dtype=np.float32)
    _, cache = engine.scaled_dot_product_attention(q, q, q)
    assert cache.weights.shape == (n, n)
    assert f"{cache.weights.size:,}" == "16,777,216" and "16,777,216 weights" in t
    assert cache.weights.nbytes / 2**20 == 64 and "64 MiB in 32-bit floats" in t
    assert engine.RNN(64, 64).params["weight_hh"].size == 4096 and "4,096 for a hidden size of 64" in t


def test_rnn_training_memory_grows_linearly():
    rnn = engine.RNN(4, 8)
    for T in (10, 20, 40):
        _, cache = rnn.forward(np.zeros((T, 1, 4)))
        assert cache.hs.shape == (T, 1, 8)                   # one stored state per step: O(n)


# -- 4. vanishing and exploding gradients -------------------------------------------

def resting_unit_gradient(w: float, steps: int) -> float:
    """∂L/∂h_0 of a one-unit RNN at rest (h = 0, so tanh′ = 1) for ∂L/∂h_T = 1."""
    rnn = engine.RNN(1, 1)
    rnn.params["weight_hh"][:] = w
    for name in ("weight_ih", "bias_ih", "bias_hh"):
        rnn.params[name][:] = 0.0
    _, cache = rnn.forward(np.zeros((steps, 1, 1)))
    _, dh0, _ = rnn.backward(None, cache, d_final=np.ones((1, 1)))
    return float(dh0[0, 0])


def test_one_unit_twenty_steps():
    t = text("vanishing")
    small, large = resting_unit_gradient(0.5, 20), resting_unit_gradient(1.5, 20)
    assert small == pytest.approx(0.5 ** 20) and f"{small:.2g}" == "9.5e-07"
    assert "`0.5^20 ≈ 0.00000095`" in t
    assert round(large) == 3325 and "`1.5^20 ≈ 3,325`" in t
    assert f"{resting_unit_gradient(0.5, 14):.1g}" == "6e-05" and "`0.5^14 ≈ 0.00006`" in t


def test_step_jacobian_is_diag_tanh_prime_times_W_hh():
    rnn = engine.RNN(3, 4, seed=2)
    x = np.random.default_rng(2).standard_normal((2, 1, 3))
    hs, cache = rnn.forward(x)
    J = rnn.step_jacobian(cache, 1)[0]
    np.testing.assert_allclose(J, np.diag(1 - hs[1, 0] ** 2) @ rnn.params["weight_hh"])
    eps, numeric = 1e-6, np.empty((4, 4))                    # finite differences of h_2 in h_1
    for j in range(4):
        h1 = hs[0].copy()
        h1[0, j] += eps
        up, _ = rnn.forward(x[1:], h1)
        numeric[:, j] = (up[0, 0] - hs[1, 0]) / eps
    np.testing.assert_allclose(numeric, J, atol=1e-5)


def test_tanh_prime_values():
    d = tanh_grad_from_output(np.tanh(np.array([0.0, 2.0, 3.0])))
    assert d[0] == 1.0 and round(d[1], 2) == 0.07 and d[2] < 0.01
    assert "about 0.07 at a = 2 and under 0.01 at a = 3" in text("vanishing")


def test_vanishing_scene_at_radius_half():
    from tutor.scenes.gradient_decay import run

    assert ("gradient_decay", {"radius": 0.5, "length": 40}) in scenes("vanishing")
    flow = run(0.5, 40, False, 1.0, 0)
    assert flow.spectral_radius == pytest.approx(0.5)
    assert flow.norms[0] * 1e8 < flow.norms[19]              # step 1 vs step 20: > a hundred million
    assert predicted("vanishing", "ρ = 0.5") == "Smaller, by many orders of magnitude"
    assert "more than a hundred million" in text("vanishing")


def test_radius_above_one_explodes_only_sometimes():
    from tutor.scenes.gradient_decay import run

    assert ("gradient_decay", {"radius": 3.0, "length": 40, "seed": 2}) in scenes("vanishing")
    flow = run(3.0, 40, False, 1.0, 2)
    assert flow.norms[0] > 1000 * flow.norms[-1]             # "over a thousand times"
    assert run(3.0, 200, False, 1.0, 2).norms[0] > 1e11      # "over 200 steps … more than 10¹¹ times"
    for seed in (0, 1, 2):                                   # "ρ = 1.5 … often shrinks anyway"
        shrunk = run(1.5, 40, False, 1.0, seed)
        assert shrunk.norms[0] < shrunk.norms[-1]
    long = run(3.0, 200, False, 1.0, 2, "float16")              # "float16 … overflows to inf"
    assert long.overflow and np.isinf(long.norms).any() and not run(3.0, 200, False, 1.0, 2).overflow
    assert np.finfo(np.float16).max == 65504
    t = step_text("vanishing", "Above 1: exploding")
    assert "over a thousand times" in t and "more than 10¹¹ times" in t
    assert "float16" in t and "65504" in t and "overflows" in t


def test_radius_below_one_is_no_guarantee_a_norm_below_one_is():
    """ρ < 1 almost always vanishes, but not surely: tanh′ changes the product at every step.
    A largest singular value below 1 is sure: every step back shortens the gradient."""
    from engine.diagnostics import gradient_flow

    W = np.array([[3.0, 3.0], [-2.73, -3.0]])                # ρ = 0.9, but a norm of about 5.9
    rnn = engine.RNN(2, 2)
    rnn.params["weight_hh"][:] = W
    rnn.params["weight_ih"][:] = np.eye(2)
    for name in ("bias_ih", "bias_hh"):
        rnn.params[name][:] = 0.0
    h, xs = np.zeros(2), []
    for t in range(20):                                      # inputs that saturate the units in turn
        pre = np.array([0.0, 5.0]) if t % 2 == 0 else np.array([5.0, 0.0])
        xs.append(pre - W @ h)
        h = np.tanh(pre)
    grown = gradient_flow(rnn, np.array(xs)[:, None, :])
    assert grown.spectral_radius == pytest.approx(0.9) and grown.norms[0] > 1e6 * grown.norms[-1]
    for seed in (0, 1, 2):
        rnn = engine.RNN(4, 8, seed=seed)
        W_hh = rnn.params["weight_hh"]
        W_hh *= 0.95 / np.linalg.norm(W_hh, 2)               # largest singular value 0.95
        x = np.random.default_rng(seed).standard_normal((30, 1, 4)) * 3
        norms = gradient_flow(rnn, x).norms
        assert np.all(np.diff(norms) > 0)                    # shorter at every step back
    t = step_text("vanishing", "Above 1: exploding")
    assert "Below 1, it almost always dies out" in t and "largest singular value, its norm, is below 1" in t


def test_long_gap_sentence_and_its_scene():
    from tutor.scenes.gradient_decay import run

    tokens = engine.tokenize(DOG)
    assert len(tokens) == 16 and tokens.index("was") - tokens.index("dog") == 14
    assert "read 14 steps earlier" in text("vanishing") and "16 steps at ρ = 0.9" in text("vanishing")
    flow = run(0.9, 16, False, 1.0, 0)
    assert flow.norms[1] < 1e-2 * flow.norms[-1]             # step 2, where "dog" was read


def test_saturation_scene_at_scale_four():
    from tutor.scenes.tanh_chart import run

    _, _, pre = run(LONG_GAP, 4.0, 8, 0)
    assert (np.abs(pre) > 2).mean() > 0.5   # "over the whole sentence, more than half of the marks land beyond ±2"
    assert "over the whole sentence, more than half of the marks land beyond ±2" in text("vanishing")
    assert ("tanh_chart", {"sentence": LONG_GAP, "scale": 4.0, "hidden": 8}) in scenes("vanishing")


def test_clipping_keeps_direction_and_caps_norm():
    from tutor.scenes.gradient_decay import run

    g = np.random.default_rng(0).standard_normal(10)
    g *= 50 / np.linalg.norm(g)
    before = g.copy()
    grads = {"w": g}
    assert engine.clip_grad_norm(grads, 5.0) == pytest.approx(50)
    np.testing.assert_allclose(grads["w"], 0.1 * before, rtol=1e-6)   # "multiplied by 0.1"
    assert "With ‖g‖ = 50 and c = 5, every component is multiplied by 0.1" in text("vanishing")
    flow = run(3.0, 40, True, 1.0, 2)
    assert flow.clipped_norms.max() <= 1.0 + 1e-9            # "never rise above 1"


# -- 5. LSTM and GRU ----------------------------------------------------------------

@pytest.mark.parametrize("I, H", [(8, 8), (10, 20), (128, 256)])
def test_lstm_has_four_times_and_gru_three_times_an_rnn(I, H):
    rnn = engine.RNN(I, H).num_parameters()
    assert engine.LSTM(I, H).num_parameters() == 4 * rnn
    assert engine.GRU(I, H).num_parameters() == 3 * rnn


def test_parameter_counts_in_the_text():
    t = text("lstm-gru")
    counts = [cls(128, 256).num_parameters() for cls in (engine.RNN, engine.GRU, engine.LSTM)]
    assert "RNN {:,}, GRU {:,}, LSTM {:,}".format(*counts) in t


def test_cell_path_gradient_is_the_forget_gate():
    """∂c_t/∂c_{t−1} = diag(f_t): nudge c_0 alone and c_1 moves by f_1 ⊙ nudge."""
    lstm = engine.LSTM(3, 5, seed=4)
    x = np.random.default_rng(4).standard_normal((1, 1, 3))
    h0, c0 = np.zeros((1, 5)), np.random.default_rng(5).standard_normal((1, 5))
    _, cache = lstm.forward(x, (h0, c0))
    delta = 1e-3 * np.arange(1, 6)
    _, moved = lstm.forward(x, (h0, c0 + delta))
    np.testing.assert_allclose(moved.cs[0, 0] - cache.cs[0, 0], cache.f[0, 0] * delta, rtol=1e-9)
    np.testing.assert_allclose(cache.cs[0], cache.f[0] * c0 + cache.i[0] * cache.g[0])
    np.testing.assert_allclose(cache.hs[0], cache.o[0] * np.tanh(cache.cs[0]))


def test_forget_gate_came_later():
    t = step_text("lstm-gru", "Valves instead of a blender")
    assert "Hochreiter and Schmidhuber, 1997" in t
    assert "The first LSTM had no forget gate; Gers, Schmidhuber and Cummins added it in 2000" in t


def test_gru_update_blends_old_state_and_candidate():
    gru = engine.GRU(3, 4, seed=6)
    x = np.random.default_rng(6).standard_normal((2, 1, 3))
    hs, cache = gru.forward(x)
    np.testing.assert_allclose(hs[1], (1 - cache.z[1]) * cache.n[1] + cache.z[1] * hs[0])


def test_lstm_keeps_the_gradient_alive_longer():
    from tutor.scenes.gradient_flow_compare import make_lstm, run
    from tutor.scenes.recurrent_common import LSTM_CHRONO

    bias = LSTM_CHRONO
    assert (f"(biases +{bias:g} and −{bias:g}, a simplified version of the \"chrono\" initialisation "
            "of Tallec and Ollivier, 2018)") in text("lstm-gru")
    assert f"`f ≈ σ({bias:g}) ≈ {1 / (1 + math.exp(-bias)):.2f}`" in text("lstm-gru")
    lstm = make_lstm(8, 0)
    _, cache = lstm.forward(np.zeros((1, 1, 8)))             # the gates as the cell starts
    assert cache.f.mean() > 0.9 and cache.i.mean() < 0.1
    for seed in (0, 1, 2):
        rnn, lstm = run(40, 16, seed)
        assert lstm.norms[0] > 1e3 * rnn.norms[0]             # "by orders of magnitude"
    assert predicted("lstm-gru", "Forty steps back") == "The LSTM's, by orders of magnitude"


def test_untrained_gates_sit_around_one_half():
    from tutor.scenes.gates import run

    _, _, traces = run(LONG_GAP, "lstm", 8, 0)
    for trace in traces:
        if trace.name in ("i", "f", "o"):
            assert 0.4 < trace.values.mean() < 0.6


def test_long_dependency_task_chance():
    assert RememberFirstTask().chance == 0.25 and "guessing scores 25%" in text("lstm-gru")


# -- 6. attention: looking back -----------------------------------------------------

def test_additive_attention_weighs_every_source_word():
    S, L = 5, 3
    rng = np.random.default_rng(7)
    attn = engine.AdditiveAttention(6, 4, 8, seed=7)
    keys = rng.standard_normal((S, 1, 4))
    context, cache = attn.forward(rng.standard_normal((L, 1, 6)), keys, keys)
    assert cache.weights.shape == (1, L, S)                  # one weight per source word, per output word
    np.testing.assert_allclose(cache.weights.sum(axis=-1), 1.0)
    np.testing.assert_allclose(context[:, 0], cache.weights[0] @ keys[:, 0])   # c_i = Σ_j α_ij·h_j
    assert predicted("attention", "one output word") == "One for every source word"


def test_alignment_claims_match_the_trained_model():
    from tutor.scenes.bahdanau_alignment import run

    phrase = "I love you very much"
    assert ("bahdanau_alignment", {"phrase": phrase}) in scenes("attention")
    p, tr, alpha, _ = run(phrase)
    assert list(tr.words) == ["ti", "amo", "molto"]
    w = {(out, src): float(alpha[i, j]) for i, out in enumerate(tr.words) for j, src in enumerate(p.words)}
    assert max(p.words, key=lambda src: w["ti", src]) == "you"
    assert max(p.words, key=lambda src: w["amo", src]) == "love"
    assert max(p.words, key=lambda src: w["molto", src]) == "very"
    assert w["molto", "much"] < 0.01                          # "almost nothing on *much*"
    body = step_text("attention", "Reading the grid")
    assert f"*ti* peaks at *you* ({w['ti', 'you']:.2f})" in body
    assert f"*amo* at *love* ({w['amo', 'love']:.2f})" in body
    assert f"{w['molto', 'very']:.2f} on *very*, {w['molto', 'you']:.2f} on *you*" in body
    assert "writing *ti*, at *you*" in text("attention") and "*very much*" not in text("attention")


# -- 7. queries, keys and values ----------------------------------------------------

def test_sdpa_stages():
    tokens = engine.tokenize("Thinking machines pay attention")
    n, d_k = len(tokens), 8
    rng = np.random.default_rng(8)
    Q, K, V = (rng.standard_normal((n, d_k)) for _ in range(3))
    out, cache = engine.scaled_dot_product_attention(Q, K, V)
    assert cache.scores.shape == (4, 4) and predicted("qkv", "What shape is QKᵀ") == "4×4"
    np.testing.assert_allclose(cache.weights, softmax(Q @ K.T / math.sqrt(d_k)))
    np.testing.assert_allclose(cache.weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(out, cache.weights @ V)
    assert f"√8 ≈ {math.sqrt(8):.2f}" in text("qkv")


def test_dot_product_variance_is_d_k():
    rng = np.random.default_rng(9)
    for d_k in (16, 64, 512):
        q, k = rng.standard_normal((2, 20000, d_k))
        assert np.var((q * k).sum(axis=1)) == pytest.approx(d_k, rel=0.05)
    assert round(math.exp(20) / 1e8) == 5 and "a factor of about 500 million" in text("qkv")


def test_softmax_saturates_without_scaling():
    from tutor.scenes.softmax_saturation import measure

    m = measure(512, 0, False)
    scaled_max, unscaled_max = m.max_weight
    assert unscaled_max > 0.9 and 0.2 < scaled_max < 0.3
    assert m.score_std == pytest.approx(math.sqrt(512), rel=0.1)
    assert predicted("qkv", "no scaling") == "Close to 1: one key takes almost everything"
    assert {("softmax_saturation", False), ("softmax_saturation", True)} <= {
        (k, v.get("scaled")) for k, v in scenes("qkv")}


def test_separate_projections_make_scores_asymmetric():
    rng = np.random.default_rng(10)
    X = rng.standard_normal((5, 8))
    W_q, W_k = rng.standard_normal((2, 8, 4))
    scores = (X @ W_q) @ (X @ W_k).T
    assert not np.allclose(scores, scores.T)                 # q_a·k_b ≠ q_b·k_a
    shared = (X @ W_q) @ (X @ W_q).T
    np.testing.assert_allclose(shared, shared.T)             # one shared projection: symmetric


@pytest.mark.slow
def test_long_dependency_run_rnn_guesses_lstm_remembers():
    """The scene's default run (gap 20, 300 steps, seed 0), trained exactly as its frames train it."""
    from engine.recurrent_train import evaluate
    from tutor.scenes import train_long_dependency as scene

    assert ("train_long_dependency", {"gap": 20, "steps": 300}) in scenes("lstm-gru")
    task, steps, seed = RememberFirstTask(gap=20), 300, 0
    runs = scene.make_runs(task, seed)
    every, done = scene.chunk_size(steps), 0
    while done < steps:
        n = min(every, steps - done)
        for run in runs:
            scene.train_chunk(run, task, done, n, seed)
        done += n
    accuracy = {run.kind: evaluate(run.net, task, batch_size=scene.EVAL_SIZE) for run in runs}
    assert accuracy["rnn"] <= task.chance + 0.1 and accuracy["lstm"] >= 0.9
    assert "the RNN ends near chance while the LSTM gets almost every answer right" in text("lstm-gru")

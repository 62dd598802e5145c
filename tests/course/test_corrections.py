"""Facts an expert read corrected, each checked against the engine or the scene that shows it,
and slips a learner would trip on (a step pointing at scene keys it has no scene for)."""
from __future__ import annotations

import re

import numpy as np
import pytest

import engine

from .lessons import ALL_IDS, load, predicted, step, step_text, text

SCENE_KEYS = re.compile(r"\*\*(p|r|c|e|tab|\[|\]|\+|-)\*\*")


@pytest.mark.parametrize("lesson_id", ALL_IDS())
def test_a_step_without_a_scene_sends_no_one_to_scene_keys(lesson_id):
    if lesson_id == "welcome":
        return                                       # it teaches the keys before any scene
    for s in load(lesson_id).steps:
        if not s.scene and s.title != "Recap":
            assert not SCENE_KEYS.search(s.body), f"{s.title!r} names {SCENE_KEYS.findall(s.body)}"


@pytest.mark.parametrize("lesson_id", ALL_IDS())
def test_equations_on_their_own_lines_stay_apart(lesson_id):
    """Two one-line formulas on consecutive lines merge into one paragraph when rendered."""
    for s in load(lesson_id).steps:
        lines = s.body.splitlines()
        for a, b in zip(lines, lines[1:]):
            assert not (re.fullmatch(r"`[^`]+`", a.strip()) and b.strip().startswith("`")), (s.title, a, b)


def test_welcome_counts_the_bias_its_formula_shows():
    rnn = engine.RNN(3, 4)
    assert rnn.params["bias_ih"].size + rnn.params["bias_hh"].size == 8
    body = step_text("welcome", "Cards and exercises")
    assert "plus the bias `b`, which the engine, like PyTorch, keeps as two vectors of 4" in body
    assert "two bias vectors" not in body


def test_the_plain_rnn_rewrites_its_whole_state():
    """A plain RNN's new state owes nothing to the old one except through W_hh and tanh: no
    unit is carried over untouched, as an LSTM cell with an open forget gate is."""
    rnn = engine.RNN(2, 4, seed=0)
    h0 = np.random.default_rng(0).standard_normal((1, 4))
    x = np.zeros((1, 1, 2))
    hs, _ = rnn.forward(x, h0)
    p = rnn.params
    np.testing.assert_allclose(hs[0], np.tanh(h0 @ p["weight_hh"].T + p["bias_ih"] + p["bias_hh"]))
    assert not np.isclose(hs[0], h0).any()
    assert "conveyor" not in text("rnn")
    assert "the whole state is rewritten" in step_text("rnn", "Rewritten at every step")


def test_first_rnn_prediction_is_unambiguous():
    """An MLP's output is a function of its input alone: the same word, the same scores."""
    mlp = engine.FeedForward(6, 12, seed=0)
    the = engine.token_vectors(["the"], 6)
    first, _ = mlp.forward(the)
    second, _ = mlp.forward(the.copy())
    np.testing.assert_array_equal(first, second)
    assert predicted("rnn", "once after") == "Yes: its input is the same, so its output is the same"


def test_rnn_memory_is_constant_to_run_and_linear_to_train():
    rnn = engine.RNN(4, 8)
    h = np.zeros((1, 8))
    for _ in range(50):                               # running: only the last state is kept
        h, _ = rnn.forward(np.zeros((1, 1, 4)), h)
        h = h[-1]
    assert h.shape == (1, 8)
    _, cache = rnn.forward(np.zeros((50, 1, 4)))      # training: every state, for BPTT
    assert cache.hs.shape == (50, 1, 8)
    assert "running it takes O(1) memory in n" in text("bottleneck")
    assert "| Memory in length n | O(1) to run, O(n) to train | O(n²) |" in text("self-attention")
    for lesson_id in ("bottleneck", "self-attention"):
        assert "RNN: O(n) memory" not in text(lesson_id) and "RNN's O(n) memory" not in text(lesson_id)


def test_float16_overflows_only_at_the_settings_the_lesson_gives():
    from tutor.scenes.gradient_decay import run

    shown = run(3.0, 40, False, 1.0, 2, "float16")
    assert not shown.overflow and round(float(np.max(shown.norms))) in range(1351, 1357)
    assert round(float(np.max(run(3.0, 40, False, 1.0, 2).norms))) == 1351
    assert run(3.0, 80, False, 1.0, 2, "float16").overflow
    body = step_text("vanishing", "Above 1: exploding")
    assert "This peak, 1,351, fits in float16" in body and "raise the length to 80" in body


def test_cell_path_card_says_direct_path():
    card = next(c for c in load("lstm-gru").cards if c.id == "lstm-gru.why-gradients-survive")
    assert "direct path" in card.back and "indirect path" in card.back
    assert "along this direct path" in step_text("lstm-gru", "Why the gradient survives")


def test_layer_norm_claims_are_hedged():
    block = text("block")
    assert "each layer keeps chasing a moving target" not in block
    assert "Santurkar et al. (2018)" in block
    assert "In the original block a LayerNorm follows every addition" in step_text("block", "Residual connections")
    assert "without being squeezed through every sublayer" not in block
    from tutor.scenes import block_flow as bf
    layer = engine.TransformerEncoderLayer(bf.D_MODEL, bf.NHEAD, bf.DIM_FEEDFORWARD, seed=0)   # as bf.run builds it
    for norm in ("norm1", "norm2"):                        # the scene's norms keep γ = 1, β = 0
        assert np.all(layer.params[f"{norm}.weight"] == 1) and np.all(layer.params[f"{norm}.bias"] == 0)
    assert "keep their starting scale 1 and shift 0" in step_text("block", "One token's trip")


def test_decoder_lesson_explains_the_mask_with_the_shift():
    from engine.seq_tasks import BOS, load_phrases

    phrases = load_phrases()
    batch = phrases.batch([phrases.pairs.index(("I love you very much", "Ti amo molto"))])
    words = [phrases.tgt_vocab.tokens[i] for i in batch.tgt_in[:, 0]]
    assert batch.tgt_in[0, 0] == BOS and words[1:] == ["ti", "amo", "molto"]
    at_amo = words.index("amo")
    assert phrases.tgt_vocab.tokens[batch.tgt_out[at_amo, 0]] == "molto"      # reads amo, must say molto
    assert words[at_amo + 1] == "molto"                                         # ... the very next input
    body = step_text("decoder", "No peeking")
    assert "`<bos> Ti amo molto`" in body and "The position that reads *amo* must predict *molto*" in body


def test_why_transformers_tables_and_records():
    """Vaswani et al. 2017, Table 2: base 27.3 EN–DE and 38.1 EN–FR; big 28.4 and 41.8."""
    t = text("why-transformers")
    assert "encoder and decoder still sequential RNNs" in t and "scores every pair it compares" not in t
    assert "record on English–German (27.3 BLEU); on English–French its 38.1 did not" in t
    assert "the paper's big model (41.8 BLEU)" in t


def test_attention_cost_labels_binary_units():
    from tutor.scenes.attention_common import human_bytes

    assert human_bytes(16 * 2**20) == "16.0 MiB" and human_bytes(2048) == "2.0 KiB"


def test_cards_and_lessons_name_the_input_weights_alike():
    from tutor.exercises import EXERCISES

    for name in ("rnn_params", "lstm_params", "gru_params"):
        question = EXERCISES[name].generate({}, 0).question
        assert "W_ih" not in question and "W_xh" in question
    assert "W_xh" in text("rnn")

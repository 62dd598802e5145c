"""permutation: without positions, shuffling tokens shuffles the attention matrix and nothing else."""
import numpy as np

import engine
from engine.tokens import token_vectors
from tutor.scenes import permutation as scene
from tutor.scenes.attention_common import D_MODEL, projections
from tutor.frames import Row
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["permutation"].frames(params))


def engine_weights(X, seed):
    W = projections(D_MODEL, D_MODEL, seed)
    _, cache = engine.scaled_dot_product_attention(X @ W.W_q, X @ W.W_k, X @ W.W_v)
    return cache.weights


def test_shuffled_matrix_is_the_original_permuted():
    sentence = "The animal didn't cross the street because it was tired"
    tokens = engine.tokenize(sentence)
    frames = run(sentence=sentence, shuffle=7, seed=3)
    assert len(frames) == 2
    (row,) = frames[-1].panels
    assert isinstance(row, Row) and len(row.panels) == 2
    original, shuffled = row.panels
    perm = scene.shuffle_order(len(tokens), 7)
    assert not np.array_equal(perm, np.arange(len(tokens)))
    X = token_vectors(tokens, D_MODEL, seed=3)
    np.testing.assert_array_equal(original.values, engine_weights(X, 3))
    np.testing.assert_array_equal(shuffled.values, engine_weights(X[perm], 3))
    assert shuffled.row_labels == shuffled.col_labels == tuple(tokens[p] for p in perm)
    diff = np.abs(shuffled.values - original.values[np.ix_(perm, perm)]).max()
    assert diff < 1e-12
    assert f"{diff:.1e}" in frames[-1].caption
    # with positions the symmetry breaks, and the caption reports that number too
    pe = engine.positional_encoding(len(tokens), D_MODEL)
    with_pos = np.abs(engine_weights(X[perm] + pe, 3) - engine_weights(X + pe, 3)[np.ix_(perm, perm)]).max()
    assert with_pos > 1e-3 and f"{with_pos:.2f}" in frames[-1].caption
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_every_shuffle_seed_gives_a_permutation():
    for seed in range(30):
        perm = scene.shuffle_order(3, seed)
        assert sorted(perm) == [0, 1, 2] and not np.array_equal(perm, np.arange(3))


def test_edge_cases():
    assert run(sentence=" ")[0].panels == ()
    one = run(sentence="dog")
    assert "nothing to shuffle" in one[-1].caption
    long = run(sentence="x y z " * 40)
    assert long[-1].panels[0].panels[1].shape == (engine.MAX_TOKENS, engine.MAX_TOKENS)
    assert "Only the first" in long[-1].caption
    for f in one + long:
        render_frame(f)

"""Greedy decoding and beam search on a hand-made next-token table."""
import numpy as np
import pytest

from engine.decode import beam_search, greedy_decode
from engine.seq_tasks import BOS, EOS, PAD

A, B, X, Y = 4, 5, 6, 7
V = 8


def markov(table: dict[int, dict[int, float]]):
    """log_probs(prefix) that looks only at the last token; unlisted tokens get ~0,
    and a token without a row of its own is followed by EOS."""
    rows = {}
    for last, probs in {**table, None: {EOS: 1.0}}.items():
        p = np.full(V, 1e-9)
        for token, q in probs.items():
            p[token] = q
        rows[last] = np.log(p / p.sum())
    return lambda prefix: np.stack([rows.get(int(t), rows[None]) for t in prefix[-1]])


# Greedy takes A (0.5) and then at best 0.4; B then Y is 0.4 · 0.9 = 0.36 > 0.2.
TRAP = markov({BOS: {A: 0.5, B: 0.4, EOS: 0.1}, A: {X: 0.4, Y: 0.3, EOS: 0.3},
               B: {Y: 0.9, EOS: 0.1}, X: {EOS: 1.0}, Y: {EOS: 1.0}})


def test_greedy_takes_the_argmax_each_step():
    result = greedy_decode(TRAP, batch_size=1, max_len=10)
    assert result.sequences() == [[A, X]]
    assert result.tokens[:, 0].tolist() == [A, X, EOS]
    assert result.log_probs.shape == (3, 1, V)


def test_greedy_pads_finished_columns_and_stops_at_max_len():
    loop = markov({BOS: {A: 1.0}, A: {A: 1.0}})
    result = greedy_decode(loop, batch_size=2, max_len=4)
    assert result.tokens.shape == (4, 2) and result.sequences() == [[A] * 4] * 2
    mixed = markov({BOS: {EOS: 1.0}})
    assert greedy_decode(mixed, 3, 5).tokens.tolist() == [[EOS] * 3]


def test_beam_search_escapes_the_greedy_trap():
    result = beam_search(TRAP, beam_width=2, max_len=5, alpha=0.0)
    assert result.best.tokens == (B, Y) and result.best.finished
    assert result.best.score == pytest.approx(np.log(0.4 * 0.9 * 1.0), abs=1e-6)
    assert beam_search(TRAP, beam_width=1, max_len=5).best.tokens == (A, X)  # width 1 is greedy


def test_the_tree_records_every_expansion_with_consistent_scores():
    W = 3
    result = beam_search(TRAP, beam_width=W, max_len=5, alpha=0.75)
    nodes = result.nodes
    assert nodes[0].status == "root" and nodes[0].parent == -1 and nodes[0].token == BOS
    for n in nodes[1:]:
        parent = nodes[n.parent]
        assert n.depth == parent.depth + 1
        assert n.score == pytest.approx(parent.score + n.log_prob)
        assert n.normalized == pytest.approx(n.score / n.depth ** 0.75)
        assert parent.status in ("root", "kept")  # only beams are expanded
        assert n.status in ("kept", "pruned", "finished")
    for depth, beam in enumerate(result.beams, start=1):
        assert len(beam) <= W and all(nodes[i].depth == depth and nodes[i].status == "kept" for i in beam)
        siblings = [n for n in nodes if n.depth == depth]
        chosen = [n for n in siblings if n.status in ("kept", "finished")]
        assert len(chosen) <= W
        if chosen:  # the survivors are the best candidates of their step
            assert min(n.score for n in chosen) >= max((n.score for n in siblings if n.status == "pruned"),
                                                       default=-np.inf)
    finished = [h for h in result.hypotheses if h.finished]
    assert finished and all(nodes[h.node].token == EOS for h in finished)
    assert [h.normalized for h in result.hypotheses] == sorted((h.normalized for h in result.hypotheses), reverse=True)
    assert [nodes[i].token for i in result.path(result.best.node)] == [BOS, *result.best.tokens, EOS]
    assert all(c.parent == 0 for c in result.children(0))


def test_length_normalisation_can_prefer_the_longer_hypothesis():
    # "A" alone ends with p = 0.3; "B Y" ends with p = 0.25 · 0.9 = 0.225 but is longer.
    table = markov({BOS: {A: 0.3, B: 0.25, X: 0.45}, A: {EOS: 1.0}, B: {Y: 0.9, EOS: 0.1},
                    X: {PAD: 1.0}, Y: {EOS: 1.0}, PAD: {PAD: 1.0}})
    raw = beam_search(table, beam_width=3, max_len=4, alpha=0.0)
    normed = beam_search(table, beam_width=3, max_len=4, alpha=1.0)
    finished = lambda r: [h.tokens for h in r.hypotheses if h.finished]  # noqa: E731
    assert finished(raw)[0] == (A,)
    assert finished(normed)[0] == (B, Y)


def test_unfinished_beams_are_returned_at_max_len():
    loop = markov({BOS: {A: 0.6, B: 0.4}, A: {A: 1.0}, B: {B: 1.0}})
    result = beam_search(loop, beam_width=2, max_len=3)
    assert {h.tokens for h in result.hypotheses} == {(A, A, A), (B, B, B)}
    assert not any(h.finished for h in result.hypotheses)

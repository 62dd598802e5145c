"""beam_search: the engine's search tree on the phrase Transformer, one depth per frame, beside greedy."""
import numpy as np
import pytest

from engine.decode import beam_search, greedy_decode
from engine.recipes.phrases import load_phrase_transformer
from engine.seq_tasks import EOS
from tutor.scenes import beam_search as bs
from tutor.frames import Lines, Table
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def run(**params):
    return list(SCENES["beam_search"].frames(params))


def engine_search(phrase: str, beam: int, alpha: float):
    model, phrases, _ = load_phrase_transformer()
    src = phrases.encode_src(phrase)
    lp = model.next_token_log_probs(src[:, None])
    max_len = len(src) + 4
    greedy = greedy_decode(lp, 1, max_len)
    return beam_search(lp, beam, max_len, alpha=alpha), greedy, phrases.tgt_vocab.tokens


def tree_of(frame) -> Lines:
    """The search tree, joined again from the panels it is cut into (all but greedy and the table)."""
    parts = frame.panels[:-2]
    return Lines(parts[0].title, tuple(line for part in parts for line in part.lines))


def greedy_score(greedy, alpha):
    steps = [(int(greedy.tokens[t, 0]), greedy.log_probs[t, 0]) for t in range(len(greedy.tokens))]
    score = sum(float(lp[tok]) for tok, lp in steps)
    return score, score / len(steps) ** alpha


@pytest.mark.parametrize("phrase", ["I love you very much", "white blue english", "The cat is under the table"])
def test_beam_width_one_is_greedy(phrase):
    result, greedy, vocab = engine_search(phrase, 1, 0.7)
    assert list(result.best.tokens) == greedy.sequences()[0]
    score, normalized = greedy_score(greedy, 0.7)
    assert result.best.score == pytest.approx(score, abs=1e-12)
    assert result.best.normalized == pytest.approx(normalized, abs=1e-12)
    frames = run(phrase=phrase, beam=1, alpha=0.7)
    assert len(frames) == len(greedy.tokens)
    table = frames[-1].panels[-1]
    greedy_row, beam_row = table.rows[:2]
    assert greedy_row[1:] == beam_row[1:]                       # same sentence, length, score, normalised
    assert beam_row[3] == f"{result.best.score:.4f}" and beam_row[4] == f"{result.best.normalized:.4f}"
    tree = tree_of(frames[-1])
    assert len(tree.lines) == len(greedy.tokens) + 1            # a chain: <bos> and one node per step
    assert "beam search is greedy" in frames[-1].caption


def test_the_tree_and_table_are_the_engines_search():
    result, greedy, vocab = engine_search("I love you very much", 3, 0.7)
    frames = run(phrase="I love you very much", beam=3, alpha=0.7)
    assert len(frames) == len(result.beams)
    assert [f.step for f in frames] == list(range(len(result.beams)))
    for d, frame in enumerate(frames, 1):
        *parts, greedy_panel, table = frame.panels
        tree = tree_of(frame)
        assert all(len(part.lines) <= bs.TREE_ROWS for part in parts)   # each part a whole panel on 80×24
        assert isinstance(tree, Lines) and isinstance(greedy_panel, Lines) and isinstance(table, Table)
        shown = [n for n in result.nodes if 0 < n.depth <= d and n.status != "pruned"]
        assert len(tree.lines) == 1 + len(shown)                # a line per kept/finished node, and the root
        candidates = [n for n in result.nodes if n.depth == d]
        pruned = sum(n.status == "pruned" for n in candidates)
        if d < len(frames):  # the last frame sums up instead
            assert f"= {len(candidates)} candidates" in frame.caption and f"{pruned} pruned" in frame.caption
        assert len(greedy_panel.lines) == min(d, len(greedy.tokens))
        render_frame(frame)
    assert len(frames[-1].panels) > 3                           # this tree is cut into several panels
    text = "".join(s for line in tree_of(frames[-1]).lines for s, _ in line)
    for node in result.nodes[1:]:
        assert f"{node.score:.3g}" in text
    best_path = result.path(result.best.node)
    accented = ["".join(s for s, role in line if role == "accent") for line in tree_of(frames[-1]).lines]
    assert sum(bool(a) for a in accented) == len(best_path)    # the best hypothesis is highlighted
    table = frames[-1].panels[-1]
    assert table.highlight_row == 1
    shown = max(3, bs.SHOWN)
    assert table.rows[-1][0] == f"+{len(result.hypotheses) - shown} more"
    for row, h in zip(table.rows[1:1 + shown], result.hypotheses):
        assert row[1] == " ".join(vocab[t] for t in h.tokens) and row[3] == f"{h.score:.4f}"
        assert row[4] == f"{h.normalized:.4f}"
    score, normalized = greedy_score(greedy, 0.7)
    assert table.rows[0][3:] == (f"{score:.4f}", f"{normalized:.4f}")
    assert f"{result.best.normalized:.4f}" in frames[-1].caption


def test_every_expanded_node_grows_beam_width_branches():
    """lessons/14: only a beam's own top B tokens can make the cut, so each node grows B branches."""
    result, _, _ = engine_search("I love you very much", 3, 0.7)
    parents = {n.parent for n in result.nodes[1:]}
    assert all(len(result.children(p)) == 3 for p in parents)


def test_lesson_14_scenes():
    for params in ({"beam": 1}, {"beam": 3}, {"phrase": "I miss you very much", "beam": 4, "alpha": 0.6}):
        frames = run(**params)
        assert frames and "best" in frames[-1].caption
    at_zero = run(phrase="I miss you very much", beam=4, alpha=0.0)[-1]
    at_six = run(phrase="I miss you very much", beam=4, alpha=0.6)[-1]
    assert "By raw log-prob" not in at_zero.caption and "By raw log-prob" in at_six.caption
    result, _, _ = engine_search("I miss you very much", 4, 0.6)
    raw_winner = max(result.hypotheses, key=lambda h: h.score)
    assert ("the winner is the same" in at_six.caption) == (raw_winner is result.best)


def test_a_beam_that_beats_greedy_is_reported():
    for phrase in ("white blue english", "I love you very much"):
        result, greedy, vocab = engine_search(phrase, 3, 0.7)
        caption = run(phrase=phrase, beam=3, alpha=0.7)[-1].caption
        same = list(result.best.tokens) == greedy.sequences()[0]
        assert ("Greedy wrote the same sentence" in caption) == same
        if not same:
            assert " ".join(vocab[t] for t in greedy.sequences()[0]) in caption


def test_greedy_lines_name_the_token_each_step_beat():
    greedy = greedy_decode(lambda prefix: np.log(np.array([[0.1, 0.1, 0.1, 0.2, 0.5]] * prefix.shape[1])), 1, 3)
    path = bs.greedy_path(greedy, 1.0)
    assert path.tokens == (4, 4, 4) and path.runner_up[0] == (EOS, pytest.approx(np.log(0.2)))
    assert path.normalized == pytest.approx(np.log(0.5))


def test_edge_cases():
    empty = run(phrase="")
    assert len(empty) == 1 and empty[0].panels == ()
    odd = run(phrase="[/] qq")
    assert "<unk>" in odd[-1].caption
    long = run(phrase="you " * 40, beam=2)
    assert "Only the first 32 of 40" in long[-1].caption
    for frame in (empty[0], odd[-1], long[-1]):
        render_frame(frame)


def test_every_declared_param_extreme_runs():
    spec = SCENES["beam_search"]
    for beam in (1, 8):
        for alpha in (0.0, 2.0):
            frames = list(spec.frames({"beam": beam, "alpha": alpha}))
            assert frames[-1].final
            render_frame(frames[-1])


def test_length_normalisation_can_change_the_winner():
    """Whatever the phrase, the caption's α = 0 verdict is the engine's raw-score ranking."""
    for phrase in ("hot sunday", "I miss you very much"):
        result, _, vocab = engine_search(phrase, 3, 0.7)
        caption = run(phrase=phrase, beam=3, alpha=0.7)[-1].caption
        raw = max(result.hypotheses, key=lambda h: h.score)
        assert ("α changes the winner here" in caption) == (raw is not result.best)
        if not raw.tokens:
            assert "nothing (<eos> first)" in caption


def test_the_last_frame_shows_all_of_greedy_even_when_the_search_ends_first():
    greedy = bs.Greedy((5, 6, 7, 8), (-0.1, -0.2, -0.3, -0.4), ((4, -1.0),) * 4, 1.0)
    lines = bs.greedy_lines(greedy, ["w"] * 9, 4)
    assert len(lines.lines) == 4
    result, _, vocab = engine_search("I love you", 2, 0.5)
    table = bs.compare_table(result, greedy, vocab, 4, final=True)
    assert table.rows[0][3] == "-1.0000" and table.rows[0][2] == "4"

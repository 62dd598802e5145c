"""Bag of words: the grid's counts are the n-gram counts of the engine's tokens, filled word by word."""
from collections import Counter

import numpy as np
import pytest

import engine
from tests.scenes.test_attention_common import render_frame
from tutor.frames import Grid, Lines
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["bag_of_words"].frames(values))


def expected_counts(sentence: str, n: int) -> Counter:
    words = [t.lower() for t in engine.tokenize(sentence)[:engine.MAX_TOKENS]]
    return Counter(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


@pytest.mark.parametrize("a,b,n", [("dog bites man", "man bites dog", 1), ("dog bites man", "man bites dog", 2),
                                   ("The cat sat on the mat", "the dog sat", 1), ("a b a b a", "b a", 3)])
def test_final_counts_match_the_tokens(a, b, n):
    frames = run(sentence_a=a, sentence_b=b, ngram=n)
    assert len(frames) == 1 + len(engine.tokenize(a)) + len(engine.tokenize(b))
    grid = frames[-1].panels[0]
    assert isinstance(grid, Grid) and grid.row_labels == ("A", "B") and grid.palette == "sequential"
    for row, sentence in enumerate((a, b)):
        got = {g: grid.values[row, j] for j, g in enumerate(grid.col_labels) if grid.values[row, j]}
        assert got == expected_counts(sentence, n)
    assert set(grid.col_labels) == set(expected_counts(a, n)) | set(expected_counts(b, n))
    assert not grid.values.flags.writeable


def test_same_bag_for_single_words_but_not_for_pairs():
    same = run(sentence_a="dog bites man", sentence_b="man bites dog", ngram=1)[-1]
    differ = run(sentence_a="dog bites man", sentence_b="man bites dog", ngram=2)[-1]
    assert "Same bag? Yes" in same.caption and "different order" in same.caption
    assert "Same bag? No" in differ.caption and "4 of 4" in differ.caption
    np.testing.assert_array_equal(same.panels[0].values[0], same.panels[0].values[1])
    assert not np.array_equal(differ.panels[0].values[0], differ.panels[0].values[1])
    lines = differ.panels[1]
    assert isinstance(lines, Lines) and any("'dog bites'" in text for line in lines.lines for text, _ in line)


def test_words_are_added_one_at_a_time():
    frames = run(sentence_a="dog bites man", sentence_b="man bites dog", ngram=2)
    totals = [f.panels[0].values.sum(axis=1) for f in frames]
    # A's words come first: a pair completes from the second word on; then B's.
    np.testing.assert_array_equal(np.array(totals), [[0, 0], [0, 0], [1, 0], [2, 0], [2, 0], [2, 1], [2, 2]])
    assert frames[2].panels[0].mark_row == 0 and frames[2].panels[0].col_labels[frames[2].panels[0].mark_col] == "dog bites"
    assert "needs 2 words" in frames[1].caption


def test_edge_cases_are_data():
    empty = run(sentence_a="", sentence_b="  ", ngram=1)
    assert len(empty) == 1 and empty[0].panels[-1].lines and "no words" in empty[0].caption
    one = run(sentence_a="hello", sentence_b="", ngram=2)
    assert "fewer than 2 words" in one[-1].caption and "B has no words" in one[-1].caption
    long = run(sentence_a="word " * 500, sentence_b="[/] [@click=app.quit]x[/]", ngram=1)
    assert long[-1].panels[0].values[0].sum() == engine.MAX_TOKENS
    assert "Only the first" in long[-1].caption
    for frames in (empty, one, long):
        render_frame(frames[-1])


def test_frames_render():
    frames = run(sentence_a="dog bites man", sentence_b="man bites dog", ngram=2)
    for frame in (frames[0], frames[3], frames[-1]):
        assert "dog" in render_frame(frame, 80) or frame is frames[0]
    render_frame(frames[-1], 40)

"""Lessons 16 (the capstone), 15, 14's sampling step and 02's trained RNN: every figure from the engine.

The figures come from the shipped language models (capstone_figures); the
predictions are checked against what the scenes actually do.
"""
from __future__ import annotations

import numpy as np

from tutor.course import read_lesson
from tutor.paths import lessons_dir
from tutor.scenes.registry import SCENES

from . import capstone_figures as fig
from .reading import flat, learner_text, step_learner_text


def load(name: str):
    lesson, problems = read_lesson(lessons_dir() / name)
    assert problems == [], [str(p) for p in problems]
    return lesson


CAPSTONE, WHY, DECODING, RNN = ("16-language-models.md", "15-why-transformers-won.md", "14-decoding.md",
                                "02-rnn.md")


def step(name: str, title: str):
    return next(s for s in load(name).steps if s.title == title)


def sampled(**params) -> str:
    """The text the sampling scene writes (its last frame's text panel)."""
    frames = list(SCENES["sampling"].frames(params))
    return "".join(text for text, _ in frames[-1].panels[0].lines[0][1:])


# ------------------------------------------------------------------ 16 language models

def test_uniform_and_unigram_bits():
    predict = step(CAPSTONE, "Bits per character").predict
    assert f"V = {fig.vocab_size()} distinct characters" in predict.question
    assert predict.choices[predict.answer] == fig.uniform_bits()
    assert f"log₂ V = {fig.uniform_bits()} bits" in flat(predict.explain)
    assert f"The unigram model pays {fig.unigram()} on the held-out text" in flat(predict.explain)
    assert float(fig.unigram()) < float(fig.uniform_bits())


def test_the_race_prediction_counts_the_steps_that_wait():
    chain, layers = fig.race_steps()
    predict = step(CAPSTONE, "The race").predict
    assert f"a window of {chain} characters" in predict.question
    assert f"this {layers}-layer Transformer" in predict.question
    assert predict.choices[predict.answer] == f"{chain} and {layers}"
    assert SCENES["language_models"].defaults()["context"] == chain


def test_shipped_scores_are_measured_and_beat_the_unigram_model():
    text = fig.shipped_bits_text()
    assert f"reach these held-out scores: {text} bits per character." in step_learner_text(load(CAPSTONE), "From noise to words")
    assert f"on held-out text: {text} bits per character (unigram baseline: {fig.unigram()})" in \
        step_learner_text(load(WHY), "What the capstone measures")
    assert all(b < float(fig.unigram()) for b in fig.shipped_bits().values())


def test_temperature_zero_prediction_holds_on_the_shipped_model():
    predict = step(CAPSTONE, "Temperature, top-k, top-p").predict
    assert predict.choices[predict.answer].startswith("No")
    texts = {sampled(temperature=0.0, seed=s, length=30) for s in (0, 1, 2)}
    assert len(texts) == 1
    assert len({sampled(temperature=1.0, seed=s, length=30) for s in (0, 1, 2)}) > 1
    assert sampled(temperature=1.0, seed=4, length=30) == sampled(temperature=1.0, seed=4, length=30)


def test_the_cell_claim_is_measured_on_text_the_choice_never_saw():
    trained, untrained = fig.line_cell(True), fig.line_cell(False)
    body = step_learner_text(load(CAPSTONE), "A cell that means something")
    assert (f"cell {trained.cell} follows the position in the line: r = {trained.correlation:+.2f} on text the "
            f"choice never saw; the untrained twin's best, r = {untrained.correlation:+.2f}.") in body
    assert abs(trained.correlation) > 0.25 > 2 * abs(untrained.correlation)     # "a loose tracker"
    scene = step(CAPSTONE, "A cell that means something").scene
    frame = list(SCENES["interpretable_cell"].frames(scene.values))[-1]
    assert f"cell {trained.cell} follows position in the line best" in frame.caption
    assert f"it keeps r = {trained.correlation:+.2f}" in frame.caption


# ------------------------------------------------------------------ 15 why Transformers won

def test_fewer_steps_that_wait_is_the_race_count():
    chain, layers = fig.race_steps()
    assert f"it has {chain // layers} times fewer steps that wait" in step_learner_text(
        load(WHY), "What the capstone measures")


def test_honest_about_the_cpu_and_cites_its_facts():
    text = learner_text(load(WHY))
    assert "not on one CPU core" in text and "GPU" in text
    for cited in ("Kaplan et al. (2020)", "Hoffmann et al. (2022)", "Gu and Dao, 2023", "Vaswani et al., 2017, Table 1",
                  "arxiv.org/abs/2001.08361", "arxiv.org/abs/2312.00752"):
        assert cited in text, cited


# ------------------------------------------------------------------ 14 sampling step

def test_top_k_one_is_greedy_whatever_the_seed():
    predict = step(DECODING, "Sampling").predict
    assert predict.choices[predict.answer] == "The greedy text, whatever the seed"
    scene = step(DECODING, "Sampling").scene
    assert scene.id == "sampling" and scene.values["top_k"] == 1
    greedy = sampled(temperature=0.0, length=30)
    assert {sampled(top_k=1, seed=s, length=30) for s in (0, 5, 9)} == {greedy}


# ------------------------------------------------------------------ 02 a trained RNN

def test_the_trained_rnn_expects_a_letter_after_the_():
    body = step_learner_text(load(RNN), "A trained RNN reads the sentence")
    assert f"never a second space: {fig.rnn_after_prefix()}." in body
    assert fig.rnn_space_after_prefix() < 0.01
    lm_chars = SCENES["lm_states"]
    frames = list(lm_chars.frames({"sentence": "The cat sat on the mat", "architecture": "rnn"}))
    assert f"the likeliest next characters are {fig.rnn_after_prefix()}" in frames[len(fig.SENTENCE_PREFIX) - 1].caption


def test_the_untrained_twin_is_nearly_uniform():
    body = step_learner_text(load(RNN), "A trained RNN reads the sentence")
    assert f"about 1/{fig.vocab_size()}" in body
    frames = list(SCENES["lm_states"].frames({"architecture": "rnn", "model": "untrained"}))
    bars = frames[-1].panels[1]
    assert float(np.max(bars.values)) < 3 / fig.vocab_size()


def test_the_cpu_claim_agrees_with_an_epoch_timed_on_equal_work():
    """Lesson 15: on one core the Transformer's training is not cheaper than the RNN's, with 32× fewer waits."""
    from engine.lm_parallel import compare, ratio

    chain, layers = fig.race_steps()
    timings = compare(fig.corpus(), max_batches=4)
    assert timings["rnn"].characters == timings["transformer"].characters           # equal work
    assert timings["rnn"].sequential_steps // timings["transformer"].sequential_steps == chain // layers
    assert ratio(timings) > 1.0, {k: t.seconds for k, t in timings.items()}
    body = step_learner_text(load(WHY), "What the capstone measures")
    assert "On one core the Transformer's step is not cheaper than the RNN's" in body


def test_the_corpus_size_the_lessons_state():
    from engine.charlm import load_corpus

    assert 95_000 <= len(load_corpus().encode("utf-8")) <= 105_000
    assert "about 100 KB of English prose" in step_learner_text(load(RNN), "A trained RNN reads the sentence")


def test_at_each_size_the_four_have_close_parameter_counts():
    """Lesson 16: "At each size their parameter counts are close"."""
    from engine.language_models import SIZES, parameter_counts

    assert "At each size their parameter counts are close" in step_learner_text(load(CAPSTONE), "The race")
    for size in SIZES:
        counts = parameter_counts(fig.vocab_size(), size).values()
        assert max(counts) <= 1.15 * min(counts), (size, counts)

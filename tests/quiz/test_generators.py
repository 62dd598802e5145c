"""Exercise generators: fresh numbers per seed, answers that match the textbook formulas.

Each answer is computed by the engine; here it is recomputed from the numbers
in the question with the formula alone, so the two must agree.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tutor.exercises import EXERCISES
from tutor.quiz.check import check_answer
from tutor.quiz.present import show_answer

SEEDS = range(8)


def gen(name, seed):
    return EXERCISES[name].generate({}, seed)


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]


def vectors(text):
    return [np.array([float(v) for v in m.split(",")]) for m in re.findall(r"\(([-\d., ]+)\)", text)]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_varies_with_the_seed_and_accepts_its_own_answer(name):
    instances = [gen(name, seed) for seed in SEEDS]
    assert len({e.question for e in instances}) >= 4, "the numbers should change from seed to seed"
    assert gen(name, 3) == instances[3], "the same seed gives the same instance"
    for e in instances:
        assert e.question.strip().endswith("?") and e.explain
        assert check_answer(show_answer(e.answer), e.answer, e.tolerance).right
        if isinstance(e.answer, str):
            assert check_answer("1×2×3", e.answer).status == "wrong"
        else:
            off = e.answer + max(1.0, abs(e.answer)) * (e.tolerance + 0.05)
            assert check_answer(f"{off:.6g}", e.answer, e.tolerance).status == "wrong"
            assert check_answer("not a number", e.answer, e.tolerance).status == "invalid"


@pytest.mark.parametrize("seed", SEEDS)
def test_parameter_counts(seed):
    for name, gates in (("rnn_params", 1), ("lstm_params", 4), ("gru_params", 3)):
        e = gen(name, seed)
        I, H = re.search(r"input size (\d+) and hidden size (\d+)", e.question).groups()
        I, H = int(I), int(H)
        assert e.answer == gates * (H * I + H * H + 2 * H) and e.tolerance == 0
    e = gen("mha_params", seed)
    E, heads = map(int, re.search(r"embed_dim (\d+) and (\d+) head", e.question).groups())
    assert E % heads == 0 and e.answer == 4 * (E * E + E)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_entry(seed):
    e = gen("softmax_entry", seed)
    [z] = vectors(e.question)
    k = int(re.search(r"softmax\(z\)_(\d+)", e.question).group(1)) - 1
    assert e.answer == pytest.approx(math.exp(z[k]) / np.exp(z).sum(), abs=5e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_attention_weight(seed):
    e = gen("attention_weight", seed)
    q, *keys = vectors(e.question)
    d = int(re.search(r"d_k = (\d+)", e.question).group(1))
    j = int(re.search(r"weight on k(\d+)", e.question).group(1)) - 1
    scores = np.array([q @ k for k in keys]) / math.sqrt(d)
    assert len(q) == d and e.answer == pytest.approx(np.exp(scores[j]) / np.exp(scores).sum(), abs=5e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_pe_value(seed):
    e = gen("pe_value", seed)
    d = int(re.search(r"d_model = (\d+)", e.question).group(1))
    pos, j = map(int, re.search(r"PE\((\d+), (\d+)\)", e.question).groups())
    angle = pos / 10000 ** ((j - j % 2) / d)
    assert e.answer == pytest.approx(math.sin(angle) if j % 2 == 0 else math.cos(angle), abs=5e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_qk_shape(seed):
    e = gen("qk_shape", seed)
    n = re.search(r"(?:with|over a sequence of) (\d+) tokens", e.question)
    cross = re.search(r"decoder with (\d+) tokens attends over an encoder output of (\d+)", e.question)
    want = f"{cross.group(1)}×{cross.group(2)}" if cross else f"{n.group(1)}×{n.group(1)}"
    assert e.answer == want
    rows, cols = want.split("×")
    for typed in (f"{rows}x{cols}", f"({rows}, {cols})", f"{rows} by {cols}"):
        assert check_answer(typed, e.answer).right


@pytest.mark.parametrize("seed", SEEDS)
def test_grad_norm_after_k(seed):
    e = gen("grad_norm_after_k", seed)
    s = float(re.search(r"W_hh = ([\d.]+)·I", e.question).group(1))
    k = int(re.search(r"through (\d+) steps", e.question).group(1))
    assert e.answer == pytest.approx(s ** k, rel=1e-3)
    assert check_answer(f"{s ** k:.3g}", e.answer, e.tolerance).right  # 3 significant figures suffice


@pytest.mark.parametrize("seed", SEEDS)
def test_layernorm_value(seed):
    e = gen("layernorm_value", seed)
    [x] = vectors(e.question)
    j = int(re.search(r"entry (\d+)", e.question).group(1)) - 1
    assert e.answer == pytest.approx((x[j] - x.mean()) / math.sqrt(x.var() + 1e-5), abs=5e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_counting_exercises(seed):
    e = gen("receptive_field", seed)
    layers, k = map(int, re.search(r"stack of (\d+) 1-D convolution layers? over words, each with kernel "
                                    r"size (\d+)", e.question).groups())
    dilations = [2 ** i for i in range(layers)] if "dilations" in e.question else [1] * layers
    assert e.answer == 1 + (k - 1) * sum(dilations)

    e = gen("causal_visible", seed)
    if m := re.search(r"over (\d+) tokens. How many positions may token (\d+)", e.question):
        assert e.answer == int(m.group(2))
    else:
        n = int(re.search(r"over (\d+) tokens", e.question).group(1))
        assert e.answer == n * (n + 1) // 2

    e = gen("beam_candidates", seed)
    beam, vocab = map(int, re.search(r"beam width (\d+) over a vocabulary of (\d+)", e.question).groups())
    assert e.answer == beam * vocab

    e = gen("attention_matrix_size", seed)
    n = int(re.search(r"over (\d+) tokens", e.question).group(1))
    if "MiB" in e.question:
        heads = int(re.search(r"with (\d+) attention head", e.question).group(1))
        assert e.answer == pytest.approx(heads * n * n * 4 / 2**20)
    else:
        assert e.answer == n * n


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", [1, 2, 3])
def test_rnn_step_exercises_the_recurrence(seed, hidden):
    """From a non-zero h_(t−1): the answer needs W_hh·h_(t−1), recomputed here from the question alone."""
    e = EXERCISES["rnn_step"].generate({"hidden": hidden}, seed)
    x = float(re.search(r"reads x_t = (-?\d+(?:\.\d+)?)", e.question).group(1))
    w_xh = float(re.search(r"W_xh = (-?\d+(?:\.\d+)?)", e.question).group(1))
    b = float(re.search(r"b = (-?\d+(?:\.\d+)?)", e.question).group(1))
    if hidden == 1:
        h_prev = np.array([float(re.search(r"h_\(t−1\) = (-?\d+(?:\.\d+)?)", e.question).group(1))])
        w_hh = np.array([float(re.search(r"W_hh = (-?\d+(?:\.\d+)?)", e.question).group(1))])
    else:
        h_prev, w_hh = vectors(e.question)[:2]
    assert len(h_prev) == len(w_hh) == hidden and np.all(h_prev != 0)
    assert e.answer == pytest.approx(math.tanh(w_hh @ h_prev + w_xh * x + b), abs=1e-3)
    without_recurrence = math.tanh(w_xh * x + b)                 # the old card: h_0 = 0, W_hh never entered
    assert not check_answer(f"{without_recurrence:.3f}", e.answer, e.tolerance).right or abs(w_hh @ h_prev) < 2e-3


def test_the_three_rnn_step_variants_differ():
    sizes = [[len(v) for v in vectors(EXERCISES["rnn_step"].generate({"hidden": h}, 0).question)] for h in (1, 2, 3)]
    assert sizes == [[], [2, 2], [3, 3]]          # h_(t−1) and W_hh's row: a dot product of 1, 2 or 3 terms


def test_exercise_ids_are_listed_and_named_in_the_unknown_exercise_error(tmp_path):
    import subprocess
    import sys

    listed = subprocess.run([sys.executable, "-m", "tutor", "show", "--exercises"], capture_output=True, text=True,
                            env={**__import__("os").environ, "COLUMNS": "200"})
    assert listed.returncode == 0 and all(name in listed.stdout for name in EXERCISES)
    measures = subprocess.run([sys.executable, "-m", "tutor", "show", "--measures"], capture_output=True, text=True,
                              env={**__import__("os").environ, "COLUMNS": "200"})
    from tutor.scenes.measures import MEASURES
    assert measures.returncode == 0 and all(name in measures.stdout for name in MEASURES)
    from tutor.course import read_lesson

    from ..course.lesson_files import GOOD, write
    path = write(tmp_path, "x.md", GOOD + "\n```card\nid: tiny.ex\nkind: exercise\nexercise: rnn_stepp\n```\n")
    shown = [str(p) for p in read_lesson(path)[1]]
    assert any("unknown exercise 'rnn_stepp'; did you mean 'rnn_step'?" in s and "known: rnn_params," in s
               and all(name in s for name in EXERCISES) for s in shown), shown


def _num(pattern, text):
    return float(re.search(pattern, text).group(1))


NUM = r"(-?\d+(?:\.\d+)?)"


@pytest.mark.parametrize("seed", SEEDS)
def test_new_generators_agree_with_their_formulas(seed):
    e = gen("lstm_cell", seed)
    f, i, g, c = (_num(rf"{k} = {NUM}", e.question) for k in ("f_t", "i_t", "g_t", r"c_\(t−1\)"))
    assert e.answer == pytest.approx(f * c + i * g, abs=1e-3)
    e = gen("rnn_memory", seed)
    assert e.answer == _num(rf"hidden size {NUM}", e.question) * _num(rf"sequence of {NUM} tokens", e.question)
    e = gen("head_size", seed)
    assert e.answer == _num(rf"d_model = {NUM}", e.question) / _num(rf"and {NUM} heads?", e.question)
    e = gen("masked_weight", seed)
    (scores,) = vectors(e.question)
    t, j = int(_num(rf"token {NUM}'s", e.question)), int(_num(rf"give token {NUM}", e.question))
    visible = np.exp(scores[:t] - scores[:t].max())
    assert j <= t and e.answer == pytest.approx(visible[j - 1] / visible.sum(), abs=1e-3)
    e = gen("pe_wavelength", seed)
    d, i2 = _num(rf"d_model = {NUM}", e.question), _num(rf"dimensions {NUM}", e.question)
    assert e.answer == pytest.approx(2 * math.pi * 10000 ** (i2 / d), rel=6e-3)


def test_no_generator_serves_more_than_two_lessons():
    from tutor.course import load_course
    from tutor.course.rules import MAX_LESSONS_PER_EXERCISE
    from tutor.paths import lessons_dir

    course, _ = load_course([lessons_dir()])
    lessons_of: dict[str, set[str]] = {}
    for lesson in course.lessons:
        for card in lesson.cards:
            if card.kind == "exercise":
                lessons_of.setdefault(card.exercise, set()).add(lesson.id)
    assert max(len(ids) for ids in lessons_of.values()) <= MAX_LESSONS_PER_EXERCISE, lessons_of


def _numbers(text: str) -> list[float]:
    import re

    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("seed", range(20))
def test_language_model_exercises_answer_from_their_question_alone(seed):
    """Bits per character, temperature and top-k, recomputed from the numbers the question prints."""
    import math

    from tutor.exercises import EXERCISES

    bits = EXERCISES["bits_per_char"].generate({}, seed)
    probs = _numbers(bits.question.split("probabilities")[1].split("What")[0])
    assert bits.answer == pytest.approx(sum(-math.log2(p) for p in probs) / len(probs), abs=1e-3)

    temp = EXERCISES["temperature_prob"].generate({}, seed)
    probs = _numbers(temp.question.split("are (")[1].split(")")[0])
    t = _numbers(temp.question.split("temperature")[1])[0]
    powered = [p ** (1 / t) for p in probs]
    assert temp.answer == pytest.approx(max(powered) / sum(powered), abs=1e-3)

    top = EXERCISES["top_k_prob"].generate({}, seed)
    probs = _numbers(top.question.split("are (")[1].split(")")[0])
    k = int(_numbers(top.question.split("top_k =")[1])[0])
    assert top.answer == pytest.approx(max(probs) / sum(sorted(probs)[::-1][:k]), abs=1e-3)

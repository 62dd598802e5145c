"""Numeric predictions: the block's validation, grading to a tolerance, and every shipped
block's measure, computed by the engine and matching what the block's explanation says."""
from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.course import load_course, read_lesson
from tutor.paths import lessons_dir
from tutor.quiz.numbers import Tolerance, check_estimate, parse_tolerance
from tutor.scenes.measures import MEASURES
from tutor.scenes.registry import SCENES

from .lesson_files import GOOD, NUMBER_PREDICT as NUMBER, write



def _with_block(block: str) -> str:
    return GOOD.replace("hidden: 4\n```\n", "hidden: 4\n```\n\n" + block, 1)


# -- the block --------------------------------------------------------------------------

def test_a_number_prediction_parses(tmp_path):
    lesson, problems = read_lesson(write(tmp_path, "n.md", _with_block(NUMBER)))
    assert problems == [], [str(p) for p in problems]
    predict = lesson.steps[0].predict
    assert (predict.kind, predict.measure, predict.tolerance, predict.choices) == \
        ("number", "rnn_unroll.states", "exact", ())


@pytest.mark.parametrize("old,new,message", [
    ("measure: rnn_unroll.states", "measure: rnn_unroll.nothing", "unknown measure 'rnn_unroll.nothing'"),
    ("measure: rnn_unroll.states", "measure: causal_mask.masked",
     "measure 'causal_mask.masked' belongs to scene 'causal_mask', not to this step's 'rnn_unroll'"),
    ("tolerance: exact", "tolerance: roughly", "tolerance must be 'exact', 'absolute X', 'relative X%'"),
    ("tolerance: exact", "tolerance: relative 150%", "tolerance must be"),
    ("tolerance: exact", "tolerance: absolute -1", "tolerance must be"),
    ("tolerance: exact\n", "", "number prediction needs 'tolerance'"),
    ("measure: rnn_unroll.states\n", "", "number prediction needs 'measure'"),
    ("explain: Words", "choice: 48\nexplain: Words", "unknown key 'choice' in a number prediction"),
    ("kind: number", "kind: essay", "predict kind must be choice or number"),
])
def test_a_bad_number_prediction_names_file_and_line(tmp_path, old, new, message):
    path = write(tmp_path, "n.md", _with_block(NUMBER.replace(old, new)))
    lesson, problems = read_lesson(path)
    assert lesson is None
    shown = [str(p) for p in problems]
    assert any(s.startswith(f"{path}:") and message in s for s in shown), shown


def test_a_number_prediction_needs_a_scene_on_its_step(tmp_path):
    text = GOOD.replace("More text.", "More text.\n\n" + NUMBER)
    path = write(tmp_path, "n.md", text)
    _, problems = read_lesson(path)
    assert any("needs a scene on its step" in str(p) for p in problems), [str(p) for p in problems]


# -- grading ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,tolerance", [
    ("exact", Tolerance("absolute", 0.0)), ("absolute 0.1", Tolerance("absolute", 0.1)),
    ("relative 20%", Tolerance("relative", 0.2)), ("relative 0.2", Tolerance("relative", 0.2)),
    ("order of magnitude", Tolerance("order")), ("Order", Tolerance("order")),
])
def test_tolerances_read(text, tolerance):
    assert parse_tolerance(text) == tolerance


@pytest.mark.parametrize("given,truth,tolerance,status", [
    ("28", 28, "exact", "right"), ("27", 28, "exact", "wrong"), ("28.0", 28, "exact", "right"),
    ("0.55", 0.5, "absolute 0.1", "right"), ("0.65", 0.5, "absolute 0.1", "wrong"),
    ("3.3", 2.83, "relative 20%", "right"), ("2.2", 2.83, "relative 20%", "wrong"),
    ("1e-4", 5.9e-5, "order of magnitude", "right"), ("0.0001", 5.9e-5, "order of magnitude", "right"),
    ("2e-5", 5.9e-5, "order of magnitude", "right"), ("1e-5", 5.9e-5, "order of magnitude", "wrong"),
    ("0.2", 5.9e-5, "order of magnitude", "wrong"), ("-6e-5", 5.9e-5, "order of magnitude", "wrong"),
    ("0", 5.9e-5, "order of magnitude", "wrong"), ("1 351", 1351.3, "order of magnitude", "right"),
    ("", 28, "exact", "empty"), ("twenty", 28, "exact", "invalid"), ("9" * 20_000, 28, "exact", "invalid"),
])
def test_estimates_are_graded_to_the_stated_tolerance(given, truth, tolerance, status):
    assert check_estimate(given, truth, parse_tolerance(tolerance)).status == status


# -- every shipped number prediction ---------------------------------------------------

def _shipped():
    course, problems = load_course([lessons_dir()])
    assert problems == []
    return [(lesson, step) for lesson in course.lessons for step in lesson.steps
            if step.predict is not None and step.predict.kind == "number"]


def test_at_least_ten_lessons_ask_for_a_number():
    assert len({lesson.id for lesson, _ in _shipped()}) >= 10


def test_every_lesson_from_the_rnn_to_decoding_asks_for_a_number():
    """Lessons 02 (the RNN) to 14 (decoding) each run a scene that computes something countable:
    each asks for at least one number. The range is read from the course, not counted by hand."""
    course, _ = load_course([lessons_dir()])
    first, last = (course.find(lesson_id).order for lesson_id in ("rnn", "decoding"))
    span = [lesson for lesson in course.lessons if first <= lesson.order <= last]
    asking = {lesson.id for lesson, _ in _shipped()}
    assert len(span) == last - first + 1 > 1
    assert [lesson.id for lesson in span if lesson.id not in asking] == []


def test_every_measure_is_asked_by_a_lesson():
    """A measure no lesson asks for is dead code."""
    assert sorted(set(MEASURES) - {step.predict.measure for _, step in _shipped()}) == []


@pytest.mark.parametrize("lesson,step", _shipped(), ids=lambda item: getattr(item, "id", None) or item.title)
def test_each_shipped_measure_runs_on_its_step(lesson, step):
    spec = MEASURES[step.predict.measure]
    assert spec.scene == step.scene.id
    value = spec.compute(SCENES[step.scene.id].resolve(step.scene.values))
    assert math.isfinite(value)
    parse_tolerance(step.predict.tolerance)


def _measure(step_title: str) -> tuple[float, dict]:
    step = next(step for _, step in _shipped() if step.title == step_title)
    values = SCENES[step.scene.id].resolve(step.scene.values)
    return MEASURES[step.predict.measure].compute(values), values


def _tokens(sentence: str) -> int:
    from tutor.scenes.sentence import sentence_tokens

    return len(sentence_tokens(sentence)[0])


def test_counting_measures_are_the_counts_the_explanations_give():
    value, v = _measure("One set of weights for every step")
    assert value == _tokens(v["sentence"]) * v["hidden"]                 # words × hidden units
    value, v = _measure("The cat that the dog chased")
    assert value == _tokens(v["sentence"]) ** 2                          # n × n
    value, v = _measure("Counting what is visible")
    n = _tokens(v["sentence"])
    assert value == n * (n - 1) // 2                                     # n(n − 1)/2 above the diagonal


def test_the_receptive_field_grows_by_two_words_a_layer():
    value, v = _measure("Convolutions over text")
    assert (v["kernel"], v["layers"], value) == (3, 4, 9)
    field = MEASURES["cnn_receptive_field.field"].compute
    assert [field({**v, "layers": n}) for n in (1, 2, 3, 4)] == [3, 5, 7, 9]   # "3, 5, 7 and 9"


def test_the_welcome_grid_holds_six_by_six():
    value, v = _measure("Playing a scene")
    assert value == _tokens(v["sentence"]) * v["hidden"] == 6 * 6        # "six words and six units"


def test_an_untrained_gru_update_gate_sits_near_one_half():
    value, v = _measure("The GRU: a lighter gate")
    assert v["cell"] == "gru" and abs(value - 0.5) < 0.1


def test_scaled_attention_stays_shared_at_the_largest_dk():
    value, v = _measure("Saturation kills the gradient")
    assert v["scaled"] and 0.05 < value < 0.5
    unscaled = MEASURES["softmax_saturation.largest"].compute({**v, "scaled": False})
    assert unscaled > 0.9 > value                                        # one key takes nearly everything unscaled


def test_neighbouring_positions_point_almost_the_same_way():
    value, _ = _measure("Nearby positions look alike")
    assert 0.8 < value < 1.0


def test_about_half_the_feed_forward_units_fire():
    from tutor.scenes.block_flow import DIM_FEEDFORWARD

    value, _ = _measure("One token's trip")
    assert DIM_FEEDFORWARD == 32 and abs(value - DIM_FEEDFORWARD / 2) <= 6       # "about half"


def test_the_first_loss_is_near_ln_of_the_output_vocabulary():
    from engine.recipes.toy_tasks import TASK_CONFIG

    value, _ = _measure("Copying instead")
    assert abs(value - math.log(TASK_CONFIG.tgt_vocab)) < 0.2 * value


def test_the_beam_scores_every_prefix_times_every_token(monkeypatch):
    """Lesson 14: the vocabulary the question states is the model's, and the truth is what the engine's
    beam search scores at step 2: one next-token distribution over the vocabulary per kept prefix."""
    import engine.decode
    from engine.recipes.phrases import load_phrase_transformer
    from tutor.scenes import beam_search as bs

    scored: list[tuple[int, int]] = []           # (prefixes, tokens) the engine scored, step by step

    def recording(log_probs, *args, **kwargs):
        def recorded(prefixes):
            out = log_probs(prefixes)
            scored.append(out.shape)
            return out
        return engine.decode.beam_search(recorded, *args, **kwargs)

    monkeypatch.setattr(bs, "beam_search", recording)
    value, v = _measure("Wider beams")
    model, phrases, _ = load_phrase_transformer()
    vocabulary = len(phrases.tgt_vocab.tokens)
    assert vocabulary == model.config.tgt_vocab == scored[1][1]
    assert scored[1] == (v["beam"], vocabulary) and value == scored[1][0] * scored[1][1]
    step = next(step for _, step in _shipped() if step.title == "Wider beams")
    assert f"vocabulary has {vocabulary} tokens" in step.predict.question
    assert f"At step 2 the beam holds {('one', 'two', 'three')[scored[1][0] - 1]} prefixes" in step.predict.question
    _, result, _, _, _ = bs.run(v["phrase"], v["beam"], v["alpha"])
    drawn = sum(node.depth == 2 for node in result.nodes)
    assert f"{scored[1][0]} prefixes × {vocabulary} tokens = {value:.0f}," in step.predict.explain
    assert f"the tree draws {drawn} of them" in step.predict.explain and drawn == v["beam"] ** 2
    scored.clear()
    last = list(SCENES["beam_search"].frames(v))[-1]           # the scene's own count agrees
    assert f"{sum(k * n for k, n in scored):,} candidates scored over {len(scored)} steps" in last.caption


def test_measures_follow_the_current_controls():
    masked = MEASURES["causal_mask.masked"].compute(SCENES["causal_mask"].resolve({"sentence": "a b c d e"}))
    assert masked == 10
    scores = MEASURES["sequential_vs_parallel.scores"].compute(SCENES["sequential_vs_parallel"].resolve(
        {"max_length": 48}))
    assert scores == 48 ** 2                                             # n = 16, 32, then 48 itself
    states = MEASURES["rnn_unroll.states"].compute(SCENES["rnn_unroll"].resolve({"hidden": 3, "sentence": "a b"}))
    assert states == 6
    np.testing.assert_allclose(
        MEASURES["positional_encoding.neighbours"].compute(SCENES["positional_encoding"].resolve({"d_model": 4})),
        (np.cos(1.0) + np.cos(0.01)) / 2, rtol=1e-6)     # PE₀ = (0, 1, 0, 1), PE₁ = (sin 1, cos 1, sin .01, cos .01)


def test_every_measure_declares_a_known_scene():
    assert MEASURES and all(spec.scene in SCENES for spec in MEASURES.values())


@pytest.mark.parametrize("measure", sorted(MEASURES))
def test_every_measure_computes_a_finite_number_for_its_scene_defaults(measure):
    spec = MEASURES[measure]
    assert math.isfinite(spec.compute(SCENES[spec.scene].resolve({})))

"""What lessons 05, 06, 08 and 09 say about trained models, checked on the shipped weights.

Every figure is computed here from the engine (the shipped model run on the
lesson's own input, or measured on held-out data) and looked up in the lesson
text in the format the lesson prints it, so a retrained model with other
numbers fails here until the lesson says what the new model does.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from engine.recipes import coreference_data
from engine.recipes.coreference import (coreference_attention, held_out_set, hit_rates, load_coreference, resolve,
                                        untrained_coreference)
from tutor.course import read_lesson
from tutor.paths import lessons_dir

from .reading import step_learner_text

FILES = {"lstm-gru": "05-lstm-gru.md", "attention": "06-attention.md", "self-attention": "08-self-attention.md",
         "multi-head": "09-multi-head.md"}
TIRED = "The animal didn't cross the street because it was tired"
WIDE = "The animal didn't cross the street because it was wide"


@cache
def load(lesson_id: str):
    lesson, problems = read_lesson(lessons_dir() / FILES[lesson_id])
    assert problems == [], [str(p) for p in problems]
    return lesson


def step(lesson_id: str, title: str):
    return next(s for s in load(lesson_id).steps if s.title == title)


def body(lesson_id: str, title: str) -> str:
    return step_learner_text(load(lesson_id), title)


def row_of_it(coref, sentence: str) -> list[tuple[str, float]]:
    """(word, weight) for every key of the shown head's row of "it"."""
    tokens, w = coreference_attention(coref, sentence)
    return list(zip(tokens, w[coref.layer, coref.head, tokens.index("it")]))


def top(row: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
    return sorted(row, key=lambda kv: -kv[1])[:k]


# ------------------------------------------------------------------ 08 self-attention

def test_who_is_it_runs_the_trained_model_and_states_its_weight():
    s = step("self-attention", "Who is \"it\"?")
    assert s.scene.id == "self_attention" and s.scene.values == {"sentence": TIRED, "model": "trained"}
    coref = load_coreference()
    (word, weight), = top(row_of_it(coref, TIRED), 1)
    assert word == "animal" and resolve(coref, TIRED)[7] == "animal"
    assert f'the row of "it" puts {weight:.2f} on "animal"' in body("self-attention", "Who is \"it\"?")


def test_wide_flips_the_row_to_street_on_pairs_never_trained_on():
    s = step("self-attention", "Make it wide")
    assert s.scene.values == {"sentence": WIDE, "model": "trained"}
    coref = load_coreference()
    (word, _), = top(row_of_it(coref, WIDE), 1)
    assert word == "street" and resolve(coref, WIDE)[7] == "street"
    assert s.predict.choices[s.predict.answer] == 'On "street"'
    assert coreference_data.held_out("animal", "tired") and coreference_data.held_out("street", "wide")
    held = held_out_set()
    cells = hit_rates(coref.model, coref.vocab, held)
    rates = [float(v[coref.layer, coref.head]) for v in cells.values()]
    text = body("self-attention", "Learned, not built in")
    assert f'moved to "street" ({top(row_of_it(coref, WIDE), 1)[0][1]:.2f})' in text
    assert f"on {len(held)} held-out sentences" in text
    assert f"in {min(rates):.0%} to {max(rates):.0%} of them" in text
    assert min(rates) >= 0.9


def test_before_training_states_the_untrained_rows_top_three():
    s = step("self-attention", "Learned, not built in")
    assert s.scene.values == {"sentence": TIRED, "model": "untrained"}
    seed = 0                                                            # the scene's default seed
    (a, wa), (b, wb), (c, wc) = top(row_of_it(untrained_coreference(seed), TIRED), 3)
    assert f'{wa:.2f} on "{a}", {wb:.2f} on "{b}", {wc:.2f} on "{c}"' in body("self-attention", "Learned, not built in")
    trained = top(row_of_it(load_coreference(), TIRED), 1)[0][1]
    assert wa < 0.5 < trained                                           # "spreads its weight"


# ------------------------------------------------------------------ 09 multi-head

def test_heads_side_by_side_is_the_untrained_model_with_the_heads_it_predicts():
    s = step("multi-head", "Heads side by side")
    assert s.scene.values["model"] == "untrained" and s.scene.values["heads"] == 8
    assert "the model of lesson 08 before any training, here with 8 heads" in body("multi-head", "Heads side by side")


def test_trained_heads_have_different_jobs():
    s = step("multi-head", "Different heads, different habits")
    assert s.scene.id == "multi_head" and s.scene.values == {"sentence": TIRED, "model": "trained"}
    coref = load_coreference()
    tokens, w = coreference_attention(coref, TIRED)
    it = tokens.index("it")
    assert coref.layer == 1                                          # "its second layer"
    resolver, other = coref.head, 1 - coref.head
    assert tokens[int(w[1, resolver, it].argmax())] == "animal"
    to_tired = int(sum(tokens[int(j)] == "tired" for j in w[1, other].argmax(axis=1)))
    text = body("multi-head", "Different heads, different habits")
    assert f'head {resolver + 1} ties "it" to "animal" ({w[1, resolver, it].max():.2f})' in text
    assert f'head {other + 1} sends {to_tired} of the {len(tokens)} rows to "tired"' in text
    assert to_tired * 2 >= len(tokens) - 1                          # the most common target by far


def test_the_repeat_prediction_is_what_the_induction_head_shows():
    from engine.recipes import induction as rec
    from tutor.scenes.induction_heads import SYMBOLS

    title = "A head for the last word, a head for repeats"
    s = step("multi-head", title)
    assert s.scene.id == "induction_heads" and s.scene.values == {"length": 6, "model": "trained"}
    ids = rec.repeated_sequence(6, 0)                                   # the scene's default sequence
    segment = " ".join(SYMBOLS[i] for i in ids[:6])
    assert f"`{segment} {segment}`" in body("multi-head", title)
    assert s.predict.choices[s.predict.answer] == f'At the symbol after the first "{SYMBOLS[ids[1]]}"'
    assert f'reads the second "{SYMBOLS[ids[1]]}"' in s.predict.question
    assert f'followed by "{SYMBOLS[ids[2]]}"' in s.predict.explain
    m = rec.load_induction()
    w = rec.attention_maps(m.model, ids)[m.induction]
    assert int(w[6 + 1].argmax()) == 2                                 # the second copy of ids[1] looks at ids[2]


def test_previous_token_and_induction_heads_are_measured_and_learned():
    from engine.recipes import induction as rec

    title = "Measured, and learned"
    s = step("multi-head", title)
    assert s.scene.id == "induction_heads" and s.scene.values == {"length": 6, "model": "untrained"}
    text = body("multi-head", title)
    m = rec.load_induction()
    prev, ind = rec.head_scores(m.model)
    first, second = rec.half_losses(m.model)
    assert f"**previous-token head** (layer {m.previous_token[0] + 1}): mean weight {prev[m.previous_token]:.2f}" in text
    assert f"**induction head** (layer {m.induction[0] + 1}): {ind[m.induction]:.2f}" in text
    assert f"the loss is {second:.2f} on the repeat against {first:.2f} on the first half" in text
    assert prev[m.previous_token] >= 0.5 and ind[m.induction] >= 0.5 and second <= 0.2 * first
    untrained = rec.untrained_induction(0)                              # the scene's default seed
    uprev, uind = rec.head_scores(untrained)
    ufirst, usecond = rec.half_losses(untrained)
    assert f"before training: {uprev[m.previous_token]:.2f} and {uind[m.induction]:.2f}" in text
    assert f"(loss {usecond:.2f} against {ufirst:.2f})" in text and usecond > 0.9 * ufirst


# ------------------------------------------------------------------ 05 LSTM and GRU

def test_gates_with_a_purpose_predicts_what_the_trained_cell_shows():
    from engine.recipes.gates import TASK, gate_trace, load_gates
    import engine

    s = step("lstm-gru", "Gates with a purpose")
    assert s.scene.id == "gates" and s.scene.values["model"] == "trained"
    tokens = engine.tokenize(s.scene.values["sentence"])
    assert len(tokens) == TASK.length == 24 and tokens[-1] == "?" and tokens.index("!") < TASK.length // 3
    assert f"Each sequence has {TASK.length} symbols from A to D" in body("lstm-gru", "Gates with a purpose")
    g = load_gates()
    i = gate_trace(g.net, [TASK.vocab.index(t) for t in tokens])["i"][:, g.memory_units].mean(1)
    key = tokens.index("!") + 1
    assert int(i.argmax()) == key                                     # the grid opens where the answer says
    assert s.predict.choices[s.predict.answer] == "On the symbol right after the marker"


def test_what_training_changed_states_the_held_out_means():
    import math

    from engine.recipes.gates import EVAL_SEED, TASK, GatesRecipe, gate_summary, load_gates, untrained_gates
    from engine.recurrent_train import evaluate

    s = step("lstm-gru", "What training changed")
    assert s.scene.id == "gates" and s.scene.values["model"] == "trained"
    g = load_gates()
    held = gate_summary(g.net, g.memory_units)
    base = gate_summary(untrained_gates(0), g.memory_units)                 # the scene's default seed
    accuracy = evaluate(g.net, TASK, batch_size=512, seed=EVAL_SEED)
    text = body("lstm-gru", "What training changed")
    assert (f"On 512 held-out sequences, the input gate of those units is {held['input_at_key']:.2f} at the "
            f"key and {held['input_elsewhere']:.2f} on the other symbols, and the forget gate averages "
            f"{held['forget_over_gap']:.2f} across the gap") in text
    assert f"the model answers {accuracy:.0%} of them right" in text
    chrono = GatesRecipe().chrono
    assert f"forget bias {chrono:g}, so f ≈ {1 / (1 + math.exp(-chrono)):.2f}" in text
    assert (f"{base['input_at_key']:.2f} at the key and {base['input_elsewhere']:.2f} elsewhere, with the "
            f"forget gate at {base['forget_over_gap']:.2f}") in text
    assert held["input_at_key"] >= 3 * held["input_elsewhere"] and held["forget_over_gap"] > base["forget_over_gap"]


def test_both_gate_steps_show_sequences_where_the_scene_agrees_with_the_text():
    import engine
    from engine.recipes.gates import TASK, gate_trace, load_gates, untrained_gates

    g = load_gates()
    u = g.memory_units
    for title in ("Gates with a purpose", "What training changed"):
        tokens = engine.tokenize(step("lstm-gru", title).scene.values["sentence"])
        ids = [TASK.vocab.index(t) for t in tokens]
        key = tokens.index("!") + 1
        tr, un = gate_trace(g.net, ids), gate_trace(untrained_gates(0), ids)
        assert tr["i"][key, u].mean() > 3 * np.delete(tr["i"][:-1, u].mean(1), [key - 1, key]).mean()
        assert tr["f"][key + 1:-1, u].mean() > un["f"][key + 1:-1, u].mean()
        logits, _ = g.net.forward(np.array(ids)[:, None])
        assert TASK.vocab[int(logits[-1, 0].argmax())] == tokens[key]


# ------------------------------------------------------------------ 06 attention

def test_the_bottleneck_step_states_the_measured_accuracies():
    from engine.recipes.bottleneck import BUCKETS, accuracy_by_length, load_bottleneck

    s = step("attention", "The bottleneck, measured")
    assert s.scene.id == "bottleneck" and s.scene.values == {"model": "trained"}
    b = load_bottleneck()
    with_, without = (accuracy_by_length(getattr(b, k), b.src_vocab, b.tgt_vocab) for k in ("attention", "plain"))
    (lo, hi), (LO, HI) = BUCKETS[0], BUCKETS[-1]
    first, last = f"{lo}–{hi}", f"{LO}–{HI}"
    text = body("attention", "The bottleneck, measured")
    assert f"On sources of {lo} to {hi} words they are close: {with_[first]:.2f} with attention, " \
           f"{without[first]:.2f} without." in text
    assert f"on {LO} to {HI} words it gets {without[last]:.2f} against {with_[last]:.2f}" in text
    gaps = [with_[k] - without[k] for k in with_]
    assert abs(gaps[0]) <= 0.15 and gaps[-1] >= 0.2 and gaps == sorted(gaps)   # "falls away" as sources grow
    assert b.meta["recipe"]["hidden_size"] and "same training steps" in text


def test_the_untrained_gates_sit_around_a_half():
    from tutor.scenes.gates import run

    s = step("lstm-gru", "Which gate does what")
    v = s.scene.values
    assert v["model"] == "untrained" and "its gates sit around 0.5" in body("lstm-gru", "Which gate does what")
    _, _, traces = run(v["sentence"], v["cell"], v["hidden"], 0)
    for tr in traces:
        if tr.name in ("i", "f", "o"):
            assert abs(float(tr.values.mean()) - 0.5) < 0.1, tr.name

"""The live race: events in order, seeded, and training that learns."""
import numpy as np
import pytest

from engine.charlm import Corpus, load_corpus, unigram_bits
from engine.lm_train import (Checkpoint, Finished, LMRecipe, Started, Step, checkpoint_steps,
                             train_live, train_lm)

RECIPE = LMRecipe(steps=6, size="tiny", context=16, batch_size=4, checkpoints=2, eval_windows=4,
                  sample_chars=10, warmup=3)


@pytest.fixture(scope="module")
def corpus():
    return Corpus.from_text(load_corpus()[:20_000])


def test_checkpoints_spread_to_the_last_step():
    assert checkpoint_steps(400, 4) == [100, 200, 300, 400]
    assert checkpoint_steps(3, 5) == [1, 2, 3]


def test_events_of_the_four_interleaved(corpus):
    events = list(train_live(["rnn", "lstm", "gru", "transformer"], corpus, RECIPE))
    started = [e for e in events if isinstance(e, Started)]
    assert [e.label for e in started] == ["RNN", "LSTM", "GRU", "Transformer"]
    assert all(e.parameters > 0 for e in started)
    steps = [e for e in events if isinstance(e, Step)]
    assert [(e.kind, e.step) for e in steps[:5]] == [("rnn", 1), ("lstm", 1), ("gru", 1),
                                                     ("transformer", 1), ("rnn", 2)]
    assert len(steps) == 24 and all(np.isfinite(e.loss) and e.seconds > 0 for e in steps)
    for kind in ("rnn", "transformer"):
        for clock in ("seconds", "cpu_seconds"):
            secs = [getattr(e, clock) for e in steps if e.kind == kind]
            assert secs == sorted(secs) and secs[-1] > 0
    marks = [e for e in events if isinstance(e, Checkpoint)]
    assert [e.step for e in marks] == [0] * 4 + [3] * 4 + [6] * 4
    assert all(e.seconds == 0 for e in marks[:4])
    assert all(len(e.sample) == 10 and e.heldout_bits > 0 for e in marks)
    done = [e for e in events if isinstance(e, Finished)]
    assert [e.kind for e in done] == ["rnn", "lstm", "gru", "transformer"]
    assert done[0].heldout_bits == marks[8].heldout_bits


def test_the_same_seed_gives_the_same_race(corpus):
    def losses():
        return [e.loss for e in train_live(["gru"], corpus, RECIPE) if isinstance(e, Step)]
    assert losses() == losses()


def test_live_steps_equal_train_lm(corpus):
    """train_live runs each model through the same loop (warm-up included) as train_lm."""
    live = [e.loss for e in train_live(["lstm"], corpus, RECIPE) if isinstance(e, Step)]
    _, losses, _ = train_lm("lstm", corpus, RECIPE)
    np.testing.assert_allclose(np.array(live) * np.log(2), losses, rtol=1e-6)


def test_unknown_kind_is_refused(corpus):
    with pytest.raises(ValueError, match="unknown model kind"):
        next(train_live(["cnn"], corpus, RECIPE))


def test_a_short_run_beats_the_unigram_model(corpus):
    recipe = LMRecipe(steps=150, size="tiny", context=32, batch_size=16, checkpoints=1,
                      eval_windows=None, lr=1e-2)
    done = [e for e in train_live(["gru"], corpus, recipe) if isinstance(e, Finished)]
    assert done[0].heldout_bits < unigram_bits(corpus) - 0.5


def test_stateful_batches_continue_the_text_and_the_state(corpus, monkeypatch):
    """With stateful=True each stream's next window starts where the last one ended, and the
    recurrent model reads it from the state the last window left."""
    from engine.language_models import RecurrentLM
    seen = []
    original = RecurrentLM.loss_grads_state

    def spy(self, x, y, state=None):
        seen.append((x.copy(), y.copy(), state))
        return original(self, x, y, state)
    monkeypatch.setattr(RecurrentLM, "loss_grads_state", spy)
    train_lm("gru", corpus, LMRecipe(steps=3, size="tiny", context=16, batch_size=4, stateful=True))
    (x0, y0, s0), (x1, _, s1), _ = seen
    assert s0 is None and s1 is not None and s1.shape == (4, 56)
    np.testing.assert_array_equal(x1[0], y0[-1])  # the next window begins at the last target

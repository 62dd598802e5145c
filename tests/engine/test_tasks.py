"""Toy tasks and the recurrent net trained on them."""
import numpy as np
import pytest

from engine.gradcheck import numerical_grad, rel_error
from engine.losses import cross_entropy
from engine.recurrent_train import RecurrentNet, evaluate, train_on_task
from engine.tasks import TEXT_PATH, CopyTask, NextCharTask, RememberFirstTask, decode, one_hot

TASKS = [CopyTask(length=4, n_symbols=5), RememberFirstTask(gap=6), NextCharTask(seq_len=12)]


@pytest.mark.parametrize("task", TASKS, ids=lambda t: type(t).__name__)
def test_batches_are_seeded_shaped_and_in_vocab(task):
    a, b, c = task.batch(8, seed=(0, 1)), task.batch(8, seed=(0, 1)), task.batch(8, seed=(0, 2))
    for field in ("inputs", "targets", "mask"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.inputs, c.inputs)
    assert a.inputs.shape == a.targets.shape == a.mask.shape and a.inputs.shape[1] == 8
    assert a.mask.dtype == bool and a.mask.any()
    V = len(task.vocab)
    assert 0 <= a.inputs.min() and a.inputs.max() < V and a.targets.max() < V
    assert 0 < task.chance < 1


def test_copy_task_asks_for_the_symbols_back():
    task = CopyTask(length=3, n_symbols=4)
    batch = task.batch(5, seed=0)
    np.testing.assert_array_equal(batch.targets[3:], batch.inputs[:3])
    assert (batch.inputs[3] == task.vocab.index(">")).all()
    assert (batch.inputs[4:] == task.vocab.index("_")).all()
    assert batch.mask[3:].all() and not batch.mask[:3].any()
    assert batch.inputs[:3].max() < 4


def test_remember_first_asks_only_for_the_first_symbol():
    task = RememberFirstTask(gap=10, n_symbols=3, n_distractors=2)
    batch = task.batch(64, seed=0)
    assert batch.inputs.shape == (12, 64)
    np.testing.assert_array_equal(batch.targets[-1], batch.inputs[0])
    assert batch.mask[-1].all() and batch.mask.sum() == 64
    assert batch.inputs[0].max() < 3  # a symbol ...
    assert set(np.unique(batch.inputs[1:-1])) <= {3, 4}  # ... distractors ...
    assert (batch.inputs[-1] == task.vocab.index("?")).all()  # ... the query
    assert decode(task.vocab, batch.inputs[:, 0])[-1] == "?"


def test_next_char_windows_come_from_the_shipped_text():
    text = TEXT_PATH.read_text(encoding="utf-8")
    assert len(text) > 2000
    task = NextCharTask(seq_len=20)
    batch = task.batch(4, seed=3)
    for b in range(4):
        window = decode(task.vocab, batch.inputs[:, b]) + decode(task.vocab, batch.targets[-1:, b])
        assert window in text
        assert decode(task.vocab, batch.inputs[1:, b]) == decode(task.vocab, batch.targets[:-1, b])
    assert decode(task.vocab, task.encode("the lamp")) == "the lamp"
    assert NextCharTask(text="abab").chance == 0.5


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([[2, 0]]), 3), [[[0, 0, 1], [1, 0, 0]]])


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_net_gradients_match_finite_differences(kind):
    task = RememberFirstTask(gap=3)
    batch = task.batch(3, seed=0)
    net = RecurrentNet(kind, len(task.vocab), 4, seed=1)
    loss, grads = net.loss_and_grads(batch)
    assert grads.keys() == net.state_dict().keys()
    assert set(net.params) == {f"rnn.{k}" for k in net.rnn.params} | {"head.weight", "head.bias"}

    def f():
        return cross_entropy(net.forward(batch.inputs)[0], batch.targets, batch.mask)[0]

    assert loss == pytest.approx(f())
    for name, p in net.params.items():
        assert rel_error(grads[name], numerical_grad(f, p)) < 1e-7, name


def test_chrono_init_opens_the_forget_gate_and_is_lstm_only():
    net = RecurrentNet("lstm", 5, 4, seed=0, chrono=3.0)
    _, cache = net.forward(np.zeros((2, 1), dtype=int))
    assert cache.rnn.f.min() > 0.8 and cache.rnn.i.max() < 0.2
    with pytest.raises(ValueError):
        RecurrentNet("gru", 5, 4, chrono=3.0)


def test_training_is_deterministic_reports_each_step_and_can_stop():
    task = CopyTask(length=3, n_symbols=3)
    reports = []

    def run(callback=None):
        net = RecurrentNet("gru", len(task.vocab), 8, seed=0)
        return net, train_on_task(net, task, steps=6, batch_size=4, seed=5, callback=callback)

    net_a, losses_a = run(reports.append)
    net_b, losses_b = run()
    assert losses_a == losses_b and len(losses_a) == 6
    assert [r.step for r in reports] == list(range(1, 7)) and reports[-1].steps == 6
    assert [r.loss for r in reports] == losses_a
    for k in net_a.params:
        np.testing.assert_array_equal(net_a.params[k], net_b.params[k])
    _, stopped = run(lambda r: r.step < 3)
    assert len(stopped) == 3


def test_gru_learns_to_copy():
    task = CopyTask(length=3, n_symbols=3)
    net = RecurrentNet("gru", len(task.vocab), 24, seed=0)
    before = evaluate(net, task)
    losses = train_on_task(net, task, steps=150, batch_size=32, lr=2e-2, seed=0)
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10])
    assert evaluate(net, task) > max(0.9, before)


def test_next_char_loss_falls():
    task = NextCharTask(seq_len=16)
    net = RecurrentNet("lstm", len(task.vocab), 32, seed=0)
    losses = train_on_task(net, task, steps=60, batch_size=16, lr=2e-2, seed=0)
    assert np.mean(losses[-10:]) < np.mean(losses[:5]) - 0.5


def test_warmup_raises_the_learning_rate_linearly_then_holds_it():
    import numpy as np

    from engine.optim import SGD
    from engine.train import train

    params = {"w": np.zeros(1)}
    opt = SGD(params, lr=1.0)
    seen = []

    def loss_and_grads(step):
        seen.append(opt.lr)
        return 0.0, {"w": np.ones(1)}

    train(params, loss_and_grads, opt, steps=6, warmup=4)
    assert seen == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert params["w"][0] == -sum(seen)

"""The shipped gates LSTM: its memory units let the key in, keep the rest out and hold it (held-out data)."""
import numpy as np
import pytest

from engine.recipes import gates
from engine.tasks import MarkedSymbolTask


@pytest.fixture(scope="module")
def shipped():
    return gates.load_gates()


def test_marked_symbol_task_asks_for_the_symbol_after_the_marker():
    task = MarkedSymbolTask(length=12)
    b = task.batch(50, seed=1)
    keys = task.key_positions(b.inputs)
    assert np.all((b.inputs == task.marker).sum(0) == 1) and np.all(keys <= 4)
    assert np.array_equal(b.targets[-1], b.inputs[keys, np.arange(50)])
    assert b.mask.sum() == 50 and np.all(b.inputs[-1] == task.marker + 1)


def test_memory_units_let_in_the_key_and_hold_it(shipped):
    s = gates.gate_summary(shipped.net, shipped.memory_units)
    assert s["forget_over_gap"] >= gates.FORGET_BAR
    assert s["input_at_key"] >= gates.INPUT_RATIO_BAR * s["input_elsewhere"]
    assert shipped.memory_units == gates.memory_units(shipped.net)  # the stored choice is reproduced
    assert all(m.ok for m in gates.measure_gates())


def test_untrained_cell_has_no_such_gates(shipped):
    raw = gates.untrained_gates(seed=shipped.meta["seed"])
    s = gates.gate_summary(raw, shipped.memory_units)
    assert s["input_at_key"] < 2 * s["input_elsewhere"]  # σ(−2) ≈ 0.12 at every step
    assert s["forget_over_gap"] < 0.9                    # σ(2) ≈ 0.88: fades to 5% over the gap
    assert gates.evaluate(raw, gates.TASK, batch_size=512, seed=gates.EVAL_SEED) < 0.5


def test_gate_trace_of_one_sequence(shipped):
    ids = gates.sequence(3)
    trace = gates.gate_trace(shipped.net, ids)
    assert set(trace) == {"i", "f", "g", "o", "c", "h"}
    assert all(v.shape == (24, 16) for v in trace.values())
    key = int(gates.TASK.key_positions(ids[:, None])[0])
    units = shipped.memory_units
    assert trace["i"][key, units].mean() > trace["i"][key + 1:-1, units].mean()

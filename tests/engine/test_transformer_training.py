"""The tiny Transformer learns reversal and copying (length 8, 10 symbols) to ≥ 99% in ≤ 30 s on one core."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, sys, time
from engine.recipes.toy_tasks import eval_set, sequence_accuracy, train_transformer
task = sys.argv[1]
reports = []
t0 = time.perf_counter()
model, losses = train_transformer(task, seed=1, callback=lambda report, m: reports.append(report.step))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "accuracy": sequence_accuracy(model, *eval_set(task)),
                  "steps": len(losses), "reports": len(reports), "first": losses[0], "last": losses[-1]}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("task", ["reverse", "copy"])
def test_trains_to_99_percent_in_30_seconds_on_one_core(task):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", SCRIPT, task], env=env, capture_output=True, text=True,
                         check=True, timeout=120, cwd=Path(__file__).parents[2])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["accuracy"] >= 0.99, result
    assert result["seconds"] <= 30, result
    assert result["reports"] == result["steps"] and result["last"] < result["first"] / 20


def test_the_callback_can_stop_training():
    from engine.recipes.toy_tasks import train_reversal
    model, losses = train_reversal(steps=50, callback=lambda report, m: report.step < 3)
    assert len(losses) == 3
    assert model.config.d_model == 32


"""Shared fixtures: every test gets its own progress store."""
from __future__ import annotations

import os

# One BLAS thread, as the app runs: OpenBLAS's threads made small matmuls
# 10-15x slower on this 2-core machine under load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def tutor_home(tmp_path, monkeypatch):
    """Point TUTOR_HOME at a fresh directory so no test touches real progress."""
    home = tmp_path / "tutor-home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    return home

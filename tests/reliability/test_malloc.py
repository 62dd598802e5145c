"""Freed large arrays leave the process (tutor/malloc.py), where glibc would keep them.

Each case runs in a fresh interpreter: the thresholds are process-wide, and
glibc raises its own only once a large block has been freed.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tutor.malloc import return_large_frees

CHILD = """
import os, sys
import numpy as np
if sys.argv[1] == "tuned":
    from tutor.malloc import return_large_frees
    assert return_large_frees()

def resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

base = resident_mb()
kept = []
for _ in range(3):
    # A scene's big array, and a small result it keeps. The first free raises
    # glibc's threshold, so the next big array comes from the heap, below the
    # small one, where its pages cannot be trimmed once freed.
    grid = np.ones((16, 2**17))              # 16 MiB, every page touched
    kept.append(grid[:2, :4].copy())
    del grid
print(resident_mb() - base)
"""


def kept_after_free(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True)
    return float(out.stdout)


glibc_only = pytest.mark.skipif(not return_large_frees(), reason="mallopt is glibc's")


@glibc_only
def test_without_the_set_up_glibc_keeps_freed_arrays():
    """The control: what the set-up is for (if glibc stops doing this, the module can go)."""
    assert kept_after_free("plain") > 12   # one 16 MiB array held in a hole


@glibc_only
def test_with_the_set_up_freed_arrays_go_back():
    assert kept_after_free("tuned") < 4


def test_it_is_done_where_the_c_library_is_glibc_and_only_there():
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        glibc = ""
    assert return_large_frees() is glibc.startswith("glibc")

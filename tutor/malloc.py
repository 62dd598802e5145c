"""Give large freed arrays back to the system (glibc only; elsewhere nothing changes).

glibc serves an allocation of 128 KiB or more with its own mmap and unmaps it
when freed, but the first time it frees one it raises that threshold to the
freed size, so from then on arrays of that size come from the heap, whose
freed pages stay with the process. A scene that measures a 2,048-token
attention grid (three 16 MiB arrays) or trains a model then leaves its peak
behind, and the next scene stacks on top of it.

Fixing the thresholds turns that off: arrays of 128 KiB and more are always
mapped and unmapped, and the heap keeps up to 32 MiB of free space at its
top, so the small allocations of a training loop do not shrink and regrow it
on every step. Measured with `python -m bench app` (a walk through every
lesson): peak 135 MB before, 112 MB after. The price is paid by arrays of
128 KiB and more, each now mapped fresh: the engine at T=200, B=32, H=64
(1.6 MB arrays) runs 25-35% slower under it. The scenes mostly work on smaller
arrays: the two training scenes ran in the same time either way, within the
noise (docs/benchmarks.md). Thresholds of 2 MiB and 16 MiB kept the engine's
speed but peaked at 116-121 MB.
"""
from __future__ import annotations

import sys
from functools import cache

M_TRIM_THRESHOLD = -1     # mallopt parameters, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024          # glibc's own starting value
TRIM_THRESHOLD = 32 * 1024 * 1024


@cache
def return_large_frees() -> bool:
    """Fix glibc's mmap and trim thresholds for this process (once); True if it did.

    The lesson screen calls it before its first scene computes, which keeps
    ctypes off the path to the first paint."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version       # glibc, not musl
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))

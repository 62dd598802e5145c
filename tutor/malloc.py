"""Give large freed arrays back to the system (glibc only; elsewhere nothing changes).

glibc serves an allocation of 128 KiB or more with its own mmap and unmaps it
when freed, but the first time it frees one it raises that threshold to the
freed size, so from then on arrays of that size come from the heap, whose
freed pages stay with the process. A scene that measures a 2,048-token
attention grid (three 16 MiB arrays) or trains a model then leaves its peak
behind, and the next scene stacks on top of it.

Fixing the thresholds turns that off: arrays of 128 KiB and more are always
mapped and unmapped, and the heap keeps up to 4 MiB of free space at its top
(engine.allocator.TRIM_AFTER; the language models' training loops keep 32
MiB while they run and give it back when they end). Measured with `python -m
bench app` (a walk through every lesson): peak 135 MB before, 112 MB after.
The price is paid by arrays of 128 KiB and more, each now mapped fresh: the
engine at T=200, B=32, H=64 (1.6 MB arrays) runs 25-35% slower under it. The
scenes mostly work on smaller arrays: the two training scenes ran in the
same time either way, within the noise (docs/benchmarks.md). Thresholds of 2
MiB and 16 MiB kept the engine's speed but peaked at 116-121 MB.
"""
from __future__ import annotations

from functools import cache


@cache
def return_large_frees() -> bool:
    """Fix glibc's mmap threshold at 128 KiB (its own starting value) and its trim threshold
    at 4 MiB for this process, once; True if it did.

    The lesson screen calls it before its first scene computes, which keeps
    ctypes off the path to the first paint. The mallopt call is the engine's
    (engine/allocator.py), whose training loops set the same values when they end."""
    from engine.allocator import MMAP_AFTER, TRIM_AFTER, fix_thresholds

    return fix_thresholds(MMAP_AFTER, TRIM_AFTER)

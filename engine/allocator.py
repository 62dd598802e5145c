"""Keep freed arrays' memory in the process while a training loop runs (glibc only).

A training step allocates its activations (arrays of 0.1-2 MB at the language
models' sizes), frees them all at its end, and allocates them again in the
next step. Under glibc's defaults the freed memory goes back to the system
(large blocks are unmapped, the heap's top is trimmed), so every step faults
its pages in again: on this 2-core virtual machine that was about half of a
Transformer language-model step (21 ms against 12 ms with the memory kept).
PyTorch keeps its tensors' memory in its own caching allocator for the same
reason.

    with training_allocator():
        ...train...

sets glibc's mmap threshold to MMAP_DURING (blocks below it come from the
heap) and its trim threshold to TRIM (the heap keeps up to that much free
memory at its top). On exit it sets both to the app's values (MMAP_AFTER,
glibc's starting 128 KiB, and TRIM_AFTER; the lesson screen fixes the same,
tutor/malloc.py) and hands the freed memory back with malloc_trim: the
training's heap, tens of MB, would otherwise stay with the process under
every later scene (a walk through every lesson peaked 11 MB higher).
Elsewhere than glibc it does nothing.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import cache

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_DURING = 8 * 1024 * 1024
MMAP_AFTER = 128 * 1024
TRIM = 32 * 1024 * 1024
TRIM_AFTER = 4 * 1024 * 1024


@cache
def _glibc():
    """The C library if it is glibc, else None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # glibc, not musl
        libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        libc.mallopt.restype = ctypes.c_int
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libc


def glibc_mallopt():
    """glibc's mallopt(param, value), or None where the C library is not glibc."""
    libc = _glibc()
    return None if libc is None else libc.mallopt


def give_back() -> bool:
    """Return the heap's free pages to the system (glibc's malloc_trim); True if any were."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))


def fix_thresholds(mmap: int, trim: int) -> bool:
    """Set glibc's mmap and trim thresholds for this process; True if both were set."""
    mallopt = glibc_mallopt()
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, mmap)) and bool(mallopt(M_TRIM_THRESHOLD, trim))


@contextmanager
def training_allocator():
    mallopt = glibc_mallopt()
    if mallopt is None:
        yield False
        return
    mallopt(M_TRIM_THRESHOLD, TRIM)
    mallopt(M_MMAP_THRESHOLD, MMAP_DURING)
    try:
        yield True
    finally:
        mallopt(M_MMAP_THRESHOLD, MMAP_AFTER)
        mallopt(M_TRIM_THRESHOLD, TRIM_AFTER)
        give_back()

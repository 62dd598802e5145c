"""The training allocator set-up: on glibc it applies, elsewhere it is a no-op."""
import sys

from engine.allocator import training_allocator


def test_applies_on_glibc_and_returns():
    with training_allocator() as applied:
        inside = applied
    assert inside is sys.platform.startswith("linux")

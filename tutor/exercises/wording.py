"""Helpers that write an exercise's numbers the way its question and explanation print them."""
from __future__ import annotations


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def vector(values) -> str:
    return "(" + ", ".join(f"{float(v):g}" for v in values) + ")"


def signed(v) -> str:
    """A number for a worked sum: negatives in parentheses, so '+ (−0.39)' reads."""
    return f"({float(v):g})" if v < 0 else f"{float(v):g}"

"""Sentence handling shared by every scene that reads a learner's text."""
from __future__ import annotations

from engine.tokens import MAX_TOKENS, tokenize


def sentence_tokens(sentence: str) -> tuple[list[str], str]:
    """Tokens of a sentence, capped at MAX_TOKENS, and a note when cut or empty."""
    tokens = tokenize(sentence)
    if not tokens:
        return [], "The sentence has no words yet: press e to type one."
    if len(tokens) > MAX_TOKENS:
        return tokens[:MAX_TOKENS], f"Only the first {MAX_TOKENS} of {len(tokens)} tokens are shown."
    return tokens, ""

"""Build small lesson files for tests."""
from __future__ import annotations

GOOD = """---
id: tiny
title: A tiny lesson
summary: Two steps and two cards.
order: 1
minutes: 5
---

## First step

Some text.

```scene
id: rnn_unroll
sentence: one two three
hidden: 4
```

## Second step

More text.

## Cards

```card
id: tiny.one
kind: flip
front: Question?
back: Answer.
```

```card
id: tiny.two
kind: cloze
text: The answer is {{42}}.
```
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path

# a number prediction for GOOD's rnn_unroll step (the grid of hidden states)
NUMBER_PREDICT = """```predict
kind: number
question: How many numbers will the grid hold?
measure: rnn_unroll.states
tolerance: exact
explain: Words times hidden units.
```
"""

"""Sampling a character language model: the next-character distribution as bars, then the draw.

Each drawn character costs two frames: first the model's own distribution
(temperature 1) over the characters it rates most likely, then the same bars
after temperature, top-k and top-p have reshaped it
(engine.sampling.sampling_distribution), with the drawn character
highlighted. The text so far grows in a panel above the bars.

The draws are exactly engine.sampling.sample's: one NumPy generator seeded by
`seed`, one draw per character, none at temperature 0 (greedy, the most
likely character, so the seed does not matter there). The same seed and
settings write the same text, in the scene and in the engine.

`frames_for` takes any model with start/advance (engine.language_models) and
a vocabulary, so the mechanics are tested on a small made-up model; `frames`
uses the shipped trained character model.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from engine.sampling import sampling_distribution

from tutor.frames import Bars, Frame, Lines, frozen

SHOWN = 16          # bars: the characters the model rates most likely
MAX_PROMPT = 120    # characters of the prompt read


def shown(ch: str) -> str:
    """A character as a bar label or in running text: visible, never a control character."""
    return {" ": "␣", "\n": "↵", "\t": "→"}.get(ch, ch if ch.isprintable() else "�")


def _in_text(text: str) -> str:
    return "".join(shown(c) if not c.isprintable() or c in "\n\t" else c for c in text)


def read_known(text: str, chars: tuple[str, ...], limit: int, what: str = "") -> tuple[str, list[str]]:
    """Text a character model can read: cut to `limit` characters, characters it never saw left
    out, and a note for the learner about each (`what` names the text: " of the prompt")."""
    notes = []
    if len(text) > limit:
        notes.append(f"Only the first {limit} characters{what} are read.")
        text = text[:limit]
    unknown = sorted(set(text) - set(chars))
    if unknown:
        notes.append(f"Left out, never in the training text: {_in_text(''.join(unknown))[:20]}.")
        text = "".join(c for c in text if c in chars)
    return text, notes


def read_prompt(prompt: str, chars: tuple[str, ...]) -> tuple[str, list[str]]:
    """The prompt the model reads (cut, unknown characters left out) and what to tell the learner."""
    prompt, notes = read_known(prompt, chars, MAX_PROMPT, " of the prompt")
    if not prompt:
        start = "\n" if "\n" in chars else chars[0]
        notes.append(f"No prompt to read (type one with e): the model starts after {shown(start)!r}.")
        prompt = start
    return prompt, notes


def frames_for(model, chars: tuple[str, ...], prompt: str, temperature: float, top_k: int, top_p: float,
               seed: int, length: int, model_name: str = "model") -> Iterator[Frame]:
    prompt, notes = read_prompt(prompt, chars)
    index = {c: i for i, c in enumerate(chars)}
    rng = np.random.default_rng(seed)
    rule = _rule(temperature, top_k, top_p)
    log_probs, state = model.start(np.array([index[c] for c in prompt], dtype=np.int64))
    text = prompt
    for i in range(length):
        p = np.exp(log_probs - log_probs.max())
        p /= p.sum()
        q = sampling_distribution(p, temperature, top_k or None, top_p if top_p < 1.0 else None)
        token = int(np.argmax(q)) if temperature == 0 else int(rng.choice(len(q), p=q))
        top = np.argsort(-p, kind="stable")[:SHOWN]
        if token not in top:                              # the drawn character is always on screen
            top = np.append(top[:-1], token)
        labels = tuple(shown(chars[j]) for j in top)
        vmax = float(max(p[top].max(), q[top].max()))
        before = Bars(f"{model_name}: the next character, temperature 1", labels, frozen(p[top]), 0.0, vmax,
                      fmt="{:.3f}")
        lead = " ".join(notes) + " " if i == 0 and notes else ""
        yield Frame((_text(prompt, text, False), before),
                    f"{lead}Character {i + 1} of {length}. After \"…{_in_text(text[-24:])}\" the model's "
                    f"favourite is {labels[0]!r} at {p[top[0]]:.3f}. Next: {rule}.", step=2 * i, final=False)
        kept = int(np.count_nonzero(q))
        after = Bars(f"after {rule}: {kept} of {len(chars)} kept", labels, frozen(q[top]), 0.0, vmax,
                     fmt="{:.3f}", highlight=int(np.flatnonzero(top == token)[0]))
        text += chars[token]
        last = i == length - 1
        yield Frame((_text(prompt, text, True), after),
                    _caption(chars[token], p[token], q[token], kept, seed, temperature, last, length),
                    step=2 * i + 1, final=last)
        if not last:
            log_probs, state = model.advance(state, token)


def frames(prompt: str, temperature: float, top_k: int, top_p: float, seed: int, length: int,
           architecture: str = "lstm", model: str = "trained") -> Iterator[Frame]:
    from tutor.scenes.lm_weights import shipped_lm

    lm = shipped_lm(architecture, model == "trained")
    yield from frames_for(lm.model, lm.chars, prompt, temperature, top_k, top_p, seed, length, lm.label)


def _rule(temperature: float, top_k: int, top_p: float) -> str:
    if temperature <= 0:
        return "temperature 0 (greedy)"
    parts = [f"temperature {temperature:g}"]
    if top_k:
        parts.append(f"top_k {top_k}")
    if top_p < 1.0:
        parts.append(f"top_p {top_p:g}")
    return ", ".join(parts)


def _text(prompt: str, text: str, mark_last: bool) -> Lines:
    spans = [(_in_text(prompt), "dim")]
    written = _in_text(text[len(prompt):])
    if mark_last and written:
        spans += [(written[:-1], ""), (written[-1], "accent")]
    elif written:
        spans.append((written, ""))
    return Lines("the text so far (the prompt dimmed)", (tuple(spans),))


def _caption(ch, p, q, kept, seed, temperature, last, length) -> str:
    how = ("Greedy: the most likely character, whatever the seed." if temperature <= 0 else
           f"Drawn with seed {seed} from the {kept} character{'s' if kept != 1 else ''} kept.")
    text = f"Drew {shown(ch)!r}: the model gave it {p:.3f}, the reshaped distribution {q:.3f}. {how}"
    if last:
        text += f" {length} characters written; the same seed and settings write the same text again."
    return text

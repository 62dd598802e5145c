"""sampling: the next-character distribution as bars, reshaped by temperature, top-k and top-p, then the draw.

The mechanics run on a small made-up model (`StandIn`): its log-probabilities
depend on the last character, so a sampled text is a real chain of draws.
The scene's text must be exactly what engine.sampling.sample writes.
"""
import numpy as np
import pytest

from engine.sampling import sample, sampling_distribution
from tutor.frames import Bars, Lines
from tutor.scenes import sampling as sm

from .test_attention_common import render_frame

CHARS = ("a", "b", "c", " ", "\n", "d")


class StandIn:
    """log p(next) favours the character after the last one (cyclically), with a tail."""

    def _log_probs(self, last: int) -> np.ndarray:
        z = np.roll(np.array([0.0, -0.5, -1.0, -1.5, -3.0, -2.0]), last + 1)
        return z - np.log(np.exp(z).sum())

    def start(self, ids):
        return self._log_probs(int(ids[-1])), int(ids[-1])

    def advance(self, state, token):
        return self._log_probs(token), token


def frames(**kw):
    params = dict(prompt="a", temperature=1.0, top_k=0, top_p=1.0, seed=0, length=12)
    params.update(kw)
    return list(sm.frames_for(StandIn(), CHARS, **params))


def written(frame_list) -> str:
    return "".join(text for text, _ in frame_list[-1].panels[0].lines[0][1:])


def engine_text(n, prompt="a", **kw) -> str:
    ids = sample(StandIn(), [CHARS.index(c) for c in prompt], n, **kw)
    return "".join(sm.shown(CHARS[i]) if CHARS[i] == "\n" else CHARS[i] for i in ids)


def test_temperature_zero_is_greedy_and_ignores_the_seed():
    texts = {written(frames(temperature=0.0, seed=s)) for s in range(6)}
    assert texts == {engine_text(12, temperature=0.0, seed=99)}
    text = "a"
    for ch in next(iter(texts)).replace("↵", "\n"):         # every character is the argmax
        assert ch == CHARS[int(np.argmax(StandIn().start([CHARS.index(text[-1])])[0]))]
        text += ch


@pytest.mark.parametrize("settings", [dict(temperature=1.0), dict(temperature=0.7, top_k=3),
                                      dict(temperature=1.5, top_p=0.8)])
def test_the_same_seed_gives_the_engines_sample_and_seeds_differ(settings):
    scene = {k: v for k, v in settings.items()}
    a = written(frames(seed=7, length=40, **scene))
    assert a == written(frames(seed=7, length=40, **scene))
    assert a == engine_text(40, seed=7, temperature=settings["temperature"], top_k=settings.get("top_k"),
                            top_p=settings.get("top_p"))
    assert len({written(frames(seed=s, length=40, **scene)) for s in range(5)}) > 1


def test_frames_show_the_distribution_then_the_draw():
    out = frames(top_k=3, length=5, seed=2)
    assert len(out) == 10 and [f.final for f in out] == [False] * 9 + [True]
    before, after = out[0].panels[1], out[1].panels[1]
    assert isinstance(before, Bars) and isinstance(after, Bars) and isinstance(out[1].panels[0], Lines)
    assert before.highlight is None and after.highlight is not None
    assert before.labels == after.labels and "␣" in before.labels and "↵" in before.labels
    np.testing.assert_allclose(before.values.sum(), 1.0)   # all six characters fit the bars
    p = np.exp(StandIn().start([0])[0])
    np.testing.assert_allclose(sorted(after.values, reverse=True), sorted(sampling_distribution(p, 1.0, 3),
                                                                          reverse=True))
    assert np.count_nonzero(after.values) == 3 and "3 of 6 kept" in after.title
    assert out[1].caption.startswith(f"Drew {after.labels[after.highlight]!r}")
    assert "same seed and settings write the same text" in out[-1].caption
    for frame in out:
        text = render_frame(frame)
        assert "\x1b" not in text and "\n" not in frame.caption


@pytest.mark.parametrize("temperature, expect", [(0.0, "temperature 0 (greedy)"), (0.7, "temperature 0.7")])
def test_caption_names_the_rule(temperature, expect):
    out = frames(temperature=temperature, length=1)
    assert expect in out[0].caption
    assert ("whatever the seed" in out[1].caption) == (temperature == 0.0)


def test_prompts_that_cannot_be_read_as_typed_say_so():
    assert sm.read_prompt("", CHARS) == ("\n", ["No prompt to read (type one with e): the model starts after '↵'."])
    assert sm.read_prompt("abz", CHARS) == ("ab", ["Left out, never in the training text: z."])
    long, notes = sm.read_prompt("ab" * 100, CHARS)
    assert len(long) == sm.MAX_PROMPT and notes == [f"Only the first {sm.MAX_PROMPT} characters of the prompt are read."]
    assert frames(prompt="zz")[0].caption.startswith("Left out")

"""Greedy decoding and beam search over any model's next-token distribution.

A model hands the decoder a function `log_probs(prefix) -> (N, V)`: given N
prefixes as ids (t, N), each starting with BOS, the log-probabilities of the
token that comes next (Transformer.next_token_log_probs and friends build one).
A recurrent model's function also has `steps(N) -> step`, an incremental
decoder: step(tokens (N,)) feeds each sequence its next input token (BOS
first) and returns (N, V) for the token after it, the decoder's state carried
between calls. Greedy decoding uses it when it is there: one decoder step per
output token instead of the whole prefix again (quadratic in length).

Beam search keeps the `beam_width` best partial translations by total
log-probability; a hypothesis ends at EOS and is then ranked by its
length-normalised score, score / length^α. The whole search tree is returned,
pruned branches included, for the beam-search scene.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .seq_tasks import BOS, EOS, PAD

LogProbs = Callable[[np.ndarray], np.ndarray]
Step = Callable[[np.ndarray], np.ndarray]  # tokens (N,) -> (N, V), stateful


@dataclass(frozen=True)
class GreedyResult:
    tokens: np.ndarray     # (T, N) the chosen ids, EOS included, PAD after it
    log_probs: np.ndarray  # (T, N, V) the distribution each choice was taken from
    eos: int = EOS

    def sequences(self) -> list[list[int]]:
        """Each column's tokens before its EOS."""
        out = []
        for column in self.tokens.T:
            ends = np.flatnonzero(column == self.eos)
            out.append([int(i) for i in column[:ends[0] if len(ends) else len(column)]])
        return out


def greedy_decode(log_probs: LogProbs, batch_size: int, max_len: int,
                  bos: int = BOS, eos: int = EOS, pad: int = PAD, incremental: bool = True) -> GreedyResult:
    """Take the most likely token at every step, for batch_size prefixes at once.

    With incremental (and log_probs.steps there) each step runs the decoder once;
    otherwise the whole prefix is decoded again at every step. Same tokens either way."""
    steps = getattr(log_probs, "steps", None) if incremental else None
    step = steps(batch_size) if steps is not None else _full_prefix(log_probs)
    return greedy_decode_steps(step, batch_size, max_len, bos, eos, pad)


def _full_prefix(log_probs: LogProbs) -> Step:
    """A step function that keeps the prefix and hands all of it to log_probs each time."""
    prefix: list[np.ndarray] = []

    def step(tokens: np.ndarray) -> np.ndarray:
        prefix.append(tokens)
        return log_probs(np.array(prefix))  # (t, N)

    return step


def greedy_decode_steps(step: Step, batch_size: int, max_len: int,
                        bos: int = BOS, eos: int = EOS, pad: int = PAD) -> GreedyResult:
    """Greedy decoding with an incremental decoder: `step` is called once per output token
    (first with BOS); a finished column is fed PAD, and decoding stops when all are done."""
    token = np.full(batch_size, bos)
    done = np.zeros(batch_size, dtype=bool)
    chosen, dists = [], []
    for _ in range(max_len):
        lp = step(token)  # (N, V)
        token = np.where(done, pad, lp.argmax(axis=-1))
        chosen.append(token)
        dists.append(lp)
        done |= token == eos
        if done.all():
            break
    return GreedyResult(np.array(chosen), np.array(dists), eos)


@dataclass(frozen=True)
class BeamNode:
    """One expanded token in the search tree."""
    id: int
    parent: int        # -1 for the root (BOS)
    token: int
    depth: int         # tokens after BOS
    log_prob: float    # log p(token | the parent's prefix)
    score: float       # total log-probability of the path
    normalized: float  # score / depth^α (the root: 0)
    status: str        # "root", "kept" (in the beam), "pruned", "finished" (ended at EOS)


@dataclass(frozen=True)
class Hypothesis:
    tokens: tuple[int, ...]  # without BOS and EOS
    score: float
    normalized: float
    node: int                # its last node in the tree
    finished: bool           # ended with EOS (False: cut at max_len)


@dataclass(frozen=True)
class BeamSearchResult:
    nodes: tuple[BeamNode, ...]          # the tree; nodes[0] is the root
    beams: tuple[tuple[int, ...], ...]   # node ids kept after each step
    hypotheses: tuple[Hypothesis, ...]   # best first, by normalised score
    beam_width: int
    alpha: float

    @property
    def best(self) -> Hypothesis:
        return self.hypotheses[0]

    def path(self, node: int) -> list[int]:
        """Node ids from the root to `node`."""
        return _path(self.nodes, node)

    def children(self, node: int) -> list[BeamNode]:
        return [n for n in self.nodes if n.parent == node]


def beam_search(log_probs: LogProbs, beam_width: int, max_len: int, alpha: float = 0.75,
                bos: int = BOS, eos: int = EOS) -> BeamSearchResult:
    """Beam search for one source. Each step expands every beam by its beam_width
    most likely tokens and keeps the beam_width best candidates by total score;
    a kept candidate that is EOS finishes (and the beam narrows)."""
    nodes = [BeamNode(0, -1, bos, 0, 0.0, 0.0, 0.0, "root")]
    alive, beams, done = [0], [], []
    for depth in range(1, max_len + 1):
        prefixes = np.array([[nodes[i].token for i in _path(nodes, a)] for a in alive]).T  # (t, k)
        lp = log_probs(prefixes)  # (k, V)
        candidates = []
        for row, parent in enumerate(alive):
            for token in np.argsort(-lp[row], kind="stable")[:beam_width]:
                score = nodes[parent].score + float(lp[row, token])
                node = BeamNode(len(nodes), parent, int(token), depth, float(lp[row, token]),
                                score, score / depth ** alpha, "pruned")
                nodes.append(node)
                candidates.append(node)
        candidates.sort(key=lambda n: -n.score)
        alive = []
        for node in candidates[:beam_width]:
            finished = node.token == eos
            nodes[node.id] = replace(node, status="finished" if finished else "kept")
            (done if finished else alive).append(node.id)
        beams.append(tuple(alive))
        if not alive:
            break
    hyps = [_hypothesis(nodes, i, True) for i in done] + [_hypothesis(nodes, i, False) for i in alive]
    hyps.sort(key=lambda h: -h.normalized)
    return BeamSearchResult(tuple(nodes), tuple(beams), tuple(hyps), beam_width, alpha)


def _path(nodes, node: int) -> list[int]:
    ids = []
    while node >= 0:
        ids.append(node)
        node = nodes[node].parent
    return ids[::-1]


def _hypothesis(nodes, node: int, finished: bool) -> Hypothesis:
    path = _path(nodes, node)[1:]  # without the root
    tokens = tuple(nodes[i].token for i in (path[:-1] if finished else path))
    n = nodes[node]
    return Hypothesis(tokens, n.score, n.normalized, node, finished)

"""Greedy decoding and beam search on the trained phrase Transformer.

Both decoders run over the model's own next-token log-probabilities
(Transformer.next_token_log_probs): engine.decode.greedy_decode and
engine.decode.beam_search, which returns the whole search tree. The tree is
drawn one depth per frame as indented lines: each kept or finished node on
its own line, with its total log-probability, and the candidates pruned from
it listed after it. A tree longer than TREE_ROWS lines is cut into several
panels, each short enough to read whole on a 24-line terminal. Beside it, the greedy path; below, a table of greedy
against the beam's hypotheses, ranked by score / length^α.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine.decode import BeamNode, BeamSearchResult, GreedyResult, beam_search, greedy_decode
from engine.recipes.phrases import load_phrase_transformer
from engine.seq_tasks import EOS

from tutor.frames import Frame, Lines, Table
from .translation_common import max_output, no_phrase, read_phrase, with_note

KEPT, FINISHED, BEST, PRUNED = "✓", "■", "★", "✗"
SHOWN = 3            # beam hypotheses listed in the table (at least; the beam width if wider)
TREE_ROWS = 14       # lines of the tree per panel: a whole panel fits a maximised 80×24 scene


@dataclass(frozen=True)
class Greedy:
    """The greedy path: per step the chosen token, its log-prob, and the runner-up it beat."""
    tokens: tuple[int, ...]     # EOS included when it ended
    log_probs: tuple[float, ...]
    runner_up: tuple[tuple[int, float], ...]
    alpha: float

    @property
    def score(self) -> float:
        return float(sum(self.log_probs))

    @property
    def normalized(self) -> float:
        """score / length^α, the length counting <eos> (as beam_search does)."""
        return self.score / len(self.tokens) ** self.alpha

    @property
    def words(self) -> tuple[int, ...]:
        return self.tokens[:-1] if self.tokens and self.tokens[-1] == EOS else self.tokens


def greedy_path(result: GreedyResult, alpha: float) -> Greedy:
    tokens, lps, runners = [], [], []
    for t in range(result.tokens.shape[0]):
        token, lp = int(result.tokens[t, 0]), result.log_probs[t, 0]      # lp (V,)
        second = int(np.argsort(-lp, kind="stable")[1])
        tokens.append(token)
        lps.append(float(lp[token]))
        runners.append((second, float(lp[second])))
        if token == EOS:
            break
    return Greedy(tuple(tokens), tuple(lps), tuple(runners), alpha)


def run(phrase: str, beam: int, alpha: float):
    """(phrase, beam search result, greedy path, target words, length limit); None results for no words."""
    model, phrases, _ = load_phrase_transformer()
    p = read_phrase(phrase, phrases, max_tokens=model.config.max_len)
    vocab = phrases.tgt_vocab.tokens
    if not p.words:
        return p, None, None, vocab, 0
    log_probs = model.next_token_log_probs(p.ids[:, None])
    max_len = max_output(len(p.ids), model)
    result = beam_search(log_probs, beam, max_len, alpha=alpha)
    greedy = greedy_path(greedy_decode(log_probs, 1, max_len), alpha)
    return p, result, greedy, vocab, max_len


def frames(phrase: str, beam: int, alpha: float) -> Iterator[Frame]:
    p, result, greedy, vocab, max_len = run(phrase, beam, alpha)
    if result is None:
        yield no_phrase(p.note)
        return
    depth = len(result.beams)
    for d in range(1, depth + 1):
        final = d == depth
        shown = len(greedy.tokens) if final else d      # greedy may run longer than the search
        panels = (*tree_panels(tree_lines(result, vocab, d, final)), greedy_lines(greedy, vocab, shown),
                  compare_table(result, greedy, vocab, shown, final))
        caption = final_caption(result, greedy, vocab, max_len) if final else depth_caption(result, vocab, d)
        yield Frame(panels, with_note(caption, p.note), step=d - 1)


# -- the tree ---------------------------------------------------------------------------

def word(vocab, token: int) -> str:
    return vocab[token]


def sentence(vocab, tokens) -> str:
    return " ".join(vocab[t] for t in tokens) or "(nothing)"


def said(vocab, tokens) -> str:
    """A sentence quoted for a caption; an empty one named as such."""
    return repr(sentence(vocab, tokens)) if len(tokens) else "nothing (<eos> first)"


def tree_lines(result: BeamSearchResult, vocab, depth: int, final: bool) -> Lines:
    """The tree down to `depth`: kept and finished nodes as lines, pruned candidates after their parent."""
    children: dict[int, list[BeamNode]] = {}
    for node in result.nodes[1:]:
        if node.depth <= depth:
            children.setdefault(node.parent, []).append(node)
    best = set(result.path(result.best.node)) if final else set()
    lines: list[tuple[tuple[str, str], ...]] = []

    def visit(node: BeamNode, prefix: str, glyph: str) -> None:
        kids = sorted(children.get(node.id, []), key=lambda n: -n.score)
        alive = [k for k in kids if k.status != "pruned"]
        pruned = [k for k in kids if k.status == "pruned"]
        lines.append(_node_spans(node, vocab, prefix + glyph, node.id in best, pruned))
        for i, kid in enumerate(alive):
            last = i == len(alive) - 1
            visit(kid, prefix + ("" if node.status == "root" else ("  " if glyph == "└ " else "│ ")),
                  "└ " if last else "├ ")

    visit(result.nodes[0], "", "")
    title = (f"beam {result.beam_width}: {KEPT} kept {FINISHED} finished {PRUNED} pruned"
             + (f" {BEST} best" if final else "") + "; numbers = total log-prob")
    return Lines(title, tuple(lines))


def tree_panels(tree: Lines, rows: int = TREE_ROWS) -> tuple[Lines, ...]:
    """The tree as whole panels of at most `rows` lines, titled with the lines each holds."""
    if len(tree.lines) <= rows:
        return (tree,)
    parts = []
    for start in range(0, len(tree.lines), rows):
        chunk = tree.lines[start:start + rows]
        part = f"lines {start + 1}–{start + len(chunk)} of {len(tree.lines)}"
        parts.append(Lines(f"{tree.title} ({part})" if start == 0 else f"search tree, {part}", chunk))
    return tuple(parts)


def _node_spans(node: BeamNode, vocab, prefix: str, on_best: bool,
                pruned: list[BeamNode]) -> tuple[tuple[str, str], ...]:
    spans: list[tuple[str, str]] = [(prefix, "dim")]
    role = "accent" if on_best else "good"
    if node.status == "root":
        spans.append(("<bos>", "accent" if on_best else "bold"))
    else:
        spans += [(word(vocab, node.token), role), (f" {node.score:.3g} ", "dim")]
        if node.status == "finished":
            spans.append((f"{FINISHED} end, normalised {node.normalized:.3g}", role))
        else:
            spans.append((KEPT, role))
        if on_best and node.status == "finished":
            spans.append((f" {BEST} best", "accent"))
    if pruned:
        spans.append(("   " + PRUNED + " ", "bad"))
        spans.append((", ".join(f"{word(vocab, n.token)} {n.score:.3g}" for n in pruned), "bad"))
    return tuple(spans)


# -- greedy and the comparison ---------------------------------------------------------

def greedy_lines(greedy: Greedy, vocab, depth: int) -> Lines:
    lines = []
    total = 0.0
    pad = max((len(word(vocab, t)) for t in greedy.tokens), default=0)
    for t, (token, lp, (second, lp2)) in enumerate(zip(greedy.tokens, greedy.log_probs, greedy.runner_up)):
        if t >= depth:
            break
        total += lp
        lines.append(((f"{t + 1:>2} ", "dim"), (word(vocab, token).ljust(pad), "good"),
                      (f"  log p {lp:.3g}, total {total:.3g}", ""),
                      (f"   beat {word(vocab, second)} {lp2:.3g}", "dim")))
    return Lines("greedy: the most likely token at each step", tuple(lines))


def compare_table(result: BeamSearchResult, greedy: Greedy, vocab, depth: int, final: bool) -> Table:
    """Greedy (once it has run `depth` steps) and the beam's hypotheses (finished by `depth`; all when final)."""
    alpha = result.alpha
    rows = []
    if len(greedy.tokens) <= depth:
        rows.append(("greedy", sentence(vocab, greedy.words), str(len(greedy.tokens)),
                     f"{greedy.score:.4f}", f"{greedy.normalized:.4f}"))
    else:
        rows.append(("greedy", "…", "", "", ""))
    hyps = result.hypotheses if final else sorted(
        (h for h in result.hypotheses if h.finished and result.nodes[h.node].depth <= depth),
        key=lambda h: -h.normalized)
    shown = max(result.beam_width, SHOWN)
    for rank, h in enumerate(hyps[:shown], 1):
        length = result.nodes[h.node].depth
        rows.append((f"beam #{rank}", sentence(vocab, h.tokens) + ("" if h.finished else " (cut)"),
                     str(length), f"{h.score:.4f}", f"{h.normalized:.4f}"))
    if len(hyps) > shown:
        rows.append((f"+{len(hyps) - shown} more", "", "", "", ""))
    return Table(f"greedy vs beam: normalised = log-prob / length^{alpha:g}",
                 ("decoder", "sentence", "length", "log-prob", "normalised"), tuple(rows),
                 highlight_row=1 if final and hyps else None)


# -- captions ---------------------------------------------------------------------------

def depth_caption(result: BeamSearchResult, vocab, d: int) -> str:
    candidates = [n for n in result.nodes if n.depth == d]
    parents = len({n.parent for n in candidates})
    kept = [result.nodes[i] for i in result.beams[d - 1]]
    finished = [n for n in candidates if n.status == "finished"]
    beams = "1 beam × its" if parents == 1 else f"{parents} beams × their"
    tops = f"top {result.beam_width} tokens" if result.beam_width > 1 else "top token"
    count = len(candidates)
    text = (f"Step {d}: {beams} {tops} = {count} candidate{'s' if count != 1 else ''} "
            f"(no other token could make the cut); "
            f"the {result.beam_width} best by total log-prob survive")
    if kept:
        text += ": " + ", ".join(f"{sentence(vocab, _tokens(result, n))!r} {n.score:.3g}" for n in kept)
    if finished:
        text += "; finished: " + ", ".join(
            f"{said(vocab, _tokens(result, n)[:-1])} (normalised {n.normalized:.3g})" for n in finished)
    pruned = len(candidates) - len(kept) - len(finished)
    return text + f"; {pruned} pruned."


def _tokens(result: BeamSearchResult, node: BeamNode) -> list[int]:
    return [result.nodes[i].token for i in result.path(node.id)[1:]]


def final_caption(result: BeamSearchResult, greedy: Greedy, vocab, max_len: int) -> str:
    best, alpha = result.best, result.alpha
    length = result.nodes[best.node].depth
    text = (f"Beam {result.beam_width}, α {alpha:g}: best {said(vocab, best.tokens)}, log-prob "
            f"{best.score:.4f}, normalised {best.score:.4f}/{length}^{alpha:g} = {best.normalized:.4f} "
            f"({length} token{'s' if length != 1 else ''} with <eos>). ")
    if list(best.tokens) == list(greedy.words):
        text += "Greedy wrote the same sentence"
        text += (": with one candidate per step, beam search is greedy, step for step. "
                 if result.beam_width == 1 else ": the wider search did not change the answer here. ")
    else:
        verdict = ("the beam's sentence scores higher" if best.normalized > greedy.normalized
                   else "greedy's sentence scores higher: a beam keeps the best prefixes, not every path")
        text += (f"Greedy wrote {said(vocab, greedy.words)} instead: log-prob {greedy.score:.4f}, normalised "
                 f"{greedy.normalized:.4f} against the beam's {best.normalized:.4f}; {verdict}. ")
    prefixes = 1 + sum(len(kept) for kept in result.beams[:-1])     # <bos> at step 1, then the kept ones
    text += (f"{prefixes * len(vocab):,} candidates scored over {len(result.beams)} steps ({prefixes} prefixes × "
             f"{len(vocab)} tokens; the tree shows each one's top {result.beam_width}), greedy's "
             f"{len(greedy.tokens) * len(vocab):,}. ")
    if len(result.hypotheses) > 1 and alpha != 0:
        raw = max(result.hypotheses, key=lambda h: h.score)
        if raw is best:
            runner = sorted(result.hypotheses, key=lambda h: -h.score)[1]
            text += (f"By raw log-prob (α = 0) the winner is the same: it leads "
                     f"{said(vocab, runner.tokens)} by {best.score - runner.score:.2f}.")
        else:
            text += (f"By raw log-prob (α = 0) {said(vocab, raw.tokens)} ({raw.score:.4f}) would win: "
                     f"α changes the winner here.")
    if not best.finished:
        text += f" The best hypothesis was cut at the length limit of {max_len} tokens."
    return text

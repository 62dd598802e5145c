"""The four shipped character language models: their recipes, files and checks.

One recipe family (engine.lm_train.LMRecipe: Adam, gradient-norm clipping at
1.0, linear warm-up) trains an RNN, an LSTM, a GRU and a decoder-only
Transformer of comparable parameter count on the shipped corpus
(engine/data/everyday_prose.txt, original prose; the last 10% held out).
Each file engine/weights/lm_<kind>.npz holds float16 parameters and a JSON
`meta`: the config, the vocabulary, the recipe, the data split, the held-out
bits per character, the unigram baseline on the same split, the parameter
count and the training seconds.

    python -m engine.recipes.language_models rnn     # retrain one, overwrite its file
    python -m engine.recipes.language_models --check # one line per model, exit 1 if one falls short

The check measures held-out bits per character again from the shipped
weights; the bar is the unigram model's bits per character minus MARGIN.
"""
from __future__ import annotations

import os

if __name__ == "__main__":  # one BLAS thread, before numpy loads
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from dataclasses import asdict  # noqa: E402
from pathlib import Path  # noqa: E402

from ..charlm import CORPUS_FILE, HELDOUT, Corpus, bits_per_char, load_corpus, unigram_bits  # noqa: E402
from ..language_models import KINDS, load_lm, save_lm  # noqa: E402
from ..lm_train import LMRecipe, train_lm  # noqa: E402

WEIGHTS = Path(__file__).resolve().parent.parent / "weights"
MARGIN = 1.0  # bits per character below the unigram model that a shipped model must reach

RECIPES = {
    "rnn": LMRecipe(steps=2000, lr=3e-3, size="small", context=64, batch_size=32, seed=0),
    "lstm": LMRecipe(steps=2000, lr=3e-3, size="small", context=64, batch_size=32, seed=0),
    "gru": LMRecipe(steps=2000, lr=3e-3, size="small", context=64, batch_size=32, seed=0),
    "transformer": LMRecipe(steps=2000, lr=2e-3, size="small", context=64, batch_size=32, seed=0),
}


def weights_file(kind: str) -> Path:
    return WEIGHTS / f"lm_{kind}.npz"


def shipped_corpus() -> Corpus:
    return Corpus.from_text(load_corpus(), heldout=HELDOUT)


def pretrain(kind: str, out: Path | None = None, verbose: bool = True) -> dict:
    """Train `kind` from its recipe on the shipped corpus and write its file. Returns the meta."""
    recipe = RECIPES[kind]
    corpus = shipped_corpus()
    model, losses, seconds = train_lm(kind, corpus, recipe)
    bits = bits_per_char(model, corpus.heldout, recipe.context)
    meta = {
        "recipe": asdict(recipe),
        "data": {"file": CORPUS_FILE.name, "chars": len(corpus.train) + len(corpus.heldout),
                 "heldout": f"last {HELDOUT:.0%}", "train_chars": len(corpus.train),
                 "heldout_chars": len(corpus.heldout)},
        "heldout_bits_per_char": round(bits, 4),
        "unigram_bits_per_char": round(unigram_bits(corpus), 4),
        "parameters": model.num_parameters(),
        "train_seconds": round(seconds, 1),
        "final_loss_bits": round(sum(losses[-50:]) / min(50, len(losses)) / 0.6931471805599453, 4),
    }
    save_lm(out or weights_file(kind), model, corpus.vocab.chars, meta)
    if verbose:
        print(f"{kind}: {meta['parameters']} parameters, {seconds:.0f} s, "
              f"held-out {bits:.3f} bits/char (unigram {meta['unigram_bits_per_char']:.3f})")
    return meta


def load(kind: str):
    """(model, CharVocab, meta) of the shipped model of `kind`."""
    from ..charlm import CharVocab
    model, chars, meta = load_lm(weights_file(kind))
    return model, CharVocab(chars), meta


def check(kind: str) -> tuple[bool, str]:
    """Measure the shipped model's held-out bits per character; (ok, one line)."""
    model, vocab, meta = load(kind)
    corpus = Corpus.from_text(load_corpus(), vocab=vocab)
    bits = bits_per_char(model, corpus.heldout, meta["recipe"]["context"])
    bar = unigram_bits(corpus) - MARGIN
    ok = bits <= bar
    line = (f"lm_{kind:<12} held-out bits/char  {bits:.3f}  bar ≤ {bar:.3f} "
            f"(unigram − {MARGIN:g})  {'ok' if ok else 'FALLS SHORT'}")
    return ok, line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.recipes.language_models",
                                     description="Retrain a shipped character language model, or check them all.")
    parser.add_argument("kinds", nargs="*", choices=[[], *KINDS], metavar="KIND",
                        help=f"retrain and overwrite these ({', '.join(KINDS)})")
    parser.add_argument("--check", action="store_true", help="measure every shipped model; never writes")
    args = parser.parse_args(argv)
    if args.check or not args.kinds:
        results = [check(k) for k in KINDS]
        for _, line in results:
            print(line)
        return 0 if all(ok for ok, _ in results) else 1
    for kind in args.kinds:
        pretrain(kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Retrain or check the engine's shipped models (the zoo, engine/zoo.py).

    python -m engine.pretrain --list          # the models, one a line
    python -m engine.pretrain --check         # measure every shipped model; writes nothing
    python -m engine.pretrain --check NAME..  # only those
    python -m engine.pretrain NAME [NAME ...] # retrain those from their recipes, overwrite their weights

--check loads each shipped model and measures its phenomenon on held-out data,
printing one line per model: its name, each metric with its value and bar,
then `ok` or `FALLS SHORT`; it exits 1 if any model falls short. Retraining
prints each model's meta summary; it reproduces the stated figures (each
file's meta), not the exact bytes. With no arguments the script prints its
usage and exits 2; an unknown name or option is refused in one line (exit 2).
Nothing is written except by naming a model to retrain.

Training runs on one BLAS thread (set before NumPy loads).
"""
from __future__ import annotations

import argparse
import os
import sys

USAGE = "python -m engine.pretrain [--list | --check [NAME ...] | NAME [NAME ...]]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"engine.pretrain: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m engine.pretrain", usage=USAGE,
                description="Retrain (by name) or check the engine's shipped models.")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="models to retrain; their weights in engine/weights are overwritten")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the models and exit")
    mode.add_argument("--check", action="store_true",
                      help="load every shipped model (or the NAMEs) and measure its phenomenon on "
                           "held-out data; one line per model with `ok` or `FALLS SHORT`; "
                           "exit 1 if any falls short; never writes")
    return p


def _check(names: list[str]) -> int:
    from .zoo import get
    failed = 0
    for name in names:
        try:
            results = get(name).measure()
        except (OSError, ValueError, KeyError) as err:
            print(f"{name}: cannot load: {err}  FALLS SHORT", flush=True)
            failed += 1
            continue
        ok = all(m.ok for m in results)
        failed += not ok
        print(f"{name}: {'; '.join(m.describe() for m in results)}  {'ok' if ok else 'FALLS SHORT'}",
              flush=True)
    return 1 if failed else 0


def _retrain(names: list[str]) -> int:
    from .zoo import get
    keys = ("seed", "accuracy", "train_seconds", "results")
    for name in names:
        meta = get(name).retrain()
        print(f"{name}: {({k: meta[k] for k in keys if k in meta})}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (args.names or args.list or args.check):
        print(f"usage: {USAGE}\n(--help explains; nothing was done)")
        return 2
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # before NumPy loads, below
    from .zoo import models
    known = models()
    unknown = [n for n in args.names if n not in known]
    if unknown:
        print(f"engine.pretrain: unknown model {unknown[0]!r}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    if args.list:
        if args.names:
            print("engine.pretrain: --list takes no names", file=sys.stderr)
            return 2
        for model in known.values():
            print(f"{model.name}: {model.summary}")
        return 0
    if args.check:
        return _check(args.names or list(known))
    return _retrain(args.names)


if __name__ == "__main__":
    sys.exit(main())

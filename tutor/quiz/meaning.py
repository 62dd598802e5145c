"""Two typed formulas compared by meaning: `W_y*h_t` is `W_y·h_t`, `-infinity` is `−∞`.

Both are read by tutor/quiz/formula.py into trees, and the trees are equal
when they give the same value at random points. Each symbol gets a value
derived from its name (a seeded generator, the same on both sides): a symbol
that starts with a capital letter is a random 3×3 matrix, any other symbol a
random positive scalar. So sums may be reordered, scalars commute, and `2x`,
`2*x` and `2·x` agree, while `Wᵀh` is not `Wh` and `KQᵀ` is not `QKᵀ`.
"""
from __future__ import annotations

import unicodedata
import zlib

import numpy as np

from .formula import NAMES, FormulaError, fold_scripts, parse, symbols, tokenize

MAX_POWER = 16          # |integer exponent| allowed on a matrix
SIZE = 3                # matrices are SIZE×SIZE
TRIALS = 3


def _value(name: str, trial: int):
    rng = np.random.default_rng([zlib.crc32(name.encode()), trial])
    if name[0].isupper():
        return rng.uniform(-1.0, 1.0, size=(SIZE, SIZE))
    return float(rng.uniform(0.5, 2.0))


def _matrix(x):
    return x if isinstance(x, np.ndarray) else x * np.eye(SIZE)


def _evaluate(tree, trial: int):
    op = tree[0]
    if op == "num":
        return tree[1]
    if op == "sym":
        return _value(tree[1], trial)
    if op == "neg":
        return -_evaluate(tree[1], trial)
    if op == "T":
        inner = _evaluate(tree[1], trial)
        return inner.T if isinstance(inner, np.ndarray) else inner
    if op == "fn":
        return _function(tree[1], _evaluate(tree[2], trial))
    a, b = _evaluate(tree[1], trial), _evaluate(tree[2], trial)
    matrix = isinstance(a, np.ndarray) or isinstance(b, np.ndarray)
    if op == "+":
        return _matrix(a) + _matrix(b) if matrix else a + b
    if op == "-":
        return _matrix(a) - _matrix(b) if matrix else a - b
    if op == "*":
        return a @ b if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) else a * b
    if op == "/":
        if isinstance(b, np.ndarray):
            raise FormulaError("division by a matrix")
        return a / b
    if isinstance(b, np.ndarray):                       # "^"
        raise FormulaError("a matrix exponent")
    if isinstance(a, np.ndarray):
        if not float(b).is_integer() or abs(b) > MAX_POWER:
            raise FormulaError("a matrix power must be a small whole number")
        return np.linalg.matrix_power(a, int(b))
    return a ** b


def _function(name: str, x):
    if name in ("log", "ln"):
        return np.log(x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "softmax":
        e = np.exp(x - np.max(x))
        return e / e.sum()
    if name == "relu":
        return np.maximum(x, 0.0)
    return getattr(np, name)(x)


def _evaluations(tree) -> list | None:
    out = []
    with np.errstate(all="ignore"):
        for trial in range(TRIALS):
            try:
                value = _evaluate(tree, trial)
            except (FormulaError, ValueError, ArithmeticError, TypeError, np.linalg.LinAlgError):
                return None
            out.append(np.asarray(value, dtype=complex if np.iscomplexobj(value) else float))
    return out


def same_meaning(given: str, expected: str) -> bool:
    """Whether two formulas are equal at every random point tried; False if either is not a formula."""
    try:
        a, b = parse(given), parse(expected)
    except FormulaError:
        return False
    left, right = _evaluations(a), _evaluations(b)
    if left is None or right is None:
        return False
    constant = not symbols(a) and not symbols(b)
    for x, y in zip(left, right):
        if x.shape != y.shape:
            return False
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            if not (constant and np.array_equal(x, y)):  # ±∞ only as a constant: x^9999 is not x^99999
                return False
        elif not np.allclose(x, y, rtol=1e-9, atol=1e-12):
            return False
    return True


def is_formula(text: str) -> bool:
    """Whether an expected answer reads as a formula: it parses, and every run of letters in it
    is a known name, a single letter or capitals only (`QK`, a product of matrices), so
    `Bahdanau` or `Concat` are compared as words."""
    try:
        tokens = tokenize(text)
        parse(text)
    except FormulaError:
        return False
    t = unicodedata.normalize("NFKC", fold_scripts(text))
    runs, run = [], ""
    for ch in t + " ":
        if ch.isalpha():
            run += ch
        else:
            if run:
                runs.append(run)
            run = ""
    subscripts = {tok[1].split("_", 1)[1] for tok in tokens if tok[0] == "sym" and "_" in tok[1]}
    return all(len(r) == 1 or r.isupper() or r.lower() in NAMES or r in subscripts or _names_only(r) for r in runs)


def _names_only(run: str) -> bool:
    k, low = 0, run.lower()
    while k < len(low):
        name = next((m for m in NAMES if low.startswith(m, k)), None)
        if name is None:
            return False
        k += len(name)
    return True

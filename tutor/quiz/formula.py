"""Typed formulas read into expression trees: a tokenizer and a recursive-descent parser.

Learner text is never evaluated as Python: it becomes a tree of tuples,
("+", a, b), ("sym", "h_t"), ("fn", "sqrt", x), ("T", x) for a transpose,
which tutor/quiz/meaning.py compares by value.

Reads: numbers, symbols with subscripts (`h_t`, `h_{t-1}`, `W_hh`, `hₜ`),
Greek letters or their names (`σ`, `sigma`), `+ - * / ^ **`, `·` `×` `÷`,
superscripts (`n²`, `Kᵀ`, `x⁻¹`), `√x` and `sqrt(x)`, functions (`tanh`,
`exp`, `log`, `ln`, `sin`, `cos`, `sigmoid`, `softmax`), `∞` / `inf` /
`infinity`, and implicit multiplication (`L(k-1)`, `W_y h_t`). A run of
letters that is not a known name is a product of one-letter symbols.

Every step is linear in the length of the text, and the text is capped.
"""
from __future__ import annotations

import unicodedata

from .numbers import MAX_LENGTH
MAX_DEPTH = 40          # nesting of brackets and operators

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω",
}
FUNCTIONS = {"sqrt", "exp", "log", "ln", "tanh", "sin", "cos", "sigmoid", "softmax", "relu"}
CONSTANTS = {"inf": "∞", "infinity": "∞", "infty": "∞"}
WORDS = {"minus": "-", "negative": "-", "plus": "+", "times": "*"}
NAMES = sorted({*GREEK, *FUNCTIONS, *CONSTANTS, *WORDS}, key=len, reverse=True)

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵀ", "0123456789-+T")
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉₋₊ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", "0123456789-+aehijklmnoprstuvx")
_SAME = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "·": "*", "⋅": "*", "∙": "*",
                       "•": "*", "×": "*", "÷": "/", "∗": "*", "ⁿ": "ⁿ"})


class FormulaError(ValueError):
    """Text that is not a formula this parser reads."""


# -- tokens ---------------------------------------------------------------------------
def fold_scripts(text: str) -> str:
    """Unicode superscripts and subscripts as ^(…) and _{…}, before NFKC flattens them."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        table, mark, close = ((_SUPER, "^(", ")") if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵀ" else
                              (_SUB, "_{", "}") if ch in "₀₁₂₃₄₅₆₇₈₉₋₊ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ" else (None, "", ""))
        if table is None:
            out.append(ch)
            i += 1
            continue
        j = i
        while j < n and text[j].translate(table) != text[j]:
            j += 1
        out.append(mark + text[i:j].translate(table) + close)
        i = j
    return "".join(out)


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: num, sym, fn, op, ( ) , and ∞. Raises FormulaError."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH} characters")
    t = unicodedata.normalize("NFKC", fold_scripts(text)).translate(_SAME).replace("**", "^")
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(t)
    while i < n:
        ch = t[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and t[i + 1].isdigit()):
            j = i
            while j < n and t[j].isdigit():
                j += 1
            if j < n and t[j] == ".":
                j += 1
                while j < n and t[j].isdigit():
                    j += 1
            tokens.append(("num", t[i:j]))
            i = j
        elif ch in "+-*/^(),":
            tokens.append(("op" if ch in "+-*/^" else ch, ch))
            i += 1
        elif ch in "[]{}":
            tokens.append(("(" if ch in "[{" else ")", ch))
            i += 1
        elif ch == "√":
            tokens.append(("fn", "sqrt"))
            i += 1
        elif ch == "∞":
            tokens.append(("∞", "∞"))
            i += 1
        elif ch.isalpha():
            i = _letters(t, i, tokens)
        else:
            raise FormulaError(f"unexpected {ch!r}")
    return tokens


def _letters(t: str, i: int, tokens: list) -> int:
    """A run of letters: known names whole, anything else one symbol per letter; then a subscript."""
    j = i
    while j < len(t) and t[j].isalpha():
        j += 1
    run, k = t[i:j], 0
    low = run.lower()
    while k < len(run):
        name = next((m for m in NAMES if low.startswith(m, k)), None) if run[k].isascii() else None
        if name is None:
            tokens.append(("sym", run[k]))
            k += 1
        elif name in FUNCTIONS:
            tokens.append(("fn", name))
            k += len(name)
        elif name in CONSTANTS:
            tokens.append(("∞", "∞"))
            k += len(name)
        elif name in WORDS:
            tokens.append(("op", WORDS[name]))
            k += len(name)
        else:
            tokens.append(("sym", GREEK[name]))
            k += len(name)
    if j < len(t) and t[j] == "_" and tokens and tokens[-1][0] == "sym":
        sub, j = _subscript(t, j + 1)
        tokens[-1] = ("sym", f"{tokens[-1][1]}_{sub}")
    return j


def _subscript(t: str, j: int) -> tuple[str, int]:
    """`_t`, `_hh`, `_{t-1}`, `_(t-1)`: the subscript's text without spaces, and where it ends."""
    if j < len(t) and t[j] in "{(":
        close = "}" if t[j] == "{" else ")"
        end = t.find(close, j + 1)
        if end < 0:
            raise FormulaError("unclosed subscript")
        return "".join(t[j + 1:end].split()), end + 1
    k = j
    while k < len(t) and t[k].isalnum():
        k += 1
    if k == j:
        raise FormulaError("empty subscript")
    return t[j:k], k


# -- parser ---------------------------------------------------------------------------
class _Parser:
    """expr := term (± term)* · term := unary (( * / | juxtaposition) unary)* ·
    unary := -unary | power · power := atom (^ unary)? · atom := num | sym | ∞ | (expr) | fn atom"""

    def __init__(self, tokens):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def nest(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("nested too deeply")

    def parse(self):
        if not self.tokens:
            raise FormulaError("empty")
        tree = self.expr()
        if self.i != len(self.tokens):
            raise FormulaError(f"unexpected {self.peek()[1]!r}")
        return tree

    def expr(self):
        self.nest()
        tree = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            tree = (op, tree, self.term())
        self.depth -= 1
        return tree

    def term(self):
        tree = self.unary()
        while True:
            kind, value = self.peek()
            if kind == "op" and value in "*/":
                self.take()
                tree = (value, tree, self.unary())
            elif kind in ("num", "sym", "fn", "(", "∞"):     # juxtaposition: 2x, L(k-1), W_y h_t
                tree = ("*", tree, self.power())
            else:
                return tree

    def unary(self):
        if self.peek() in (("op", "-"), ("op", "+")):
            op = self.take()[1]
            self.nest()
            inner = self.unary()
            self.depth -= 1
            return ("neg", inner) if op == "-" else inner
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == ("op", "^"):
            self.take()
            if self.peek() == ("sym", "T"):
                self.take()
                return ("T", base)
            if self.peek() == ("(", "(") and self.tokens[self.i + 1:self.i + 3] == [("sym", "T"), (")", ")")]:
                self.i += 3
                return ("T", base)
            self.nest()
            exponent = self.unary()
            self.depth -= 1
            return ("^", base, exponent)
        return base

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", float(value))
        if kind == "sym":
            return ("sym", value)
        if kind == "∞":
            return ("num", float("inf"))
        if kind == "(":
            inner = self.expr()
            if self.take()[0] != ")":
                raise FormulaError("unclosed bracket")
            return inner
        if kind == "fn":
            self.nest()
            argument = self.power()
            self.depth -= 1
            return ("fn", value, argument)
        raise FormulaError(f"unexpected {value!r}" if value else "ends too early")


def parse(text: str):
    """The expression tree of a typed formula; FormulaError if it is not one."""
    return _Parser(tokenize(text)).parse()


def symbols(tree) -> set[str]:
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] == "sym":
            found.add(node[1])
        else:
            stack.extend(part for part in node[1:] if isinstance(part, tuple))
    return found

"""Typed formulas are compared by meaning: equivalent forms right, near misses wrong,
and checking stays linear in the length of what was typed."""
from __future__ import annotations

import time

import pytest

from tutor.quiz import formula
from tutor.quiz.check import check_answer, check_number, check_text, parse_number, parse_shape
from tutor.quiz.formula import FormulaError, parse
from tutor.quiz.meaning import is_formula, same_meaning

OUTPUT = ["W_y·h_t", "W_y h_t", "Wy·ht"]
MINUS_INF = ["−∞", "-∞", "-inf", "minus infinity"]
RNN = ["tanh(W_hh·h_{t−1} + W_xh·x_t + b)"]
NORM = ["√(σ² + ε)", "sqrt(σ² + ε)"]
FIELD = ["1 + L·(k − 1)"]


@pytest.mark.parametrize("typed,alternatives", [
    ("W_y*h_t", OUTPUT), ("W_y * h_t", OUTPUT), ("W_y h_t", OUTPUT), ("Wy*ht", OUTPUT), ("W_{y}h_{t}", OUTPUT),
    ("h_t W_y", OUTPUT),                                     # a scalar times a matrix commutes
    ("-infinity", MINUS_INF), ("−infinity", MINUS_INF), ("- ∞", MINUS_INF), ("negative infinity", MINUS_INF),
    ("-INF", MINUS_INF),
    ("n^2", ["n²"]), ("n**2", ["n²"]), ("n*n", ["n²"]), ("n n", ["n²"]),
    ("sqrt(d_k)", ["√d_k"]), ("d_k^0.5", ["√d_k"]), ("√(d_k)", ["√d_k"]), ("sqrt d_k", ["√d_k"]),
    ("sqrt(sigma^2+epsilon)", NORM), ("sqrt(ε+σ²)", NORM), ("(σ^2 + eps)^(1/2)", NORM),
    ("1+(k-1)L", FIELD), ("L(k-1)+1", FIELD), ("Lk - L + 1", FIELD), ("1+L*(k-1)", FIELD),
    ("V*V", ["V²"]), ("V^2", ["V²"]), ("V V", ["V²"]),
    ("Q K^T", ["QKᵀ"]), ("QK^(T)", ["QKᵀ"]), ("Q·Kᵀ", ["QKᵀ"]),
    ("W_{hh}", ["W_hh"]), ("f_{t}", ["f_t"]), ("fₜ", ["f_t"]), ("hₜ₋₁", ["h_{t-1}"]), ("h_(t-1)", ["h_{t-1}"]),
    ("tanh(W_hh h_{t-1} + W_xh x_t + b)", RNN), ("tanh(b + W_xh x_t + W_hh h_(t-1))", RNN),
    ("tanh(W_hh·hₜ₋₁ + W_xh·xₜ + b)", RNN),
    ("α", ["alpha"]), ("2πr", ["2·pi·r"]), ("softmax(QKᵀ/√d_k)V", ["softmax(Q K^T / sqrt(d_k)) V"]),
])
def test_equivalent_forms_are_right(typed, alternatives):
    assert check_text(typed, alternatives).right, typed


@pytest.mark.parametrize("typed,alternatives", [
    ("W_y·h_{t-1}", OUTPUT), ("W_y^T h_t", OUTPUT), ("W_yᵀ·h_t", OUTPUT), ("-W_y h_t", OUTPUT), ("W_x h_t", OUTPUT),
    ("W_h h_t", OUTPUT), ("W_y + h_t", OUTPUT), ("W_y/h_t", OUTPUT), ("W_y h_t + 1", OUTPUT), ("2 W_y h_t", OUTPUT),
    ("infinity", MINUS_INF), ("∞", MINUS_INF), ("0", MINUS_INF), ("-1e308", MINUS_INF),
    ("n^3", ["n²"]), ("2n", ["n²"]), ("n", ["n²"]), ("n^2 + 1", ["n²"]), ("n^-2", ["n²"]),
    ("1/sqrt(d_k)", ["√d_k"]), ("d_k", ["√d_k"]), ("d_k^2", ["√d_k"]), ("sqrt(d_v)", ["√d_k"]),
    ("sqrt(σ+ε)", NORM), ("√σ² + ε", NORM), ("σ", NORM), ("sqrt(σ² - ε)", NORM), ("σ² + ε", NORM),
    ("1+L(k+1)", FIELD), ("1+Lk", FIELD), ("L(k-1)", FIELD), ("1-L(k-1)", FIELD), ("1+L^2(k-1)", FIELD),
    ("2V", ["V²"]), ("V^T V", ["V²"]), ("V V^T", ["V²"]), ("V^3", ["V²"]),
    ("K Q^T", ["QKᵀ"]), ("QK", ["QKᵀ"]), ("Kᵀ Q", ["QKᵀ"]), ("Q^T K", ["QKᵀ"]), ("(QK)^T", ["QKᵀ"]),
    ("W_hh^T", ["W_hh"]), ("W_xh", ["W_hh"]), ("Whh", ["W_hh"]), ("W_{hx}", ["W_hh"]),
    ("f_{t-1}", ["f_t"]), ("o_t", ["f_t"]), ("h_t", ["h_{t-1}"]), ("h_{t+1}", ["h_{t-1}"]),
    ("tanh(W_xh h_{t-1} + W_hh x_t + b)", RNN), ("tanh(W_hh h_t + W_xh x_t + b)", RNN),
    ("tanh(W_hh h_{t-1} - W_xh x_t + b)", RNN), ("σ(W_hh h_{t-1} + W_xh x_t + b)", RNN),
    ("tanh(W_hh h_{t-1} + W_xh x_t)", RNN),
    ("tanh(W_hh h_{t-1}) + W_xh x_t + b", RNN),
    ("Bahdnaau", ["Bahdanau"]), ("Cocnat", ["Concat", "concat"]), ("tnah", ["tanh"]), ("sin", ["cos"]),
    ("softmax(QKᵀ)V", ["softmax(Q K^T / sqrt(d_k)) V"]), ("V softmax(QKᵀ/√d_k)", ["softmax(Q K^T / sqrt(d_k)) V"]),
])
def test_near_misses_stay_wrong(typed, alternatives):
    assert check_text(typed, alternatives).status == "wrong", typed


def test_words_are_not_compared_as_products_of_letters():
    # a product of letters commutes: the anagram must not pass as the same word
    assert not is_formula("Bahdanau") and not is_formula("Concat") and not is_formula("dk")
    assert is_formula("W_y·h_t") and is_formula("QKᵀ") and is_formula("−∞") and is_formula("√d_k")
    assert not same_meaning("x", "Bahdanau +") and not same_meaning("", "x")


@pytest.mark.parametrize("text", ["__import__('os').system('x')", "x; y", "lambda: 1", "x[0]]", "f(", "1 +", "a @ b",
                                  "((((x", "x_", "x_{1", "'x'"])
def test_learner_text_is_parsed_never_run(text):
    with pytest.raises(FormulaError):
        parse(text)
    assert check_text(text, ["x"]).status == "wrong"


def test_deep_nesting_and_huge_powers_are_refused_not_crashing():
    assert check_text("(" * 90 + "x" + ")" * 90, ["x"]).status == "wrong"
    assert check_text("-" * 150 + "x", ["x"]).status == "wrong"
    assert check_text("(" * 90 + "x" + ")" * 90, ["x"]).status == "wrong"
    assert check_text("(" * 300 + "x" + ")" * 300, ["x"]).status == "invalid"     # over the length cap
    assert check_text("x^99999", ["x^999999"]).status == "wrong"   # both overflow: not equal
    assert check_text("V^100000", ["V²"]).status == "wrong"
    assert check_text("x/0", ["x"]).status == "wrong"


def _seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


def _quietly(function):
    def run(text):
        try:
            function(text)
        except ValueError:
            pass
    return run


def test_pasted_digits_are_refused_and_checking_is_linear(monkeypatch):
    digits = "7" * 20_000
    for verdict in (check_number(digits, 7.0, 0.0), check_answer(digits + "x", 7.0),
                    check_answer(digits, "7×7"), check_text(digits, ["n²"])):
        assert verdict.status == "invalid" and "too long" in verdict.message
    # Without the cap, the parsers themselves are linear: ten times the text, not a hundred times the time.
    from tutor.quiz import check, numbers
    monkeypatch.setattr(numbers, "MAX_LENGTH", 10**9)
    monkeypatch.setattr(formula, "MAX_LENGTH", 10**9)
    for function, make in ((check.parse_number, lambda n: "9" * n + "x"),
                           (check.parse_number, lambda n: "9" * n + "/" + "9" * n + "x"),
                           (check.parse_shape, lambda n: "9" * n + "x" + "9" * n + "q"),
                           (formula.tokenize, lambda n: "9" * n + "x")):
        small, large = _seconds(_quietly(function), make(2_000)), _seconds(_quietly(function), make(20_000))
        assert large < 30 * max(small, 1e-5), (function.__name__, small, large)


def test_a_shape_with_thousands_of_digits_is_invalid_not_a_crash(monkeypatch):
    from tutor.quiz import check, numbers
    monkeypatch.setattr(numbers, "MAX_LENGTH", 10**9)
    with pytest.raises(ValueError, match="too large"):
        parse_shape("9" * 5_000 + "×7")
    assert check.check_shape("9" * 5_000 + "×7", (7, 7)).status == "invalid"
    assert parse_number("1" * 150) > 1e149

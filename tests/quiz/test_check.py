"""Answer checking: lenient text, numbers to a tolerance, shapes, and wrong-type input."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.quiz.check import (AnswerError, check_answer, check_number, check_shape, check_text, normalize,
                              parse_number, parse_shape)


@pytest.mark.parametrize("typed", ["tanh", "TANH", " tanh ", "Tanh.", "ｔａｎｈ", "t a n h"])
def test_cloze_ignores_case_spacing_and_unicode_forms(typed):
    assert check_text(typed, ["tanh"]).status == "right"


def test_cloze_alternatives_and_symbols():
    alts = ["W_y·h_t", "W_y h_t", "Wy·ht"]
    for typed in ("W_y·h_t", "w_y ⋅ h_t", "W_y h_t", "wy·ht", "W_y∙h_t"):
        assert check_text(typed, alts).right, typed
    assert check_text("W_x·h_t", alts).status == "wrong"
    assert check_text("O(n²)", ["O(n^2)", "O(n²)"]).right
    assert check_text("−1", ["-1"]).right          # Unicode minus
    assert check_text("0.50", ["0.5"]).right        # numbers compare as numbers
    assert check_text("sigmoid", ["tanh"]).status == "wrong"
    assert check_text("   ", ["tanh"]).status == "empty"


@pytest.mark.parametrize("typed,value", [
    ("1234", 1234), ("1,234", 1234), ("1 234", 1234), ("1_234", 1234), ("12,345,678", 12345678),
    ("0.25", 0.25), (".25", 0.25), ("0,25", 0.25), ("−0.25", -0.25), ("-3", -3), ("+3", 3),
    ("2.5e-3", 0.0025), ("3/4", 0.75), ("≈ 0.5", 0.5), ("= 42", 42), ("１２", 12),
])
def test_numbers_are_read_the_ways_people_type_them(typed, value):
    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["abc", "twelve", "1.2.3", "nan", "inf", "1/0", "[/]", "0x10", "12 apples"])
def test_text_where_a_number_is_expected_is_invalid_not_wrong(typed):
    with pytest.raises(AnswerError):
        parse_number(typed)
    verdict = check_number(typed, 12.0, 0.0)
    assert verdict.status == "invalid" and not verdict.graded
    assert "not a number" in verdict.message


@pytest.mark.parametrize("typed", ["1e400", "-1e400", "1e400/2"])
def test_a_number_beyond_float_range_is_invalid_not_wrong(typed):
    # float("1e400") is inf, which would be graded wrong against any answer
    verdict = check_number(typed, 12.0, 0.01)
    assert verdict.status == "invalid" and not verdict.graded
    assert "out of range" in verdict.message


def test_tolerance_is_relative_above_one_and_absolute_below():
    # |given − answer| ≤ tol·max(1, |answer|)
    assert check_number("0.301", 0.3, 2e-3).right and check_number("0.303", 0.3, 2e-3).status == "wrong"
    assert check_number("1002", 1000, 2e-3).right and check_number("1003", 1000, 2e-3).status == "wrong"
    assert check_number("9243", 9243, 0.0).right and check_number("9244", 9243, 0.0).status == "wrong"
    assert check_number("-0.399", -0.399, 2e-3).right and check_number("0.399", -0.399, 2e-3).status == "wrong"


@pytest.mark.parametrize("typed", ["7×7", "7x7", "7X7", "(7, 7)", "[7,7]", "7 by 7", "7 * 7", " ( 7 ,7 ) "])
def test_shapes_in_any_usual_notation(typed):
    assert parse_shape(typed) == (7, 7)
    assert check_answer(typed, "7×7").right


def test_shape_answers_wrong_and_invalid():
    assert check_shape("7×8", (7, 7)).status == "wrong"
    assert check_shape("7", (7, 7)).status == "wrong"
    assert check_answer("49", "7×7").status == "wrong"
    for typed in ("seven by seven", "7×", "a×b", "[/]"):
        verdict = check_answer(typed, "7×7")
        assert verdict.status == "invalid" and "not a shape" in verdict.message, typed


def test_exercise_answers_dispatch_on_the_answer_type():
    assert check_answer("0.3487", 0.3487, 6e-3 * 0.3487).right
    assert check_answer("abc", 0.3487, 1e-3).status == "invalid"
    assert check_answer("", 5, 0.0).status == "empty"
    assert check_answer("Many-to-one", "many-to-one").right   # a text answer that is not a shape
    with pytest.raises(ValueError):
        check_answer("1", math.nan)


@settings(max_examples=60)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_any_number_as_python_prints_it_is_accepted(x):
    assert check_number(repr(x), x, 0.0).right
    assert check_number(f"{x:.6g}", x, 1e-5).right


@settings(max_examples=60)
@given(st.text(max_size=30))
def test_checking_any_text_never_crashes(text):
    for answer in (1.5, "7×7", "tanh"):
        assert check_answer(text, answer, 1e-3).status in ("right", "wrong", "empty", "invalid")


@given(st.text(alphabet="abcXYZ _-", max_size=20))
def test_normalize_ignores_case_and_spaces(text):
    assert normalize(text.upper()) == normalize(text) == normalize(" ".join(text))

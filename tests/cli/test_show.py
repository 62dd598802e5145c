"""`tutor show`: a scene's frame printed without the TUI, scriptable."""
import subprocess
import sys

import numpy as np

import engine
from engine.tokens import token_vectors
from tutor.scenes.registry import SCENES
from tutor.show import ShowError, parse_overrides


def tutor(*args, env=None):
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env)


def test_show_prints_the_engine_numbers_of_the_final_frame():
    result = tutor("show", "rnn_unroll", "--sentence", "The cat [/] sat", "--hidden", "3", "--seed=5")
    assert result.returncode == 0, result.stderr
    tokens = ["The", "cat", "[", "/", "]", "sat"]
    x = token_vectors(tokens, 8, seed=5)[:, None, :]
    hs, _ = engine.RNN(8, 3, seed=5).forward(x)
    assert f"‖h_6‖ = {np.linalg.norm(hs[-1, 0]):.3f}" in result.stdout
    assert "frame 7/7" in result.stdout
    assert "[" in result.stdout and "/" in result.stdout  # markup shown literally


def test_show_list_names_every_scene_and_its_parameters():
    result = tutor("show", "--list")
    assert result.returncode == 0
    for spec in SCENES.values():
        assert spec.id in result.stdout
    assert "--radius" in result.stdout


def test_show_errors_are_one_line_on_stderr_with_exit_2():
    for args, message in [((), "name a scene (tutor show --list"),
                          (("nope",), "unknown scene 'nope'"),
                          (("self-attention",), "did you mean 'self_attention'?"),
                          (("rnn_unroll", "--hidden", "99"), "hidden: must lie between 2 and 32"),
                          (("rnn_unroll", "--colour", "red"), "has no parameter --colour"),
                          (("rnn_unroll", "--hidden"), "--hidden needs a value")]:
        result = tutor("show", *args)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.strip().count("\n") == 0 and message in result.stderr


def test_show_help_is_asked_for_and_answered_on_stdout():
    result = tutor("show", "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "tutor show SCENE" in result.stdout
    one = tutor("show", "gradient_decay", "--radius", "2", "--help")   # one scene's parameters
    assert one.returncode == 0 and one.stderr == ""
    assert "gradient_decay" in one.stdout and "--dtype" in one.stdout and "rnn_unroll" not in one.stdout


def test_overrides_are_typed():
    values = parse_overrides(SCENES["rnn_unroll"], ["--hidden", "4", "--sentence=a b"])
    assert values == {"hidden": 4, "sentence": "a b"}
    try:
        parse_overrides(SCENES["rnn_unroll"], ["stray"])
    except ShowError as exc:
        assert "unexpected argument" in str(exc)
    else:
        raise AssertionError("a stray argument was accepted")

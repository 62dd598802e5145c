"""Every scene's declaration: id, description and typed parameters.

Importing this module is cheap (no NumPy): `tutor check` validates lessons
against it. A scene's frames come from `frames(**params)` in its own module,
imported only when the scene runs.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tutor.params import Param


@dataclass(frozen=True)
class SceneSpec:
    id: str
    title: str
    description: str
    params: tuple[Param, ...]

    @property
    def module(self) -> str:
        """tutor.scenes.<id> defines frames(**params)."""
        return self.id

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults overridden by the given (already typed) values."""
        values = self.defaults()
        values.update({k: v for k, v in given.items() if k in values})
        return values

    def frames(self, values: Mapping[str, Any]) -> Iterator:
        module = importlib.import_module(f"tutor.scenes.{self.module}")
        return module.frames(**self.resolve(values))

    def problem(self, values: Mapping[str, Any]) -> str | None:
        """One line saying why the scene cannot run with these values (a text file it cannot
        use), from the scene module's optional problem(**params); None when it can."""
        module = importlib.import_module(f"tutor.scenes.{self.module}")
        check = getattr(module, "problem", None)
        return check(**self.resolve(values)) if check else None


SENTENCE = "The cat sat on the mat"


def _sentence(default: str = SENTENCE) -> Param:
    return Param("sentence", "text", default, "sentence", max_length=300)


def _int(name: str, default: int, lo: int, hi: int, label: str = "", step: int = 1) -> Param:
    return Param(name, "int", default, label or name, min=lo, max=hi, step=step)


def _float(name: str, default: float, lo: float, hi: float, step: float, label: str = "") -> Param:
    return Param(name, "float", default, label or name, min=lo, max=hi, step=step)


LEARNING_RATES = ("0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1")   # Adam's, for train_transformer


def _seed() -> Param:
    return _int("seed", 0, 0, 999)


def _model(default: str = "trained") -> Param:
    """Which weights a scene with a trained model runs: the shipped ones, or the same architecture random."""
    return Param("model", "choice", default, "model", choices=("trained", "untrained"))


SERVING = "TUTOR_SERVING"   # set by tutor.serve_session in every visitor's process
CORPUS = "corpus"           # the text control's value for the shipped corpus


def serving() -> bool:
    """True in a `tutor serve` visitor's process: no control may name a file of the server."""
    return bool(os.environ.get(SERVING))


def _text_source() -> tuple[Param, ...]:
    """The language models' text: the shipped corpus, or (on one's own machine only) a file."""
    if serving():
        return ()
    return (Param("text", "text", CORPUS, "text (corpus or a file path)", max_length=1000),)


PHRASE = "I love you very much"
SAMPLE_PROMPT = "The kettle"
LM_MODELS = ("rnn", "lstm", "gru", "transformer")
ANIMAL = "The animal didn't cross the street because it was tired"
MARKED = "C B A ! C A B C D B C B B A A B C C D A D C C ?"  # a marked-symbol task sequence: keep the C after !
LONG_GAP = "The cat, which had been sleeping on the warm windowsill all afternoon, suddenly jumped."

_SPECS = [
    # -- before deep learning ---------------------------------------------------------
    SceneSpec("bag_of_words", "Bag of words",
              "Two sentences as count vectors side by side: same bag, different meaning (n-grams tell them apart).",
              (Param("sentence_a", "text", "dog bites man", "sentence A"),
               Param("sentence_b", "text", "man bites dog", "sentence B"),
               _int("ngram", 1, 1, 3, "n-gram size"))),
    SceneSpec("cnn_receptive_field", "CNN receptive field",
              "Which words one position of a stacked 1-D convolution can see, growing layer by layer.",
              (_sentence(LONG_GAP), _int("kernel", 3, 2, 7, "kernel size"), _int("layers", 4, 1, 8),
               _int("position", 0, 0, 63, "position (0 = last word)"))),
    # -- recurrence -------------------------------------------------------------------
    SceneSpec(
        "rnn_unroll", "RNN unrolled over a sentence",
        "Hidden-state vectors fill in one time step at a time as a vanilla RNN reads the sentence.",
        (_sentence(), _int("hidden", 8, 2, 32, "hidden size"), _seed())),
    SceneSpec("sequential_vs_parallel", "Sequential steps vs one parallel step",
              "The RNN's chain of dependent steps against one attention step, with measured forward times as n grows.",
              (_int("max_length", 256, 16, 1024, "longest sequence", step=16), _int("hidden", 64, 8, 256, "width", step=8))),
    SceneSpec("gradient_decay", "Gradient decay through time",
              "‖∂L/∂h_t‖ per step on a log scale as the loss's gradient flows back; turn W_hh's spectral radius, "
              "clip it, or hold it in float32/float16 and watch the format overflow.",
              (_float("radius", 0.9, 0.1, 3.0, 0.05, "spectral radius of W_hh"), _int("length", 40, 2, 200, "steps"),
               Param("clip", "bool", False, "clipping"), _float("clip_norm", 1.0, 0.1, 10.0, 0.1, "clip at"), _seed(),
               Param("dtype", "choice", "float64", "number format", choices=("float64", "float32", "float16")))),
    SceneSpec("tanh_chart", "tanh and its derivative",
              "tanh and tanh′ with the current step's pre-activations marked: large inputs saturate and kill gradients.",
              (_sentence(), _float("scale", 1.0, 0.1, 5.0, 0.1, "weight scale"), _int("hidden", 8, 2, 32, "hidden size"),
               _seed())),
    SceneSpec("gates", "LSTM and GRU gates",
              "Gate activations per time step as grids. Trained: the engine's LSTM on the marked-symbol task "
              "(A–D, a marker !, then ?) beside the same cell untrained, its input gate opening at the symbol to "
              "keep and its forget gate holding it. Untrained: a random LSTM or GRU on any sentence, every gate.",
              (_sentence(MARKED), Param("cell", "choice", "lstm", "cell", choices=("lstm", "gru")),
               _int("hidden", 8, 2, 32, "hidden size"), _seed(), _model())),
    SceneSpec("gradient_flow_compare", "RNN vs LSTM gradient flow",
              "‖∂L/∂h_t‖ per step for an RNN and an LSTM side by side on the same sequence.",
              (_int("length", 40, 2, 200, "steps"), _int("hidden", 16, 2, 64, "hidden size"), _seed())),
    SceneSpec("train_long_dependency", "RNN vs LSTM on a long dependency",
              "Both models learn to recall the first token after a gap of distractors: loss curves and accuracies, live.",
              (_int("gap", 20, 2, 60, "gap"), _int("steps", 300, 50, 2000, "training steps", step=50), _seed())),
    # -- attention ----------------------------------------------------------------------
    SceneSpec("bahdanau_alignment", "Bahdanau alignment",
              "Attention weights of a trained RNN encoder–decoder: each output word against the source words "
              "(or the same model untrained).",
              (Param("phrase", "text", PHRASE, "English phrase"), _model(), _seed())),
    SceneSpec("bottleneck", "The bottleneck, measured",
              "Two trained GRU encoder–decoders, with and without attention, on the same pairs and budget: "
              "held-out accuracy by source length, one bucket at a time.",
              (_model(), _seed())),
    SceneSpec("sdpa_steps", "Scaled dot-product attention, step by step",
              "QKᵀ, scaled by √d_k, softmax, then the weighted sum of values: four grids with a cursor readout.",
              (_sentence("Thinking machines pay attention"), _int("d_k", 8, 1, 64, "d_k"), _seed())),
    SceneSpec("softmax_saturation", "Softmax saturation",
              "How peaked attention gets as d_k grows, with and without dividing by √d_k.",
              (_int("max_dk", 512, 4, 4096, "largest d_k", step=4), Param("scaled", "bool", True, "scale by √d_k"),
               _seed())),
    SceneSpec("self_attention", "Self-attention matrix",
              "One head's attention over the sentence as a grid, tokens on both axes, any weight read by cursor: "
              "the trained coreference model (its row of \"it\" finds the noun), or the same model untrained.",
              (_sentence(ANIMAL), _model(), _seed())),
    SceneSpec("permutation", "Permutation equivariance",
              "Shuffle the sentence: the attention matrix's rows and columns move with the tokens, values unchanged.",
              (_sentence("dog bites man"), _int("shuffle", 1, 0, 999, "shuffle seed"), _seed())),
    SceneSpec("attention_cost", "Cost of attention",
              "Measured time and memory of self-attention as n grows, next to an RNN's.",
              (_int("max_length", 1024, 32, 4096, "longest sequence", step=32),)),
    SceneSpec("multi_head", "Multi-head attention",
              "Each head's attention matrix side by side for the same sentence: the trained coreference "
              "model's layer, or the same architecture untrained with as many heads as you choose.",
              (_sentence(ANIMAL), _int("heads", 2, 1, 8, "heads"), _model(), _seed())),
    SceneSpec("induction_heads", "Heads that specialise",
              "A trained two-layer Transformer on a segment shown twice: its previous-token head and its induction "
              "head side by side, each titled by its score on held-out sequences (or the same heads untrained).",
              (_int("length", 6, 6, 14, "segment length"), _int("sequence", 0, 0, 999, "sequence"), _model(),
               _seed())),
    SceneSpec("positional_encoding", "Sinusoidal positional encoding",
              "PE as a heatmap (position × dimension) and the similarity of positions PE·PEᵀ.",
              (_int("length", 32, 2, 128, "positions"), _int("d_model", 32, 4, 256, "d_model", step=2),
               Param("view", "choice", "both", "view", choices=("both", "matrix", "similarity")))),
    SceneSpec("layer_norm", "Layer normalization",
              "One token's activations before and after layer norm, with μ, σ, γ and β.",
              (_sentence(), _int("token", 1, 1, 64, "token"), _float("gamma", 1.0, -3.0, 3.0, 0.25, "γ"),
               _float("beta", 0.0, -3.0, 3.0, 0.25, "β"), _seed())),
    SceneSpec("block_flow", "One token through a Transformer block",
              "A token's vector at each stage of an encoder layer: input, attention, add & norm, feed-forward, add & norm.",
              (_sentence(), _int("token", 1, 1, 64, "token"), _seed())),
    SceneSpec("causal_mask", "The causal mask",
              "Masked self-attention: a triangular grid where no position sees the future.",
              (_sentence("Ti amo molto"), _seed())),
    SceneSpec("cross_attention", "Cross-attention",
              "The decoder's queries against the encoder's keys and values for a translated phrase "
              "(the trained Transformer, or the same model untrained).",
              (Param("phrase", "text", PHRASE, "English phrase"), _model(), _seed())),
    SceneSpec("train_transformer", "Training a tiny Transformer",
              "A Transformer learns a toy task live: progress, loss curve, and its attention grid sharpening; "
              "turn Adam's learning rate and the warm-up to see a loss curve stall or recover.",
              (Param("task", "choice", "reverse", "task", choices=("reverse", "copy")),
               _int("steps", 400, 50, 3000, "training steps", step=50), _seed(),
               Param("lr", "choice", "0.003", "learning rate", choices=LEARNING_RATES),
               _int("warmup", 0, 0, 400, "warm-up steps", step=50))),
    SceneSpec("sampling", "Sampling the next character",
              "A trained character model's next-character distribution as bars, reshaped by temperature, top-k and "
              "top-p, then the draw; the text grows one character at a time.",
              (Param("prompt", "text", SAMPLE_PROMPT, "prompt"),
               _float("temperature", 1.0, 0.0, 2.0, 0.1, "temperature (0 = greedy)"),
               _int("top_k", 0, 0, 96, "top_k (0 = all)"), _float("top_p", 1.0, 0.05, 1.0, 0.05, "top_p"),
               _seed(), _int("length", 40, 1, 400, "characters"),
               Param("architecture", "choice", "lstm", "architecture", choices=LM_MODELS), _model())),
    SceneSpec("lm_states", "A trained character model reading a sentence",
              "The hidden states of a trained character-level RNN, LSTM or GRU, one column per character, and its "
              "distribution for the next character; the untrained twin for contrast.",
              (_sentence(), Param("architecture", "choice", "rnn", "architecture", choices=LM_MODELS[:3]),
               _model(), _int("units", 8, 2, 16, "units shown"))),
    SceneSpec("interpretable_cell", "A cell that means something",
              "The trained LSTM's cell that best follows a feature of held-out text (quotes, position in the line, "
              "bracket depth), chosen on one part and measured on the next; each character coloured by its value.",
              (Param("feature", "choice", "quotes", "feature", choices=("quotes", "line", "brackets")),
               _model())),
    SceneSpec("language_models", "Four language models, one text",
              "An RNN, an LSTM, a GRU and a Transformer learn the same text side by side: loss against steps and "
              "seconds, held-out bits per character, parameter counts, samples from noise to words.",
              (_float("lr", 0.003, 0.0005, 0.03, 0.0005, "learning rate"),
               Param("size", "choice", "small", "model size", choices=("tiny", "small", "medium")),
               _int("context", 64, 8, 256, "context (characters)", step=8),
               _int("steps", 800, 20, 5000, "training steps", step=20), _seed(), *_text_source())),
    SceneSpec("beam_search", "Greedy decoding and beam search",
              "The beam search tree with scores for a trained model, next to the greedy path.",
              (Param("phrase", "text", PHRASE, "English phrase"), _int("beam", 3, 1, 8, "beam width"),
               _float("alpha", 0.7, 0.0, 2.0, 0.1, "length normalisation α"))),
]

SCENES: dict[str, SceneSpec] = {spec.id: spec for spec in _SPECS}

"""English→Italian phrase models: a GRU encoder–decoder with Bahdanau attention
and a one-layer encoder–decoder Transformer, each trained full-batch on the
111 phrase pairs of engine/data/phrases_en_it.tsv.

Zoo models ``phrases_seq2seq`` and ``phrases_transformer``. Each is the seed
of PHRASE_SEEDS whose attention agrees best with the hand alignments
GOLD_ALIGNMENTS. The phrase set is memorised (its accuracy is on the training
pairs); the phenomenon checked is the alignment, against hand annotations the
training never saw.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from ..decode import greedy_decode
from ..losses import cross_entropy
from ..seq2seq import Seq2SeqAttention, Seq2SeqConfig
from ..seq_tasks import PhraseSet, load_phrases, strip
from ..tokens import tokenize
from ..train import train_adam
from ..transformer import Transformer, TransformerConfig
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights
from .toy_tasks import Callback, attention_grid

SEQ2SEQ, TRANSFORMER = "phrases_seq2seq", "phrases_transformer"
PHRASE_SEEDS = (0, 1, 2, 3)  # the shipped phrase models are the seed with the sharpest alignments


@dataclass(frozen=True)
class PhraseRecipe:
    """The RNN encoder–decoder with Bahdanau attention, full batch."""
    steps: int = 300
    lr: float = 1e-2
    clip: float = 1.0
    embed_dim: int = 32
    hidden_size: int = 32
    attention_size: int = 32
    cell: str = "gru"


@dataclass(frozen=True)
class PhraseTransformerRecipe:
    """The Transformer on the phrase set, full batch."""
    steps: int = 300
    lr: float = 3e-3
    clip: float = 1.0
    d_model: int = 32
    nhead: int = 2
    num_layers: int = 1
    dim_feedforward: int = 64


def train_phrases(steps: int | None = None, seed: int = 0, callback: Callback | None = None,
                  recipe: PhraseRecipe = PhraseRecipe(), phrases: PhraseSet | None = None,
                  dtype=np.float32) -> tuple[Seq2SeqAttention, list[float]]:
    """Train the GRU encoder–decoder with Bahdanau attention on the whole phrase set."""
    phrases = load_phrases() if phrases is None else phrases
    config = Seq2SeqConfig(len(phrases.src_vocab), len(phrases.tgt_vocab), recipe.embed_dim,
                           recipe.hidden_size, recipe.attention_size, recipe.cell)
    model = Seq2SeqAttention(config, seed=seed, dtype=dtype)
    b = phrases.batch()

    def loss_and_grads(step: int):
        logits, cache = model.forward(b.src, b.tgt_in, b.src_pad)
        loss, d_logits = cross_entropy(logits, b.tgt_out, b.loss_mask)
        return loss, model.backward(d_logits, cache)

    steps = recipe.steps if steps is None else steps
    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, callback=callback)


def train_phrase_transformer(steps: int | None = None, seed: int = 0, callback: Callback | None = None,
                             recipe: PhraseTransformerRecipe = PhraseTransformerRecipe(),
                             phrases: PhraseSet | None = None,
                             dtype=np.float32) -> tuple[Transformer, list[float]]:
    """Train an encoder–decoder Transformer on the whole phrase set."""
    phrases = load_phrases() if phrases is None else phrases
    r = recipe
    config = TransformerConfig(len(phrases.src_vocab), len(phrases.tgt_vocab), r.d_model, r.nhead,
                               r.num_layers, r.num_layers, r.dim_feedforward, max_len=32)
    model = Transformer(config, seed=seed, dtype=dtype)
    b = phrases.batch()

    def loss_and_grads(step: int):
        logits, cache = model.forward(b.src, b.tgt_in, b.src_pad, b.tgt_pad)
        loss, d_logits = cross_entropy(logits, b.tgt_out, b.loss_mask)
        return loss, model.backward(d_logits, cache)

    steps = recipe.steps if steps is None else steps
    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, callback=callback)


def phrase_accuracy(model, phrases: PhraseSet) -> float:
    """Exact-match accuracy of greedy translations over the phrase set."""
    b = phrases.batch()
    result = greedy_decode(model.next_token_log_probs(b.src, b.src_pad), len(phrases),
                           b.tgt_out.shape[0] + 2)
    targets = [strip(col) for col in b.tgt_out.T]
    return float(np.mean([s == t for s, t in zip(result.sequences(), targets)]))


def alignment(model, phrases: PhraseSet, english: str, italian: str) -> np.ndarray:
    """(T, S) attention of each Italian word (then <eos>) over the English words."""
    return attention_grid(model, phrases.encode_src(english), phrases.tgt_vocab.encode(tokenize(italian)))


# Hand alignments for a few phrases: target word -> the source words it translates.
GOLD_ALIGNMENTS = {
    ("I love you very much", "Ti amo molto"): {"ti": {"you"}, "amo": {"love"}, "molto": {"very", "much"}},
    ("The red car", "La macchina rossa"): {"la": {"the"}, "macchina": {"car"}, "rossa": {"red"}},
    ("I love you too", "Anch'io ti amo"): {"anch'io": {"too", "i"}, "ti": {"you"}, "amo": {"love"}},
    ("The cat is under the table", "Il gatto è sotto il tavolo"):
        {"gatto": {"cat"}, "è": {"is"}, "sotto": {"under"}, "tavolo": {"table"}},
    ("She eats an apple", "Lei mangia una mela"):
        {"lei": {"she"}, "mangia": {"eats"}, "una": {"an"}, "mela": {"apple"}},
    ("We see the mountains", "Vediamo le montagne"):
        {"vediamo": {"we", "see"}, "le": {"the"}, "montagne": {"mountains"}},
    ("The black cat", "Il gatto nero"): {"gatto": {"cat"}, "nero": {"black"}},
    ("I do not speak Italian", "Non parlo italiano"):
        {"non": {"do", "not"}, "parlo": {"speak"}, "italiano": {"italian"}},
    ("The book is on the table", "Il libro è sul tavolo"):
        {"libro": {"book"}, "è": {"is"}, "sul": {"on", "the"}, "tavolo": {"table"}},
    ("The dog is white", "Il cane è bianco"): {"cane": {"dog"}, "è": {"is"}, "bianco": {"white"}},
    ("She drinks milk", "Lei beve il latte"): {"lei": {"she"}, "beve": {"drinks"}, "latte": {"milk"}},
    ("My name is Anna", "Mi chiamo Anna"): {"anna": {"anna"}},
}


def alignment_agreement(model, phrases: PhraseSet) -> float:
    """Share of hand-aligned target words whose strongest attention falls on a right source word."""
    hits = total = 0
    for (en, it), gold in GOLD_ALIGNMENTS.items():
        src_words = [w.lower() for w in tokenize(en)]
        weights = alignment(model, phrases, en, it)
        for t, word in enumerate(w.lower() for w in tokenize(it)):
            if word in gold:
                total += 1
                hits += src_words[int(weights[t].argmax())] in gold[word]
    return hits / total


def _load_phrase_model(name: str, build, dtype) -> tuple[object, PhraseSet, dict]:
    arrays, meta = read_weights(name)
    phrases = load_phrases()
    if [list(phrases.src_vocab.tokens), list(phrases.tgt_vocab.tokens)] != meta["vocab"]:
        raise ValueError(f"the phrase set changed since {name}.npz was trained; "
                         f"run `python -m engine.pretrain {name}`")
    model = build(meta["config"], dtype)
    model.load_state_dict(arrays)
    return model, phrases, meta


def load_phrase_model(dtype=np.float64) -> tuple[Seq2SeqAttention, PhraseSet, dict]:
    """The shipped English→Italian RNN with Bahdanau attention, its phrase set and meta."""
    return _load_phrase_model(SEQ2SEQ, lambda c, dt: Seq2SeqAttention(Seq2SeqConfig(**c), dtype=dt), dtype)


def load_phrase_transformer(dtype=np.float64) -> tuple[Transformer, PhraseSet, dict]:
    """The shipped English→Italian Transformer, its phrase set and meta."""
    return _load_phrase_model(TRANSFORMER, lambda c, dt: Transformer(TransformerConfig(**c), dtype=dt), dtype)


def _measure(load):
    def measure() -> list[Measurement]:
        model, phrases, _ = load()
        return [Measurement("phrase-set accuracy (training pairs)", phrase_accuracy(model, phrases), 0.95),
                Measurement("alignment agreement with hand alignments", alignment_agreement(model, phrases), 0.6)]
    return measure


def retrain_phrase_model(name: str, train_fn, recipe) -> dict:
    """Train one seed per PHRASE_SEEDS, ship the one whose alignments agree best with GOLD_ALIGNMENTS."""
    phrases = load_phrases()
    best = None
    for seed in PHRASE_SEEDS:
        t0 = time.perf_counter()
        model, losses = train_fn(seed=seed, phrases=phrases)
        seconds = time.perf_counter() - t0
        run = (phrase_accuracy(model, phrases), alignment_agreement(model, phrases), -seed,
               model, losses[-1], seconds)
        if best is None or run[:3] > best[:3]:
            best = run
    accuracy, agreement, seed, model, loss, seconds = best
    meta = {"config": asdict(model.config), "recipe": asdict(recipe), "seed": -seed,
            "data": "engine/data/phrases_en_it.tsv, all 111 pairs, full batch",
            "seeds_tried": list(PHRASE_SEEDS), "accuracy": accuracy,
            "alignment_agreement": agreement, "final_loss": loss, "train_seconds": round(seconds, 1),
            "vocab": [list(phrases.src_vocab.tokens), list(phrases.tgt_vocab.tokens)]}
    save_weights(name, model.params, meta)
    return meta


MODELS = [
    ZooModel(SEQ2SEQ, "English→Italian GRU encoder–decoder with Bahdanau attention (111 phrases)",
             load_phrase_model, _measure(load_phrase_model),
             lambda: retrain_phrase_model(SEQ2SEQ, train_phrases, PhraseRecipe())),
    ZooModel(TRANSFORMER, "English→Italian one-layer Transformer (111 phrases)",
             load_phrase_transformer, _measure(load_phrase_transformer),
             lambda: retrain_phrase_model(TRANSFORMER, train_phrase_transformer, PhraseTransformerRecipe())),
]

"""Equal work, counted steps: the epoch timing the parallelism lessons show."""
from engine.charlm import Corpus, load_corpus
from engine.lm_parallel import compare, ratio


def test_equal_work_and_the_count_of_sequential_steps():
    corpus = Corpus.from_text(load_corpus()[:30_000])
    t = compare(corpus, size="tiny", context=32, batch_size=8, max_batches=3)
    rnn, tf = t["rnn"], t["transformer"]
    assert rnn.characters == tf.characters == 3 * 8 * 32
    assert rnn.sequential_steps == 64  # 32 steps forward, 32 backward
    assert tf.sequential_steps == 4    # 2 layers forward, 2 backward
    assert (rnn.positions_per_step, tf.positions_per_step) == (8, 256)
    assert rnn.seconds > 0 and tf.seconds > 0 and ratio(t) == tf.seconds / rnn.seconds

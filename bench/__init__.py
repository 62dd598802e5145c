"""`make bench`: speed and memory figures, each beside a same-run reference."""

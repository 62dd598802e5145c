"""Pure drawing functions: frames in, Rich segments out (no Textual, no state)."""

"""Widgets draw frames; they never call the engine or query their siblings."""

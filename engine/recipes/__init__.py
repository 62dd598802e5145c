"""Training recipes of the shipped models, one module per family."""

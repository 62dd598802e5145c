"""tutor: learn sequence models by running them."""
__version__ = "0.1.0"

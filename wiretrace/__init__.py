"""wiretrace: where the news comes from."""
__version__ = "0.1.0"

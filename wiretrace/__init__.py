"""wiretrace: where the news comes from.

``wiretrace.analyze(paths | records | DataFrame)`` runs the analysis from Python
(see ``wiretrace/api.py`` and docs/api.md); the command line is ``wiretrace``.
"""
__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "Result"]


def __getattr__(name: str):
    # the API is imported on first use: ``import wiretrace`` stays light for the CLI and workers
    if name in ("analyze", "Result"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'wiretrace' has no attribute {name!r}")

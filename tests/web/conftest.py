"""Fixtures for the web tests (helpers live in webhelpers.py)."""
from webhelpers import browser, page  # noqa: F401  (pytest fixtures)

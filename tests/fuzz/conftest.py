"""Hypothesis profiles for the fuzz suite.

``ci`` (the default): a fixed seed (``derandomize``) and a bounded number of
examples per test, so a CI run is reproducible and short.  ``long``: random
seeds and many more examples, for ``scripts/fuzz.sh``.  Select with the
environment variable ``WIRETRACE_FUZZ_PROFILE``; ``WIRETRACE_FUZZ_EXAMPLES``
overrides the number of examples of either profile.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
            HealthCheck.large_base_example]

settings.register_profile(
    "ci", max_examples=int(os.environ.get("WIRETRACE_FUZZ_EXAMPLES", "150")), derandomize=True, deadline=None,
    database=None, suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile(
    "long", max_examples=int(os.environ.get("WIRETRACE_FUZZ_EXAMPLES", "3000")), derandomize=False, deadline=None,
    suppress_health_check=_SLOW_OK, print_blob=True)
settings.load_profile(os.environ.get("WIRETRACE_FUZZ_PROFILE", "ci"))

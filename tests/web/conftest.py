"""Hypothesis profiles for the bad-input tests (tests/web/test_fuzz*.py).

HYPOTHESIS_PROFILE=nightly runs at least 500 examples per form; the default,
``ci``, runs 25 so ``make test`` stays quick. Each example resets the state it
needs itself (a fresh client, its own rows found by id), so the
function-scoped-fixture health check is suppressed on purpose.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                     HealthCheck.too_slow], print_blob=True)
settings.register_profile("ci", max_examples=25, **_COMMON)
settings.register_profile("nightly", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

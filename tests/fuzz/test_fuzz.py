"""A bounded, seeded fuzz pass in every `make test` (about 45 s): no uncaught exception, hang, blow-up or store change.

`make fuzz` runs the long pass (FUZZ_SECONDS); both use tests/fuzz/harness.py.
"""

from __future__ import annotations

import os

import pytest

from tests.fuzz import harness

SECONDS = float(os.environ.get("FUZZ_TEST_SECONDS", "36"))
SEED = int(os.environ.get("FUZZ_SEED", "12"))


@pytest.mark.slow
def test_importers_and_refresh_survive_a_seeded_mutation_pass(shared_data):
    """Every importer and refresh's reading of a body: each mutated input is records or problems, nothing else."""
    tally = harness.run(SECONDS, seed=SEED, case_limit=15.0, memory_mb=2048)
    assert tally.cases >= len(tally.by_target) * 5, tally.summary()
    assert [(f.kind, f.target, f.detail) for f in tally.findings] == [], tally.summary()


def test_url_parameters_survive_hypothesis():
    """Query.from_params and the page number never raise on any URL parameters (seeded, 300 examples)."""
    assert harness.fuzz_url(300, SEED) == []

"""Source keys shown to people as the names of their data sets."""

import pytest

from directory.catalog import DEFAULT_DB, Catalog
from directory.sources import SOURCE_NAMES, source_name


def test_every_shipped_source_has_a_name():
    """Each source key in the shipped catalog has a human name."""
    with Catalog(DEFAULT_DB, readonly=True) as catalog:
        keys = {r.source for r in catalog.records()}
    assert keys <= set(SOURCE_NAMES), keys - set(SOURCE_NAMES)


@pytest.mark.parametrize(
    "key, expected", [("samhsa", "SAMHSA treatment directory (via OEPS)"), ("clinic.csv", "clinic.csv")]
)
def test_source_name(key, expected):
    """Known keys get their name; an unknown key is shown unchanged."""
    assert source_name(key) == expected


def test_every_registered_feed_has_a_name():
    """Each feed in data/sources.toml, whose name becomes its records' source, has a human name."""
    from directory.refresh import load_sources

    names = {s.name for s in load_sources("data/sources.toml")}
    assert names <= set(SOURCE_NAMES), names - set(SOURCE_NAMES)

"""The Catalog page's county chart names its axes right way round, in English and in Spanish.

Runs the app (AppTest) on the generated test catalog of tests/app_catalog.py.
"""

from __future__ import annotations

import json

import pytest

from tests.app_catalog import new_app, open_page


@pytest.mark.parametrize(
    ("lang", "count", "county"), [("en", "Listings", "County"), ("es", "Lugares", "Condado")]
)
def test_the_county_chart_counts_along_its_count_axis(tmp_path, monkeypatch, lang, count, county):
    """The axis of the numbers is titled with the count, the axis of the counties with "County"."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/catalog.py", lang=lang)
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    (chart,) = [s for s in specs if "stack" in s["encoding"].get("x", {})]  # the stacked county chart
    axes = {axis["type"]: axis["title"] for axis in (chart["encoding"]["x"], chart["encoding"]["y"])}
    assert axes == {"quantitative": count, "ordinal": county}

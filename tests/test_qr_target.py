"""Where a printout's QR code sends a patient: the listing itself, never the data set or an article."""

import dataclasses

import pytest

from directory.render import qr
from directory.schema import Resource

BASE = Resource(
    id="samhsa-1", name="Generated test clinic", category="treatment", source="samhsa",
    source_url="https://doi.org/10.3886/generated-test", as_of="2026-01-15",
)  # fmt: skip


@pytest.mark.parametrize(
    ("public", "website", "join", "expected"),
    [
        (
            "https://aftercare.invalid",
            "https://clinic.invalid",
            "",
            "https://aftercare.invalid/details?id=samhsa-1",
        ),
        ("https://aftercare.invalid/", "", "", "https://aftercare.invalid/details?id=samhsa-1"),
        ("", "https://clinic.invalid", "", "https://clinic.invalid"),
        ("", "", "https://meet.invalid/j/1", "https://meet.invalid/j/1"),
        ("", "", "", ""),
        ("javascript:alert(1)", "", "", ""),
    ],
)
def test_qr_points_at_the_listing(monkeypatch, public, website, join, expected):
    """Details page when the app's address is set, else the website, else the join link, else no code."""
    monkeypatch.setenv(qr.PUBLIC_URL_ENV, public)
    record = dataclasses.replace(BASE, website=website, conference_url=join)
    assert qr.resource_url(record) == expected
    assert "doi.org" not in qr.resource_url(record)  # the source address is never the target

"""Fixtures shared by every test layer: where the repository and the shared data live, and a scratch database."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder (holds app.py, directory/, static/)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only shared data folder next to the repository; tests needing it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"shared data folder {SHARED_DATA} is absent (it sits next to the repository as ../shared)"
        )
    return SHARED_DATA


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A path for a fresh SQLite catalog inside this test's temporary folder (the file does not exist yet)."""
    return tmp_path / "catalog.db"


# A sentence without words in a language the app speaks fails the test instead of quietly reading English
# (set here, before any test runs, so that servers the browser tests start inherit it).
os.environ.setdefault("AFTERCARE_STRICT_TRANSLATIONS", "1")
# --- issue 14: a throwaway PostgreSQL server and fresh databases (tests/postgres/fixtures.py) ---
from tests.postgres.fixtures import pg_server, pg_url, postgresql_proc  # noqa: E402, F401


@pytest.fixture(autouse=True)
def fresh_curator_lockout():
    """Each test starts with no wrong passwords counted (the lockout lives in the server process)."""
    from directory import curation

    curation.LOCKOUT = curation.Lockout()
    yield

"""A throwaway PostgreSQL server for the store tests (pytest-postgresql's `postgresql_proc`) and fresh databases.

The server is Debian's (`postgresql`, which .ci/ensure-system-deps installs), started through
tests/postgres/pg_ctl so that it also runs when the tests run as root. Each test gets a new database
made from a template that already has the schema, so a test never sees another's rows.
"""

from __future__ import annotations

import glob
import itertools
import os

import psycopg
import pytest
from pytest_postgresql import factories

from directory import store as stores

PG_CTL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg_ctl")
TEMPLATE = "aftercare_template"
_numbers = itertools.count(1)

postgresql_proc = factories.postgresql_proc(executable=PG_CTL, port=None)


def server_installed() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def _url(proc, dbname: str) -> str:
    return f"postgresql://{proc.user}@{proc.host}:{proc.port}/{dbname}"


@pytest.fixture(scope="session")
def pg_server(request):
    """The running test server with a template database at the current schema."""
    if not server_installed():
        message = "PostgreSQL server missing: apt-get install postgresql (.ci/ensure-system-deps does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    proc = request.getfixturevalue("postgresql_proc")
    with psycopg.connect(_url(proc, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    stores.upgrade(_url(proc, TEMPLATE))
    return proc


def new_database(proc, *, schema: bool = True) -> str:
    """The URL of a new, empty database on the test server (with the schema, or without any)."""
    name = f"aftercare_test_{os.getpid()}_{next(_numbers)}"
    template = TEMPLATE if schema else "template0"
    with psycopg.connect(_url(proc, "postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return _url(proc, name)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh PostgreSQL catalog database (schema applied, no listings) for this test."""
    return new_database(pg_server)

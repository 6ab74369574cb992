"""Databases that were never migrated: a new SQLite file, or a new PostgreSQL database."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

POSTGRES_URL = os.environ.get("PATRON_TEST_POSTGRES_URL")


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database without any table; a PostgreSQL one is dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    if not POSTGRES_URL:
        if os.environ.get("PATRON_TEST_REQUIRE_POSTGRES"):
            pytest.fail("PATRON_TEST_REQUIRE_POSTGRES is set but PATRON_TEST_POSTGRES_URL is not")
        pytest.skip("PATRON_TEST_POSTGRES_URL is not set")
    name = f"patron_fresh_{uuid.uuid4().hex[:12]}"
    base, _, _ = POSTGRES_URL.rpartition("/")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)'.encode())

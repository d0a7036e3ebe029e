"""A PostgreSQL schema of its own for a test or a benchmark run (tests/conftest.py and
bench/scale.py): everything a run creates lives in it, and it is dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlalchemy.engine import make_url


@contextmanager
def new_schema(server: str, prefix: str = "test") -> Iterator[str]:
    """A URL for a new schema on the PostgreSQL ``server``, dropped at the end."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(server)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'create schema "{schema}"'))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'drop schema "{schema}" cascade'))
        admin.dispose()

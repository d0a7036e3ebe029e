"""A PostgreSQL schema of its own for a test or a benchmark run (tests/conftest.py and
bench/scale.py): everything a run creates lives in it, and it is dropped afterwards. And the
end of the session that holds a schema's serving lock, as a server restart would end it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db.lock import SERVING_KEY


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


_HOLDER = """
select pid from pg_locks
where locktype = 'advisory' and granted and classid = :key
  and objid = hashtext(coalesce(current_schema(), ''))::oid
  and database = (select oid from pg_database where datname = current_database())
"""


def end_the_lock_s_session(url: str) -> None:
    """``pg_terminate_backend`` on the session holding the serving lock (``bot.db.lock``) of
    ``url``'s schema, from another connection: what a server restart or a cut does to it."""
    engine = sqlalchemy.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            [pid] = connection.scalars(sqlalchemy.text(_HOLDER), {"key": SERVING_KEY})
            terminate = sqlalchemy.text("select pg_terminate_backend(:pid)")
            assert connection.scalar(terminate, {"pid": pid})
    finally:
        engine.dispose()

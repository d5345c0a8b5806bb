"""Fixtures for scale-out tests: a private PostgreSQL schema (migrated, with demo data) and Redis.

Everything runs on loopback, is bounded in time and cleans up after itself: the schema is
dropped, the Redis keys carrying this run's prefix are deleted, servers (tests/scaleout/servers.py)
are stopped by process group.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text

from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask


def pytest_configure(config):
    config.addinivalue_line("markers", "scaleout: starts app servers as separate processes (gunicorn)")


# ------------------------------------------------------------------ PostgreSQL and Redis


@pytest.fixture(scope="session")
def postgres_base() -> str:
    """TEST_DATABASE_URL, normalised, or a skip saying why."""
    from directory.config import normalise_database_url

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("scale-out tests need PostgreSQL: set TEST_DATABASE_URL (CI has it)")
    url = normalise_database_url(base)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not available here"
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {str(error).splitlines()[0]}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def scaleout_database(postgres_base, tmp_path_factory) -> Iterator[str]:
    """A private schema, migrated by `flask db upgrade`."""
    schema = f"scaleout_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_base else "?"
    url = f"{postgres_base}{separator}options=-csearch_path%3D{schema}"
    try:
        env = base_env(tmp_path_factory.mktemp("cli"), DATABASE_URL=url)
        flask(env, "db", "upgrade")
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL (default: the local Redis), or a skip saying why."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        pytest.skip(f"scale-out tests need Redis at {url} (set TEST_REDIS_URL; CI has it): {error}")
    finally:
        client.close()
    return url


@pytest.fixture(scope="module")
def redis_prefix(redis_url) -> Iterator[str]:
    """A key prefix for one test module; every key holding it is deleted afterwards."""
    import redis

    prefix = f"badgeons-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def queue_name(redis_url):
    """A queue for this test only; its keys, its jobs' and its workers' are deleted afterwards."""
    import redis

    from directory.core.jobs import forget_queue

    name = f"badgeons-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    forget_queue(client, name)
    client.close()

"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL with --db=postgresql), a client, a clean db."""

import os
import tempfile
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text

from directory import create_app
from directory.extensions import db as _db


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default="sqlite",
        choices=("sqlite", "postgresql"),
        help="database backend the suite runs on (postgresql needs TEST_DATABASE_URL)",
    )


def pytest_collection_modifyitems(config, items):
    # On the PostgreSQL pass, tests that never touch the application's database already ran on SQLite.
    if config.getoption("--db") != "postgresql":
        return
    kept = [item for item in items if "app" in getattr(item, "fixturenames", ())]
    deselected = [item for item in items if "app" not in getattr(item, "fixturenames", ())]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_configure(config):
    # Every app built in this process (the suite's and the extra ones some tests make) indexes into
    # a throw-away folder, never instance/; tantivy keeps indexing after a commit to milliseconds,
    # and tests/search runs every backend.
    os.environ.setdefault("SEARCH_BACKEND", "tantivy")
    os.environ.setdefault("SEARCH_INDEX_DIR", tempfile.mkdtemp(prefix="badgeons-index-"))
    config.addinivalue_line("markers", "browser: drives Debian Chromium through Playwright")
    config.addinivalue_line("markers", "conformance: runs the external Open Badges validators")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """A fresh, empty database for this run: a SQLite file, or a private PostgreSQL schema."""
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("--db=postgresql needs TEST_DATABASE_URL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield from _postgres_schema(base, schema)


def _postgres_schema(base: str, schema: str):
    from directory.config import normalise_database_url

    url = normalise_database_url(base)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application on a database built by the migrations."""
    from flask_migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "KEY_ENCRYPTION_KEY": "test-key-encryption-key-0123456789",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_BASE_URL": "https://badgeons.test",
        }
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app, db):
    """A test client on an empty database."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The application served over real HTTP on 127.0.0.1, on the suite's database."""
    from tests.serving import serving

    with serving(app) as origin:
        yield origin

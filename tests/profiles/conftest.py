"""Profile fixtures: sign a person in, count SQL queries, a real index, the foreign platform of imported badges."""

import pytest
from flask import g
from sqlalchemy import event

from directory.extensions import db as _db
from tests.badges.issuing_helpers import login
from tests.fixtures.foreign_issuer import EMAIL
from tests.fixtures.foreign_issuer import running
from tests.profiles import factories
from tests.search.private_index import private_index


@pytest.fixture
def login_as(client):
    """Sign a user in on the test client (None signs out)."""

    def sign_in(user) -> None:
        # Requests reuse the test's app context, so Flask-Login's cached user must go too.
        g.pop("_login_user", None)
        if user is None:
            with client.session_transaction() as session:
                session.clear()
            return
        login(client, user)

    return sign_in


class QueryCounter:
    """Counts the SQL statements run while it is active."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, db):
    """A context manager factory: ``with count_queries() as counter: ...``; len(counter) is the count."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(_db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(_db.engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def search_index(app, db, tmp_path):
    """The app's search service on a fresh Whoosh index, following the database by its hooks."""
    with private_index(app, tmp_path / "index") as service:
        yield service


@pytest.fixture(scope="module")
def platform():
    """The other platform the imported badges come from (tests/fixtures/foreign_issuer.py), per module."""
    with running() as foreign:
        yield foreign


@pytest.fixture
def holder(app, db, login_as, monkeypatch):
    """The badges' recipient, signed in; the app may fetch from 127.0.0.1 over HTTP."""
    monkeypatch.setitem(app.config, "FETCH_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "FETCH_ALLOW_HTTP", True)
    profile = factories.entrepreneur("Camille Durand", email=EMAIL)
    db.session.commit()
    login_as(profile.user)
    return profile

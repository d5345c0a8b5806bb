"""The search as the application uses it: the configured backend, indexing, results from the database."""

import logging
import tempfile
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.search import indexer
from directory.search.registry import make_backend
from directory.search.types import IndexUnavailable
from directory.search.types import SearchBackend
from directory.search.types import SearchQuery
from directory.search.types import SearchResult

log = logging.getLogger(__name__)


class SearchService:
    """One per application: owns the backend and applies changes to it."""

    def __init__(self, app: Flask):
        self.name = app.config["SEARCH_BACKEND"]
        self.path = Path(app.config.get("SEARCH_INDEX_DIR") or _default_dir(app))
        self.lock_timeout = app.config.get("SEARCH_LOCK_TIMEOUT", 10.0)
        self._backend: SearchBackend | None = None
        self._guard = threading.Lock()
        self.checked = False  # whether this process has checked the index since it started

    @property
    def backend(self) -> SearchBackend:
        """The backend, created on first use (PostgreSQL needs the app's engine)."""
        with self._guard:
            if self._backend is None:
                self._backend = make_backend(self.name, self.path, db.engine, self.lock_timeout)
            return self._backend

    def use(self, name: str) -> SearchBackend:
        """Switch to another backend (tests and the benchmark)."""
        with self._guard:
            if self._backend is not None:
                self._backend.close()
            self.name, self._backend = name, None
        return self.backend

    def session(self) -> Session:
        """A private session: indexing reads committed data, apart from the request's session."""
        return Session(bind=db.engine, autoflush=False, expire_on_commit=False)

    def apply(self, keys: set[tuple[str, int]]) -> int:
        with self.session() as session:
            return indexer.apply_changes(self.backend, session, keys)

    def reindex(self, progress=None) -> int:
        with self.session() as session:
            return indexer.rebuild(self.backend, session, progress)

    def health(self) -> dict:
        return self.backend.health()

    def search(self, query: SearchQuery) -> SearchResult:
        """Search; an index found broken is rebuilt from the database and asked again."""
        try:
            return self.backend.search(query)
        except IndexUnavailable:
            self.ensure_ready()
            return self.backend.search(query)

    def ensure_ready(self) -> dict:
        """At start: rebuild a missing, stale or corrupt index from the database."""
        state = self.health()
        if state["ok"]:
            return state
        log.warning("search index unusable (%s): rebuilding from the database", state.get("error"))
        try:
            self.reindex()
        except (SQLAlchemyError, IndexUnavailable) as error:
            log.warning("search index not rebuilt: %s", str(error).splitlines()[0])
        return self.health()


def _default_dir(app: Flask) -> Path:
    # Tests that do not name a directory must not touch the developer's instance/ index.
    if app.testing:
        return Path(tempfile.mkdtemp(prefix="badgeons-search-"))
    return Path(app.instance_path) / "search"

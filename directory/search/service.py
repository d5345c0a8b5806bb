"""The search as the application uses it: the configured backend, indexing, results from the database."""

import logging
import tempfile
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.search import deferred
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
        self.inline_limit = app.config.get("SEARCH_INLINE_LIMIT", 200)
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
        """Follow committed changes; a large fan-out goes to a background job when there are workers.

        An endorsement or a renamed badge class changes the document of every holder: at
        100,000 profiles that is thousands of documents, minutes of work that must not hold the
        request. With Redis (scale-out) it is left to `flask worker` (search/deferred.py, which
        coalesces the changes waiting); the embedded default, with no worker to hand it to,
        indexes at once as before.
        """
        with self.session() as session:
            ids = indexer.affected_profiles(session, keys)
            suggestions = ("suggestions", 0) in keys
            if len(ids) > self.inline_limit and deferred.defer(keys - {("suggestions", 0)}):
                if suggestions:
                    self.backend.replace_suggestions(indexer.suggestion_entries(session))
                return 0
            return indexer.index_profiles(self.backend, session, ids, refresh_suggestions=suggestions)

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


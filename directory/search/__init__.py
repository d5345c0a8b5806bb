"""The index behind the directory: backends (Whoosh, tantivy, PostgreSQL), indexing hooks, views, API.

The backends and their query builders are pure (no Flask); `service`, `results`, `views`
and `hooks` are the application side. The index is rebuilt from the database whenever it
is found missing, stale or corrupt: at the first request of each process, by
`flask search reindex`, and by a search that finds a profile the database no longer lists.
"""

from flask import Flask
from flask import current_app

from directory.search import hooks
from directory.search.service import SearchService


def init_app(app: Flask) -> None:
    """Create the search service, follow the session's commits, check the index on first request."""
    app.extensions["search"] = SearchService(app)
    hooks.register()
    app.before_request(_check_index_once)


def _check_index_once() -> None:
    service: SearchService = current_app.extensions["search"]
    if not service.checked:
        service.checked = True
        service.ensure_ready()

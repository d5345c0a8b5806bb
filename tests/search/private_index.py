"""The app's search service on an index of its own for one test, put back as it was afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_index(app, path: Path, backend: str = "whoosh") -> Iterator:
    """Switch the service to a fresh ``backend`` index under ``path``, rebuilt from the database."""
    service = app.extensions["search"]
    previous = service.path
    service.path = path
    service.use(backend)
    service.reindex()
    service.checked = True
    try:
        yield service
    finally:
        service.backend.close()
        service.path = previous
        service.use(app.config["SEARCH_BACKEND"])

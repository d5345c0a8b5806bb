"""The backends, by the name `SEARCH_BACKEND` gives (pure module, no Flask)."""

from pathlib import Path

from sqlalchemy.engine import Engine

from directory.search.postgres_backend import PostgresBackend
from directory.search.tantivy_backend import TantivyBackend
from directory.search.types import SearchBackend
from directory.search.whoosh_backend import WhooshBackend

BACKENDS = {"whoosh": WhooshBackend, "tantivy": TantivyBackend, "postgres": PostgresBackend}


def make_backend(name: str, path: Path, engine: Engine, lock_timeout: float = 10.0) -> SearchBackend:
    """The backend called `name`: embedded ones under `path`, PostgreSQL on `engine`."""
    if name not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "postgres":
        return PostgresBackend(engine)
    return BACKENDS[name](path / name, lock_timeout=lock_timeout)

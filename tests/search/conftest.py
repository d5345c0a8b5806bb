"""Search fixtures: a backend per test on a clean index, and small factories for indexed data."""

import os

import pytest

from directory.search.registry import BACKENDS
from tests.search.private_index import private_index


def backend_names(config) -> list[str]:
    """Every backend this run can exercise: PostgreSQL only on `--db=postgresql`."""
    names = ["whoosh", "tantivy"]
    if config.getoption("--db") == "postgresql" and os.environ.get("TEST_DATABASE_URL"):
        names.append("postgres")
    return names


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", backend_names(metafunc.config))


@pytest.fixture
def search(app, db, tmp_path, request):
    """The app's search service on a fresh, empty index (whoosh unless the test asks otherwise)."""
    name = (
        request.node.callspec.params.get("backend_name", "whoosh")
        if hasattr(request.node, "callspec")
        else "whoosh"
    )
    with private_index(app, tmp_path / "index", name) as service:
        yield service


assert set(BACKENDS) == {"whoosh", "tantivy", "postgres"}

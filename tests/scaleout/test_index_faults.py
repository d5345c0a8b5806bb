"""The Whoosh index deleted or corrupted under gunicorn (two workers, PostgreSQL): detected, rebuilt.

Single-host deployments keep the search index in Whoosh files (SEARCH_BACKEND=whoosh); the
database is the truth and the index is rebuilt from it (directory/search/service.py). Here the
files are damaged as a disk or an operator would: before the server starts, while it serves
(files deleted, or replaced by garbage — replaced, not overwritten in place, since the workers
map the old files), and offline, where `flask search reindex` repairs them. Every search after
the damage answers with exactly the profiles in the database, never a 500, and ``/healthz``
reports the index healthy again.
"""

import os
import shutil
import signal
import time
import uuid
from pathlib import Path

import pytest

from directory import create_app
from directory.extensions import db
from tests.badges import ob_factories as factories
from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask
from tests.scaleout.servers import servers

pytestmark = pytest.mark.scaleout

WORD = "tonnellerie"  # no other scale-out test writes it
SEARCHES = 6  # enough for both workers to answer some


@pytest.fixture(scope="module")
def env(scaleout_database, tmp_path_factory):
    return base_env(tmp_path_factory.mktemp("index"), DATABASE_URL=scaleout_database, SEARCH_BACKEND="whoosh",
                    WEB_CONCURRENCY="2")  # fmt: skip


@pytest.fixture(scope="module")
def slugs(env, scaleout_database) -> set[str]:
    """Three listed profiles about the word, written straight to the database."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": scaleout_database, "SECRET_KEY": env["SECRET_KEY"],
        "KEY_ENCRYPTION_KEY": env["KEY_ENCRYPTION_KEY"], "SEARCH_BACKEND": "postgres", "RATELIMIT_ENABLED": False,
    })  # fmt: skip
    with app.app_context():
        made = {f"tonnelier-{uuid.uuid4().hex[:8]}" for _ in range(3)}
        for slug in made:
            factories.profile(slug=slug, display_name="Jo Tonnelier", bio=f"Atelier de {WORD} artisanale.")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return made


def profiles_dir(env) -> Path:
    return Path(env["SEARCH_INDEX_DIR"]) / "whoosh" / "profiles"


def corrupt(env) -> None:
    """Replace every index file (the version stamp aside) by garbage of the same name."""
    damaged = 0
    for path in profiles_dir(env).iterdir():
        if path.is_file() and not path.name.startswith("BADGEONS"):
            spare = path.with_name(path.name + ".garbage")
            spare.write_bytes(b"\x00garbage\xff" * 7)
            os.replace(spare, path)
            damaged += 1
    assert damaged, "there was an index to damage"


def assert_search_answers(server, slugs: set[str]) -> None:
    for _ in range(SEARCHES):
        response = server.get(f"/api/v1/search?q={WORD}&per_page=50")
        assert response.status_code == 200, response.text[:500]
        found = {hit["slug"] for hit in response.json()["hits"]}
        assert found == slugs
    health = server.get("/healthz").json()["search"]
    assert health["ok"] is True and health["backend"] == "whoosh", health


@pytest.fixture(scope="module")
def server(env, slugs, tmp_path_factory):
    """Built by the operator's command, corrupted, then the server started on it."""
    assert "profiles indexed (whoosh)" in flask(env, "search", "reindex")
    corrupt(env)
    with servers(tmp_path_factory.mktemp("logs"), env) as (started,):
        yield started


def test_a_corrupt_index_at_start_is_rebuilt_before_the_first_search(server, slugs):
    assert_search_answers(server, slugs)
    assert "search index unusable" in server.logs()


def rebuilds(server) -> int:
    return server.logs().count("search index unusable")


def test_an_index_deleted_while_serving_is_rebuilt(server, env, slugs):
    assert_search_answers(server, slugs)  # both workers hold open searchers
    before = rebuilds(server)
    shutil.rmtree(Path(env["SEARCH_INDEX_DIR"]) / "whoosh")
    assert_search_answers(server, slugs)
    assert rebuilds(server) > before


def test_an_index_corrupted_while_serving_is_rebuilt_by_new_workers(server, env, slugs):
    """Workers keep answering from the files they mapped; the next ones find the damage and rebuild."""
    assert_search_answers(server, slugs)
    before, workers = rebuilds(server), server.worker_pids()
    corrupt(env)
    assert_search_answers(server, slugs)
    os.kill(server.process.pid, signal.SIGHUP)  # gunicorn replaces its workers, as after max_requests
    deadline = time.monotonic() + 60
    while server.worker_pids() & workers or len(server.worker_pids()) < 2:
        assert time.monotonic() < deadline, "gunicorn did not replace its workers"
        time.sleep(0.1)  # polling another process
    assert_search_answers(server, slugs)
    assert rebuilds(server) > before
    assert '" 500 ' not in server.access_log.read_text()


def test_the_operator_command_repairs_a_corrupt_index(env, slugs):
    corrupt(env)
    output = flask(env, "search", "reindex")
    assert "profiles indexed (whoosh)" in output
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "x", "KEY_ENCRYPTION_KEY": "y" * 32,
                      "SEARCH_BACKEND": "whoosh", "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"]})  # fmt: skip
    with app.app_context():
        assert app.extensions["search"].health()["ok"] is True
        db.engine.dispose()

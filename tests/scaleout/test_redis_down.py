"""Redis down: the site stays up, rate limits count in memory, the logs and /healthz say so.

/healthz answers 200 with status "degraded": the site serves every page, only the sharing
of rate limits between processes is lost, so a load balancer must keep the host in rotation.
A 503 stays reserved for "this host cannot serve" (its database is unreachable).
"""

import socket

import pytest
from flask_migrate import upgrade

from directory import create_app
from tests.scaleout.servers import base_env
from tests.scaleout.servers import servers

pytestmark = pytest.mark.scaleout

LIMIT = 3


@pytest.fixture(scope="module")
def closed_port():
    """A local port bound but not listening: connecting to it is refused at once."""
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        yield placeholder.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory) -> str:
    """A migrated SQLite database (no PostgreSQL needed: this test runs everywhere)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'badgeons.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
    return url


@pytest.fixture(scope="module")
def server(sqlite_url, closed_port, tmp_path_factory):
    """One server, one worker (so the in-memory count is one count), Redis unreachable."""
    env = base_env(
        tmp_path_factory.mktemp("redis-down"),
        DATABASE_URL=sqlite_url,
        REDIS_URL=f"redis://127.0.0.1:{closed_port}/0",
        RATELIMIT_APPLICATION=f"{LIMIT} per hour",
        WEB_CONCURRENCY="1",
    )
    with servers(tmp_path_factory.mktemp("logs"), env) as (started,):
        yield started


def test_pages_answer_and_limits_fall_back_to_memory(server):
    for path in ("/", "/a-propos", "/badges")[:LIMIT]:
        assert server.get(path).status_code == 200, path

    refused = server.get("/organisations")

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_healthz_says_degraded_but_up(server):
    response = server.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["rate_limits"] == {"storage": "memory", "ok": False}
    assert body["database"]["ok"] is True


def test_the_fallback_is_logged(server):
    server.get("/a-propos")  # at least one request went through the limiter
    logs = server.logs()

    assert "counting in memory, per process" in logs  # at start-up, by the app
    assert "falling back to in-memory storage" in logs  # at the first request, by Flask-Limiter
    assert "Traceback" not in logs

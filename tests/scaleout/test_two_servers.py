"""Two app servers (separate gunicorn processes) on one PostgreSQL and one Redis, configured by environment alone."""

import random
import string
from urllib.parse import quote

import pytest

from directory import create_app
from directory.extensions import db
from directory.profiles.models import Profile
from tests.scaleout.servers import base_env
from tests.scaleout.servers import servers

pytestmark = pytest.mark.scaleout

# Shared by every request of this module from 127.0.0.1; /healthz (readiness polls) is exempt.
LIMIT = 40


@pytest.fixture(scope="module")
def cluster(scaleout_database, redis_url, redis_prefix, tmp_path_factory):
    """Servers A and B; one worker each keeps start-up short, the servers being the point here."""
    settings = {
        "DATABASE_URL": scaleout_database,
        "REDIS_URL": redis_url,
        "SEARCH_BACKEND": "postgres",
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "RATELIMIT_APPLICATION": f"{LIMIT} per hour",
        "WEB_CONCURRENCY": "1",
    }
    logs = tmp_path_factory.mktemp("logs")
    envs = [base_env(tmp_path_factory.mktemp(name), **settings) for name in ("a", "b")]
    with servers(logs, *envs) as started:
        yield started


def add_profile(database_url: str, name: str) -> str:
    """Create a listed profile through the app's own code (ORM, indexing hooks); return its slug."""
    app = create_app(
        {
            "TESTING": True,
            # A write stuck behind someone else's lock on the shared server fails in 30 s, not never.
            "SQLALCHEMY_DATABASE_URI": f"{database_url}%20-clock_timeout%3D30s",
            "SEARCH_BACKEND": "postgres",
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "scaleout-secret",
            "KEY_ENCRYPTION_KEY": "scaleout-key-encryption-key-0123456789",
        }
    )
    slug = "-".join(name.lower().replace("é", "e").split())
    with app.app_context():
        db.session.add(Profile(slug=slug, display_name=name, visibility="public", listing_consent=True))
        db.session.commit()
        db.engine.dispose()
    return slug


def test_a_write_is_visible_and_searchable_on_both_servers_at_once(cluster, scaleout_database):
    a, b = cluster
    surname = "".join(random.choices(string.ascii_lowercase, k=10)).capitalize()
    name = f"Zéphyrine {surname}"
    # Both servers have served pages (and so opened connections and caches) before the write.
    assert a.get(f"/search?q={surname}").status_code == b.get("/").status_code == 200

    slug = add_profile(scaleout_database, name)

    for server in (a, b):
        page = server.get(f"/profiles/{slug}")
        assert page.status_code == 200, server.url
        assert name in page.text
        found = server.get(f"/search?q={quote(surname)}")
        assert found.status_code == 200
        assert f"/profiles/{slug}" in found.text, f"{name} not found by search on {server.url}"


def test_rate_limits_are_shared_by_both_servers(cluster):
    a, b = cluster
    first = a.get("/a-propos")
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == str(LIMIT)
    remaining = int(first.headers["X-RateLimit-Remaining"])

    # Alternate servers: each answer counts down the same counter, one by one.
    for step in range(remaining):
        response = (b, a)[step % 2].get("/a-propos")
        assert response.status_code == 200
        assert int(response.headers["X-RateLimit-Remaining"]) == remaining - 1 - step

    for server in (b, a):
        refused = server.get("/a-propos")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert "Trop de demandes" in refused.text
    assert a.get("/healthz").json()["rate_limits"] == {"storage": "redis", "ok": True}

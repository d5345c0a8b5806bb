"""A change that re-indexes many profiles is queued for a worker when Redis is there.

An endorsement changes the search document of every holder of the badge class. Past
SEARCH_INLINE_LIMIT holders (3 here), the request that commits it only queues the work; the
index catches up once `flask worker` has run the job, on the same database and index.
"""

import pytest

from directory.core import jobs
from directory.core import redis as redis_ext
from directory.search.types import SearchQuery
from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask
from tests.search import factories

pytestmark = pytest.mark.scaleout
HOLDERS = 5


@pytest.fixture
def network(app, db, redis_url, queue_name, monkeypatch):
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, redis_ext.connect(redis_url))
    monkeypatch.setitem(app.config, "JOBS_QUEUE", queue_name)
    service = app.extensions["search"]
    monkeypatch.setattr(service, "inline_limit", 3)
    badge = factories.badge_class("Négociation commerciale")
    partner = factories.organisation("Agglo du Lys", kind="local_authority")
    for n in range(HOLDERS):
        factories.award(factories.profile(f"Personne {n}"), badge)
    db.session.commit()
    return service, badge, partner


def endorsed_by(service, partner) -> int:
    return service.search(SearchQuery(filters={"reconnu_par": (partner.slug,)})).total


def test_a_large_fan_out_waits_for_a_worker_then_reaches_the_index(app, db, network, redis_url, queue_name, tmp_path):
    service, badge, partner = network
    service.reindex()
    assert endorsed_by(service, partner) == 0

    with app.test_request_context():
        factories.endorsement(partner, badge)
        db.session.commit()  # the hook queues the re-indexing of the 5 holders

    assert endorsed_by(service, partner) == 0  # nothing done in the request
    env = base_env(tmp_path, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url,
                   JOBS_QUEUE=queue_name, SEARCH_BACKEND=service.name, SEARCH_INDEX_DIR=str(service.path))  # fmt: skip
    flask(env, "worker", "--burst", timeout=120)
    assert endorsed_by(service, partner) == HOLDERS


def test_changes_waiting_for_a_worker_share_one_job(app, db, network, redis_url, queue_name, tmp_path):
    import redis
    from rq import Queue

    service, badge, partner = network
    other = factories.organisation("Assurance mutuelle", kind="insurer")
    db.session.commit()
    service.reindex()
    with app.test_request_context():
        factories.endorsement(partner, badge)
        db.session.commit()
        factories.endorsement(other, badge)
        db.session.commit()

    assert Queue(queue_name, connection=redis.Redis.from_url(redis_url)).count == 1
    env = base_env(tmp_path, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url,
                   JOBS_QUEUE=queue_name, SEARCH_BACKEND=service.name, SEARCH_INDEX_DIR=str(service.path))  # fmt: skip
    flask(env, "worker", "--burst", timeout=120)
    assert endorsed_by(service, partner) == HOLDERS and endorsed_by(service, other) == HOLDERS


def test_a_small_change_is_indexed_in_the_request(app, db, network):
    service, badge, partner = network
    service.reindex()
    extra = factories.badge_class("Gestion financière")
    holder = factories.profile("Dominique Petit")
    factories.award(holder, extra)
    db.session.commit()
    with app.test_request_context():
        factories.endorsement(partner, extra)
        db.session.commit()
    assert endorsed_by(service, partner) == 1


def test_without_redis_everything_is_indexed_at_once(app, db, network, monkeypatch):
    service, badge, partner = network
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, None)
    service.reindex()
    factories.endorsement(partner, badge)
    db.session.commit()
    assert endorsed_by(service, partner) == HOLDERS
    assert jobs.redis_client() is None

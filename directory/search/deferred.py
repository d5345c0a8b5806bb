"""Large re-indexing handed to the RQ workers, coalesced: many changes waiting, one job.

An endorsement re-indexes every holder of the class: 18,000 profiles, minutes of work at
100,000 profiles. Queuing one job per change piles up hours of repeated work when partners
endorse and withdraw at the same time (the load test queued sixty such jobs in a minute). So
the changed keys go into one Redis set, and at most one "drain" job waits in the queue: it takes
everything pending when it starts, re-reads the affected profiles from the database (the latest
committed state, whatever the order of the changes) and indexes them. A change arriving while
it runs queues the next drain.

If a drain fails, its keys go back into the set for the next one; a work-horse killed mid-drain
loses them, and `flask search reindex` repairs the index, as after any crash between a commit
and its indexing.
"""

import logging
import uuid
from collections.abc import Iterable

from flask import current_app
from redis.exceptions import RedisError
from redis.exceptions import ResponseError

from directory.core import jobs
from directory.core.redis import redis_client
from directory.search import indexer

JOB = "directory.search.deferred.drain"
# If the queued drain never runs (no worker), a new one is allowed after this long.
QUEUED_SECONDS = 3600
log = logging.getLogger(__name__)


def defer(keys: Iterable[tuple[str, int]]) -> bool:
    """Leave these changes to the workers; False when there is no queue (index them now)."""
    client = redis_client()
    if client is None:
        return False
    pending, queued = _names()
    members = [f"{kind}:{key}" for kind, key in keys]
    try:
        client.sadd(pending, *members)
        if client.set(queued, b"1", nx=True, ex=QUEUED_SECONDS):
            _enqueue(client, queued)
    except (RedisError, OSError, jobs.JobsUnavailable) as error:
        log.warning("search: cannot defer re-indexing (%s); indexing in this request", error)
        return False
    return True


def drain() -> dict:
    """The job: index every profile touched by the pending changes."""
    client = redis_client()
    pending, queued = _names()
    client.delete(queued)  # a change from now on queues the next drain
    taken = f"{pending}:{uuid.uuid4().hex}"
    try:
        client.rename(pending, taken)
    except ResponseError:  # nothing pending: an earlier drain took it all
        return {"count": 0}
    members = client.smembers(taken)
    try:
        count = _index({_decode(member) for member in members})
    except Exception:
        client.sadd(pending, *members)  # for the next drain
        raise
    finally:
        client.delete(taken)
    return {"count": count}


def _index(keys: set[tuple[str, int]]) -> int:
    service = current_app.extensions["search"]
    with service.session() as session:
        ids = indexer.affected_profiles(session, keys)
        return indexer.index_profiles(service.backend, session, ids, on_batch=jobs.report_progress)


def _enqueue(client, queued: str) -> None:
    try:
        jobs.enqueue(JOB, user_id=None, kind="reindex", description="search: re-index pending changes")
    except jobs.JobsUnavailable:
        client.delete(queued)
        raise


def _names() -> tuple[str, str]:
    """Redis keys of this deployment (its queue name tells deployments sharing a Redis apart)."""
    prefix = f"{current_app.config['JOBS_QUEUE']}:search"
    return f"{prefix}:pending", f"{prefix}:drain-queued"


def _decode(member: bytes) -> tuple[str, int]:
    kind, _, key = member.decode().rpartition(":")
    return kind, int(key)

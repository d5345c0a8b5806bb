"""Faults on a gunicorn server with two workers on PostgreSQL: a worker killed mid-request,
the database dropping every connection. (The shared PostgreSQL server is never restarted:
other people use it. Terminating the app's backends is what a restart does to the app.)
"""

import contextlib
import http.client
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text

from tests.scaleout.servers import base_env
from tests.scaleout.servers import servers

pytestmark = pytest.mark.scaleout

DEADLINE = 60  # seconds for anything awaited from another process


@pytest.fixture(scope="module")
def application_name() -> str:
    """How PostgreSQL names this server's connections, so the test can find them."""
    return f"badgeons-faults-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def server(scaleout_database, application_name, tmp_path_factory):
    env = base_env(
        tmp_path_factory.mktemp("faults"),
        DATABASE_URL=f"{scaleout_database}&application_name={application_name}",
        SEARCH_BACKEND="postgres",
        WEB_CONCURRENCY="2",
    )
    with servers(tmp_path_factory.mktemp("logs"), env) as (started,):
        yield started


@pytest.fixture(scope="module")
def admin(scaleout_database):
    """A separate connection for locks and pg_stat_activity."""
    engine = create_engine(scaleout_database)
    yield engine
    engine.dispose()


def wait_for(condition, what: str):
    """Poll another process's state until ``condition()`` is truthy; return its value."""
    deadline = time.monotonic() + DEADLINE
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {DEADLINE} s for {what}")
        time.sleep(0.05)
    return value


def waiting_on_lock(admin, application_name: str) -> bool:
    with admin.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND wait_event_type = 'Lock'"
        return connection.execute(text(query), {"name": application_name}).scalar() > 0


def worker_serving(server, client_port: int) -> int | None:
    """The worker pid holding the TCP connection that comes from ``client_port``."""
    server_port = int(server.url.rsplit(":", 1)[1])
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = (int(address.rsplit(":", 1)[1], 16) for address in fields[1:3])
            if (local, remote) == (server_port, client_port):
                inodes.add(f"socket:[{fields[9]}]")
    for pid in server.worker_pids():
        with contextlib.suppress(OSError):
            if inodes & {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}:
                return pid
    return None


def test_a_worker_killed_mid_request_is_replaced_and_the_others_serve(server, admin, application_name):
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    workers_before = wait_for(lambda: len(server.worker_pids()) == 2 and server.worker_pids(), "two workers")
    slow = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
    with admin.connect() as locker:
        # Hold the profiles table so the home page request stops inside the app, mid-query.
        locker.execute(text("LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE"))
        slow.request("GET", "/")
        wait_for(lambda: waiting_on_lock(admin, application_name), "the request to wait on the lock")
        victim = wait_for(lambda: worker_serving(server, slow.sock.getsockname()[1]), "the worker serving it")
        os.kill(victim, signal.SIGKILL)
        with pytest.raises((http.client.HTTPException, OSError)):
            slow.getresponse()
        locker.rollback()
    slow.close()

    for path in ("/", "/a-propos", "/healthz", "/"):
        assert server.get(path).status_code == 200, path
    workers_after = wait_for(lambda: len(server.worker_pids()) == 2 and server.worker_pids(), "a new worker")
    assert victim in workers_before and victim not in workers_after
    assert server.process.poll() is None


def test_connections_dropped_by_postgres_are_replaced(server, admin, application_name):
    for _ in range(6):  # both workers hold pooled connections
        assert server.get("/").status_code == 200
    with admin.connect() as connection:
        query = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"
        terminated = connection.execute(text(query), {"name": application_name}).scalar()
    assert terminated >= 1

    # pool_pre_ping notices each dead connection at checkout and opens a new one.
    for path in ("/", "/healthz", "/badges", "/", "/organisations", "/"):
        response = server.get(path)
        assert response.status_code == 200, path
    assert server.get("/healthz").json()["database"]["ok"] is True

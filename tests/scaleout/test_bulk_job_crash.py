"""A bulk award confirmed on the web runs on an RQ worker; its work-horse killed mid-write leaves nothing.

The issuer confirms an uploaded file; the award job is queued on Redis and a `flask worker`
picks it up. Once PostgreSQL shows the job's transaction writing, the work-horse (the forked
child running the job) is SIGKILLed. The worker reports the job failed, the database holds
none of the file's awards, and the upload still waits for confirmation; confirming it again
(a new job) awards every line once.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import select

from directory import create_app
from directory.badges import bulk
from directory.badges.models import BadgeClass
from directory.badges.models import BulkAwardJob
from directory.core import jobs
from directory.extensions import db
from tests.badges.issuing_helpers import member
from tests.scaleout.servers import ROOT
from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask
from tests.scaleout.test_bulk_crash import DEADLINE
from tests.scaleout.test_bulk_crash import LINES
from tests.scaleout.test_bulk_crash import badge_slug  # noqa: F401 - a fixture shared with the CLI crash test
from tests.scaleout.test_bulk_crash import csv_file  # noqa: F401 - a fixture shared with the CLI crash test
from tests.scaleout.test_bulk_crash import counts
from tests.scaleout.test_bulk_crash import writing

pytestmark = pytest.mark.scaleout


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the RQ worker's work-horse)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # the process ended while we looked
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(condition, what: str, seconds: float = DEADLINE):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.05)  # polling another process
    return value


@pytest.fixture
def uploaded(scaleout_database, redis_url, queue_name, csv_file, badge_slug):
    """An app on the scale-out database and a test queue, and a confirmed-ready upload of the CSV."""
    path, pattern = csv_file
    app = create_app({"SQLALCHEMY_DATABASE_URI": scaleout_database, "SECRET_KEY": "scaleout-secret",
                      "KEY_ENCRYPTION_KEY": "scaleout-key-encryption-key-0123456789", "RATELIMIT_ENABLED": False,
                      "SEARCH_BACKEND": "postgres", "REDIS_URL": redis_url, "JOBS_QUEUE": queue_name})  # fmt: skip
    with app.app_context():
        badge = db.session.scalar(select(BadgeClass).where(BadgeClass.slug == badge_slug))
        reviewer = member(badge.issuer, "reviewer")
        upload = bulk.create_job(badge.issuer, reviewer, path.name, path.read_text(encoding="utf-8"))
        db.session.commit()
        ids = {"job": upload.id, "user": reviewer.id}
    yield app, ids, pattern
    with app.app_context():
        db.engine.dispose()


def confirm(app, ids) -> str:
    with app.test_request_context():
        return jobs.enqueue("directory.badges.bulk.run_job", ids["job"], ids["user"], user_id=ids["user"],
                            kind="bulk_award")  # fmt: skip


def status(app, job_id: str) -> dict:
    with app.app_context():
        return jobs.job_status(job_id, user_id=None)


def upload_state(app, ids) -> str:
    with app.app_context():
        state = db.session.get(BulkAwardJob, ids["job"]).state
        db.session.remove()
        return state


def test_a_bulk_award_job_killed_mid_write_leaves_nothing_and_runs_again(
    uploaded, scaleout_database, redis_url, queue_name, badge_slug, tmp_path
):
    app, ids, pattern = uploaded
    name = f"badgeons-job-{uuid.uuid4().hex[:8]}"
    env = base_env(tmp_path, DATABASE_URL=f"{scaleout_database}&application_name={name}", SEARCH_BACKEND="postgres",
                   REDIS_URL=redis_url, JOBS_QUEUE=queue_name)  # fmt: skip
    engine = create_engine(scaleout_database)
    first = confirm(app, ids)
    # --burst: no retry scheduler beside the work-horse, and the worker stops once the queue is empty.
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        wait_for(lambda: writing(engine, name), "the job never started writing")
        horses = children(worker.pid)
        assert len(horses) == 1, horses
        os.kill(horses[0], signal.SIGKILL)

        failed = wait_for(lambda: (s := status(app, first))["status"] == "failed" and s, "the job was not reported failed")
        assert failed["error"] in (None, jobs.GENERIC_ERROR)
        wait_for(lambda: not writing(engine, name), "the killed job's transaction is still open", 60)
        assert counts(engine, pattern, badge_slug) == (0, 0)
        assert upload_state(app, ids) == "preview"  # the issuer can confirm it again
    finally:
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the burst worker had already stopped
        worker.wait(30)

    second = confirm(app, ids)
    flask(env, "worker", "--burst", timeout=300)
    done = status(app, second)
    assert (done["status"], done["result"]) == ("finished", {"count": LINES})
    assert counts(engine, pattern, badge_slug) == (LINES, LINES)
    assert upload_state(app, ids) == "applied"
    engine.dispose()

"""Background jobs: in-process without Redis, on an RQ worker (`flask worker`) with it."""

import logging
import subprocess
import sys

import pytest

from directory.core import jobs
from directory.core import redis as redis_ext
from tests.scaleout.servers import ROOT
from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask

SELFTEST = "directory.core.jobs.selftest"


def fail_for_the_user() -> None:
    raise jobs.JobError("La ligne 3 du fichier n'a pas d'adresse électronique.")


def fail_unexpectedly() -> None:
    raise KeyError("internal detail")


@pytest.fixture
def in_process(app, monkeypatch):
    """The app with no Redis: jobs run at once, in this process."""
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, None)
    with app.test_request_context():
        yield


def test_in_process_job_runs_at_once_and_reports_progress(in_process):
    job_id = jobs.enqueue(SELFTEST, 4, user_id=7)

    assert jobs.job_status(job_id, user_id=7) == {
        "id": job_id,
        "status": "finished",
        "progress": {"done": 4, "total": 4, "message": "étape 4 sur 4"},
        "result": {"steps": 4},
        "error": None,
        "kind": "task",
        "back": None,
    }


@pytest.mark.parametrize("job_id", ["", "nonsense", "../../etc", "A" * 32, None])
def test_unknown_or_malformed_job_ids_read_nothing(in_process, job_id):
    assert jobs.job_status(job_id, user_id=7) is None


def test_only_the_user_who_started_a_job_reads_it(in_process):
    job_id = jobs.enqueue(SELFTEST, 1, user_id=7)

    assert jobs.job_status(job_id, user_id=8) is None
    assert jobs.job_status(job_id, user_id=None)["status"] == "finished"  # CLI, administrators


def test_a_job_error_is_shown_to_the_user(in_process):
    job_id = jobs.enqueue(f"{__name__}.fail_for_the_user", user_id=7)

    status = jobs.job_status(job_id, user_id=7)
    assert status["status"] == "failed"
    assert status["error"] == "La ligne 3 du fichier n'a pas d'adresse électronique."


def test_an_unexpected_failure_is_logged_and_shown_generically(in_process, caplog):
    with caplog.at_level(logging.ERROR):
        job_id = jobs.enqueue(f"{__name__}.fail_unexpectedly", user_id=7)

    assert jobs.job_status(job_id, user_id=7)["error"] == jobs.GENERIC_ERROR
    assert "internal detail" in caplog.text


# ------------------------------------------------------------------ RQ


@pytest.fixture
def on_redis(app, redis_url, queue_name, monkeypatch):
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, redis_ext.connect(redis_url))
    monkeypatch.setitem(app.config, "JOBS_QUEUE", queue_name)
    with app.test_request_context():
        yield


@pytest.mark.scaleout
def test_flask_worker_runs_queued_jobs_and_progress_is_readable(on_redis, redis_url, queue_name, tmp_path):
    done = jobs.enqueue(SELFTEST, 3, user_id=7)
    broken = jobs.enqueue(SELFTEST, "three", user_id=7)
    assert jobs.job_status(done, user_id=7)["status"] == "queued"
    assert jobs.job_status(done, user_id=8) is None

    env = base_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.db'}",
        REDIS_URL=redis_url,
        JOBS_QUEUE=queue_name,
    )
    flask(env, "worker", "--burst", timeout=120)

    assert jobs.job_status(done, user_id=7) == {
        "id": done,
        "status": "finished",
        "progress": {"done": 3, "total": 3, "message": "étape 3 sur 3"},
        "result": {"steps": 3},
        "error": None,
        "kind": "task",
        "back": None,
    }
    failed = jobs.job_status(broken, user_id=7)
    assert (failed["status"], failed["error"]) == ("failed", jobs.GENERIC_ERROR)


@pytest.mark.scaleout
def test_jobs_check_passes_with_a_running_worker(redis_url, queue_name, tmp_path):
    env = base_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.db'}",
        REDIS_URL=redis_url,
        JOBS_QUEUE=queue_name,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        output = flask(env, "jobs", "check", "--timeout", "90", timeout=120)
    finally:
        worker.terminate()  # RQ's warm shutdown: finish the current job, then exit
        worker.wait(30)
    assert "finished: {'steps': 3}" in output


def test_worker_refuses_to_start_without_redis(app, in_process):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output

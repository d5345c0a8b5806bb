"""Background jobs: an RQ queue on Redis when REDIS_URL is set, run at once in-process otherwise.

    job_id = enqueue("directory.badges.services.bulk_award", ids, user_id=current_user.id)
    job_status(job_id, user_id=current_user.id)  # {"id", "status", "progress", "result", "error"}

A job is a plain function named by its dotted path (arguments must pickle). It runs in an
application context, commits its own work like a CLI command does, calls ``report_progress``
now and then, and returns something JSON-able. Call ``enqueue`` after the view has committed:
in-process, the job shares the request's session. Raise ``JobError`` for a failure the user
should read; any other exception shows a generic message and is logged with its traceback.

Workers run ``flask worker``; each job runs in a forked child (RQ's default), so a crash or
a memory leak in one job never takes the worker down. Progress and outcome live in the RQ job
(its ``meta``), kept a day after success and a week after failure: no table, no local disk.
"""

import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module
from typing import Any

import click
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from flask.cli import with_appcontext
from redis.exceptions import RedisError
from rq import Queue
from rq import Retry
from rq import Worker
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

from directory.core.redis import ping
from directory.core.redis import redis_client
from directory.extensions import db

RESULT_TTL = 24 * 3600
FAILURE_TTL = 7 * 24 * 3600
GENERIC_ERROR = "La tâche a échoué. L'équipe technique a été prévenue."
JOB_ID = re.compile(r"[0-9a-f]{32}")
# In-process jobs are remembered per process, for the few minutes a user watches them.
LOCAL_LIMIT = 200
STATUSES = {  # RQ's statuses, folded into the four a user needs
    "created": "queued",
    "queued": "queued",
    "deferred": "queued",
    "scheduled": "queued",
    "ready_to_enqueue": "queued",
    "rate_limited": "queued",
    "started": "started",
    "finished": "finished",
    "failed": "failed",
    "stopped": "failed",
    "canceled": "failed",
}

_local_jobs: "OrderedDict[str, dict]" = OrderedDict()
_local_lock = threading.Lock()
_current_local: ContextVar[dict | None] = ContextVar("badgeons_local_job", default=None)

jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis, or in-process).")


class JobError(Exception):
    """A job failure whose message is meant for the user who started the job."""


class JobsUnavailable(RuntimeError):
    """The queue (Redis) cannot be reached: nothing was enqueued or read."""


# ------------------------------------------------------------------ starting and reading


def enqueue(
    func_path: str, *args: Any, user_id: int | None, description: str | None = None,
    kind: str = "task", back: str | None = None, retry_intervals: tuple[int, ...] = (),
) -> str:  # fmt: skip
    """Run ``func_path(*args)`` in the background (or now, in-process) and return the job id.

    ``kind`` names what the job does for the page that follows it (``job_views``), ``back``
    is where that page sends the user once the job is over. ``retry_intervals`` (seconds) lets
    RQ try a failed job again, once per interval.
    """
    job_id = uuid.uuid4().hex
    meta = _new_record(user_id, kind, back)
    client = redis_client()
    if client is None:
        _run_here(job_id, func_path, args, meta)
        return job_id
    queue = Queue(current_app.config["JOBS_QUEUE"], connection=client)
    try:
        queue.enqueue(
            perform, func_path, *args,
            job_id=job_id,
            meta=meta,
            description=description or func_path,
            job_timeout=current_app.config["JOBS_TIMEOUT"],
            result_ttl=RESULT_TTL,
            failure_ttl=FAILURE_TTL,
            retry=Retry(max=len(retry_intervals), interval=list(retry_intervals)) if retry_intervals else None,
        )  # fmt: skip
    except (RedisError, OSError) as error:
        raise JobsUnavailable(f"cannot enqueue {func_path}: {error}") from error
    return job_id


def job_status(job_id: str, *, user_id: int | None) -> dict | None:
    """The job's state, or None when unknown or started by someone else (user_id=None reads any)."""
    if not isinstance(job_id, str) or not JOB_ID.fullmatch(job_id):
        return None
    record = _local_jobs.get(job_id) or _rq_record(job_id)
    if record is None or (user_id is not None and record.get("user_id") != user_id):
        return None
    keys = ("status", "progress", "result", "error", "kind", "back")
    return {"id": job_id, **{key: record.get(key) for key in keys}}


def report_progress(done: int, total: int | None = None, message: str = "") -> None:
    """Called by a running job: what ``job_status`` shows as progress."""
    progress = {"done": done, "total": total, "message": message}
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = progress
        job.save_meta()
    elif (record := _current_local.get()) is not None:
        record["progress"] = progress


@contextmanager
def reported(iterable: Iterable, length: int | None = None, label: str = "") -> Iterator[Iterator]:
    """A ``click.progressbar`` look-alike for jobs: what ``progress=`` parameters accept.

    Progress is reported about a hundred times over the whole run, not per item: under RQ each
    report is a write to Redis.
    """
    items = list(iterable) if length is None else iterable
    total = len(items) if length is None else length
    step = max(1, total // 100)

    def walk() -> Iterator:
        done = 0
        for done, item in enumerate(items, 1):
            yield item
            if done % step == 0:
                report_progress(done, total, label)
        report_progress(done, total, label)

    yield walk()


def _new_record(user_id: int | None, kind: str = "task", back: str | None = None) -> dict:
    progress = {"done": 0, "total": None, "message": ""}
    return {"user_id": user_id, "kind": kind, "back": back, "progress": progress, "error": None}


def _rq_record(job_id: str) -> dict | None:
    """The state of an RQ job as a plain dict, or None when Redis does not know it."""
    client = redis_client()
    if client is None:
        return None
    try:
        job = Job.fetch(job_id, connection=client)
        status = STATUSES.get(str(job.get_status(refresh=False).value), "queued")
        result = job.return_value() if status == "finished" else None
    except NoSuchJobError:
        return None
    except (RedisError, OSError) as error:
        raise JobsUnavailable(f"cannot read job {job_id}: {error}") from error
    return {**job.meta, "status": status, "result": result}


# ------------------------------------------------------------------ running


def perform(func_path: str, *args: Any) -> Any:
    """Run one job inside the worker (RQ calls this), keeping a message for the user on failure."""
    try:
        return _call(func_path, args)
    except Exception as error:
        job = get_current_job()
        if job is not None:
            job.meta["error"] = _user_message(error)
            job.save_meta()
        raise  # RQ logs the traceback and marks the job failed


def _run_here(job_id: str, func_path: str, args: tuple, meta: dict) -> None:
    """The embedded default: run the job now, in this process, remembering its outcome."""
    record = {**meta, "status": "started", "result": None}
    _remember(job_id, record)
    token = _current_local.set(record)
    try:
        record["result"] = _call(func_path, args)
        record["status"] = "finished"
    except Exception as error:  # a failed job is reported through job_status, not as a 500
        if isinstance(error, JobError):  # a refusal the user reads, not a fault
            current_app.logger.info("job %s (%s) refused: %s", job_id, func_path, error)
        else:
            current_app.logger.exception("job %s (%s) failed", job_id, func_path)
        record.update(status="failed", error=_user_message(error))
    finally:
        _current_local.reset(token)


def _call(func_path: str, args: tuple) -> Any:
    """Import the function and call it, rolling back whatever it left uncommitted on failure."""
    module_name, _, name = func_path.rpartition(".")
    function = getattr(import_module(module_name), name)
    try:
        return function(*args)
    except BaseException:
        db.session.rollback()
        raise


def _remember(job_id: str, record: dict) -> None:
    with _local_lock:
        _local_jobs[job_id] = record
        while len(_local_jobs) > LOCAL_LIMIT:
            _local_jobs.popitem(last=False)


def _user_message(error: Exception) -> str:
    return str(error) if isinstance(error, JobError) else GENERIC_ERROR


def selftest(steps: int = 3) -> dict:
    """A job that only reports progress: proves that workers pick up and finish jobs."""
    for done in range(1, steps + 1):
        report_progress(done, steps, f"étape {done} sur {steps}")
    return {"steps": steps}


def forget_queue(client, name: str) -> int:
    """Delete every Redis key of a queue: its registries, jobs, results and workers (tests, benches)."""
    keys = list(client.scan_iter(match=f"*{name}*", count=1000))
    for key in client.scan_iter(match="rq:job:*", count=1000):
        if client.type(key) == b"hash" and client.hget(key, "origin") == name.encode():
            keys += [key, key.replace(b"rq:job:", b"rq:results:", 1)]
    for key in client.scan_iter(match="rq:worker:*", count=1000):
        if client.type(key) == b"hash" and client.hget(key, "queues") == name.encode():
            keys.append(key)
    if keys:
        client.delete(*keys)
    client.srem("rq:queues", f"rq:queue:{name}")
    return len(keys)


# ------------------------------------------------------------------ commands


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, cron).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the background jobs (needs REDIS_URL)."""
    client = _reachable_redis()
    # Jobs run in forked children: close the parent's database connections so no child
    # inherits (and shares) a socket the parent opened at start-up.
    db.engine.dispose()
    queue = Queue(current_app.config["JOBS_QUEUE"], connection=client)
    # The scheduler puts failed jobs with retry intervals (e-mail delivery) back on the queue.
    Worker([queue], connection=client).work(burst=burst, with_scheduler=not burst)


@jobs_cli.command("check")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for a worker.")
def jobs_check(timeout: float) -> None:
    """Enqueue a self-test job and wait until a worker has finished it (exit 1 otherwise)."""
    _reachable_redis()
    job_id = enqueue("directory.core.jobs.selftest", 3, user_id=None, description="self-test")
    deadline = time.monotonic() + timeout
    while (status := job_status(job_id, user_id=None))["status"] != "finished":
        if status["status"] == "failed" or time.monotonic() > deadline:
            raise click.ClickException(f"job {job_id} is {status['status']} after {timeout:g} s")
        time.sleep(0.2)  # polling a remote worker: nothing to wait on but the clock
    click.echo(f"job {job_id} finished: {status['result']}")


def _reachable_redis():
    """The Redis client, or a one-line error for the operator."""
    client = redis_client()
    if client is None:
        raise click.UsageError("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    state = ping(client)
    if not state["ok"]:
        raise click.ClickException(f"cannot reach Redis: {state['error']}")
    return client


def init_app(app: Flask) -> None:
    """Register `flask worker` and `flask jobs`."""
    app.cli.add_command(worker_command)
    app.cli.add_command(jobs_cli)

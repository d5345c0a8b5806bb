"""Load test: gunicorn on PostgreSQL with the demo at 100,000 profiles, driven by locust. Not a test.

Loopback only, bounded (60 s of load by default, every child process under a timeout), stops by
itself. From the project root, with the bench extra installed (`pip install -e '.[bench]'`):

    createdb -h 127.0.0.1 -U postgres badgeons_load
    export BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/badgeons_load
    .venv/bin/python -m bench.load.run prepare --profiles 100000   # once: ~20 min here
    .venv/bin/python -m bench.load.run run --users 50 --seconds 60
    dropdb -h 127.0.0.1 -U postgres badgeons_load

`prepare` migrates, imports ESCO, loads the demo's first 2,000 entrepreneurs with their full
paper trail (`flask demo load`), adds the rest in bulk (bench/load/generate.py) and builds the
PostgreSQL search index (`flask search reindex`). `run` starts gunicorn from gunicorn.conf.py
(bench/load/wsgi.py: the production app with rate limits off), writes the fixtures the locust
users draw from (profiles, awards, badge classes, facet values, signed OB 3.0 credentials,
signed-in partner sessions), runs locust headless, and writes RESULTS.md: throughput, p50/p95
per route, errors (locust's failures and the 5xx in gunicorn's access log).
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
# The badges that visitors verify are hosted by a second server, as a foreign issuer's would be:
# the verifier's fetches then do not queue behind the load on the server under test.
ISSUER_PORT = PORT + 1
ISSUER_BASE = f"http://127.0.0.1:{ISSUER_PORT}"
SAMPLE = 2000
PARTNERS = 5
START_TIMEOUT = 120
# Scale-out as deployed: Redis carries the job queue (bulk work, re-indexing of large fan-outs,
# e-mail) and a `flask worker` runs the jobs; one queue per run, so no stale job is picked up.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
JOBS = {"REDIS_URL": REDIS_URL, "JOBS_QUEUE": f"badgeons-load-{os.getpid()}"}


def app_env(base: str = BASE, **extra: str) -> dict:
    """The environment of every child: the bench database, PostgreSQL search, this host only."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        sys.exit("set BENCH_DATABASE_URL (a database made for this bench: it is filled with 100,000 profiles)")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SEARCH_INDEX_DIR")}
    env.update(
        DATABASE_URL=url,
        SEARCH_BACKEND="postgres",
        # The key that encrypts the organisations' signing keys must stay the one `prepare` used.
        SECRET_KEY=os.environ.get("SECRET_KEY", "load-bench-secret"),
        KEY_ENCRYPTION_KEY=os.environ.get("KEY_ENCRYPTION_KEY", "load-bench-key-encryption-key-0123456789"),
        # Documents name the bench server, so verifying a hosted assertion fetches it from there.
        PUBLIC_BASE_URL=base,
        FETCH_ALLOW_PRIVATE="1",
        FETCH_ALLOW_HTTP="1",
        SEARCH_INDEX_DIR=str(Path(tempfile.gettempdir()) / "badgeons-load-search"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def flask(*args: str, timeout: float = 3600) -> None:
    print("$ flask", *args, flush=True)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=app_env(),
                   check=True, timeout=timeout)  # fmt: skip


def prepare(profiles: int) -> None:
    started = time.monotonic()
    flask("db", "upgrade")
    flask("competencies", "import-esco")
    flask("demo", "load", "--profiles", str(min(profiles, 2000)))
    subprocess.run([sys.executable, "-m", "bench.load.generate", "--profiles", str(profiles)], cwd=ROOT,
                   env=app_env(), check=True, timeout=3600)  # fmt: skip
    flask("search", "reindex")
    print(f"prepared in {time.monotonic() - started:.0f} s", flush=True)


# --------------------------------------------------------------------- fixtures


def database_fixtures() -> dict:
    """What the users draw from, read from the database, and partner session cookies."""
    os.environ.update(app_env())
    from sqlalchemy import func
    from sqlalchemy import select

    from directory import create_app
    from directory.badges.models import Award
    from directory.badges.models import BadgeClass
    from directory.demo import data
    from directory.endorsements.models import Endorsement
    from directory.extensions import db
    from directory.organisations.models import Membership
    from directory.organisations.models import Organisation
    from directory.profiles.models import Profile

    app = create_app()
    rng = random.Random(2026)
    with app.app_context():
        listed = (Profile.visibility == "public") & Profile.listing_consent.is_(True)
        profiles = list(db.session.scalars(select(Profile.slug).where(listed).order_by(func.random()).limit(SAMPLE)))
        published = select(BadgeClass.id).where(BadgeClass.state == "published")
        classes = db.session.execute(
            select(BadgeClass.id, BadgeClass.uuid, BadgeClass.slug, BadgeClass.issuer_id).where(BadgeClass.state == "published")
        ).all()
        awards = list(db.session.scalars(
            select(Award.uuid).join(Profile, Award.profile_id == Profile.id)
            .where(listed, Award.visibility == "public", Award.revoked_at.is_(None), Award.source == "issued",
                   Award.badge_class_id.in_(published), (Award.expires_on.is_(None)) | (Award.expires_on > datetime.now(UTC)))
            .order_by(func.random()).limit(SAMPLE)
        ))  # fmt: skip
        serializer = app.session_interface.get_signing_serializer(app)
        partners = []
        organisations = db.session.scalars(
            select(Organisation).where(Organisation.verification_state == "verified", Organisation.kind != "issuer")
            .order_by(Organisation.slug)
        ).all()  # fmt: skip
        for organisation in organisations[:PARTNERS]:
            member = db.session.scalar(
                select(Membership.user_id).where(Membership.organisation_id == organisation.id,
                                                 Membership.state == "approved").order_by(Membership.id).limit(1)
            )  # fmt: skip
            taken = set(db.session.scalars(select(Endorsement.badge_class_id).where(
                Endorsement.endorser_id == organisation.id, Endorsement.state.in_(("requested", "active")))))  # fmt: skip
            free = [{"uuid": c.uuid, "slug": c.slug} for c in classes if c.id not in taken and c.issuer_id != organisation.id]
            if member is None or not free:
                continue
            cookie = serializer.dumps({"_user_id": str(member), "_fresh": True})
            partners.append({"organisation": organisation.slug, "cookie": cookie, "badge_classes": free})
        words = sorted({w for sector in data.SECTORS for w in re.findall(r"\w{5,}", sector)})
        words += [name for name, *_ in rng.sample(list(data.COMMUNES), 20)]
        return {
            "base_url": BASE,
            "profiles": profiles,
            "awards": awards,
            "badge_classes": [c.uuid for c in classes],
            "partners": partners,
            "words": words,
            "profile_count": db.session.scalar(select(func.count()).select_from(Profile)),
            "award_count": db.session.scalar(select(func.count()).select_from(Award)),
        }


def server_fixtures(fixtures: dict) -> None:
    """Facet values as the search offers them, and signed OB 3.0 credentials to paste into the verifier."""
    facets = requests.get(f"{BASE}/api/v1/search", timeout=120).json()["facets"]
    fixtures["facets"] = {name: list(values)[:12] for name, values in facets.items() if values}
    fixtures["verify_base"] = ISSUER_BASE
    fixtures["credentials"] = []
    for uuid in fixtures["awards"][:20]:
        response = requests.get(f"{ISSUER_BASE}/ob/v3/credentials/{uuid}.json", timeout=60)
        response.raise_for_status()
        fixtures["credentials"].append(response.text)


# --------------------------------------------------------------------- the run


class Gunicorn:
    def __init__(self, log_dir: Path, workers: int, threads: int, base: str = BASE, name: str = "server"):
        self.base = base
        self.out, self.err = log_dir / f"{name}-access.log", log_dir / f"{name}.log"
        env = app_env(base, GUNICORN_BIND=base.removeprefix("http://"), WEB_CONCURRENCY=str(workers),
                      GUNICORN_THREADS=str(threads), GUNICORN_LOG_LEVEL="warning", **JOBS)  # fmt: skip
        self.process = self._start(["-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.load.wsgi:app"], env)

    def _start(self, args: list[str], env: dict) -> subprocess.Popen:
        with self.out.open("wb") as out, self.err.open("wb") as err:
            return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=err,
                                    start_new_session=True)  # fmt: skip

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.err.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit("gunicorn not ready in time")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def server_errors(self) -> int:
        """Responses with a 5xx status in the access log."""
        return sum(1 for line in self.out.read_text(errors="replace").splitlines() if re.search(r'" 5\d\d ', line))


def forget_jobs() -> None:
    """Leave nothing of this run's queue in Redis (jobs still waiting are dropped with it)."""
    import redis

    from directory.core.jobs import forget_queue

    client = redis.Redis.from_url(REDIS_URL)
    print(f"{forget_queue(client, JOBS['JOBS_QUEUE'])} Redis keys of the run's queue deleted", flush=True)
    client.close()


class JobWorker(Gunicorn):
    """One `flask worker` on the run's queue (stopped like the servers)."""

    def __init__(self, log_dir: Path):
        self.base = BASE
        self.out, self.err = log_dir / "worker-out.log", log_dir / "worker.log"
        self.process = self._start(["-m", "flask", "--app", "bench.load.wsgi", "worker"], app_env(**JOBS))


def run(users: int, seconds: int, workers: int, threads: int, note: str, smoke: bool = False,
        partners: bool = True) -> None:  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="badgeons-load-"))
    print(f"logs and CSVs in {work}", flush=True)
    fixtures = database_fixtures()
    server = Gunicorn(work, workers, threads)
    issuer = Gunicorn(work, 1, 4, ISSUER_BASE, "issuer")
    jobs = JobWorker(work)
    try:
        server.wait_ready()
        issuer.wait_ready()
        server_fixtures(fixtures)
        (work / "fixtures.json").write_text(json.dumps(fixtures))
        load_avg = os.getloadavg()[0]
        command = [
            sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--host", BASE,
            "--users", str(users), "--spawn-rate", str(max(users // 5, 1)), "--run-time", f"{seconds}s",
            "--stop-timeout", "15", "--csv", str(work / "locust"), "--only-summary", "--loglevel", "WARNING",
            *(["Visitor", "Partner"] if partners else ["Visitor"]),
        ]  # fmt: skip
        env = {**os.environ, "BENCH_FIXTURES": str(work / "fixtures.json")}
        subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + 120, check=False)  # failures are reported
    finally:
        server.stop()
        issuer.stop()
        jobs.stop()
        forget_jobs()
    if smoke:  # a few seconds to check the mix works: printed, not recorded
        print((work / "locust_stats.csv").read_text(), f"5xx: {server.server_errors()}", sep="\n")
        return
    errors = server.server_errors() + issuer.server_errors()
    write_results(work, fixtures, users, seconds, workers, threads, errors, load_avg, note)


# --------------------------------------------------------------------- results


def write_results(work, fixtures, users, seconds, workers, threads, server_errors, load_avg, note) -> None:
    with (work / "locust_stats.csv").open() as file:
        rows = list(csv.DictReader(file))
    failures = []
    if (work / "locust_failures.csv").exists():
        with (work / "locust_failures.csv").open() as file:
            failures = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    lines = [
        (f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {users} users, {seconds} s, "
         f"{fixtures['profile_count']:,} profiles, {fixtures['award_count']:,} awards"),
        "",
        (f"gunicorn: {workers} workers × {threads} threads (gthread), PostgreSQL search backend, Redis job "
         f"queue with one `flask worker`; the badges "
         f"verified are hosted by a second app server (1 worker × 4 threads) as a foreign issuer's; locust on the "
         f"same 2 cores ({platform.python_implementation()} {platform.python_version()}); load average "
         f"{load_avg:.1f} when the load started. {note}").rstrip(),
        "",
        (f"**{float(total['Requests/s']):.1f} requests/s**, {int(total['Request Count']):,} requests, "
         f"**{int(total['Failure Count'])} errors** (locust failures), {server_errors} 5xx in the servers' access logs."),
        "",
        "| route | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        label = row["Name"] if row["Name"].startswith(f"{row['Type']} ") else f"{row['Type']} {row['Name']}"
        name = "**all**" if row["Name"] == "Aggregated" else f"`{label}`"
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    if failures:
        lines += ["", "Failures:", ""]
        lines += [f"- `{f['Method']} {f['Name']}` × {f['Occurrences']}: {f['Error']}" for f in failures]
    lines.append("")
    section = "\n".join(lines)
    print(section, flush=True)
    header = RESULTS.read_text() if RESULTS.exists() else ""
    marker = "<!-- runs -->"
    if marker not in header:
        header = "# Load test results\n\n" + marker + "\n"
    RESULTS.write_text(header.replace(marker, marker + "\n\n" + section, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare")
    prep.add_argument("--profiles", type=int, default=100_000)
    go = commands.add_parser("run")
    go.add_argument("--users", type=int, default=50)
    go.add_argument("--seconds", type=int, default=60)
    go.add_argument("--workers", type=int, default=4)
    go.add_argument("--threads", type=int, default=4)
    go.add_argument("--note", default="")
    go.add_argument("--smoke", action="store_true", help="check the mix for a few seconds; RESULTS.md untouched")
    go.add_argument("--no-partners", action="store_true", help="visitors only (no endorsing partners)")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.profiles)
    else:
        run(args.users, args.seconds, args.workers, args.threads, args.note, args.smoke, not args.no_partners)


if __name__ == "__main__":
    main()

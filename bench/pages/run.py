"""Page throughput benchmark: each public page as a fraction of the same server's `/healthz`.

Not a test. Run from the project root, for instance:
    .venv/bin/python -m bench.pages.run --profiles 10000
It prepares a SQLite database and a Whoosh index under /tmp/badgeons-bench-pages (or uses
BENCH_DATABASE_URL, e.g. PostgreSQL), loading the demo with `--profiles` entrepreneurs the first
time only (`flask demo load` + `flask search reindex`: about 10 minutes for 10,000 on 2 CPUs;
later runs reuse it). It then starts gunicorn (gunicorn.conf.py, 2 sync workers) and measures,
side by side in one run, requests per second on `/healthz` and on each public page: rounds of
`--seconds` per URL, `--clients` concurrent connections, interleaved so that both see the same
machine; the ratio is a page's median over the rounds divided by `/healthz`'s median.
Targets: ≥ 0.25 for profile, badge class and organisation pages, ≥ 0.15 for search results.
The URLs are fetched as an anonymous French visitor, so cached public pages are served from the
page cache (directory/core/pagecache.py); `--no-page-cache` measures them rendered every time.
Results are appended to bench/pages/RESULTS.md.
"""

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
WORKDIR = Path("/tmp/badgeons-bench-pages")
TARGETS = {"profile": 0.25, "badge class": 0.25, "issuer": 0.25, "partner": 0.25, "search": 0.15,
           "search with facets": 0.15}


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SEARCH_INDEX_DIR=str(WORKDIR / "search"),
        SECRET_KEY="bench-pages",
        KEY_ENCRYPTION_KEY="bench-key-encryption-key-0123456789",
        PUBLIC_BASE_URL="http://127.0.0.1",
        FLASK_APP="wsgi",
    )
    return env


def flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)


def prepare(database_url: str, profiles: int) -> None:
    """Migrate, load the demo with `profiles` entrepreneurs and index it, unless already done."""
    env = environment(database_url)
    stamp = WORKDIR / f"loaded-{profiles}"
    if stamp.exists():
        flask(env, "db", "upgrade")  # data loaded by an older revision: bring its schema up to date
        return
    WORKDIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "demo", "load", "--profiles", str(profiles))
    flask(env, "search", "reindex")
    stamp.write_text(f"{time.perf_counter() - started:.0f} s\n")


def ensure_index(database_url: str) -> str:
    """Index the directory with the configured search backend if its index is empty; the backend's name."""
    os.environ.update(environment(database_url))
    from directory import create_app

    app = create_app()
    with app.app_context():
        health = app.extensions["search"].health()
    if not health.get("documents"):
        flask(environment(database_url), "search", "reindex")
    return str(health.get("backend"))


def pages(database_url: str) -> dict[str, str]:
    """The URLs to measure, chosen in the benchmark's database."""
    os.environ.update(environment(database_url))
    from sqlalchemy import func
    from sqlalchemy import select

    from directory import create_app
    from directory.badges.models import Award
    from directory.badges.models import BadgeClass
    from directory.demo import data
    from directory.extensions import db
    from directory.profiles.models import Profile

    app = create_app()
    with app.app_context():
        listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
        held = select(Award.profile_id).where(Award.badge_class_id.is_not(None), Award.revoked_at.is_(None))
        profile = db.session.scalars(select(Profile).where(*listed, Profile.id.in_(held)).order_by(Profile.id)).first()
        # The most held badge class: its page lists holders, the heaviest case.
        badge = db.session.execute(
            select(BadgeClass.slug).join(Award, Award.badge_class_id == BadgeClass.id)
            .group_by(BadgeClass.slug).order_by(func.count().desc()).limit(1)
        ).scalar_one()
        partner = next(p["slug"] for p in data.PARTNERS)
        db.session.remove()
    urls = {
        "healthz": "/healthz",
        "home": "/",
        "profile": f"/profiles/{profile.slug}",
        "badge class": f"/badges/{badge}",
        "issuer": f"/organisations/{data.ISSUER['slug']}",
        "partner": f"/organisations/{partner}",
        "search": "/search?q=" + quote("gestion"),
        "search with facets": "/search?q=" + quote("gestion") + f"&region={quote('Hauts-de-France')}&badge={badge}",
        "verify": "/verify",
    }
    client = app.test_client()
    for name in ("search", "search with facets"):  # a results page without results would measure nothing
        if "search-hit" not in client.get(urls[name]).get_data(as_text=True):
            raise RuntimeError(f"{urls[name]} finds nobody: is the index built? (flask search reindex)")
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = environment(database_url)
    env.update(WEB_CONCURRENCY=str(workers), GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_LOG_LEVEL="warning",
               GUNICORN_MAX_REQUESTS="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,  # the access log: one line per request, not measured
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def fetch(port: int, path: str) -> tuple[int, int]:
    """One GET over a fresh connection (sync workers close it): status and body size."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Language: fr\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    return int(response[9:12]), len(response)


def throughput(port: int, path: str, seconds: float, clients: int) -> float:
    """Completed requests per second with `clients` connections in flight; every answer must be 200."""
    done, errors = [0] * clients, []
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < stop:
            status, _ = fetch(port, path)
            if status != 200:
                errors.append(status)
                return
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path} answered {errors[0]}")
    return sum(done) / (time.perf_counter() - started)


def measure(port: int, urls: dict[str, str], rounds: int, seconds: float, clients: int) -> dict[str, list[float]]:
    for path in urls.values():  # warm-up: each worker compiles templates, fills caches
        for _ in range(4):
            fetch(port, path)
    samples: dict[str, list[float]] = {name: [] for name in urls}
    for number in range(rounds):
        for name, path in urls.items():
            samples[name].append(throughput(port, path, seconds, clients))
        print(f"round {number + 1}/{rounds}: " + ", ".join(f"{n} {s[-1]:.0f}/s" for n, s in samples.items()), flush=True)
    return samples


def report(samples: dict[str, list[float]], urls: dict[str, str], args, backend: str) -> str:
    base = statistics.median(samples["healthz"])
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {when} — {args.profiles:,} profiles, {backend}, gunicorn {args.workers} sync workers",
        "",
        (
            f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; "
            f"{args.clients} concurrent clients (same machine), {args.rounds} rounds × {args.seconds:g} s per URL, "
            f"load average {os.getloadavg()[0]:.1f} at the end."
        ),
        "",
        "| page | URL | requests/s (median) | fraction of /healthz | target |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for name, path in urls.items():
        median = statistics.median(samples[name])
        ratio = median / base
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"≥ {target:.2f} ✓" if ratio >= target else f"≥ {target:.2f} ✗")
        lines.append(f"| {name} | `{path}` | {median:,.0f} | {ratio:.2f} | {verdict} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the results without adding them to RESULTS.md")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="render every page (PAGE_CACHE_SECONDS=0): what a page costs when the anonymous cache misses")
    args = parser.parse_args()
    if args.no_page_cache:
        os.environ["PAGE_CACHE_SECONDS"] = "0"  # inherited by gunicorn through environment()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORKDIR / f'pages-{args.profiles}.db'}"
    prepare(database_url, args.profiles)
    search_backend = ensure_index(database_url)
    urls = pages(database_url)
    port = free_port()
    server = start_gunicorn(database_url, port, args.workers)
    try:
        samples = measure(port, urls, args.rounds, args.seconds, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    cache = "page cache off" if args.no_page_cache else "anonymous page cache on"
    section = report(samples, urls, args, f"{database_url.split(':', 1)[0]}, search: {search_backend}, {cache}")
    print(section)
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + section)


if __name__ == "__main__":
    main()

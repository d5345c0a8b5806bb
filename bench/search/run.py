"""Search benchmark: indexing rate, index size, p50/p95 per query kind, every backend in one run.

Not a test. Run from the project root, for instance:
    .venv/bin/python -m bench.search.run --size 10000 --backends whoosh,tantivy,postgres
PostgreSQL uses BENCH_DATABASE_URL (default: the local test database) in a schema of its own.
Results are appended to bench/search/RESULTS.md.
"""

import argparse
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

from bench.search.corpus import Corpus
from bench.search.corpus import query_mix
from bench.search.reference import BareTantivy
from directory.search.analysis import parse_query
from directory.search.registry import make_backend
from directory.search.types import FACETS
from directory.search.types import SearchQuery

KINDS = ("term", "two", "phrase", "prefix", "filter", "facets")
RESULTS = Path(__file__).with_name("RESULTS.md")


def backend_query(kind: str, text_: str, filters: dict) -> SearchQuery:
    facets = FACETS if kind == "facets" else ()
    return SearchQuery(terms=parse_query(text_), filters=filters, facets=facets, per_page=20)


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class Postgres:
    """A private schema with the migrations applied, dropped at the end."""

    def __init__(self, url: str):
        from flask_migrate import upgrade

        from directory import create_app
        from directory.config import normalise_database_url

        self.base = normalise_database_url(url)
        self.schema = f"bench_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        self.url = f"{self.base}?options=-csearch_path%3D{self.schema}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": self.url,
                "TESTING": True,
                "SECRET_KEY": "bench",
                "KEY_ENCRYPTION_KEY": "bench-key-encryption-key-0123456789",
            }
        )
        with app.app_context():
            upgrade()
        self.engine = create_engine(self.url)

    def size(self) -> int:
        with self.engine.connect() as connection:
            return sum(
                connection.execute(text(f"SELECT pg_total_relation_size('{t}')")).scalar_one()
                for t in ("search_documents",)
            )

    def drop(self) -> None:
        self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()


def build(names: list[str], docs: list, workdir: Path, database_url: str):
    """Index the corpus in every engine; (engines, build seconds, sizes)."""
    engines, seconds, sizes, postgres = {}, {}, {}, None
    for name in names:
        if name == "bare":
            engine = BareTantivy(workdir / "bare")
        elif name == "postgres":
            postgres = Postgres(database_url)
            engine = make_backend("postgres", workdir, postgres.engine)
        else:
            engine = make_backend(name, workdir, None)
        start = time.perf_counter()
        engine.rebuild(docs)
        seconds[name] = time.perf_counter() - start
        sizes[name] = postgres.size() if name == "postgres" else size_of(workdir / name)
        engines[name] = engine
        print(f"{name}: {len(docs)} docs in {seconds[name]:.1f} s", flush=True)
    return engines, seconds, sizes, postgres


def run_one(name: str, engine, query) -> float:
    kind, text_, filters = query
    start = time.perf_counter()
    if name == "bare":
        engine.query(kind, text_, filters)
    else:
        engine.search(backend_query(kind, text_, filters))
    return (time.perf_counter() - start) * 1000


def measure(engines: dict, queries: list, rounds: int) -> dict:
    """Latencies in ms per (engine, kind); each query goes to every engine in turn, order rotating."""
    names = list(engines)
    for query in queries:  # warm-up pass
        for name in names:
            run_one(name, engines[name], query)
    latencies: dict = {(n, k): [] for n in names for k in KINDS}
    for round_ in range(rounds):
        for number, query in enumerate(queries):
            shift = (number + round_) % len(names)
            for name in names[shift:] + names[:shift]:
                latencies[(name, query[0])].append(run_one(name, engines[name], query))
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(
    size: int, names: list[str], seconds: dict, sizes: dict, latencies: dict, rounds: int, queries: int
) -> str:
    lines = [
        f"\n## {size:,} profiles — {time.strftime('%Y-%m-%d %H:%M')} ({queries} queries × {rounds} rounds, "
        f"{os.cpu_count()} cores, shared machine)\n",
        "| engine | build s | docs/s | index MB | "
        + " | ".join(f"{k} p50/p95 ms" for k in KINDS)
        + " | worst p95 × bare |",
        "|---" * (5 + len(KINDS)) + "|",
    ]
    bare = {k: percentile(latencies[("bare", k)], 0.95) for k in KINDS} if "bare" in names else None
    for name in names:
        cells = [
            f"{_ms(percentile(latencies[(name, k)], 0.5))} / {_ms(percentile(latencies[(name, k)], 0.95))}"
            for k in KINDS
        ]
        ratio = max(percentile(latencies[(name, k)], 0.95) / bare[k] for k in KINDS) if bare else float("nan")
        lines.append(
            f"| {name} | {seconds[name]:.1f} | {size / seconds[name]:,.0f} | {sizes[name] / 1e6:.0f} | "
            + " | ".join(cells)
            + f" | {ratio:.1f} |"
        )
    if bare:
        lines += ratios(names, latencies, bare)
    return "\n".join(lines) + "\n"


def ratios(names: list[str], latencies: dict, bare: dict) -> list[str]:
    """Each engine's p95 over bare tantivy's, kind by kind: the issue's aim is ≤ 3 everywhere."""
    lines = ["", "p95 × bare by kind:", "", "| engine | " + " | ".join(KINDS) + " |"]
    lines.append("|---" * (1 + len(KINDS)) + "|")
    for name in (n for n in names if n != "bare"):
        cells = [f"{percentile(latencies[(name, k)], 0.95) / bare[k]:.1f}" for k in KINDS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _ms(value: float) -> str:
    """Two decimals under a millisecond, where bare tantivy lives: one would round 0.06 to 0.1."""
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backends", default="whoosh,tantivy,postgres")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-append", action="store_true", help="print the table, leave RESULTS.md alone")
    args = parser.parse_args()
    names = [n for n in args.backends.split(",") if n] + ["bare"]
    corpus = Corpus(args.size)
    docs = list(corpus.docs())
    queries = query_mix(corpus, args.per_kind)
    workdir = Path(tempfile.mkdtemp(prefix="badgeons-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    engines, seconds, sizes, postgres = build(names, docs, workdir, database_url)
    try:
        latencies = measure(engines, queries, args.rounds)
    finally:
        if postgres:
            postgres.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    table = report(args.size, names, seconds, sizes, latencies, args.rounds, len(queries))
    print(table)
    if not args.no_append:
        with RESULTS.open("a") as handle:
            handle.write(table)


if __name__ == "__main__":
    main()

"""Scale-out: PostgreSQL full-text search in the application's own database.

Pure module (no Flask): it takes a SQLAlchemy engine. Every worker on every host shares
the index; writers take a transaction-scoped advisory lock so that two indexers apply
their changes one after the other, and readers never wait (MVCC). The tables come from
`search/models.py` and the text search configurations from the migration.
"""

from collections.abc import Iterable
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from directory.search.analysis import plain_words
from directory.search.postgres_query import SqlQuery
from directory.search.postgres_query import token
from directory.search.types import FACETS
from directory.search.types import Hit
from directory.search.types import SearchDoc
from directory.search.types import SearchQuery
from directory.search.types import SearchResult
from directory.search.types import SuggestEntry
from directory.search.types import batched

LOCK_KEY = 0x5EA2C4  # any constant shared by every process of the application
UPSERT = text(
    """
    INSERT INTO search_documents (doc_id, sort_name, updated, tsv, tsv_plain, facets) VALUES (
      :id, :sort_name, :updated,
      setweight(to_tsvector('badgeons_fr', :endorsed), 'A') || setweight(to_tsvector('badgeons_fr', :skills), 'B')
      || setweight(to_tsvector('badgeons_fr', :main), 'C') || setweight(to_tsvector('badgeons_fr', :body), 'D')
      || setweight(to_tsvector('badgeons_en', :all_text), 'D'),
      to_tsvector('badgeons_plain', :all_text), :facets)
    ON CONFLICT (doc_id) DO UPDATE SET sort_name = excluded.sort_name, updated = excluded.updated,
      tsv = excluded.tsv, tsv_plain = excluded.tsv_plain, facets = excluded.facets
    """
)
DELETE = text("DELETE FROM search_documents WHERE doc_id = :id")
INSERT_SUGGESTION = text(
    "INSERT INTO search_suggestions (kind, key, label, folded, rank) VALUES (:kind, :key, :label, :folded, :rank)"
)
BATCH = 1000
# For the search transaction only. The planner does not price reading a toasted tsvector, so
# for a common word it picks a sequential scan that decompresses every tsvector (~10 µs a
# row) over the GIN bitmap that needs none; and JIT compiling such a plan costs ~300 ms.
PLANNER = text("SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)")


def document_row(doc: SearchDoc) -> dict:
    return {
        "id": doc.id,
        "sort_name": doc.sort_name or "~",
        "updated": doc.updated,
        "endorsed": doc.endorsed,
        "skills": doc.skills,
        "main": doc.main,
        "body": doc.body,
        "all_text": doc.all_text,
        "facets": facet_tokens(doc),
    }


def facet_tokens(doc: SearchDoc) -> list[str]:
    """The document's facet values as "facet:value" tokens (see `postgres_query.token`)."""
    return [token(name, value) for name in FACETS for value in dict.fromkeys(doc.facets.get(name, ()))]


class _Writer:
    def __init__(self, connection: Connection):
        self.connection = connection

    def upsert(self, doc: SearchDoc) -> None:
        self.upsert_many([doc])

    def upsert_many(self, docs: list[SearchDoc]) -> None:
        self.connection.execute(UPSERT, [document_row(doc) for doc in docs])

    def delete(self, doc_id: str) -> None:
        self.connection.execute(DELETE, {"id": doc_id})


class PostgresBackend:
    """The index as two tables of the application's PostgreSQL database."""

    name = "postgres"

    def __init__(self, engine: Engine):
        if engine.dialect.name != "postgresql":
            raise ValueError("the postgres search backend needs a PostgreSQL database")
        self.engine = engine

    @contextmanager
    def writer(self):
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield _Writer(connection)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        count = 0
        with self.writer() as writer:
            writer.connection.execute(text("DELETE FROM search_documents"))
            for batch in batched(docs, BATCH):
                writer.upsert_many(batch)
                count += len(batch)
            # Fresh statistics, or the first searches after a rebuild are planned for an empty table.
            writer.connection.execute(text("ANALYZE search_documents"))
        return count

    def search(self, query: SearchQuery) -> SearchResult:
        with self.engine.connect() as connection:
            connection.execute(PLANNER)
            rows = connection.execute(SqlQuery(query).statement()).all()
        return _result(rows, query.facets)

    def replace_suggestions(self, entries: Iterable[SuggestEntry]) -> None:
        rows = [_suggestion_row(entry) for entry in entries]
        with self.engine.begin() as connection:
            connection.execute(text("DELETE FROM search_suggestions"))
            if rows:
                connection.execute(INSERT_SUGGESTION, rows)

    def suggest(self, prefix: str, limit: int = 8) -> list[SuggestEntry]:
        tokens = [token for token in plain_words(prefix) if len(token) >= 2]
        if not tokens:
            return []
        where = " AND ".join(f"strpos(' ' || folded, ' ' || :t{i}) > 0" for i in range(len(tokens)))
        statement = text(
            f"SELECT kind, key, label, rank FROM search_suggestions WHERE {where} ORDER BY rank LIMIT :limit"
        )
        params = {f"t{i}": token for i, token in enumerate(tokens)} | {"limit": limit}
        with self.engine.connect() as connection:
            return [SuggestEntry(**row._asdict()) for row in connection.execute(statement, params)]

    def health(self) -> dict:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT to_tsvector('badgeons_fr', 'test')"))
                documents = connection.execute(text("SELECT count(*) FROM search_documents")).scalar_one()
        except SQLAlchemyError as error:
            return {"ok": False, "backend": self.name, "error": str(error.orig or error).splitlines()[0]}
        return {"ok": True, "backend": self.name, "documents": documents}

    def close(self) -> None:
        """Nothing to release: the engine belongs to the application."""


def _result(rows, names: tuple[str, ...]) -> SearchResult:
    """The rows of `SqlQuery.statement()` as a result; facet counts of a sample scaled to the total."""
    parts: dict[str, list] = {"sample": [], "total": [], "facet": [], "hit": []}
    for row in rows:
        parts[row.part].append(row)
    total, sample = parts["total"][0].count, parts["sample"][0].count
    facets: dict[str, dict[str, int]] = {name: {} for name in names}
    for row in parts["facet"]:
        name, _, value = row.key.partition(":")
        facets[name][value] = row.count if sample >= total else max(1, round(row.count * total / sample))
    ranked = sorted(parts["hit"], key=lambda row: row.count)  # `count` holds the position here
    hits = [Hit(id=row.key, score=float(row.score or 0)) for row in ranked]
    return SearchResult(hits=hits, total=total, facets=facets, approximate=sample < total)


def _suggestion_row(entry: SuggestEntry) -> dict:
    folded = " ".join(plain_words(f"{entry.label} {entry.text}"))
    return {"kind": entry.kind, "key": entry.key, "label": entry.label, "folded": folded, "rank": entry.rank}

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
    INSERT INTO search_documents (doc_id, sort_name, updated, tsv, tsv_plain) VALUES (
      :id, :sort_name, :updated,
      setweight(to_tsvector('badgeons_fr', :endorsed), 'A') || setweight(to_tsvector('badgeons_fr', :skills), 'B')
      || setweight(to_tsvector('badgeons_fr', :main), 'C') || setweight(to_tsvector('badgeons_fr', :body), 'D')
      || setweight(to_tsvector('badgeons_en', :all_text), 'D'),
      to_tsvector('badgeons_plain', :all_text))
    ON CONFLICT (doc_id) DO UPDATE SET sort_name = excluded.sort_name, updated = excluded.updated,
      tsv = excluded.tsv, tsv_plain = excluded.tsv_plain
    """
)
DELETE_FACETS = text("DELETE FROM search_facets WHERE doc_id = :id")
INSERT_FACET = text("INSERT INTO search_facets (doc_id, facet, value) VALUES (:id, :facet, :value)")
DELETE = text("DELETE FROM search_documents WHERE doc_id = :id")
INSERT_SUGGESTION = text(
    "INSERT INTO search_suggestions (kind, key, label, folded, rank) VALUES (:kind, :key, :label, :folded, :rank)"
)


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
    }


def facet_rows(doc: SearchDoc) -> list[dict]:
    return [
        {"id": doc.id, "facet": name, "value": value}
        for name in FACETS
        for value in dict.fromkeys(doc.facets.get(name, ()))
    ]


class _Writer:
    def __init__(self, connection: Connection):
        self.connection = connection

    def upsert(self, doc: SearchDoc) -> None:
        self.upsert_many([doc])

    def upsert_many(self, docs: list[SearchDoc]) -> None:
        self.connection.execute(UPSERT, [document_row(doc) for doc in docs])
        self.connection.execute(DELETE_FACETS, [{"id": doc.id} for doc in docs])
        rows = [row for doc in docs for row in facet_rows(doc)]
        if rows:
            self.connection.execute(INSERT_FACET, rows)

    def delete(self, doc_id: str) -> None:
        self.connection.execute(DELETE, {"id": doc_id})


class PostgresBackend:
    """The index as three tables of the application's PostgreSQL database."""

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
            for batch in batched(docs, 500):
                writer.upsert_many(batch)
                count += len(batch)
        return count

    def search(self, query: SearchQuery) -> SearchResult:
        sql = SqlQuery(query)
        with self.engine.connect() as connection:
            total = connection.execute(sql.count()).scalar_one()
            rows = connection.execute(sql.page()).all() if query.per_page else []
            facets = _facets(connection.execute(sql.facets()).all(), query.facets) if query.facets else {}
        hits = [Hit(id=row.doc_id, score=float(row.score or 0)) for row in rows]
        return SearchResult(hits=hits, total=total, facets=facets)

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


def _facets(rows, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    for row in rows:
        counts[row.facet][row.value] = row.count
    return counts


def _suggestion_row(entry: SuggestEntry) -> dict:
    folded = " ".join(plain_words(f"{entry.label} {entry.text}"))
    return {"kind": entry.kind, "key": entry.key, "label": entry.label, "folded": folded, "rank": entry.rank}

"""Parsed terms → one PostgreSQL full-text statement per search (pure module, no Flask).

Words match the French or the English lexemes of `tsv`, phrases the French ones, prefixes
the unstemmed `tsv_plain`; every term must match (AND). Facet filters test the `facets`
array of the same row (OR within a facet: `&&`, AND across facets), so there is no join.

One statement per search. Its CTE reads at most EXACT_LIMIT matching rows; when there are
fewer, that read gives everything exactly: total, facet counts (`unnest`), ranked page.
Past it (a common word matches most of 100,000 profiles, and reading a row's tsvector to
rank it costs ~10 µs), the total is still exact (a count that never reads a tsvector) and
name/date orders still see every match, but facet counts are those of the first
EXACT_LIMIT matches scaled to the total (estimates) and relevance ranks those matches only.
"""

import re

from sqlalchemy import bindparam
from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from directory.search.types import FACETS
from directory.search.types import WEIGHTS
from directory.search.types import SearchQuery
from directory.search.types import Term

# ts_rank weights in the order {D, C, B, A}: body, main, skills, endorsed (see types.WEIGHTS).
RANK_WEIGHTS = "{%s}" % ",".join(
    str(WEIGHTS[name] / WEIGHTS["endorsed"]) for name in ("body", "main", "skills", "endorsed")
)
# Past this many matches, facet counts are estimated from the first EXACT_LIMIT matches and
# relevance ranks those only (see `SqlQuery.statement`); totals and name/date orders stay exact.
EXACT_LIMIT = 2000
ORDER = {
    "relevance": "score DESC, sort_name, doc_id",
    "name": "sort_name, doc_id",
    "recent": "updated DESC, sort_name, doc_id",
}


def token(facet: str, value: str) -> str:
    """A facet value as stored in `search_documents.facets` (facet names have no colon)."""
    return f"{facet}:{value}"


class SqlQuery:
    """The statement of one search; its rows are ("total" | "facet" | "hit", key, count, score)."""

    def __init__(self, query: SearchQuery):
        self.query = query
        self.params: dict = {}
        self.text_query = self._combine([t for t in query.terms if t.kind != "prefix"])
        self.prefix_query = self._combine([t for t in query.terms if t.kind == "prefix"])
        self.where = " AND ".join(self._conditions()) or "TRUE"

    def _param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def _combine(self, terms: list[Term]) -> str | None:
        parts = [self._tsquery(term) for term in terms]
        return "(" + " && ".join(parts) + ")" if parts else None

    def _tsquery(self, term: Term) -> str:
        if term.kind == "prefix":
            word = re.sub(r"[^\w]|_", "", term.text)
            return f"to_tsquery('badgeons_plain', {self._param(word + ':*')})"
        if term.kind == "phrase":
            return f"phraseto_tsquery('badgeons_fr', {self._param(term.text)})"
        name = self._param(term.text)
        return f"(plainto_tsquery('badgeons_fr', {name}) || plainto_tsquery('badgeons_en', {name}))"

    def _conditions(self) -> list[str]:
        conditions = []
        if self.text_query:
            conditions.append(f"d.tsv @@ {self.text_query}")
        if self.prefix_query:
            conditions.append(f"d.tsv_plain @@ {self.prefix_query}")
        for name, values in self.query.filters.items():
            if values:
                chosen = self._param([token(name, value) for value in values])
                conditions.append(f"d.facets && CAST({chosen} AS text[])")
        return conditions

    def statement(self) -> TextClause:
        """Rows ("sample" | "total" | "facet" | "hit", key, count, score) from one read of the matches."""
        parts = [
            "SELECT 'sample' AS part, NULL AS key, n AS count, NULL::float8 AS score FROM sampled",
            f"SELECT 'total', NULL, CASE WHEN n < {self.limit} THEN n ELSE ({self._count()}) END, NULL"
            " FROM sampled",
        ]
        if self.query.facets:
            parts.append(self._facet_counts())
        if self.query.per_page:
            parts += self._pages()
        sql = (
            f"WITH match AS MATERIALIZED ({self._match()} LIMIT {self.limit}),"
            " sampled AS MATERIALIZED (SELECT count(*) AS n FROM match) "
            + " UNION ALL ".join(f"({part})" for part in parts)
        )
        return text(sql).bindparams(*(bindparam(name, value) for name, value in self.params.items()))

    @property
    def limit(self) -> int:
        """How many matches are read in full: all of them up to EXACT_LIMIT, and at least the page."""
        return max(EXACT_LIMIT, self.query.page * self.query.per_page + 1)

    def _match(self) -> str:
        columns = "d.doc_id, d.sort_name, d.updated, d.facets, d.tsv"
        return f"SELECT {columns} FROM search_documents d WHERE {self.where}"

    def _count(self) -> str:
        # Reads the GIN bitmaps and the heap rows, never the toasted tsvectors (except for phrases).
        return f"SELECT count(*) FROM search_documents d WHERE {self.where}"

    def _facet_counts(self) -> str:
        keep = ""
        if set(self.query.facets) != set(FACETS):
            names = self._param(list(self.query.facets))
            keep = f" WHERE split_part(t, ':', 1) = ANY(CAST({names} AS text[]))"
        tokens = "(SELECT unnest(facets) AS t FROM match) AS f"
        return f"SELECT 'facet', t, count(*), NULL FROM {tokens}{keep} GROUP BY t"

    def _pages(self) -> list[str]:
        """The page from the read matches; name and date orders past EXACT_LIMIT from all of them."""
        if self.text_query and self.query.sort == "relevance":
            score = f"ts_rank('{RANK_WEIGHTS}', tsv, {self.text_query})"
            return [self._page(score, "match", "TRUE")]
        order_from_all = f"(SELECT n FROM sampled) >= {self.limit}"
        return [
            self._page("0", "match", f"(SELECT n FROM sampled) < {self.limit}"),
            self._page("0", "search_documents d", f"{order_from_all} AND {self.where}"),
        ]

    def _page(self, score: str, source: str, where: str) -> str:
        order = ORDER[self.query.sort if self.text_query or self.query.sort != "relevance" else "name"]
        limit, offset = self.query.per_page, (self.query.page - 1) * self.query.per_page
        return (
            f"SELECT 'hit', doc_id, row_number() OVER (ORDER BY {order}), score FROM"
            f" (SELECT doc_id, sort_name, updated, {score} AS score FROM {source} WHERE {where}"
            f" ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}) AS page"
        )

"""Parsed terms → PostgreSQL full-text SQL (pure module, no Flask).

Words match the French or the English lexemes of `tsv`, phrases the French ones, prefixes
the unstemmed `tsv_plain`; every term must match (AND). Facet counts are a GROUP BY over
the matching rows; filters are OR within a facet, AND across facets.
"""

import re

from sqlalchemy import bindparam
from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from directory.search.types import WEIGHTS
from directory.search.types import SearchQuery
from directory.search.types import Term

# ts_rank weights in the order {D, C, B, A}: body, main, skills, endorsed (see types.WEIGHTS).
RANK_WEIGHTS = "{%s}" % ",".join(
    str(WEIGHTS[name] / WEIGHTS["endorsed"]) for name in ("body", "main", "skills", "endorsed")
)
ORDER = {
    "relevance": "score DESC, sort_name, doc_id",
    "name": "sort_name, doc_id",
    "recent": "updated DESC, sort_name, doc_id",
}


class SqlQuery:
    """The statements of one search: count, page, facet counts."""

    def __init__(self, query: SearchQuery):
        self.query = query
        self.params: dict = {}
        self.expanding: list[str] = []
        self.text_query = self._combine([t for t in query.terms if t.kind != "prefix"])
        self.prefix_query = self._combine([t for t in query.terms if t.kind == "prefix"])
        self.where = " AND ".join(self._conditions()) or "TRUE"

    def _param(self, value, expanding: bool = False) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        if expanding:
            self.expanding.append(name)
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
                facet, chosen = self._param(name), self._param(list(values), expanding=True)
                conditions.append(
                    f"d.doc_id IN (SELECT doc_id FROM search_facets WHERE facet = {facet} AND value IN {chosen})"
                )
        return conditions

    def _statement(self, sql: str) -> TextClause:
        """The statement with the parameters it names (count and page skip the facet list)."""
        used = set(re.findall(r":(p\d+)\b", sql))
        return text(sql).bindparams(
            *(bindparam(name, self.params[name], expanding=name in self.expanding) for name in used)
        )

    def count(self) -> TextClause:
        return self._statement(f"SELECT count(*) FROM search_documents d WHERE {self.where}")

    def page(self) -> TextClause:
        score = f"ts_rank('{RANK_WEIGHTS}', d.tsv, {self.text_query})" if self.text_query else "0"
        order = ORDER[self.query.sort if self.text_query or self.query.sort != "relevance" else "name"]
        limit, offset = self.query.per_page, (self.query.page - 1) * self.query.per_page
        return self._statement(
            f"SELECT d.doc_id, {score} AS score, d.sort_name, d.updated FROM search_documents d"
            f" WHERE {self.where} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"
        )

    def facets(self) -> TextClause:
        names = self._param(list(self.query.facets), expanding=True)
        return self._statement(
            "SELECT f.facet, f.value, count(*) AS count FROM search_facets f"
            f" WHERE f.facet IN {names} AND f.doc_id IN (SELECT d.doc_id FROM search_documents d WHERE {self.where})"
            " GROUP BY f.facet, f.value"
        )

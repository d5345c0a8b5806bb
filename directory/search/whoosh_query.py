"""Parsed terms → Whoosh queries, filters and sort orders (pure module, no Flask).

Each word must match somewhere (AND across words); a word matches any French field or
the English copy (OR, weighted); a phrase matches a French field; a prefix matches the
unstemmed copy, so `ges*` is not stemmed into `ge*`.
"""

from whoosh import query as wq
from whoosh import sorting

from directory.search.types import FRENCH_FIELDS
from directory.search.types import WEIGHTS
from directory.search.types import SearchQuery
from directory.search.types import Term


def analysed(schema, field: str, text: str) -> list[str]:
    """The index terms the field's analyser makes of a text."""
    return [token.text for token in schema[field].analyzer(text)]


def build_query(terms: tuple[Term, ...], schema) -> wq.Query:
    """The whole query: every term must match."""
    clauses = [clause for clause in (_term_query(term, schema) for term in terms) if clause]
    return wq.And(clauses) if clauses else wq.Every()


def _term_query(term: Term, schema) -> wq.Query | None:
    if term.kind == "prefix":
        return wq.Prefix("plain", term.text, boost=WEIGHTS["plain"])
    if term.kind == "phrase":
        return _phrase(term.text, schema)
    return _word(term.text, schema)


def _word(word: str, schema) -> wq.Query | None:
    clauses = [
        wq.Term(field, token, boost=WEIGHTS[field])
        for field in (*FRENCH_FIELDS, "english")
        for token in analysed(schema, field, word)
    ]
    return wq.Or(clauses) if clauses else None


def _phrase(text: str, schema) -> wq.Query | None:
    tokens = analysed(schema, "skills", text)
    if len(tokens) < 2:
        return _word(text, schema)
    return wq.Or([wq.Phrase(field, tokens, boost=WEIGHTS[field]) for field in FRENCH_FIELDS])


def facet_filter(filters) -> wq.Query | None:
    """OR within a facet, AND across facets."""
    parts = [wq.Or([wq.Term(name, value) for value in values]) for name, values in filters.items() if values]
    return wq.And(parts) if parts else None


def sort_spec(query: SearchQuery):
    """None for relevance (with words), else the sort key facets."""
    if query.sort == "recent":
        return [sorting.FieldFacet("updated", reverse=True), sorting.FieldFacet("sort_name")]
    if query.sort == "name" or not query.terms:
        return [sorting.FieldFacet("sort_name"), sorting.FieldFacet("id")]
    return None

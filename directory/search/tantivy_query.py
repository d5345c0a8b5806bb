"""Parsed terms → tantivy queries, with the analysers every tantivy index registers.

Pure module (no Flask). Words, phrases and prefixes follow the same rules as the Whoosh
backend (see `whoosh_query`): AND across terms, each word OR'ed over the weighted fields.
"""

import re

import tantivy
from tantivy import Filter
from tantivy import Occur
from tantivy import Query
from tantivy import TextAnalyzerBuilder
from tantivy import Tokenizer

from directory.search.analysis import words
from directory.search.types import FRENCH_FIELDS
from directory.search.types import WEIGHTS
from directory.search.types import SearchQuery
from directory.search.types import Term


def _analyzer(*filters) -> tantivy.TextAnalyzer:
    builder = (
        TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(40)).filter(Filter.lowercase())
    )
    for item in filters:
        builder = builder.filter(item)
    return builder.build()


# Stem first, fold after (as in Whoosh): the Snowball stemmers expect accents.
TOKENIZERS = {
    "badgeons_fr": _analyzer(Filter.stopword("french"), Filter.stemmer("french"), Filter.ascii_fold()),
    "badgeons_en": _analyzer(Filter.stopword("english"), Filter.stemmer("english"), Filter.ascii_fold()),
    "badgeons_plain": _analyzer(Filter.ascii_fold()),
}
FIELD_TOKENIZER = {**{name: "badgeons_fr" for name in FRENCH_FIELDS}, "english": "badgeons_en"}


class QueryBuilder:
    """Builds queries against one schema."""

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema

    def build(self, query: SearchQuery) -> Query:
        """Terms and filters together: every clause must match."""
        clauses = [clause for clause in map(self.term, query.terms) if clause is not None]
        clauses += [self.facet(name, values) for name, values in query.filters.items() if values]
        if not clauses:
            return Query.all_query()
        return Query.boolean_query([(Occur.Must, clause) for clause in clauses])

    def term(self, term: Term) -> Query | None:
        if term.kind == "prefix":
            return self.prefixes("plain", [term.text], boost=WEIGHTS["plain"])
        if term.kind == "phrase":
            return self.phrase(term.text)
        return self.word(term.text)

    def word(self, word: str) -> Query | None:
        clauses = [
            Query.boost_query(Query.term_query(self.schema, field, token), WEIGHTS[field])
            for field, tokenizer in FIELD_TOKENIZER.items()
            for token in TOKENIZERS[tokenizer].analyze(word)
        ]
        return _any(clauses)

    def phrase(self, text: str) -> Query | None:
        # Keep each word's position, so a removed stop word leaves the same gap as in the index.
        analyse = TOKENIZERS["badgeons_fr"].analyze
        positioned = [
            (position, token) for position, word in enumerate(words(text)) for token in analyse(word)[:1]
        ]
        if len(positioned) < 2:
            return self.word(text)
        return _any(
            [
                Query.boost_query(Query.phrase_query(self.schema, field, positioned), WEIGHTS[field])
                for field in FRENCH_FIELDS
            ]
        )

    def prefixes(self, field: str, tokens: list[str], boost: float = 1.0) -> Query | None:
        """Every token is the start of some word of the field."""
        clauses = [
            Query.regex_query(self.schema, field, re.escape(token) + ".*")
            for token in tokens
            if len(token) >= 2
        ]
        if not clauses:
            return None
        found = Query.boolean_query([(Occur.Must, clause) for clause in clauses])
        return Query.boost_query(found, boost)

    def facet(self, name: str, values: tuple[str, ...]) -> Query:
        return Query.term_set_query(self.schema, name, list(values))


def _any(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    return Query.boolean_query([(Occur.Should, clause) for clause in clauses])

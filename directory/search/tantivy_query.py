"""Parsed terms → tantivy queries, with the analysers every tantivy index registers.

Pure module (no Flask). Words, phrases and prefixes follow the same rules as the Whoosh
backend (see `whoosh_query`): AND across terms, each word OR'ed over the weighted fields.
"""

from functools import lru_cache

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


@lru_cache(maxsize=20_000)
def analyse(tokenizer: str, word: str) -> tuple[str, ...]:
    """A word's indexed tokens; cached because a query word goes through each analyser once per field."""
    return tuple(TOKENIZERS[tokenizer].analyze(word))


class QueryBuilder:
    """Builds queries against one schema, on the searcher that will run them.

    The searcher is needed for prefixes, which are expanded against its term dictionary.
    """

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema

    def build(self, query: SearchQuery, searcher: tantivy.Searcher) -> Query:
        """Terms and filters together: every clause must match."""
        clauses = [self.term(term, searcher) for term in query.terms]
        clauses += [self.facet(name, values) for name, values in query.filters.items() if values]
        clauses = [clause for clause in clauses if clause is not None]
        if not clauses:
            return Query.all_query()
        return Query.boolean_query([(Occur.Must, clause) for clause in clauses])

    def term(self, term: Term, searcher: tantivy.Searcher) -> Query | None:
        if term.kind == "prefix":
            return self.prefixes(searcher, "plain", [term.text], boost=WEIGHTS["plain"])
        if term.kind == "phrase":
            return self.phrase(term.text)
        return self.word(term.text)

    def word(self, word: str) -> Query | None:
        clauses = [
            Query.boost_query(Query.term_query(self.schema, field, token), WEIGHTS[field])
            for field, tokenizer in FIELD_TOKENIZER.items()
            for token in analyse(tokenizer, word)
        ]
        return _any(clauses)

    def phrase(self, text: str) -> Query | None:
        # Keep each word's position, so a removed stop word leaves the same gap as in the index.
        positioned = [
            (position, tokens[0])
            for position, word in enumerate(words(text))
            if (tokens := analyse("badgeons_fr", word))
        ]
        if len(positioned) < 2:
            return self.word(text)
        return _any(
            [
                Query.boost_query(Query.phrase_query(self.schema, field, positioned), WEIGHTS[field])
                for field in FRENCH_FIELDS
            ]
        )

    def prefixes(
        self, searcher: tantivy.Searcher, field: str, tokens: list[str], boost: float = 1.0
    ) -> Query | None:
        """Every token is the start of some word of the field."""
        clauses = [self.prefix(searcher, field, token) for token in tokens if len(token) >= 2]
        if not clauses:
            return None
        found = Query.boolean_query([(Occur.Must, clause) for clause in clauses])
        return Query.boost_query(found, boost)

    def prefix(self, searcher: tantivy.Searcher, field: str, token: str) -> Query:
        """The words of the field that start with `token`, as a set of terms.

        Same matches and constant score as `regex_query(token + ".*")`, but compiling that
        regex's Unicode automaton costs 0.4–0.9 ms per query, more than most searches; listing
        the searcher's terms with that prefix is a walk of the sorted term dictionary.
        """
        terms = [term for term, _ in searcher.terms_with_prefix(field, token)]
        return Query.term_set_query(self.schema, field, terms)

    def facet(self, name: str, values: tuple[str, ...]) -> Query:
        return Query.term_set_query(self.schema, name, list(values))


def _any(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    return Query.boolean_query([(Occur.Should, clause) for clause in clauses])

"""The embedded default: a Whoosh index (whoosh-reloaded) on local disk.

Pure module (no Flask). One writer at a time across processes (Whoosh's file lock, waited
for up to `lock_timeout` seconds); readers are never blocked: each thread keeps a searcher,
refreshes it before a query and reopens it once if a concurrent merge removed a segment.
Suggestions live in a second, small index beside the first.
"""

import gc
import threading
import warnings
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from whoosh import fields
from whoosh import index
from whoosh import query as wq
from whoosh.analysis import CharsetFilter
from whoosh.analysis import LanguageAnalyzer
from whoosh.analysis import StandardAnalyzer
from whoosh.support.charset import accent_map
from whoosh.writing import CLEAR
from whoosh.writing import LockError

from directory.search.analysis import plain_words
from directory.search.embedded import IndexDirectory
from directory.search.types import FACETS
from directory.search.types import FRENCH_FIELDS
from directory.search.types import Hit
from directory.search.types import IndexUnavailable
from directory.search.types import SearchDoc
from directory.search.types import SearchQuery
from directory.search.types import SearchResult
from directory.search.types import SuggestEntry
from directory.search.types import Term
from directory.search.whoosh_query import build_query
from directory.search.whoosh_query import facet_filter
from directory.search.whoosh_query import sort_spec

SCHEMA_VERSION = "1"
# Stem first, fold after: the French stemmer and stop list expect accents.
FOLD = CharsetFilter(accent_map)
FRENCH = LanguageAnalyzer("fr") | FOLD
ENGLISH = LanguageAnalyzer("en") | FOLD
PLAIN = StandardAnalyzer(stoplist=None, minsize=1) | FOLD
READ_ERRORS = (FileNotFoundError, EOFError, OSError)


def profile_schema() -> fields.Schema:
    """One text field per weight class, an English and an unstemmed copy, facets, sort keys."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        english=fields.TEXT(analyzer=ENGLISH),
        plain=fields.TEXT(analyzer=PLAIN),
        sort_name=fields.ID(sortable=True),
        updated=fields.NUMERIC(sortable=True, bits=64),
    )
    for name in FRENCH_FIELDS:
        schema.add(name, fields.TEXT(analyzer=FRENCH))
    for name in FACETS:
        schema.add(name, fields.KEYWORD(commas=True, lowercase=False, scorable=False, sortable=True))
    return schema


def suggest_schema() -> fields.Schema:
    return fields.Schema(
        kind=fields.STORED,
        key=fields.STORED,
        label=fields.STORED,
        text=fields.NGRAMWORDS(minsize=2, maxsize=20, at="start"),
        rank=fields.NUMERIC(stored=True, sortable=True, bits=64),
    )


def profile_fields(doc: SearchDoc) -> dict:
    """The Whoosh document for a SearchDoc."""
    values = {name: getattr(doc, name) for name in FRENCH_FIELDS}
    values.update(id=doc.id, english=doc.all_text, plain=doc.all_text)
    values.update(sort_name=doc.sort_name or "~", updated=doc.updated)
    values.update({name: ",".join(doc.facets.get(name, ())) for name in FACETS})
    return values


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def upsert(self, doc: SearchDoc) -> None:
        self._writer.update_document(**profile_fields(doc))

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)


class WhooshBackend:
    """Whoosh under `path/profiles` and `path/suggest`."""

    name = "whoosh"

    def __init__(self, path: str | Path, lock_timeout: float = 10.0):
        stamp = f"{SCHEMA_VERSION} whoosh-reloaded {version('whoosh-reloaded')}"
        self.profiles = IndexDirectory(Path(path) / "profiles", stamp)
        self.suggestions = IndexDirectory(Path(path) / "suggest", stamp)
        self.lock_timeout = lock_timeout
        self._local = threading.local()

    # Opening and repairing

    def _open(self, directory: IndexDirectory, schema: fields.Schema) -> index.Index:
        if not directory.stamped:
            raise IndexUnavailable(f"no usable Whoosh index in {directory.path}")
        with _closing_leaked_files():
            try:
                return index.open_dir(str(directory.path), schema=schema)
            except Exception as error:  # a damaged TOC fails in many ways (unpickling, struct, EOF…)
                message = f"cannot open {directory.path}: {error!r}"
        raise IndexUnavailable(message)

    def _create(self, directory: IndexDirectory, schema: fields.Schema) -> index.Index:
        directory.reset()
        created = index.create_in(str(directory.path), schema)
        directory.stamp()
        return created

    def _searcher(self, directory: IndexDirectory, schema: fields.Schema):
        """This thread's searcher, refreshed to the last commit."""
        cached = getattr(self._local, directory.path.name, None)
        if not directory.stamped:  # deleted or replaced behind our back
            raise IndexUnavailable(f"no usable Whoosh index in {directory.path}")
        if cached is not None and cached.up_to_date():
            return cached
        if cached is not None:
            # Not refresh(): it reuses segment readers and misses new deletions in them.
            cached.close()
        searcher = self._open(directory, schema).searcher()
        setattr(self._local, directory.path.name, searcher)
        return searcher

    def _read(self, directory: IndexDirectory, schema: fields.Schema, action):
        """Run `action(searcher)`, reopening once if a concurrent merge removed a file."""
        try:
            return action(self._searcher(directory, schema))
        except READ_ERRORS:
            setattr(self._local, directory.path.name, None)
            with _closing_leaked_files():
                try:
                    return action(self._searcher(directory, schema))
                except IndexUnavailable:
                    raise
                except Exception as error:  # a damaged segment fails in many ways
                    message = f"unreadable Whoosh index: {error!r}"
            raise IndexUnavailable(message)

    def _writer(self, directory: IndexDirectory, schema: fields.Schema, create: bool = False):
        """A writer; `create` starts a missing or broken index (only a full rebuild may)."""
        try:
            ix = self._open(directory, schema)
        except IndexUnavailable:
            if not create:
                raise
            ix = self._create(directory, schema)
        try:
            return ix.writer(timeout=self.lock_timeout, delay=0.02)
        except LockError as error:
            raise IndexUnavailable("the Whoosh index stayed locked by another writer") from error

    # The interface

    @contextmanager
    def writer(self):
        writer = self._writer(self.profiles, profile_schema())
        try:
            yield _Writer(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Write every document into a fresh segment set; the old one stays readable until commit."""
        writer = self._writer(self.profiles, profile_schema(), create=True)
        count = 0
        try:
            for count, doc in enumerate(docs, 1):
                writer.add_document(**profile_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)
        return count

    def search(self, query: SearchQuery) -> SearchResult:
        return self._read(self.profiles, profile_schema(), lambda s: _search(s, query))

    def replace_suggestions(self, entries: Iterable[SuggestEntry]) -> None:
        writer = self._writer(self.suggestions, suggest_schema(), create=True)
        for entry in entries:
            text = " ".join(plain_words(f"{entry.label} {entry.text}"))
            writer.add_document(kind=entry.kind, key=entry.key, label=entry.label, text=text, rank=entry.rank)
        writer.commit(mergetype=CLEAR)

    def suggest(self, prefix: str, limit: int = 8) -> list[SuggestEntry]:
        tokens = [token[:20] for token in plain_words(prefix) if len(token) >= 2]
        if not tokens:
            return []
        found = wq.And([wq.Term("text", token) for token in tokens])
        try:
            return self._read(self.suggestions, suggest_schema(), lambda s: _suggest(s, found, limit))
        except IndexUnavailable:
            return []

    def health(self) -> dict:
        try:
            count = self._read(self.profiles, profile_schema(), lambda s: s.doc_count())
            self.search(SearchQuery(terms=(Term("word", "test"),), facets=(), per_page=1))
        except IndexUnavailable as error:
            return {"ok": False, "backend": self.name, "error": str(error)}
        return {"ok": True, "backend": self.name, "documents": count}

    def close(self) -> None:
        self._local = threading.local()


@contextmanager
def _closing_leaked_files():
    """Whoosh leaves open the file it failed to read: close it here, without a ResourceWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


def _search(searcher, query: SearchQuery) -> SearchResult:
    limit = max(query.page * query.per_page, 1)
    found, chosen = build_query(query.terms, searcher.schema), facet_filter(query.filters)
    # Filters go into the query, not `filter=`: Results.docs() and len() would ignore them.
    if chosen is not None:
        found = wq.And([found, wq.ConstantScoreQuery(chosen, 0.0)])
    results = searcher.search(
        found,
        limit=limit,
        sortedby=sort_spec(query),
        terms=False,
    )
    start = (query.page - 1) * query.per_page
    hits = [_hit(results, position) for position in range(start, min(limit, results.scored_length()))]
    counts = _facet_counts(searcher, results.docs(), query.facets) if query.facets else {}
    return SearchResult(hits=hits[: query.per_page], total=len(results), facets=counts)


def _facet_counts(searcher, docnums, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Counts from a docnum → values table: much faster than Whoosh's overlapping FieldFacets."""
    table = _facet_table(searcher)
    counts: dict[str, Counter] = {name: Counter() for name in names}
    for docnum in docnums:
        for name in names:
            counts[name].update(table[name].get(docnum, ()))
    return {name: dict(counter) for name, counter in counts.items()}


def _facet_table(searcher) -> dict[str, dict[int, list[str]]]:
    """The facet values of every document, read from the postings once per searcher (i.e. per commit)."""
    cached = getattr(searcher, "_badgeons_facets", None)
    if cached is None:
        reader, cached = searcher.reader(), {}
        for name in FACETS:
            table: dict[int, list[str]] = {}
            for value in reader.lexicon(name):
                text = value.decode("utf-8")
                for docnum in reader.postings(name, text).all_ids():
                    table.setdefault(docnum, []).append(text)
            cached[name] = table
        searcher._badgeons_facets = cached
    return cached


def _hit(results, position: int) -> Hit:
    return Hit(id=results[position]["id"], score=results.score(position) or 0.0)


def _suggest(searcher, found, limit: int) -> list[SuggestEntry]:
    results = searcher.search(found, limit=limit, sortedby="rank")
    return [
        SuggestEntry(kind=hit["kind"], key=hit["key"], label=hit["label"], rank=hit["rank"])
        for hit in results
    ]

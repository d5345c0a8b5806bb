"""Embedded and fast: a tantivy index (PyPI `tantivy`) on local disk, for large directories.

Pure module (no Flask). Same model as Whoosh: one writer at a time across processes
(tantivy's lock file, retried for up to `lock_timeout` seconds); readers see the last commit
at every query, but reload only when the index's `meta.json` has changed since their last
look (see `_Reader`). Suggestions live in a second, small index beside the first.
"""

import os
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tantivy

from directory.search.analysis import plain_words
from directory.search.embedded import IndexDirectory
from directory.search.embedded import retry
from directory.search.tantivy_query import TOKENIZERS
from directory.search.tantivy_query import QueryBuilder
from directory.search.types import FACETS
from directory.search.types import FRENCH_FIELDS
from directory.search.types import Hit
from directory.search.types import IndexUnavailable
from directory.search.types import SearchDoc
from directory.search.types import SearchQuery
from directory.search.types import SearchResult
from directory.search.types import SuggestEntry

SCHEMA_VERSION = "2"  # 2: `number`, the id as a fast field
HEAP = 64_000_000
REBUILD_HEAP = 256_000_000
META = "meta.json"  # rewritten (atomically) by every commit: the index's generation
META_CHUNK = 1 << 16


@cache
def profile_schema() -> tantivy.Schema:
    """The same fields as every backend: weighted French text, English and plain copies, facets.

    `number` repeats a numeric id in a fast field, so that a page of hits reads its ids in one
    column lookup instead of loading each stored document.
    """
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("number", fast=True)
    for name in FRENCH_FIELDS:
        builder.add_text_field(name, tokenizer_name="badgeons_fr")
    builder.add_text_field("english", tokenizer_name="badgeons_en")
    builder.add_text_field("plain", tokenizer_name="badgeons_plain")
    for name in (*FACETS, "sort_name"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_integer_field("updated", fast=True)
    return builder.build()


@cache
def suggest_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("kind", "key", "label"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    builder.add_text_field("text", tokenizer_name="badgeons_plain")
    builder.add_integer_field("rank", stored=True, fast=True)
    return builder.build()


def profile_document(doc: SearchDoc) -> tantivy.Document:
    values = {name: getattr(doc, name) for name in FRENCH_FIELDS}
    values.update(id=doc.id, english=doc.all_text, plain=doc.all_text, sort_name=doc.sort_name or "~")
    values.update({name: list(doc.facets.get(name, ())) for name in FACETS if doc.facets.get(name)})
    document = tantivy.Document(**values)
    document.add_integer("updated", doc.updated)
    if doc.id.isascii() and doc.id.isdigit() and int(doc.id) < 2**64:
        document.add_unsigned("number", int(doc.id))
    return document


@dataclass(frozen=True)
class _Reader:
    """A searcher and the `meta.json` it was opened on.

    `Index.reload()` costs more than most queries (0.1 ms), so it runs only when the file
    differs. Every commit, from any process, rewrites `meta.json` with a new opstamp, so equal
    bytes mean the same committed state; reading a few kilobytes is cheaper than a reload, and
    unlike an mtime it cannot miss two commits within one clock tick.
    """

    meta: bytes
    searcher: tantivy.Searcher


def _meta(path: str) -> bytes | None:
    """The bytes of `meta.json` (a few kB: the segments and the schema), None if missing.

    Plain `os.read` in 64 kB chunks: a 2 µs read, where `open().read()` takes 5 µs.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        chunks = [os.read(descriptor, META_CHUNK)]
        while len(chunks[-1]) == META_CHUNK:
            chunks.append(os.read(descriptor, META_CHUNK))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def upsert(self, doc: SearchDoc) -> None:
        self._writer.delete_documents_by_term("id", doc.id)
        self._writer.add_document(profile_document(doc))

    def delete(self, doc_id: str) -> None:
        self._writer.delete_documents_by_term("id", doc_id)


class TantivyBackend:
    """tantivy under `path/profiles` and `path/suggest`."""

    name = "tantivy"

    def __init__(self, path: str | Path, lock_timeout: float = 10.0):
        stamp = f"{SCHEMA_VERSION} tantivy {tantivy.__version__}"
        self.profiles = IndexDirectory(Path(path) / "profiles", stamp)
        self.suggestions = IndexDirectory(Path(path) / "suggest", stamp)
        self.lock_timeout = lock_timeout
        self._indexes: dict[str, tantivy.Index] = {}
        self._readers: dict[str, _Reader] = {}
        self._meta_files = {d.path.name: str(d.path / META) for d in (self.profiles, self.suggestions)}
        self._guard = threading.Lock()
        self._queries = QueryBuilder(profile_schema())
        self._suggest_queries = QueryBuilder(suggest_schema())

    def _index(
        self, directory: IndexDirectory, schema: tantivy.Schema, create: bool = False
    ) -> tantivy.Index:
        """The opened index, with the analysers tantivy does not persist registered again."""
        with self._guard:
            if directory.path.name not in self._indexes:
                self._indexes[directory.path.name] = self._open(directory, schema, create)
            return self._indexes[directory.path.name]

    def _open(self, directory: IndexDirectory, schema: tantivy.Schema, create: bool) -> tantivy.Index:
        usable = directory.stamped and tantivy.Index.exists(str(directory.path))
        if not usable and not create:
            raise IndexUnavailable(f"no usable tantivy index in {directory.path}")
        try:
            index = self._load(directory, schema, usable)
        except (OSError, ValueError) as error:
            if not create:
                raise IndexUnavailable(f"cannot open {directory.path}: {error}") from error
            index, usable = self._load(directory, schema, False), False
        for name, analyzer in TOKENIZERS.items():
            index.register_tokenizer(name, analyzer)
        if not usable:
            directory.stamp()
        return index

    @staticmethod
    def _load(directory: IndexDirectory, schema: tantivy.Schema, usable: bool) -> tantivy.Index:
        if not usable:
            directory.reset()
        return tantivy.Index(schema, str(directory.path), reuse=usable)

    @contextmanager
    def _writer(
        self, directory: IndexDirectory, schema: tantivy.Schema, heap: int = HEAP, create: bool = False
    ):
        """A writer; `create` starts a missing or broken index (only a full rebuild may)."""
        index = self._index(directory, schema, create=create)
        try:
            writer = retry(lambda: index.writer(heap, 1), (ValueError,), self.lock_timeout)
        except ValueError as error:
            raise IndexUnavailable(f"the tantivy index stayed locked: {error}") from error
        try:
            yield writer
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        # Waiting consumes the writer, which releases the lock for the next process.
        writer.wait_merging_threads()

    def _searcher(self, directory: IndexDirectory, schema: tantivy.Schema) -> tantivy.Searcher:
        """A searcher on the last commit; the previous one while the index has not changed."""
        name = directory.path.name
        meta = _meta(self._meta_files[name])
        reader = self._readers.get(name)
        if reader is not None and meta is not None and reader.meta == meta:
            return reader.searcher
        # A new meta.json may come from a rebuild into a reset directory: check the stamp again.
        if not directory.stamped:  # deleted or replaced behind our back
            self._indexes.pop(name, None)
            self._readers.pop(name, None)
            raise IndexUnavailable(f"no usable tantivy index in {directory.path}")
        index = self._index(directory, schema)
        index.reload()
        searcher = index.searcher()
        if meta is not None:
            self._readers[name] = _Reader(meta, searcher)
        return searcher

    # The interface

    @contextmanager
    def writer(self):
        with self._writer(self.profiles, profile_schema()) as writer:
            yield _Writer(writer)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        count = 0
        self.close()  # reopen: the directory may have been deleted or damaged since
        with self._writer(self.profiles, profile_schema(), REBUILD_HEAP, create=True) as writer:
            writer.delete_all_documents()
            for count, doc in enumerate(docs, 1):
                writer.add_document(profile_document(doc))
        return count

    def search(self, query: SearchQuery) -> SearchResult:
        searcher = self._searcher(self.profiles, profile_schema())
        found = self._queries.build(query, searcher)
        hits, total = _page(searcher, found, query)
        return SearchResult(hits=hits, total=total, facets=_facets(searcher, found, query.facets))

    def replace_suggestions(self, entries: Iterable[SuggestEntry]) -> None:
        with self._writer(self.suggestions, suggest_schema(), create=True) as writer:
            writer.delete_all_documents()
            for entry in entries:
                document = tantivy.Document(kind=entry.kind, key=entry.key, label=entry.label)
                document.add_text("text", " ".join(plain_words(f"{entry.label} {entry.text}")))
                document.add_integer("rank", entry.rank)
                writer.add_document(document)

    def suggest(self, prefix: str, limit: int = 8) -> list[SuggestEntry]:
        try:
            searcher = self._searcher(self.suggestions, suggest_schema())
        except IndexUnavailable:
            return []
        found = self._suggest_queries.prefixes(searcher, "text", plain_words(prefix))
        if found is None:
            return []
        hits = searcher.search(found, limit, order_by_field="rank", order=tantivy.Order.Asc).hits
        return [_entry(searcher.doc(address)) for _, address in hits]

    def health(self) -> dict:
        try:
            documents = self._searcher(self.profiles, profile_schema()).num_docs
        except (IndexUnavailable, OSError, ValueError) as error:
            return {"ok": False, "backend": self.name, "error": str(error)}
        return {"ok": True, "backend": self.name, "documents": documents}

    def close(self) -> None:
        with self._guard:
            self._indexes.clear()
            self._readers.clear()


def _page(searcher, found, query: SearchQuery) -> tuple[list[Hit], int]:
    order = {}
    if query.sort == "recent":
        order = {"order_by_field": "updated", "order": tantivy.Order.Desc}
    elif query.sort == "name" or not query.terms:
        order = {"order_by_field": "sort_name", "order": tantivy.Order.Asc}
    limit = max(query.per_page, 1)
    result = searcher.search(found, limit, count=True, offset=(query.page - 1) * query.per_page, **order)
    found_hits = result.hits[: query.per_page]
    ids = _ids(searcher, [address for _, address in found_hits])
    # Sorted by a field, the keys are that field's values, not scores.
    scores = [float(key) for key, _ in found_hits] if not order else [0.0] * len(ids)
    return [Hit(id=id_, score=score) for id_, score in zip(ids, scores)], result.count


def _ids(searcher, addresses: list) -> list[str]:
    """The hits' ids from the `number` column; a stored document only for a non-numeric id."""
    numbers = searcher.fast_field_values("number", addresses) if addresses else []
    return [
        str(number) if number is not None else searcher.doc(address)["id"][0]
        for number, address in zip(numbers, addresses)
    ]


def _facets(searcher, found, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    if not names:
        return {}
    spec = {name: {"terms": {"field": name, "size": 65000}} for name in names}
    answer = searcher.aggregate(found, spec)
    return {name: {b["key"]: b["doc_count"] for b in answer[name]["buckets"]} for name in names}


def _entry(document) -> SuggestEntry:
    first = document.get_first
    return SuggestEntry(kind=first("kind"), key=first("key"), label=first("label"), rank=first("rank"))

"""The reference: tantivy used directly (one field, tantivy's own query parser), over the same corpus."""

from pathlib import Path

import tantivy
from tantivy import Occur
from tantivy import Query

from directory.search.analysis import fold
from directory.search.tantivy_query import TOKENIZERS
from directory.search.types import FACETS
from directory.search.types import SearchDoc


class BareTantivy:
    name = "bare tantivy"

    def __init__(self, path: Path):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("all", tokenizer_name="badgeons_fr")
        for name in FACETS:
            builder.add_text_field(name, tokenizer_name="raw", fast=True)
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, str(path))
        self.index.register_tokenizer("badgeons_fr", TOKENIZERS["badgeons_fr"])

    def rebuild(self, docs: list[SearchDoc]) -> int:
        writer = self.index.writer(256_000_000, 1)
        for doc in docs:
            values = {name: list(doc.facets.get(name, ())) for name in FACETS if doc.facets.get(name)}
            writer.add_document(tantivy.Document(id=doc.id, all=doc.all_text, **values))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return len(docs)

    def query(self, kind: str, text: str, filters: dict) -> None:
        searcher = self.index.searcher()
        if kind == "prefix":
            found = Query.regex_query(self.schema, "all", fold(text.rstrip("*")) + ".*")
        else:
            found = (
                self.index.parse_query(text, ["all"], conjunction_by_default=True)
                if text.strip()
                else Query.all_query()
            )
        for name, values in filters.items():
            found = Query.boolean_query(
                [(Occur.Must, found), (Occur.Must, Query.term_set_query(self.schema, name, list(values)))]
            )
        searcher.search(found, 20, count=True)
        if kind == "facets":
            searcher.aggregate(found, {name: {"terms": {"field": name, "size": 65000}} for name in FACETS})

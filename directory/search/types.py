"""What flows through every search backend: documents, queries, results, the interface.

Pure module: no Flask, no database. Every backend receives the same `SearchDoc`, built
by one function from the database, and answers the same `SearchQuery`.
"""

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from dataclasses import field
from typing import Protocol

# Facet names double as URL parameters (`/search?region=…&competence=…`).
FACETS = ("region", "departement", "competence", "badge", "emetteur", "reconnu_par", "ouvert_a")
SORTS = ("relevance", "name", "recent")
# Field weights shared by every backend: matched competencies outrank bio words, and a
# competency on an endorsed badge counts once more through the `endorsed` field.
WEIGHTS = {"endorsed": 4.0, "skills": 3.0, "main": 2.0, "body": 1.0, "english": 1.0, "plain": 0.5}
FRENCH_FIELDS = ("endorsed", "skills", "main", "body")


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or locked for too long; a rebuild from the database repairs it."""


@dataclass(frozen=True)
class SearchDoc:
    """One listed profile as the index sees it: searchable text, facet values, sort keys."""

    id: str
    endorsed: str = ""  # competencies and names of badges whose class an organisation endorses
    skills: str = ""  # labels and synonyms (fr, en) of the competencies of public badges, badge names
    main: str = ""  # name, headline, company, sectors, place, issuers, endorsers
    body: str = ""  # bio, badge descriptions and criteria, broader competencies
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort_name: str = ""
    updated: int = 0  # seconds since the epoch

    @property
    def all_text(self) -> str:
        """Every searchable word, for the English and unstemmed copies."""
        return "\n".join((self.endorsed, self.skills, self.main, self.body))


@dataclass(frozen=True)
class SuggestEntry:
    """Something to propose while typing: a competency, a badge class or an organisation."""

    kind: str  # "competence" | "badge" | "organisation"
    key: str  # the facet value it filters on
    label: str
    text: str = ""  # extra words that also find it (synonyms, English label)
    rank: int = 0  # smaller first: how much the directory uses it, inverted


@dataclass(frozen=True)
class Term:
    """One element of a parsed query."""

    kind: str  # "word" | "phrase" | "prefix"
    text: str


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query with filters (OR within a facet, AND across facets)."""

    terms: tuple[Term, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    facets: tuple[str, ...] = FACETS
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"


@dataclass(frozen=True)
class Hit:
    id: str
    score: float = 0.0


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # True when facet counts are estimates and relevance looked at part of the matches only
    # (the PostgreSQL backend past its exact limit); the total is always exact.
    approximate: bool = False


class IndexWriter(Protocol):
    """Changes applied together when the writer's context exits."""

    def upsert(self, doc: SearchDoc) -> None: ...

    def delete(self, doc_id: str) -> None: ...


class SearchBackend(Protocol):
    """The interface every backend implements; see `registry.BACKENDS`."""

    name: str

    def writer(self) -> AbstractContextManager[IndexWriter]:
        """One writer at a time across processes; commit on exit, nothing on error."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def suggest(self, prefix: str, limit: int = 8) -> list[SuggestEntry]: ...

    def replace_suggestions(self, entries: Iterable[SuggestEntry]) -> None: ...

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index by these documents; readers see the old one until the end."""

    def health(self) -> dict:
        """`ok`, `documents` and backend details; never raises."""

    def close(self) -> None: ...


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of at most `size` items."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

"""Tables of the PostgreSQL search backend (present, unused, on SQLite: one schema everywhere).

The tsvector columns and their GIN indexes are filled by `postgres_backend` with the
`badgeons_fr`, `badgeons_en` and `badgeons_plain` text search configurations that the
migration creates on PostgreSQL. Facet values live in the same row (a GIN-indexed text[]
of "facet:value" tokens), so filters and counts read the rows the text match reads.
"""

from sqlalchemy import BigInteger
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from directory.extensions import db

TSV = Text().with_variant(TSVECTOR(), "postgresql")
TOKENS = Text().with_variant(ARRAY(Text()), "postgresql")


class SearchDocument(db.Model):
    """One listed profile in the PostgreSQL index."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_documents_tsv_plain", "tsv_plain", postgresql_using="gin"),
        Index("ix_search_documents_facets", "facets", postgresql_using="gin"),
    )

    doc_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sort_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    updated: Mapped[int] = mapped_column(BigInteger, default=0)
    tsv = mapped_column(TSV, nullable=True)
    tsv_plain = mapped_column(TSV, nullable=True)
    facets = mapped_column(TOKENS, nullable=False)  # "region:Hauts-de-France", "competence:<uri>", …


class SearchSuggestion(db.Model):
    """A competency, badge class or organisation proposed while typing."""

    __tablename__ = "search_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(500))
    folded: Mapped[str] = mapped_column(Text, default="")
    rank: Mapped[int] = mapped_column(default=0, index=True)

"""Stored files (images and uploads live in the database) and the append-only audit log."""

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column

from directory.core.db import json_type
from directory.core.db import utcnow
from directory.extensions import db


class StoredFile(db.Model):
    """Bytes of an image or an uploaded file, kept in the database so no shared disk is needed."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def from_bytes(cls, data: bytes, content_type: str, filename: str | None = None) -> "StoredFile":
        """A new stored file for these bytes."""
        return cls(
            data=data,
            content_type=content_type,
            filename=filename,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


class AuditEntry(db.Model):
    """One state change that matters; rows are only ever inserted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(json_type(), default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, flush_context, instances):
    # actor_id may still be nulled by the database itself when a user is erased.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit log entries cannot be changed or deleted")


class PageCacheGeneration(db.Model):
    """The data generation public pages are cached under (``core/pagecache.py``): one row, shared by every process.

    ``token`` is replaced by a fresh random value after each commit that wrote anything, so a page
    stored under an older token is never served again; random rather than a counter, so that a
    deleted and re-created row can never bring an old generation back.
    """

    __tablename__ = "page_cache_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

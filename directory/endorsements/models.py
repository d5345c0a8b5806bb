"""An organisation's endorsement of a badge class or an issuer, through its lifecycle."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.extensions import db

ENDORSEMENT_STATES = ("requested", "declined", "active", "withdrawn")
TARGET_TYPES = ("badge_class", "issuer")
# Open endorsements: at most one per endorser and target (a second would be a duplicate).
OPEN_WHERE = "state IN ('requested', 'active') AND target_type = '{}'"


def _one_open(name: str, target_column: str, target_type: str) -> Index:
    """A partial unique index: the database, not a check-then-insert, stops two racing members."""
    where = text(OPEN_WHERE.format(target_type))
    return Index(name, "endorser_id", target_column, unique=True, sqlite_where=where, postgresql_where=where)


class Endorsement(db.Model):
    """An endorsement, published as OB 2.0 Endorsement and OB 3.0 EndorsementCredential."""

    __tablename__ = "endorsements"
    __table_args__ = (
        _one_open("uq_endorsements_open_badge_class", "badge_class_id", "badge_class"),
        _one_open("uq_endorsements_open_issuer", "target_organisation_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    badge_class_id: Mapped[int | None] = mapped_column(ForeignKey("badge_classes.id"), index=True)
    target_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    # What the issuer wrote when asking a partner for this endorsement.
    request_message: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="active", index=True)
    # The endorsed issuer may decline to display an endorsement; it stays published.
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_on: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # When the endorsed issuer's staff marked it as seen: until then it is "new" to them.
    acknowledged_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)

    endorser = relationship("Organisation", foreign_keys=[endorser_id])
    badge_class = relationship("BadgeClass", foreign_keys=[badge_class_id])
    target_organisation = relationship("Organisation", foreign_keys=[target_organisation_id])

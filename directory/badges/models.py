"""Competencies, badge classes, applications with their evidence and reviews, and awards."""

from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from directory.core.db import json_type
from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.extensions import db

BADGE_CLASS_STATES = ("draft", "in_review", "published", "archived")
# A badge class's review trail: reviewers' words, and the lifecycle events between them.
REVIEW_ENTRY_KINDS = ("comment", "approve", "request_changes", "submit", "publish", "archive")
BULK_JOB_STATES = ("preview", "applied")
APPLICATION_STATES = ("draft", "submitted", "returned", "approved", "refused")
REVIEW_DECISIONS = ("approve", "return", "refuse")
VISIBILITIES = ("public", "partners", "private")


class Competency(db.Model):
    """A concept of a skills framework (ESCO, ROME, RNCP or an issuer's own)."""

    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("framework", "uri", name="uq_competencies_framework_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework: Mapped[str] = mapped_column(String(40), index=True)
    uri: Mapped[str] = mapped_column(String(500))
    code: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30), default="skill")
    label_fr: Mapped[str] = mapped_column(String(500))
    label_en: Mapped[str] = mapped_column(String(500), default="")
    synonyms_fr: Mapped[str] = mapped_column(Text, default="")
    synonyms_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id"), index=True)

    parent: Mapped["Competency | None"] = relationship(remote_side=[id])

    def label(self, locale: str) -> str:
        """The label in this locale, falling back to the other language."""
        return (self.label_en if locale == "en" else self.label_fr) or self.label_fr or self.label_en


badge_class_competencies = Table(
    "badge_class_competencies",
    db.Model.metadata,
    Column("badge_class_id", ForeignKey("badge_classes.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class BadgeClass(db.Model):
    """One version of a badge class; a change to an awarded class makes a new version."""

    __tablename__ = "badge_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    family: Mapped[str] = mapped_column(String(36), index=True, default=new_uuid)
    version: Mapped[int] = mapped_column(default=1)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name_fr: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    description_fr: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text, default="")
    criteria_fr: Mapped[str] = mapped_column(Text)
    criteria_en: Mapped[str] = mapped_column(Text, default="")
    image_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    tags: Mapped[list] = mapped_column(json_type(), default=list)
    expiry_months: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    issuer = relationship("Organisation", foreign_keys=[issuer_id])
    image = relationship("StoredFile", foreign_keys=[image_id])
    competencies: Mapped[list[Competency]] = relationship(
        secondary=badge_class_competencies, order_by=badge_class_competencies.c.position
    )
    partners: Mapped[list["BadgeClassPartner"]] = relationship(
        back_populates="badge_class", cascade="all, delete-orphan"
    )

    def name(self, locale: str) -> str:
        """The name in this locale, falling back to French."""
        return (self.name_en if locale == "en" else "") or self.name_fr

    def description(self, locale: str) -> str:
        """The description in this locale, falling back to French."""
        return (self.description_en if locale == "en" else "") or self.description_fr


class BadgeClassPartner(db.Model):
    """A partner organisation invited to co-build and review a badge class."""

    __tablename__ = "badge_class_partners"

    badge_class_id: Mapped[int] = mapped_column(
        ForeignKey("badge_classes.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="co_builder")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)

    badge_class: Mapped[BadgeClass] = relationship(back_populates="partners")
    organisation = relationship("Organisation")


class BadgeClassReview(db.Model):
    """One entry of a badge class's review trail: a comment, an approval or a request for changes."""

    __tablename__ = "badge_class_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    badge_class_id: Mapped[int] = mapped_column(
        ForeignKey("badge_classes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    decision: Mapped[str] = mapped_column(String(20), default="comment")
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(db.Model):
    """An entrepreneur's request for a badge, with evidence, assessed by a reviewer."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    badge_class_id: Mapped[int] = mapped_column(ForeignKey("badge_classes.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    # The address the badge is awarded to (hashed in documents): the account's, or one the applicant gave.
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]

    badge_class: Mapped[BadgeClass] = relationship()
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    decisions: Mapped[list["ReviewDecision"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ReviewDecision.id"
    )


class ReviewDecision(db.Model):
    """A reviewer's decision on an application; a return or refusal carries its reason."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="decisions")


class Evidence(db.Model):
    """A piece of evidence: a narrative, a link or an uploaded file, for an application or an award."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application | None] = relationship(back_populates="evidence")
    file = relationship("StoredFile")


class Award(db.Model):
    """A badge held by someone: issued here (an assertion) or imported from elsewhere."""

    __tablename__ = "awards"
    __table_args__ = (Index("ix_awards_profile_position", "profile_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    source: Mapped[str] = mapped_column(String(20), default="issued")
    badge_class_id: Mapped[int | None] = mapped_column(ForeignKey("badge_classes.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"), index=True
    )
    recipient_email: Mapped[str | None] = mapped_column(String(320))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    salt: Mapped[str] = mapped_column(String(64))
    identity_hash: Mapped[str] = mapped_column(String(80))
    issued_on: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[datetime | None]
    narrative: Mapped[str] = mapped_column(Text, default="")
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]
    # A claim link's secret is sent once by e-mail; only its hash is kept.
    claim_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    claim_expires_at: Mapped[datetime | None]
    # Curation by the holder.
    visibility: Mapped[str] = mapped_column(String(20), default="public")
    position: Mapped[int] = mapped_column(default=0)
    featured: Mapped[bool] = mapped_column(default=False)
    # Imported badges: what was received, and what verification last said.
    original_format: Mapped[str | None] = mapped_column(String(20))
    original_document: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    imported_image_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    imported_summary: Mapped[dict] = mapped_column(json_type(), default=dict)
    last_verified_at: Mapped[datetime | None]
    last_verification: Mapped[dict | None] = mapped_column(json_type())

    badge_class: Mapped[BadgeClass | None] = relationship()
    profile = relationship("Profile", back_populates="awards")
    evidence: Mapped[list[Evidence]] = relationship(
        foreign_keys=[Evidence.award_id], cascade="all, delete-orphan"
    )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        """Whether the award has expired at this moment."""
        return self.expires_on is not None and self.expires_on <= now


class BulkAwardJob(db.Model):
    """A CSV of awards uploaded by issuer staff: previewed, then applied once in one transaction."""

    __tablename__ = "bulk_award_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    # The file itself holds e-mail addresses: it is kept only until it is applied.
    content: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="preview")
    line_count: Mapped[int] = mapped_column(default=0)
    award_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]

"""An entrepreneur's profile, and what hangs on it: collections, consent history, messages."""

from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from directory.core.db import json_type
from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.extensions import db

OPEN_TO = ("missions", "partnerships", "hiring", "mentoring")
CONSENT_ACTIONS = ("given", "withdrawn")


class Profile(db.Model):
    """What an entrepreneur shows of themselves; they choose who sees it."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    headline: Mapped[str] = mapped_column(String(255), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    company_name: Mapped[str] = mapped_column(String(255), default="")
    siret: Mapped[str | None] = mapped_column(String(14))
    commune: Mapped[str] = mapped_column(String(120), default="")
    commune_code: Mapped[str | None] = mapped_column(String(5))
    departement: Mapped[str] = mapped_column(String(120), default="")
    departement_code: Mapped[str | None] = mapped_column(String(3), index=True)
    region: Mapped[str] = mapped_column(String(120), default="")
    sectors: Mapped[list] = mapped_column(json_type(), default=list)
    open_to: Mapped[list] = mapped_column(json_type(), default=list)
    links: Mapped[list] = mapped_column(json_type(), default=list)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    visibility: Mapped[str] = mapped_column(String(20), default="public")
    listing_consent: Mapped[bool] = mapped_column(default=False)
    listing_consent_at: Mapped[datetime | None]
    # The code of the short link printed on cards (/p/<code>); made on first share.
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    accepts_contact: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
    photo = relationship("StoredFile", foreign_keys=[photo_id])
    awards = relationship("Award", back_populates="profile", order_by="Award.position")
    collections: Mapped[list["Collection"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Collection.position"
    )
    consent_events: Mapped[list["ConsentEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsentEvent.id"
    )
    messages: Mapped[list["ContactMessage"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ContactMessage.id.desc()"
    )

    @property
    def is_listed(self) -> bool:
        """Shown in the public directory: public and with consent to be listed."""
        return self.visibility == "public" and self.listing_consent


collection_awards = Table(
    "collection_awards",
    db.Model.metadata,
    Column("collection_id", ForeignKey("profile_collections.id", ondelete="CASCADE"), primary_key=True),
    Column("award_id", ForeignKey("awards.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Collection(db.Model):
    """A named group of the holder's badges ("Gestion", "Commercial"…), shown as a section."""

    __tablename__ = "profile_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[Profile] = relationship(back_populates="collections")
    awards = relationship("Award", secondary=collection_awards, order_by=collection_awards.c.position)


class ConsentEvent(db.Model):
    """Consent to be listed in the directory, given or withdrawn, with its date (kept as proof)."""

    __tablename__ = "profile_consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactMessage(db.Model):
    """A visitor's message relayed to an entrepreneur; the sender's address stays hidden until a reply."""

    __tablename__ = "profile_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    sender_name: Mapped[str] = mapped_column(String(200))
    sender_email: Mapped[str] = mapped_column(String(320), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]

    profile: Mapped[Profile] = relationship(back_populates="messages")

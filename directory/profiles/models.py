"""An entrepreneur's public profile."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from directory.core.db import json_type
from directory.core.db import utcnow
from directory.extensions import db

OPEN_TO = ("missions", "partnerships", "hiring", "mentoring")


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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
    awards = relationship("Award", back_populates="profile", order_by="Award.position")

    @property
    def is_listed(self) -> bool:
        """Shown in the public directory: public and with consent to be listed."""
        return self.visibility == "public" and self.listing_consent

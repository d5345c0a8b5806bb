"""Organisations, memberships and signing keys."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.extensions import db

ORGANISATION_KINDS = (
    "issuer",
    "local_authority",
    "insurer",
    "business_network",
    "public_employment_service",
    "association",
    "company",
)
VERIFICATION_STATES = ("pending", "verified", "refused")
MEMBER_ROLES = ("member", "admin", "reviewer", "editor")
MEMBERSHIP_STATES = ("pending", "approved", "refused", "suspended")


class Organisation(db.Model):
    """An issuer or a partner organisation; its OB Profile lives on the platform's origin."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public id in published Open Badges documents; the slug may be renamed, this never is.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    web_domain: Mapped[str | None] = mapped_column(String(255), index=True)
    website_url: Mapped[str | None] = mapped_column(String(500))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    entra_tenant_id: Mapped[str | None] = mapped_column(String(64))
    commune: Mapped[str | None] = mapped_column(String(120))
    departement_code: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(120))
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    verification_state: Mapped[str] = mapped_column(String(20), default="pending")
    verified_at: Mapped[datetime | None]
    required_approvals: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation")
    keys: Mapped[list["SigningKey"]] = relationship(back_populates="organisation")

    @property
    def is_issuer(self) -> bool:
        return self.kind == "issuer"


class Membership(db.Model):
    """A user's place in an organisation, bound by a claim the identity provider signed."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", name="uq_memberships_user_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    state: Mapped[str] = mapped_column(String(20), default="pending")
    provider: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(255))
    binding_claim: Mapped[str | None] = mapped_column(String(40))
    binding_value: Mapped[str | None] = mapped_column(String(255))
    acr: Mapped[str | None] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user = relationship("User", foreign_keys=[user_id])


class SigningKey(db.Model):
    """A key an organisation signs with; retired keys stay published for old badges."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[str] = mapped_column(Text)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="keys")

"""Awards: creating them (documents are signed lazily, when served), claiming, revoking. Flush, never commit.

An award stores the recipient's address for the issuer's own use and publishes only its salted
hash. A recipient with no account gets a claim link whose secret is sent once by e-mail; the
link proves the address, and the award then joins the holder's profile.
"""

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Evidence
from directory.badges.services import IssuingError
from directory.badges.services import add_months
from directory.badges.services import command_language
from directory.core.audit import record
from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.core.jobs import JobError
from directory.core.jobs import reported
from directory.core.progress import progress_bar
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.openbadges.hashing import new_salt
from directory.openbadges.hashing import normalise_email
from directory.profiles.models import Profile

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_CLAIM_DAYS = 90


@dataclass(frozen=True)
class Issued:
    """A new award, and the claim link's secret to e-mail once (None when the holder is known)."""

    award: Award
    claim_token: str | None


def award_badge(
    badge_class: BadgeClass,
    email: str,
    name: str,
    actor: User | None,
    *,
    issued_on: datetime | None = None,
    evidence_url: str | None = None,
    narrative: str = "",
    recipient: User | None = None,
    application: Application | None = None,
) -> Issued:
    """Award a published class to an address; the holder claims it unless already known."""
    if badge_class.state != "published":
        raise IssuingError("not_published")
    email = check_email(email)
    award = _new_award(badge_class, email, name, actor, issued_on or utcnow(), narrative)
    award.application_id = application.id if application is not None else None
    if evidence_url:
        award.evidence.append(Evidence(uuid=new_uuid(), name="Preuve", url=evidence_url))
    if application is not None:
        award.evidence.extend(application.evidence)
    db.session.add(award)
    token = None if recipient is not None else _claim_token(award)
    if recipient is not None:
        _attach(award, recipient)
    record("award.create", award, actor, badge_class=badge_class.slug, source=_source(application, actor))
    return Issued(award, token)


def check_email(email: str) -> str:
    """The address normalised as it is hashed, or IssuingError("bad_email")."""
    address = normalise_email(email or "")
    if len(address) > 320 or not EMAIL_SHAPE.match(address):
        raise IssuingError("bad_email")
    return address


def _new_award(badge_class, email, name, actor, issued_on, narrative) -> Award:
    salt = new_salt()
    months = badge_class.expiry_months
    return Award(
        uuid=new_uuid(),
        source="issued",
        badge_class=badge_class,
        recipient_email=email,
        recipient_name=(name or "").strip()[:200] or None,
        salt=salt,
        identity_hash=hash_identity(email, salt),
        issued_on=issued_on,
        expires_on=add_months(issued_on, months) if months else None,
        narrative=(narrative or "").strip(),
        awarded_by_id=actor.id if actor is not None else None,
        # Until the holder claims it, the award page names no one.
        visibility="private",
    )


def _source(application: Application | None, actor: User | None) -> str:
    if application is not None:
        return "application"
    return "direct" if actor is not None else "command"


# --------------------------------------------------------------------- claiming


def claim_token_hash(token: str) -> str:
    """The stored form of a claim link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def _claim_token(award: Award) -> str:
    token = secrets.token_urlsafe(32)
    days = current_app.config.get("CLAIM_LINK_MAX_AGE_DAYS", DEFAULT_CLAIM_DAYS)
    award.claim_token_hash = claim_token_hash(token)
    award.claim_expires_at = utcnow() + timedelta(days=days)
    return token


def renew_claim_link(award: Award, actor: User | None) -> str:
    """A fresh claim link for an unclaimed award (the old one stops working)."""
    if award.claimed_at is not None or award.is_revoked:
        raise IssuingError("not_claimable")
    record("award.claim_link", award, actor)
    return _claim_token(award)


def claimable_award(token: str) -> Award | None:
    """The unclaimed, unrevoked award this secret opens, if its link is still valid."""
    award = db.session.scalar(select(Award).where(Award.claim_token_hash == claim_token_hash(token)))
    if award is None or award.claimed_at is not None or award.is_revoked:
        return None
    if award.claim_expires_at is None or award.claim_expires_at <= utcnow():
        return None
    return award


def claim_award(award: Award, user: User) -> None:
    """The award joins the user's profile (created, private, if they have none)."""
    _attach(award, user)
    record("award.claim", award, user)


def _attach(award: Award, user: User) -> None:
    award.recipient_id = user.id
    award.profile = ensure_profile(user)
    award.claimed_at = utcnow()
    award.claim_token_hash = award.claim_expires_at = None
    award.visibility = "public"
    db.session.flush()


def ensure_profile(user: User) -> Profile:
    """The user's profile; a new one is private and unlisted until they choose otherwise."""
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    if profile is not None:
        return profile
    profile = Profile(
        user_id=user.id,
        slug=_free_profile_slug(user.display_name),
        display_name=user.display_name,
        visibility="private",
        listing_consent=False,
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def _free_profile_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:100] or "profil"
    taken = set(db.session.scalars(select(Profile.slug).where(func.lower(Profile.slug).like(f"{base}%"))))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


# --------------------------------------------------------------------- revoking


def revoke_award(award: Award, reason: str, actor: User | None) -> None:
    """Revoke with a reason: the hosted assertion answers 410, both lists carry it at once."""
    reason = (reason or "").strip()
    if not reason:
        raise IssuingError("reason_required")
    if award.is_revoked:
        raise IssuingError("already_revoked")
    award.revoked_at, award.revocation_reason = utcnow(), reason[:1000]
    award.claim_token_hash = award.claim_expires_at = None
    record("award.revoke", award, actor, badge_class=award.badge_class.slug, reason=award.revocation_reason)
    db.session.flush()


def revoke_awards(awards: Iterable[Award], reason: str, actor: User | None, progress: Callable | None = None) -> int:
    """Revoke several awards with one reason; already revoked ones are left as they are."""
    if not (reason or "").strip():
        raise IssuingError("reason_required")
    awards = list(awards)
    count = 0
    with progress_bar(progress, awards, "Révocations") as chosen:
        for award in chosen:
            if not award.is_revoked:
                revoke_award(award, reason, actor)
                count += 1
    return count


def revoke_job(award_ids: list[int], reason: str, actor_id: int) -> dict:
    """The background job behind a bulk revocation: every chosen award in one transaction."""
    from directory.badges.labels import error_message

    actor = db.session.get(User, actor_id)
    awards = db.session.scalars(select(Award).where(Award.id.in_(award_ids)).order_by(Award.id)).all()
    with command_language():
        try:
            count = revoke_awards(awards, reason, actor, progress=reported)
        except IssuingError as error:
            raise JobError(error_message(error)) from error
    db.session.commit()
    return {"count": count}


def award_status(award: Award, now: datetime) -> str:
    """"revoked", "expired", "unclaimed" or "active", for lists."""
    if award.is_revoked:
        return "revoked"
    if award.is_expired(now):
        return "expired"
    return "unclaimed" if award.claimed_at is None else "active"

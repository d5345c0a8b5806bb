"""Erasing an account: every personal field, upload and identity goes; badges issued here are revoked.

Flush, never commit. Revoked badges keep their published id (verifiers must learn they are
revoked) but nothing personal: name, address, narrative and evidence are deleted and the
recipient hash is replaced by the hash of a random address, so no document links to the person.
The caller commits, then sends the issuers' notices and signs the person out. Everything goes
through the ORM, so the search index drops the profile when the commit lands.
"""

import uuid
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from directory.accounts.models import EmailSignInToken
from directory.accounts.models import User
from directory.badges.awarding import revoke_award
from directory.badges.models import Application
from directory.badges.models import Award
from directory.core.audit import record
from directory.core.models import StoredFile
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.openbadges.hashing import new_salt
from directory.profiles.importing import holder_emails
from directory.profiles.models import ContactMessage
from directory.profiles.models import Profile

REASON = "compte supprimé"


@dataclass
class Notice:
    """An e-mail to an issuer: which of its badges were revoked because their holder left."""

    to: str
    organisation: str
    badges: list[tuple[str, str]] = field(default_factory=list)  # (badge name, assertion uuid)


def erase_account(user: User) -> list[Notice]:
    """Erase the user and everything personal; return the notices to send to issuers after commit."""
    emails = holder_emails(user)
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    notices = _revoke_and_scrub(_issued_awards(user, profile, emails))
    _delete_applications(user, emails)
    if profile is not None:
        _delete_profile(profile)
    _delete_traces(emails)
    user_id = user.id
    db.session.delete(user)
    record("account.erase", ("users", user_id), None, revoked=sum(len(n.badges) for n in notices))
    db.session.flush()
    return notices


def _issued_awards(user: User, profile: Profile | None, emails: list[str]) -> list[Award]:
    mine = [Award.recipient_id == user.id, func.lower(Award.recipient_email).in_(emails)]
    if profile is not None:
        mine.append(Award.profile_id == profile.id)
    return list(db.session.scalars(select(Award).where(or_(*mine)).order_by(Award.id)))


def _revoke_and_scrub(awards: list[Award]) -> list[Notice]:
    notices: dict[int, Notice] = {}
    for award in awards:
        if award.source != "issued" or award.badge_class is None:
            _delete_award(award)
            continue
        if not award.is_revoked:
            revoke_award(award, REASON, None)
            _notice(notices, award)
        _scrub(award)
    return list(notices.values())


def _notice(notices: dict[int, Notice], award: Award) -> None:
    issuer = award.badge_class.issuer
    if issuer.contact_email:
        notices.setdefault(issuer.id, Notice(issuer.contact_email, issuer.name)).badges.append(
            (award.badge_class.name_fr, award.uuid)
        )


def _scrub(award: Award) -> None:
    """Keep the revoked badge's id, drop everything that pointed to the person."""
    award.salt = new_salt()
    award.identity_hash = hash_identity(f"{uuid.uuid4()}@erased.invalid", award.salt)
    award.recipient_email = award.recipient_name = None
    award.recipient_id = award.profile_id = award.application_id = None
    award.narrative, award.visibility, award.featured = "", "private", False
    award.claim_token_hash = award.claim_expires_at = None
    _delete_evidence(award)


def _delete_evidence(award: Award) -> None:
    files = [e.file for e in award.evidence if e.file is not None]
    award.evidence.clear()
    db.session.flush()
    for stored in files:
        db.session.delete(stored)


def _delete_award(award: Award) -> None:
    _delete_evidence(award)
    image_id = award.imported_image_id
    db.session.delete(award)
    db.session.flush()
    if image_id is not None:
        db.session.execute(delete(StoredFile).where(StoredFile.id == image_id))


def _delete_applications(user: User, emails: list[str]) -> None:
    query = select(Application).where(or_(Application.applicant_id == user.id, func.lower(Application.email).in_(emails)))
    for application in db.session.scalars(query).all():
        for award in db.session.scalars(select(Award).where(Award.application_id == application.id)):
            award.application_id = None
        files = [e.file for e in application.evidence if e.file is not None]
        db.session.delete(application)
        db.session.flush()
        for stored in files:
            db.session.delete(stored)


def _delete_profile(profile: Profile) -> None:
    photo = profile.photo
    db.session.delete(profile)
    db.session.flush()
    if photo is not None:
        db.session.delete(photo)


def _delete_traces(emails: list[str]) -> None:
    """Sign-in links to the addresses and messages the person sent to others."""
    db.session.execute(delete(EmailSignInToken).where(func.lower(EmailSignInToken.email).in_(emails)))
    db.session.execute(delete(ContactMessage).where(func.lower(ContactMessage.sender_email).in_(emails)))

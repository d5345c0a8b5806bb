"""One-time sign-in links sent by e-mail: hashed at rest, single use, short-lived. Flush, never commit."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from directory.accounts.models import EmailSignInToken
from directory.accounts.models import User
from directory.accounts.services import normalise_email
from directory.badges.models import Award
from directory.core.db import utcnow
from directory.extensions import db


def token_hash(token: str) -> str:
    """The stored form of a link's secret: a leaked table gives no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_known_address(address: str) -> bool:
    """Whether an account or a badge was given to this address (links go to no one else)."""
    address = normalise_email(address)
    user = select(User.id).where(func.lower(User.email) == address, User.active.is_(True)).limit(1)
    award = select(Award.id).where(func.lower(Award.recipient_email) == address).limit(1)
    return db.session.scalar(user) is not None or db.session.scalar(award) is not None


def issue(address: str) -> str:
    """Create a link token for this address and return its secret (sent once, never stored)."""
    token = secrets.token_urlsafe(32)
    minutes = current_app.config.get("EMAIL_LINK_MAX_AGE_MINUTES", 30)
    db.session.add(
        EmailSignInToken(
            token_hash=token_hash(token),
            email=normalise_email(address),
            expires_at=utcnow() + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def peek(token: str) -> EmailSignInToken | None:
    """The still-usable token for this secret, without using it (for the confirmation page)."""
    row = db.session.scalar(select(EmailSignInToken).where(EmailSignInToken.token_hash == token_hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def redeem(token: str) -> str | None:
    """Use a token once and return its address, or None if unknown, used or expired."""
    now = utcnow()
    # One conditional UPDATE: two simultaneous clicks cannot both succeed.
    used = db.session.execute(
        update(EmailSignInToken)
        .where(
            EmailSignInToken.token_hash == token_hash(token),
            EmailSignInToken.used_at.is_(None),
            EmailSignInToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(EmailSignInToken.email)
    ).scalar_one_or_none()
    return used

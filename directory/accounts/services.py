"""Accounts: find or create the user behind an (issuer, subject) pair. Flush, never commit."""

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from directory.accounts.oidc import SignIn
from directory.core.audit import record
from directory.core.db import utcnow
from directory.extensions import db
from directory.organisations.models import Membership

EMAIL_ISSUER = "urn:badgeons:email"


def identity_for(issuer: str, subject: str) -> OidcIdentity | None:
    """The identity stored for this (issuer, subject) pair, if any."""
    return db.session.scalar(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )


def sign_in_with_provider(sign_in: SignIn) -> OidcIdentity:
    """The identity (and its user) for a checked provider sign-in, created on first use."""
    identity = identity_for(sign_in.issuer, sign_in.subject)
    if identity is None:
        # Keyed by (issuer, subject) only: an e-mail shared with another account never links them.
        identity = _new_identity(sign_in.provider.name, sign_in.issuer, sign_in.subject, _new_user(sign_in.claims))
        record("account.create", identity.user, identity.user, provider=sign_in.provider.name)
    identity.claims = _stored_claims(sign_in.claims, sign_in.acr)
    identity.email = _email(sign_in.claims)
    _touch(identity)
    return identity


def sign_in_with_email(address: str) -> OidcIdentity:
    """The identity for an address proved by a one-time link, created on first use."""
    address = normalise_email(address)
    identity = identity_for(EMAIL_ISSUER, address)
    if identity is None:
        user = _unclaimed_user(address) or User(display_name=address.split("@")[0], email=address)
        user.email_verified = True
        identity = _new_identity("email", EMAIL_ISSUER, address, user)
        record("account.email_link", user, user)
    _touch(identity)
    return identity


def normalise_email(address: str) -> str:
    """An address as stored for e-mail sign-in: trimmed and lower-cased."""
    return address.strip().lower()


def _unclaimed_user(address: str) -> User | None:
    """The one account a proved address may enter: reached by nothing else, or with this address verified.

    Never an account that holds an organisation membership, nor one whose address a provider sent
    unverified (Entra's e-mail is mutable): those are reached only through their own provider.
    """
    holds_membership = select(Membership.id).where(Membership.user_id == User.id).exists()
    users = db.session.scalars(
        select(User).where(
            func.lower(User.email) == address,
            User.active.is_(True),
            or_(~User.identities.any(), User.email_verified.is_(True)),
            ~holds_membership,
        )
    ).all()
    return users[0] if len(users) == 1 else None


def _new_user(claims: dict) -> User:
    user = User(display_name=_display_name(claims), email=_email(claims))
    user.email_verified = claims.get("email_verified") is True
    db.session.add(user)
    return user


def _new_identity(provider: str, issuer: str, subject: str, user: User) -> OidcIdentity:
    identity = OidcIdentity(provider=provider, issuer=issuer, subject=subject, user=user, claims={})
    db.session.add(identity)
    db.session.flush()
    return identity


def _touch(identity: OidcIdentity) -> None:
    now = utcnow()
    identity.last_login_at = now
    identity.user.last_login_at = now
    db.session.flush()


def _display_name(claims: dict) -> str:
    given = claims.get("given_name") or ""
    family = claims.get("usual_name") or claims.get("family_name") or ""
    name = claims.get("name") or f"{given} {family}".strip()
    return (name or (_email(claims) or "").split("@")[0] or "?")[:200]


def _email(claims: dict) -> str | None:
    email = claims.get("email")
    return email[:320] if isinstance(email, str) and "@" in email else None


def _stored_claims(claims: dict, acr: str | None) -> dict:
    return {**{k: v for k, v in claims.items() if isinstance(v, (str, int, bool, list))}, "acr": acr}

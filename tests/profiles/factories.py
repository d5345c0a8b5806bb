"""Small factories for the profile tests: an entrepreneur with a profile, a partner, an admin, badges.

Each flushes and returns the row; the issuer, classes and awards come from ``tests.badges.ob_factories``.
"""

import itertools

from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from directory.badges.models import Award
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.openbadges.hashing import new_salt
from directory.organisations.models import Membership
from directory.profiles.models import Profile
from tests.badges import ob_factories

_numbers = itertools.count(1)


def user(name: str = "Camille Martin", email: str | None = None, **fields) -> User:
    """A person with a verified address."""
    n = next(_numbers)
    row = User(display_name=name, email=email or f"personne{n}@exemple.fr", email_verified=True, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def entrepreneur(name: str = "Camille Martin", email: str | None = None, **fields) -> Profile:
    """A user with a public, listed profile."""
    owner = user(name, email)
    n = next(_numbers)
    defaults = {"slug": f"profil-{n}", "display_name": name, "visibility": "public", "listing_consent": True,
                "headline": "Librairie-café à Arras", "user_id": owner.id}
    profile = Profile(**{**defaults, **fields})
    db.session.add(profile)
    db.session.flush()
    return profile


def partner() -> User:
    """A user with an approved membership of a partner organisation."""
    person = user("Paul Partenaire")
    organisation = ob_factories.organisation(kind="local_authority")
    db.session.add(Membership(user_id=person.id, organisation=organisation, role="member", state="approved"))
    db.session.flush()
    return person


def admin() -> User:
    """A platform administrator with no organisation."""
    return user("Ada Admin", is_admin=True)


def email_identity(person: User) -> OidcIdentity:
    """The e-mail sign-in identity of a person."""
    identity = OidcIdentity(user=person, provider="email", issuer="email", subject=person.email, email=person.email)
    db.session.add(identity)
    db.session.flush()
    return identity


def issued(profile: Profile, badge_class=None, **fields) -> Award:
    """A badge issued here, claimed onto the profile."""
    badge_class = badge_class or ob_factories.badge_class(ob_factories.organisation())
    email = profile.user.email if profile.user else "x@exemple.fr"
    defaults = {"profile": profile, "recipient_id": profile.user_id, "visibility": "public", "recipient_name": profile.display_name}
    return ob_factories.award(badge_class, email=email, **{**defaults, **fields})


def imported(profile: Profile, name: str = "Gestion de trésorerie", **fields) -> Award:
    """A badge imported from elsewhere, verified."""
    salt = new_salt()
    defaults = {
        "source": "imported", "profile": profile, "salt": salt, "identity_hash": hash_identity("x@y.fr", salt),
        "imported_summary": {"name": name, "issuer": {"name": "Réseau Autre Plateforme"}, "alignments": []},
        "last_verification": {"status": "verified", "result": "valid", "checks": []},
        "last_verified_at": ob_factories.now(), "original_format": "json", "original_document": "{}",
    }
    row = Award(**{**defaults, **fields})
    db.session.add(row)
    db.session.flush()
    return row

"""What our public pages show about endorsements: who endorses what, and a partner's reach.

Only displayed endorsements appear (active, not hidden by the endorsed issuer, not expired).
A partner's reach counts entrepreneurs from public data only (public awards on listed
profiles), by département, and leaves out any count under ``MIN_COUNT``: with a rare badge
in a small département, a count of 1 or 2 would point at a person.
"""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import BadgeClassPartner
from directory.core.db import utcnow
from directory.endorsements.models import Endorsement
from directory.endorsements.services import not_expired
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

MIN_COUNT = 5
PUBLIC_CLASS_STATES = ("published", "archived")


@dataclass(frozen=True)
class DepartementCount:
    """Entrepreneurs of one département holding at least one of the badges."""

    code: str
    name: str
    count: int


def displayed():
    """SQL criteria of an endorsement our pages show."""
    return (Endorsement.state == "active", Endorsement.hidden.is_(False), not_expired())


def of_badge_class(badge_class: BadgeClass) -> list[Endorsement]:
    """Displayed endorsements of a badge class, oldest first (the first to trust it lead)."""
    query = select(Endorsement).where(*displayed(), Endorsement.badge_class_id == badge_class.id)
    return list(db.session.scalars(query.options(selectinload(Endorsement.endorser)).order_by(Endorsement.issued_on, Endorsement.id)))


def received(issuer: Organisation) -> list[Endorsement]:
    """Displayed endorsements of the issuer and of its published badge classes, newest first."""
    of_classes = select(BadgeClass.id).where(BadgeClass.issuer_id == issuer.id, BadgeClass.state.in_(PUBLIC_CLASS_STATES))
    query = select(Endorsement).where(
        *displayed(),
        or_(Endorsement.badge_class_id.in_(of_classes), Endorsement.target_organisation_id == issuer.id),
    )
    return _loaded(query)


def given(organisation: Organisation) -> list[Endorsement]:
    """Displayed endorsements the organisation gives, newest first."""
    return _loaded(select(Endorsement).where(*displayed(), Endorsement.endorser_id == organisation.id))


def co_built(organisation: Organisation) -> list[BadgeClass]:
    """Published badge classes the organisation was invited to co-build or review."""
    query = (
        select(BadgeClass)
        .join(BadgeClassPartner, BadgeClassPartner.badge_class_id == BadgeClass.id)
        .where(BadgeClassPartner.organisation_id == organisation.id, BadgeClass.state == "published")
        .order_by(BadgeClass.name_fr)
    )
    return list(db.session.scalars(query))


def reach_classes(endorsed: list[Endorsement], co_built: list[BadgeClass]) -> list[int]:
    """Ids of the badge classes a partner stands behind: endorsed or co-built (from ``given`` and ``co_built``)."""
    return sorted({*(e.badge_class_id for e in endorsed if e.badge_class_id), *(c.id for c in co_built)})


def holders_by_departement(class_ids: list[int]) -> list[DepartementCount]:
    """Listed entrepreneurs publicly holding a valid one of these badges, by département (≥ MIN_COUNT)."""
    if not class_ids:
        return []
    holders = func.count(func.distinct(Profile.id))
    query = (
        select(Profile.departement_code, func.max(Profile.departement), holders)
        .join(Award, Award.profile_id == Profile.id)
        .where(*_public_award(class_ids), Profile.departement_code.is_not(None))
        .group_by(Profile.departement_code)
        .having(holders >= MIN_COUNT)
        .order_by(holders.desc(), Profile.departement_code)
    )
    return [DepartementCount(code, name or code, count) for code, name, count in db.session.execute(query)]


def _public_award(class_ids: list[int]) -> tuple:
    """An award its holder shows, on a listed profile, neither revoked nor expired."""
    return (
        Award.badge_class_id.in_(class_ids),
        Award.revoked_at.is_(None),
        or_(Award.expires_on.is_(None), Award.expires_on > utcnow()),
        Award.visibility == "public",
        Profile.visibility == "public",
        Profile.listing_consent.is_(True),
    )


def _loaded(query) -> list[Endorsement]:
    options = (selectinload(Endorsement.endorser), selectinload(Endorsement.badge_class), selectinload(Endorsement.target_organisation))
    newest_first = (Endorsement.issued_on.desc(), Endorsement.id.desc())
    return list(db.session.scalars(query.options(*options).order_by(*newest_first)))

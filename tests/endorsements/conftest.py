"""An endorsement network in miniature: an issuer and its staff, partners and their members in every state."""

from dataclasses import dataclass

import pytest

from directory.accounts.models import User
from directory.badges.models import BadgeClass
from directory.extensions import db as _db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import member
from tests.badges.issuing_helpers import person


@dataclass
class World:
    """Who and what the endorsement tests act on."""

    issuer: Organisation
    editor: User
    reviewer: User
    badge: BadgeClass
    draft: BadgeClass
    in_review: BadgeClass
    partner: Organisation
    partner_member: User
    pending: User
    suspended: User
    other: Organisation
    other_member: User
    unverified: Organisation
    unverified_member: User


def with_membership(organisation: Organisation, state: str) -> User:
    """A user whose membership of ``organisation`` is in ``state``."""
    user = person()
    _db.session.add(Membership(user_id=user.id, organisation=organisation, role="member", state=state))
    _db.session.flush()
    return user


@pytest.fixture
def world(db) -> World:
    """A published class, a draft and one in review, and the people around them."""
    issuer = factories.organisation()
    partner = factories.organisation(kind="local_authority")
    other = factories.organisation(kind="insurer")
    unverified = factories.organisation(kind="business_network", verification_state="pending")
    built = World(
        issuer=issuer, editor=member(issuer, "editor"), reviewer=member(issuer, "reviewer"),
        badge=factories.badge_class(issuer), draft=factories.badge_class(issuer, state="draft"),
        in_review=factories.badge_class(issuer, state="in_review"),
        partner=partner, partner_member=member(partner), pending=with_membership(partner, "pending"),
        suspended=with_membership(partner, "suspended"), other=other, other_member=member(other),
        unverified=unverified, unverified_member=member(unverified),
    )
    _db.session.commit()
    return built

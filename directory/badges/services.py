"""What the issuing services share: their error, who counts as issuer staff, dates.

The state changes themselves live by sub-concept, each a set of plain functions that flush
and never commit: ``lifecycle`` (badge classes and their review), ``competencies``,
``applications``, ``awarding`` (awards, claims, revocations) and ``bulk`` (CSV awards).
"""

import calendar
from contextlib import AbstractContextManager
from contextlib import nullcontext
from datetime import datetime

from flask import has_request_context
from flask_babel import force_locale
from sqlalchemy import select

from directory.badges.models import BadgeClass
from directory.badges.models import BadgeClassPartner
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from directory.organisations.services import approved_membership

STAFF_ROLES = ("admin", "editor", "reviewer")
EDITOR_ROLES = ("admin", "editor")
REVIEWER_ROLES = ("admin", "reviewer")
# Partner members who may assess applications when their organisation was invited as such.
ASSESSOR_PARTNER_ROLE = "assessor"


class IssuingError(ValueError):
    """A change the rules forbid; ``code`` names the rule (the views turn it into a sentence)."""

    def __init__(self, code: str, **details) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def staff_membership(user, organisation: Organisation, roles: tuple[str, ...] = STAFF_ROLES) -> Membership | None:
    """The user's approved staff membership of an issuer, in one of these roles."""
    if user is None or not getattr(user, "is_authenticated", False) or not organisation.is_issuer:
        return None
    return approved_membership(user, organisation, roles=roles)


def staff_organisations(user) -> list[Organisation]:
    """Issuers the user works for (any staff role), by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = (
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.user_id == user.id,
            Membership.state == "approved",
            Membership.role.in_(STAFF_ROLES),
            Organisation.kind == "issuer",
        )
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def partner_organisation(user, badge_class: BadgeClass, roles: tuple[str, ...] | None = None) -> Organisation | None:
    """The invited partner organisation (with one of these invitation roles) the user is an approved member of."""
    if not getattr(user, "is_authenticated", False):
        return None
    for partner in badge_class.partners:
        if roles and partner.role not in roles:
            continue
        if approved_membership(user, partner.organisation) is not None:
            return partner.organisation
    return None


def invited_partners(badge_class: BadgeClass) -> list[BadgeClassPartner]:
    """The partner organisations invited on this class, by name."""
    return sorted(badge_class.partners, key=lambda partner: partner.organisation.name)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def command_language() -> AbstractContextManager:
    """Messages built outside a request (commands, jobs) are in French: no visitor chose a language."""
    return nullcontext() if has_request_context() else force_locale("fr")

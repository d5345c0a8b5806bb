"""Binding sign-ins to organisations, approving members and registering organisations. Flush, never commit.

A login is bound only through a claim its identity provider signed (ProConnect `siret`, Google
`hd`, Entra `tid`), and the membership it creates waits for an administrator. The claim is
compared again at every sign-in: a change suspends the membership until someone re-approves it.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select

from directory.core.audit import record
from directory.core.db import utcnow
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

# Only these states can be decided; a refusal is final until the member signs in with a new claim.
DECIDABLE = ("pending", "suspended")


class DecisionError(ValueError):
    """A decision that the rules forbid (the message is for the person deciding)."""


@dataclass(frozen=True)
class Binding:
    """A signed claim that can tie a login to an organisation."""

    claim: str
    value: str


def binding_from_claims(claim_names: tuple[str, ...], claims: dict) -> Binding | None:
    """The first configured binding claim the provider sent, normalised."""
    for name in claim_names:
        value = normalise_claim(name, claims.get(name))
        if value:
            return Binding(name, value)
    return None


def normalise_claim(claim: str, value) -> str | None:
    """A claim value in the form organisations store it, or None if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if claim in ("siret", "siren"):
        digits = value.replace(" ", "")
        expected = 14 if claim == "siret" else 9
        return digits if digits.isdigit() and len(digits) == expected else None
    return value.lower()


def organisation_for(binding: Binding, states: tuple[str, ...] = ("verified",)) -> Organisation | None:
    """The organisation a signed claim names (a SIRET names its company by its first 9 digits)."""
    column, value = _column_and_value(binding)
    query = select(Organisation).where(column == value, Organisation.verification_state.in_(states))
    return db.session.scalars(query.order_by(Organisation.id)).first()


def matches(organisation: Organisation, binding: Binding | None) -> bool:
    """Whether this claim names this organisation."""
    if binding is None:
        return False
    column, value = _column_and_value(binding)
    return getattr(organisation, column.key) == value


def bind_sign_in(user, provider: str, subject: str, binding: Binding | None, acr: str | None) -> list[Membership]:
    """Compare a sign-in's claim with the memberships it bound before; add a pending one if new."""
    changed = [m for m in _bound_memberships(user, provider, subject) if _claim_changed(m, binding, acr)]
    organisation = organisation_for(binding) if binding else None
    if organisation and not _membership(user, organisation):
        changed.append(_pending_membership(user, organisation, provider, subject, binding, acr))
    db.session.flush()
    return changed


def approve_membership(membership: Membership, actor) -> None:
    """Grant a pending or suspended membership, if its claim still names the organisation."""
    _check_decidable(membership, actor)
    binding = Binding(membership.binding_claim, membership.binding_value) if membership.binding_claim else None
    if membership.binding_claim and not matches(membership.organisation, binding):
        raise DecisionError("claim_mismatch")
    _decide(membership, "approved", actor)


def refuse_membership(membership: Membership, actor) -> None:
    """Refuse a pending or suspended membership."""
    _check_decidable(membership, actor)
    _decide(membership, "refused", actor)


def can_decide(membership: Membership, actor) -> bool:
    """Administrators decide any membership; an organisation's approved admins decide its others."""
    if actor.is_admin:
        return True
    if membership.user_id == actor.id:
        return False
    return approved_membership(actor, membership.organisation, roles=("admin",)) is not None


def approved_membership(user, organisation: Organisation, roles: tuple[str, ...] | None = None) -> Membership | None:
    """The user's approved membership of this organisation (with one of these roles), if any."""
    membership = _membership(user, organisation)
    if membership is None or membership.state != "approved":
        return None
    if roles and membership.role not in roles:
        return None
    return membership


def register_organisation(user, provider: str, subject: str, binding: Binding, acr: str | None, **fields) -> Organisation:
    """Ask for a new organisation, named by a signed claim; it and its first admin wait for approval."""
    if organisation_for(binding, states=("verified", "pending")):
        raise DecisionError("already_known")
    organisation = Organisation(slug=_free_slug(fields["name"]), verification_state="pending", **fields)
    column, value = _column_and_value(binding)
    setattr(organisation, column.key, value)
    if binding.claim == "siret":
        organisation.siret = binding.value
    db.session.add(organisation)
    db.session.flush()
    record("organisation.register", organisation, user, claim=binding.claim)
    _pending_membership(user, organisation, provider, subject, binding, acr, role="admin")
    return organisation


def approve_organisation(organisation: Organisation, actor) -> None:
    """Verify a registered organisation and grant its first admin."""
    _check_pending_organisation(organisation, actor)
    organisation.verification_state, organisation.verified_at = "verified", utcnow()
    record("organisation.approve", organisation, actor)
    for membership in organisation.memberships:
        if membership.state == "pending" and membership.role == "admin":
            _decide(membership, "approved", actor)


def refuse_organisation(organisation: Organisation, actor) -> None:
    """Refuse a registration and the memberships that came with it."""
    _check_pending_organisation(organisation, actor)
    organisation.verification_state = "refused"
    record("organisation.refuse", organisation, actor)
    for membership in organisation.memberships:
        if membership.state == "pending":
            _decide(membership, "refused", actor)


def pending_organisations() -> list[Organisation]:
    """Registrations waiting for an administrator, oldest first."""
    query = select(Organisation).where(Organisation.verification_state == "pending").order_by(Organisation.created_at)
    return list(db.session.scalars(query))


def memberships_to_decide(organisation: Organisation | None = None) -> list[Membership]:
    """Pending and suspended memberships of verified organisations (of one, if given), oldest first."""
    query = (
        select(Membership)
        .join(Membership.organisation)
        .where(Membership.state.in_(DECIDABLE), Organisation.verification_state == "verified")
        .order_by(Membership.requested_at)
    )
    if organisation is not None:
        query = query.where(Membership.organisation_id == organisation.id)
    return list(db.session.scalars(query))


def _column_and_value(binding: Binding):
    if binding.claim == "siret":
        return Organisation.siren, binding.value[:9]
    columns = {"siren": Organisation.siren, "hd": Organisation.web_domain, "tid": Organisation.entra_tenant_id}
    return columns[binding.claim], binding.value


def _bound_memberships(user, provider: str, subject: str) -> list[Membership]:
    query = select(Membership).where(
        Membership.user_id == user.id, Membership.provider == provider, Membership.subject == subject
    )
    return list(db.session.scalars(query))


def _membership(user, organisation: Organisation) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    )


def _claim_changed(membership: Membership, binding: Binding | None, acr: str | None) -> bool:
    claim, value = (binding.claim, binding.value) if binding else (None, None)
    if (membership.binding_claim, membership.binding_value) == (claim, value):
        membership.acr = acr
        return False
    if membership.state in ("approved", "pending"):
        membership.state = "suspended"
        record("membership.suspend", membership, membership.user_id, reason="claim_changed", claim=claim)
    # The new claim is kept so whoever re-approves sees what the provider says now.
    membership.binding_claim, membership.binding_value, membership.acr = claim, value, acr
    membership.requested_at = utcnow()
    return True


def _pending_membership(user, organisation, provider, subject, binding, acr, role="member") -> Membership:
    membership = Membership(
        user_id=user.id,
        organisation=organisation,
        role=role,
        state="pending",
        provider=provider,
        subject=subject,
        binding_claim=binding.claim,
        binding_value=binding.value,
        acr=acr,
        requested_at=utcnow(),
    )
    db.session.add(membership)
    db.session.flush()
    record("membership.request", membership, user, organisation=organisation.slug, claim=binding.claim)
    return membership


def _check_decidable(membership: Membership, actor) -> None:
    if not can_decide(membership, actor):
        raise DecisionError("forbidden")
    if membership.state not in DECIDABLE:
        raise DecisionError("already_decided")


def _decide(membership: Membership, state: str, actor) -> None:
    membership.state, membership.decided_at, membership.decided_by_id = state, utcnow(), actor.id
    action = "membership.approve" if state == "approved" else "membership.refuse"
    record(action, membership, actor, organisation=membership.organisation.slug)
    db.session.flush()


def _check_pending_organisation(organisation: Organisation, actor) -> None:
    if not actor.is_admin:
        raise DecisionError("forbidden")
    if organisation.verification_state != "pending":
        raise DecisionError("already_decided")


def _free_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:100] or "organisation"
    taken = set(db.session.scalars(select(Organisation.slug).where(func.lower(Organisation.slug).like(f"{base}%"))))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug

"""The endorsement lifecycle as plain functions that check who may act, flush and never commit.

    endorse ─────────────────────────────┐
    request ──> requested ──accept──> active ──withdraw──> withdrawn (final, stays on record)
                    └──decline──> declined        │  ▲
                                       hide/unhide ┘  └ edit (comment, validity)

An endorsement is given in the name of a verified organisation by one of its approved members,
to a published badge class or to an issuer, never to itself. "Hidden" is the endorsed issuer
declining to display it: our pages and the issuer's own BadgeClass/Profile ``endorsement`` lists
leave it out, but the endorser's Endorsement and EndorsementCredential stay valid, because they
are the endorser's statement, not the issuer's. Expiry is ``valid_until``: an expired
endorsement is no longer displayed, and its EndorsementCredential says so through ``validUntil``.
"""

import html
from dataclasses import dataclass
from datetime import datetime

import nh3
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from directory.badges.models import BadgeClass
from directory.badges.services import EDITOR_ROLES
from directory.badges.services import STAFF_ROLES
from directory.badges.services import staff_membership
from directory.core.audit import record
from directory.core.db import utcnow
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from directory.organisations.services import approved_membership

# At most one of these per endorser and target: a second would be a duplicate, not a renewal.
OPEN_STATES = ("requested", "active")
COMMENT_MAX = 2000


class EndorsementError(ValueError):
    """A change the rules forbid; ``code`` names the rule (``labels`` turns it into a sentence)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Target:
    """What is endorsed: a badge class, or an issuer itself."""

    badge_class: BadgeClass | None = None
    issuer: Organisation | None = None

    @property
    def owner(self) -> Organisation:
        """The issuer that receives the endorsement."""
        return self.badge_class.issuer if self.badge_class is not None else self.issuer


# --------------------------------------------------------------------- endorser side


def endorse(target: Target, endorser: Organisation, user, comment: str, valid_until: datetime | None = None) -> Endorsement:
    """Give an active endorsement in the name of ``endorser``."""
    _check_endorser(user, endorser)
    _check_target(target, endorser)
    _check_words(comment, valid_until)
    endorsement = _new(target, endorser, user, state="active")
    _activate(endorsement, comment, valid_until)
    record("endorsement.create", endorsement, user, endorser=endorser.slug, subject=_target_label(endorsement))
    return endorsement


def accept(endorsement: Endorsement, user, comment: str, valid_until: datetime | None = None) -> Endorsement:
    """Answer an issuer's request with an active endorsement."""
    _check_endorser(user, endorsement.endorser)
    _check_state(endorsement, "requested")
    _check_target(target_of(endorsement), endorsement.endorser, existing=endorsement)
    _check_words(comment, valid_until)
    _claim(endorsement, "requested", "active")
    _activate(endorsement, comment, valid_until)
    endorsement.decided_at = endorsement.issued_on
    record("endorsement.accept", endorsement, user)
    return endorsement


def decline(endorsement: Endorsement, user, reason: str = "") -> Endorsement:
    """Refuse an issuer's request (the reason goes to the issuer only)."""
    _check_endorser(user, endorsement.endorser)
    _check_state(endorsement, "requested")
    _claim(endorsement, "requested", "declined")
    endorsement.state, endorsement.decided_at = "declined", utcnow()
    endorsement.reason = reason.strip() or None
    record("endorsement.decline", endorsement, user)
    db.session.flush()
    return endorsement


def edit(endorsement: Endorsement, user, comment: str, valid_until: datetime | None = None) -> Endorsement:
    """Change an active endorsement's comment or validity; it is re-issued as of now."""
    _check_endorser(user, endorsement.endorser)
    _check_state(endorsement, "active")
    _activate(endorsement, comment, valid_until)
    record("endorsement.edit", endorsement, user)
    return endorsement


def withdraw(endorsement: Endorsement, user, reason: str) -> Endorsement:
    """Withdraw an active endorsement for good: it is revoked in the published documents."""
    _check_endorser(user, endorsement.endorser)
    _check_state(endorsement, "active")
    if not reason.strip():
        raise EndorsementError("reason_required")
    _claim(endorsement, "active", "withdrawn")
    endorsement.state, endorsement.withdrawn_at, endorsement.reason = "withdrawn", utcnow(), reason.strip()
    record("endorsement.withdraw", endorsement, user, reason=endorsement.reason)
    db.session.flush()
    return endorsement


# --------------------------------------------------------------------- issuer side


def request_endorsement(target: Target, partner: Organisation, user, message: str = "") -> Endorsement:
    """Ask a partner organisation to endorse one of the issuer's badge classes, or the issuer."""
    _check_issuer_staff(user, target.owner)
    _check_target(target, partner)
    endorsement = _new(target, partner, user, state="requested")
    endorsement.requested_by_id = user.id
    endorsement.request_message = message.strip() or None
    record("endorsement.request", endorsement, user, endorser=partner.slug, subject=_target_label(endorsement))
    return endorsement


def hide(endorsement: Endorsement, user, reason: str) -> Endorsement:
    """The endorsed issuer declines to display an active endorsement, and says why."""
    _check_issuer_staff(user, target_of(endorsement).owner)
    _check_state(endorsement, "active")
    if not reason.strip():
        raise EndorsementError("reason_required")
    endorsement.hidden, endorsement.hidden_reason = True, reason.strip()
    _acknowledge(endorsement)
    record("endorsement.hide", endorsement, user, reason=endorsement.hidden_reason)
    db.session.flush()
    return endorsement


def unhide(endorsement: Endorsement, user) -> Endorsement:
    """Display a hidden endorsement again."""
    _check_issuer_staff(user, target_of(endorsement).owner)
    _check_state(endorsement, "active")
    endorsement.hidden, endorsement.hidden_reason = False, None
    record("endorsement.unhide", endorsement, user)
    db.session.flush()
    return endorsement


def acknowledge(endorsements: list[Endorsement], user, issuer: Organisation) -> int:
    """Mark endorsements the issuer received as seen; returns how many were new."""
    _check_issuer_staff(user, issuer, roles=STAFF_ROLES)
    fresh = [e for e in endorsements if e.acknowledged_at is None and target_of(e).owner.id == issuer.id]
    for endorsement in fresh:
        _acknowledge(endorsement)
    db.session.flush()
    return len(fresh)


# --------------------------------------------------------------------- reading


def target_of(endorsement: Endorsement) -> Target:
    """What the endorsement is about."""
    if endorsement.badge_class is not None:
        return Target(badge_class=endorsement.badge_class)
    return Target(issuer=endorsement.target_organisation)


def is_expired(endorsement: Endorsement, now: datetime | None = None) -> bool:
    """Whether its validity period is over."""
    return endorsement.valid_until is not None and endorsement.valid_until <= (now or utcnow())


def is_displayed(endorsement: Endorsement, now: datetime | None = None) -> bool:
    """Active, not hidden by the issuer, not expired: what our pages show."""
    return endorsement.state == "active" and not endorsement.hidden and not is_expired(endorsement, now)


def not_expired(now: datetime | None = None):
    """SQL criterion: no end of validity, or one still ahead."""
    return or_(Endorsement.valid_until.is_(None), Endorsement.valid_until > (now or utcnow()))


def endorser_organisations(user) -> list[Organisation]:
    """Verified organisations the user may endorse in the name of (approved memberships)."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = (
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.state == "approved")
        .where(Organisation.verification_state == "verified")
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def endorse_choices(user, target: Target) -> list[tuple[Organisation, Endorsement | None]]:
    """Organisations the user may endorse ``target`` for, each with its open endorsement if any."""
    if target.badge_class is not None and target.badge_class.state != "published":
        return []
    others = [o for o in endorser_organisations(user) if o.id != target.owner.id]
    return [(organisation, open_endorsement(target, organisation)) for organisation in others]


def open_endorsement(target: Target, endorser: Organisation) -> Endorsement | None:
    """The requested or active endorsement of ``target`` by ``endorser``, if there is one."""
    query = select(Endorsement).where(Endorsement.endorser_id == endorser.id, Endorsement.state.in_(OPEN_STATES))
    if target.badge_class is not None:
        query = query.where(Endorsement.badge_class_id == target.badge_class.id)
    else:
        query = query.where(Endorsement.target_type == "issuer", Endorsement.target_organisation_id == target.issuer.id)
    return db.session.scalars(query.limit(1)).first()


def clean_comment(text: str) -> str:
    """Markdown without any HTML tag: published documents carry it to renderers we do not control."""
    text = (text or "").replace("\r\n", "\n").strip()
    # Unescaping can reveal a tag that was written as entities, so clean until nothing changes.
    for _ in range(3):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    return text.strip()


# --------------------------------------------------------------------- checks and helpers


def _check_endorser(user, organisation: Organisation) -> None:
    if organisation.verification_state != "verified" or approved_membership(user, organisation) is None:
        raise EndorsementError("forbidden")


def _check_issuer_staff(user, issuer: Organisation, roles: tuple[str, ...] = EDITOR_ROLES) -> None:
    if staff_membership(user, issuer, roles) is None:
        raise EndorsementError("forbidden")


def _check_target(target: Target, endorser: Organisation, existing: Endorsement | None = None) -> None:
    if target.badge_class is not None and target.badge_class.state != "published":
        raise EndorsementError("not_published")
    if target.issuer is not None and (not target.issuer.is_issuer or target.issuer.verification_state != "verified"):
        raise EndorsementError("not_an_issuer")
    if endorser.verification_state != "verified" or endorser.id == target.owner.id:
        raise EndorsementError("own_badge")
    found = open_endorsement(target, endorser)
    if found is not None and found is not existing:
        raise EndorsementError("already_endorsed")


def _check_state(endorsement: Endorsement, state: str) -> None:
    if endorsement.state != state:
        raise EndorsementError(f"not_{state}")


def _claim(endorsement: Endorsement, expected: str, new_state: str) -> None:
    """Move the row from ``expected`` to ``new_state`` in one guarded UPDATE.

    Checking ``endorsement.state`` in Python is not enough: two members of the organisation
    acting at once both read the old state. The UPDATE's WHERE lets exactly one of them through
    (PostgreSQL re-reads the row once the other's transaction ends; SQLite runs writers one at a
    time); the other gets the same refusal as if they had come second.
    """
    claimed = db.session.execute(
        update(Endorsement)
        .where(Endorsement.id == endorsement.id, Endorsement.state == expected)
        .values(state=new_state)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise EndorsementError(f"not_{expected}")


def _new(target: Target, endorser: Organisation, user, state: str) -> Endorsement:
    endorsement = Endorsement(
        endorser=endorser,
        target_type="badge_class" if target.badge_class is not None else "issuer",
        badge_class=target.badge_class,
        target_organisation=target.issuer,
        state=state,
        created_by_id=user.id,
    )
    db.session.add(endorsement)
    try:
        db.session.flush()
    except IntegrityError:
        # A colleague's identical endorsement was committed between our check and this insert:
        # the partial unique index refused the second. The caller rolls the session back.
        raise EndorsementError("already_endorsed") from None
    return endorsement


def _activate(endorsement: Endorsement, comment: str, valid_until: datetime | None) -> None:
    """Set the words and validity, and issue as of now (the credential's validFrom)."""
    endorsement.comment, endorsement.valid_until = _check_words(comment, valid_until), valid_until
    endorsement.state, endorsement.issued_on = "active", utcnow().replace(microsecond=0)
    # A new or changed endorsement is news to the issuer again.
    endorsement.acknowledged_at = None
    db.session.flush()


def _check_words(comment: str, valid_until: datetime | None) -> str:
    """The cleaned comment, once it and the end of validity are acceptable."""
    if valid_until is not None and valid_until <= utcnow():
        raise EndorsementError("bad_validity")
    comment = clean_comment(comment)
    if not comment or len(comment) > COMMENT_MAX:
        raise EndorsementError("comment_required")
    return comment


def _acknowledge(endorsement: Endorsement) -> None:
    if endorsement.acknowledged_at is None:
        endorsement.acknowledged_at = utcnow()


def _target_label(endorsement: Endorsement) -> str:
    if endorsement.badge_class is not None:
        return f"badge_class:{endorsement.badge_class.uuid}"
    return f"issuer:{endorsement.target_organisation.uuid}"

"""Badge classes: drafting, versions, review by the committee and partners, publication. Flush, never commit.

draft → in_review → published → archived. Reviewers may send a class back to draft. Only a
draft is edited; a published class is changed through a new version (new uuid and slug, same
family), so awards keep pointing at what they were awarded for. Publishing a version archives
the one it replaces; a class that was ever awarded is never deleted.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import BadgeClassPartner
from directory.badges.models import BadgeClassReview
from directory.badges.models import Competency
from directory.badges.services import EDITOR_ROLES
from directory.badges.services import REVIEWER_ROLES
from directory.badges.services import IssuingError
from directory.badges.services import partner_organisation
from directory.badges.services import staff_membership
from directory.core.audit import record
from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.core.images import PNG_MIME
from directory.core.images import validate_image
from directory.core.models import StoredFile
from directory.extensions import db
from directory.organisations.models import Organisation

CONTENT_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "criteria_fr",
    "criteria_en",
    "tags",
    "expiry_months",
)
REVIEW_DECISIONS = ("comment", "approve", "request_changes")
PARTNER_ROLES = ("co_builder", "assessor")


@dataclass(frozen=True)
class TrailEntry:
    """One line of the review trail, as the issuer reads it."""

    decision: str
    comment: str
    author: str | None
    organisation: str | None
    created_at: datetime


# --------------------------------------------------------------------- drafting


def create_badge_class(issuer: Organisation, actor: User, fields: dict, competencies: list[Competency]) -> BadgeClass:
    """A new draft of the issuer, version 1 of a new family."""
    badge_class = BadgeClass(
        uuid=new_uuid(),
        family=new_uuid(),
        version=1,
        slug=free_slug(fields["name_fr"]),
        issuer=issuer,
        state="draft",
        created_by_id=actor.id,
        competencies=competencies,
        **_content(fields),
    )
    db.session.add(badge_class)
    db.session.flush()
    record("badge_class.create", badge_class, actor)
    return badge_class


def update_badge_class(badge_class: BadgeClass, actor: User, fields: dict, competencies: list[Competency]) -> None:
    """Change a draft's content and competencies."""
    check_editable(badge_class)
    for name, value in _content(fields).items():
        setattr(badge_class, name, value)
    badge_class.competencies = competencies
    db.session.flush()
    record("badge_class.update", badge_class, actor)


def set_image(badge_class: BadgeClass, data: bytes, filename: str | None) -> None:
    """Store a checked PNG, or a sanitised SVG, as the draft's image (raises ImageError)."""
    check_editable(badge_class)
    info = validate_image(data)
    # A PNG is kept byte for byte (it is baked as is); an SVG only in its sanitised form.
    stored = data if info.mime == PNG_MIME else info.data
    badge_class.image = StoredFile.from_bytes(stored, info.mime, (filename or "")[:255] or None)
    db.session.flush()


def check_editable(badge_class: BadgeClass) -> None:
    """Raise unless the class is an unawarded draft."""
    if has_awards(badge_class):
        raise IssuingError("awarded")
    if badge_class.state != "draft":
        raise IssuingError("not_draft")


def has_awards(badge_class: BadgeClass) -> bool:
    """Whether anyone was ever awarded this version (revoked awards count)."""
    query = select(Award.id).where(Award.badge_class_id == badge_class.id).limit(1)
    return badge_class.id is not None and db.session.scalar(query) is not None


def delete_draft(badge_class: BadgeClass, actor: User) -> None:
    """Delete a draft that was never published nor awarded."""
    check_editable(badge_class)
    if badge_class.published_at is not None:
        raise IssuingError("not_draft")
    record("badge_class.delete", badge_class, actor)
    db.session.delete(badge_class)
    db.session.flush()


def new_version(badge_class: BadgeClass, actor: User) -> BadgeClass:
    """A draft copy of a published class (the family's open draft if there is one)."""
    if badge_class.state not in ("published", "archived"):
        raise IssuingError("not_published")
    if (draft := open_draft(badge_class.family)) is not None:
        return draft
    number = latest_version(badge_class.family) + 1
    copy = BadgeClass(
        uuid=new_uuid(),
        family=badge_class.family,
        version=number,
        slug=free_slug(f"{badge_class.name_fr} v{number}"),
        issuer=badge_class.issuer,
        state="draft",
        created_by_id=actor.id,
        image=badge_class.image,
        competencies=list(badge_class.competencies),
        **{name: getattr(badge_class, name) for name in CONTENT_FIELDS},
    )
    copy.partners = [BadgeClassPartner(organisation=p.organisation, role=p.role) for p in badge_class.partners]
    db.session.add(copy)
    db.session.flush()
    record("badge_class.new_version", copy, actor, previous=badge_class.uuid, version=number)
    return copy


def open_draft(family: str) -> BadgeClass | None:
    """The family's version being prepared (draft or in review), if any."""
    query = select(BadgeClass).where(BadgeClass.family == family, BadgeClass.state.in_(("draft", "in_review")))
    return db.session.scalar(query.limit(1))


def latest_version(family: str) -> int:
    """The highest version number of a family."""
    return db.session.scalar(select(func.max(BadgeClass.version)).where(BadgeClass.family == family)) or 0


def versions(badge_class: BadgeClass) -> list[BadgeClass]:
    """Every version of the class's family, newest first."""
    query = select(BadgeClass).where(BadgeClass.family == badge_class.family)
    return list(db.session.scalars(query.order_by(BadgeClass.version.desc())))


# --------------------------------------------------------------------- partners


def invite_partner(badge_class: BadgeClass, organisation: Organisation, role: str, actor: User) -> None:
    """Invite a verified partner organisation to co-build (and review) the class."""
    if organisation.id == badge_class.issuer_id or organisation.verification_state != "verified":
        raise IssuingError("not_a_partner")
    if role not in PARTNER_ROLES:
        raise IssuingError("bad_role")
    if any(p.organisation_id == organisation.id for p in badge_class.partners):
        return
    badge_class.partners.append(BadgeClassPartner(organisation=organisation, role=role))
    db.session.flush()
    record("badge_class.invite_partner", badge_class, actor, partner=organisation.slug, role=role)


def remove_partner(badge_class: BadgeClass, organisation_id: int, actor: User) -> None:
    """Withdraw a partner's invitation (its past reviews stay in the trail)."""
    badge_class.partners = [p for p in badge_class.partners if p.organisation_id != organisation_id]
    db.session.flush()
    record("badge_class.remove_partner", badge_class, actor, partner_id=organisation_id)


# --------------------------------------------------------------------- review and publication


def submit_for_review(badge_class: BadgeClass, actor: User) -> None:
    """Send a draft to the committee and the invited partners."""
    if badge_class.state != "draft":
        raise IssuingError("not_draft")
    badge_class.state = "in_review"
    _trail(badge_class, actor, badge_class.issuer, "submit")
    record("badge_class.submit", badge_class, actor)


def reviewer_organisation(user: User, badge_class: BadgeClass) -> Organisation | None:
    """In whose name the user reviews the class: its issuer's committee, or an invited partner."""
    if staff_membership(user, badge_class.issuer, REVIEWER_ROLES) is not None:
        return badge_class.issuer
    return partner_organisation(user, badge_class)


def add_review(badge_class: BadgeClass, actor: User, decision: str, comment: str) -> BadgeClassReview:
    """A comment, an approval or a request for changes from a committee member or a partner."""
    organisation = reviewer_organisation(actor, badge_class)
    if organisation is None:
        raise IssuingError("forbidden")
    if badge_class.state != "in_review" or decision not in REVIEW_DECISIONS:
        raise IssuingError("not_in_review")
    if decision == "approve" and actor.id == badge_class.created_by_id:
        raise IssuingError("own_class")
    if decision != "approve" and not comment.strip():
        raise IssuingError("comment_required")
    if decision == "request_changes":
        badge_class.state = "draft"
    entry = _trail(badge_class, actor, organisation, decision, comment)
    record(f"badge_class.{decision}", badge_class, actor, organisation=organisation.slug)
    return entry


def approvals(badge_class: BadgeClass) -> list[BadgeClassReview]:
    """Approvals given since the class was last submitted, one per person."""
    entries = db.session.scalars(
        select(BadgeClassReview)
        .where(BadgeClassReview.badge_class_id == badge_class.id)
        .order_by(BadgeClassReview.id)
    ).all()
    since = max((i for i, e in enumerate(entries) if e.decision == "submit"), default=-1)
    by_author = {e.author_id: e for e in entries[since + 1 :] if e.decision == "approve"}
    return list(by_author.values())


def missing_approvals(badge_class: BadgeClass) -> int:
    """How many more approvals publishing needs (the issuer's setting)."""
    return max(0, badge_class.issuer.required_approvals - len(approvals(badge_class)))


def publish(badge_class: BadgeClass, actor: User) -> None:
    """Publish a reviewed class; the family's published version it replaces is archived."""
    if badge_class.state != "in_review":
        raise IssuingError("not_in_review")
    if (missing := missing_approvals(badge_class)) > 0:
        raise IssuingError("approvals_missing", missing=missing)
    for previous in versions(badge_class):
        if previous.state == "published":
            _archive(previous, actor)
    badge_class.state, badge_class.published_at = "published", utcnow()
    _trail(badge_class, actor, badge_class.issuer, "publish")
    record("badge_class.publish", badge_class, actor, version=badge_class.version)


def archive(badge_class: BadgeClass, actor: User) -> None:
    """Stop awarding a published class; its awards stay verifiable."""
    if badge_class.state != "published":
        raise IssuingError("not_published")
    _archive(badge_class, actor)


def review_trail(badge_class: BadgeClass) -> list[TrailEntry]:
    """Who said what, when, oldest first."""
    query = (
        select(BadgeClassReview, User.display_name, Organisation.name)
        .outerjoin(User, User.id == BadgeClassReview.author_id)
        .outerjoin(Organisation, Organisation.id == BadgeClassReview.organisation_id)
        .where(BadgeClassReview.badge_class_id == badge_class.id)
        .order_by(BadgeClassReview.id)
    )
    return [
        TrailEntry(entry.decision, entry.comment, author, organisation, entry.created_at)
        for entry, author, organisation in db.session.execute(query)
    ]


def can_edit(user: User, badge_class: BadgeClass) -> bool:
    """Whether the user drafts for the class's issuer."""
    return staff_membership(user, badge_class.issuer, EDITOR_ROLES) is not None


def _archive(badge_class: BadgeClass, actor: User) -> None:
    badge_class.state = "archived"
    _trail(badge_class, actor, badge_class.issuer, "archive")
    record("badge_class.archive", badge_class, actor)


def _trail(badge_class, actor, organisation, decision, comment="") -> BadgeClassReview:
    entry = BadgeClassReview(
        badge_class_id=badge_class.id,
        author_id=actor.id,
        organisation_id=organisation.id,
        decision=decision,
        comment=comment.strip(),
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _content(fields: dict) -> dict:
    """The editable fields, trimmed; tags deduplicated."""
    content = {name: fields.get(name) for name in CONTENT_FIELDS}
    for name in CONTENT_FIELDS[:6]:
        content[name] = (content[name] or "").strip()
    content["tags"] = list(dict.fromkeys(t.strip() for t in content["tags"] or [] if t.strip()))
    return content


def free_slug(name: str) -> str:
    """A slug for ``name`` no badge class uses yet (slugs of old versions stay theirs forever)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:120] or "badge"
    taken = set(db.session.scalars(select(BadgeClass.slug).where(BadgeClass.slug.like(f"{base}%"))))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug

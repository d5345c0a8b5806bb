"""Applications: an entrepreneur's request with evidence, and the reviewer's decision. Flush, never commit.

draft → submitted → approved | returned | refused; a returned application is completed and
submitted again. Approval creates the award, linked to the application, its evidence and the
decision, so every award can be traced to the review behind it.
"""

from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.awarding import Issued
from directory.badges.awarding import award_badge
from directory.badges.awarding import check_email
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Evidence
from directory.badges.models import ReviewDecision
from directory.badges.services import ASSESSOR_PARTNER_ROLE
from directory.badges.services import REVIEWER_ROLES
from directory.badges.services import IssuingError
from directory.badges.services import partner_organisation
from directory.badges.services import staff_membership
from directory.core.audit import record
from directory.core.db import new_uuid
from directory.core.db import utcnow
from directory.core.models import StoredFile
from directory.extensions import db

OPEN_STATES = ("draft", "submitted", "returned")
EDITABLE_STATES = ("draft", "returned")
# Evidence files are recognised by their first bytes, never by the name or the browser's type.
EVIDENCE_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
MAX_LINKS = 10


def start_application(badge_class: BadgeClass, applicant: User) -> Application:
    """The applicant's open application for a published class, created as a draft if needed."""
    if badge_class.state != "published":
        raise IssuingError("not_published")
    if holds_badge(applicant, badge_class):
        raise IssuingError("already_awarded")
    existing = db.session.scalar(
        select(Application).where(
            Application.badge_class_id == badge_class.id,
            Application.applicant_id == applicant.id,
            Application.state.in_(OPEN_STATES),
        )
    )
    if existing is not None:
        return existing
    application = Application(uuid=new_uuid(), badge_class=badge_class, applicant_id=applicant.id, email=applicant.email)
    db.session.add(application)
    db.session.flush()
    return application


def holds_badge(user: User, badge_class: BadgeClass) -> bool:
    """Whether the user already holds an unrevoked award of this class."""
    query = select(Award.id).where(
        Award.badge_class_id == badge_class.id, Award.recipient_id == user.id, Award.revoked_at.is_(None)
    )
    return db.session.scalar(query.limit(1)) is not None


def update_application(application: Application, narrative: str, links: list[str], email: str) -> None:
    """Save the narrative, the links (replacing the previous ones) and the address to award to."""
    _check_editable(application)
    links = [link.strip() for link in links if link.strip()]
    if len(links) > MAX_LINKS or any(not link.startswith(("https://", "http://")) for link in links):
        raise IssuingError("bad_links")
    application.narrative = (narrative or "").strip()
    application.email = check_email(email) if (email or "").strip() else None
    kept = [e for e in application.evidence if e.url is None]
    application.evidence = kept + [Evidence(uuid=new_uuid(), name="Lien", url=link[:1000]) for link in links]
    db.session.flush()


def add_evidence_file(application: Application, data: bytes, filename: str) -> Evidence:
    """Attach a PDF, PNG or JPEG of at most 5 MB (five files at most)."""
    _check_editable(application)
    content_type = next((t for sig, t in EVIDENCE_SIGNATURES.items() if data.startswith(sig)), None)
    if content_type is None:
        raise IssuingError("bad_file_type")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise IssuingError("file_too_large")
    if sum(1 for e in application.evidence if e.file_id or e.file) >= MAX_EVIDENCE_FILES:
        raise IssuingError("too_many_files")
    name = (filename or "preuve").replace("/", "_").replace("\\", "_")[:255]
    evidence = Evidence(uuid=new_uuid(), name=name, file=StoredFile.from_bytes(data, content_type, name))
    application.evidence.append(evidence)
    db.session.flush()
    return evidence


def remove_evidence(application: Application, evidence: Evidence) -> None:
    """Take a piece of evidence off a draft."""
    _check_editable(application)
    application.evidence.remove(evidence)
    db.session.flush()


def submit_application(application: Application, actor: User) -> None:
    """Send a draft (or a completed returned application) to the issuer's reviewers."""
    _check_editable(application)
    if not application.narrative or not application.email:
        raise IssuingError("incomplete")
    if application.badge_class.state != "published":
        raise IssuingError("not_published")
    application.state, application.submitted_at = "submitted", utcnow()
    db.session.flush()
    record("application.submit", application, actor, badge_class=application.badge_class.slug)


def can_assess(user: User, application: Application) -> bool:
    """Issuer reviewers, and members of a partner invited as assessor on the class."""
    badge_class = application.badge_class
    if staff_membership(user, badge_class.issuer, REVIEWER_ROLES) is not None:
        return True
    return partner_organisation(user, badge_class, roles=(ASSESSOR_PARTNER_ROLE,)) is not None


def decide(application: Application, reviewer: User, decision: str, reason: str) -> Issued | None:
    """Approve (creating the award), return with a reason, or refuse with a reason."""
    if not can_assess(reviewer, application):
        raise IssuingError("forbidden")
    if application.applicant_id == reviewer.id:
        raise IssuingError("own_application")
    if application.state != "submitted":
        raise IssuingError("not_submitted")
    if decision not in ("approve", "return", "refuse"):
        raise IssuingError("bad_decision")
    if decision != "approve" and not (reason or "").strip():
        raise IssuingError("reason_required")
    application.decisions.append(ReviewDecision(reviewer_id=reviewer.id, decision=decision, reason=(reason or "").strip()))
    application.state = {"approve": "approved", "return": "returned", "refuse": "refused"}[decision]
    application.decided_at = utcnow()
    db.session.flush()
    record(f"application.{decision}", application, reviewer, badge_class=application.badge_class.slug)
    return _award(application, reviewer) if decision == "approve" else None


def _award(application: Application, reviewer: User) -> Issued:
    applicant = db.session.get(User, application.applicant_id) if application.applicant_id else None
    if applicant is None:
        raise IssuingError("no_applicant")
    # The reviewer's words stay internal: an assertion's narrative is public.
    return award_badge(
        application.badge_class,
        application.email,
        applicant.display_name,
        reviewer,
        recipient=applicant,
        application=application,
    )


def last_reason(application: Application) -> str | None:
    """The reason of the latest return or refusal, shown to the applicant."""
    for decision in reversed(application.decisions):
        if decision.decision in ("return", "refuse"):
            return decision.reason
    return None


def _check_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise IssuingError("not_editable")

"""Badges earned elsewhere: verified by the Open Badges verifier before they join a profile. Flush, never commit.

A badge is refused, with the verifier's own explanation, when it cannot be read, was not
awarded to one of the holder's e-mail addresses, is revoked, or fails any integrity check.
An expired badge is accepted and shown as expired. Re-verification keeps its last verdict.
The one exception to "never commit" is ``reverify_all``, a background job: like a CLI
command, it commits its own work.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Award
from directory.badges.verification import verify_for_app
from directory.core.db import utcnow
from directory.core.images import ImageError
from directory.core.images import validate_image
from directory.core.jobs import reported
from directory.core.models import StoredFile
from directory.core.progress import progress_bar
from directory.extensions import db
from directory.openbadges.verify import Verdict
from directory.profiles.curation import next_position
from directory.profiles.models import Profile

IMAGE_FORMATS = ("png", "svg")
# Checks that may fail and still leave a genuine badge: it has only expired.
TOLERATED_FAILURES = {"dates"}


@dataclass
class ImportRefused(Exception):
    """The badge was not imported; the message explains why, in French and English."""

    message_fr: str
    message_en: str
    verdict: Verdict | None = None

    def message(self, locale: str) -> str:
        return self.message_en if locale == "en" else self.message_fr


def holder_emails(user: User) -> list[str]:
    """Every address the holder proved: the account's and those of their identities."""
    emails = [user.email, *(i.email for i in user.identities)]
    return list(dict.fromkeys(e.strip().lower() for e in emails if e))


def verify_as_holder(user: User, badge_input: bytes | str) -> Verdict:
    """Verify against each of the holder's addresses, stopping at the first one the badge names."""
    emails = holder_emails(user)
    if not emails:
        raise ImportRefused(
            "Votre compte n'a pas d'adresse e-mail : impossible de vérifier que ce badge vous a été attribué.",
            "Your account has no e-mail address: this badge cannot be checked as yours.",
        )
    verdict = None
    for email in emails:
        verdict = verify_for_app(badge_input, email)
        if not _failed(verdict, "recipient"):
            break
    return verdict


def import_badge(profile: Profile, user: User, badge_input: bytes | str) -> Award:
    """Verify the badge and add it to the profile, or raise ImportRefused saying why."""
    verdict = verify_as_holder(user, badge_input)
    refuse_unless_acceptable(verdict)
    document_id = (verdict.document or {}).get("id")
    if document_id and _already_imported(profile, document_id):
        raise ImportRefused("Ce badge est déjà sur votre profil.", "This badge is already on your profile.", verdict)
    award, image = _new_award(profile, user, verdict, badge_input)
    db.session.add(award)
    if image is not None:
        db.session.add(image)
        db.session.flush()
        award.imported_image_id = image.id
    db.session.flush()
    return award


def refuse_unless_acceptable(verdict: Verdict) -> None:
    """Raise ImportRefused for an unreadable, foreign, revoked or tampered badge."""
    failed = [c for c in verdict.checks if c.outcome == "fail"]
    if verdict.result == "unusable" or _failed(verdict, "recipient") or _failed(verdict, "revocation"):
        first = next((c for c in failed if c.id in ("input", "recipient", "revocation")), failed[0])
        raise ImportRefused(_why(first, "fr"), _why(first, "en"), verdict)
    serious = [c for c in failed if c.id not in TOLERATED_FAILURES]
    if serious:
        raise ImportRefused(
            "Ce badge n'a pas passé la vérification : " + " ".join(c.message_fr for c in serious),
            "This badge failed verification: " + " ".join(c.message_en for c in serious),
            verdict,
        )


def reverify(award: Award, user: User) -> str:
    """Verify an imported badge again; record and return its status."""
    try:
        verdict = verify_as_holder(user, reverification_input(award))
    except ImportRefused:
        verdict = None
    record_verdict(award, verdict)
    db.session.flush()
    return award.last_verification["status"]


def reverify_all(user_id: int) -> dict:
    """The background job behind « Vérifier à nouveau tous mes badges importés »."""
    user = db.session.get(User, user_id)
    award_ids = [award.id for award in imported_awards(user)] if user else []
    count = 0
    with progress_bar(reported, award_ids, "Vérifications") as chosen:
        for award_id in chosen:
            # Read one at a time: the holder may remove a badge while a worker runs the job.
            award = db.session.get(Award, award_id)
            if award is None:
                continue
            reverify(award, user)
            # Each verdict stands on its own: keep it even if a later badge's check goes wrong.
            db.session.commit()
            count += 1
    return {"count": count}


def imported_awards(user: User) -> list[Award]:
    """The badges the user imported onto their profile, in profile order."""
    query = (
        select(Award)
        .join(Profile, Award.profile_id == Profile.id)
        .where(Profile.user_id == user.id, Award.source == "imported")
        .order_by(Award.position, Award.id)
    )
    return list(db.session.scalars(query))


def reverification_input(award: Award) -> bytes | str:
    """What to verify again: the address it came from, the image, or the text it was given as."""
    if award.original_format == "url" and award.source_url:
        return award.source_url
    if award.original_format in IMAGE_FORMATS and award.imported_image_id is not None:
        return db.session.get(StoredFile, award.imported_image_id).data
    return award.original_document or ""


def status_of(verdict: Verdict | None) -> str:
    """"verified", "revoked", "expired" or "unverifiable" (shown as « vérifié le … », « révoqué »…)."""
    if verdict is None or verdict.result == "unusable":
        return "unverifiable"
    if verdict.valid:
        return "verified"
    if _failed(verdict, "revocation"):
        return "revoked"
    others = set(verdict.failed_ids()) - TOLERATED_FAILURES
    return "expired" if not others else "unverifiable"


def record_verdict(award: Award, verdict: Verdict | None) -> None:
    """Keep the status, the checks and the date of this verification."""
    checks = [c.to_json() for c in verdict.checks] if verdict else []
    award.last_verification = {"status": status_of(verdict), "result": verdict.result if verdict else "unusable", "checks": checks}
    award.last_verified_at = utcnow()


def _new_award(profile: Profile, user: User, verdict: Verdict, badge_input: bytes | str) -> tuple[Award, StoredFile | None]:
    summary = {k: v for k, v in (verdict.badge or {}).items() if k != "recipient"}
    award = Award(
        source="imported", profile=profile, recipient_id=user.id, salt="", identity_hash="",
        original_format=verdict.format, imported_summary=_storable(summary, verdict),
        position=next_position(profile), visibility="public", issued_on=utcnow(),
    )
    record_verdict(award, verdict)
    if verdict.format in IMAGE_FORMATS:
        return award, _image(badge_input)
    award.original_document = badge_input.strip() if isinstance(badge_input, str) else badge_input.decode("utf-8-sig")
    award.source_url = award.original_document if verdict.format == "url" else None
    return award, _data_uri_image((verdict.badge or {}).get("image"))


def _storable(summary: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    image = summary.get("image")
    # Data URIs are kept as a stored image instead; a foreign URL is only remembered.
    summary["image"] = image if isinstance(image, str) and image.startswith("http") else None
    summary["id"] = (verdict.document or {}).get("id")
    summary["version"] = verdict.version
    return json.loads(json.dumps(summary, default=str))


def _image(data: bytes) -> StoredFile | None:
    try:
        info = validate_image(data, max_bytes=5_000_000)
    except ImageError:
        return None
    return StoredFile.from_bytes(info.data or data, info.mime, "badge." + ("svg" if "svg" in info.mime else "png"))


def _data_uri_image(value: Any) -> StoredFile | None:
    if not isinstance(value, str) or not value.startswith(("data:image/png;base64,", "data:image/svg+xml;base64,")):
        return None
    try:
        return _image(base64.b64decode(value.split(",", 1)[1], validate=True))
    except (binascii.Error, ValueError):
        return None


def _already_imported(profile: Profile, document_id: str) -> bool:
    return any(
        (a.imported_summary or {}).get("id") == document_id for a in profile.awards if a.source == "imported"
    )


def _failed(verdict: Verdict, check_id: str) -> bool:
    check = verdict.check(check_id)
    return check is not None and check.outcome == "fail"


def _why(check, locale: str) -> str:
    if check.id == "recipient":
        fr = "Ce badge n'a pas été attribué à l'adresse e-mail de votre compte : il ne peut pas rejoindre votre profil. "
        en = "This badge was not awarded to your account's e-mail address: it cannot join your profile. "
        return (en + check.message_en) if locale == "en" else (fr + check.message_fr)
    return check.message_en if locale == "en" else check.message_fr

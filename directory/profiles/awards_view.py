"""Badges on a profile as a viewer sees them: loaded in a fixed number of queries, whatever their count.

Called only by ``serialisers`` (which decides the visibility levels and fields); an issued
badge links to its published documents, an imported one carries what its verification said.
"""

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges import documents
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

# How an award stands; imported ones say when they were last verified.
STATUSES = ("valid", "verified", "revoked", "expired", "unverifiable")


@dataclass
class AwardView:
    """One badge as a viewer sees it."""

    id: int
    uuid: str
    source: str
    name: str
    description: str
    image_url: str
    issuer: str
    issuer_url: str | None
    issued_on: datetime | None
    expires_on: datetime | None
    status: str
    verified_at: datetime | None
    featured: bool
    visibility: str
    competencies: list[str] = field(default_factory=list)
    endorsers: list[str] = field(default_factory=list)
    verify_url: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    lang: str = ""  # the language of name and description when known (issued here), for `lang`
    evidence: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        del data["id"]
        for key in ("issued_on", "expires_on", "verified_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def load_awards(profile: Profile, levels: tuple[str, ...], with_evidence: bool, locale: str) -> list[AwardView]:
    """The profile's badges shown at these levels: featured first, then in the holder's order."""
    awards = db.session.scalars(_query(profile, levels, with_evidence)).all()
    endorsers = endorsers_by_class([a.badge_class for a in awards if a.badge_class])
    now = datetime.now(UTC)
    return [_view(a, profile, endorsers, with_evidence, locale, now) for a in awards]


def _query(profile: Profile, levels: tuple[str, ...], with_evidence: bool):
    badge_class = selectinload(Award.badge_class)
    options = [
        badge_class.selectinload(BadgeClass.issuer),
        badge_class.selectinload(BadgeClass.competencies),
    ]
    if with_evidence:
        options.append(selectinload(Award.evidence))
    return (
        select(Award)
        .where(Award.profile_id == profile.id, Award.visibility.in_(levels))
        .options(*options)
        .order_by(Award.featured.desc(), Award.position, Award.id)
    )


def endorsers_by_class(classes: list[BadgeClass]) -> dict[int, list[str]]:
    """Names of organisations that endorse each class or its issuer (active, displayed), in one query."""
    if not classes:
        return {}
    # Plain rows, not Endorsement objects: the page needs three columns, and loading the objects
    # with their endorsers took a second query and most of this function's time.
    rows = db.session.execute(
        select(Endorsement.badge_class_id, Endorsement.target_organisation_id, Organisation.name)
        .join(Organisation, Organisation.id == Endorsement.endorser_id)
        .where(Endorsement.state == "active", Endorsement.hidden.is_(False))
        .where(
            Endorsement.badge_class_id.in_({c.id for c in classes})
            | Endorsement.target_organisation_id.in_({c.issuer_id for c in classes})
        )
    ).all()
    return {c.id: sorted({name for class_id, issuer_id, name in rows if c.id == class_id or c.issuer_id == issuer_id}) for c in classes}


def _view(award: Award, profile: Profile, endorsers: dict, with_evidence: bool, locale: str, now: datetime) -> AwardView:
    fields = _issued(award, endorsers, locale) if award.badge_class else _imported(award, profile)
    return AwardView(
        id=award.id,
        uuid=award.uuid,
        source=award.source,
        status=status(award, now),
        verified_at=award.last_verified_at if award.badge_class is None else None,
        featured=award.featured,
        visibility=award.visibility,
        evidence=[_evidence(e, profile) for e in award.evidence] if with_evidence else [],
        **fields,
    )


def _issued(award: Award, endorsers: dict, locale: str) -> dict:
    badge_class = award.badge_class
    return {
        "name": badge_class.name(locale),
        # The language the name and description are actually in (English falls back to French).
        "lang": "en" if locale == "en" and badge_class.name_en else "fr",
        "description": badge_class.description(locale),
        "image_url": url_for("badges.image", slug=badge_class.slug),
        "issuer": badge_class.issuer.name,
        "issuer_url": url_for("organisations.show", slug=badge_class.issuer.slug),
        "issued_on": award.issued_on,
        "expires_on": award.expires_on,
        "competencies": [c.label(locale) for c in badge_class.competencies],
        "endorsers": endorsers.get(badge_class.id, []),
        "verify_url": documents.credential_url(award),
        "links": {
            "ob2_assertion": documents.assertion_url(award),
            "ob3_credential": documents.credential_url(award),
            "baked_image": documents.credential_url(award, ".png"),
        },
    }


def _imported(award: Award, profile: Profile) -> dict:
    summary = award.imported_summary or {}
    issuer = summary.get("issuer") or {}
    return {
        "name": summary.get("name") or "Badge",
        "description": summary.get("description") or "",
        "image_url": url_for("profiles.award_image", slug=profile.slug, award_uuid=award.uuid),
        "issuer": issuer.get("name") or issuer.get("id") or "",
        "issuer_url": issuer.get("url"),
        "issued_on": _date(summary.get("issued")),
        "expires_on": _date(summary.get("expires")),
        "competencies": [a["targetName"] for a in summary.get("alignments") or [] if a.get("targetName")],
        "verify_url": award.source_url,
    }


def _evidence(evidence, profile: Profile) -> dict:
    file_url = url_for("profiles.evidence_file", slug=profile.slug, evidence_uuid=evidence.uuid) if evidence.file_id else None
    return {"name": evidence.name, "narrative": evidence.narrative, "url": evidence.url, "file_url": file_url}


def status(award: Award, now: datetime) -> str:
    """How the badge stands now: issued here, from its own record; imported, from its last verification."""
    if award.badge_class is not None:
        if award.is_revoked:
            return "revoked"
        return "expired" if award.is_expired(now) else "valid"
    return (award.last_verification or {}).get("status", "unverifiable")


def _date(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""Small factories for the objects the index reads; each flushes, the test commits."""

import itertools
from datetime import UTC
from datetime import datetime

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def _save(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def organisation(name: str = "Réseau Entreprendre", kind: str = "issuer", **fields) -> Organisation:
    return _save(
        Organisation(slug=unique("org"), name=name, kind=kind, verification_state="verified", **fields)
    )


def competency(label_fr: str, label_en: str = "", parent: Competency | None = None, **fields) -> Competency:
    uri = f"http://data.europa.eu/esco/skill/{unique('c')}"
    return _save(
        Competency(framework="ESCO", uri=uri, label_fr=label_fr, label_en=label_en, parent=parent, **fields)
    )


def badge_class(name_fr: str, competencies=(), issuer: Organisation | None = None, **fields) -> BadgeClass:
    fields = {"description_fr": "", "criteria_fr": "", "state": "published", **fields}
    issuer = issuer or organisation()
    return _save(
        BadgeClass(
            slug=unique("badge"),
            issuer_id=issuer.id,
            name_fr=name_fr,
            competencies=list(competencies),
            **fields,
        )
    )


def profile(display_name: str = "Camille Martin", **fields) -> Profile:
    fields = {"visibility": "public", "listing_consent": True, "region": "Hauts-de-France", **fields}
    slug = fields.pop("slug", None) or unique("profil")
    return _save(Profile(slug=slug, display_name=display_name, **fields))


def award(holder: Profile, badge: BadgeClass, **fields) -> Award:
    fields = {"visibility": "public", **fields}
    return _save(
        Award(profile_id=holder.id, badge_class_id=badge.id, salt="s", identity_hash="sha256$x", **fields)
    )


def endorsement(endorser: Organisation, badge: BadgeClass, state: str = "active") -> Endorsement:
    return _save(
        Endorsement(endorser_id=endorser.id, target_type="badge_class", badge_class_id=badge.id, state=state)
    )


def now() -> datetime:
    return datetime.now(UTC)

"""Small factories for Open Badges tests: an issuer, an ESCO-aligned class, a partner, an award.

Imported as ``tests.badges.ob_factories`` (also by tests/conformance). Each flushes and
returns the row; defaults are realistic and French.
"""

import itertools
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from io import BytesIO

from PIL import Image

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.core.models import StoredFile
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.openbadges.hashing import new_salt
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

RECIPIENT_EMAIL = "Camille.Martin@exemple.fr"
ESCO_SKILLS = "http://data.europa.eu/esco/skill/"
_numbers = itertools.count(1)


def now() -> datetime:
    """Now, aware, to the second (documents carry whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0)


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def organisation(kind: str = "issuer", **fields) -> Organisation:
    """A verified organisation."""
    n = next(_numbers)
    defaults = {
        "slug": f"organisation-{n}",
        "name": f"Agence Entreprendre {n}" if kind == "issuer" else f"Communauté d'agglomération {n}",
        "kind": kind,
        "description_fr": "Accompagne les créateurs d'entreprise des Hauts-de-France.",
        "contact_email": f"contact{n}@agence.exemple.fr",
        "verification_state": "verified",
    }
    return _add(Organisation(**{**defaults, **fields}))


def competency(**fields) -> Competency:
    """An ESCO skill."""
    code = str(uuid.uuid4())
    defaults = {
        "framework": "ESCO",
        "uri": ESCO_SKILLS + code,
        "code": code,
        "label_fr": "présenter un projet d'entreprise",
        "label_en": "pitch a business project",
    }
    return _add(Competency(**{**defaults, **fields}))


def badge_class(issuer: Organisation, image: StoredFile | None = None, **fields) -> BadgeClass:
    """A published badge class aligned to one ESCO skill."""
    n = next(_numbers)
    defaults = {
        "slug": f"pitcher-son-projet-{n}",
        "issuer": issuer,
        "name_fr": "Pitcher son projet",
        "description_fr": "Présente son projet d'entreprise de façon claire et convaincante.",
        "criteria_fr": "Avoir présenté son projet devant un jury de **trois** partenaires.",
        "tags": ["pitch", "communication"],
        "state": "published",
        "image": image,
        "competencies": [competency()],
    }
    return _add(BadgeClass(**{**defaults, **fields}))


def award(badge_class: BadgeClass, email: str = RECIPIENT_EMAIL, **fields) -> Award:
    """An award to ``email``, hashed with a fresh salt."""
    salt = new_salt()
    defaults = {
        "badge_class": badge_class,
        "recipient_email": email,
        "recipient_name": "Camille Martin",
        "salt": salt,
        "identity_hash": hash_identity(email, salt),
        "issued_on": now() - timedelta(days=1),
        "narrative": "A présenté son projet de librairie-café devant le jury de mars.",
    }
    return _add(Award(**{**defaults, **fields}))


def endorsement(endorser: Organisation, badge_class: BadgeClass | None = None, **fields) -> Endorsement:
    """An active endorsement of a badge class (or of an issuer with ``target_organisation``)."""
    defaults = {
        "endorser": endorser,
        "target_type": "badge_class" if badge_class is not None else "issuer",
        "badge_class": badge_class,
        "comment": "Nous reconnaissons ce badge pour nos appels à projets.",
        "state": "active",
        "issued_on": now() - timedelta(hours=2),
    }
    return _add(Endorsement(**{**defaults, **fields}))


def profile(**fields) -> Profile:
    """A public, listed profile."""
    n = next(_numbers)
    defaults = {
        "slug": f"camille-martin-{n}",
        "display_name": "Camille Martin",
        "visibility": "public",
        "listing_consent": True,
    }
    return _add(Profile(**{**defaults, **fields}))


def png_file(size: int = 64) -> StoredFile:
    """An uploaded PNG image."""
    output = BytesIO()
    Image.new("RGB", (size, size), (30, 90, 200)).save(output, "PNG")
    return _add(StoredFile.from_bytes(output.getvalue(), "image/png", "badge.png"))


def scenario() -> dict:
    """An issuer with an ESCO-aligned class, a partner endorsing it, and an award."""
    issuer = organisation()
    partner = organisation(kind="local_authority")
    badge = badge_class(issuer)
    return {
        "issuer": issuer,
        "partner": partner,
        "badge_class": badge,
        "endorsement": endorsement(partner, badge),
        "award": award(badge),
    }

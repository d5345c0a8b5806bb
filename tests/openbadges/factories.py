"""Small document factories with defaults for the Open Badges tests (override any field)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from directory.openbadges import hashing
from directory.openbadges import keys
from directory.openbadges import ob2
from directory.openbadges import ob3

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
EMAIL = "Alice.Martin@Example.fr"
SALT = "b1e55ed5a17"
BASE = "https://badgeons.example"
ALIGNMENT = {
    "targetName": "pitch a business idea",
    "targetUrl": "http://data.europa.eu/esco/skill/0c8e-pitch",
    "targetFramework": "ESCO",
    "targetCode": "S1.2.3",
}


def ob2_badge_class(**overrides):
    """An OB 2.0 BadgeClass with one alignment and a tag."""
    fields = {
        "id": f"{BASE}/badges/pitch",
        "name": "Pitch",
        "description": "Sait pitcher.",
        "image": f"{BASE}/img/pitch.png",
        "criteria_narrative": "Pitcher devant trois investisseurs.",
        "issuer_id": f"{BASE}/issuers/1",
        "tags": ["pitch"],
        "alignments": [ALIGNMENT],
    }
    return ob2.badge_class(**{**fields, **overrides})


def ob2_assertion(**overrides):
    """An OB 2.0 hosted Assertion for EMAIL."""
    fields = {
        "id": f"{BASE}/assertions/1",
        "badge_id": f"{BASE}/badges/pitch",
        "recipient_hash": hashing.hash_identity(EMAIL, SALT),
        "salt": SALT,
        "issued_on": NOW,
    }
    return ob2.assertion(**{**fields, **overrides})


def issuer(ed_key, **overrides):
    """An OB 3.0 issuer Profile whose id is the signing key's did:key."""
    fields = {
        "id": keys.did_key_for(ed_key),
        "name": "CCI Lyon",
        "url": "https://cci.example",
        "email": "badges@cci.example",
    }
    return ob3.profile(**{**fields, **overrides})


def achievement(**overrides):
    """An OB 3.0 Achievement aligned to an ESCO competency."""
    fields = {
        "id": f"{BASE}/achievements/pitch",
        "name": "Pitch investisseurs",
        "description": "Sait présenter son projet à des investisseurs.",
        "criteria_narrative": "Avoir pitché devant un jury de trois investisseurs.",
        "image": f"{BASE}/img/pitch.png",
        "alignments": [{**ALIGNMENT, "targetType": "ceasn:Competency"}],
        "tags": ["pitch", "financement"],
    }
    return ob3.achievement(**{**fields, **overrides})


def credential(ed_key, **overrides):
    """An unsigned OpenBadgeCredential awarded to EMAIL."""
    fields = {
        "id": "urn:uuid:3f9b2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        "issuer_profile": issuer(ed_key),
        "achievement": achievement(),
        "recipient_hash": hashing.hash_identity(EMAIL, SALT),
        "salt": SALT,
        "valid_from": NOW,
    }
    return ob3.open_badge_credential(**{**fields, **overrides})


def endorsement(ed_key, **overrides):
    """An unsigned EndorsementCredential of the default Achievement."""
    fields = {
        "id": "urn:uuid:7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        "issuer_profile": issuer(ed_key, name="Réseau Entreprendre"),
        "subject_id": f"{BASE}/achievements/pitch",
        "comment": "Badge **exigeant**, jury sérieux.",
        "valid_from": NOW,
        "name": "Recommandation du badge Pitch",
    }
    return ob3.endorsement_credential(**{**fields, **overrides})


def status_list(ed_key, revoked=(3, 42), **overrides):
    """An unsigned BitstringStatusListCredential with ``revoked`` bits set."""
    fields = {
        "id": f"{BASE}/status/1",
        "issuer_profile": issuer(ed_key),
        "revoked_indices": revoked,
        "valid_from": NOW,
    }
    return ob3.bitstring_status_list_credential(**{**fields, **overrides})

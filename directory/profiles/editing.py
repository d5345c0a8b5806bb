"""Editing a profile: identity, company, territory, sectors, links, photo. Flush, never commit."""

import re

from directory.core.models import StoredFile
from directory.extensions import db
from directory.profiles import communes
from directory.profiles.models import OPEN_TO
from directory.profiles.models import Profile
from directory.profiles.photos import process_photo

MAX_SECTORS = 8
MAX_LINKS = 5
TEXT_FIELDS = ("display_name", "headline", "bio", "company_name")


def luhn_valid(digits: str) -> bool:
    """The Luhn check every SIRET (and SIREN) passes."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def clean_siret(value: str | None) -> str | None:
    """Fourteen digits passing Luhn, spaces allowed; None when empty; ValueError otherwise."""
    digits = re.sub(r"\s+", "", value or "")
    if not digits:
        return None
    if not re.fullmatch(r"[0-9]{14}", digits) or not luhn_valid(digits):
        raise ValueError("siret")
    return digits


def split_list(text: str, limit: int) -> list[str]:
    """Comma- or line-separated values, trimmed, without duplicates, at most ``limit``."""
    seen: list[str] = []
    for item in re.split(r"[,\n;]", text or ""):
        item = " ".join(item.split())[:80]
        if item and item.lower() not in {s.lower() for s in seen}:
            seen.append(item)
    return seen[:limit]


def update_profile(profile: Profile, fields: dict, commune: communes.Commune | None) -> None:
    """Apply validated form data to the profile."""
    for name in TEXT_FIELDS:
        setattr(profile, name, (fields.get(name) or "").strip())
    profile.siret = fields.get("siret")
    profile.sectors = list(fields.get("sectors") or [])[:MAX_SECTORS]
    profile.open_to = [item for item in OPEN_TO if item in (fields.get("open_to") or [])]
    profile.links = list(fields.get("links") or [])[:MAX_LINKS]
    profile.accepts_contact = bool(fields.get("accepts_contact"))
    set_commune(profile, commune)
    db.session.flush()


def set_commune(profile: Profile, commune: communes.Commune | None) -> None:
    """Set the commune and the département and région it belongs to (or clear all three)."""
    profile.commune = commune.name if commune else ""
    profile.commune_code = commune.code if commune else None
    profile.departement = commune.departement if commune else ""
    profile.departement_code = commune.departement_code if commune else None
    profile.region = commune.region if commune else ""


def set_photo(profile: Profile, data: bytes) -> None:
    """Replace the photo with a cleaned copy of the upload (PhotoError when unusable)."""
    stored = StoredFile.from_bytes(process_photo(data), "image/jpeg", "photo.jpg")
    remove_photo(profile)
    profile.photo = stored
    db.session.flush()


def remove_photo(profile: Profile) -> None:
    """Delete the photo, its bytes included."""
    old = profile.photo
    profile.photo = None
    if old is not None:
        db.session.flush()
        db.session.delete(old)
    db.session.flush()

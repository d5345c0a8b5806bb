"""Everything about an entrepreneur in one ZIP: profile JSON, each badge as OB 3.0 JSON and JWT, baked PNGs, evidence.

Signing a credential may create the issuer's first key, so the view commits after building it.
"""

import json
import re
import zipfile
from io import BytesIO

from sqlalchemy import select

from directory.badges import documents
from directory.badges import documents_ob2
from directory.badges import documents_ob3
from directory.badges.models import Award
from directory.core.models import StoredFile
from directory.extensions import db
from directory.profiles.models import Profile
from directory.profiles.serialisers import profile_view

EXTENSIONS = {"json": "json", "jws": "jwt", "url": "txt"}


def export_zip(profile: Profile) -> bytes:
    """The ZIP of everything the profile holds."""
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profil.json", json.dumps(profile_json(profile), ensure_ascii=False, indent=2))
        if profile.photo is not None:
            archive.writestr("photo.jpg", profile.photo.data)
        for award in _awards(profile):
            for name, data in award_files(award):
                archive.writestr(f"badges/{_folder(award)}/{name}", data)
    return output.getvalue()


def profile_json(profile: Profile) -> dict:
    """The owner's view of the profile, plus what only they may see: account, consent, messages."""
    data = profile_view(profile, "owner").to_json()
    data["visibility"] = profile.visibility
    data["listing_consent"] = [{"action": e.action, "at": e.at.isoformat()} for e in profile.consent_events]
    data["account"] = _account(profile)
    data["messages"] = [_message(m) for m in profile.messages]
    return data


def award_files(award: Award) -> list[tuple[str, bytes | str]]:
    """The files of one badge: its documents, its image and its evidence."""
    files = _issued_files(award) if award.source == "issued" and documents.is_published_award(award) else _imported_files(award)
    for evidence in award.evidence:
        if evidence.file is not None:
            files.append((f"preuves/{_safe(evidence.file.filename or evidence.uuid)}", evidence.file.data))
    if award.evidence:
        files.append(("preuves/preuves.json", json.dumps([_evidence(e) for e in award.evidence], ensure_ascii=False, indent=2)))
    return files


def _issued_files(award: Award) -> list[tuple[str, bytes | str]]:
    return [
        ("ob3.json", documents_ob3.credential_json(award)),
        ("ob3.jwt", documents_ob3.credential_jwt(award)),
        ("ob3.png", documents_ob3.baked_png(award)),
        ("ob2.png", documents_ob2.baked_png(award)),
    ]


def _imported_files(award: Award) -> list[tuple[str, bytes | str]]:
    files: list[tuple[str, bytes | str]] = [("verification.json", json.dumps(
        {"summary": award.imported_summary, "last_verified_at": award.last_verified_at.isoformat() if award.last_verified_at else None,
         "last_verification": award.last_verification}, ensure_ascii=False, indent=2))]
    if award.original_document:
        files.append((f"original.{EXTENSIONS.get(award.original_format, 'txt')}", award.original_document))
    if award.imported_image_id is not None:
        image = db.session.get(StoredFile, award.imported_image_id)
        files.append(("image." + ("svg" if "svg" in image.content_type else "png"), image.data))
    return files


def _awards(profile: Profile) -> list[Award]:
    query = select(Award).where(Award.profile_id == profile.id).order_by(Award.position, Award.id)
    return list(db.session.scalars(query))


def _account(profile: Profile) -> dict | None:
    user = profile.user
    if user is None:
        return None
    identities = [{"provider": i.provider, "email": i.email} for i in user.identities]
    return {"display_name": user.display_name, "email": user.email, "identities": identities}


def _message(message) -> dict:
    return {
        "from": message.sender_name,
        # The sender's address is the entrepreneur's to know only once they replied.
        "email": message.sender_email if message.replied_at else None,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }


def _evidence(evidence) -> dict:
    return {"name": evidence.name, "narrative": evidence.narrative, "url": evidence.url,
            "file": evidence.file.filename if evidence.file else None}


def _folder(award: Award) -> str:
    name = award.badge_class.name_fr if award.badge_class else (award.imported_summary or {}).get("name") or "badge"
    return f"{_safe(name)[:50]}-{award.uuid[:8]}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "fichier"

"""Open Badges 3.0 (W3C VC 2.0) document builders returning plain dicts (no Flask).

Shapes follow the 1EdTech JSON Schemas: every class ``type`` is an array,
except ``Image``, ``IdentityObject`` and credential status entries, which the
schemas require as plain strings. Empty values are omitted.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from directory.openbadges._util import as_list
from directory.openbadges._util import compact
from directory.openbadges._util import iso_datetime
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.loader import OB3_CONTEXT
from directory.openbadges.loader import OB3_EXTENSIONS_CONTEXT
from directory.openbadges.loader import VC2_CONTEXT

OPEN_BADGE_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
ENDORSEMENT_TYPES = ["VerifiableCredential", "EndorsementCredential"]
# 16 KiB of bits: the Bitstring Status List minimum, for herd privacy.
STATUS_LIST_MIN_LENGTH = 131072
_ALIGNMENT_KEYS = (
    "targetName",
    "targetUrl",
    "targetDescription",
    "targetFramework",
    "targetCode",
    "targetType",
)


def _uses_1edtech_type(value: Any) -> bool:
    """Tell whether any nested ``type`` is a 1EdTech extension type."""
    if isinstance(value, dict):
        types = as_list(value.get("type"))
        if any(isinstance(t, str) and t.startswith("1EdTech") for t in types):
            return True
        return any(_uses_1edtech_type(v) for k, v in value.items() if k != "type")
    if isinstance(value, list):
        return any(_uses_1edtech_type(v) for v in value)
    return False


def contexts_for(document: dict[str, Any]) -> list[str]:
    """Return the ordered ``@context``, adding extensions.json only when a 1EdTech type is used."""
    # Without extensions.json those types are undefined terms and Data Integrity signing fails.
    extra = [OB3_EXTENSIONS_CONTEXT] if _uses_1edtech_type(document) else []
    return [VC2_CONTEXT, OB3_CONTEXT, *extra]


def _credential(types: list[str], id: str, **fields: Any) -> dict[str, Any]:
    """Assemble a credential: body first, then the context it needs in front."""
    body = compact({"id": id, "type": types, **fields})
    return {"@context": contexts_for(body), **body}


def image_object(
    image: str | dict[str, Any] | None, caption: str | None = None
) -> dict[str, Any] | None:
    """Return an OB 3.0 ``Image`` object (a bare URL string is not allowed in 3.0)."""
    if image is None or isinstance(image, dict):
        return image
    return compact({"id": image, "type": "Image", "caption": caption})


def profile(
    id: str,
    name: str,
    url: str | None = None,
    email: str | None = None,
    description: str | None = None,
    image: str | dict[str, Any] | None = None,
    endorsements: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Build an embeddable ``Profile`` (issuer, endorser or creator); no ``@context``."""
    return compact(
        {
            "id": id,
            "type": ["Profile"],
            "name": name,
            "url": url,
            "email": email,
            "description": description,
            "image": image_object(image, caption=name),
            "endorsement": list(endorsements),
        }
    )


def profile_document(profile_: dict[str, Any]) -> dict[str, Any]:
    """Return ``profile_`` with the OB 3.0 ``@context`` added, for publishing at its id."""
    return {"@context": contexts_for(profile_), **profile_}


def alignment(item: dict[str, Any]) -> dict[str, Any]:
    """Return an OB 3.0 ``Alignment``; accepts the OB 2.0 AlignmentObject keys too."""
    missing = [k for k in ("targetName", "targetUrl") if not item.get(k)]
    if missing:
        raise ValueError(f"alignment lacks {', '.join(missing)}")
    return compact({"type": ["Alignment"], **{k: item.get(k) for k in _ALIGNMENT_KEYS}})


def achievement(
    id: str,
    name: str,
    description: str,
    criteria_narrative: str | None,
    criteria_id: str | None = None,
    image: str | dict[str, Any] | None = None,
    alignments: Iterable[dict[str, Any]] = (),
    tags: Iterable[str] = (),
    creator: dict[str, Any] | None = None,
    endorsements: Iterable[dict[str, Any]] = (),
    achievement_type: str | None = "Badge",
) -> dict[str, Any]:
    """Build an ``Achievement`` (the OB 3.0 BadgeClass)."""
    if not criteria_narrative and not criteria_id:
        raise ValueError("criteria needs a narrative or an id (URL)")
    return compact(
        {
            "id": id,
            "type": ["Achievement"],
            "achievementType": achievement_type,
            "name": name,
            "description": description,
            "criteria": compact({"id": criteria_id, "narrative": criteria_narrative}),
            "image": image_object(image, caption=name),
            "alignment": [alignment(a) for a in alignments],
            "tag": list(tags),
            "creator": creator,
            "endorsement": list(endorsements),
        }
    )


def email_identifier(recipient_hash: str, salt: str) -> dict[str, Any]:
    """Return the hashed-email ``IdentityObject`` of an AchievementSubject."""
    return {
        "type": "IdentityObject",
        "identityHash": recipient_hash,
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def evidence_object(item: str | dict[str, Any]) -> dict[str, Any]:
    """Return an ``Evidence`` object from a URL or a partial dict."""
    if isinstance(item, str):
        return {"id": item, "type": ["Evidence"]}
    return {**item, "type": as_list(item.get("type")) or ["Evidence"]}


def open_badge_credential(
    id: str,
    issuer_profile: dict[str, Any],
    achievement: dict[str, Any],
    recipient_hash: str,
    salt: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    name: str | None = None,
    evidence: Iterable[str | dict[str, Any]] = (),
    status: dict[str, Any] | None = None,
    subject_id: str | None = None,
) -> dict[str, Any]:
    """Build an unsigned ``OpenBadgeCredential`` awarded to a hashed email (and optional id)."""
    subject = compact(
        {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": [email_identifier(recipient_hash, salt)],
            "achievement": achievement,
        }
    )
    return _credential(
        OPEN_BADGE_TYPES,
        id,
        name=name or achievement["name"],
        issuer=issuer_profile,
        validFrom=iso_datetime(valid_from),
        validUntil=iso_datetime(valid_until) if valid_until else None,
        credentialSubject=subject,
        evidence=[evidence_object(e) for e in evidence],
        credentialStatus=status,
    )


def endorsement_credential(
    id: str,
    issuer_profile: dict[str, Any],
    subject_id: str,
    comment: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    *,
    name: str,
    status: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build an unsigned ``EndorsementCredential`` of ``subject_id`` by ``issuer_profile``."""
    subject = {
        "id": subject_id,
        "type": ["EndorsementSubject"],
        "endorsementComment": comment,
    }
    return _credential(
        ENDORSEMENT_TYPES,
        id,
        name=name,
        issuer=issuer_profile,
        validFrom=iso_datetime(valid_from),
        validUntil=iso_datetime(valid_until) if valid_until else None,
        credentialSubject=subject,
        credentialStatus=status,
    )


def bitstring_status_list_entry(
    list_url: str, index: int, purpose: str = "revocation"
) -> dict[str, Any]:
    """Return a ``BitstringStatusListEntry`` pointing at bit ``index`` of ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        # The spec types the index as a string holding a base-10 integer.
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def encode_status_list(
    revoked_indices: Iterable[int], length: int = STATUS_LIST_MIN_LENGTH
) -> str:
    """Return the multibase base64url (``u``…) GZIP of a bitstring with ``revoked_indices`` set."""
    bits = bytearray((length + 7) // 8)
    for index in revoked_indices:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} outside list of {length} bits")
        # Index 0 is the left-most (most significant) bit of the first byte.
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(
        bytes(bits), mtime=0
    )  # mtime=0 keeps the output reproducible
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """Decode an ``encodedList`` back into the raw bitstring bytes."""
    # A GZIP stream in base64 always starts "H4sI"; a leading 'u' is the multibase
    # prefix, and its absence means an old StatusList2021 list.
    body = encoded[1:] if encoded.startswith("u") else encoded
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return gzip.decompress(packed)
    except (ValueError, OSError, EOFError) as exc:
        raise OpenBadgesError("encodedList is not multibase base64url GZIP") from exc


def is_index_set(bits: bytes, index: int) -> bool:
    """Tell whether bit ``index`` (left-most first) is set in ``bits``."""
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} outside list of {len(bits) * 8} bits")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def bitstring_status_list_credential(
    id: str,
    issuer_profile: dict[str, Any] | str,
    revoked_indices: Iterable[int],
    length: int = STATUS_LIST_MIN_LENGTH,
    *,
    valid_from: datetime,
    purpose: str = "revocation",
) -> dict[str, Any]:
    """Build an unsigned ``BitstringStatusListCredential`` (sign it with proofs.sign_data_integrity)."""
    # Only the issuer id: the VC 2.0 context alone defines every term used here,
    # and an embedded OB Profile would need the OB context too.
    issuer_id = (
        issuer_profile["id"] if isinstance(issuer_profile, dict) else issuer_profile
    )
    subject = {
        "id": f"{id}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode_status_list(revoked_indices, length),
    }
    return {
        "@context": [VC2_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso_datetime(valid_from),
        "credentialSubject": subject,
    }

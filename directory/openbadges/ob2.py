"""Open Badges 2.0 document builders returning plain dicts (no Flask).

Every builder returns a complete JSON-LD object with ``@context`` set to
``https://w3id.org/openbadges/v2`` so it can be served as-is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from typing import Literal

from directory.openbadges._util import as_list
from directory.openbadges._util import compact
from directory.openbadges._util import iso_datetime
from directory.openbadges.loader import OB2_CONTEXT

_ALIGNMENT_KEYS = (
    "targetName",
    "targetUrl",
    "targetDescription",
    "targetFramework",
    "targetCode",
)


def _document(type_: str, id: str, **fields: Any) -> dict[str, Any]:
    """Start an OB 2.0 object with context, type and id, dropping empty fields."""
    return compact({"@context": OB2_CONTEXT, "type": type_, "id": id, **fields})


def issuer_profile(
    id: str,
    name: str,
    url: str,
    email: str,
    description: str | None = None,
    image: str | None = None,
    public_keys: Iterable[str] = (),
    revocation_list: str | None = None,
    endorsements: Iterable[str | dict[str, Any]] = (),
    verification: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build an issuer ``Profile`` (name, url and email are required for issuers)."""
    return _document(
        "Issuer",
        id,
        name=name,
        url=url,
        email=email,
        description=description,
        image=image,
        publicKey=as_list(public_keys),
        revocationList=revocation_list,
        endorsement=as_list(endorsements),
        verification=verification,
    )


def alignment(item: dict[str, Any]) -> dict[str, Any]:
    """Return an AlignmentObject with only the OB 2.0 keys; targetName and targetUrl required."""
    missing = [k for k in ("targetName", "targetUrl") if not item.get(k)]
    if missing:
        raise ValueError(f"alignment lacks {', '.join(missing)}")
    return compact({k: item.get(k) for k in _ALIGNMENT_KEYS})


def criteria(url: str | None, narrative: str | None) -> dict[str, Any]:
    """Return a Criteria object from a page URL and/or a Markdown narrative."""
    if not url and not narrative:
        raise ValueError("criteria needs a URL or a narrative")
    return compact({"id": url, "narrative": narrative})


def badge_class(
    id: str,
    name: str,
    description: str,
    image: str,
    criteria_url: str | None = None,
    criteria_narrative: str | None = None,
    *,
    issuer_id: str,
    tags: Iterable[str] = (),
    alignments: Iterable[dict[str, Any]] = (),
    endorsements: Iterable[str | dict[str, Any]] = (),
) -> dict[str, Any]:
    """Build a ``BadgeClass``; ``image`` is a URL or data URI (PNG or SVG)."""
    return _document(
        "BadgeClass",
        id,
        name=name,
        description=description,
        image=image,
        criteria=criteria(criteria_url, criteria_narrative),
        issuer=issuer_id,
        tags=list(tags),
        alignment=[alignment(a) for a in alignments],
        endorsement=as_list(endorsements),
    )


def email_recipient(recipient_hash: str, salt: str) -> dict[str, Any]:
    """Return the hashed-email IdentityObject of an Assertion."""
    return {"type": "email", "hashed": True, "salt": salt, "identity": recipient_hash}


def _verification(verification_type: str, creator: str | None) -> dict[str, Any]:
    """Return the VerificationObject for a hosted or signed Assertion."""
    if verification_type == "hosted":
        return {"type": "HostedBadge"}
    if verification_type == "signed":
        if not creator:
            raise ValueError("a signed assertion needs creator (the key URL)")
        return {"type": "SignedBadge", "creator": creator}
    raise ValueError(
        f"verification_type must be 'hosted' or 'signed', not {verification_type!r}"
    )


def assertion(
    id: str,
    badge_id: str,
    recipient_hash: str,
    salt: str,
    issued_on: datetime,
    verification_type: Literal["hosted", "signed"] = "hosted",
    creator: str | None = None,
    expires: datetime | None = None,
    evidence: Iterable[str | dict[str, Any]] = (),
    narrative: str | None = None,
    image: str | None = None,
) -> dict[str, Any]:
    """Build an ``Assertion`` for a hashed email recipient."""
    return _document(
        "Assertion",
        id,
        recipient=email_recipient(recipient_hash, salt),
        badge=badge_id,
        verification=_verification(verification_type, creator),
        issuedOn=iso_datetime(issued_on),
        expires=iso_datetime(expires) if expires else None,
        evidence=as_list(evidence),
        narrative=narrative,
        image=image,
    )


def revoked_assertion(id: str, reason: str | None) -> dict[str, Any]:
    """Build the minimal body served for a revoked hosted Assertion (with HTTP 410)."""
    return _document("Assertion", id, revoked=True, revocationReason=reason)


def endorsement(
    id: str,
    claim_id: str,
    comment: str,
    issuer_id: str,
    issued_on: datetime,
) -> dict[str, Any]:
    """Build a hosted ``Endorsement`` of ``claim_id`` (Profile, BadgeClass or Assertion)."""
    return _document(
        "Endorsement",
        id,
        claim={"id": claim_id, "endorsementComment": comment},
        issuer=issuer_id,
        issuedOn=iso_datetime(issued_on),
        verification={"type": "HostedBadge"},
    )


def revocation_list(
    id: str,
    issuer_id: str,
    revoked: Iterable[tuple[str, str | None]],
) -> dict[str, Any]:
    """Build a ``RevocationList`` from ``(assertion_id, reason)`` pairs."""
    entries = [
        compact({"id": aid, "revocationReason": reason}) for aid, reason in revoked
    ]
    # revokedAssertions is required even when empty, so do not let compact() drop it.
    return {
        **_document("RevocationList", id, issuer=issuer_id),
        "revokedAssertions": entries,
    }

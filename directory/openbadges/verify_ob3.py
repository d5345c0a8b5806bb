"""Open Badges 3.0 verification (W3C VC 2.0 and VC 1.1 era), in the order of OB 3.0 §verification (no Flask).

Schema and subject, proof (Data Integrity or VC-JWT), issuer, status
(Bitstring Status List or 1EdTechRevocationList), validity dates, recipient.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from directory.openbadges._util import as_list
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.jose import unverified_jws_parts
from directory.openbadges.loader import VC1_CONTEXT
from directory.openbadges.loader import VC2_CONTEXT
from directory.openbadges.ob3 import decode_status_list
from directory.openbadges.ob3 import is_index_set
from directory.openbadges.schemas import validate_achievement_credential
from directory.openbadges.verify_common import Check
from directory.openbadges.verify_common import FetchFailed
from directory.openbadges.verify_common import Rejected
from directory.openbadges.verify_common import Result
from directory.openbadges.verify_common import Session
from directory.openbadges.verify_common import alignments_of
from directory.openbadges.verify_common import contexts_check
from directory.openbadges.verify_common import criteria_of
from directory.openbadges.verify_common import dates_check
from directory.openbadges.verify_common import failed
from directory.openbadges.verify_common import identity_check
from directory.openbadges.verify_common import image_of
from directory.openbadges.verify_common import is_http_url
from directory.openbadges.verify_common import missing_fields
from directory.openbadges.verify_common import no_email_check
from directory.openbadges.verify_common import node_id
from directory.openbadges.verify_common import passed
from directory.openbadges.verify_common import revoked_check
from directory.openbadges.verify_common import skipped
from directory.openbadges.verify_common import summary
from directory.openbadges.verify_common import text_of
from directory.openbadges.verify_common import types_of
from directory.openbadges.verify_common import warned
from directory.openbadges.verify_ob3_keys import data_integrity_check
from directory.openbadges.verify_ob3_keys import issuer_id_of
from directory.openbadges.verify_ob3_keys import jwt_signature_check
from directory.openbadges.verify_ob3_keys import verified_status_list

BADGE_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
ACHIEVEMENT_FIELDS = ("id", "type", "name", "description", "criteria")
VC1_FIELDS = ("issuer", "issuanceDate", "credentialSubject")
BITSTRING_TYPES = {"BitstringStatusListEntry", "StatusList2021Entry"}
SHOWN_SCHEMA_ERRORS = 3


def is_vc(document: dict[str, Any]) -> bool:
    """Tell whether a JSON object is a W3C Verifiable Credential (OB 3.0 is one)."""
    contexts = as_list(document.get("@context"))
    return (
        "VerifiableCredential" in types_of(document)
        or VC2_CONTEXT in contexts
        or VC1_CONTEXT in contexts
    )


def verify_ob3(session: Session, credential: dict[str, Any], token: str | None = None) -> Result:
    """Verify an OB 3.0 credential: with its embedded proof, or as the VC-JWT ``token``."""
    result = Result("3.0", "vc-jwt" if token else "data-integrity", document=credential)
    signature = (
        jwt_signature_check(session, token) if token else data_integrity_check(session, credential)
    )
    issuer, issuer_check = _issuer(session, credential)
    result.checks += [
        contexts_check(credential),
        _structure_check(credential),
        signature,
        issuer_check,
    ]
    result.checks.append(_status_check(session, credential))
    result.checks.append(dates_check(_issued(credential), _expires(credential, token), session.now))
    if session.recipient_email:
        result.checks.append(_recipient_check(session.recipient_email, credential))
    result.badge = _summary(credential, issuer)
    return result


# ------------------------------------------------------------------ structure


def _structure_check(credential: dict[str, Any]) -> Check:
    """The credential is an Open Badge with every required field (1EdTech schema for VC 2.0)."""
    if not BADGE_TYPES & set(types_of(credential)):
        return failed(
            "structure",
            "Ce document n'est pas un badge (OpenBadgeCredential).",
            "This document is not a badge (OpenBadgeCredential).",
        )
    problems = _schema_problems(credential) + _subject_problems(credential)
    if problems:
        shown = " ; ".join(problems[:SHOWN_SCHEMA_ERRORS])
        return failed(
            "structure",
            f"Le badge ne respecte pas le format Open Badges 3.0 ({len(problems)} "
            f"problème(s), par exemple : {shown}).",
            f"The badge does not follow the Open Badges 3.0 format ({len(problems)} "
            f"problem(s), for example: {shown}).",
        )
    return passed(
        "structure",
        "Le badge respecte le format Open Badges 3.0.",
        "The badge follows the Open Badges 3.0 format.",
    )


def _schema_problems(credential: dict[str, Any]) -> list[str]:
    """1EdTech JSON Schema errors for VC 2.0 credentials; required fields for VC 1.1 ones."""
    if as_list(credential.get("@context"))[:1] != [VC2_CONTEXT]:
        return [f"{name} ?" for name in missing_fields(credential, VC1_FIELDS)]
    # A single proof object is legal JSON-LD (compacted form) and does not touch the signature.
    proofs = credential.get("proof")
    normalised = {**credential, "proof": as_list(proofs)} if proofs is not None else credential
    return validate_achievement_credential(normalised)


def _subject_problems(credential: dict[str, Any]) -> list[str]:
    """OB 3.0 rules the schema leaves out: an achievement, and a subject id or identifier."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return ["credentialSubject ?"]
    achievement = subject.get("achievement")
    missing = (
        missing_fields(achievement, ACHIEVEMENT_FIELDS)
        if isinstance(achievement, dict)
        else ["achievement"]
    )
    if not subject.get("id") and not subject.get("identifier"):
        missing.append("credentialSubject.id / identifier")
    return [f"{name} ?" for name in missing]


# ------------------------------------------------------------------ issuer


def _issuer(session: Session, credential: dict[str, Any]) -> tuple[dict[str, Any], Check]:
    """The issuer Profile (fetched from its id when that is a web address) and its check."""
    issuer = credential.get("issuer")
    embedded = issuer if isinstance(issuer, dict) else {}
    issuer_id = node_id(issuer)
    if not issuer_id:
        return embedded, failed(
            "issuer", "Le badge n'indique pas son émetteur.", "The badge does not name its issuer."
        )
    if is_http_url(issuer_id):
        return _published_issuer(session, issuer_id, embedded)
    name = text_of(embedded.get("name")) or issuer_id
    if issuer_id.startswith("did:"):
        return embedded, passed(
            "issuer",
            f"L'émetteur, « {name} », est identifié par sa clé de signature.",
            f"The issuer, “{name}”, is identified by its signing key.",
        )
    return embedded, warned(
        "issuer",
        "L'émetteur est identifié d'une façon que nous ne savons pas vérifier.",
        "The issuer is identified in a way we cannot check.",
    )


def _published_issuer(
    session: Session, issuer_id: str, embedded: dict[str, Any]
) -> tuple[dict[str, Any], Check]:
    """Read the issuer's Profile at its id and check it is the same issuer."""
    try:
        profile = session.get_json(issuer_id)
    except FetchFailed as error:
        check = warned if embedded.get("name") else failed
        return embedded, check(
            "issuer",
            f"Le profil de l'émetteur n'a pas pu être consulté : {error.message_fr}",
            f"The issuer's profile could not be read: {error.message_en}",
        )
    if node_id(profile) != issuer_id:
        return embedded, failed(
            "issuer",
            "Le profil publié à l'adresse de l'émetteur est celui de quelqu'un d'autre.",
            "The profile published at the issuer's address belongs to someone else.",
        )
    name = text_of(profile.get("name")) or text_of(embedded.get("name")) or issuer_id
    return {**embedded, **profile}, passed(
        "issuer",
        f"L'émetteur, « {name} », publie son profil à l'adresse {issuer_id}.",
        f"The issuer, “{name}”, publishes its profile at {issuer_id}.",
    )


# ------------------------------------------------------------------ status


def _status_check(session: Session, credential: dict[str, Any]) -> Check:
    """Revocation and suspension, from every credentialStatus entry (the worst one wins)."""
    entries = [e for e in as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
    if not entries:
        return skipped(
            "revocation",
            "L'émetteur ne publie pas d'état de révocation pour ce badge.",
            "The issuer publishes no revocation status for this badge.",
        )
    checks = [_entry_check(session, credential, entry) for entry in entries]
    for outcome in ("fail", "warning", "pass"):
        worst = [c for c in checks if c.outcome == outcome]
        if worst:
            return worst[0]
    return checks[0]


def _entry_check(session: Session, credential: dict[str, Any], entry: dict[str, Any]) -> Check:
    """Check one status entry by its type."""
    kinds = set(types_of(entry))
    try:
        if kinds & BITSTRING_TYPES:
            return _bitstring_check(session, credential, entry)
        if "1EdTechRevocationList" in kinds:
            return _revocation_list_check(session, credential, entry)
    except Rejected as problem:
        return problem.check("revocation")
    return warned(
        "revocation",
        "Le type d'état de révocation de ce badge n'est pas pris en charge : "
        "impossible de savoir s'il a été révoqué.",
        "This badge's kind of revocation status is not supported: "
        "whether it was revoked cannot be told.",
    )


def _bitstring_check(session: Session, credential: dict[str, Any], entry: dict[str, Any]) -> Check:
    """Read the entry's bit in the issuer's signed Bitstring Status List."""
    purpose = entry.get("statusPurpose", "revocation")
    if purpose not in ("revocation", "suspension"):
        return skipped(
            "revocation",
            "L'état publié pour ce badge ne concerne pas sa révocation.",
            "The status published for this badge is not about revocation.",
        )
    status_list = verified_status_list(
        session, str(entry.get("statusListCredential")), issuer_id_of(credential)
    )
    if _bit_is_set(status_list, entry):
        return revoked_check(suspended=purpose == "suspension")
    return passed(
        "revocation",
        "Ce badge n'a pas été révoqué : la liste signée par l'émetteur le confirme.",
        "This badge has not been revoked: the list signed by its issuer confirms it.",
    )


def _bit_is_set(status_list: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Decode the list and read the entry's bit; Rejected if either is malformed."""
    subject = status_list.get("credentialSubject")
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    try:
        return is_index_set(decode_status_list(str(encoded)), int(entry.get("statusListIndex")))
    except (OpenBadgesError, ValueError, TypeError, IndexError) as exc:
        raise Rejected(
            "L'état de révocation de ce badge est illisible.",
            "This badge's revocation status is unreadable.",
        ) from exc


def _revocation_list_check(
    session: Session, credential: dict[str, Any], entry: dict[str, Any]
) -> Check:
    """Look the credential up in a 1EdTechRevocationList (items under ``revokedCredential``)."""
    try:
        listing = session.get_json(str(entry.get("id")))
    except FetchFailed as error:
        return warned(
            "revocation",
            f"La liste des badges révoqués n'a pas pu être consultée : {error.message_fr}",
            f"The list of revoked badges could not be read: {error.message_en}",
        )
    for item in as_list(listing.get("revokedCredential")):
        if node_id(item) == credential.get("id") and not (
            isinstance(item, dict) and item.get("revoked") is False
        ):
            return revoked_check(item.get("revocationReason") if isinstance(item, dict) else None)
    return passed(
        "revocation",
        "Ce badge ne figure pas dans la liste des badges révoqués par son émetteur.",
        "This badge is not in its issuer's list of revoked badges.",
    )


# ------------------------------------------------------------------ dates, recipient, summary


def _issued(credential: dict[str, Any]) -> Any:
    """The start of validity: ``validFrom`` (VC 2.0) or ``issuanceDate`` (VC 1.1)."""
    return credential.get("validFrom") or credential.get("issuanceDate")


def _expires(credential: dict[str, Any], token: str | None) -> Any:
    """The end of validity: ``validUntil``, ``expirationDate``, or the JWT ``exp`` claim."""
    found = credential.get("validUntil") or credential.get("expirationDate")
    if found or not token:
        return found
    exp = unverified_jws_parts(token)[1].get("exp")
    return datetime.fromtimestamp(exp, UTC).isoformat() if isinstance(exp, int | float) else None


def _recipient_check(email: str, credential: dict[str, Any]) -> Check:
    """Compare the e-mail with the subject's e-mail identifiers (hashed or not) or a mailto: id."""
    subject = (
        credential.get("credentialSubject")
        if isinstance(credential.get("credentialSubject"), dict)
        else {}
    )
    checks = [
        identity_check(
            email, item["identityHash"], item.get("hashed") in (True, "true"), item.get("salt")
        )
        for item in as_list(subject.get("identifier"))
        if isinstance(item, dict)
        and item.get("identityType") == "emailAddress"
        and isinstance(item.get("identityHash"), str)
    ]
    if isinstance(subject.get("id"), str) and subject["id"].startswith("mailto:"):
        checks.append(identity_check(email, subject["id"], False, None))
    if not checks:
        return no_email_check()
    return next((c for c in checks if c.outcome == "pass"), checks[0])


def _summary(credential: dict[str, Any], issuer: dict[str, Any]) -> dict[str, Any]:
    """The badge summary from the credential, its achievement and its issuer."""
    subject = (
        credential.get("credentialSubject")
        if isinstance(credential.get("credentialSubject"), dict)
        else {}
    )
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    return summary(
        name=text_of(achievement.get("name")) or text_of(credential.get("name")),
        description=text_of(achievement.get("description"))
        or text_of(credential.get("description")),
        image=image_of(credential.get("image")) or image_of(achievement.get("image")),
        issuer={
            "id": issuer_id_of(credential),
            "name": text_of(issuer.get("name")),
            "url": node_id(issuer.get("url")),
        },
        issued=_issued(credential),
        expires=credential.get("validUntil") or credential.get("expirationDate"),
        criteria=criteria_of(achievement.get("criteria")),
        alignments=alignments_of(achievement.get("alignment")),
        recipient=_recipient_summary(subject),
    )


def _recipient_summary(subject: dict[str, Any]) -> dict[str, Any] | None:
    """The recipient as shown: the first identifier (often a hash), else the subject id."""
    for item in as_list(subject.get("identifier")):
        if isinstance(item, dict):
            return {
                "type": item.get("identityType"),
                "hashed": item.get("hashed") in (True, "true"),
                "identity": item.get("identityHash"),
            }
    if isinstance(subject.get("id"), str):
        return {"type": "id", "hashed": False, "identity": subject["id"]}
    return None

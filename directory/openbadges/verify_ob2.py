"""Open Badges 2.0 verification: hosted assertions and signed (JWS) assertions (no Flask).

Follows OB 2.0 §1.3 and §1.4 of shared/spec/OB-NOTES.md: a hosted assertion
is trusted only as fetched from its ``id`` on the issuer's origin; a signed one
only with a key that the issuer's Profile lists and that names the issuer as
its ``owner``.
"""

from __future__ import annotations

from typing import Any

from directory.openbadges._util import as_list
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.jose import verify_jws
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
from directory.openbadges.verify_common import fetch_failed_check
from directory.openbadges.verify_common import identity_check
from directory.openbadges.verify_common import image_of
from directory.openbadges.verify_common import is_http_url
from directory.openbadges.verify_common import missing_fields
from directory.openbadges.verify_common import no_email_check
from directory.openbadges.verify_common import node_id
from directory.openbadges.verify_common import passed
from directory.openbadges.verify_common import revoked_check
from directory.openbadges.verify_common import same_origin
from directory.openbadges.verify_common import skipped
from directory.openbadges.verify_common import split_http_url
from directory.openbadges.verify_common import summary
from directory.openbadges.verify_common import text_of
from directory.openbadges.verify_common import types_of
from directory.openbadges.verify_common import warned

ASSERTION_FIELDS = ("id", "type", "recipient", "badge", "verification", "issuedOn")
BADGE_CLASS_FIELDS = ("id", "type", "name", "description", "image", "criteria", "issuer")
ISSUER_FIELDS = ("id", "type", "name", "url", "email")
# What a baked or pasted copy must share with the published assertion.
COMPARED_FIELDS = ("id", "recipient", "badge", "issuedOn", "expires", "verification")


def is_ob2_assertion(document: dict[str, Any]) -> bool:
    """Tell whether a JSON object looks like an OB 2.0 Assertion."""
    return "Assertion" in types_of(document) or ("badge" in document and "recipient" in document)


def verify_ob2(session: Session, document: dict[str, Any], compact: str | None = None) -> Result:
    """Verify an OB 2.0 assertion: signed when ``compact`` (its JWS) is given, else hosted."""
    if compact is not None:
        return verify_signed(session, document, compact)
    if _verification_type(document) == "signed":
        result = Result("2.0", "signed", document=document)
        result.checks.append(
            failed(
                "signature",
                "Ce badge est signé, mais sa signature n'a pas été fournie : vérifiez plutôt "
                "l'image du badge ou le jeton signé (JWS).",
                "This badge is signed, but its signature was not provided: verify the badge "
                "image or the signed token (JWS) instead.",
            )
        )
        return result
    return verify_hosted(session, document)


def _verification_type(document: dict[str, Any]) -> str:
    """``"signed"`` or ``"hosted"`` from the assertion's VerificationObject."""
    verification = document.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else verification
    return "signed" if isinstance(kind, str) and kind.lower().startswith("signed") else "hosted"


# ------------------------------------------------------------------ hosted


def verify_hosted(session: Session, copy: dict[str, Any]) -> Result:
    """Fetch the assertion at its id, then check it and its badge class and issuer."""
    result = Result("2.0", "hosted", document=copy)
    try:
        published = _published(session, copy)
    except Rejected as problem:
        result.checks.append(problem.check("hosted"))
        return result
    except FetchFailed as error:
        result.checks.append(_hosted_fetch_failed(error))
        return result
    result.document = published
    if published.get("revoked") in (True, "true"):
        result.checks.append(revoked_check(published.get("revocationReason")))
        return result
    badge_class, issuer = _linked(session, result, published)
    result.checks.append(_hosted_check(copy, published, issuer))
    result.checks.append(
        passed(
            "revocation",
            "Ce badge n'a pas été révoqué : son émetteur le publie toujours.",
            "This badge has not been revoked: its issuer still publishes it.",
        )
    )
    return _finish(session, result, badge_class, issuer)


def _published(session: Session, copy: dict[str, Any]) -> dict[str, Any]:
    """The assertion as its issuer publishes it at its id."""
    url = copy.get("id")
    if not is_http_url(url):
        raise Rejected(
            "L'adresse de publication du badge (son identifiant) n'est pas une adresse web.",
            "The badge's publication address (its id) is not a web address.",
        )
    return session.get_json(url)


def _hosted_fetch_failed(error: FetchFailed) -> Check:
    """A 410 Gone means revoked (OB 2.0 §1.3); any other failure means unverifiable."""
    if error.status == 410:
        return revoked_check()
    return fetch_failed_check(
        "hosted", "Le badge publié par l'émetteur", "The badge published by the issuer", error
    )


def _hosted_check(
    copy: dict[str, Any], published: dict[str, Any], issuer: dict[str, Any] | None
) -> Check:
    """The copy matches the published assertion, which lives on the issuer's origin."""
    if any(copy.get(name) != published.get(name) for name in COMPARED_FIELDS):
        return failed(
            "hosted",
            "Le badge fourni ne correspond pas à celui que publie l'émetteur : il a été modifié.",
            "The badge provided differs from the one its issuer publishes: it has been altered.",
        )
    if issuer is None:
        return failed(
            "hosted",
            "Sans le profil de l'émetteur, l'origine du badge ne peut pas être confirmée.",
            "Without the issuer's profile, the badge's origin cannot be confirmed.",
        )
    if not _in_scope(str(published.get("id")), issuer):
        return failed(
            "hosted",
            "Le badge n'est pas publié sur le site de son émetteur.",
            "The badge is not published on its issuer's website.",
        )
    host = getattr(split_http_url(published.get("id")), "hostname", "")
    return passed(
        "hosted",
        f"Le badge est publié par son émetteur sur son site ({host}).",
        f"The badge is published by its issuer on its website ({host}).",
    )


def _in_scope(assertion_id: str, issuer: dict[str, Any]) -> bool:
    """Same origin as the issuer, unless the issuer lists allowedOrigins or startsWith."""
    verification = (
        issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    )
    allowed = [o for o in as_list(verification.get("allowedOrigins")) if isinstance(o, str)]
    prefixes = [p for p in as_list(verification.get("startsWith")) if isinstance(p, str)]
    if allowed or prefixes:
        parts = split_http_url(assertion_id)
        return parts is not None and (
            parts.netloc in allowed
            or parts.hostname in allowed
            or any(assertion_id.startswith(p) for p in prefixes)
        )
    issuer_id = node_id(issuer)
    return same_origin(assertion_id, issuer_id)


# ------------------------------------------------------------------ signed


def verify_signed(session: Session, payload: dict[str, Any], compact: str) -> Result:
    """Check the JWS with the issuer's published key, then the issuer's revocation list."""
    result = Result("2.0", "signed", document=payload)
    badge_class, issuer = _linked(session, result, payload)
    signature = _signature_check(session, compact, payload, issuer)
    result.checks.append(signature)
    if signature.outcome == "pass" and issuer is not None:
        result.checks.append(_revocation_list_check(session, payload, issuer))
    return _finish(session, result, badge_class, issuer)


def _signature_check(
    session: Session, compact: str, payload: dict[str, Any], issuer: dict[str, Any] | None
) -> Check:
    """Verify the JWS against the keys the issuer vouches for."""
    if issuer is None:
        return failed(
            "signature",
            "La signature n'a pas pu être vérifiée : le profil de l'émetteur est inaccessible.",
            "The signature could not be checked: the issuer's profile is unavailable.",
        )
    try:
        keys = _issuer_keys(session, payload, issuer)
    except Rejected as problem:
        return problem.check("signature")
    if any(_jws_verifies(compact, key) for key in keys):
        return passed(
            "signature",
            "La signature correspond à la clé publiée par l'émetteur.",
            "The signature matches the key published by the issuer.",
        )
    return failed(
        "signature",
        "La signature ne correspond pas : le badge a été modifié après sa signature, "
        "ou il a été signé avec une autre clé que celle de l'émetteur.",
        "The signature does not match: the badge was altered after signing, "
        "or it was signed with a key other than the issuer's.",
    )


def _jws_verifies(compact: str, pem: str) -> bool:
    """Tell whether the JWS verifies with this PEM public key."""
    try:
        verify_jws(compact, pem)
    except OpenBadgesError:
        return False
    return True


def _issuer_keys(session: Session, payload: dict[str, Any], issuer: dict[str, Any]) -> list[str]:
    """The PEM keys that may have signed: the creator, which the issuer must list, else all it lists."""
    listed = {node_id(k): k for k in as_list(issuer.get("publicKey")) if node_id(k)}
    verification = (
        payload.get("verification") if isinstance(payload.get("verification"), dict) else {}
    )
    creator = node_id(verification.get("creator"))
    if creator and creator not in listed:
        raise Rejected(
            "La clé qui a signé ce badge n'est pas déclarée par son émetteur.",
            "The key that signed this badge is not declared by its issuer.",
        )
    if not listed:
        raise Rejected(
            "L'émetteur ne publie aucune clé de signature.", "The issuer publishes no signing key."
        )
    chosen = [listed[creator]] if creator else list(listed.values())
    return [_key_pem(session, entry, node_id(issuer)) for entry in chosen]


def _key_pem(session: Session, entry: Any, issuer_id: str | None) -> str:
    """Fetch (or read, when embedded) a CryptographicKey and check it belongs to the issuer."""
    try:
        key = (
            entry
            if isinstance(entry, dict) and entry.get("publicKeyPem")
            else session.get_json(node_id(entry))
        )
    except FetchFailed as error:
        raise Rejected(
            f"La clé publique de l'émetteur n'a pas pu être récupérée : {error.message_fr}",
            f"The issuer's public key could not be fetched: {error.message_en}",
        ) from error
    if node_id(key.get("owner")) != issuer_id:
        raise Rejected(
            "La clé de signature n'appartient pas à l'émetteur du badge.",
            "The signing key does not belong to the badge's issuer.",
        )
    pem = key.get("publicKeyPem")
    if not isinstance(pem, str):
        raise Rejected(
            "La clé publique de l'émetteur est illisible.", "The issuer's public key is unreadable."
        )
    return pem


def _revocation_list_check(
    session: Session, assertion: dict[str, Any], issuer: dict[str, Any]
) -> Check:
    """Look the assertion up in the issuer's RevocationList."""
    url = node_id(issuer.get("revocationList"))
    if not url:
        return skipped(
            "revocation",
            "L'émetteur ne publie pas de liste de badges révoqués.",
            "The issuer publishes no list of revoked badges.",
        )
    try:
        revocations = session.get_json(url)
    except FetchFailed as error:
        return warned(
            "revocation",
            f"La liste des badges révoqués n'a pas pu être consultée : {error.message_fr}",
            f"The list of revoked badges could not be read: {error.message_en}",
        )
    for entry in as_list(revocations.get("revokedAssertions")):
        if _names_assertion(entry, assertion):
            return revoked_check(entry.get("revocationReason") if isinstance(entry, dict) else None)
    return passed(
        "revocation",
        "Ce badge ne figure pas dans la liste des badges révoqués par son émetteur.",
        "This badge is not in its issuer's list of revoked badges.",
    )


def _names_assertion(entry: Any, assertion: dict[str, Any]) -> bool:
    """Tell whether a revokedAssertions entry (id string or object with id/uid) is this assertion."""
    if node_id(entry) == assertion.get("id"):
        return True
    return (
        isinstance(entry, dict)
        and entry.get("uid") is not None
        and entry.get("uid") == assertion.get("uid")
    )


# ------------------------------------------------------------------ shared


def _linked(
    session: Session, result: Result, assertion: dict[str, Any]
) -> tuple[dict | None, dict | None]:
    """Load the BadgeClass and the issuer Profile, adding their checks to ``result``."""
    badge_class = _load(session, result, assertion.get("badge"), "badge_class", BADGE_CLASS_FIELDS)
    issuer = _load(session, result, (badge_class or {}).get("issuer"), "issuer", ISSUER_FIELDS)
    return badge_class, issuer


# check id -> (French noun phrase, English noun phrase)
_NAMES = {
    "badge_class": ("La description du badge (BadgeClass)", "The badge description (BadgeClass)"),
    "issuer": ("Le profil de l'émetteur", "The issuer's profile"),
}


def _load(
    session: Session, result: Result, reference: Any, check_id: str, required: tuple[str, ...]
) -> dict[str, Any] | None:
    """Fetch (or take, when embedded) a linked document and check its required fields."""
    fr, en = _NAMES[check_id]
    try:
        document = (
            reference if isinstance(reference, dict) else _fetch_linked(session, reference, fr, en)
        )
    except Rejected as problem:
        result.checks.append(problem.check(check_id))
        return None
    except FetchFailed as error:
        result.checks.append(fetch_failed_check(check_id, fr, en, error))
        return None
    result.checks.append(_fields_check(check_id, document, required, fr, en))
    return document


def _fetch_linked(session: Session, reference: Any, fr: str, en: str) -> dict[str, Any]:
    """Fetch a document named by URL."""
    if not is_http_url(reference):
        raise Rejected(
            f"{fr} est introuvable : son adresse est absente ou invalide.",
            f"{en} cannot be found: its address is missing or invalid.",
        )
    return session.get_json(reference)


def _fields_check(
    check_id: str, document: dict[str, Any], required: tuple[str, ...], fr: str, en: str
) -> Check:
    """Pass when every required field is present."""
    missing = missing_fields(document, required)
    if missing:
        names = ", ".join(missing)
        return failed(
            check_id,
            f"{fr} est incomplet : il manque {names}.",
            f"{en} is incomplete: {names} missing.",
        )
    name = text_of(document.get("name")) or ""
    return passed(check_id, f"{fr} est complet : « {name} ».", f"{en} is complete: “{name}”.")


def _finish(
    session: Session, result: Result, badge_class: dict | None, issuer: dict | None
) -> Result:
    """Add the checks every OB 2.0 assertion gets, and the summary."""
    assertion = result.document or {}
    result.checks.append(contexts_check(assertion))
    result.checks.append(_structure_check(assertion))
    result.checks.append(
        dates_check(assertion.get("issuedOn"), assertion.get("expires"), session.now)
    )
    if session.recipient_email:
        result.checks.append(_recipient_check(session.recipient_email, assertion))
    result.badge = _summary(assertion, badge_class or {}, issuer or {})
    return result


def _structure_check(assertion: dict[str, Any]) -> Check:
    """Pass when the assertion has every field OB 2.0 requires."""
    missing = missing_fields(assertion, ASSERTION_FIELDS)
    if missing:
        names = ", ".join(missing)
        return failed(
            "structure",
            f"Il manque des informations obligatoires au badge : {names}.",
            f"The badge lacks required information: {names}.",
        )
    return passed(
        "structure",
        "Le badge contient toutes les informations obligatoires (Open Badges 2.0).",
        "The badge holds every required field (Open Badges 2.0).",
    )


def _recipient_check(email: str, assertion: dict[str, Any]) -> Check:
    """Compare the e-mail with the assertion's recipient IdentityObject."""
    recipient = assertion.get("recipient") if isinstance(assertion.get("recipient"), dict) else {}
    identity = recipient.get("identity")
    if recipient.get("type", "email") != "email" or not isinstance(identity, str):
        return no_email_check()
    hashed = recipient.get("hashed") in (True, "true")
    return identity_check(email, identity, hashed, recipient.get("salt"))


def _summary(
    assertion: dict[str, Any], badge_class: dict[str, Any], issuer: dict[str, Any]
) -> dict[str, Any]:
    """The badge summary from the assertion, its class and its issuer."""
    recipient = assertion.get("recipient") if isinstance(assertion.get("recipient"), dict) else {}
    return summary(
        name=text_of(badge_class.get("name")),
        description=text_of(badge_class.get("description")),
        image=image_of(badge_class.get("image")),
        issuer={
            "id": node_id(issuer) or node_id(badge_class.get("issuer")),
            "name": text_of(issuer.get("name")),
            "url": node_id(issuer.get("url")),
        },
        issued=assertion.get("issuedOn"),
        expires=assertion.get("expires"),
        criteria=criteria_of(badge_class.get("criteria")),
        alignments=alignments_of(badge_class.get("alignment")),
        recipient={
            "type": recipient.get("type"),
            "hashed": recipient.get("hashed") in (True, "true"),
            "identity": recipient.get("identity"),
        },
    )

"""OB 3.0 signatures: find the issuer's key and check Data Integrity proofs and VC-JWTs (no Flask).

A key counts only when it is bound to the issuer (OB-NOTES §2.4, §5.10): a
``did:key`` that *is* the issuer id, a Multikey document (HTTPS or did:web)
whose ``controller`` is the issuer id, or for a JWT a key published on the
issuer's origin (``kid`` URL, ``/.well-known/jwks.json``) or naming it in ``iss``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from cryptography.hazmat.primitives.asymmetric import ed25519

from directory.openbadges._util import as_list
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.jose import unverified_jws_parts
from directory.openbadges.jose import vc_jwt_claims
from directory.openbadges.jose import verify_jws
from directory.openbadges.keys import ed25519_from_multibase
from directory.openbadges.proofs import verify_data_integrity
from directory.openbadges.verify_common import Check
from directory.openbadges.verify_common import FetchFailed
from directory.openbadges.verify_common import Rejected
from directory.openbadges.verify_common import Session
from directory.openbadges.verify_common import is_http_url
from directory.openbadges.verify_common import node_id
from directory.openbadges.verify_common import parse_json_object
from directory.openbadges.verify_common import passed
from directory.openbadges.verify_common import same_origin
from directory.openbadges.verify_common import split_http_url

JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat")

SIGNATURE_OK = passed(
    "signature",
    "La signature correspond à la clé publiée par l'émetteur : le badge n'a pas été modifié depuis.",
    "The signature matches the key published by the issuer: the badge has not been altered since.",
)


def tampered() -> Rejected:
    """The refusal for a signature that does not match the document."""
    return Rejected(
        "La signature ne correspond pas : le badge a été modifié après sa signature, "
        "ou il a été signé avec une autre clé que celle de l'émetteur.",
        "The signature does not match: the badge was altered after signing, "
        "or it was signed with a key other than the issuer's.",
    )


def issuer_id_of(document: dict[str, Any]) -> str | None:
    """The issuer id of a credential, whether ``issuer`` is a URI or a Profile."""
    return node_id(document.get("issuer"))


# ------------------------------------------------------------------ Data Integrity


def data_integrity_check(session: Session, credential: dict[str, Any]) -> Check:
    """Verify the credential's embedded proof(s) with a key bound to its issuer."""
    try:
        verify_di_document(session, credential)
    except Rejected as problem:
        return problem.check("signature")
    return SIGNATURE_OK


def verify_di_document(session: Session, document: dict[str, Any]) -> None:
    """Raise Rejected unless every supported proof of ``document`` verifies."""
    problems: list[Rejected] = []
    resolver = _key_resolver(session, issuer_id_of(document), problems)
    valid, reason = verify_data_integrity(document, resolver)
    if valid:
        return
    # The resolver's own explanation (key not found, not the issuer's…) is the clearest one.
    raise problems[0] if problems else _proof_problem(reason)


def _proof_problem(reason: str) -> Rejected:
    """Explain a failed proof to a person, from the library's technical reason."""
    if reason.startswith("no eddsa"):
        return Rejected(
            "Ce badge ne porte aucune signature que nous savons vérifier.",
            "This badge carries no signature that we can verify.",
        )
    if "JSON-LD" in reason or "context" in reason:
        return Rejected(
            "La signature ne peut pas être vérifiée : le badge utilise des termes que son "
            "vocabulaire ne définit pas.",
            "The signature cannot be checked: the badge uses terms its vocabulary does not define.",
        )
    return tampered()


def _key_resolver(
    session: Session, issuer_id: str | None, problems: list[Rejected]
) -> Callable[[str], ed25519.Ed25519PublicKey]:
    """The ``resolve_key`` given to proofs.verify_data_integrity; remembers why a key was refused."""

    def resolve(method: str) -> ed25519.Ed25519PublicKey:
        try:
            return _issuer_ed25519_key(session, method, issuer_id)
        except Rejected as problem:
            problems.append(problem)
            raise OpenBadgesError(problem.message_en) from problem

    return resolve


def _issuer_ed25519_key(
    session: Session, method: str, issuer_id: str | None
) -> ed25519.Ed25519PublicKey:
    """Fetch the verification method and check that the issuer controls it."""
    if method.startswith("did:key:"):
        # proofs.py accepts a did:key itself when it is the issuer id; any other one is a stranger's key.
        raise Rejected(
            "La clé qui a signé ce badge n'est pas celle de son émetteur.",
            "The key that signed this badge is not its issuer's.",
        )
    vm = _find_method(_method_document(session, method), method)
    if node_id(vm.get("controller")) != issuer_id:
        raise Rejected(
            "La clé de signature n'appartient pas à l'émetteur du badge.",
            "The signing key does not belong to the badge's issuer.",
        )
    try:
        return ed25519_from_multibase(str(vm.get("publicKeyMultibase") or ""))
    except (OpenBadgesError, ValueError) as exc:
        raise Rejected(
            "La clé publique de l'émetteur est illisible.", "The issuer's public key is unreadable."
        ) from exc


def _method_document(session: Session, method: str) -> dict[str, Any]:
    """The document holding the verification method: an HTTPS key document or a did:web DID document."""
    url = did_web_url(method) if method.startswith("did:web:") else method
    if not is_http_url(url):
        raise Rejected(
            "Ce type de clé de signature n'est pas pris en charge.",
            "This kind of signing key is not supported.",
        )
    try:
        return session.get_json(url)
    except FetchFailed as error:
        raise Rejected(
            f"La clé publique de l'émetteur n'a pas pu être récupérée : {error.message_fr}",
            f"The issuer's public key could not be fetched: {error.message_en}",
        ) from error


def did_web_url(did_url: str) -> str:
    """The HTTPS address of a did:web DID document (did:web:host%3Aport:path → https://host:port/path/did.json)."""
    parts = [unquote(p) for p in did_url.split("#", 1)[0].removeprefix("did:web:").split(":")]
    path = "/".join(parts[1:]) if len(parts) > 1 else ".well-known"
    return f"https://{parts[0]}/{path}/did.json"


def _find_method(document: dict[str, Any], method: str) -> dict[str, Any]:
    """The verification method named ``method`` in a key document or a DID/controller document."""
    if document.get("id") == method:
        return document
    fragment = "#" + method.split("#", 1)[1] if "#" in method else None
    for candidate in as_list(document.get("verificationMethod")):
        if isinstance(candidate, dict) and candidate.get("id") in (method, fragment):
            # A relative id inherits the DID document's controller.
            return {"controller": document.get("id"), **candidate}
    raise Rejected(
        "La clé indiquée par la signature est introuvable chez l'émetteur.",
        "The key named by the signature cannot be found at the issuer's.",
    )


# ------------------------------------------------------------------ VC-JWT


def credential_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential inside a VC-JWT payload: the ``vc`` claim (VC 1.1 style) or the payload itself."""
    if isinstance(payload.get("vc"), dict):
        return payload["vc"]
    return {k: v for k, v in payload.items() if k not in JWT_CLAIMS}


def jwt_signature_check(session: Session, token: str) -> Check:
    """Verify a VC-JWT with the issuer's key and compare its claims with the credential."""
    try:
        verify_jwt(session, token)
    except Rejected as problem:
        return problem.check("signature")
    return SIGNATURE_OK


def verify_jwt(session: Session, token: str) -> None:
    """Raise Rejected unless the JWT verifies with a key bound to its issuer."""
    header, payload = unverified_jws_parts(token)
    credential = credential_from_payload(payload)
    key = _jwt_key(session, header, issuer_id_of(credential))
    if key.get("kty") != "RSA":
        raise Rejected(
            "Ce type de signature n'est pas pris en charge (seul RS256 l'est).",
            "This kind of signature is not supported (only RS256 is).",
        )
    try:
        verify_jws(token, key)
    except OpenBadgesError as exc:
        raise tampered() from exc
    _check_claims(payload, credential)


def _check_claims(payload: dict[str, Any], credential: dict[str, Any]) -> None:
    """Raise Rejected when a JWT claim (iss, jti, sub, nbf, exp) contradicts the credential."""
    try:
        expected = vc_jwt_claims(credential)
    except (ValueError, TypeError) as exc:
        raise _claims_problem() from exc
    if any(name in payload and payload[name] != value for name, value in expected.items()):
        raise _claims_problem()


def _claims_problem() -> Rejected:
    return Rejected(
        "Les informations du jeton signé ne correspondent pas au badge qu'il contient.",
        "The signed token's claims do not match the badge it holds.",
    )


def _jwt_key(session: Session, header: dict[str, Any], issuer_id: str | None) -> dict[str, Any]:
    """The issuer's public JWK to check the JWT with (Rejected if none is bound to the issuer)."""
    jwk, kid = header.get("jwk"), header.get("kid")
    if isinstance(jwk, dict):
        if "d" in jwk:
            raise Rejected(
                "Le badge contient une clé privée : il est refusé.",
                "The badge contains a private key: it is refused.",
            )
        # A key that travels with the token proves nothing unless the issuer also publishes it.
        if not _in_issuer_jwks(session, jwk, issuer_id):
            raise _not_issuers_key()
        return jwk
    if is_http_url(kid):
        key = select_jwk(_get_json(session, kid), kid)
        if not _on_issuer_side(kid, key, issuer_id):
            raise _not_issuers_key()
        return key
    if isinstance(kid, str) and kid:
        return select_jwk(_get_json(session, _jwks_url(issuer_id)), kid)
    raise Rejected(
        "Le jeton n'indique pas la clé qui l'a signé.",
        "The token does not name the key that signed it.",
    )


def _not_issuers_key() -> Rejected:
    return Rejected(
        "La clé de signature n'est pas publiée par l'émetteur du badge.",
        "The signing key is not published by the badge's issuer.",
    )


def _on_issuer_side(kid: str, key: dict[str, Any], issuer_id: str | None) -> bool:
    """A key URL on the issuer's origin, or a JWK whose ``iss`` is the issuer, is the issuer's."""
    if key.get("iss") is not None:
        return key.get("iss") == issuer_id
    return same_origin(kid, issuer_id)


def _jwks_url(issuer_id: str | None) -> str:
    """The issuer's JWK Set at ``/.well-known/jwks.json`` on its origin (OB 3.0 §8.2)."""
    parts = split_http_url(issuer_id)
    if parts is None:
        raise Rejected(
            "La clé de signature est introuvable : l'émetteur n'a pas de site web.",
            "The signing key cannot be found: the issuer has no website.",
        )
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def _get_json(session: Session, url: str) -> dict[str, Any]:
    """Fetch a key document, explaining failures as a refused signature."""
    try:
        return session.get_json(url)
    except FetchFailed as error:
        raise Rejected(
            f"La clé publique de l'émetteur n'a pas pu être récupérée : {error.message_fr}",
            f"The issuer's public key could not be fetched: {error.message_en}",
        ) from error


def select_jwk(document: dict[str, Any], kid: str) -> dict[str, Any]:
    """The JWK named ``kid`` in a JWK or a JWK Set (``kid`` may be a URL with the key id as fragment)."""
    if "kty" in document:
        return document
    keys = [k for k in as_list(document.get("keys")) if isinstance(k, dict)]
    wanted = {kid, kid.rsplit("#", 1)[-1]}
    found = [k for k in keys if k.get("kid") in wanted]
    if not found and len(keys) == 1 and "#" not in kid:
        found = keys  # the kid is the address of a set holding a single key
    if not found:
        raise Rejected(
            "La clé indiquée par la signature est introuvable chez l'émetteur.",
            "The key named by the signature cannot be found at the issuer's.",
        )
    return found[0]


def _in_issuer_jwks(session: Session, jwk: dict[str, Any], issuer_id: str | None) -> bool:
    """Tell whether an embedded JWK is also published in the issuer's JWK Set."""
    try:
        published = session.get_json(_jwks_url(issuer_id))
    except (Rejected, FetchFailed):
        return False
    fields = ("kty", "n", "e", "crv", "x")
    same = [
        k
        for k in as_list(published.get("keys"))
        if isinstance(k, dict) and all(k.get(f) == jwk.get(f) for f in fields)
    ]
    return bool(same)


# ------------------------------------------------------------------ status lists


def verified_status_list(session: Session, url: str, issuer_id: str | None) -> dict[str, Any]:
    """Fetch a status list credential (JSON with a proof, or a JWT), verify it, check its issuer."""
    try:
        _content_type, body = session.get(url)
    except FetchFailed as error:
        raise Rejected(
            f"La liste de statut de l'émetteur n'a pas pu être récupérée : {error.message_fr}",
            f"The issuer's status list could not be fetched: {error.message_en}",
        ) from error
    status_list = _verified_list_document(session, body.decode("utf-8", "replace").strip())
    if issuer_id_of(status_list) != issuer_id:
        raise Rejected(
            "La liste de statut n'a pas été publiée par l'émetteur du badge.",
            "The status list was not published by the badge's issuer.",
        )
    return status_list


def _verified_list_document(session: Session, text: str) -> dict[str, Any]:
    """Verify the list's own signature and return it."""
    document = parse_json_object(text)
    try:
        if document is not None:
            verify_di_document(session, document)
            return document
        verify_jwt(session, text)
        return credential_from_payload(unverified_jws_parts(text)[1])
    except (Rejected, OpenBadgesError) as exc:
        raise Rejected(
            "La liste de statut de l'émetteur n'est pas authentique (signature invalide).",
            "The issuer's status list is not authentic (invalid signature).",
        ) from exc

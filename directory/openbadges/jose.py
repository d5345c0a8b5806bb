"""Compact JWS for OB 2.0 signed badges and VC-JWT for OB 3.0, RS256 only (no Flask)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.jws import JWSRegistry

from directory.openbadges.errors import InvalidCredential
from directory.openbadges.errors import InvalidSignature
from directory.openbadges.errors import OpenBadgesError

# A key as callers hold it: a cryptography object, a PEM (publicKeyPem) or a JWK dict.
RSAPublicInput = rsa.RSAPublicKey | rsa.RSAPrivateKey | str | bytes | dict
# The interoperable minimum, and all that 1EdTech's validators accept.
ALGORITHM = "RS256"
_JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat")


class _BadgeJWSRegistry(JWSRegistry):
    # joserfc's 512-byte header cap refuses VC-JWTs that carry their RSA key as a `jwk` header,
    # and its payload cap is below what a credential with an embedded image can weigh.
    max_header_length = 8192
    max_payload_length = 2_000_000


def _registry() -> JWSRegistry:
    return _BadgeJWSRegistry(algorithms=[ALGORITHM])


def _json_bytes(value: dict[str, Any]) -> bytes:
    """Serialise a payload as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _import_rsa(key: RSAPublicInput) -> RSAKey:
    """Turn any accepted RSA key form into a joserfc key."""
    try:
        return RSAKey.import_key(key)
    except (JoseError, ValueError, TypeError) as exc:
        raise OpenBadgesError(f"not a usable RSA key: {exc}") from exc


def _json_object(data: bytes) -> dict[str, Any]:
    """Parse JWS header or payload bytes, which must hold a JSON object."""
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise OpenBadgesError("JWS header and payload must be JSON") from exc
    if not isinstance(value, dict):
        raise OpenBadgesError("JWS header and payload must be JSON objects")
    return value


def _b64url_json(segment: str) -> dict[str, Any]:
    """Decode one base64url JSON segment of a compact JWS."""
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise OpenBadgesError("malformed compact JWS segment") from exc
    return _json_object(data)


def unverified_jws_parts(compact: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return ``(header, payload)`` WITHOUT checking the signature (to find the key to check it with)."""
    parts = compact.strip().split(".")
    if len(parts) != 3:
        raise OpenBadgesError("a compact JWS has exactly three dot-separated parts")
    return _b64url_json(parts[0]), _b64url_json(parts[1])


def _sign(
    header: dict[str, Any], payload: dict[str, Any], rsa_private: rsa.RSAPrivateKey
) -> str:
    """Produce an RS256 compact JWS."""
    return jws.serialize_compact(
        header, _json_bytes(payload), _import_rsa(rsa_private), registry=_registry()
    )


def sign_jws_ob2(
    assertion_dict: dict[str, Any],
    rsa_private: rsa.RSAPrivateKey,
    kid: str | None = None,
) -> str:
    """Sign an OB 2.0 Assertion as a compact JWS (payload = the Assertion JSON)."""
    header = {"alg": ALGORITHM, **({"kid": kid} if kid else {})}
    return _sign(header, assertion_dict, rsa_private)


def verify_jws(compact: str, public_key: RSAPublicInput) -> dict[str, Any]:
    """Verify an RS256 compact JWS and return its JSON payload; raise InvalidSignature if it fails."""
    try:
        token = jws.deserialize_compact(
            compact.strip(), _import_rsa(public_key), registry=_registry()
        )
    except BadSignatureError as exc:
        raise InvalidSignature("JWS signature verification failed") from exc
    except JoseError as exc:  # wrong alg, malformed token, …
        raise InvalidSignature(f"JWS rejected: {exc}") from exc
    return _json_object(token.payload)


def _timestamp(value: str) -> int:
    """Convert an RFC 3339 date-time to a NumericDate (seconds since the epoch)."""
    return int(datetime.fromisoformat(value).timestamp())


def _issuer_id(credential: dict[str, Any]) -> str | None:
    """Return the issuer id whether ``issuer`` is a URI or a Profile."""
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def vc_jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """Return the registered JWT claims OB 3.0 derives from the credential's fields."""
    claims = {
        "iss": _issuer_id(credential),
        "jti": credential.get("id"),
        "sub": (credential.get("credentialSubject") or {}).get("id"),
        "nbf": _timestamp(credential["validFrom"])
        if credential.get("validFrom")
        else None,
        "exp": _timestamp(credential["validUntil"])
        if credential.get("validUntil")
        else None,
    }
    return {k: v for k, v in claims.items() if v is not None}


def sign_vc_jwt(
    credential: dict[str, Any],
    rsa_private: rsa.RSAPrivateKey,
    kid: str,
    *,
    nest_vc: bool = True,
) -> str:
    """Sign an OB 3.0 credential as a VC-JWT (RS256, typ JWT, kid).

    With ``nest_vc`` (default) the credential goes in a ``vc`` claim, which is
    what 1EdTech's validator reads; otherwise it is the payload itself, as in
    the current OB 3.0 text. :func:`verify_vc_jwt` reads both.
    """
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": kid}
    claims = vc_jwt_claims(credential)
    payload = {**claims, "vc": credential} if nest_vc else {**credential, **claims}
    return _sign(header, payload, rsa_private)


def _credential_from(payload: dict[str, Any]) -> dict[str, Any]:
    """Extract the credential from a VC-JWT payload (nested ``vc`` or top-level)."""
    if isinstance(payload.get("vc"), dict):
        return payload["vc"]
    return {k: v for k, v in payload.items() if k not in _JWT_CLAIMS}


def _check_claims(payload: dict[str, Any], credential: dict[str, Any]) -> None:
    """Raise InvalidCredential if a JWT claim contradicts the credential."""
    for name, expected in vc_jwt_claims(credential).items():
        if name in payload and payload[name] != expected:
            raise InvalidCredential(f"JWT claim {name!r} does not match the credential")


def _check_time(payload: dict[str, Any], now: datetime) -> None:
    """Raise InvalidCredential if the token is not yet valid or has expired."""
    moment = now.timestamp()
    if "nbf" in payload and moment < payload["nbf"]:
        raise InvalidCredential("credential is not valid yet (nbf)")
    if "exp" in payload and moment >= payload["exp"]:
        raise InvalidCredential("credential has expired (exp)")


def verify_vc_jwt(
    compact: str, public_key: RSAPublicInput, now: datetime | None = None
) -> dict[str, Any]:
    """Verify a VC-JWT and return the credential; checks iss/jti/sub/nbf against it, and nbf/exp against ``now``."""
    payload = verify_jws(compact, public_key)
    credential = _credential_from(payload)
    _check_claims(payload, credential)
    _check_time(payload, now or datetime.now(UTC))
    return credential

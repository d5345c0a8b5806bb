"""Embedded Data Integrity proofs for OB 3.0: ``eddsa-rdfc-2022`` and ``Ed25519Signature2020`` (no Flask).

Canonicalisation is RDFC-1.0 (pyld's URDNA2015) with the offline loader, so
signing and verifying never touch the network. pyld has no JSON-LD "safe
mode", so :func:`undefined_terms` re-creates its main check: a document whose
terms are not all defined is refused, as the DCC verifier would refuse it.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519
from pyld import jsonld

from directory.openbadges._util import as_list
from directory.openbadges._util import iso_datetime
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.errors import UnknownContextError
from directory.openbadges.errors import UnsafeDocumentError
from directory.openbadges.keys import resolve_did_key
from directory.openbadges.loader import document_loader

KeyResolver = Callable[[str], ed25519.Ed25519PublicKey]

DATA_INTEGRITY = "DataIntegrityProof"
ED25519_2020 = "Ed25519Signature2020"
CRYPTOSUITE = "eddsa-rdfc-2022"
# "eddsa-2022" is the VC 1.1-era name of the same algorithm; accepted on read only.
_VERIFIABLE_SUITES = {CRYPTOSUITE, "eddsa-2022"}


def _jsonld_options() -> dict[str, Any]:
    """pyld options shared by every call: offline loader, RDFC-1.0, N-Quads."""
    return {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }


def _unknown_context_cause(exc: BaseException) -> UnknownContextError | None:
    """Find an UnknownContextError wrapped somewhere inside a pyld error."""
    seen = exc
    for _ in range(10):  # pyld nests causes a few levels deep; stop on cycles
        if isinstance(seen, UnknownContextError):
            return seen
        seen = getattr(seen, "cause", None) or seen.__cause__ or seen.__context__
        if seen is None:
            return None
    return None


def _library_error(exc: jsonld.JsonLdError) -> OpenBadgesError:
    """Translate a pyld error into the library error a caller can catch."""
    unknown = _unknown_context_cause(exc)
    return unknown or OpenBadgesError(f"JSON-LD processing failed: {exc}")


def canonicalize(document: dict[str, Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of ``document``."""
    try:
        return jsonld.normalize(document, _jsonld_options())
    except jsonld.JsonLdError as exc:
        raise _library_error(exc) from exc


# Expanding against this base makes every relative @id/@type reference visible.
_RELATIVE_BASE = "https://relative-reference.invalid/"


def _relative_references(expanded: Any) -> list[str]:
    """Collect @id/@type values that were relative (resolved against the sentinel base)."""
    if isinstance(expanded, list):
        return [r for item in expanded for r in _relative_references(item)]
    if not isinstance(expanded, dict):
        return []
    refs = as_list(expanded.get("@type")) + as_list(expanded.get("@id"))
    found = [
        r[len(_RELATIVE_BASE) :]
        for r in refs
        if isinstance(r, str) and r.startswith(_RELATIVE_BASE)
    ]
    return found + [
        r
        for k, v in expanded.items()
        if k not in ("@type", "@id")
        for r in _relative_references(v)
    ]


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """List dropped properties and relative IRIs: what JSON-LD safe mode would reject."""
    dropped: list[str] = []
    options = {"documentLoader": document_loader, "base": _RELATIVE_BASE}
    try:
        expanded = jsonld.expand(document, options, on_property_dropped=dropped.append)
    except jsonld.JsonLdError as exc:
        raise _library_error(exc) from exc
    return [str(term) for term in dropped] + _relative_references(expanded)


def _hash_data(unsigned: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    """Return SHA-256(canonical proof options) ‖ SHA-256(canonical document)."""
    config_hash = hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsigned).encode("utf-8")).digest()
    return config_hash + document_hash


def _without_proof(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document minus ``proof`` (existing proofs are not signed over: a proof set)."""
    return {k: v for k, v in document.items() if k != "proof"}


def _proof_config(proof: dict[str, Any], context: Any) -> dict[str, Any]:
    """Return the proof options to canonicalise: the proof minus its value, with the document's context."""
    return {
        **{k: v for k, v in proof.items() if k != "proofValue"},
        "@context": context,
    }


def sign_data_integrity(
    document: dict[str, Any],
    private_ed25519: ed25519.Ed25519PrivateKey,
    verification_method: str,
    created: datetime | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with an ``eddsa-rdfc-2022`` proof appended to ``proof`` (an array)."""
    unsigned = _without_proof(document)
    problems = undefined_terms(unsigned)
    if problems:
        raise UnsafeDocumentError(
            f"undefined JSON-LD terms would break verification: {problems}"
        )
    proof = {
        "type": DATA_INTEGRITY,
        "cryptosuite": CRYPTOSUITE,
        "created": iso_datetime(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_ed25519.sign(
        _hash_data(unsigned, _proof_config(proof, document["@context"]))
    )
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    signed = copy.deepcopy(document)
    # The 1EdTech schema requires an array even for a single proof.
    signed["proof"] = [*as_list(signed.get("proof")), proof]
    return signed


def _issuer_id(document: dict[str, Any]) -> str | None:
    """Return the credential's issuer id whether ``issuer`` is a string or a Profile."""
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _public_key(
    proof: dict[str, Any], document: dict[str, Any], resolve_key: KeyResolver | None
) -> ed25519.Ed25519PublicKey:
    """Resolve the proof's key: a did:key bound to the issuer internally, anything else via ``resolve_key``."""
    method = proof.get("verificationMethod") or ""
    # A did:key proves nothing about who the issuer is unless the issuer *is* that DID;
    # otherwise the caller's resolver decides whether the key belongs to the issuer.
    if method.startswith("did:key:") and method.split("#", 1)[0] == _issuer_id(
        document
    ):
        return resolve_did_key(method)
    if resolve_key is None:
        raise OpenBadgesError(f"no key resolver for verification method {method!r}")
    key = resolve_key(method)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise OpenBadgesError(f"verification method {method!r} is not an Ed25519 key")
    return key


def _is_supported(proof: dict[str, Any]) -> bool:
    """Tell whether this proof's type/cryptosuite is one we can verify."""
    if proof.get("type") == ED25519_2020:
        return True
    return (
        proof.get("type") == DATA_INTEGRITY
        and proof.get("cryptosuite") in _VERIFIABLE_SUITES
    )


def _verify_one(
    document: dict[str, Any], proof: dict[str, Any], resolve_key: KeyResolver | None
) -> None:
    """Verify one proof; raise OpenBadgesError (or a crypto error) when it fails."""
    if proof.get("proofPurpose") != "assertionMethod":
        raise OpenBadgesError("proofPurpose must be assertionMethod")
    value = proof.get("proofValue") or ""
    if not value.startswith("z"):
        raise OpenBadgesError("proofValue must be multibase base58btc ('z…')")
    key = _public_key(proof, document, resolve_key)
    unsigned = _without_proof(document)
    key.verify(
        base58.b58decode(value[1:]),
        _hash_data(unsigned, _proof_config(proof, document.get("@context"))),
    )


def _check_one(
    document: dict[str, Any], proof: dict[str, Any], resolve_key: KeyResolver | None
) -> str | None:
    """Return None if ``proof`` verifies, else the reason it does not."""
    try:
        _verify_one(document, proof, resolve_key)
    except CryptoInvalidSignature:
        return "signature does not match the document"
    except (OpenBadgesError, ValueError) as exc:
        return str(exc)
    return None


def verify_data_integrity(
    document: dict[str, Any], resolve_key: KeyResolver | None = None
) -> tuple[bool, str]:
    """Verify the embedded proofs; ``(True, msg)`` only when every supported proof is valid.

    ``resolve_key(verification_method) -> Ed25519PublicKey`` is the caller's
    key lookup (HTTPS Multikey, did:web, database). A ``did:key`` method is
    resolved here, but only when the issuer id is that same DID: otherwise the
    key says nothing about the issuer, so the caller's resolver must vouch for it.
    Unsupported proof types are ignored, but at least one supported proof must exist.
    """
    proofs = [
        p
        for p in as_list(document.get("proof"))
        if isinstance(p, dict) and _is_supported(p)
    ]
    if not proofs:
        return False, "no eddsa-rdfc-2022 or Ed25519Signature2020 proof found"
    try:
        problems = undefined_terms(_without_proof(document))
    except OpenBadgesError as exc:
        return False, str(exc)
    if problems:
        return False, f"undefined JSON-LD terms (fails safe mode): {problems}"
    # Strict on proof sets: one bad proof among good ones still means tampering or a bug.
    reasons = [
        r for r in (_check_one(document, proof, resolve_key) for proof in proofs) if r
    ]
    if reasons:
        return False, "; ".join(reasons)
    return True, f"{len(proofs)} valid proof(s)"

"""Key generation, encryption at rest and public key documents (no Flask)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from typing import Any

import base58
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from directory.openbadges.errors import KeyDecryptionError
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.loader import MULTIKEY_CONTEXT
from directory.openbadges.loader import OB2_CONTEXT

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey
AnyKey = PrivateKey | PublicKey

ED25519_MULTICODEC = b"\xed\x01"
# Versioned blob layout: magic ‖ 12-byte nonce ‖ AES-GCM(PKCS8 DER).
_BLOB_MAGIC = b"OBK1"
_BLOB_AAD = b"badgeons/openbadges/private-key/v1"
_NONCE_SIZE = 12


def generate_ed25519() -> ed25519.Ed25519PrivateKey:
    """Create a new Ed25519 private key (Data Integrity signing)."""
    return ed25519.Ed25519PrivateKey.generate()


def generate_rsa(bits: int = 2048) -> rsa.RSAPrivateKey:
    """Create a new RSA private key (RS256 for OB 2.0 JWS and VC-JWT)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def public_key_of(key: AnyKey) -> PublicKey:
    """Return the public half of ``key`` (a public key is returned unchanged)."""
    return key.public_key() if hasattr(key, "private_bytes") else key


def _check_kek(kek: bytes) -> AESGCM:
    """Build the AES-GCM cipher, refusing KEKs of the wrong size early."""
    if len(kek) not in (16, 24, 32):
        raise ValueError("KEK must be 16, 24 or 32 bytes (AES-128/192/256)")
    return AESGCM(kek)


def encrypt_private_key(private_key: PrivateKey, kek: bytes) -> bytes:
    """Serialise ``private_key`` as PKCS8 DER and seal it with AES-GCM under ``kek``."""
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(_NONCE_SIZE)
    return _BLOB_MAGIC + nonce + _check_kek(kek).encrypt(nonce, der, _BLOB_AAD)


def decrypt_private_key(blob: bytes, kek: bytes) -> PrivateKey:
    """Open a blob made by :func:`encrypt_private_key`; raise KeyDecryptionError if it fails."""
    cipher = _check_kek(kek)
    if not blob.startswith(_BLOB_MAGIC):
        raise KeyDecryptionError("not an encrypted key blob (bad magic)")
    nonce = blob[len(_BLOB_MAGIC) : len(_BLOB_MAGIC) + _NONCE_SIZE]
    try:
        der = cipher.decrypt(nonce, blob[len(_BLOB_MAGIC) + _NONCE_SIZE :], _BLOB_AAD)
    except InvalidTag as exc:
        raise KeyDecryptionError("wrong KEK or corrupted key blob") from exc
    # AES-GCM authenticated the blob, so this is a key we generated: skipping OpenSSL's RSA
    # consistency check saves ~150 ms per load, paid on every signed download otherwise.
    return serialization.load_der_private_key(der, password=None, unsafe_skip_rsa_key_validation=True)


def public_pem(key: AnyKey) -> str:
    """Return the SubjectPublicKeyInfo PEM of ``key``'s public half."""
    return (
        public_key_of(key)
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode("ascii")
    )


def _ed25519_raw(key: AnyKey) -> bytes:
    """Return the 32 raw bytes of an Ed25519 public key."""
    public = public_key_of(key)
    if not isinstance(public, ed25519.Ed25519PublicKey):
        raise OpenBadgesError("an Ed25519 key is required")
    return public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def multibase_ed25519_public(key: AnyKey) -> str:
    """Return the Multikey ``publicKeyMultibase`` (``z6Mk…``) of an Ed25519 key."""
    return "z" + base58.b58encode(ED25519_MULTICODEC + _ed25519_raw(key)).decode(
        "ascii"
    )


def ed25519_from_multibase(value: str) -> ed25519.Ed25519PublicKey:
    """Parse a ``z6Mk…`` multibase/multicodec string back into an Ed25519 public key."""
    if not value.startswith("z"):
        raise OpenBadgesError("only base58btc ('z') multibase keys are supported")
    data = base58.b58decode(value[1:])
    if not data.startswith(ED25519_MULTICODEC) or len(data) != 34:
        raise OpenBadgesError("not an Ed25519 multicodec public key")
    return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])


def multikey_document(key_id: str, controller: str, pubkey: AnyKey) -> dict[str, Any]:
    """Return the Multikey verification-method document to publish at ``key_id``."""
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": multibase_ed25519_public(pubkey),
    }


def did_key_for(ed25519_public: AnyKey) -> str:
    """Return the ``did:key:z6Mk…`` DID of an Ed25519 key."""
    return "did:key:" + multibase_ed25519_public(ed25519_public)


def did_key_verification_method(ed25519_public: AnyKey) -> str:
    """Return ``did:key:z…#z…``, the form verifiers (DCC) need in ``verificationMethod``."""
    fingerprint = multibase_ed25519_public(ed25519_public)
    return f"did:key:{fingerprint}#{fingerprint}"


def resolve_did_key(url: str) -> ed25519.Ed25519PublicKey:
    """Return the Ed25519 public key named by a ``did:key`` DID or DID URL."""
    if not url.startswith("did:key:"):
        raise OpenBadgesError(f"not a did:key URL: {url}")
    fingerprint = url[len("did:key:") :].split("#", 1)[0]
    return ed25519_from_multibase(fingerprint)


def _b64url(data: bytes) -> str:
    """Base64url without padding, as JOSE requires."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_uint(n: int) -> str:
    """Encode a positive integer big-endian, minimal length, base64url (JWK ``n``/``e``)."""
    return _b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def jwk_public(key: AnyKey, kid: str) -> dict[str, Any]:
    """Return the public JWK of an RSA (RS256) or Ed25519 (EdDSA) key; never includes ``d``."""
    public = public_key_of(key)
    if isinstance(public, rsa.RSAPublicKey):
        numbers = public.public_numbers()
        fields = {
            "kty": "RSA",
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
            "alg": "RS256",
        }
    elif isinstance(public, ed25519.Ed25519PublicKey):
        fields = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64url(_ed25519_raw(public)),
            "alg": "EdDSA",
        }
    else:
        raise OpenBadgesError(f"unsupported key type: {type(public).__name__}")
    return {**fields, "kid": kid, "use": "sig"}


def jwks(keys: Iterable[tuple[str, AnyKey]]) -> dict[str, Any]:
    """Return a JWK Set (``/.well-known/jwks.json``) for ``(kid, key)`` pairs."""
    return {"keys": [jwk_public(key, kid) for kid, key in keys]}


def ob2_cryptographic_key(
    key_id: str, owner: str, rsa_public: AnyKey
) -> dict[str, Any]:
    """Return the OB 2.0 ``CryptographicKey`` document; ``owner`` is the issuer Profile id."""
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": key_id,
        "owner": owner,
        "publicKeyPem": public_pem(rsa_public),
    }

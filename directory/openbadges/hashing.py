"""Recipient identity hashing shared by OB 2.0 and OB 3.0 (no Flask)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

# Algorithms the OB 2.0 IdentityHash format allows ("md5$" only for reading old badges).
_ALGORITHMS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def normalise_email(s: str) -> str:
    """Trim, NFC-normalise and lowercase an email so hashing is case/space-insensitive."""
    # The validator does not lowercase, so issuer and checker must both normalise.
    return unicodedata.normalize("NFC", s).strip().lower()


def hash_identity(email: str, salt: str) -> str:
    """Return the OB IdentityHash ``sha256$<hex>`` of the normalised email followed by salt."""
    data = (normalise_email(email) + (salt or "")).encode("utf-8")
    return "sha256$" + hashlib.sha256(data).hexdigest()


def identity_matches(email: str, hashed: str, salt: str | None) -> bool:
    """Tell whether ``hashed`` (``sha256$…`` or ``md5$…``) is the hash of ``email`` + ``salt``."""
    algorithm, sep, expected = hashed.partition("$")
    hasher = _ALGORITHMS.get(algorithm.lower())
    if not sep or hasher is None:
        return False
    actual = hasher((normalise_email(email) + (salt or "")).encode("utf-8")).hexdigest()
    # The spec accepts either hex case; compare in constant time anyway.
    return hmac.compare_digest(actual, expected.strip().lower())


def new_salt() -> str:
    """Return a fresh random salt (32 hex characters)."""
    return secrets.token_hex(16)

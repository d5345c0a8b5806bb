"""Organisations' signing keys: created on first use, encrypted at rest, rotated, published.

Services flush and never commit. A key is "active" until it is retired; retired keys
stay published (``published_keys``) so badges signed with them keep verifying.
``rekey_private_keys`` re-encrypts every private key when KEY_ENCRYPTION_KEY itself changes.
"""

import uuid
from collections.abc import Callable
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import current_app
from sqlalchemy import select

from directory.core.db import utcnow
from directory.core.progress import progress_bar
from directory.extensions import db
from directory.openbadges import KeyDecryptionError
from directory.openbadges import keys as obkeys
from directory.organisations.models import Organisation
from directory.organisations.models import SigningKey

Algorithm = Literal["Ed25519", "RS256"]
ALGORITHMS: tuple[Algorithm, ...] = ("Ed25519", "RS256")
# Changing this label would make every stored key undecryptable: it is part of the format.
_KEK_INFO = b"badgeons/signing-keys/kek/v1"
_GENERATORS = {"Ed25519": obkeys.generate_ed25519, "RS256": obkeys.generate_rsa}


class RekeyRefused(Exception):
    """The private keys were not re-encrypted; the message says why (nothing was changed)."""


def key_encryption_key() -> bytes:
    """The 32-byte AES key derived (HKDF-SHA256) from the configured KEY_ENCRYPTION_KEY."""
    return derive_kek(current_app.config["KEY_ENCRYPTION_KEY"])


def derive_kek(secret: str) -> bytes:
    """The 32-byte AES key derived (HKDF-SHA256) from a KEY_ENCRYPTION_KEY value."""
    # The setting is an operator-chosen string of any length; HKDF turns it into a proper AES-256 key.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEK_INFO)
    return hkdf.derive(secret.encode("utf-8"))


def signing_key(organisation: Organisation, algorithm: Algorithm) -> SigningKey:
    """The organisation's active key for ``algorithm``, created on first use."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unsupported signing algorithm {algorithm!r}")
    return active_key(organisation, algorithm) or _create_key(organisation, algorithm)


def active_key(organisation: Organisation, algorithm: Algorithm) -> SigningKey | None:
    """The key new documents are signed with, if one exists yet."""
    return db.session.scalar(
        select(SigningKey)
        .where(
            SigningKey.organisation_id == organisation.id,
            SigningKey.algorithm == algorithm,
            SigningKey.retired_at.is_(None),
        )
        .order_by(SigningKey.id)
        .limit(1)
    )


def _create_key(organisation: Organisation, algorithm: Algorithm) -> SigningKey:
    """Generate a key pair; only the public half is stored in clear."""
    private = _GENERATORS[algorithm]()
    key = SigningKey(
        organisation=organisation,
        key_id=str(uuid.uuid4()),
        algorithm=algorithm,
        public_key=obkeys.public_pem(private),
        private_key_encrypted=obkeys.encrypt_private_key(private, key_encryption_key()),
        created_at=utcnow(),
    )
    db.session.add(key)
    db.session.flush()
    return key


def private_key(key: SigningKey) -> obkeys.PrivateKey:
    """Decrypt the private half of ``key`` (raises KeyDecryptionError with the wrong KEK)."""
    return obkeys.decrypt_private_key(key.private_key_encrypted, key_encryption_key())


def public_key(key: SigningKey) -> obkeys.PublicKey:
    """The public half of ``key``, as a cryptography object."""
    return load_pem_public_key(key.public_key.encode("ascii"))


def rotate_keys(organisation: Organisation) -> list[SigningKey]:
    """Retire the organisation's active keys and create a fresh one per algorithm."""
    now = utcnow()
    for key in active_keys(organisation):
        key.retired_at = now
    db.session.flush()
    return [_create_key(organisation, algorithm) for algorithm in ALGORITHMS]


def active_keys(organisation: Organisation) -> list[SigningKey]:
    """Keys the organisation signs new documents with."""
    return [key for key in published_keys(organisation) if key.retired_at is None]


def published_keys(organisation: Organisation, algorithm: Algorithm | None = None) -> list[SigningKey]:
    """Every key ever used by the organisation (active and retired), oldest first."""
    query = select(SigningKey).where(SigningKey.organisation_id == organisation.id)
    if algorithm is not None:
        query = query.where(SigningKey.algorithm == algorithm)
    return list(db.session.scalars(query.order_by(SigningKey.id)))


def rekey_private_keys(old_secret: str, progress: Callable | None = None) -> int:
    """Re-encrypt every stored private key from ``old_secret`` to the configured KEK; return the count.

    Every key is opened with the old secret before any is changed: if one does not open (wrong
    secret, or a rekey already done) RekeyRefused is raised and nothing is touched. Key ids and
    public keys stay as they are, so published keys and issued badges are unaffected.
    """
    if old_secret == current_app.config["KEY_ENCRYPTION_KEY"]:
        raise RekeyRefused("The old secret is the current KEY_ENCRYPTION_KEY: there is nothing to re-encrypt.")
    # Locked on PostgreSQL so a concurrent `keys rotate` waits for the new encryption.
    stored = list(db.session.scalars(select(SigningKey).order_by(SigningKey.id).with_for_update()))
    opened = _open_all(stored, derive_kek(old_secret), progress)
    new_kek = key_encryption_key()
    with progress_bar(progress, opened, "Re-encrypting") as pairs:
        for key, private in pairs:
            key.private_key_encrypted = obkeys.encrypt_private_key(private, new_kek)
    db.session.flush()
    return len(opened)


def _open_all(
    stored: list[SigningKey], old_kek: bytes, progress: Callable | None
) -> list[tuple[SigningKey, obkeys.PrivateKey]]:
    """Decrypt every key with ``old_kek``, or raise RekeyRefused naming those that do not open."""
    opened, closed = [], []
    with progress_bar(progress, stored, "Checking") as items:
        for key in items:
            try:
                opened.append((key, obkeys.decrypt_private_key(key.private_key_encrypted, old_kek)))
            except KeyDecryptionError:
                closed.append(key)
    if closed:
        raise RekeyRefused(_closed_explanation(closed))
    return opened


def _closed_explanation(closed: list[SigningKey]) -> str:
    """Why the rekey stopped, telling a wrong old secret from a rekey already done."""
    current = key_encryption_key()
    already = sum(1 for key in closed if _opens(key, current))
    names = ", ".join(f"{key.key_id} ({key.organisation.slug})" for key in closed[:5])
    more = f" and {len(closed) - 5} more" if len(closed) > 5 else ""
    message = f"{len(closed)} key(s) do not decrypt with the old secret: {names}{more}."
    if already == len(closed):
        return message + " They already decrypt with the current KEY_ENCRYPTION_KEY: was the rekey already done?"
    return message + " Is it the right old secret?"


def _opens(key: SigningKey, kek: bytes) -> bool:
    try:
        obkeys.decrypt_private_key(key.private_key_encrypted, kek)
    except KeyDecryptionError:
        return False
    return True

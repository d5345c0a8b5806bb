"""Signing keys: created on first use, encrypted at rest, rotated without unpublishing."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from directory.openbadges import KeyDecryptionError
from directory.organisations import keys
from directory.organisations.models import SigningKey
from tests.badges import ob_factories as factories


@pytest.mark.parametrize(
    ("algorithm", "key_type"),
    [("Ed25519", ed25519.Ed25519PrivateKey), ("RS256", rsa.RSAPrivateKey)],
)
def test_signing_key_is_created_once_and_decrypts(db, algorithm, key_type):
    organisation = factories.organisation()
    key = keys.signing_key(organisation, algorithm)
    assert keys.signing_key(organisation, algorithm) is key
    private = keys.private_key(key)
    assert isinstance(private, key_type)
    assert keys.public_key(key) == private.public_key()
    assert key.public_key.startswith("-----BEGIN PUBLIC KEY-----")


def test_unknown_algorithm_is_refused(db):
    with pytest.raises(ValueError):
        keys.signing_key(factories.organisation(), "HS256")


def test_private_key_is_never_stored_in_clear(db):
    key = keys.signing_key(factories.organisation(), "RS256")
    db.session.commit()
    stored = db.session.execute(
        select(SigningKey.private_key_encrypted).where(SigningKey.id == key.id)
    ).scalar_one()
    assert b"PRIVATE KEY" not in stored
    assert b"BEGIN" not in stored
    der = keys.private_key(key).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert der not in stored


def test_another_key_encryption_key_cannot_decrypt(app, db):
    key = keys.signing_key(factories.organisation(), "Ed25519")
    app.config["KEY_ENCRYPTION_KEY"] = "another-key-encryption-key"
    try:
        with pytest.raises(KeyDecryptionError):
            keys.private_key(key)
    finally:
        app.config["KEY_ENCRYPTION_KEY"] = "test-key-encryption-key-0123456789"


def test_key_encryption_key_is_32_bytes_derived_from_the_setting(app, db):
    first = keys.key_encryption_key()
    assert len(first) == 32
    assert first != app.config["KEY_ENCRYPTION_KEY"].encode()[:32]
    assert keys.key_encryption_key() == first


def test_rotation_retires_active_keys_and_keeps_them_published(db):
    organisation = factories.organisation()
    old = [keys.signing_key(organisation, algorithm) for algorithm in keys.ALGORITHMS]
    new = keys.rotate_keys(organisation)
    assert all(key.retired_at is not None for key in old)
    assert {key.algorithm for key in new} == set(keys.ALGORITHMS)
    assert keys.active_keys(organisation) == new
    assert keys.signing_key(organisation, "Ed25519") in new
    assert keys.published_keys(organisation) == old + new
    assert keys.published_keys(organisation, "RS256") == [old[1], new[1]]


def test_keys_of_other_organisations_are_not_mixed(db):
    first, second = factories.organisation(), factories.organisation()
    key = keys.signing_key(first, "Ed25519")
    assert keys.active_key(second, "Ed25519") is None
    assert keys.published_keys(second) == []
    assert keys.published_keys(first) == [key]


def test_cli_rotate_and_list(app, db):
    organisation = factories.organisation()
    old = keys.signing_key(organisation, "RS256")
    db.session.commit()
    rotated = app.test_cli_runner().invoke(args=["keys", "rotate", organisation.slug])
    assert rotated.exit_code == 0, rotated.output
    new_ids = [line.split("\t")[0] for line in rotated.output.splitlines()]
    assert len(new_ids) == 2 and old.key_id not in new_ids
    listed = app.test_cli_runner().invoke(args=["keys", "list", organisation.slug])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(old.key_id) and "retired" in lines[0]
    assert all(line.endswith("active") for line in lines[1:])


def test_cli_unknown_organisation_is_a_usage_error(app, db):
    result = app.test_cli_runner().invoke(args=["keys", "list", "inconnue"])
    assert result.exit_code == 2
    assert "inconnue" in result.output

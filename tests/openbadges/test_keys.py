"""Keys: generation, encryption at rest, public documents."""

import base58
import pytest
from cryptography.hazmat.primitives import serialization

from directory.openbadges import KeyDecryptionError
from directory.openbadges import OpenBadgesError
from directory.openbadges import jose
from directory.openbadges import keys

KEK = bytes(range(32))


def _public_der(key):
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize("key_fixture", ["ed_key", "rsa_key"])
def test_encrypted_private_key_round_trip(request, key_fixture):
    key = request.getfixturevalue(key_fixture)
    restored = keys.decrypt_private_key(keys.encrypt_private_key(key, KEK), KEK)
    assert _public_der(restored) == _public_der(key)


def test_wrong_kek_fails(ed_key):
    blob = keys.encrypt_private_key(ed_key, KEK)
    with pytest.raises(KeyDecryptionError):
        keys.decrypt_private_key(blob, bytes(32))


def test_tampered_blob_fails(ed_key):
    blob = bytearray(keys.encrypt_private_key(ed_key, KEK))
    blob[-1] ^= 1
    with pytest.raises(KeyDecryptionError):
        keys.decrypt_private_key(bytes(blob), KEK)


def test_encryption_is_randomised_and_hides_the_key(ed_key):
    raw = ed_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    first, second = (
        keys.encrypt_private_key(ed_key, KEK),
        keys.encrypt_private_key(ed_key, KEK),
    )
    assert first != second
    assert raw not in first


def test_short_kek_is_rejected(ed_key):
    with pytest.raises(ValueError):
        keys.encrypt_private_key(ed_key, b"too short")


def test_multibase_is_ed25519_multicodec_base58btc(ed_key):
    value = keys.multibase_ed25519_public(ed_key)
    decoded = base58.b58decode(value[1:])
    assert value.startswith("z6Mk")
    assert decoded[:2] == b"\xed\x01" and len(decoded) == 34
    assert _public_der(ed_key) == keys.ed25519_from_multibase(value).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_did_key_round_trip(ed_key):
    did = keys.did_key_for(ed_key.public_key())
    method = keys.did_key_verification_method(ed_key)
    assert did.startswith("did:key:z6Mk")
    assert method == f"{did}#{did[len('did:key:') :]}"
    assert (
        keys.resolve_did_key(method).public_bytes_raw()
        == ed_key.public_key().public_bytes_raw()
    )


def test_multibase_refuses_rsa(rsa_key):
    with pytest.raises(OpenBadgesError):
        keys.multibase_ed25519_public(rsa_key)


def test_multikey_document(ed_key):
    doc = keys.multikey_document(
        "https://badgeons.example/keys/1", "https://badgeons.example/issuers/1", ed_key
    )
    assert doc == {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": "https://badgeons.example/keys/1",
        "type": "Multikey",
        "controller": "https://badgeons.example/issuers/1",
        "publicKeyMultibase": keys.multibase_ed25519_public(ed_key),
    }


def test_rsa_jwk_is_public_only_and_verifies_a_token(rsa_key):
    jwk = keys.jwk_public(rsa_key, "https://badgeons.example/keys/rsa1")
    token = jose.sign_jws_ob2({"id": "urn:x"}, rsa_key)
    assert {jwk["kty"], jwk["alg"], jwk["kid"]} == {
        "RSA",
        "RS256",
        "https://badgeons.example/keys/rsa1",
    }
    assert "d" not in jwk and "p" not in jwk
    assert jose.verify_jws(token, jwk) == {"id": "urn:x"}


def test_ed25519_jwk(ed_key):
    jwk = keys.jwk_public(ed_key, "k1")
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", "k1")
    assert "d" not in jwk


def test_jwks_lists_every_key(ed_key, rsa_key):
    assert [k["kid"] for k in keys.jwks([("a", rsa_key), ("b", ed_key)])["keys"]] == [
        "a",
        "b",
    ]


def test_ob2_cryptographic_key_pem_loads(rsa_key):
    doc = keys.ob2_cryptographic_key(
        "https://badgeons.example/keys/1", "https://badgeons.example/issuers/1", rsa_key
    )
    loaded = serialization.load_pem_public_key(doc["publicKeyPem"].encode())
    assert (doc["type"], doc["owner"], doc["@context"]) == (
        "CryptographicKey",
        "https://badgeons.example/issuers/1",
        "https://w3id.org/openbadges/v2",
    )
    assert loaded.public_numbers() == rsa_key.public_key().public_numbers()
    assert keys.public_pem(rsa_key) == doc["publicKeyPem"]

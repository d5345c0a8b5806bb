"""Recipient identity hashing."""

import hashlib

import pytest

from directory.openbadges.hashing import hash_identity
from directory.openbadges.hashing import identity_matches
from directory.openbadges.hashing import new_salt
from directory.openbadges.hashing import normalise_email


def test_hash_is_sha256_of_email_followed_by_salt():
    expected = hashlib.sha256(b"alice@example.fr" + b"s4lt").hexdigest()
    assert hash_identity("alice@example.fr", "s4lt") == "sha256$" + expected


@pytest.mark.parametrize(
    "email", ["alice@example.fr", "  Alice@Example.FR ", "ALICE@EXAMPLE.FR\n"]
)
def test_hash_matches_case_and_space_normalised_email(email):
    assert identity_matches(email, hash_identity("alice@example.fr", "s4lt"), "s4lt")


@pytest.mark.parametrize(
    ("email", "salt"),
    [
        ("bob@example.fr", "s4lt"),
        ("alice@example.fr", "other"),
        ("alice@example.fr", None),
    ],
)
def test_hash_does_not_match_other_email_or_salt(email, salt):
    assert not identity_matches(email, hash_identity("alice@example.fr", "s4lt"), salt)


def test_uppercase_hex_and_md5_are_accepted():
    digest = hashlib.md5(b"alice@example.fr" + b"s4lt").hexdigest().upper()
    assert identity_matches("alice@example.fr", "md5$" + digest, "s4lt")


@pytest.mark.parametrize("hashed", ["", "sha256", "sha1$abc", "alice@example.fr"])
def test_malformed_hash_never_matches(hashed):
    assert not identity_matches("alice@example.fr", hashed, "s4lt")


def test_unsalted_hash_matches_without_salt():
    assert identity_matches(
        "a@b.fr", "sha256$" + hashlib.sha256(b"a@b.fr").hexdigest(), None
    )


def test_normalise_email_trims_and_lowercases():
    assert normalise_email("  Élodie@Exemple.FR ") == "élodie@exemple.fr"


def test_new_salt_is_random_hex():
    salts = {new_salt() for _ in range(20)}
    assert len(salts) == 20
    assert all(len(s) == 32 and int(s, 16) >= 0 for s in salts)

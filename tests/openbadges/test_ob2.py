"""OB 2.0 builders, and signed (JWS) assertions end to end."""

from datetime import datetime
from datetime import timedelta

import pytest
from factories import ALIGNMENT
from factories import BASE
from factories import EMAIL
from factories import NOW
from factories import SALT
from factories import ob2_assertion as make_assertion
from factories import ob2_badge_class as make_badge_class

from directory.openbadges import InvalidSignature
from directory.openbadges import hashing
from directory.openbadges import jose
from directory.openbadges import keys
from directory.openbadges import ob2
from directory.openbadges import proofs


def test_issuer_profile_has_required_fields_and_omits_empty_ones():
    profile = ob2.issuer_profile(
        f"{BASE}/issuers/1", "CCI Lyon", "https://cci.example", "badges@cci.example"
    )
    assert profile == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{BASE}/issuers/1",
        "name": "CCI Lyon",
        "url": "https://cci.example",
        "email": "badges@cci.example",
    }


def test_issuer_profile_links_keys_and_revocation_list():
    profile = ob2.issuer_profile(
        f"{BASE}/issuers/1",
        "CCI",
        "https://cci.example",
        "b@cci.example",
        public_keys=[f"{BASE}/keys/1"],
        revocation_list=f"{BASE}/issuers/1/revocations",
        verification={"allowedOrigins": ["badgeons.example"]},
    )
    assert profile["publicKey"] == [f"{BASE}/keys/1"]
    assert profile["revocationList"] == f"{BASE}/issuers/1/revocations"
    assert profile["verification"] == {"allowedOrigins": ["badgeons.example"]}


def test_badge_class_shape():
    badge = make_badge_class(criteria_url=f"{BASE}/badges/pitch/criteria")
    assert badge["type"] == "BadgeClass"
    assert badge["criteria"] == {
        "id": f"{BASE}/badges/pitch/criteria",
        "narrative": "Pitcher devant trois investisseurs.",
    }
    assert badge["alignment"] == [ALIGNMENT]
    assert badge["issuer"] == f"{BASE}/issuers/1"
    assert badge["tags"] == ["pitch"]
    assert "endorsement" not in badge


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"criteria_narrative": None}, "criteria"),
        ({"alignments": [{"targetName": "x"}]}, "targetUrl"),
    ],
)
def test_badge_class_rejects_incomplete_input(overrides, message):
    with pytest.raises(ValueError, match=message):
        make_badge_class(**overrides)


def test_hosted_assertion_shape():
    assertion = make_assertion(
        expires=NOW + timedelta(days=365), evidence=[f"{BASE}/evidence/1"]
    )
    assert assertion["verification"] == {"type": "HostedBadge"}
    assert assertion["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": SALT,
        "identity": hashing.hash_identity(EMAIL, SALT),
    }
    assert assertion["issuedOn"] == "2026-01-02T03:04:05Z"
    assert assertion["expires"] == "2027-01-02T03:04:05Z"
    assert assertion["evidence"] == [f"{BASE}/evidence/1"]
    assert hashing.identity_matches(
        " alice.martin@example.FR", assertion["recipient"]["identity"], SALT
    )


def test_signed_assertion_needs_creator():
    with pytest.raises(ValueError, match="creator"):
        make_assertion(verification_type="signed")
    signed = make_assertion(verification_type="signed", creator=f"{BASE}/keys/1")
    assert signed["verification"] == {
        "type": "SignedBadge",
        "creator": f"{BASE}/keys/1",
    }


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        make_assertion(issued_on=datetime(2026, 1, 2))


def test_revoked_assertion_body():
    assert ob2.revoked_assertion(f"{BASE}/assertions/1", "Fraude") == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{BASE}/assertions/1",
        "revoked": True,
        "revocationReason": "Fraude",
    }


def test_endorsement_claims_the_endorsed_object():
    endorsement = ob2.endorsement(
        f"{BASE}/endorsements/1",
        f"{BASE}/badges/pitch",
        "Sérieux.",
        f"{BASE}/issuers/2",
        NOW,
    )
    assert endorsement["type"] == "Endorsement"
    assert endorsement["claim"] == {
        "id": f"{BASE}/badges/pitch",
        "endorsementComment": "Sérieux.",
    }
    assert endorsement["issuer"] == f"{BASE}/issuers/2"
    assert endorsement["verification"] == {"type": "HostedBadge"}


def test_revocation_list_entries_and_empty_list():
    revoked = ob2.revocation_list(
        f"{BASE}/rl",
        f"{BASE}/issuers/1",
        [(f"{BASE}/a/1", "Erreur"), (f"{BASE}/a/2", None)],
    )
    assert revoked["revokedAssertions"] == [
        {"id": f"{BASE}/a/1", "revocationReason": "Erreur"},
        {"id": f"{BASE}/a/2"},
    ]
    assert (
        ob2.revocation_list(f"{BASE}/rl", f"{BASE}/issuers/1", [])["revokedAssertions"]
        == []
    )


@pytest.mark.parametrize(
    "document",
    [
        ob2.issuer_profile(
            f"{BASE}/issuers/1", "CCI", "https://cci.example", "b@cci.example"
        ),
        make_badge_class(),
        make_assertion(),
        ob2.revocation_list(f"{BASE}/rl", f"{BASE}/issuers/1", [(f"{BASE}/a/1", "x")]),
    ],
    ids=["profile", "badge_class", "assertion", "revocation_list"],
)
def test_every_term_is_defined_by_the_ob2_context(document):
    assert proofs.undefined_terms(document) == []


def test_signed_assertion_round_trip(rsa_key):
    assertion = make_assertion(verification_type="signed", creator=f"{BASE}/keys/1")
    token = jose.sign_jws_ob2(assertion, rsa_key, kid=f"{BASE}/keys/1")
    header, payload = jose.unverified_jws_parts(token)
    assert header == {"alg": "RS256", "kid": f"{BASE}/keys/1"}
    assert payload == assertion
    # Verifiers get the key as the CryptographicKey's PEM.
    pem = keys.ob2_cryptographic_key(f"{BASE}/keys/1", f"{BASE}/issuers/1", rsa_key)[
        "publicKeyPem"
    ]
    assert jose.verify_jws(token, pem) == assertion


def test_tampered_signed_assertion_fails(rsa_key):
    header, _, signature = jose.sign_jws_ob2(make_assertion(), rsa_key).split(".")
    forged_payload = jose.sign_jws_ob2(
        make_assertion(badge_id=f"{BASE}/badges/other"), rsa_key
    ).split(".")[1]
    with pytest.raises(InvalidSignature):
        jose.verify_jws(f"{header}.{forged_payload}.{signature}", rsa_key.public_key())


def test_signed_assertion_with_wrong_key_fails(rsa_key, other_rsa_key):
    with pytest.raises(InvalidSignature):
        jose.verify_jws(
            jose.sign_jws_ob2(make_assertion(), rsa_key), other_rsa_key.public_key()
        )

"""JWS for OB 2.0 and VC-JWT for OB 3.0."""

from datetime import timedelta

import factories
import pytest
from factories import BASE
from factories import NOW

from directory.openbadges import InvalidCredential
from directory.openbadges import InvalidSignature
from directory.openbadges import OpenBadgesError
from directory.openbadges import jose
from directory.openbadges import keys

KID = f"{BASE}/keys/rsa-1"


def test_vc_jwt_header_and_claims(ed_key, rsa_key):
    credential = factories.credential(
        ed_key, subject_id="did:example:alice", valid_until=NOW + timedelta(days=1)
    )
    header, payload = jose.unverified_jws_parts(
        jose.sign_vc_jwt(credential, rsa_key, KID)
    )
    assert header == {"alg": "RS256", "typ": "JWT", "kid": KID}
    assert payload["vc"] == credential
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == "did:example:alice"
    assert (payload["nbf"], payload["exp"]) == (
        int(NOW.timestamp()),
        int((NOW + timedelta(days=1)).timestamp()),
    )


@pytest.mark.parametrize("nest_vc", [True, False])
def test_vc_jwt_round_trip(ed_key, rsa_key, nest_vc):
    credential = factories.credential(ed_key)
    token = jose.sign_vc_jwt(credential, rsa_key, KID, nest_vc=nest_vc)
    assert jose.verify_vc_jwt(token, rsa_key.public_key(), now=NOW) == credential


def test_vc_jwt_verifies_with_the_published_jwk(ed_key, rsa_key):
    token = jose.sign_vc_jwt(factories.endorsement(ed_key), rsa_key, KID)
    jwk = keys.jwks([(KID, rsa_key)])["keys"][0]
    assert jose.verify_vc_jwt(token, jwk, now=NOW)["type"] == [
        "VerifiableCredential",
        "EndorsementCredential",
    ]


def test_vc_jwt_with_wrong_key_fails(ed_key, rsa_key, other_rsa_key):
    token = jose.sign_vc_jwt(factories.credential(ed_key), rsa_key, KID)
    with pytest.raises(InvalidSignature):
        jose.verify_vc_jwt(token, other_rsa_key.public_key(), now=NOW)


def test_tampered_vc_jwt_fails(ed_key, rsa_key):
    header, _, signature = jose.sign_vc_jwt(
        factories.credential(ed_key), rsa_key, KID
    ).split(".")
    forged = jose.sign_vc_jwt(
        factories.credential(ed_key, name="Forged"), rsa_key, KID
    ).split(".")[1]
    with pytest.raises(InvalidSignature):
        jose.verify_vc_jwt(
            f"{header}.{forged}.{signature}", rsa_key.public_key(), now=NOW
        )


def test_vc_jwt_claims_must_match_the_credential(ed_key, rsa_key):
    credential = factories.credential(ed_key)
    payload = {
        **jose.vc_jwt_claims(credential),
        "jti": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "vc": credential,
    }
    token = jose._sign({"alg": "RS256", "typ": "JWT", "kid": KID}, payload, rsa_key)
    with pytest.raises(InvalidCredential, match="jti"):
        jose.verify_vc_jwt(token, rsa_key.public_key(), now=NOW)


@pytest.mark.parametrize(
    ("offset", "message"),
    [(timedelta(seconds=-1), "not valid yet"), (timedelta(days=2), "expired")],
)
def test_vc_jwt_validity_window(ed_key, rsa_key, offset, message):
    token = jose.sign_vc_jwt(
        factories.credential(ed_key, valid_until=NOW + timedelta(days=1)), rsa_key, KID
    )
    with pytest.raises(InvalidCredential, match=message):
        jose.verify_vc_jwt(token, rsa_key.public_key(), now=NOW + offset)


def test_non_rs256_token_is_refused(rsa_key):
    token = jose.sign_jws_ob2({"id": "urn:x"}, rsa_key)
    header_none = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    with pytest.raises(InvalidSignature):
        jose.verify_jws(header_none + token[token.index(".") :], rsa_key.public_key())


@pytest.mark.parametrize("token", ["", "a.b", "!!!.@@@.###", "e30.WzFd.sig"])
def test_malformed_token_parts_are_refused(token):
    with pytest.raises(OpenBadgesError):
        jose.unverified_jws_parts(token)


def test_verify_jws_refuses_a_non_rsa_key(ed_key, rsa_key):
    with pytest.raises(OpenBadgesError):
        jose.verify_jws(
            jose.sign_jws_ob2({"id": "urn:x"}, rsa_key), ed_key.public_key()
        )

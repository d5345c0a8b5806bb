"""Data Integrity proofs: sign → verify, tampering, wrong keys, independent (DCC) vectors."""

import copy
import json
from pathlib import Path

import factories
import pytest
from factories import BASE
from factories import NOW

from directory.openbadges import UnsafeDocumentError
from directory.openbadges import keys
from directory.openbadges import ob3
from directory.openbadges import proofs

FIXTURES = Path(__file__).parent / "fixtures"
BUILDERS = {
    "credential": factories.credential,
    "endorsement": factories.endorsement,
    "status_list": factories.status_list,
}


def sign(document, key):
    """Sign with the key's own did:key method, as the issuer id is that DID."""
    return proofs.sign_data_integrity(
        document, key, keys.did_key_verification_method(key), created=NOW
    )


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_signed_document_verifies(ed_key, builder):
    signed = sign(BUILDERS[builder](ed_key), ed_key)
    assert proofs.verify_data_integrity(signed) == (True, "1 valid proof(s)")


def test_proof_is_an_eddsa_rdfc_2022_array(ed_key):
    proof = sign(factories.credential(ed_key), ed_key)["proof"]
    assert isinstance(proof, list) and len(proof) == 1
    assert proof[0]["type"] == "DataIntegrityProof"
    assert proof[0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof[0]["proofPurpose"] == "assertionMethod"
    assert proof[0]["created"] == "2026-01-02T03:04:05Z"
    assert proof[0]["proofValue"].startswith("z")


def test_signing_does_not_mutate_the_input(ed_key):
    credential = factories.credential(ed_key)
    before = copy.deepcopy(credential)
    sign(credential, ed_key)
    assert credential == before


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(name="Autre badge"),
        lambda d: d["credentialSubject"]["identifier"][0].update(
            identityHash="sha256$00"
        ),
        lambda d: d["credentialSubject"]["achievement"].update(description="Falsifié"),
        lambda d: d["proof"][0].update(created="2030-01-01T00:00:00Z"),
    ],
    ids=["name", "recipient", "achievement", "proof-options"],
)
def test_tampered_credential_fails(ed_key, tamper):
    signed = sign(factories.credential(ed_key), ed_key)
    tamper(signed)
    assert proofs.verify_data_integrity(signed) == (
        False,
        "signature does not match the document",
    )


def test_added_undefined_term_fails(ed_key):
    signed = sign(factories.credential(ed_key), ed_key)
    signed["credentialSubject"]["achievement"]["notInContext"] = "sneaky"
    ok, message = proofs.verify_data_integrity(signed)
    assert not ok and "notInContext" in message


def test_wrong_key_fails(ed_key, other_ed_key):
    # Signed by another key but claiming the issuer's verification method.
    signed = proofs.sign_data_integrity(
        factories.credential(ed_key),
        other_ed_key,
        keys.did_key_verification_method(ed_key),
    )
    assert proofs.verify_data_integrity(signed) == (
        False,
        "signature does not match the document",
    )


def test_did_key_not_bound_to_issuer_needs_a_resolver(ed_key, other_ed_key):
    signed = sign(factories.credential(ed_key), other_ed_key)
    ok, message = proofs.verify_data_integrity(signed)
    assert not ok and "no key resolver" in message


def test_https_verification_method_uses_the_callers_resolver(ed_key, other_ed_key):
    method = f"{BASE}/issuers/1/keys/1"
    credential = factories.credential(
        ed_key, issuer_profile=factories.issuer(ed_key, id=f"{BASE}/issuers/1")
    )
    signed = proofs.sign_data_integrity(credential, ed_key, method)
    asked = []

    def resolve(url):
        asked.append(url)
        return ed_key.public_key()

    assert proofs.verify_data_integrity(signed, resolve)[0]
    assert asked == [method]
    assert not proofs.verify_data_integrity(
        signed, lambda url: other_ed_key.public_key()
    )[0]


def test_second_proof_is_appended_and_both_must_verify(ed_key, other_ed_key):
    resolver = {
        keys.did_key_verification_method(other_ed_key): other_ed_key.public_key()
    }.__getitem__
    signed = sign(sign(factories.credential(ed_key), ed_key), other_ed_key)
    assert len(signed["proof"]) == 2
    assert proofs.verify_data_integrity(signed, resolver) == (True, "2 valid proof(s)")
    signed["proof"][0]["proofValue"] = signed["proof"][1]["proofValue"]
    assert not proofs.verify_data_integrity(signed, resolver)[0]


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        (None, "no eddsa-rdfc-2022"),
        ({"type": "RsaSignature2018", "jws": "x"}, "no eddsa-rdfc-2022"),
    ],
)
def test_missing_or_unsupported_proof_fails(ed_key, proof, message):
    credential = factories.credential(ed_key)
    if proof:
        credential["proof"] = [proof]
    ok, text = proofs.verify_data_integrity(credential)
    assert not ok and message in text


def test_wrong_proof_purpose_fails(ed_key):
    signed = proofs.sign_data_integrity(
        factories.credential(ed_key),
        ed_key,
        keys.did_key_verification_method(ed_key),
        proof_purpose="authentication",
    )
    assert proofs.verify_data_integrity(signed) == (
        False,
        "proofPurpose must be assertionMethod",
    )


@pytest.mark.parametrize(
    "extra",
    [
        {"undefinedTerm": "x"},
        {
            "credentialSchema": [
                {"id": f"{BASE}/schema.json", "type": "1EdTechJsonSchemaValidator2019"}
            ]
        },
    ],
    ids=["undefined-property", "1edtech-type-without-extensions-context"],
)
def test_signing_refuses_what_safe_mode_would_reject(ed_key, extra):
    with pytest.raises(UnsafeDocumentError):
        sign({**factories.credential(ed_key), **extra}, ed_key)


@pytest.mark.parametrize(
    "name", ["dcc_eddsa_rdfc_2022.json", "dcc_ed25519signature2020.json"]
)
def test_credentials_signed_by_the_dcc_stack_verify(name):
    document = json.loads((FIXTURES / name).read_text("utf-8"))
    assert proofs.verify_data_integrity(document) == (True, "1 valid proof(s)")
    document["credentialSubject"]["achievement"]["name"] = "Altered"
    assert not proofs.verify_data_integrity(document)[0]


def test_1edtech_type_signs_once_extensions_context_is_added(ed_key):
    credential = {
        **factories.credential(ed_key),
        "refreshService": {
            "id": f"{BASE}/refresh/1",
            "type": "1EdTechCredentialRefresh",
        },
    }
    credential["@context"] = ob3.contexts_for(credential)
    assert proofs.verify_data_integrity(sign(credential, ed_key))[0]

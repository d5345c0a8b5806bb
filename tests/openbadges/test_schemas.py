"""1EdTech OB 3.0 JSON Schemas against our builders' output."""

import copy

import factories
import pytest
from factories import BASE
from factories import NOW

from directory.openbadges import keys
from directory.openbadges import ob3
from directory.openbadges import proofs
from directory.openbadges import schemas


def signed(document, key):
    """Sign with the key's did:key, as issuers will."""
    return proofs.sign_data_integrity(
        document, key, keys.did_key_verification_method(key), created=NOW
    )


def test_signed_credential_passes_the_achievement_credential_schema(ed_key):
    credential = factories.credential(
        ed_key,
        subject_id="did:example:alice",
        evidence=[f"{BASE}/evidence/1", {"narrative": "Pitch filmé", "name": "Vidéo"}],
        status=ob3.bitstring_status_list_entry(f"{BASE}/status/1", 7),
        achievement=factories.achievement(
            creator=factories.issuer(ed_key),
            endorsements=[signed(factories.endorsement(ed_key), ed_key)],
        ),
    )
    assert schemas.validate_achievement_credential(signed(credential, ed_key)) == []


def test_signed_endorsement_passes_the_endorsement_credential_schema(ed_key):
    assert (
        schemas.validate_endorsement_credential(
            signed(factories.endorsement(ed_key), ed_key)
        )
        == []
    )


def test_profile_document_passes_the_profile_schema(ed_key):
    document = ob3.profile_document(
        factories.issuer(
            ed_key, description="Chambre de commerce", image=f"{BASE}/logo.png"
        )
    )
    assert schemas.validate_profile(document) == []


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d.update(validFrom="2026-01-02"), "is not a 'date-time'"),
        (lambda d: d.update(proof=d["proof"][0]), "is not of type 'array'"),
        (lambda d: d["issuer"].update(type="Profile"), "$.issuer: "),
        (
            lambda d: d["credentialSubject"]["achievement"].pop("criteria"),
            "'criteria' is a required property",
        ),
        (
            lambda d: d.update({"@context": list(reversed(d["@context"]))}),
            "$['@context'][0]",
        ),
    ],
    ids=["date-only", "proof-object", "type-string", "no-criteria", "context-order"],
)
def test_schema_catches_common_mistakes(ed_key, mutate, fragment):
    document = copy.deepcopy(signed(factories.credential(ed_key), ed_key))
    mutate(document)
    errors = schemas.validate_achievement_credential(document)
    assert any(fragment in error for error in errors), errors


def test_endorsement_without_name_fails(ed_key):
    endorsement = signed(factories.endorsement(ed_key), ed_key)
    del endorsement["name"]
    assert any(
        "'name' is a required property" in e
        for e in schemas.validate_endorsement_credential(endorsement)
    )

"""OB 3.0 builders and the Bitstring Status List."""

import base64
import gzip
from datetime import timedelta

import factories
import pytest
from factories import BASE
from factories import EMAIL
from factories import NOW
from factories import SALT

from directory.openbadges import OpenBadgesError
from directory.openbadges import hashing
from directory.openbadges import ob3
from directory.openbadges.loader import OB3_CONTEXT
from directory.openbadges.loader import OB3_EXTENSIONS_CONTEXT
from directory.openbadges.loader import VC2_CONTEXT

# Classes whose type the 1EdTech schema requires as a plain string, not an array.
STRING_TYPED = {"Image", "IdentityObject", "BitstringStatusListEntry"}


def _types(value):
    """Yield every ``type`` value found anywhere in a document."""
    if isinstance(value, dict):
        if "type" in value:
            yield value["type"]
        for child in value.values():
            yield from _types(child)
    elif isinstance(value, list):
        for child in value:
            yield from _types(child)


def test_credential_shape(ed_key):
    credential = factories.credential(
        ed_key, valid_until=NOW + timedelta(days=30), subject_id="did:example:alice"
    )
    subject = credential["credentialSubject"]
    assert credential["@context"] == [VC2_CONTEXT, OB3_CONTEXT]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert (credential["validFrom"], credential["validUntil"]) == (
        "2026-01-02T03:04:05Z",
        "2026-02-01T03:04:05Z",
    )
    assert credential["name"] == "Pitch investisseurs"
    assert subject["id"] == "did:example:alice"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": hashing.hash_identity(EMAIL, SALT),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": SALT,
        }
    ]
    assert hashing.identity_matches(
        " alice.martin@EXAMPLE.fr ", subject["identifier"][0]["identityHash"], SALT
    )


def test_every_type_is_an_array_except_where_the_schema_says_string(ed_key):
    document = factories.credential(
        ed_key,
        evidence=[f"{BASE}/evidence/1"],
        status=ob3.bitstring_status_list_entry(f"{BASE}/status/1", 5),
    )
    for type_ in _types(document):
        assert isinstance(type_, list) or type_ in STRING_TYPED, type_


def test_empty_optional_fields_are_omitted(ed_key):
    credential = factories.credential(ed_key)
    assert not {"validUntil", "evidence", "credentialStatus"} & credential.keys()
    assert "id" not in credential["credentialSubject"]
    assert "endorsement" not in credential["credentialSubject"]["achievement"]


def test_achievement_shape():
    achievement = factories.achievement()
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"] == {
        "narrative": "Avoir pitché devant un jury de trois investisseurs."
    }
    assert achievement["image"] == {
        "id": f"{BASE}/img/pitch.png",
        "type": "Image",
        "caption": "Pitch investisseurs",
    }
    assert achievement["alignment"][0]["type"] == ["Alignment"]
    assert achievement["alignment"][0]["targetType"] == "ceasn:Competency"
    assert achievement["tag"] == ["pitch", "financement"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"criteria_narrative": None}, "criteria"),
        ({"alignments": [{"targetUrl": "https://x"}]}, "targetName"),
    ],
)
def test_achievement_rejects_incomplete_input(overrides, message):
    with pytest.raises(ValueError, match=message):
        factories.achievement(**overrides)


def test_endorsement_credential_shape(ed_key):
    endorsement = factories.endorsement(ed_key)
    assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement["name"] == "Recommandation du badge Pitch"
    assert endorsement["credentialSubject"] == {
        "id": f"{BASE}/achievements/pitch",
        "type": ["EndorsementSubject"],
        "endorsementComment": "Badge **exigeant**, jury sérieux.",
    }


def test_extensions_context_only_when_a_1edtech_type_is_used(ed_key):
    plain = factories.credential(ed_key)
    with_refresh = {
        **plain,
        "refreshService": {"id": f"{BASE}/refresh", "type": "1EdTechCredentialRefresh"},
    }
    assert OB3_EXTENSIONS_CONTEXT not in plain["@context"]
    assert ob3.contexts_for(with_refresh) == [
        VC2_CONTEXT,
        OB3_CONTEXT,
        OB3_EXTENSIONS_CONTEXT,
    ]


def test_profile_document_adds_context(ed_key):
    document = ob3.profile_document(factories.issuer(ed_key))
    assert document["@context"] == [VC2_CONTEXT, OB3_CONTEXT]
    assert document["type"] == ["Profile"]


def test_status_list_entry():
    assert ob3.bitstring_status_list_entry(f"{BASE}/status/1", 42) == {
        "id": f"{BASE}/status/1#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": f"{BASE}/status/1",
    }


def test_status_list_encode_decode_with_set_bits():
    bits = ob3.decode_status_list(ob3.encode_status_list([0, 9, 131071]))
    assert len(bits) == 131072 // 8
    assert [
        i for i in (0, 1, 8, 9, 10, 131070, 131071) if ob3.is_index_set(bits, i)
    ] == [0, 9, 131071]
    assert bits[0] == 0b1000_0000  # index 0 is the left-most bit
    assert bits[1] == 0b0100_0000


def test_encoded_list_is_multibase_base64url_gzip():
    encoded = ob3.encode_status_list([5])
    assert encoded.startswith(
        "uH4sI"
    )  # 'u' multibase prefix + base64 of the GZIP magic
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    raw = gzip.decompress(
        base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    )
    assert raw[0] == 0b0000_0100


def test_legacy_unprefixed_status_list_decodes():
    legacy = base64.b64encode(gzip.compress(bytes([0x80]) + bytes(15))).decode()
    assert ob3.is_index_set(ob3.decode_status_list(legacy), 0)


@pytest.mark.parametrize("index", [-1, 131072])
def test_status_index_outside_list_is_refused(index):
    with pytest.raises(ValueError):
        ob3.encode_status_list([index])


def test_garbage_encoded_list_is_refused():
    with pytest.raises(OpenBadgesError):
        ob3.decode_status_list("unot-gzip")


def test_status_list_credential(ed_key):
    status_list = factories.status_list(ed_key, revoked=[3, 42])
    subject = status_list["credentialSubject"]
    bits = ob3.decode_status_list(subject["encodedList"])
    assert status_list["type"] == [
        "VerifiableCredential",
        "BitstringStatusListCredential",
    ]
    assert status_list["issuer"] == factories.issuer(ed_key)["id"]
    assert (subject["type"], subject["statusPurpose"]) == (
        "BitstringStatusList",
        "revocation",
    )
    assert [i for i in range(64) if ob3.is_index_set(bits, i)] == [3, 42]

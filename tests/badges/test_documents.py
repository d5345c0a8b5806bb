"""Serialisers of published Open Badges documents: contents, ids, signatures, privacy."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.badges import documents
from directory.badges import documents_ob2
from directory.badges import documents_ob3
from directory.extensions import db
from directory.openbadges import baking
from directory.openbadges import ob3
from directory.openbadges import proofs
from directory.openbadges import schemas
from directory.openbadges.hashing import identity_matches
from directory.openbadges.jose import unverified_jws_parts
from directory.openbadges.jose import verify_jws
from directory.openbadges.jose import verify_vc_jwt
from directory.organisations import keys
from directory.organisations.models import SigningKey
from tests.badges import ob_factories as factories

BASE = "https://badgeons.test"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def data(db):
    """An issuer, an ESCO-aligned class, an endorsing partner and an award."""
    return factories.scenario()


def resolver(url: str):
    """Key lookup for Data Integrity proofs: our key URL → its public key."""
    key_id = url.rsplit("/", 1)[-1]
    key = db.session.scalar(select(SigningKey).where(SigningKey.key_id == key_id))
    return keys.public_key(key)


def all_ids(document) -> list[str]:
    """Every ``id`` value in a document, at any depth."""
    if isinstance(document, list):
        return [i for item in document for i in all_ids(item)]
    if not isinstance(document, dict):
        return []
    own = [document["id"]] if isinstance(document.get("id"), str) else []
    return own + [i for value in document.values() for i in all_ids(value)]


# --------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("function", "model", "pattern"),
    [
        (documents.issuer_v2_url, "issuer", rf"/ob/v2/issuers/{UUID}"),
        (documents.issuer_v3_url, "issuer", rf"/ob/v3/issuers/{UUID}"),
        (documents.revocation_list_url, "issuer", rf"/ob/v2/issuers/{UUID}/revocations"),
        (documents.status_list_url, "issuer", rf"/ob/v3/issuers/{UUID}/status/revocation"),
        (documents.jwks_url, "issuer", rf"/ob/v3/issuers/{UUID}/jwks"),
        (documents.badge_class_url, "badge_class", rf"/ob/v2/badges/{UUID}"),
        (documents.achievement_url, "badge_class", rf"/ob/v3/achievements/{UUID}"),
        (documents.image_url, "badge_class", rf"/ob/images/{UUID}"),
        (documents.assertion_url, "award", rf"/ob/v2/assertions/{UUID}"),
        (documents.credential_url, "award", rf"/ob/v3/credentials/{UUID}"),
        (documents.endorsement_v2_url, "endorsement", rf"/ob/v2/endorsements/{UUID}"),
        (documents.endorsement_v3_url, "endorsement", rf"/ob/v3/endorsements/{UUID}"),
    ],
)
def test_ids_are_https_uuid_urls_on_the_public_origin(data, function, model, pattern):
    assert re.fullmatch(re.escape(BASE) + pattern, function(data[model]))


def test_ids_do_not_change_when_slugs_do(data):
    before = documents.badge_class_url(data["badge_class"]), documents.issuer_v2_url(data["issuer"])
    data["badge_class"].slug, data["issuer"].slug = "nouveau-nom", "nouvelle-agence"
    assert (documents.badge_class_url(data["badge_class"]), documents.issuer_v2_url(data["issuer"])) == before


# --------------------------------------------------------------------- OB 2.0


def test_assertion_hashes_the_recipient_and_links_the_class(data):
    award = data["award"]
    assertion = documents_ob2.assertion(award)
    assert assertion["id"] == documents.assertion_url(award)
    assert assertion["badge"] == documents.badge_class_url(data["badge_class"])
    assert assertion["verification"] == {"type": "HostedBadge"}
    recipient = assertion["recipient"]
    assert recipient["hashed"] is True and recipient["identity"].startswith("sha256$")
    assert identity_matches(factories.RECIPIENT_EMAIL, recipient["identity"], recipient["salt"])
    assert not EMAIL.findall(json.dumps(assertion))


def test_assertion_carries_the_expiry(data):
    award = factories.award(data["badge_class"], expires_on=factories.now() + timedelta(days=365))
    assert documents_ob2.assertion(award)["expires"].endswith("Z")


def test_badge_class_has_french_criteria_esco_alignment_and_endorsements(data):
    badge_class = data["badge_class"]
    hidden = factories.endorsement(factories.organisation(kind="insurer"), badge_class, hidden=True)
    withdrawn = factories.endorsement(factories.organisation(kind="insurer"), badge_class, state="withdrawn")
    requested = factories.endorsement(factories.organisation(kind="insurer"), badge_class, state="requested")
    document = documents_ob2.badge_class(badge_class)
    assert document["criteria"]["narrative"].startswith("Avoir présenté son projet")
    assert document["image"] == documents.image_url(badge_class)
    assert document["issuer"] == documents.issuer_v2_url(data["issuer"])
    assert document["tags"] == ["pitch", "communication"]
    competency = badge_class.competencies[0]
    assert document["alignment"] == [
        {
            "targetName": "présenter un projet d'entreprise",
            "targetUrl": competency.uri,
            "targetFramework": "ESCO",
            "targetCode": competency.code,
        }
    ]
    assert document["endorsement"] == [documents.endorsement_v2_url(data["endorsement"])]
    for other in (hidden, withdrawn, requested):
        assert documents.endorsement_v2_url(other) not in document["endorsement"]


def test_issuer_profile_lists_active_key_revocation_list_and_endorsements(data):
    issuer = data["issuer"]
    of_issuer = factories.endorsement(data["partner"], target_organisation=issuer)
    assert "publicKey" not in documents_ob2.issuer_profile(issuer)
    old = keys.signing_key(issuer, "RS256")
    keys.rotate_keys(issuer)
    profile = documents_ob2.issuer_profile(issuer)
    assert profile["type"] == "Issuer"
    assert profile["publicKey"] == [documents.key_url(keys.active_key(issuer, "RS256"))]
    assert documents.key_url(old) not in profile["publicKey"]
    assert profile["revocationList"] == documents.revocation_list_url(issuer)
    assert profile["endorsement"] == [documents.endorsement_v2_url(of_issuer)]
    assert profile["email"] == issuer.contact_email
    assert profile["url"] == f"{BASE}/organisations/{issuer.slug}"


def test_issuer_profile_falls_back_to_the_platform_contact_address(data):
    data["issuer"].contact_email = None
    assert documents_ob2.issuer_profile(data["issuer"])["email"] == "ne-pas-repondre@badgeons.test"


def test_signed_assertion_verifies_with_the_published_key(data):
    award = data["award"]
    token = documents_ob2.signed_assertion(award)
    header, payload = unverified_jws_parts(token)
    key = keys.active_key(data["issuer"], "RS256")
    assert header["kid"] == payload["verification"]["creator"] == documents.key_url(key)
    assert payload["verification"]["type"] == "SignedBadge"
    assert payload["id"] == documents.assertion_url(award)
    cryptographic_key = documents_ob2.cryptographic_key(key)
    assert cryptographic_key["owner"] == documents.issuer_v2_url(data["issuer"])
    assert verify_jws(token, cryptographic_key["publicKeyPem"]) == payload
    assert "d" not in cryptographic_key["publicKeyJwk"]


def test_revocation_list_names_revoked_awards_and_withdrawn_endorsements(data):
    revoked = factories.award(
        data["badge_class"], revoked_at=factories.now(), revocation_reason="Erreur de saisie"
    )
    withdrawn = factories.endorsement(data["issuer"], factories.badge_class(data["partner"]), state="withdrawn")
    document = documents_ob2.revocation_list(data["issuer"])
    assert document["revokedAssertions"] == [
        {"id": documents.assertion_url(revoked), "revocationReason": "Erreur de saisie"},
        {"id": documents.endorsement_v2_url(withdrawn)},
    ]
    assert documents_ob2.revoked_assertion(revoked) == {
        "id": documents.assertion_url(revoked),
        "revoked": True,
        "revocationReason": "Erreur de saisie",
    }


def test_endorsement_is_issued_by_the_endorser(data):
    endorsement = data["endorsement"]
    document = documents_ob2.endorsement(endorsement)
    assert document["issuer"] == documents.issuer_v2_url(data["partner"])
    assert document["claim"] == {
        "id": documents.badge_class_url(data["badge_class"]),
        "endorsementComment": endorsement.comment,
    }
    of_issuer = factories.endorsement(data["partner"], target_organisation=data["issuer"])
    assert documents_ob2.endorsement(of_issuer)["claim"]["id"] == documents.issuer_v2_url(data["issuer"])


# --------------------------------------------------------------------- OB 3.0


def test_credential_is_signed_valid_and_points_at_the_status_list(data):
    award = data["award"]
    credential = documents_ob3.credential(award)
    assert schemas.validate_achievement_credential(credential) == []
    assert proofs.verify_data_integrity(credential, resolver)[0] is True
    key = keys.active_key(data["issuer"], "Ed25519")
    assert credential["proof"][0]["verificationMethod"] == documents.key_url(key)
    assert credential["credentialStatus"]["statusListIndex"] == str(award.id)
    assert credential["credentialStatus"]["statusListCredential"] == documents.status_list_url(data["issuer"])
    assert credential["issuer"]["id"] == documents.issuer_v3_url(data["issuer"])
    assert "email" not in credential["issuer"]
    identifier = credential["credentialSubject"]["identifier"][0]
    assert identity_matches(factories.RECIPIENT_EMAIL, identifier["identityHash"], identifier["salt"])
    # Served twice, the same bytes: the proof's ``created`` is fixed.
    assert documents_ob3.credential(award) == credential


def test_credential_achievement_has_esco_alignment_and_no_frozen_endorsements(data):
    achievement = documents_ob3.credential(data["award"])["credentialSubject"]["achievement"]
    assert achievement["alignment"][0]["targetFramework"] == "ESCO"
    assert achievement["alignment"][0]["type"] == ["Alignment"]
    assert achievement["image"]["id"] == documents.image_url(data["badge_class"])
    assert "endorsement" not in achievement
    standalone = documents_ob3.achievement_document(data["badge_class"])
    endorsement = standalone["endorsement"][0]
    assert endorsement["id"] == documents.endorsement_v3_url(data["endorsement"])
    assert proofs.verify_data_integrity(endorsement, resolver)[0] is True


def test_multikey_is_controlled_by_the_profile_that_lists_it(data):
    credential = documents_ob3.credential(data["award"])
    key = keys.active_key(data["issuer"], "Ed25519")
    multikey = documents_ob3.multikey(key)
    assert multikey["id"] == credential["proof"][0]["verificationMethod"]
    assert multikey["controller"] == credential["issuer"]["id"]
    assert multikey["publicKeyMultibase"].startswith("z6Mk")
    profile = documents_ob3.profile_document(data["issuer"])
    assert profile["assertionMethod"] == [multikey["id"]]
    assert profile["@context"][:2] == credential["@context"][:2]
    assert schemas.validate_profile(profile) == []


def test_vc_jwt_verifies_with_the_published_jwk(data):
    award = data["award"]
    token = documents_ob3.credential_jwt(award)
    header, _payload = unverified_jws_parts(token)
    key = keys.active_key(data["issuer"], "RS256")
    assert header == {"alg": "RS256", "typ": "JWT", "kid": documents.key_url(key)}
    jwks = documents_ob3.jwks([data["issuer"]])
    assert [jwk["kid"] for jwk in jwks["keys"]] == [header["kid"]]
    assert all("d" not in jwk for jwk in jwks["keys"])
    credential = verify_vc_jwt(token, keys.public_key(key))
    assert credential["id"] == documents.credential_url(award)


def test_endorsement_credential_is_signed_by_the_endorsing_organisation(data):
    credential = documents_ob3.endorsement_credential(data["endorsement"])
    assert schemas.validate_endorsement_credential(credential) == []
    assert proofs.verify_data_integrity(credential, resolver)[0] is True
    partner_key = keys.active_key(data["partner"], "Ed25519")
    assert credential["proof"][0]["verificationMethod"] == documents.key_url(partner_key)
    assert credential["issuer"]["id"] == documents.issuer_v3_url(data["partner"])
    assert credential["credentialSubject"]["id"] == documents.achievement_url(data["badge_class"])
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == documents.status_list_url(data["partner"], "endorsements")
    assert status["statusListIndex"] == str(data["endorsement"].id)


def test_status_lists_set_the_bits_of_revoked_awards_and_withdrawn_endorsements(data):
    revoked = factories.award(data["badge_class"], revoked_at=factories.now())
    withdrawn = factories.endorsement(data["partner"], factories.badge_class(data["issuer"]), state="withdrawn")
    awards = documents_ob3.status_list_credential(data["issuer"], "revocation")
    assert proofs.verify_data_integrity(awards, resolver)[0] is True
    bits = ob3.decode_status_list(awards["credentialSubject"]["encodedList"])
    assert ob3.is_index_set(bits, revoked.id)
    assert not ob3.is_index_set(bits, data["award"].id)
    endorsements = documents_ob3.status_list_credential(data["partner"], "endorsements")
    bits = ob3.decode_status_list(endorsements["credentialSubject"]["encodedList"])
    assert ob3.is_index_set(bits, withdrawn.id)
    assert not ob3.is_index_set(bits, data["endorsement"].id)


@pytest.mark.parametrize(
    ("largest", "length"), [(0, 131072), (131071, 131072), (131072, 262144), (400000, 524288)]
)
def test_status_list_grows_so_every_index_fits(largest, length):
    assert documents_ob3.status_list_length(largest) == length


# --------------------------------------------------------------------- baking


def test_baked_png_of_an_uploaded_image_keeps_its_bytes(data):
    badge_class = factories.badge_class(data["issuer"], image=factories.png_file())
    award = factories.award(badge_class)
    original = baking.read_chunks(badge_class.image.data)
    for baked, keyword in (
        (documents_ob2.baked_png(award), baking.OB2_KEYWORD),
        (documents_ob3.baked_png(award), baking.OB3_KEYWORD),
    ):
        chunks = baking.read_chunks(baked)
        assert [c for c in chunks if c.type != b"iTXt"] == original
        payload = json.loads(baking.unbake_png(baked)[keyword])
        assert payload["id"] in (documents.assertion_url(award), documents.credential_url(award))
    assert documents_ob2.baked_svg(award) is None
    assert documents_ob3.baked_svg(award) is None


def test_placeholder_class_bakes_svg_and_a_generated_png(data):
    award = data["award"]
    svg = baking.unbake_svg(documents_ob2.baked_svg(award))
    assert json.loads(svg[baking.OB2_KEYWORD])["id"] == documents.assertion_url(award)
    svg3 = baking.unbake_svg(documents_ob3.baked_svg(award))
    assert json.loads(svg3[baking.OB3_KEYWORD])["id"] == documents.credential_url(award)
    png = documents_ob2.baked_png(award)
    assert json.loads(baking.unbake_png(png)[baking.OB2_KEYWORD])["id"] == documents.assertion_url(award)
    assert documents.badge_png(data["badge_class"]) == documents.badge_png(data["badge_class"])


# --------------------------------------------------------------------- what is public


def test_no_email_but_the_organisations_contact_in_any_document(data):
    award, endorsement = data["award"], data["endorsement"]
    texts = [
        json.dumps(document)
        for document in (
            documents_ob2.assertion(award),
            documents_ob2.badge_class(data["badge_class"]),
            documents_ob2.endorsement(endorsement),
            documents_ob2.revocation_list(data["issuer"]),
            documents_ob3.credential(award),
            documents_ob3.achievement_document(data["badge_class"]),
            documents_ob3.endorsement_credential(endorsement),
            documents_ob3.profile_document(data["issuer"]),
            unverified_jws_parts(documents_ob3.credential_jwt(award))[1],
            unverified_jws_parts(documents_ob2.signed_assertion(award))[1],
        )
    ]
    assert not [address for text in texts for address in EMAIL.findall(text)]
    assert EMAIL.findall(json.dumps(documents_ob2.issuer_profile(data["issuer"]))) == [
        data["issuer"].contact_email
    ]


def test_every_id_is_on_the_public_origin(data):
    document = documents_ob3.credential(data["award"])
    ids = [i for i in all_ids(document) if not i.startswith("http://data.europa.eu/esco/")]
    assert ids and all(i.startswith(BASE + "/") for i in ids)


@pytest.mark.parametrize(
    ("fields", "published"),
    [
        ({}, True),
        ({"source": "imported"}, False),
        ({"badge_class": None}, False),
    ],
)
def test_which_awards_are_published(data, fields, published):
    award = data["award"]
    for name, value in fields.items():
        setattr(award, name, value)
    assert documents.is_published_award(award) is published


@pytest.mark.parametrize(
    ("state", "published"),
    [("draft", False), ("in_review", False), ("published", True), ("archived", True)],
)
def test_which_badge_classes_are_published(data, state, published):
    data["badge_class"].state = state
    assert documents.is_published_badge_class(data["badge_class"]) is published


def test_pending_organisation_is_published_once_it_has_signed(data):
    pending = factories.organisation(verification_state="pending")
    assert not documents.is_published_organisation(pending)
    keys.signing_key(pending, "Ed25519")
    db.session.refresh(pending)
    assert documents.is_published_organisation(pending)


@pytest.mark.parametrize(
    ("visibility", "profile_visibility", "expected"),
    [
        ("public", "public", "Camille Martin"),
        ("public", None, None),  # unclaimed: nobody consented to show the recipient's name
        ("public", "partners", None),
        ("public", "private", None),
        ("private", "public", None),
    ],
)
def test_holder_name_only_when_award_and_profile_are_public(data, visibility, profile_visibility, expected):
    award = data["award"]
    award.visibility = visibility
    with_profile = profile_visibility is not None
    award.profile = factories.profile(visibility=profile_visibility) if with_profile else None
    holder = documents.public_holder(award)
    assert (holder or {}).get("name") == expected
    if holder and with_profile:
        assert holder["url"] == f"{BASE}/profiles/{award.profile.slug}"

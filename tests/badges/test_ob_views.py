"""The published Open Badges URLs: negotiation, status codes, downloads, CORS."""

import json

import pytest
from sqlalchemy import func
from sqlalchemy import select

from directory.badges import documents
from directory.openbadges import baking
from directory.organisations import keys
from directory.organisations.models import SigningKey
from tests.badges import ob_factories as factories

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
VALIDATOR = {"Accept": "application/ld+json, application/json, image/png, image/svg+xml"}
JSON_ONLY = {"Accept": "application/json"}


@pytest.fixture
def data(db):
    """The scenario, committed so requests see it."""
    scenario = factories.scenario()
    db.session.commit()
    return scenario


def path(url: str) -> str:
    """The path of a public URL, for the test client."""
    return url.removeprefix("https://badgeons.test")


def get(client, url: str, headers: dict | None = None):
    return client.get(path(url), headers=headers or {})


# --------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("url_of", "type_"),
    [
        (lambda d: documents.issuer_v2_url(d["issuer"]), "Issuer"),
        (lambda d: documents.badge_class_url(d["badge_class"]), "BadgeClass"),
        (lambda d: documents.assertion_url(d["award"]), "Assertion"),
        (lambda d: documents.endorsement_v2_url(d["endorsement"]), "Endorsement"),
        (lambda d: documents.revocation_list_url(d["issuer"]), "RevocationList"),
    ],
)
def test_ob2_documents_are_json_ld_with_cors(client, data, url_of, type_):
    url = url_of(data)
    response = get(client, url, VALIDATOR)
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response.headers["Vary"]
    assert response.json["id"] == url
    assert response.json["type"] == type_


def test_json_only_clients_get_application_json(client, data):
    response = get(client, documents.assertion_url(data["award"]), JSON_ONLY)
    assert response.mimetype == "application/json"
    credential = get(client, documents.credential_url(data["award"]), JSON_ONLY)
    assert credential.mimetype == "application/json"


def test_clients_without_preference_get_json(client, data):
    response = get(client, documents.badge_class_url(data["badge_class"]), {"Accept": "*/*"})
    assert response.mimetype == "application/ld+json"


def test_ob3_credential_media_types(client, data):
    award = data["award"]
    credential = get(client, documents.credential_url(award), {"Accept": "*/*"})
    assert credential.mimetype == "application/vc+ld+json"
    assert credential.json["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    validator = get(client, documents.credential_url(award), VALIDATOR)
    assert validator.mimetype == "application/ld+json"
    jwt = get(client, documents.credential_url(award, ".jwt"))
    assert jwt.mimetype == "text/plain"
    assert jwt.get_data(as_text=True).count(".") == 2


def test_signing_on_a_get_keeps_the_new_key(client, data, db):
    get(client, documents.credential_url(data["award"]))
    db.session.remove()
    count = db.session.scalar(select(func.count()).select_from(SigningKey))
    assert count == 1


@pytest.mark.parametrize(
    ("url_of", "expected"),
    [
        (lambda d: documents.badge_class_url(d["badge_class"]), "Reconnu par"),
        (lambda d: documents.achievement_url(d["badge_class"]), "Reconnu par"),
        (lambda d: documents.issuer_v2_url(d["issuer"]), "Badges délivrés"),
        (lambda d: documents.issuer_v3_url(d["issuer"]), "Badges délivrés"),
        (lambda d: documents.assertion_url(d["award"]), "Télécharger ce badge"),
        (lambda d: documents.credential_url(d["award"]), "Télécharger ce badge"),
    ],
)
def test_browsers_get_the_html_page(client, data, url_of, expected):
    response = get(client, url_of(data), BROWSER)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert expected in response.get_data(as_text=True)


def test_endorsement_sends_browsers_to_what_is_endorsed(client, data):
    response = get(client, documents.endorsement_v3_url(data["endorsement"]), BROWSER)
    assert response.status_code == 302
    assert response.headers["Location"] == documents.badge_class_page_url(data["badge_class"])


# --------------------------------------------------------------------- award page


def test_award_page_shows_holder_dates_and_downloads(client, data, db):
    award = data["award"]
    award.profile = factories.profile()
    db.session.commit()
    html = get(client, documents.assertion_url(award), BROWSER).get_data(as_text=True)
    assert "Pitcher son projet" in html
    assert data["issuer"].name in html
    assert "Camille Martin" in html
    for url in documents.award_links(award).values():
        assert url in html or "/ob/images/" in url
    assert documents.assertion_url(award, ".svg") in html
    assert factories.RECIPIENT_EMAIL not in html


@pytest.mark.parametrize("award_visibility, profile_visibility", [("private", "public"), ("public", "private")])
def test_award_page_hides_the_holder_of_a_private_award(client, data, db, award_visibility, profile_visibility):
    data["award"].visibility = award_visibility
    data["award"].profile = factories.profile(visibility=profile_visibility)
    db.session.commit()
    html = get(client, documents.assertion_url(data["award"]), BROWSER).get_data(as_text=True)
    assert "Camille Martin" not in html
    assert "Décerné à" not in html


def test_award_page_in_english(client, data):
    html = client.get(path(documents.assertion_url(data["award"])) + "?lang=en", headers=BROWSER)
    assert "Download this badge" in html.get_data(as_text=True)


# --------------------------------------------------------------------- revocation


@pytest.fixture
def revoked(data, db):
    award = factories.award(
        data["badge_class"], revoked_at=factories.now(), revocation_reason="Attribué par erreur"
    )
    db.session.commit()
    return award


def test_revoked_assertion_is_gone(client, revoked):
    url = documents.assertion_url(revoked)
    response = get(client, url, VALIDATOR)
    assert response.status_code == 410
    assert response.json == {"id": url, "revoked": True, "revocationReason": "Attribué par erreur"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_revoked_award_page_says_so_with_410(client, revoked):
    response = get(client, documents.assertion_url(revoked), BROWSER)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "révoqué" in html and "Attribué par erreur" in html
    assert "Télécharger ce badge" not in html


@pytest.mark.parametrize("suffix", [".png", ".svg", ".jws"])
def test_revoked_award_has_no_ob2_downloads(client, revoked, suffix):
    assert get(client, documents.assertion_url(revoked, suffix), VALIDATOR).status_code == 410


@pytest.mark.parametrize("suffix", [".png", ".svg", ".json", ".jwt"])
def test_revoked_award_has_no_ob3_downloads(client, revoked, suffix):
    assert get(client, documents.credential_url(revoked, suffix), VALIDATOR).status_code == 410


def test_revoked_credential_is_still_served_with_its_status(client, revoked):
    response = get(client, documents.credential_url(revoked), VALIDATOR)
    assert response.status_code == 200
    assert response.json["credentialStatus"]["statusListIndex"] == str(revoked.id)


def test_withdrawn_endorsement_is_gone(client, data, db):
    data["endorsement"].state = "withdrawn"
    db.session.commit()
    url = documents.endorsement_v2_url(data["endorsement"])
    response = get(client, url, VALIDATOR)
    assert response.status_code == 410
    assert response.json["revoked"] is True and response.json["id"] == url
    badge_class = get(client, documents.badge_class_url(data["badge_class"]), VALIDATOR).json
    assert "endorsement" not in badge_class


# --------------------------------------------------------------------- not published


def test_unknown_ids_are_404_json(client, db):
    for url in (
        "/ob/v2/assertions/00000000-0000-4000-8000-000000000000",
        "/ob/v3/issuers/00000000-0000-4000-8000-000000000000",
        "/ob/keys/unknown",
    ):
        response = client.get(url, headers={"Accept": "*/*"})
        assert response.status_code == 404
        assert response.json["error"]["status"] == 404


def test_unknown_id_is_an_html_page_for_browsers(client, db):
    response = client.get("/ob/v2/badges/00000000-0000-4000-8000-000000000000", headers=BROWSER)
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_unpublished_objects_are_404(client, data, db):
    draft = factories.badge_class(data["issuer"], state="draft")
    imported = factories.award(data["badge_class"], source="imported")
    requested = factories.endorsement(factories.organisation(kind="insurer"), data["badge_class"], state="requested")
    pending = factories.organisation(verification_state="pending")
    db.session.commit()
    for url in (
        documents.badge_class_url(draft),
        documents.image_url(draft),
        documents.assertion_url(imported),
        documents.credential_url(imported),
        documents.endorsement_v2_url(requested),
        documents.issuer_v2_url(pending),
    ):
        assert get(client, url, VALIDATOR).status_code == 404, url


# --------------------------------------------------------------------- keys


def test_key_documents_and_jwk(client, data, db):
    rsa_key = keys.signing_key(data["issuer"], "RS256")
    ed_key = keys.signing_key(data["issuer"], "Ed25519")
    db.session.commit()
    cryptographic_key = get(client, documents.key_url(rsa_key), VALIDATOR)
    assert cryptographic_key.json["type"] == "CryptographicKey"
    assert cryptographic_key.headers["Access-Control-Allow-Origin"] == "*"
    multikey = get(client, documents.key_url(ed_key), VALIDATOR).json
    assert multikey["type"] == "Multikey"
    assert multikey["controller"] == documents.issuer_v3_url(data["issuer"])
    jwk = get(client, documents.key_url(rsa_key), {"Accept": "application/jwk+json, application/json"})
    assert jwk.mimetype == "application/jwk+json"
    assert jwk.json["kid"] == documents.key_url(rsa_key) and "d" not in jwk.json


def test_jwks_list_rsa_keys_with_their_issuer(client, data, db):
    rsa_key = keys.signing_key(data["issuer"], "RS256")
    keys.signing_key(data["partner"], "Ed25519")
    db.session.commit()
    issuer = get(client, documents.jwks_url(data["issuer"]))
    assert issuer.mimetype == "application/jwk-set+json"
    assert [k["kid"] for k in issuer.json["keys"]] == [documents.key_url(rsa_key)]
    platform = client.get("/.well-known/jwks.json")
    assert platform.headers["Access-Control-Allow-Origin"] == "*"
    assert [k["iss"] for k in platform.json["keys"]] == [documents.issuer_v3_url(data["issuer"])]


def test_retired_keys_stay_published(client, data, db):
    old = keys.signing_key(data["issuer"], "Ed25519")
    keys.rotate_keys(data["issuer"])
    db.session.commit()
    assert get(client, documents.key_url(old), VALIDATOR).status_code == 200
    profile = get(client, documents.issuer_v3_url(data["issuer"]), VALIDATOR).json
    assert documents.key_url(old) in profile["assertionMethod"]
    assert len(profile["assertionMethod"]) == 2


# --------------------------------------------------------------------- images and downloads


def test_class_image_placeholder_is_svg_with_cors_and_caching(client, data):
    url = documents.image_url(data["badge_class"])
    response = get(client, url)
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(path(url), headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_uploaded_png_class_image_and_its_baked_downloads(client, data, db):
    badge_class = factories.badge_class(data["issuer"], image=factories.png_file())
    award = factories.award(badge_class)
    db.session.commit()
    assert get(client, documents.image_url(badge_class)).data == badge_class.image.data
    baked = get(client, documents.assertion_url(award, ".png"))
    assert baked.mimetype == "image/png"
    assert json.loads(baking.unbake_png(baked.data)["openbadges"])["id"] == documents.assertion_url(award)
    assert get(client, documents.assertion_url(award, ".svg")).status_code == 404
    assert get(client, documents.credential_url(award, ".svg")).status_code == 404


@pytest.mark.parametrize(
    ("suffix_url", "mimetype", "keyword"),
    [
        (lambda a: documents.assertion_url(a, ".png"), "image/png", "openbadges"),
        (lambda a: documents.assertion_url(a, ".svg"), "image/svg+xml", "openbadges"),
        (lambda a: documents.credential_url(a, ".png"), "image/png", "openbadgecredential"),
        (lambda a: documents.credential_url(a, ".svg"), "image/svg+xml", "openbadgecredential"),
    ],
)
def test_baked_downloads_of_a_placeholder_class(client, data, suffix_url, mimetype, keyword):
    response = get(client, suffix_url(data["award"]))
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert baking.extract_any(response.data)[1]
    found = baking.unbake_png(response.data) if mimetype == "image/png" else baking.unbake_svg(response.data)
    assert set(found) == {keyword}


def test_json_and_jws_downloads(client, data):
    award = data["award"]
    credential = get(client, documents.credential_url(award, ".json"))
    assert credential.mimetype == "application/vc+ld+json"
    assert "filename=" in credential.headers["Content-Disposition"]
    assert json.loads(credential.data)["id"] == documents.credential_url(award)
    jws = get(client, documents.assertion_url(award, ".jws"))
    assert jws.mimetype == "text/plain" and jws.get_data(as_text=True).count(".") == 2

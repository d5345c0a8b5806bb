"""The app's published Open Badges documents, checked by validators nobody here wrote.

A separate app (SQLite file, migrated) runs on a real server on 127.0.0.1; its ids are
``https://badgeons.test/...`` and the harness maps that origin onto the server (what a
TLS-terminating proxy does), so the validators see the public https ids.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests
from flask import Flask
from validators import dcc_verify
from validators import dcc_verify_many
from validators import ob2_validate
from validators import ob2_validate_many
from validators import require_dcc
from validators import require_ob2
from validators import schema_errors

from directory.badges import documents
from directory.extensions import db
from directory.openbadges import ob3
from directory.openbadges.jose import unverified_jws_parts
from directory.openbadges.jose import verify_jws
from directory.organisations.keys import rotate_keys
from directory.organisations.models import Organisation
from tests.badges import ob_factories as factories
from tests.serving import migrated_app
from tests.serving import serving

pytestmark = pytest.mark.conformance

PUBLIC = "https://badgeons.test"
# We hash the normalised (lower-case) address; 1EdTech's validator does not normalise what it is given.
EMAIL = factories.RECIPIENT_EMAIL.lower()
LD = {"Accept": "application/ld+json, application/json"}
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@dataclass
class Live:
    """The running app and the public URLs of its objects."""

    app: Flask
    origin: str
    urls: dict

    @property
    def origin_map(self) -> dict:
        return {PUBLIC: self.origin}

    def get(self, public_url: str, **headers) -> requests.Response:
        """Fetch a public URL from the local server."""
        return requests.get(public_url.replace(PUBLIC, self.origin), headers=headers, timeout=30)

    def json(self, public_url: str) -> dict:
        response = self.get(public_url, **LD)
        assert response.status_code == 200, (public_url, response.status_code)
        return response.json()


def _build_data() -> dict:
    """An issuer with an ESCO-aligned class, a partner endorsing it, a live and a revoked award."""
    data = factories.scenario()
    revoked = factories.award(
        data["badge_class"],
        email="autre.entrepreneur@exemple.fr",
        revoked_at=factories.now() - timedelta(hours=1),
        revocation_reason="Attribué par erreur",
    )
    rotated_issuer = factories.organisation()
    rotated_award = factories.award(factories.badge_class(rotated_issuer))
    award = data["award"]
    return {
        "assertion": documents.assertion_url(award),
        "png2": documents.assertion_url(award, ".png"),
        "svg2": documents.assertion_url(award, ".svg"),
        "jws": documents.assertion_url(award, ".jws"),
        "credential": documents.credential_url(award),
        "jwt": documents.credential_url(award, ".jwt"),
        "png3": documents.credential_url(award, ".png"),
        "badge_class": documents.badge_class_url(data["badge_class"]),
        "achievement": documents.achievement_url(data["badge_class"]),
        "issuer2": documents.issuer_v2_url(data["issuer"]),
        "issuer3": documents.issuer_v3_url(data["issuer"]),
        "partner2": documents.issuer_v2_url(data["partner"]),
        "partner3": documents.issuer_v3_url(data["partner"]),
        "endorsement2": documents.endorsement_v2_url(data["endorsement"]),
        "endorsement3": documents.endorsement_v3_url(data["endorsement"]),
        "revocations": documents.revocation_list_url(data["issuer"]),
        "status": documents.status_list_url(data["issuer"]),
        "partner_status": documents.status_list_url(data["partner"], "endorsements"),
        "revoked_assertion": documents.assertion_url(revoked),
        "revoked_credential": documents.credential_url(revoked),
        "revoked_index": revoked.id,
        "rotated_issuer_id": rotated_issuer.id,
        "rotated_issuer2": documents.issuer_v2_url(rotated_issuer),
        "rotated_jws": documents.assertion_url(rotated_award, ".jws"),
        "rotated_credential": documents.credential_url(rotated_award),
    }


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app on its own migrated SQLite file, served by werkzeug on a random port."""
    path = tmp_path_factory.mktemp("live") / "live.db"
    with migrated_app(path, PUBLIC, _build_data) as (app, urls), serving(app) as origin:
        yield Live(app, origin, urls)


# --------------------------------------------------------------------- OB 2.0


def test_ob2_validator_accepts_hosted_baked_and_signed(live):
    require_ob2()
    urls = live.urls
    png = live.get(urls["png2"]).content
    svg = live.get(urls["svg2"]).content
    jws = live.get(urls["jws"]).text
    results = ob2_validate_many(
        [(urls["assertion"], EMAIL), (png, EMAIL), (svg, EMAIL), (jws, EMAIL)],
        origin_map=live.origin_map,
    )
    for name, result in zip(("hosted", "png", "svg", "jws"), results, strict=True):
        assert result.valid, (name, result.errors)


def test_ob2_validator_follows_the_badge_class_endorsements(live):
    require_ob2()
    result = ob2_validate(live.urls["assertion"], recipient=EMAIL, origin_map=live.origin_map)
    assert result.valid, result.errors
    fetched = result.report["harness"]["fetched"]
    assert live.urls["badge_class"] in fetched
    assert live.urls["endorsement2"] in fetched
    assert live.urls["partner2"] in fetched


def test_ob2_validator_rejects_another_recipient(live):
    require_ob2()
    result = ob2_validate(live.urls["assertion"], recipient="quelqu.un@exemple.fr", origin_map=live.origin_map)
    assert not result.valid
    assert any(e.startswith("VERIFY_RECIPIENT_IDENTIFIER") for e in result.errors), result.errors


def test_revoked_assertion_answers_410_and_is_listed(live):
    response = live.get(live.urls["revoked_assertion"], **LD)
    assert response.status_code == 410
    body = response.json()
    assert body["id"] == live.urls["revoked_assertion"]
    assert body["revoked"] is True
    assert body["revocationReason"] == "Attribué par erreur"
    listed = [entry["id"] for entry in live.json(live.urls["revocations"])["revokedAssertions"]]
    assert listed == [live.urls["revoked_assertion"]]


def test_ob2_validator_reports_the_revoked_assertion(live):
    require_ob2()
    result = ob2_validate(live.urls["revoked_assertion"], recipient="autre.entrepreneur@exemple.fr",
                          origin_map=live.origin_map)
    assert not result.valid
    assert any("HOSTED_NOT_REVOKED" in e for e in result.errors), result.errors


# --------------------------------------------------------------------- OB 3.0


def test_ob3_documents_match_the_1edtech_schemas(live):
    credential = live.json(live.urls["credential"])
    assert schema_errors(credential, "achievement") == []
    assert schema_errors(live.json(live.urls["endorsement3"]), "endorsement") == []
    assert schema_errors(live.json(live.urls["issuer3"]), "profile") == []
    assert schema_errors(live.json(live.urls["achievement"]), "achievement-object") == []
    # No 1EdTech schema exists for a status list; the DCC verifier checks it below.
    baked = live.get(live.urls["png3"]).content
    assert b"openbadgecredential" in baked


def test_dcc_verifies_credential_endorsement_status_list_and_jwt(live):
    require_dcc()
    urls = live.urls
    items = [
        live.json(urls["credential"]),
        live.json(urls["endorsement3"]),
        live.json(urls["status"]),
        live.json(urls["partner_status"]),
        live.get(urls["jwt"]).text,
    ]
    results = dcc_verify_many(items, origin_map=live.origin_map)
    for name, result in zip(("credential", "endorsement", "status", "partner status", "jwt"), results, strict=True):
        assert result.valid, (name, result.errors)
    assert urls["status"] in results[0].report["fetched"]


def test_dcc_reports_the_revoked_credential(live):
    require_dcc()
    status = live.json(live.urls["status"])
    bits = ob3.decode_status_list(status["credentialSubject"]["encodedList"])
    assert ob3.is_index_set(bits, live.urls["revoked_index"])
    result = dcc_verify(live.json(live.urls["revoked_credential"]), origin_map=live.origin_map)
    assert not result.valid
    assert any(e.startswith("revocation_status") for e in result.errors), result.errors


# --------------------------------------------------------------------- keys and privacy


def test_old_badges_still_verify_after_key_rotation(live):
    require_ob2()
    require_dcc()
    urls = live.urls
    old_jws = live.get(urls["rotated_jws"]).text
    old_credential = live.json(urls["rotated_credential"])
    with live.app.app_context():
        rotate_keys(db.session.get(Organisation, urls["rotated_issuer_id"]))
        db.session.commit()
    new_jws = live.get(urls["rotated_jws"]).text
    new_credential = live.json(urls["rotated_credential"])
    assert new_credential["proof"][0]["verificationMethod"] != old_credential["proof"][0]["verificationMethod"]
    # OB 3.0: the retired Multikey stays under the Profile's assertionMethod.
    old_result, new_result = dcc_verify_many([old_credential, new_credential], origin_map=live.origin_map)
    assert old_result.valid, old_result.errors
    assert new_result.valid, new_result.errors
    # OB 2.0: the retired key is still published, owned by the issuer, and checks the old JWS.
    _header, payload = unverified_jws_parts(old_jws)
    old_key = live.json(payload["verification"]["creator"])
    assert old_key["owner"] == urls["rotated_issuer2"]
    assert verify_jws(old_jws, old_key["publicKeyPem"]) == payload
    new_result, old_result = ob2_validate_many([(new_jws, EMAIL), (old_jws, EMAIL)], origin_map=live.origin_map)
    assert new_result.valid, new_result.errors
    # 1EdTech's validator only accepts a single-valued Profile publicKey, so it lists the
    # active key alone and cannot vouch for a JWS signed before the rotation (known limit).
    assert [e.split(":")[0] for e in old_result.errors] == ["VERIFY_KEY_OWNERSHIP"], old_result.errors


def test_no_personal_email_in_any_public_document(live):
    urls = live.urls
    texts = [live.get(urls[name], **LD).text for name in urls if isinstance(urls[name], str)]
    organisation_contacts = {live.json(urls[n])["email"] for n in ("issuer2", "partner2", "rotated_issuer2")}
    found = {address for text in texts for address in EMAIL_PATTERN.findall(text)}
    # OB 2.0 requires an issuer Profile e-mail: the organisation's contact address is the only one.
    assert found <= organisation_contacts, found - organisation_contacts
    assert not any(EMAIL in text.lower() for text in texts)

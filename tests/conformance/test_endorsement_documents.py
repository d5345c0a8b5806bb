"""Endorsements as published documents, checked by validators nobody here wrote, before and after withdrawal.

OB 2.0: 1EdTech's validator follows the BadgeClass ``endorsement`` list from a hosted assertion
(it fetches and checks the Endorsement and the endorser's Profile); once withdrawn, the
Endorsement answers 410, is in the endorser's RevocationList and leaves the BadgeClass.
OB 3.0: the EndorsementCredential passes the 1EdTech JSON Schema and the DCC verifier; once
withdrawn, the endorser's status list has its bit set and the DCC verifier reports it revoked.
The app runs on its own migrated SQLite file behind a real server, as in test_published_documents.
"""

from dataclasses import dataclass

import pytest
import requests
from flask import Flask
from validators import dcc_verify
from validators import dcc_verify_many
from validators import ob2_validate_many
from validators import require_dcc
from validators import require_ob2
from validators import schema_errors

from directory.accounts.models import User
from directory.badges import documents
from directory.endorsements import services
from directory.endorsements.models import Endorsement
from directory.endorsements.services import Target
from directory.extensions import db
from directory.openbadges import ob3
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import member
from tests.serving import migrated_app
from tests.serving import serving

pytestmark = pytest.mark.conformance

PUBLIC = "https://badgeons.test"
EMAIL = factories.RECIPIENT_EMAIL.lower()
LD = {"Accept": "application/ld+json, application/json"}
COMMENT = "Nous reconnaissons ce badge dans nos **appels à projets** pour les commerces de centre-bourg."


@dataclass
class Live:
    """The running app, the ids of what it published, and a way to act on it."""

    app: Flask
    origin: str
    ids: dict

    @property
    def origin_map(self) -> dict:
        return {PUBLIC: self.origin}

    def get(self, public_url: str) -> requests.Response:
        return requests.get(public_url.replace(PUBLIC, self.origin), headers=LD, timeout=30)

    def json(self, public_url: str) -> dict:
        response = self.get(public_url)
        assert response.status_code == 200, (public_url, response.status_code)
        return response.json()

    def withdraw(self, name: str) -> None:
        """Withdraw one of the endorsements through the service, as its endorser's member would."""
        with self.app.app_context():
            endorsement = db.session.get(Endorsement, self.ids[name]["id"])
            services.withdraw(endorsement, db.session.get(User, self.ids["member"]), "Nos critères ont changé")
            db.session.commit()


def _endorsed_class(issuer, partner, user) -> dict:
    """A published class with an award, endorsed by ``partner``: the ids a verifier starts from."""
    badge_class = factories.badge_class(issuer)
    award = factories.award(badge_class)
    endorsement = services.endorse(Target(badge_class=badge_class), partner, user, COMMENT)
    return {
        "id": endorsement.id,
        "assertion": documents.assertion_url(award),
        "badge_class": documents.badge_class_url(badge_class),
        "achievement": documents.achievement_url(badge_class),
        "v2": documents.endorsement_v2_url(endorsement),
        "v3": documents.endorsement_v3_url(endorsement),
    }


def _build() -> dict:
    issuer = factories.organisation()
    partner = factories.organisation(kind="local_authority")
    user = member(partner)
    of_issuer = services.endorse(Target(issuer=issuer), partner, user, "Un réseau d'accompagnement exigeant.")
    return {
        "member": user.id,
        "for_ob2": _endorsed_class(issuer, partner, user),
        "for_ob3": _endorsed_class(issuer, partner, user),
        "issuer3": documents.issuer_v3_url(issuer),
        "of_issuer": documents.endorsement_v3_url(of_issuer),
        "partner2": documents.issuer_v2_url(partner),
        "revocations": documents.revocation_list_url(partner),
        "status": documents.status_list_url(partner, "endorsements"),
    }


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("endorsements") / "live.db"
    with migrated_app(path, PUBLIC, _build) as (app, ids), serving(app) as origin:
        yield Live(app, origin, ids)


def test_ob2_validator_before_and_after_withdrawal(live):
    require_ob2()
    ids = live.ids["for_ob2"]
    assert live.json(ids["badge_class"])["endorsement"] == [ids["v2"]]
    badge_class, endorsement, assertion = ob2_validate_many(
        [ids["badge_class"], ids["v2"], (ids["assertion"], EMAIL)], origin_map=live.origin_map
    )
    for name, result in (("badge class", badge_class), ("endorsement", endorsement), ("assertion", assertion)):
        assert result.valid, (name, result.errors)
    assert {ids["v2"], live.ids["partner2"]} <= set(badge_class.report["harness"]["fetched"])

    live.withdraw("for_ob2")
    gone = live.get(ids["v2"])
    assert gone.status_code == 410 and gone.json() == {"id": ids["v2"], "issuer": live.ids["partner2"], "revoked": True}
    assert ids["v2"] in [entry["id"] for entry in live.json(live.ids["revocations"])["revokedAssertions"]]
    assert "endorsement" not in live.json(ids["badge_class"])
    badge_class, endorsement = ob2_validate_many([ids["badge_class"], ids["v2"]], origin_map=live.origin_map)
    assert badge_class.valid, badge_class.errors
    assert ids["v2"] not in badge_class.report["harness"]["fetched"]
    assert not endorsement.valid
    assert any(e.startswith("HARNESS_HOSTED_NOT_REVOKED") for e in endorsement.errors), endorsement.errors


def test_endorsement_credential_before_and_after_withdrawal(live):
    require_dcc()
    ids = live.ids["for_ob3"]
    credential = live.json(ids["v3"])
    assert schema_errors(credential, "endorsement") == []
    achievement = live.json(ids["achievement"])
    assert [e["id"] for e in achievement["endorsement"]] == [ids["v3"]]
    assert schema_errors(achievement, "achievement-object") == []
    profile = live.json(live.ids["issuer3"])
    assert schema_errors(profile, "profile") == []
    results = dcc_verify_many([credential, *achievement["endorsement"], *profile["endorsement"]], origin_map=live.origin_map)
    for name, result in zip(("credential", "in achievement", "in profile"), results, strict=True):
        assert result.valid, (name, result.errors)
    assert live.ids["status"] in results[0].report["fetched"]

    live.withdraw("for_ob3")
    status = live.json(live.ids["status"])
    assert ob3.is_index_set(ob3.decode_status_list(status["credentialSubject"]["encodedList"]), ids["id"])
    assert "endorsement" not in live.json(ids["achievement"])
    revoked = live.json(ids["v3"])
    assert schema_errors(revoked, "endorsement") == []
    result = dcc_verify(revoked, origin_map=live.origin_map)
    assert not result.valid
    assert any(e.startswith("revocation_status") for e in result.errors), result.errors

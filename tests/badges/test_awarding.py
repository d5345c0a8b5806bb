"""Awards: direct award, the claim link, revocation (single and bulk), expiry — as verifiers see them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges import awarding
from directory.badges import documents
from directory.badges.models import Award
from directory.badges.services import IssuingError
from directory.badges.services import add_months
from directory.core import mail
from directory.core.models import AuditEntry
from directory.extensions import db as _db
from directory.openbadges import ob3
from directory.openbadges.hashing import identity_matches
from directory.openbadges.verify import verify_badge
from directory.profiles.models import Profile
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import anonymous_client
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import person
from tests.badges.issuing_helpers import published
from tests.badges.issuing_helpers import team

LD = {"Accept": "application/ld+json"}
PUBLIC = "https://badgeons.test"


@pytest.fixture
def scene(db):
    people = team()
    people["badge_class"] = published(people["issuer"], people["editor"], people["reviewer"])
    return people


def _claim_link() -> str:
    return re.search(r"https://badgeons\.test(/recuperer-un-badge/\S+)", mail.outbox()[0].body).group(1)


def test_awarding_is_cheap_and_publishes_only_a_hash(scene):
    issued = awarding.award_badge(scene["badge_class"], " Lea.Roussel@Exemple.fr ", "Léa Roussel", scene["reviewer"])
    award = issued.award
    assert award.recipient_email == "lea.roussel@exemple.fr"
    assert identity_matches("lea.roussel@exemple.fr", award.identity_hash, award.salt)
    # Nothing is signed at award time: the organisation has no key until a document is served.
    assert scene["issuer"].keys == []
    assert award.claim_token_hash == awarding.claim_token_hash(issued.claim_token)
    assert award.visibility == "private" and award.profile_id is None


def test_direct_award_claimed_by_a_recipient_without_an_account(client, scene):
    _db.session.commit()
    login(client, scene["reviewer"])
    response = client.post(
        f"/emetteur/{scene['issuer'].slug}/attributions/nouvelle",
        data={"badge_class": scene["badge_class"].uuid, "email": "lea.roussel@exemple.fr", "name": "Léa Roussel",
              "evidence_url": "https://exemple.fr/preuve"},
    )
    assert response.status_code == 302
    link = _claim_link()
    anonymous = anonymous_client(client.application)
    assert "Récupérer ce badge" in anonymous.get(link).get_data(as_text=True)
    assert anonymous.post(link).status_code == 302
    award = _db.session.scalar(select(Award))
    user = _db.session.scalar(select(User).where(User.email == "lea.roussel@exemple.fr"))
    assert award.recipient_id == user.id and award.claimed_at is not None
    profile = _db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    assert award.profile_id == profile.id and profile.visibility == "private" and not profile.listing_consent
    assert anonymous.get(link).status_code == 410  # used once
    assert award.badge_class.name_fr in anonymous.get("/candidatures").get_data(as_text=True)


def test_a_signed_in_person_claims_into_their_own_profile(client, scene):
    issued = awarding.award_badge(scene["badge_class"], "autre@exemple.fr", "Léa", scene["reviewer"])
    holder = person("Léa Roussel")
    _db.session.commit()
    login(client, holder)
    client.post(f"/recuperer-un-badge/{issued.claim_token}")
    assert issued.award.recipient_id == holder.id


def test_expired_or_unknown_claim_links_do_not_work(client, scene):
    issued = awarding.award_badge(scene["badge_class"], "lea@exemple.fr", "Léa", scene["reviewer"])
    issued.award.claim_expires_at = factories.now() - timedelta(minutes=1)
    _db.session.commit()
    assert client.post(f"/recuperer-un-badge/{issued.claim_token}").status_code == 410
    assert client.get("/recuperer-un-badge/nimporte-quoi").status_code == 410
    assert issued.award.claimed_at is None


def test_revocation_shows_at_once_in_every_published_document(client, scene):
    award = awarding.award_badge(scene["badge_class"], "lea@exemple.fr", "Léa", scene["reviewer"]).award
    holder = person("Léa Roussel")
    awarding.claim_award(award, holder)
    award.profile.visibility = "public"
    _db.session.commit()
    assertion = documents.assertion_url(award).removeprefix(PUBLIC)
    assert client.get(assertion, headers=LD).status_code == 200
    login(client, scene["reviewer"])
    revoke_url = f"/emetteur/{scene['issuer'].slug}/attributions/{award.uuid}/revoquer"
    assert "Oui, révoquer" in client.get(revoke_url).get_data(as_text=True)
    client.post(revoke_url, data={"reason": "Attribué par erreur"})
    gone = client.get(assertion, headers=LD)
    assert gone.status_code == 410 and gone.get_json()["revocationReason"] == "Attribué par erreur"
    revocations = client.get(documents.revocation_list_url(scene["issuer"]).removeprefix(PUBLIC), headers=LD).get_json()
    assert [entry["id"] for entry in revocations["revokedAssertions"]] == [documents.assertion_url(award)]
    status = client.get(documents.status_list_url(scene["issuer"]).removeprefix(PUBLIC), headers=LD).get_json()
    assert ob3.is_index_set(ob3.decode_status_list(status["credentialSubject"]["encodedList"]), award.id)
    assert "Révoqué" in client.get(f"/profiles/{award.profile.slug}").get_data(as_text=True)
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "award.revoke"))
    assert entry.actor_id == scene["reviewer"].id and entry.details["reason"] == "Attribué par erreur"


def test_bulk_revocation_confirms_then_revokes_all(client, scene):
    awards = [awarding.award_badge(scene["badge_class"], f"p{i}@exemple.fr", "P", scene["reviewer"]).award for i in range(3)]
    _db.session.commit()
    login(client, scene["reviewer"])
    url = f"/emetteur/{scene['issuer'].slug}/attributions/revoquer"
    chosen = [a.uuid for a in awards[:2]]
    page = client.post(url, data={"award": chosen}).get_data(as_text=True)
    assert "Révoquer 2 badge(s) ?" in page and all(a.revoked_at is None for a in awards)
    started = client.post(url, data={"award": chosen, "confirm": "1", "reason": "Session annulée"})
    assert [a.is_revoked for a in awards] == [True, True, False]
    assert "2 badges révoqués." in client.get(started.headers["Location"]).get_data(as_text=True)


def test_revocation_needs_a_reason_and_happens_once(scene):
    award = awarding.award_badge(scene["badge_class"], "lea@exemple.fr", "Léa", scene["reviewer"]).award
    with pytest.raises(IssuingError):
        awarding.revoke_award(award, "  ", scene["reviewer"])
    awarding.revoke_award(award, "Erreur", scene["reviewer"])
    with pytest.raises(IssuingError):
        awarding.revoke_award(award, "Encore", scene["reviewer"])


def test_expiry_comes_from_the_class_and_verifies_as_expired(client, scene):
    scene["badge_class"].expiry_months = 12
    issued_on = factories.now() - timedelta(days=400)
    award = awarding.award_badge(scene["badge_class"], "lea@exemple.fr", "Léa", scene["reviewer"], issued_on=issued_on).award
    assert award.expires_on == add_months(issued_on, 12)
    _db.session.commit()

    def fetch(url: str):
        response = client.get(url.removeprefix(PUBLIC), headers=LD)
        return response.content_type, response.data

    verdict = verify_badge(documents.assertion_url(award), fetch=fetch, recipient_email="lea@exemple.fr")
    dates = next(check for check in verdict.checks if check.id == "dates")
    assert dates.outcome == "fail" and verdict.result != "valid"
    page = client.get(documents.assertion_url(award).removeprefix(PUBLIC), headers={"Accept": "text/html"})
    assert "a expiré" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [("2025-01-31", 1, "2025-02-28"), ("2024-02-29", 12, "2025-02-28"), ("2025-11-15", 3, "2026-02-15")],
)
def test_add_months(start, months, expected):
    from datetime import UTC
    from datetime import datetime

    moment = datetime.fromisoformat(start).replace(tzinfo=UTC)
    assert add_months(moment, months).date().isoformat() == expected

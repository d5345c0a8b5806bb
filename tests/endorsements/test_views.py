"""The partner and issuer screens over HTTP: who gets in, what each form changes, what is e-mailed and shown."""

import html

import pytest
from sqlalchemy import select

from directory.badges import documents
from directory.core import mail
from directory.endorsements import services
from directory.endorsements.models import Endorsement
from directory.endorsements.services import Target
from tests.badges.issuing_helpers import anonymous_client
from tests.badges.issuing_helpers import login

COMMENT = "Ce badge compte dans nos **aides à l'installation**. <script>alert('x')</script>"
LD = {"Accept": "application/ld+json"}


@pytest.fixture(autouse=True)
def empty_outbox(app):
    app.extensions["mail_outbox"] = []


def sent_to(address: str) -> list[mail.SentMessage]:
    """Messages to ``address``, newest first."""
    return [m for m in mail.outbox() if m.to == address]


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def endorse_url(world, slug=None) -> str:
    return f"/espace/reconnaissances/{slug or world.partner.slug}/badges/{world.badge.uuid}"


def endorsements(db) -> list[Endorsement]:
    return list(db.session.scalars(select(Endorsement)))


def test_anonymous_visitors_are_sent_to_sign_in(app, world):
    response = anonymous_client(app).get("/espace/reconnaissances")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


@pytest.mark.parametrize("who", ["pending", "suspended", "other_member"])
def test_only_approved_members_endorse_in_their_organisation_name(client, db, world, who):
    login(client, getattr(world, who))
    assert client.get(endorse_url(world)).status_code == 403
    assert client.post(endorse_url(world), data={"comment": COMMENT}).status_code == 403
    assert endorsements(db) == []


def test_a_draft_badge_class_cannot_be_endorsed(client, db, world):
    login(client, world.partner_member)
    url = f"/espace/reconnaissances/{world.partner.slug}/badges/{world.draft.uuid}"
    assert client.post(url, data={"comment": COMMENT}).status_code == 404
    assert endorsements(db) == []


def test_a_partner_endorses_from_the_badge_page(client, db, world):
    login(client, world.partner_member)
    page = text(client.get(f"/badges/{world.badge.slug}"))
    assert endorse_url(world) in page
    response = client.post(endorse_url(world), data={"comment": COMMENT, "valid_until": "2099-12-31"})
    assert response.status_code == 302 and response.headers["Location"] == f"/badges/{world.badge.slug}"
    (endorsement,) = endorsements(db)
    assert endorsement.state == "active" and endorsement.valid_until.year == 2099
    page = text(client.get(f"/badges/{world.badge.slug}"))
    assert world.partner.name in page and "Collectivité territoriale" in page
    assert "<strong>aides à l'installation</strong>" in page and "<script>alert" not in page
    assert "Gérer vos reconnaissances" in page
    (message,) = sent_to(world.editor.email)
    assert world.partner.name in message.subject and "aides à l'installation" in message.body


def test_withdrawal_asks_for_confirmation_then_revokes(app, client, db, world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    login(client, world.partner_member)
    url = f"/espace/reconnaissances/{world.partner.slug}/{endorsement.uuid}/retirer"
    confirmation = text(client.get(url))
    assert "Oui, retirer" in confirmation and endorsement.state == "active"
    assert client.post(url, data={"reason": ""}).status_code == 200
    assert client.post(url, data={"reason": "Nos critères ont changé"}).status_code == 302
    db.session.refresh(endorsement)
    assert endorsement.state == "withdrawn"
    assert client.get(documents.endorsement_v2_url(endorsement).removeprefix("https://badgeons.test"), headers=LD).status_code == 410
    assert sent_to(world.editor.email)[0].subject.startswith("Reconnaissance retirée")
    assert world.partner.name not in text(anonymous_client(app).get(f"/badges/{world.badge.slug}"))


def test_a_withdrawn_endorsement_cannot_be_edited(client, db, world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    services.withdraw(endorsement, world.partner_member, "Fin du partenariat")
    db.session.commit()
    login(client, world.partner_member)
    url = f"/espace/reconnaissances/{world.partner.slug}/{endorsement.uuid}/modifier"
    assert client.post(url, data={"comment": "Revenons"}).status_code == 302
    db.session.refresh(endorsement)
    assert endorsement.state == "withdrawn" and endorsement.comment != "Revenons"


def test_another_organisation_cannot_touch_an_endorsement(client, db, world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    login(client, world.other_member)
    own_space = f"/espace/reconnaissances/{world.other.slug}/{endorsement.uuid}/retirer"
    their_space = f"/espace/reconnaissances/{world.partner.slug}/{endorsement.uuid}/retirer"
    assert client.post(own_space, data={"reason": "x"}).status_code == 404
    assert client.post(their_space, data={"reason": "x"}).status_code == 403
    db.session.refresh(endorsement)
    assert endorsement.state == "active"


def test_request_accept_and_decline_are_emailed(client, db, world):
    login(client, world.editor)
    ask = f"/emetteur/{world.issuer.slug}/reconnaissances/demander"
    form = {"target": world.badge.uuid, "partner": world.partner.id, "message": "Votre avis compte."}
    assert client.post(ask, data=form).status_code == 302
    (request,) = endorsements(db)
    assert request.state == "requested" and sent_to(world.partner_member.email)[0].subject.startswith("Demande de reconnaissance")
    login(client, world.partner_member)
    space = text(client.get(f"/espace/reconnaissances/{world.partner.slug}"))
    assert "Votre avis compte." in space
    accept = f"/espace/reconnaissances/{world.partner.slug}/{request.uuid}/accepter"
    assert client.post(accept, data={"comment": "Avec plaisir."}).status_code == 302
    db.session.refresh(request)
    assert request.state == "active" and sent_to(world.editor.email)[0].subject.startswith("Nouvelle reconnaissance")
    login(client, world.editor)
    assert client.post(ask, data={"target": "issuer", "partner": world.partner.id}).status_code == 302
    second = db.session.scalar(select(Endorsement).where(Endorsement.state == "requested"))
    login(client, world.partner_member)
    client.post(f"/espace/reconnaissances/{world.partner.slug}/{second.uuid}/decliner", data={"reason": "Pas cette année"})
    assert second.state == "declined"
    assert "Pas cette année" in sent_to(world.editor.email)[0].body


def test_the_issuer_hides_then_shows_an_endorsement(app, client, db, world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    login(client, world.editor)
    received = text(client.get(f"/emetteur/{world.issuer.slug}/reconnaissances"))
    assert "Nouvelles (1)" in received and world.partner.name in received
    hide = f"/emetteur/{world.issuer.slug}/reconnaissances/{endorsement.uuid}/masquer"
    assert "Ne plus afficher" in text(client.get(hide))
    assert client.post(hide, data={"reason": "Hors de notre champ"}).status_code == 302
    assert endorsement.hidden and endorsement.acknowledged_at is not None
    assert world.partner.name not in text(client.get(f"/badges/{world.badge.slug}"))
    assert client.get(documents.endorsement_v2_url(endorsement).removeprefix("https://badgeons.test"), headers=LD).status_code == 200
    assert "Hors de notre champ" in sent_to(world.partner_member.email)[0].body
    client.post(f"/emetteur/{world.issuer.slug}/reconnaissances/{endorsement.uuid}/afficher")
    assert not endorsement.hidden
    assert world.partner.name in text(client.get(f"/badges/{world.badge.slug}"))


def test_an_issuer_reviewer_sees_but_cannot_hide(client, db, world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    login(client, world.reviewer)
    assert client.get(f"/emetteur/{world.issuer.slug}/reconnaissances").status_code == 200
    assert client.post(f"/emetteur/{world.issuer.slug}/reconnaissances/{endorsement.uuid}/masquer", data={"reason": "x"}).status_code == 403
    client.post(f"/emetteur/{world.issuer.slug}/reconnaissances/vues")
    assert endorsement.acknowledged_at is not None


def test_dashboard_links_to_the_endorsement_spaces(client, world):
    login(client, world.editor)
    page = text(client.get("/espace"))
    assert "/espace/reconnaissances" in page and f"/emetteur/{world.issuer.slug}/reconnaissances" in page

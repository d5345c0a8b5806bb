"""One-time e-mail sign-in links: only to known addresses, hashed, single use, 30 minutes, rate-limited."""

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import update

from directory.accounts.email_links import token_hash
from directory.accounts.models import EmailSignInToken
from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from directory.core import mail
from directory.core.db import utcnow
from directory.organisations.models import Membership
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app

ADDRESS = "camille.martin@exemple.fr"


def _user(db, email: str = ADDRESS) -> User:
    user = User(display_name="Camille Martin", email=email)
    db.session.add(user)
    db.session.commit()
    return user


def _request_link(client, app, address: str = ADDRESS) -> str | None:
    with app.app_context():
        before = len(mail.outbox())
    page = client.post("/connexion/lien", data={"email": address})
    assert page.status_code == 200 and "Vérifiez votre messagerie" in page.get_data(as_text=True)
    with app.app_context():
        messages = mail.outbox()
        if len(messages) == before:
            return None
        found = re.search(r"https://badgeons\.test(/connexion/lien/\S+)", messages[0].body)
    return found.group(1)


def test_a_known_address_gets_a_link_that_signs_in_once(rp, oidc_app, db):
    user = _user(db)
    link = _request_link(rp, oidc_app)
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(select(EmailSignInToken))
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert timedelta(minutes=29) < stored.expires_at - stored.created_at <= timedelta(minutes=30)
    # Opening the link changes nothing (mail scanners open links); the button signs in.
    assert rp.get(link).status_code == 200 and db.session.scalar(select(EmailSignInToken.used_at)) is None
    response = rp.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/espace"
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == ADDRESS))
    assert identity.user_id == user.id and identity.provider == "email"
    rp.post("/deconnexion")
    assert rp.post(link).status_code == 410
    assert rp.get("/espace").status_code == 302


def test_an_unknown_address_gets_the_same_page_and_no_mail(rp, oidc_app, db):
    assert _request_link(rp, oidc_app, "personne@exemple.fr") is None
    assert db.session.scalar(select(EmailSignInToken)) is None


def test_an_expired_link_is_refused(rp, oidc_app, db):
    _user(db)
    link = _request_link(rp, oidc_app)
    db.session.execute(update(EmailSignInToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert rp.get(link).status_code == 410
    assert rp.post(link).status_code == 410


def _provider_account(db, **values) -> User:
    user = _user(db)
    for key, value in values.items():
        setattr(user, key, value)
    db.session.add(OidcIdentity(user=user, provider="mock", issuer="https://idp.example", subject="p1", claims={}))
    db.session.commit()
    return user


def _email_identity_user() -> int:
    from directory.extensions import db

    return db.session.scalar(select(OidcIdentity.user_id).where(OidcIdentity.provider == "email"))


def test_an_unverified_provider_address_is_never_taken_over(rp, oidc_app, db):
    partner = _provider_account(db, email_verified=False)
    rp.post(_request_link(rp, oidc_app))
    assert _email_identity_user() != partner.id


def test_a_member_account_is_never_entered_by_link(rp, oidc_app, db):
    from tests.idp.people import organisation

    partner = _provider_account(db, email_verified=True)
    db.session.add(Membership(user_id=partner.id, organisation_id=organisation().id, state="approved"))
    db.session.commit()
    rp.post(_request_link(rp, oidc_app))
    assert _email_identity_user() != partner.id


def test_a_verified_entrepreneur_account_is_reached_by_link(rp, oidc_app, db):
    entrepreneur = _provider_account(db, email_verified=True)
    rp.post(_request_link(rp, oidc_app))
    assert _email_identity_user() == entrepreneur.id


def test_the_outbox_page_lists_sent_messages(rp, oidc_app, db):
    _user(db)
    _request_link(rp, oidc_app)
    page = rp.get("/dev/outbox").get_data(as_text=True)
    assert "Votre lien de connexion à Badgeons" in page and ADDRESS in page


def test_the_outbox_page_is_absent_in_production(app, database_url):
    production = make_app(database_url, {}, TESTING=False, MAIL_DEV_OUTBOX=False)
    assert production.test_client().get("/dev/outbox").status_code == 404
    dispose(production)


def test_link_requests_are_rate_limited(app, database_url, db):
    _user(db)
    limited = make_app(database_url, {}, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    statuses = [client.post("/connexion/lien", data={"email": ADDRESS}).status_code for _ in range(4)]
    dispose(limited)
    assert statuses == [200, 200, 200, 429]

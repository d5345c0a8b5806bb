"""Administration screens: who sees them, what a decision changes, and that it is logged."""

from sqlalchemy import select

from directory.core.models import AuditEntry
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from tests.idp.fixtures import new_sub
from tests.idp.people import COMMUNE_SIRET
from tests.idp.people import fresh
from tests.idp.people import organisation
from tests.idp.people import person
from tests.idp.people import sign_in_as


def _admin_browser(oidc_app, issuer: str):
    browser = oidc_app.test_client()
    sign_in_as(browser, issuer, person(issuer, is_admin=True)[1])
    return browser


def test_only_administrators_see_the_screen(rp, mock_idp, db):
    assert rp.get("/admin/").status_code == 302
    sign_in_as(rp, mock_idp[0], new_sub())
    assert rp.get("/admin/").status_code == 403
    assert rp.get("/admin/", headers={"Accept": "application/json"}).get_json()["error"]["status"] == 403


def test_the_screen_lists_what_waits(rp, oidc_app, mock_idp, db):
    organisation()
    organisation("en-attente", name="Association en attente", siren="552100554", siret=None, verification_state="pending")
    sign_in_as(rp, mock_idp[0], new_sub(), siret=COMMUNE_SIRET, acr="eidas1")
    page = _admin_browser(oidc_app, mock_idp[0]).get("/admin/").get_data(as_text=True)
    assert "Association en attente" in page and "Commune d&#39;Exemple" in page
    assert f"siret = {COMMUNE_SIRET}, niveau eidas1" in page


def test_decisions_are_posts_and_are_logged(rp, oidc_app, mock_idp, db):
    organisation()
    sub = new_sub()
    sign_in_as(rp, mock_idp[0], sub, siret=COMMUNE_SIRET)
    membership = db.session.scalar(select(Membership).where(Membership.subject == sub))
    admin = _admin_browser(oidc_app, mock_idp[0])
    assert admin.get(f"/admin/adhesions/{membership.id}/refuser").status_code == 405
    admin.post(f"/admin/adhesions/{membership.id}/refuser")
    refused = fresh(Membership, membership.id)
    assert refused.state == "refused" and refused.decided_by_id is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.refuse"))
    assert entry.details == {"organisation": "commune-exemple"}
    page = admin.post(f"/admin/adhesions/{membership.id}/approuver", follow_redirects=True).get_data(as_text=True)
    assert "déjà été traitée" in page and fresh(Membership, membership.id).state == "refused"


def test_refusing_a_registration(rp, oidc_app, mock_idp, db):
    sub = new_sub()
    sign_in_as(rp, mock_idp[0], sub, siret="44306184100047")
    rp.post("/espace/organisation/inscription", data={"name": "Refusée", "kind": "company"})
    org = db.session.scalar(select(Organisation))
    _admin_browser(oidc_app, mock_idp[0]).post(f"/admin/organisations/{org.id}/refuser")
    assert fresh(Organisation, org.id).verification_state == "refused"
    assert db.session.scalar(select(Membership.state).where(Membership.subject == sub)) == "refused"
    assert rp.get("/organisations/refusee").status_code == 404

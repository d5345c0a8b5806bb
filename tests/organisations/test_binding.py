"""Binding a sign-in to an organisation: only through a signed claim, then an approval; a changed claim suspends."""

from sqlalchemy import select

from directory.core.models import AuditEntry
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from tests.idp.fixtures import mock_idp_fixture  # noqa: F401
from tests.idp.fixtures import new_sub
from tests.idp.fixtures import oidc_app_fixture  # noqa: F401
from tests.idp.fixtures import rp_fixture  # noqa: F401
from tests.idp.people import COMMUNE_SIRET
from tests.idp.people import approved_admin_of
from tests.idp.people import fresh
from tests.idp.people import organisation
from tests.idp.people import person
from tests.idp.people import sign_in_as


def _select_membership(sub: str) -> Membership | None:
    db.session.expire_all()
    return db.session.scalar(select(Membership).where(Membership.subject == sub))


def test_a_siret_of_another_company_binds_nothing(rp, mock_idp, db):
    organisation()
    sub = new_sub()
    sign_in_as(rp, mock_idp[0], sub, siret="44306184100047")
    assert _select_membership(sub) is None


def test_a_matching_siret_makes_a_pending_membership(rp, mock_idp, db):
    org = organisation()
    sub = new_sub()
    # Another establishment of the same company: the SIREN (first 9 digits) is what names it.
    response = sign_in_as(rp, mock_idp[0], sub, siret=COMMUNE_SIRET[:9] + "00025", acr="eidas1")
    membership = _select_membership(sub)
    assert (membership.organisation_id, membership.state, membership.role) == (org.id, "pending", "member")
    assert (membership.provider, membership.binding_claim, membership.binding_value) == ("mock", "siret", COMMUNE_SIRET[:9] + "00025")
    assert membership.acr == "eidas1" and membership.requested_at is not None
    assert "attend la validation" in rp.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.request")) is not None


def test_a_pending_member_gets_403_on_the_member_space(rp, mock_idp, db):
    org = organisation()
    sign_in_as(rp, mock_idp[0], new_sub(), siret=COMMUNE_SIRET)
    response = rp.get("/espace/organisation")
    assert response.status_code == 403 and "attend encore la validation" in response.get_data(as_text=True)
    assert rp.get(f"/espace/organisation/{org.slug}").status_code == 403
    api = rp.get(f"/espace/organisation/{org.slug}", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.get_json()["error"]["status"] == 403


def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(rp, db):
    org = organisation()
    response = rp.get(f"/espace/organisation/{org.slug}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion?next=/espace/organisation/")
    assert rp.get("/espace", headers={"Accept": "application/json"}).status_code == 401


def test_approval_grants_access(rp, oidc_app, mock_idp, db):
    issuer = mock_idp[0]
    org = organisation()
    sub = new_sub()
    sign_in_as(rp, issuer, sub, siret=COMMUNE_SIRET)
    admin_browser = oidc_app.test_client()
    _, admin_sub = person(issuer, is_admin=True)
    sign_in_as(admin_browser, issuer, admin_sub)
    membership = _select_membership(sub)
    assert "Test" in admin_browser.get("/admin/").get_data(as_text=True)
    assert admin_browser.post(f"/admin/adhesions/{membership.id}/approuver").status_code == 302
    assert fresh(Membership, membership.id).state == "approved"
    response = rp.get("/espace/organisation")
    assert response.headers["Location"] == f"/espace/organisation/{org.slug}"
    assert rp.get(response.headers["Location"]).status_code == 200


def test_a_changed_siret_suspends_the_membership(rp, oidc_app, mock_idp, db):
    issuer = mock_idp[0]
    org = organisation()
    user, sub = person(issuer, name="Agente")
    membership = Membership(user_id=user.id, organisation_id=org.id, state="approved", provider="mock",
                            subject=sub, binding_claim="siret", binding_value=COMMUNE_SIRET)
    db.session.add(membership)
    db.session.commit()
    sign_in_as(rp, issuer, sub, siret=COMMUNE_SIRET)
    assert rp.get(f"/espace/organisation/{org.slug}").status_code == 200
    rp.post("/deconnexion")
    response = sign_in_as(rp, issuer, sub, siret="44306184100047")
    suspended = fresh(Membership, membership.id)
    assert suspended.state == "suspended" and suspended.binding_value == "44306184100047"
    assert "est suspendu" in rp.get(response.headers["Location"]).get_data(as_text=True)
    assert rp.get(f"/espace/organisation/{org.slug}").status_code == 403
    # The new claim names another company: re-approval is refused until the provider says otherwise.
    admin_browser = oidc_app.test_client()
    sign_in_as(admin_browser, issuer, person(issuer, is_admin=True)[1])
    page = admin_browser.post(f"/admin/adhesions/{membership.id}/approuver", follow_redirects=True)
    assert "ne rattache plus" in page.get_data(as_text=True) and fresh(Membership, membership.id).state == "suspended"


def test_a_missing_claim_also_suspends(rp, mock_idp, db):
    issuer = mock_idp[0]
    org = organisation()
    sub = new_sub()
    sign_in_as(rp, issuer, sub, siret=COMMUNE_SIRET)
    rp.post("/deconnexion")
    sign_in_as(rp, issuer, sub)
    assert _select_membership(sub).state == "suspended" and org.id


def test_google_hd_and_entra_tid_bind_by_domain_and_tenant(rp, oidc_app, mock_idp, db):
    issuer = mock_idp[0]
    insurer = organisation("mutuelle", kind="insurer", siren="439182601", siret=None, web_domain="mutuelle.exemple.fr")
    tenant = "11111111-2222-3333-4444-555555555555"
    network = organisation("reseau", kind="business_network", siren="523801470", siret=None, entra_tenant_id=tenant)
    google_sub, entra_sub = new_sub("google"), new_sub("entra")
    from tests.idp.fixtures import sign_in

    sign_in(rp, issuer.replace("127.0.0.1", "localhost"), google_sub, {"email": "x@mutuelle.exemple.fr", "hd": "Mutuelle.Exemple.fr"}, provider="mock_b")
    other = oidc_app.test_client()
    sign_in(other, issuer, entra_sub, {"email": "y@reseau.exemple.fr", "tid": tenant}, provider="mock_tid")
    assert _select_membership(google_sub).organisation_id == insurer.id
    assert _select_membership(entra_sub).organisation_id == network.id


def test_an_unverified_organisation_binds_nothing(rp, mock_idp, db):
    organisation(verification_state="pending")
    sub = new_sub()
    sign_in_as(rp, mock_idp[0], sub, siret=COMMUNE_SIRET)
    assert _select_membership(sub) is None


def test_an_unknown_organisation_can_be_registered_then_approved(rp, oidc_app, mock_idp, db):
    issuer = mock_idp[0]
    sub = new_sub()
    sign_in_as(rp, issuer, sub, siret="44306184100047")
    assert "Demander son inscription" in rp.get("/espace").get_data(as_text=True)
    form = {"name": "Mairie de Nulle-Part", "kind": "local_authority", "website_url": "https://nulle-part.example", "description_fr": ""}
    assert rp.post("/espace/organisation/inscription", data=form).status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.siren == "443061841"))
    assert (org.verification_state, org.siret, org.slug) == ("pending", "44306184100047", "mairie-de-nulle-part")
    founder = _select_membership(sub)
    assert (founder.organisation_id, founder.role, founder.state) == (org.id, "admin", "pending")
    # A second request for the same company is not offered.
    assert "Demander son inscription" not in rp.get("/espace").get_data(as_text=True)
    admin_browser = oidc_app.test_client()
    sign_in_as(admin_browser, issuer, person(issuer, is_admin=True)[1])
    assert "Mairie de Nulle-Part" in admin_browser.get("/admin/").get_data(as_text=True)
    admin_browser.post(f"/admin/organisations/{org.id}/approuver")
    assert fresh(Organisation, org.id).verification_state == "verified"
    assert fresh(Membership, founder.id).state == "approved"


def test_registration_needs_a_signed_claim(rp, mock_idp, db):
    sign_in_as(rp, mock_idp[0], new_sub())
    assert rp.post("/espace/organisation/inscription", data={"name": "X", "kind": "company"}).status_code == 302
    assert db.session.scalar(select(Organisation)) is None


def test_an_organisation_admin_approves_their_own_members_only(rp, oidc_app, mock_idp, db):
    issuer = mock_idp[0]
    org = organisation()
    elsewhere = organisation("ailleurs", siren="552100554", siret="55210055400013")
    _, admin_sub = approved_admin_of(issuer, org)
    sub, stranger_sub = new_sub(), new_sub()
    sign_in_as(rp, issuer, sub, siret=COMMUNE_SIRET)
    sign_in_as(oidc_app.test_client(), issuer, stranger_sub, siret=elsewhere.siret)
    mine, theirs = _select_membership(sub), _select_membership(stranger_sub)
    admin = oidc_app.test_client()
    sign_in_as(admin, issuer, admin_sub, siret=COMMUNE_SIRET)
    page = admin.get(f"/espace/organisation/{org.slug}").get_data(as_text=True)
    assert f"/admin/adhesions/{mine.id}/approuver" in page and f"/admin/adhesions/{theirs.id}/" not in page
    assert admin.get("/admin/").status_code == 403
    assert admin.post(f"/admin/adhesions/{theirs.id}/approuver").status_code == 403
    assert admin.post(f"/admin/adhesions/{mine.id}/approuver", data={"next": f"/espace/organisation/{org.slug}"}).status_code == 302
    assert fresh(Membership, mine.id).state == "approved" and fresh(Membership, theirs.id).state == "pending"


def test_members_cannot_approve_themselves(rp, mock_idp, db):
    organisation()
    sub = new_sub()
    sign_in_as(rp, mock_idp[0], sub, siret=COMMUNE_SIRET)
    membership = _select_membership(sub)
    assert rp.post(f"/admin/adhesions/{membership.id}/approuver").status_code == 403
    assert fresh(Membership, membership.id).state == "pending"

"""The ProConnect profile against a ProConnect-like provider (npm oidc-provider, as ProConnect's federation)."""

import re

import requests
from sqlalchemy import select

from directory.accounts.models import OidcIdentity
from directory.organisations.models import Membership
from tests.idp.fixtures import BASE_URL
from tests.idp.fixtures import new_sub
from tests.idp.fixtures import node_login
from tests.idp.fixtures import path_of
from tests.idp.fixtures import query_of
from tests.idp.people import COMMUNE_SIRET
from tests.idp.people import organisation

AGENT = {"given_name": "Camille", "usual_name": "Durand", "email": "camille.durand@ville-exemple.fr",
         "uid": "cd42", "siret": COMMUNE_SIRET, "idp_id": "fia1v2", "organization_label": "Commune d'Exemple"}


def _put(base: str, sub: str, claims: dict) -> None:
    assert requests.put(f"{base}/__test__/users/{sub}", json=claims, timeout=5).status_code == 204


def _sign_in(client, base: str, sub: str, claims: dict, provider: str = "proconnect"):
    _put(base, sub, claims)
    auth_url = client.get(f"/connexion/{provider}").headers["Location"]
    return auth_url, client.get(path_of(node_login(auth_url, sub)))


def test_a_proconnect_sign_in_binds_the_siret(proconnect_app, node_idp, db):
    org = organisation()
    client, sub = proconnect_app.test_client(), new_sub("agent")
    auth_url, response = _sign_in(client, node_idp, sub, {**AGENT, "acr": "eidas2"})
    # Only the parameters ProConnect lists (it answers Y000400 to any other).
    assert set(query_of(auth_url)) == {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                                       "code_challenge", "code_challenge_method", "claims"}
    assert len(query_of(auth_url)["state"]) >= 32 and len(query_of(auth_url)["nonce"]) >= 32
    assert response.status_code == 302, response.get_data(as_text=True)
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub))
    assert identity.issuer == f"{node_idp}/api/v2" and identity.claims["acr"] == "eidas2"
    assert identity.user.display_name == "Camille Durand"
    membership = db.session.scalar(select(Membership).where(Membership.subject == sub))
    assert (membership.organisation_id, membership.binding_value, membership.acr) == (org.id, COMMUNE_SIRET, "eidas2")


def test_userinfo_is_a_signed_jwt(proconnect_app, node_idp, db):
    client, sub = proconnect_app.test_client(), new_sub()
    _put(node_idp, sub, AGENT)
    _sign_in(client, node_idp, sub, AGENT)
    # The sign-in above read its claims from a JWT: the provider answers nothing else.
    metadata = requests.get(f"{node_idp}/api/v2/.well-known/openid-configuration", timeout=5).json()
    assert "ES256" in metadata["userinfo_signing_alg_values_supported"]
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub))
    assert identity.claims["siret"] == COMMUNE_SIRET and identity.claims["idp_id"] == "fia1v2"


def test_an_acr_below_the_required_level_is_refused(proconnect_app, node_idp, db):
    client, sub = proconnect_app.test_client(), new_sub()
    _, response = _sign_in(client, node_idp, sub, {**AGENT, "acr": "eidas1"}, provider="proconnect_strict")
    assert response.status_code == 403 and "insufficient_acr" in response.get_data(as_text=True)
    assert db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub)) is None


def test_the_provider_requires_pkce(node_idp):
    query = {"response_type": "code", "client_id": "badgeons", "redirect_uri": f"{BASE_URL}/connexion/proconnect/retour",
             "scope": "openid", "state": "s" * 43, "nonce": "n" * 43}
    metadata = requests.get(f"{node_idp}/api/v2/.well-known/openid-configuration", timeout=5).json()
    response = requests.get(metadata["authorization_endpoint"], params=query, allow_redirects=False, timeout=5)
    assert query_of(response.headers["Location"])["error"] == "invalid_request"


def test_logout_goes_through_proconnect(proconnect_app, node_idp, db):
    client = proconnect_app.test_client()
    _sign_in(client, node_idp, new_sub(), AGENT)
    page = client.post("/deconnexion").get_data(as_text=True)
    end_session = re.search(r'content="0;url=([^"]+)"', page).group(1).replace("&amp;", "&")
    assert end_session.startswith(f"{node_idp}/api/v2/session/end")
    assert {"id_token_hint", "post_logout_redirect_uri", "state"} <= set(query_of(end_session))
    browser = requests.Session()
    form_page = browser.get(end_session, timeout=5).text
    action = re.search(r'action="([^"]+)"', form_page).group(1)
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form_page))
    back = browser.post(requests.compat.urljoin(end_session, action), data=fields, allow_redirects=False, timeout=5)
    assert back.headers["Location"].startswith(f"{BASE_URL}/deconnexion/proconnect/retour?state=")
    final = client.get(path_of(back.headers["Location"]), follow_redirects=True)
    assert "chez votre fournisseur d'identité" in final.get_data(as_text=True)
    assert client.get("/espace").status_code == 302

"""Full sign-in flows against a real OpenID Connect provider over HTTP (oidc-provider-mock, wrapped)."""

import base64
import hashlib

import pytest
import requests
from sqlalchemy import select

from directory.accounts.models import OidcIdentity
from directory.accounts.models import User
from tests.idp.fixtures import authorize
from tests.idp.fixtures import new_sub
from tests.idp.fixtures import path_of
from tests.idp.fixtures import put_user
from tests.idp.fixtures import query_of
from tests.idp.fixtures import sign_in
from tests.idp.fixtures import start

ALICE = {"email": "alice@ville-exemple.fr", "email_verified": True, "given_name": "Alice", "family_name": "Martin"}


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def test_success_creates_the_account_and_lands_on_next(rp, mock_idp, db):
    issuer, shim = mock_idp
    sub = new_sub("alice")
    put_user(issuer, sub, ALICE)
    auth_url = start(rp, next_="/espace")
    query = query_of(auth_url)
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    response = rp.get(path_of(authorize(auth_url, sub)))
    assert response.status_code == 302 and response.headers["Location"] == "/espace"
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub))
    assert identity.issuer == issuer and identity.provider == "mock"
    assert identity.user.display_name == "Alice Martin" and identity.user.email == ALICE["email"]
    assert "Alice Martin" in rp.get("/espace").get_data(as_text=True)
    # The verifier sent to the token endpoint is the one the challenge was made from.
    assert _challenge(shim.token_requests[-1]["code_verifier"]) == query["code_challenge"]


def test_a_second_sign_in_reuses_the_account(rp, mock_idp, db):
    issuer, _ = mock_idp
    sub = new_sub()
    sign_in(rp, issuer, sub, ALICE)
    rp.post("/deconnexion")
    sign_in(rp, issuer, sub, {**ALICE, "email": "alice@autre.fr"})
    identities = db.session.scalars(select(OidcIdentity).where(OidcIdentity.subject == sub)).all()
    assert len(identities) == 1 and identities[0].email == "alice@autre.fr"


def test_the_provider_refuses_a_wrong_pkce_verifier(mock_idp):
    issuer, _ = mock_idp
    metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    params = {"response_type": "code", "client_id": "x", "redirect_uri": "https://badgeons.test/cb", "scope": "openid",
              "state": "s" * 43, "nonce": "n" * 43, "code_challenge": _challenge("a" * 50), "code_challenge_method": "S256"}
    code = query_of(authorize(metadata["authorization_endpoint"] + "?" + requests.compat.urlencode(params), "eve"))["code"]
    token = {"grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"], "code_verifier": "b" * 50}
    response = requests.post(metadata["token_endpoint"], data=token, auth=("x", "y"), timeout=5)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_stolen_verifier_cannot_be_swapped_in(rp, mock_idp, db):
    """The relying party's own verifier is what makes the code redeemable: break it and sign-in fails."""
    issuer, _ = mock_idp
    sub = new_sub()
    put_user(issuer, sub, ALICE)
    auth_url = start(rp)
    with rp.session_transaction() as session:
        key = next(k for k in session if k.startswith("_state_mock_"))
        stored = session[key]
        stored["data"]["code_verifier"] = "x" * 48
        session[key] = stored
    response = rp.get(path_of(authorize(auth_url, sub)))
    assert response.status_code == 400 and "token_error" in response.get_data(as_text=True)
    assert db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub)) is None


def test_forged_state_is_refused(rp, mock_idp, db):
    issuer, _ = mock_idp
    sub = new_sub()
    put_user(issuer, sub, ALICE)
    callback = path_of(authorize(start(rp), sub)).replace("state=", "state=forged")
    response = rp.get(callback)
    assert response.status_code == 400 and "state_error" in response.get_data(as_text=True)
    assert rp.get("/espace").status_code == 302


def test_state_from_another_browser_is_refused(rp, oidc_app, mock_idp, db):
    """Login CSRF: an attacker's code and state replayed into a victim's browser."""
    issuer, _ = mock_idp
    sub = new_sub("attacker")
    put_user(issuer, sub, ALICE)
    callback = path_of(authorize(start(rp), sub))
    victim = oidc_app.test_client()
    assert victim.get(callback).status_code == 400
    assert victim.get("/espace").status_code == 302


def test_a_replayed_callback_is_refused(rp, mock_idp, db):
    issuer, _ = mock_idp
    sub = new_sub()
    put_user(issuer, sub, ALICE)
    callback = path_of(authorize(start(rp), sub))
    assert rp.get(callback).status_code == 302
    assert rp.get(callback).status_code == 400


@pytest.mark.parametrize("fault", ["wrong_aud", "wrong_iss", "expired", "wrong_nonce", "foreign_key", "no_id_token"])
def test_a_bad_id_token_is_refused(rp, mock_idp, db, fault):
    issuer, shim = mock_idp
    sub = new_sub(fault)
    shim.faults[sub] = fault
    response = sign_in(rp, issuer, sub, ALICE)
    assert response.status_code == 400
    assert "token_error" in response.get_data(as_text=True)
    assert db.session.scalar(select(OidcIdentity).where(OidcIdentity.subject == sub)) is None


def test_userinfo_for_someone_else_is_refused(rp, mock_idp, db):
    issuer, shim = mock_idp
    sub = new_sub()
    shim.faults[sub] = "userinfo_sub"
    response = sign_in(rp, issuer, sub, ALICE)
    assert response.status_code == 400 and "userinfo_mismatch" in response.get_data(as_text=True)


def test_access_denied_shows_a_friendly_page(rp, mock_idp, db):
    response = rp.get(path_of(authorize(start(rp), deny=True)))
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Connexion annulée" in page


def test_login_required_shows_a_friendly_page_in_english(rp, mock_idp, db):
    start(rp)
    with rp.session_transaction() as session:
        state = next(k for k in session if k.startswith("_state_mock_"))[len("_state_mock_"):]
    response = rp.get(f"/connexion/mock/retour?error=login_required&state={state}&lang=en")
    assert response.status_code == 400
    assert "Sign-in needed at the provider" in response.get_data(as_text=True)


def test_insufficient_acr_is_refused(rp, mock_idp, db):
    issuer, _ = mock_idp
    response = sign_in(rp, issuer, new_sub(), {**ALICE, "acr": "eidas1"}, provider="mock_acr")
    assert response.status_code == 403 and "insufficient_acr" in response.get_data(as_text=True)


def test_sufficient_acr_is_accepted(rp, mock_idp, db):
    issuer, _ = mock_idp
    response = sign_in(rp, issuer, new_sub(), {**ALICE, "acr": "eidas2"}, provider="mock_acr")
    assert response.status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "\t/evil"])
def test_open_redirects_are_not_followed(rp, mock_idp, db, target):
    issuer, _ = mock_idp
    response = sign_in(rp, issuer, new_sub(), ALICE, next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/espace"


def test_the_session_is_cleared_at_sign_in(rp, mock_idp, db):
    issuer, _ = mock_idp
    with rp.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    sign_in(rp, issuer, new_sub(), ALICE)
    with rp.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en" and session["auth"]["provider"] == "mock"


def test_the_session_cookie_is_samesite_lax(rp, mock_idp, db):
    issuer, _ = mock_idp
    response = sign_in(rp, issuer, new_sub(), ALICE)
    cookie = next(v for k, v in response.headers if k == "Set-Cookie" and v.startswith("session="))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_two_providers_with_the_same_email_make_two_accounts(rp, mock_idp, db):
    issuer, _ = mock_idp
    sub = new_sub("same")
    sign_in(rp, issuer, sub, ALICE, provider="mock")
    rp.post("/deconnexion")
    sign_in(rp, issuer.replace("127.0.0.1", "localhost"), sub, ALICE, provider="mock_b")
    identities = db.session.scalars(select(OidcIdentity).where(OidcIdentity.subject == sub)).all()
    assert {i.issuer for i in identities} == {issuer, issuer.replace("127.0.0.1", "localhost")}
    assert len({i.user_id for i in identities}) == 2
    assert db.session.scalar(select(User).where(User.id == identities[0].user_id)).email == ALICE["email"]


def test_an_unknown_provider_is_not_found(rp, db):
    assert rp.get("/connexion/nobody").status_code == 404
    assert rp.get("/connexion/nobody/retour?code=x&state=y").status_code == 404


def test_logout_goes_through_the_provider_and_back(rp, mock_idp, db):
    issuer, _ = mock_idp
    sign_in(rp, issuer, new_sub(), ALICE)
    page = rp.post("/deconnexion")
    assert page.status_code == 200
    end_session = page.get_data(as_text=True).split('content="0;url=')[1].split('"')[0].replace("&amp;", "&")
    query = query_of(end_session)
    assert end_session.startswith(f"{issuer}/oauth2/end_session") and "id_token_hint" in query
    back = requests.post(f"{issuer}/oauth2/end_session/confirm",
                         data={"redirect_uri": query["post_logout_redirect_uri"] + "?state=" + query["state"]},
                         allow_redirects=False, timeout=5).headers["Location"]
    response = rp.get(path_of(back), follow_redirects=True)
    assert "Vous êtes déconnecté, ici et chez votre fournisseur d'identité." in response.get_data(as_text=True)
    assert rp.get("/espace").status_code == 302

"""The OpenID Connect protocol with Authlib: one client per configured provider, every check in one place.

Checks, each a reason a sign-in is refused: PKCE S256 on every request; state and nonce of 43
characters (ProConnect wants at least 32); `iss` and `aud` pinned (Authlib drops its own `iss`
check once claims options are given, and accepts a foreign `aud` when `azp` matches); an ID token
is required; RFC 9207 `iss` in the callback must match; userinfo may be a signed JWT and its
`sub` must equal the ID token's; `acr` is checked here, not trusted from the request.
"""

import secrets
from dataclasses import dataclass

import requests
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.flask_client import OAuthError
from flask import Flask
from flask import current_app
from flask import request
from flask import session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from directory.accounts.provider_config import PROTOCOL_CLAIMS
from directory.accounts.provider_config import ProviderSpec
from directory.accounts.provider_config import build_spec
from directory.extensions import oauth

LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10


class SignInError(Exception):
    """A sign-in refused for a reason the visitor can be told about (`code` picks the message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class SignIn:
    """What a provider vouched for: who, where from, and the signed claims."""

    provider: ProviderSpec
    issuer: str
    subject: str
    claims: dict
    acr: str | None
    id_token: str


def init_app(app: Flask) -> None:
    """Build this application's provider clients from OIDC_PROVIDERS."""
    oauth.init_app(app)
    specs = {name: _spec(name, raw) for name, raw in (app.config.get("OIDC_PROVIDERS") or {}).items()}
    # Authlib's registry is global to the `oauth` object and caches one client per name; keeping
    # the clients per application lets several apps (tests, workers) each have their own providers.
    app.extensions["oidc_providers"] = specs
    app.extensions["oidc_clients"] = {name: _client(spec) for name, spec in specs.items()}


def providers() -> dict[str, ProviderSpec]:
    """The providers this application accepts, by name."""
    return current_app.extensions.get("oidc_providers", {})


def client(name: str) -> FlaskOAuth2App | None:
    """The Authlib client of a provider, or None for an unknown name."""
    return current_app.extensions.get("oidc_clients", {}).get(name)


def authorization_redirect(name: str, redirect_uri: str, login_hint: str | None = None):
    """The redirect to the provider's authorization endpoint, state and nonce kept in the session."""
    params = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32)}
    if login_hint:
        params["login_hint"] = login_hint
    return client(name).authorize_redirect(redirect_uri, **params)


def complete_sign_in(name: str) -> SignIn:
    """Redeem the callback's code and return the checked identity, or raise SignInError."""
    spec, oidc = providers()[name], client(name)
    metadata = _metadata(oidc)
    _check_response_issuer(metadata)
    token = _redeem(spec, oidc, metadata)
    id_claims = token.get("userinfo")
    if not id_claims:
        raise SignInError("token_error", "no ID token in the token response")
    info = fetch_userinfo(spec, oidc, token, metadata)
    if info.get("sub") != id_claims["sub"]:
        raise SignInError("userinfo_mismatch", "userinfo sub differs from the ID token's")
    claims = {k: v for k, v in {**info, **id_claims}.items() if k not in PROTOCOL_CLAIMS}
    _check_acr(spec, id_claims.get("acr"))
    return SignIn(spec, id_claims["iss"], id_claims["sub"], claims, id_claims.get("acr"), token["id_token"])


def fetch_userinfo(spec: ProviderSpec, oidc: FlaskOAuth2App, token: dict, metadata: dict) -> dict:
    """Userinfo as JSON or as a signed JWT (ProConnect); Authlib's own helper only reads JSON."""
    if not metadata.get("userinfo_endpoint"):
        return {}
    response = oidc.get(metadata["userinfo_endpoint"], token=token)
    if response.status_code != 200:
        raise SignInError("token_error", f"userinfo answered {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        return _signed_userinfo(spec, oidc, response.text, metadata)
    if spec.signed_userinfo:
        raise SignInError("token_error", "unsigned userinfo from a provider that must sign it")
    return response.json()


def logout_url(name: str, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL with a fresh state kept in the session, or None."""
    spec, oidc = providers().get(name), client(name)
    if spec is None or not spec.logout or not id_token:
        return None
    if not _metadata(oidc).get("end_session_endpoint"):
        return None
    state = secrets.token_urlsafe(32)
    result = oidc.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token, state=state
    )
    oidc.framework.set_state_data(session, state, {"post_logout_redirect_uri": post_logout_redirect_uri})
    return result["url"]


def check_logout_return(name: str) -> bool:
    """Whether the provider came back from logout with the state we sent."""
    oidc = client(name)
    try:
        oidc.validate_logout_response()
    except OAuthError:
        return False
    return True


def _spec(name: str, raw) -> ProviderSpec:
    return raw if isinstance(raw, ProviderSpec) else build_spec(name, raw)


def _client(spec: ProviderSpec) -> FlaskOAuth2App:
    framework = oauth.framework_integration_cls(spec.name, oauth.cache)
    return oauth.oauth2_client_cls(
        framework,
        spec.name,
        client_id=spec.client_id,
        client_secret=spec.client_secret,
        server_metadata_url=spec.discovery_url,
        authorize_params=dict(spec.authorize_params) or None,
        client_kwargs={
            "scope": spec.scope,
            # RFC 9700: PKCE even for confidential clients, against code injection.
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": spec.token_auth_method,
            "timeout": TIMEOUT_SECONDS,
        },
    )


def _metadata(oidc: FlaskOAuth2App) -> dict:
    try:
        return oidc.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise SignInError("provider_unavailable", type(error).__name__) from None


def _check_response_issuer(metadata: dict) -> None:
    # RFC 9207: a provider that names itself in the callback must name the one we asked (mix-up defence).
    returned = request.args.get("iss")
    if returned is not None and returned != metadata.get("issuer"):
        raise SignInError("token_error", "callback iss differs from the provider's issuer")


def _redeem(spec: ProviderSpec, oidc: FlaskOAuth2App, metadata: dict) -> dict:
    try:
        return oidc.authorize_access_token(claims_options=_claims_options(spec, oidc, metadata), leeway=LEEWAY_SECONDS)
    except OAuthError as error:
        raise SignInError(_oauth_code(error.error), error.description or "") from None
    except (JoseError, ValueError) as error:
        raise SignInError("token_error", type(error).__name__) from None
    except requests.RequestException as error:
        raise SignInError("provider_unavailable", type(error).__name__) from None


def _claims_options(spec: ProviderSpec, oidc: FlaskOAuth2App, metadata: dict) -> dict:
    return {
        "iss": {"essential": True, "validate": lambda claims, value: _issuer_accepted(spec, metadata, claims, value)},
        "aud": {"essential": True, "value": oidc.client_id},
    }


def _issuer_accepted(spec: ProviderSpec, metadata: dict, claims: dict, value: str) -> bool:
    """Whether `iss` is one we accept; Entra's "{tenantid}" template is filled with the token's own tid."""
    accepted = spec.issuers or (metadata.get("issuer"),)
    tenant = str(claims.get("tid", ""))
    return any(value == issuer.replace("{tenantid}", tenant) for issuer in accepted if issuer)


def _signed_userinfo(spec: ProviderSpec, oidc: FlaskOAuth2App, text: str, metadata: dict) -> dict:
    algorithms = [a for a in metadata.get("userinfo_signing_alg_values_supported") or ["ES256", "RS256"]
                  if a != "none" and not a.startswith("HS")]
    try:
        decoded = _decode(oidc, text, algorithms)
        jwt.JWTClaimsRegistry(
            iss={"essential": False, "value": metadata.get("issuer")},
            aud={"essential": False, "value": oidc.client_id},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise SignInError("token_error", f"signed userinfo refused: {type(error).__name__}") from None
    return decoded.claims


def _decode(oidc: FlaskOAuth2App, text: str, algorithms: list[str]):
    try:
        return jwt.decode(text, KeySet.import_key_set(oidc.fetch_jwk_set()), algorithms=algorithms)
    except JoseError:
        # The provider may have rotated its keys since we cached them: fetch once more.
        return jwt.decode(text, KeySet.import_key_set(oidc.fetch_jwk_set(force=True)), algorithms=algorithms)


def _check_acr(spec: ProviderSpec, acr: str | None) -> None:
    if spec.required_acr and acr not in spec.required_acr:
        raise SignInError("insufficient_acr", f"acr {acr!r} is not accepted")


def _oauth_code(error: str | None) -> str:
    if error == "access_denied":
        return "access_denied"
    if error in ("login_required", "interaction_required", "consent_required", "account_selection_required"):
        return "login_required"
    if error == "mismatching_state":
        return "state_error"
    return "token_error"

"""Providers from a TOML file or the environment; every mistake is one line for the operator."""

import pytest

from directory.accounts.provider_config import build_spec
from directory.accounts.provider_config import load_providers
from directory.accounts.redirects import is_safe_next
from directory.config import ConfigError

TOML = """
[providers.proconnect]
profile = "proconnect"
discovery_url = "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration"
client_id = "badgeons"
client_secret_env = "PC_SECRET"

[providers.google]
label = "Google Workspace"
discovery_url = "https://accounts.google.com/.well-known/openid-configuration"
client_id = "g"
client_secret = "s"
binding_claim = "hd"

[providers.entra]
discovery_url = "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
client_id = "e"
client_secret = "s"
issuers = ["https://login.microsoftonline.com/{tenantid}/v2.0"]
binding_claim = "tid"
"""


def test_a_toml_file_and_its_profiles(tmp_path):
    path = tmp_path / "providers.toml"
    path.write_text(TOML)
    providers = load_providers({"OIDC_PROVIDERS_FILE": str(path), "PC_SECRET": "secret"})
    proconnect = providers["proconnect"]
    assert proconnect.client_secret == "secret" and proconnect.token_auth_method == "client_secret_post"
    assert proconnect.signed_userinfo and proconnect.binding_claims == ("siret",)
    assert '"acr"' in proconnect.authorize_params["claims"] and proconnect.display_label == "ProConnect"
    assert providers["google"].token_auth_method == "client_secret_basic" and providers["google"].binding_claims == ("hd",)
    assert providers["entra"].issuers == ("https://login.microsoftonline.com/{tenantid}/v2.0",)


def test_providers_from_the_environment():
    environ = {
        "OIDC_PROVIDERS": "acme",
        "OIDC_PROVIDER_ACME_DISCOVERY_URL": "https://idp.acme.example/.well-known/openid-configuration",
        "OIDC_PROVIDER_ACME_CLIENT_ID": "badgeons",
        "OIDC_PROVIDER_ACME_CLIENT_SECRET": "s",
        "OIDC_PROVIDER_ACME_BINDING_CLAIM": "hd",
        "OIDC_PROVIDER_ACME_REQUIRED_ACR": "gold,platinum",
        "OIDC_PROVIDER_ACME_TOKEN_AUTH_METHOD": "client_secret_post",
    }
    acme = load_providers(environ)["acme"]
    assert acme.required_acr == ("gold", "platinum") and acme.token_auth_method == "client_secret_post"


def test_the_demo_provider_only_when_asked():
    assert "demo" not in load_providers({})
    assert load_providers({"DEMO_IDENTITY_PROVIDER": "http://127.0.0.1:9400"})["demo"].demo


@pytest.mark.parametrize("raw, message", [
    ({"client_id": "x"}, "discovery_url is missing"),
    ({"discovery_url": "https://x/", "client_id": "x", "token_auth_method": "none"}, "token_auth_method"),
    ({"discovery_url": "https://x/", "client_id": "x", "binding_claim": "email"}, "binding claims"),
    ({"discovery_url": "https://x/", "client_id": "x", "scope": "email"}, "openid"),
    ({"discovery_url": "https://x/", "client_id": "x", "colour": "blue"}, "unknown settings"),
    ({"discovery_url": "https://x/", "client_id": "x", "client_secret_env": "NOPE"}, "NOPE is empty"),
    ({"discovery_url": "https://x/", "client_id": "x", "profile": "saml"}, "profile"),
])
def test_mistakes_are_refused(raw, message):
    with pytest.raises(ConfigError, match=message):
        build_spec("p", raw)


def test_provider_names_are_url_safe():
    with pytest.raises(ConfigError):
        build_spec("Pro Connect", {"discovery_url": "https://x/", "client_id": "x"})


@pytest.mark.parametrize("target, ok", [
    ("/espace", True), ("/badges/12?tab=x", True), ("//evil.example/x", False), ("https://evil.example/", False),
    ("/\\evil.example", False), ("javascript:alert(1)", False), ("\t/evil", False), ("", False), (None, False),
    ("/ok\r\nSet-Cookie:x", False),
])
def test_safe_next(target, ok):
    assert is_safe_next(target) is ok

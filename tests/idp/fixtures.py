"""Fixtures for sign-in tests: real identity providers over HTTP, an app that trusts them, login helpers.

Import the fixtures a test module needs (`from tests.idp.fixtures import rp_fixture  # noqa: F401`);
they are named without the `_fixture` suffix.
Providers are shared by the whole session; use a fresh `sub` per test (see `new_sub`).
"""

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest
import requests

from directory import create_app
from tests.idp.mock_provider import running_provider

NODE_DIR = Path(__file__).resolve().parent / "node"
BASE_URL = "https://badgeons.test"
PC_SECRET = "a-test-secret-long-enough-for-hs256-0123456789"


@pytest.fixture(scope="session", name="mock_idp")
def mock_idp_fixture():
    """The Python provider (oidc-provider-mock with PKCE and fault injection): (issuer, shim)."""
    with running_provider() as (issuer, shim):
        yield issuer, shim


@pytest.fixture(scope="session", name="node_idp")
def node_idp_fixture():
    """The ProConnect-like provider (npm oidc-provider), or a skip that says how to install it."""
    if not (NODE_DIR / "node_modules" / "oidc-provider").exists() or not shutil.which("node"):
        message = "tests/idp/node is not installed: run `make test-idp`"
        if os.environ.get("REQUIRE_TEST_IDP") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield from _node_provider()


def _node_provider():
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": "badgeons",
        "CLIENT_SECRET": PC_SECRET,
        "REDIRECT_URIS": f"{BASE_URL}/connexion/proconnect/retour {BASE_URL}/connexion/proconnect_strict/retour",
        "POST_LOGOUT_REDIRECT_URIS": f"{BASE_URL}/deconnexion/proconnect/retour",
    }
    process = subprocess.Popen(
        ["node", "proconnect_like.mjs"], cwd=NODE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/api/v2/.well-known/openid-configuration", process)
        yield base
    finally:
        process.terminate()
        process.wait(5)
        process.stderr.close()


def mock_providers(issuer: str) -> dict:
    """Providers on the Python mock: the same server reached by two names is two issuers."""
    alternate = issuer.replace("127.0.0.1", "localhost")
    common = {"client_id": "badgeons", "client_secret": "test-secret"}
    return {
        "mock": {**common, "discovery_url": f"{issuer}/.well-known/openid-configuration",
                 "scope": "openid email profile", "binding_claim": "siret", "label": "Mock"},
        "mock_b": {**common, "discovery_url": f"{alternate}/.well-known/openid-configuration",
                   "scope": "openid email profile", "binding_claim": "hd", "label": "Mock B"},
        "mock_tid": {**common, "discovery_url": f"{issuer}/.well-known/openid-configuration",
                     "binding_claim": "tid", "label": "Entra-like"},
        "mock_acr": {**common, "discovery_url": f"{issuer}/.well-known/openid-configuration",
                     "required_acr": ["eidas2"], "label": "Strict acr"},
    }


def proconnect_providers(base: str) -> dict:
    """The ProConnect profile on the node provider (and a variant requiring a higher acr)."""
    common = {"profile": "proconnect", "client_id": "badgeons", "client_secret": PC_SECRET,
              "discovery_url": f"{base}/api/v2/.well-known/openid-configuration"}
    # The strict variant asks the provider for any acr but demands eidas2 on its own side: the
    # request is in the visitor's hands, only the server-side check protects.
    lenient_request = {"claims": '{"id_token":{"acr":{"essential":true,"values":["eidas1","eidas2"]}}}'}
    strict = {**common, "required_acr": ["eidas2", "eidas3"], "authorize_params": lenient_request}
    return {"proconnect": common, "proconnect_strict": strict}


def make_app(database_url: str, providers: dict, **config):
    """An application on the suite's database that trusts these providers."""
    return create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "KEY_ENCRYPTION_KEY": "test-key-encryption-key-0123456789",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": BASE_URL,
        "OIDC_PROVIDERS": providers,
        **config,
    })


def dispose(application) -> None:
    """Close an extra application's database connections (the suite's `app` closes its own).

    Also switch the shared Flask-Limiter back off, as the suite's apps have it: an extra app
    built with RATELIMIT_ENABLED=True turns it on for every app in the process.
    """
    from directory.extensions import db
    from directory.extensions import limiter

    with application.app_context():
        db.engine.dispose()
    limiter.enabled = False


@pytest.fixture(scope="session", name="oidc_app")
def oidc_app_fixture(app, database_url, mock_idp):
    """An app trusting the Python provider (after `app` has migrated the database)."""
    application = make_app(database_url, mock_providers(mock_idp[0]))
    yield application
    dispose(application)


@pytest.fixture(scope="session", name="proconnect_app")
def proconnect_app_fixture(app, database_url, node_idp):
    """An app trusting the ProConnect-like provider."""
    application = make_app(database_url, proconnect_providers(node_idp))
    yield application
    dispose(application)


@pytest.fixture(name="rp")
def rp_fixture(oidc_app, db):
    """A browser on the relying party (the test client), on an emptied database."""
    return oidc_app.test_client()


def new_sub(prefix: str = "user") -> str:
    """A subject never used before in this session (provider users live as long as the provider)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def put_user(issuer: str, sub: str, claims: dict) -> None:
    """Create or replace a user on the Python provider."""
    response = requests.put(f"{issuer}/users/{quote(sub, safe='')}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def start(rp, provider: str = "mock", next_: str | None = None) -> str:
    """Begin a sign-in on the relying party; return the provider's authorization URL."""
    query = f"?next={quote(next_, safe='')}" if next_ is not None else ""
    response = rp.get(f"/connexion/{provider}{query}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def authorize(auth_url: str, sub: str | None = None, deny: bool = False) -> str:
    """Answer the Python provider's form as `sub` (or deny); return the callback URL."""
    data = {"action": "deny"} if deny else {"sub": sub}
    response = requests.post(auth_url, data=data, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text[:300]
    return response.headers["Location"]


def path_of(url: str) -> str:
    """The path and query of a URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def query_of(url: str) -> dict:
    """A URL's query as a flat dict."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def sign_in(rp, issuer: str, sub: str, claims: dict, provider: str = "mock", next_: str | None = None):
    """A whole sign-in through the Python provider; return the relying party's callback response."""
    put_user(issuer, sub, claims)
    return rp.get(path_of(authorize(start(rp, provider, next_), sub)))


def node_login(auth_url: str, sub: str) -> str:
    """Go through the ProConnect-like provider's login form as `sub`; return the callback URL."""
    browser = requests.Session()
    response = browser.get(auth_url, allow_redirects=False, timeout=5)
    interaction = _absolute(auth_url, response.headers["Location"])
    assert "Se connecter" in browser.get(interaction, timeout=5).text
    location = browser.post(f"{interaction}/login", data={"sub": sub}, allow_redirects=False, timeout=5).headers["Location"]
    while not location.startswith(BASE_URL):
        location = _absolute(auth_url, browser.get(location, allow_redirects=False, timeout=5).headers["Location"])
    return location


def _absolute(reference: str, location: str) -> str:
    return urljoin(reference, location)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"the node provider stopped: {process.stderr.read().decode()[-500:]}")
        try:
            requests.get(url, timeout=1).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError(f"the node provider did not answer at {url}")

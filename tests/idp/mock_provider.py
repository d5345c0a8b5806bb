"""A real OpenID Connect provider over HTTP for tests and the demo: PyPI `oidc-provider-mock`, wrapped.

The wrapper adds what the mock lacks or what tests need to break on purpose:
- PKCE: the mock ignores `code_verifier`; the wrapper checks S256 and answers `invalid_grant`.
- Faults: `provider.faults[sub] = "wrong_aud"` makes the next tokens for that user carry a
  foreign audience (also "wrong_iss", "expired", "wrong_nonce", "foreign_key",
  "userinfo_sub", "no_id_token"). The shim re-signs every ID token with the one key its JWKS
  publishes (a look-alike key for "foreign_key"), so only the claim under test is wrong.
- `login_hint` naming a known user signs that user in without the form (the demo's one-click buttons).
"""

import base64
import contextlib
import hashlib
import io
import json
import threading
import time
import warnings
from collections.abc import Iterator
from urllib.parse import parse_qs
from urllib.parse import urlencode

import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey

with warnings.catch_warnings():
    # The mock imports Authlib modules Authlib deprecates (and Authlib forces such warnings to show).
    warnings.simplefilter("ignore")
    import oidc_provider_mock

SHIM_KID = "test-shim"


class ProviderShim:
    """WSGI middleware around the mock provider (see the module docstring)."""

    def __init__(self, app, auto_login: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.auto_login = auto_login
        self.faults: dict[str, str] = {}
        self.challenges: dict[str, tuple[str | None, str | None]] = {}
        self.token_requests: list[dict] = []
        self.key = RSAKey.generate_key(2048, parameters={"kid": SHIM_KID, "alg": "RS256"}, private=True)
        self.foreign_key = RSAKey.generate_key(2048, parameters={"kid": SHIM_KID, "alg": "RS256"}, private=True)

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO"), environ["REQUEST_METHOD"]
        if path == "/oauth2/authorize":
            return self._authorize(environ, start_response, method)
        if path == "/oauth2/token" and method == "POST":
            return self._token(environ, start_response)
        if path == "/userinfo":
            return self._rewrite_json(environ, start_response, self._userinfo)
        if path == "/jwks":
            return self._rewrite_json(environ, start_response, self._jwks)
        return self.app(environ, start_response)

    # authorization endpoint: remember the PKCE challenge of each code; one-click login_hint

    def _authorize(self, environ, start_response, method):
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "GET" and query.get("login_hint") in self.auto_login:
            _replace_body(environ, urlencode({"sub": query["login_hint"]}).encode(), "POST")

        def capture(status, headers, exc_info=None):
            location = dict((k.lower(), v) for k, v in headers).get("location", "")
            code = parse_qs(location.partition("?")[2]).get("code", [None])[0]
            if code:
                self.challenges[code] = (query.get("code_challenge"), query.get("code_challenge_method"))
            return start_response(status, headers, exc_info)

        return self.app(environ, capture)

    # token endpoint: check PKCE, then damage the ID token if a fault is armed

    def _token(self, environ, start_response):
        form = _read_form(environ)
        self.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        if form.get("grant_type") == "authorization_code" and not self._pkce_ok(form):
            return _json(start_response, 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        return self._rewrite_json(environ, start_response, self._damage_token)

    def _pkce_ok(self, form: dict) -> bool:
        challenge, method = self.challenges.pop(form.get("code"), (None, None))
        if challenge is None:
            return True
        verifier = form.get("code_verifier") or ""
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        return method == "S256" and digest == challenge

    def _damage_token(self, body: dict) -> dict:
        if "id_token" not in body:
            return body
        # The shim reads what the mock signed; the relying party is the one that must verify.
        claims = json.loads(base64.urlsafe_b64decode(_padded(body["id_token"].split(".")[1])))
        fault = self.faults.get(claims["sub"])
        if fault == "no_id_token":
            return {k: v for k, v in body.items() if k != "id_token"}
        key = self.foreign_key if fault == "foreign_key" else self.key
        body["id_token"] = jwt.encode({"alg": "RS256", "kid": SHIM_KID}, _faulty(claims, fault), key)
        return body

    def _userinfo(self, body: dict) -> dict:
        if self.faults.get(body.get("sub")) == "userinfo_sub":
            body["sub"] = body["sub"] + "-someone-else"
        return body

    def _jwks(self, body: dict) -> dict:
        # The shim signs every ID token (the mock's key has no kid, so two keys could not be told apart).
        return {"keys": [self.key.as_dict(private=False)]}

    def _rewrite_json(self, environ, start_response, change):
        captured = {}

        def hold(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, hold))
        if captured["status"].startswith("200") and body:
            body = json.dumps(change(json.loads(body))).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


def _faulty(claims: dict, fault: str) -> dict:
    now = int(time.time())
    changes = {
        "wrong_aud": {"aud": "someone-else", "azp": claims.get("aud")},
        "wrong_iss": {"iss": "https://evil.example"},
        "expired": {"iat": now - 3600, "exp": now - 600},
        "wrong_nonce": {"nonce": "not-the-nonce-we-sent-0123456789abcdef"},
    }
    return {**claims, **changes.get(fault, {})}


def _padded(segment: str) -> str:
    return segment + "=" * (-len(segment) % 4)


def _read_form(environ) -> dict:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


def _replace_body(environ, body: bytes, method: str) -> None:
    environ.update(
        REQUEST_METHOD=method,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(len(body)),
    )
    environ["wsgi.input"] = io.BytesIO(body)


def _json(start_response, status: int, body: dict):
    data = json.dumps(body).encode()
    start_response(f"{status} Error", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


@contextlib.contextmanager
def running_provider(host: str = "127.0.0.1", port: int = 0, users: dict | None = None) -> Iterator[tuple[str, ProviderShim]]:
    """Serve the wrapped mock on host:port in a thread; yield (issuer URL, shim)."""
    predefined = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in (users or {}).items()]
    app = oidc_provider_mock.app(require_nonce=True, user_claims=predefined)
    shim = ProviderShim(app, auto_login=frozenset(users or ()))
    server = werkzeug.serving.make_server(host, port, shim, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}", shim
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)

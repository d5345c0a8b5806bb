"""Security headers on every response, cookie flags, CSRF on every state-changing form, no inline code."""

import re
import uuid
from pathlib import Path

import pytest

from directory.core.security import CSP
from directory.extensions import csrf

ROOT = Path(__file__).resolve().parents[2]
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Placeholder values for URL converters: the page need not exist, the headers must be there anyway.
SAMPLE_ARGS = {"uuid": uuid.UUID(int=1), "integer": 1, "path": "x.css"}


def sample_url(app, rule) -> str:
    """A URL for ``rule`` with placeholder arguments."""
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        values[name] = sorted(converter.items)[0] if kind == "any" else SAMPLE_ARGS.get(kind, "inconnu")
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def rules(app, methods: set[str]):
    return sorted((r for r in app.url_map.iter_rules() if methods & r.methods), key=lambda r: r.rule)


def test_csp_allows_no_inline_code():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CSP


def assert_security_headers(response, url: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp or "default-src 'none'" in csp, url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    assert headers.get("X-Frame-Options") == "DENY", url


def test_every_get_route_sends_the_security_headers(app, client):
    checked = 0
    for rule in rules(app, {"GET"}):
        url = sample_url(app, rule)
        with client.get(url) as response:
            assert response.status_code < 500, url
            assert_security_headers(response, url)
            assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("path", ["/nulle-part", "/healthz", "/static/css/main.css"])
def test_errors_and_static_files_carry_them_too(client, path):
    with client.get(path) as response:  # a static file is streamed: close it
        assert_security_headers(response, path)


def test_a_wrong_method_carries_them_too(client):
    response = client.delete("/")

    assert response.status_code == 405
    assert_security_headers(response, "/")


@pytest.mark.parametrize("setting", [("SESSION_COOKIE_SECURE", True), ("PREFERRED_URL_SCHEME", "https")])
def test_hsts_in_production(app, client, monkeypatch, setting):
    monkeypatch.setitem(app.config, *setting)

    response = client.get("/")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_httponly_lax_and_secure_in_production(app, client, monkeypatch, secure):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", secure)

    response = client.get("/?lang=en")  # the language choice is remembered in the session

    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        assert "httponly" in flags
        assert "samesite=lax" in flags
        assert ("secure" in flags) is secure


def test_remember_cookie_follows_the_session_cookie(app):
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


# ------------------------------------------------------------------ CSRF


def is_exempt(app, rule) -> bool:
    view = app.view_functions[rule.endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views or (
        rule.endpoint.split(".")[0] in csrf._exempt_blueprints
    )


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_every_state_changing_form_needs_a_csrf_token(app, client, csrf_on):
    checked = 0
    for rule in rules(app, STATE_CHANGING):
        if is_exempt(app, rule):
            # JSON APIs authenticate otherwise; no browser form may be exempt.
            assert rule.rule.startswith("/api/"), f"{rule.rule} is exempt from CSRF"
            continue
        url = sample_url(app, rule)
        method = sorted(STATE_CHANGING & rule.methods)[0]
        response = client.open(url, method=method, data={"url": "https://example.org/badge"})
        assert response.status_code == 400, url
        checked += 1
    if not checked:
        pytest.skip("no state-changing form yet")


def test_a_post_without_token_gets_a_french_400(app, client, csrf_on):
    if "/verify" not in {r.rule for r in rules(app, {"POST"})}:
        pytest.skip("POST /verify does not exist yet")

    response = client.post("/verify", data={"url": "https://example.org/badge"})

    assert response.status_code == 400
    assert 'lang="fr"' in response.text
    assert "Demande incorrecte" in response.text


# ------------------------------------------------------------------ templates

INLINE_CODE = [
    # JSON-LD data blocks are never executed (and `tojson` escapes "</script>"): allowed.
    (re.compile(r"<script(?![^>]*\b(src=|type=\"application/(ld\+)?json\"))", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* event attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    """The CSP (script-src/style-src 'self') would block them: they must not exist."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {what}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for pattern, what in INLINE_CODE
        if pattern.search(line)
    ]
    assert found == []

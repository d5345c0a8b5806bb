"""Security headers on every response, and which reverse proxies are trusted."""

from collections.abc import Mapping

from flask import Flask
from flask import current_app
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Open Badges documents, images, keys and status lists are read by verifiers on other origins.
PUBLIC_PREFIXES = ("/ob/", "/static/badges/", "/.well-known/")


def add_headers(response):
    """Add the headers every response carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if is_https_only(current_app.config):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith(PUBLIC_PREFIXES):
        headers["Access-Control-Allow-Origin"] = "*"
    return response


def is_https_only(config: Mapping) -> bool:
    """Production: the site is served over HTTPS only, so browsers may be told to insist (HSTS)."""
    return bool(config.get("SESSION_COOKIE_SECURE")) or config.get("PREFERRED_URL_SCHEME") == "https"


def init_app(app: Flask) -> None:
    """Register the response hook; trust X-Forwarded-* from PROXY_FIX proxies, no more."""
    app.after_request(add_headers)
    hops = app.config.get("PROXY_FIX", 0)
    if hops:
        # Client address (rate limits, audit), scheme and host as the load balancer saw them.
        # Trusting more hops than there are proxies would let a client forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

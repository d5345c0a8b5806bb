"""Every /api/v1 route is in openapi.json, with its errors: 429 and Retry-After where a limit applies."""

import re

from directory.extensions import limiter


def api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_json":
            yield rule


def openapi_path(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))


def rate_limited(app, endpoint: str) -> bool:
    view = app.view_functions[endpoint]
    # Flask-Limiter names a decorated route "<module>.<function>.<function>" (no public accessor).
    return any(name.startswith(f"{view.__module__}.{view.__name__}.") for name in limiter._marked_for_limiting)


def test_every_api_route_and_method_is_described(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for rule in api_rules(app):
        described = spec["paths"].get(openapi_path(rule), {})
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in described, f"{method} {rule.rule} is missing from openapi.json"


def test_rate_limited_routes_document_429_with_retry_after(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    limited = [rule for rule in api_rules(app) if rate_limited(app, rule.endpoint)]
    assert {openapi_path(rule) for rule in limited} >= {"/search", "/search/suggest", "/verify"}
    for rule in limited:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            responses = spec["paths"][openapi_path(rule)][method.lower()]["responses"]
            assert responses.get("429") == {"$ref": "#/components/responses/TooManyRequests"}, rule.rule
    too_many = spec["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in too_many["headers"]


def test_every_referenced_component_exists(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    text = str(spec)
    for kind, name in re.findall(r"#/components/(schemas|responses)/(\w+)", text):
        assert name in spec["components"][kind], f"{kind}/{name}"


def test_error_bodies_match_the_described_shape(client):
    body = client.get("/api/v1/profiles/nobody-has-this-slug").get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}


def test_the_document_is_valid_openapi(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").get_json())

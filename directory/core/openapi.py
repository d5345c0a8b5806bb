"""`GET /api/v1/openapi.json`: the API described in OpenAPI 3.

Each domain describes its own routes with `add_path()` when its API module is imported;
this module only holds the document and serves it.
"""

from flask import jsonify
from flask import request

from directory.core.api import bp

SPEC: dict = {
    "openapi": "3.0.3",
    "info": {
        "title": "Badgeons API",
        "version": "1",
        "description": "Public API of the Badgeons directory of entrepreneurs' competencies.",
    },
    "paths": {},
    "components": {"schemas": {}},
}


def add_path(path: str, operations: dict) -> None:
    """Describe the operations of a path under /api/v1 (e.g. `{"get": {...}}`)."""
    SPEC["paths"].setdefault(path, {}).update(operations)


def add_schema(name: str, schema: dict) -> None:
    """Add a reusable schema, referenced as `#/components/schemas/<name>`."""
    SPEC["components"]["schemas"][name] = schema


def document() -> dict:
    """The OpenAPI document with this server's URL."""
    return {**SPEC, "servers": [{"url": request.host_url.rstrip("/") + bp.url_prefix}]}


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())

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
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["status", "code", "message"],
                        "properties": {
                            "status": {"type": "integer", "example": 429},
                            "code": {"type": "string", "example": "too_many_requests"},
                            "message": {"type": "string"},
                        },
                    }
                },
            }
        },
        "responses": {},
    },
}
_ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
ERRORS = {  # status -> (component name, description)
    400: ("BadRequest", "The request is malformed; the message says what to send."),
    401: ("Unauthorized", "Sign in first (a session cookie)."),
    404: ("NotFound", "Nothing public (or of yours) has this identifier."),
    413: ("PayloadTooLarge", "The upload is larger than allowed."),
    429: ("TooManyRequests", "Too many requests from this address; wait the number of seconds in Retry-After."),
    503: ("ServiceUnavailable", "A service this route needs cannot be reached; try again shortly."),
}
for _status, (_name, _description) in ERRORS.items():
    SPEC["components"]["responses"][_name] = {"description": _description, "content": _ERROR_BODY}
SPEC["components"]["responses"]["TooManyRequests"]["headers"] = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
}


def errors(*statuses: int) -> dict:
    """Response entries for these error statuses, each a reference to the shared JSON error body."""
    return {str(status): {"$ref": f"#/components/responses/{ERRORS[status][0]}"} for status in statuses}


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

"""OpenAPI description of `POST /api/v1/verify` (registered when verify_views is imported)."""

from directory.core import openapi

_CHECK = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "example": "signature"},
        "outcome": {"type": "string", "enum": ["pass", "fail", "warning", "skipped"]},
        "message_fr": {"type": "string"},
        "message_en": {"type": "string"},
    },
}
_VERDICT = {
    "type": "object",
    "properties": {
        "result": {"type": "string", "enum": ["valid", "invalid", "unusable"]},
        "valid": {"type": "boolean"},
        "version": {"type": "string", "nullable": True, "enum": ["2.0", "3.0", None]},
        "format": {"type": "string", "nullable": True, "description": "png, svg, json or jwt"},
        "method": {"type": "string", "nullable": True, "description": "hosted, signed, vc-jwt or data-integrity"},
        "checks": {"type": "array", "items": {"$ref": "#/components/schemas/VerificationCheck"}},
        "badge": {"type": "object", "nullable": True, "description": "What the badge says (name, issuer, dates)."},
        "document": {"type": "object", "nullable": True, "description": "The credential or assertion as read."},
    },
}
_FILE = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "A baked PNG or SVG, or a JSON/JWT file."},
    "recipient": {"type": "string", "description": "An e-mail address to check the badge was issued to."},
}}  # fmt: skip
_JSON = {"type": "object", "properties": {
    "url": {"type": "string", "format": "uri", "description": "Where the assertion or credential is hosted."},
    "credential": {"description": "The assertion or credential itself (an object or a compact JWS).",
                   "oneOf": [{"type": "object"}, {"type": "string"}]},
    "recipient": {"type": "string"},
}}  # fmt: skip
VERIFY = {
    "summary": "Verify an Open Badge (2.0 or 3.0) from here or elsewhere",
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": _FILE}, "application/json": {"schema": _JSON}},
    },
    "responses": {
        "200": {"description": "The verdict, check by check",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}}},
        "400": {"description": "Nothing usable was sent: the verdict says why, with an `error` object",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        **openapi.errors(413, 429),
    },
}  # fmt: skip


def register() -> None:
    openapi.add_schema("VerificationCheck", _CHECK)
    openapi.add_schema("Verdict", _VERDICT)
    openapi.add_path("/verify", {"post": VERIFY})

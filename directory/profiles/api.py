"""`GET /api/v1/profiles/<slug>`: the public profile and its public badges, as anyone sees them."""

from flask import abort
from flask import jsonify
from sqlalchemy import select

from directory.core import openapi
from directory.core.api import bp
from directory.core.i18n import locale_code
from directory.extensions import db
from directory.profiles.models import Profile
from directory.profiles.serialisers import profile_view


@bp.get("/profiles/<slug>")
def profile(slug: str):
    # Always the anonymous view: the API is the public contract, whoever's cookies come along.
    found = db.session.scalar(select(Profile).where(Profile.slug == slug))
    view = profile_view(found, "anonymous", locale_code()) if found is not None else None
    if view is None:
        abort(404)
    response = jsonify(view.to_json())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


_STRINGS = {"type": "array", "items": {"type": "string"}}
_AWARD = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string"},
        "source": {"type": "string", "enum": ["issued", "imported"]},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "image_url": {"type": "string"},
        "issuer": {"type": "string"},
        "issued_on": {"type": "string", "format": "date-time", "nullable": True},
        "expires_on": {"type": "string", "format": "date-time", "nullable": True},
        "status": {"type": "string", "enum": ["valid", "verified", "revoked", "expired", "unverifiable"]},
        "verified_at": {"type": "string", "format": "date-time", "nullable": True},
        "featured": {"type": "boolean"},
        "competencies": _STRINGS,
        "endorsers": _STRINGS,
        "links": {
            "type": "object",
            "description": "issued here: ob2_assertion, ob3_credential, baked_image (OB 3.0 PNG)",
            "additionalProperties": {"type": "string", "format": "uri"},
        },
    },
}
_PROFILE = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "name": {"type": "string"},
        "headline": {"type": "string"},
        "bio": {"type": "string", "description": "Markdown"},
        "company": {"type": "string"},
        "commune": {"type": "string"},
        "departement": {"type": "string"},
        "region": {"type": "string"},
        "sectors": _STRINGS,
        "open_to": _STRINGS,
        "links": _STRINGS,
        "awards": {"type": "array", "items": {"$ref": "#/components/schemas/ProfileAward"}},
    },
}
openapi.add_schema("ProfileAward", _AWARD)
openapi.add_schema("Profile", _PROFILE)
openapi.add_path("/profiles/{slug}", {"get": {
    "summary": "A public profile and its public badges",
    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {
        "200": {"description": "The profile", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}}},
        **openapi.errors(404),
    },
}})

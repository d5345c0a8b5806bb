"""The search routes in the OpenAPI document (`/api/v1/openapi.json`)."""

from directory.core import openapi
from directory.search.types import FACETS
from directory.search.types import SORTS


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


HIT = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "headline": {"type": "string"},
        "matched_competencies": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "uri": {"type": "string"},
                    "label": {"type": "string"},
                },
            },
        },
    },
}
RESULTS = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "pages": {"type": "integer"},
        "did_you_mean": {"type": "string", "nullable": True},
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
        "facets": {
            "type": "object",
            "description": "facet name → value → number of matching profiles",
            "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "facets_approximate": {
            "type": "boolean",
            "description": "true when facet counts are estimates (a very broad query on the PostgreSQL "
            "backend); the total is always exact",
        },
    },
}
SEARCH = {
    "summary": "Search listed entrepreneurs by competency, place, badge, issuer and endorser",
    "parameters": [
        _query("q", 'Words, "a phrase", or a prefix ending in *; accents and case do not matter.'),
        *(
            _query(
                name,
                "Filter (repeatable: OR within a facet, AND across facets).",
                {"type": "array", "items": {"type": "string"}},
            )
            for name in FACETS
        ),
        _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
        _query("per_page", "Hits per page (1–100).", {"type": "integer", "minimum": 1, "maximum": 100}),
        _query("sort", "Order of the hits.", {"type": "string", "enum": list(SORTS)}),
    ],
    "responses": {
        "200": {
            "description": "Results",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}},
        },
        **openapi.errors(400, 429),
    },
}
SUGGEST = {
    "summary": "Competencies, badge classes and organisations starting with what was typed",
    "parameters": [
        _query("q", "What was typed so far."),
        _query("limit", "At most this many (1–20).", {"type": "integer"}),
    ],
    "responses": {
        "200": {
            "description": "Suggestions",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "suggestions": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "kind": {
                                            "type": "string",
                                            "enum": ["competence", "badge", "organisation"],
                                        },
                                        "value": {"type": "string"},
                                        "label": {"type": "string"},
                                        "url": {"type": "string"},
                                    },
                                },
                            }
                        },
                    }
                }
            },
        },
        **openapi.errors(429),
    },
}


def register() -> None:
    """Add the search paths and schemas to the document."""
    openapi.add_schema("SearchHit", HIT)
    openapi.add_schema("SearchResults", RESULTS)
    openapi.add_path("/search", {"get": SEARCH})
    openapi.add_path("/search/suggest", {"get": SUGGEST})

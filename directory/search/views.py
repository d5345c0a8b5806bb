"""`/search` (HTML, works without JavaScript) and the JSON API: `/api/v1/search`, `/api/v1/search/suggest`."""

from dataclasses import dataclass

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from flask import url_for
from markupsafe import Markup

from directory.core.api import bp as api
from directory.core.pagecache import cached_page
from directory.extensions import limiter
from directory.search import openapi_paths
from directory.search.labels import FACET_TITLES
from directory.search.labels import SORT_TITLES
from directory.search.labels import facet_labels
from directory.search.params import SearchParams
from directory.search.results import ResultsPage
from directory.search.results import run_search
from directory.search.service import SearchService

bp = Blueprint("search", __name__)
FACET_VALUES_SHOWN = 12
API_PER_PAGE_MAX = 100
# Per client address; the suggestions follow typing, so they may come faster.
SEARCH_API_LIMIT = "120 per minute"
SUGGEST_API_LIMIT = "300 per minute"


def service() -> SearchService:
    return current_app.extensions["search"]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    args: dict  # URL arguments that toggle this value


def facet_values(page: ResultsPage, name: str) -> list[FacetValue]:
    """A facet's values for the page: selected ones first, then by count, at most a dozen."""
    counts = page.facets.get(name, {})
    selected = [v for v in page.params.filters.get(name, ()) if v not in counts]
    labels = facet_labels(name, [*counts, *selected])
    values = [
        FacetValue(
            v, labels[v], counts.get(v, 0), page.params.is_selected(name, v), page.params.toggled(name, v)
        )
        for v in [*counts, *selected]
    ]
    values.sort(key=lambda fv: (not fv.selected, -fv.count, fv.label.lower()))
    return [fv for i, fv in enumerate(values) if fv.selected or i < FACET_VALUES_SHOWN]


@bp.get("/search")
@cached_page
def search():
    params = SearchParams.from_args(request.args, per_page=current_app.config.get("PER_PAGE", 24))
    page = run_search(service(), params)
    facets = {name: facet_values(page, name) for name in FACET_TITLES}
    suggestions = service().backend.suggest(params.q, limit=6) if params.q and not page.total else []
    return render_template(
        "search/results.html",
        page=page,
        facets=facets,
        facet_titles=FACET_TITLES,
        sort_titles=SORT_TITLES,
        suggestions=suggestions,
        Markup=Markup,
    )


def _api_hit(hit) -> dict:
    profile = hit.profile
    return {
        "slug": profile.slug,
        "name": profile.display_name,
        "url": url_for("profiles.show", slug=profile.slug, _external=True),
        "headline": profile.headline,
        "matched_competencies": [{"id": c.id, "uri": c.uri, "label": c.label_fr} for c in hit.matched],
    }


@api.get("/search")
@limiter.limit(SEARCH_API_LIMIT)
def api_search():
    per_page = min(max(request.args.get("per_page", 20, type=int), 1), API_PER_PAGE_MAX)
    params = SearchParams.from_args(request.args, per_page=per_page)
    page = run_search(service(), params)
    return jsonify(
        total=page.total,
        page=params.page,
        pages=page.pages,
        did_you_mean=page.did_you_mean,
        hits=[_api_hit(hit) for hit in page.hits],
        facets=page.facets,
        facets_approximate=page.approximate,
    )


def _suggestion(entry) -> dict:
    if entry.kind == "organisation":
        link = url_for("organisations.show", slug=entry.key, _external=True)
    else:
        link = url_for("search.search", **{entry.kind: entry.key}, _external=True)
    return {"kind": entry.kind, "value": entry.key, "label": entry.label, "url": link}


@api.get("/search/suggest")
@limiter.limit(SUGGEST_API_LIMIT)
def api_suggest():
    limit = min(max(request.args.get("limit", 8, type=int), 1), 20)
    entries = service().backend.suggest(request.args.get("q", "")[:100], limit=limit)
    return jsonify(suggestions=[_suggestion(entry) for entry in entries])


openapi_paths.register()

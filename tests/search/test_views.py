"""The /search page, the JSON API, suggestions, OpenAPI, /healthz and `flask search reindex`."""

import re

import pytest

from directory.extensions import db
from tests.search import factories as f


@pytest.fixture
def listed(search):
    skill = f.competency("négociation commerciale", "commercial negotiation")
    issuer = f.organisation("BGE Picardie")
    badge = f.badge_class("Négocier avec ses clients", [skill], issuer=issuer)
    partner = f.organisation("Région Hauts-de-France", kind="local_authority")
    f.endorsement(partner, badge)
    people = [
        f.profile(
            f"Profil {n:02d}",
            last_name=f"Nom{n:02d}",
            headline="Négociatrice",
            commune="Lille",
            departement="Nord",
            departement_code="59" if n % 2 else "62",
            open_to=["missions"],
        )
        for n in range(1, 30)
    ]
    for person in people:
        f.award(person, badge)
    db.session.commit()
    return {"skill": skill, "badge": badge, "partner": partner, "issuer": issuer, "people": people}


def test_api_search_shape(client, listed):
    body = client.get("/api/v1/search?q=negociations&departement=59&page=2&per_page=5").get_json()
    assert body["total"] == 15 and body["page"] == 2 and body["pages"] == 3 and len(body["hits"]) == 5
    hit = body["hits"][0]
    assert set(hit) == {"slug", "name", "url", "headline", "matched_competencies"}
    assert hit["url"].endswith(f"/profiles/{hit['slug']}")
    assert hit["matched_competencies"] == [
        {"id": listed["skill"].id, "uri": listed["skill"].uri, "label": "négociation commerciale"}
    ]
    # A facet's own filter does not narrow its counts, so other départements stay choosable.
    assert body["facets"]["departement"] == {"59": 15, "62": 14}
    assert body["facets"]["reconnu_par"] == {listed["partner"].slug: 15}
    assert body["facets"]["ouvert_a"] == {"missions": 15}


def test_api_sort_by_name(client, listed):
    body = client.get("/api/v1/search?sort=name&per_page=3").get_json()
    assert [hit["name"] for hit in body["hits"]] == ["Profil 01", "Profil 02", "Profil 03"]


def test_api_suggest(client, listed):
    body = client.get("/api/v1/search/suggest?q=NEGO").get_json()
    assert [(s["kind"], s["label"]) for s in body["suggestions"]] == [
        ("competence", "négociation commerciale"),
        ("badge", "Négocier avec ses clients"),
    ]
    assert body["suggestions"][0]["url"].endswith(f"/search?competence={listed['skill'].id}")
    assert (
        client.get("/api/v1/search/suggest?q=r%C3%A9gion").get_json()["suggestions"][0]["kind"]
        == "organisation"
    )


def test_openapi_describes_the_search_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/search", "/search/suggest"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/search"]["get"]["parameters"]}
    assert {"q", "page", "sort", "region", "departement", "competence", "reconnu_par", "ouvert_a"} <= names


def test_page_with_facets_filters_and_highlights(client, listed):
    html = client.get("/search?q=n%C3%A9gociatrice&departement=59").get_data(as_text=True)
    assert "<mark>Négociatrice</mark>" in html
    assert 'aria-live="polite"' in html and "15 entrepreneurs trouvés" in html
    assert "<legend>Département</legend>" in html
    assert re.search(r'name="departement" value="59" checked', html)
    assert "Retirer le filtre Département : Nord (59)" in html
    assert '<input type="hidden" name="departement" value="59">' in html


def test_page_pagination_keeps_the_query(client, listed):
    html = client.get("/search?q=n%C3%A9gociatrice&sort=name&page=2").get_data(as_text=True)
    assert 'aria-current="page">2</a>' in html and 'rel="prev"' in html
    assert html.count('class="card profile-card search-hit"') == 29 - 24
    assert 'href="/search?q=n%C3%A9gociatrice&amp;sort=name"' in html


def test_page_empty_state_with_did_you_mean_and_suggestions(client, listed):
    html = client.get("/search?q=negocaition").get_data(as_text=True)
    assert "Vouliez-vous dire" in html and "négociation</a>" in html
    assert "Aucun entrepreneur" in html


def test_page_suggestions_when_nothing_found(client, listed):
    html = client.get("/search?q=negociation&departement=75").get_data(as_text=True)
    assert "Essayez plutôt" in html and f"competence={listed['skill'].id}" in html


def test_navigation_links_to_the_search(client, search):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'href="/search"' in html


def test_healthz_reports_the_index(client, search):
    body = client.get("/healthz").get_json()
    assert body["search"] == {"ok": True, "backend": "whoosh", "documents": 0}


def test_cli_reindex(app, listed):
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "29 profiles indexed (whoosh)" in result.output


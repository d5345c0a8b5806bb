"""The base layout, the language switch, error pages and the health check."""

import pytest


def test_home_is_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    for label in ("Annuaire", "Badges", "Organisations", "Se connecter", "Aller au contenu"):
        assert label in html
    assert "ESCO, © Union européenne" in html or "© Union européenne" in html


def test_language_switch_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Directory" in html and "Sign in" in html
    # The choice sticks for the next page without the parameter.
    assert '<html lang="en">' in client.get("/badges").get_data(as_text=True)
    assert '<html lang="fr">' in client.get("/badges?lang=fr").get_data(as_text=True)


def test_browser_preference_is_followed(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, text", [("fr", "Page introuvable"), ("en", "Page not found")])
def test_not_found_page_in_both_languages(client, lang, text):
    response = client.get(f"/nulle-part?lang={lang}")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"]["status"] == 404


def test_method_not_allowed_is_json_for_json_callers(client):
    response = client.post("/healthz", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert response.json["error"]["status"] == 405


def test_unexpected_error_gives_a_500_page(app, db):
    from directory import create_app

    fresh = create_app({**app.config, "TESTING": False})

    @fresh.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    response = fresh.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["ok"] is True


def test_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_empty_states(client):
    assert "Aucun entrepreneur" in client.get("/").get_data(as_text=True)
    assert "Aucun badge" in client.get("/badges").get_data(as_text=True)
    assert "Aucune organisation" in client.get("/organisations").get_data(as_text=True)


def test_markdown_is_sanitised():
    from directory.core.markdown import render_markdown

    html = render_markdown("**gras** <script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.fr)")
    assert "<strong>gras</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert '<a href="https://a.fr" rel="noopener noreferrer nofollow">y</a>' in html

"""PostgreSQL backend: the shared conformance suite, one statement per search, facets in the row.

`test_conformance` builds its backend without the `app` fixture, so the `--db=postgresql`
pass deselects it; this module runs the same tests on PostgreSQL through `db` (which uses
`app`). On the SQLite pass these tests are skipped.
"""

import pytest
from sqlalchemy import event
from sqlalchemy import text

from directory.search.analysis import parse_query
from directory.search import postgres_query
from directory.search.postgres_query import SqlQuery
from directory.search.registry import make_backend
from directory.search.types import SearchQuery
from tests.search import test_conformance as conformance
from tests.search.test_conformance import *  # noqa: F403 (the shared tests, collected here once more)


@pytest.fixture
def backend(db, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (--db=postgresql)")
    backend = make_backend("postgres", tmp_path, db.engine)
    backend.rebuild(conformance.CORPUS)
    backend.replace_suggestions(conformance.SUGGESTIONS)
    yield backend
    backend.close()


def test_facets_are_stored_as_tokens_in_the_document_row(backend):
    with backend.engine.connect() as connection:
        statement = text("SELECT facets FROM search_documents WHERE doc_id = '4'")
        tokens = connection.execute(statement).scalar_one()
    assert set(tokens) == {
        "region:Hauts-de-France",
        "departement:62",
        "competence:14",
        "competence:15",
        "emetteur:adie",
        "reconnu_par:region-hdf",
        "reconnu_par:pole-emploi",
    }


def test_a_search_with_filters_and_facets_is_one_statement(backend):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(backend.engine, "before_cursor_execute", listener)
    try:
        backend.search(SearchQuery(terms=parse_query("négociation"), filters={"departement": ("59",)}))
    finally:
        event.remove(backend.engine, "before_cursor_execute", listener)
    searches = [s for s in statements if "search_documents" in s]
    assert len(searches) == 1
    assert "search_facets" not in searches[0] and "JOIN" not in searches[0].upper()


def explain(backend, query: SearchQuery) -> str:
    statement = SqlQuery(query).statement()
    with backend.engine.connect() as connection:
        explained = text(f"EXPLAIN (ANALYZE, COSTS OFF) {statement.text}")
        rows = connection.execute(explained, statement.compile().params)
        return "\n".join(row[0] for row in rows)


def test_below_the_exact_limit_the_matches_are_read_once(backend):
    plan = explain(backend, SearchQuery(terms=parse_query("gestion"), filters={"departement": ("59", "80")}))
    scans = [line for line in plan.splitlines() if "on search_documents" in line]
    assert len(scans) == 2, plan  # the capped read of the matches, and the full count
    assert "never executed" not in scans[0] and "never executed" in scans[1], plan
    assert not backend.search(SearchQuery(terms=parse_query("gestion"))).approximate


def test_past_the_exact_limit_totals_stay_exact_and_facet_counts_are_scaled(backend, monkeypatch):
    monkeypatch.setattr(postgres_query, "EXACT_LIMIT", 2)
    result = backend.search(SearchQuery(per_page=2, facets=("region",)))
    assert result.total == 6
    assert sum(result.facets["region"].values()) == 6  # two sampled rows, each standing for three
    assert result.approximate  # the page says "≈" beside the counts
    assert [h.id for h in backend.search(SearchQuery(sort="name", per_page=3)).hits] == ["6", "2", "4"]
    ranked = backend.search(SearchQuery(terms=parse_query("négociation"), per_page=1))
    assert ranked.total == 3 and len(ranked.hits) == 1


def test_estimated_counts_are_marked_on_the_page_and_in_the_api(search, backend_name, app, client, db, monkeypatch):
    if backend_name != "postgres":
        pytest.skip("PostgreSQL only (--db=postgresql)")
    from tests.search import factories

    badge = factories.badge_class("Gestion de trésorerie")
    for n in range(3):
        factories.award(factories.profile(f"Personne {n}", region="Bretagne"), badge)
    db.session.commit()
    search.reindex()
    exact = client.get("/api/v1/search?q=tresorerie").get_json()
    assert exact["total"] == 3 and exact["facets_approximate"] is False

    # Past the limit (and the page): one match of three is read, its facets scaled by three.
    monkeypatch.setattr(postgres_query, "EXACT_LIMIT", 1)
    monkeypatch.setitem(app.config, "PER_PAGE", 1)
    page = client.get("/search?q=tresorerie").get_data(as_text=True)
    assert "(≈ 3)" in page and "nombre estimé" in page
    assert client.get("/api/v1/search?q=tresorerie&per_page=1").get_json()["facets_approximate"] is True

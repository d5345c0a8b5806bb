"""Every backend answers the same queries with the same hits and facet counts (pure backends, no app)."""

import pytest

from directory.search.analysis import parse_query
from directory.search.registry import make_backend
from directory.search.types import SearchDoc
from directory.search.types import SearchQuery
from directory.search.types import SuggestEntry


def doc(id, skills="", main="", body="", endorsed="", sort_name="", updated=0, **facets) -> SearchDoc:
    facets = {name: tuple(values) for name, values in facets.items()}
    return SearchDoc(
        id=id,
        skills=skills,
        main=main,
        body=body,
        endorsed=endorsed,
        sort_name=sort_name or id,
        updated=updated,
        facets=facets,
    )


CORPUS = [
    doc(
        "1",
        skills="négociation commerciale\ngestion financière",
        main="Alice Martin\nLille\nHauts-de-France",
        body="Je développe des compétences en l'innovation.",
        sort_name="martin alice",
        updated=5,
        region=["Hauts-de-France"],
        departement=["59"],
        competence=["10", "11"],
        emetteur=["bge"],
        ouvert_a=["missions"],
    ),
    doc(
        "2",
        skills="gestion de projet\nproject management",
        main="Bruno Durand\nAmiens",
        body="managing teams and budgets",
        sort_name="durand bruno",
        updated=9,
        region=["Hauts-de-France"],
        departement=["80"],
        competence=["12"],
        emetteur=["bge"],
        reconnu_par=["region-hdf"],
    ),
    doc(
        "3",
        skills="comptabilité\npâtisserie",
        main="Chloé Petit\nParis",
        body="Artisane pâtissière, créatrice d'entreprise.",
        sort_name="petit chloe",
        updated=1,
        region=["Île-de-France"],
        departement=["75"],
        competence=["13"],
        emetteur=["adie"],
        ouvert_a=["missions", "hiring"],
    ),
    doc(
        "4",
        skills="marketing digital\néco-conception",
        main="David Leroy\nLens",
        body="Conseil en développement durable.",
        sort_name="leroy david",
        updated=7,
        region=["Hauts-de-France"],
        departement=["62"],
        competence=["14", "15"],
        emetteur=["adie"],
        reconnu_par=["region-hdf", "pole-emploi"],
    ),
    doc(
        "5",
        main="Emma Moreau\nArras",
        body="Négociations avec les fournisseurs au quotidien.",
        sort_name="moreau emma",
        updated=3,
        region=["Hauts-de-France"],
        departement=["62"],
    ),
    doc(
        "6",
        skills="négociation commerciale",
        endorsed="négociation commerciale",
        main="Farid Benali\nRoubaix",
        sort_name="benali farid",
        updated=8,
        region=["Hauts-de-France"],
        departement=["59"],
        competence=["10"],
        emetteur=["bge"],
        reconnu_par=["region-hdf"],
    ),
]
SUGGESTIONS = [
    SuggestEntry("competence", "10", "négociation commerciale", "commercial negotiation", 0),
    SuggestEntry("competence", "11", "gestion financière", "financial management", 1),
    SuggestEntry("competence", "12", "gestion de projet", "project management", 2),
    SuggestEntry("badge", "pilotage", "Piloter un projet", "", 3),
    SuggestEntry("organisation", "bge", "BGE Hauts-de-France", "", 4),
]

# query → the ids it must find (as a set: ranking is checked apart)
QUERIES = [
    ("négociation", {"1", "5", "6"}),
    ("NEGOCIATIONS", {"1", "5", "6"}),
    ("gestion financiere", {"1"}),
    ("gestion", {"1", "2"}),
    ("Compétences", {"1"}),
    ("pâtisserie", {"3"}),
    ("patisserie", {"3"}),
    ("management", {"2"}),
    ("managing", {"2"}),
    ('"gestion de projet"', {"2"}),
    ('"négociation commerciale"', {"1", "6"}),
    ("ges*", {"1", "2"}),
    ("dével*", {"1", "4"}),
    ("conception", {"4"}),
    ("lille négociation", {"1"}),
    ("inexistant", set()),
    ("", {"1", "2", "3", "4", "5", "6"}),
]


@pytest.fixture
def backend(backend_name, tmp_path, request):
    # PostgreSQL works in the suite's database (emptied after the test by the `db` fixture).
    engine = request.getfixturevalue("db").engine if backend_name == "postgres" else None
    backend = make_backend(backend_name, tmp_path, engine)
    backend.rebuild(CORPUS)
    backend.replace_suggestions(SUGGESTIONS)
    yield backend
    backend.close()


def search(backend, text="", **options):
    return backend.search(SearchQuery(terms=parse_query(text), **options))


@pytest.mark.parametrize(("text", "expected"), QUERIES)
def test_same_hits(backend, text, expected):
    result = search(backend, text)
    assert {hit.id for hit in result.hits} == expected
    assert result.total == len(expected)


def test_facet_counts(backend):
    facets = search(backend, "").facets
    assert facets["region"] == {"Hauts-de-France": 5, "Île-de-France": 1}
    assert facets["departement"] == {"59": 2, "80": 1, "75": 1, "62": 2}
    assert facets["reconnu_par"] == {"region-hdf": 3, "pole-emploi": 1}
    assert facets["ouvert_a"] == {"missions": 2, "hiring": 1}
    assert facets["competence"] == {"10": 2, "11": 1, "12": 1, "13": 1, "14": 1, "15": 1}


def test_filters_or_within_and_across(backend):
    result = search(backend, "", filters={"departement": ("59", "62"), "reconnu_par": ("region-hdf",)})
    assert {hit.id for hit in result.hits} == {"4", "6"} and result.total == 2
    assert result.facets["emetteur"] == {"adie": 1, "bge": 1}


def test_filters_with_words(backend):
    result = search(backend, "négociation", filters={"departement": ("59",)})
    assert {hit.id for hit in result.hits} == {"1", "6"} and result.total == 2
    assert result.facets["competence"] == {"10": 2, "11": 1}


def test_endorsed_competencies_rank_first_and_skills_outrank_bio(backend):
    ids = [hit.id for hit in search(backend, "négociation").hits]
    assert ids[0] == "6"
    assert ids.index("1") < ids.index("5")


@pytest.mark.parametrize(
    ("sort", "expected"), [("name", ["6", "2", "4", "1", "5", "3"]), ("recent", ["2", "6", "4"])]
)
def test_sorts(backend, sort, expected):
    ids = [hit.id for hit in search(backend, "", sort=sort).hits]
    assert ids[: len(expected)] == expected


def test_pages(backend):
    pages = [search(backend, "", sort="name", per_page=4, page=n) for n in (1, 2, 3)]
    assert [[h.id for h in p.hits] for p in pages] == [["6", "2", "4", "1"], ["5", "3"], []]
    assert {p.total for p in pages} == {6}


def test_filter_that_matches_nothing(backend):
    result = search(backend, "négociation", filters={"departement": ("75",)})
    assert (result.hits, result.total) == ([], 0)
    assert all(counts == {} for counts in result.facets.values())


def test_facets_only(backend):
    result = search(backend, "gestion", per_page=0, facets=("emetteur",))
    assert result.hits == [] and result.total == 2 and result.facets == {"emetteur": {"bge": 2}}


def test_upsert_and_delete(backend):
    with backend.writer() as writer:
        writer.upsert(
            doc("5", main="Emma Moreau", body="boulangerie", sort_name="moreau emma", region=["Bretagne"])
        )
        writer.delete("3")
    assert {h.id for h in search(backend, "négociation").hits} == {"1", "6"}
    assert {h.id for h in search(backend, "boulangerie").hits} == {"5"}
    assert search(backend, "pâtisserie").total == 0
    assert search(backend, "").facets["region"] == {"Hauts-de-France": 4, "Bretagne": 1}


def test_a_failed_write_changes_nothing(backend):
    with pytest.raises(RuntimeError), backend.writer() as writer:
        writer.delete("1")
        raise RuntimeError("crash before the commit")
    assert search(backend, "").total == 6


def test_rebuild_replaces_everything(backend):
    assert backend.rebuild([doc("9", main="Gaëlle Roux")]) == 1
    assert [h.id for h in search(backend, "").hits] == ["9"]
    assert backend.health() == {"ok": True, "backend": backend.name, "documents": 1}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("gest", ["11", "12"]),
        ("GESTION fin", ["11"]),
        ("négo", ["10"]),
        ("nego", ["10"]),
        ("financial", ["11"]),
        ("proj", ["12", "pilotage"]),
        ("bge", ["bge"]),
        ("x", []),
        ("zzz", []),
    ],
)
def test_suggest(backend, typed, expected):
    assert [entry.key for entry in backend.suggest(typed)] == expected


def test_suggest_limit_keeps_rank_order(backend):
    assert [entry.key for entry in backend.suggest("ge", limit=1)] == ["11"]

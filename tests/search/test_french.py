"""The French query table, from the database to the results: accents, case, plural, synonyms,
narrower concepts, English, misspellings ("did you mean")."""

import pytest

from directory.extensions import db
from directory.search.params import SearchParams
from directory.search.results import run_search
from tests.search import factories as f


@pytest.fixture
def directory_data(search):
    """Three entrepreneurs whose badges align to ESCO-like concepts with a hierarchy."""
    management = f.competency("gestion d'entreprise", "business management")
    finance = f.competency(
        "gestion financière",
        "financial management",
        parent=management,
        synonyms_fr="pilotage budgétaire\ngestion des finances",
    )
    negotiation = f.competency(
        "négocier des contrats", "negotiate contracts", synonyms_fr="négociation commerciale"
    )
    baking = f.competency("pâtisserie", "pastry making", synonyms_en="confectionery")
    partner = f.organisation("Région Hauts-de-France", kind="local_authority")
    finance_badge = f.badge_class(
        "Piloter ses finances", [finance], description_fr="Tenir un budget prévisionnel."
    )
    negotiation_badge = f.badge_class("Négocier avec ses clients", [negotiation])
    f.endorsement(partner, negotiation_badge)
    alice = f.profile(
        "Alice Martin", bio="J'accompagne les créateurs d'entreprise dans le développement durable."
    )
    bruno = f.profile("Bruno Durand", headline="Pâtissier", commune="Amiens", departement_code="80")
    chloe = f.profile("Chloé Petit", bio="Négociations quotidiennes avec les fournisseurs.")
    f.award(alice, finance_badge)
    f.award(bruno, f.badge_class("Pâtisserie fine", [baking]))
    f.award(chloe, negotiation_badge)
    db.session.commit()
    return {"alice": alice.slug, "bruno": bruno.slug, "chloe": chloe.slug}


TABLE = [
    ("gestion financière", ["alice"]),
    ("gestion financiere", ["alice"]),  # accents
    ("GESTION FINANCIÈRE", ["alice"]),  # case
    ("finances", ["alice"]),  # plural, from a synonym
    ("pilotage budgétaire", ["alice"]),  # synonym
    ("financial management", ["alice"]),  # English label
    ("gestion d'entreprise", ["alice"]),  # broader concept finds the narrower one
    ("business management", ["alice"]),
    ("négociations", ["chloe"]),  # plural
    ("negociation", ["chloe"]),
    ("pâtisseries", ["bruno"]),
    ("patisserie amiens", ["bruno"]),
    ("confectionery", ["bruno"]),
    ("budget", ["alice"]),  # badge description
    ("développement durable", ["alice"]),  # bio words
    ("créateurs", ["alice"]),
    ("createur", ["alice"]),  # singular, no accent
    ("pati*", ["bruno"]),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_french_queries(app, directory_data, text, expected):
    page = run_search(app.extensions["search"], SearchParams(q=text))
    assert [hit.profile.slug for hit in page.hits] == [directory_data[name] for name in expected]


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("negocer", "négocier"),
        ("patiserie", "pâtisserie"),
        ("financiere gestoin", "financiere gestion"),
        ("fiannces", "finances"),
    ],
)
def test_did_you_mean(app, directory_data, typed, suggestion):
    page = run_search(app.extensions["search"], SearchParams(q=typed))
    assert page.total == 0 and page.did_you_mean == suggestion


def test_no_correction_when_found(app, directory_data):
    assert run_search(app.extensions["search"], SearchParams(q="finances")).did_you_mean is None


def test_matched_competencies_include_narrower_concepts(app, directory_data):
    page = run_search(app.extensions["search"], SearchParams(q="gestion d'entreprise"))
    assert [c.label_fr for c in page.hits[0].matched] == ["gestion financière"]

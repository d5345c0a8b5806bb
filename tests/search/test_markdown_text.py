"""Bios and badge texts are written in Markdown: every backend indexes them as a reader sees them."""

from directory.search.types import SearchQuery
from directory.search.analysis import parse_query
from tests.search import factories


def found(search, text: str) -> set[str]:
    return {hit.id for hit in search.search(SearchQuery(terms=parse_query(text))).hits}


def test_bold_words_and_link_texts_are_found(search, db, backend_name):
    holder = factories.profile(
        "Camille Martin",
        bio="Je suis **passionnée** de _céramique_ et je tiens [un atelier partagé](https://atelier.exemple.fr).",
    )
    badge = factories.badge_class("Accueil du public", criteria_fr="Avoir accueilli **vingt groupes** scolaires.")
    factories.award(holder, badge)
    db.session.commit()
    search.reindex()
    for words in ("passionnée", "céramique", "atelier partagé", "vingt groupes"):
        assert found(search, words) == {str(holder.id)}, (backend_name, words)
    assert found(search, "https") == set()  # a link's address is not what the reader sees

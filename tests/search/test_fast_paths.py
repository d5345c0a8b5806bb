"""The shortcuts that keep search cheap must not change what it answers.

tantivy reuses its searcher while the index is unchanged, yet sees another process's commit
at the next query; labels are matched on cached words; excerpts are plain text.
"""

import multiprocessing
from pathlib import Path

import pytest

from directory.extensions import db
from directory.search.analysis import Matcher
from directory.search.analysis import parse_query
from directory.search.highlight import markdown_text
from directory.search.labels import facet_labels
from directory.search.params import SearchParams
from directory.search.registry import make_backend
from directory.search.results import run_search
from directory.search.tantivy_backend import profile_schema
from directory.search.types import SearchDoc
from directory.search.types import SearchQuery
from tests.search import factories as f


def _doc(id: str, body: str) -> SearchDoc:
    return SearchDoc(id=id, body=body, sort_name=id, facets={"region": ("Bretagne",)})


def _ids(backend, text: str) -> set[str]:
    return {hit.id for hit in backend.search(SearchQuery(terms=parse_query(text))).hits}


def write_in_another_process(path: str, upsert: list[tuple[str, str]], delete: list[str]) -> None:
    """Run by `spawn`: a backend of its own on the same directory, one commit."""
    backend = make_backend("tantivy", Path(path), None)
    with backend.writer() as writer:
        for id_, body in upsert:
            writer.upsert(_doc(id_, body))
        for id_ in delete:
            writer.delete(id_)


def _in_another_process(path, upsert=(), delete=()) -> None:
    process = multiprocessing.get_context("spawn").Process(
        target=write_in_another_process, args=(str(path), list(upsert), list(delete))
    )
    process.start()
    process.join(timeout=120)
    assert process.exitcode == 0


@pytest.fixture
def tantivy(tmp_path):
    backend = make_backend("tantivy", tmp_path, None)
    backend.rebuild([_doc("1", "menuiserie"), _doc("2", "ferronnerie")])
    yield backend
    backend.close()


def test_searcher_is_reused_until_the_index_changes(tantivy):
    first = tantivy._searcher(tantivy.profiles, profile_schema())
    assert tantivy._searcher(tantivy.profiles, profile_schema()) is first
    with tantivy.writer() as writer:
        writer.upsert(_doc("3", "menuiserie"))
    assert tantivy._searcher(tantivy.profiles, profile_schema()) is not first
    assert _ids(tantivy, "menuiserie") == {"1", "3"}


def test_another_process_write_is_seen_by_the_next_query(tantivy, tmp_path):
    assert _ids(tantivy, "menuiserie") == {"1"}  # this process now holds a searcher
    _in_another_process(tmp_path, upsert=[("3", "menuiserie"), ("2", "ebenisterie")])
    assert _ids(tantivy, "menuiserie") == {"1", "3"}
    assert _ids(tantivy, "ferronnerie") == set()
    _in_another_process(tmp_path, delete=["1"])
    assert _ids(tantivy, "menuiserie") == {"3"}
    assert tantivy.search(SearchQuery()).facets["region"] == {"Bretagne": 2}


def test_non_numeric_ids_come_back_from_the_stored_document(tmp_path):
    backend = make_backend("tantivy", tmp_path, None)
    backend.rebuild([_doc("abc", "menuiserie"), _doc("7", "menuiserie")])
    assert _ids(backend, "menuiserie") == {"abc", "7"}
    backend.close()


@pytest.mark.parametrize(
    ("query", "label", "expected"),
    [
        ("négociation", "Négociations commerciales", True),
        ("negociations", "négociation commerciale", True),
        ("management", "gestion de projet\nproject management", True),
        ("gestion", "comptabilité", False),
        ("de", "gestion de projet", False),  # a stop word names nothing
        ("ges*", "Gestion financière", True),
        ("fin* ges*", "comptabilité", False),
    ],
)
def test_cached_label_matching_agrees_with_word_by_word(query, label, expected):
    matcher = Matcher(parse_query(query))
    assert matcher.matches_label(label) == matcher.matches_text(label) == expected


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Je suis **gras** et *fine*.", "Je suis gras et fine."),
        ("Voir [mon site](https://exemple.fr) ou <https://autre.fr>.", "Voir mon site ou https://autre.fr."),
        ("# Titre\n\nUn paragraphe\nsuite.\n\n- un\n- deux", "Titre\nUn paragraphe suite.\nun\ndeux"),
        ("![logo de l'atelier](logo.png) `code`", "logo de l'atelier code"),
        ("<b>balise</b> & co", "<b>balise</b> & co"),  # raw HTML stays text, escaped when shown
        ("", ""),
    ],
)
def test_markdown_text(markdown, text):
    assert markdown_text(markdown) == text


def test_excerpt_shows_plain_text(app, search):
    bio = "Menuisière **passionnée** : voir [mon atelier](https://exemple.fr/atelier).\n\nAutre chose."
    f.profile(bio=bio)
    db.session.commit()
    page = run_search(search, SearchParams(q="menuisière"))
    assert [hit.excerpt for hit in page.hits] == ["<mark>Menuisière</mark> passionnée : voir mon atelier."]


def test_departement_labels_come_from_the_official_list(app):
    with app.test_request_context():
        assert facet_labels("departement", ["59", "2A", "zz"]) == {
            "59": "Nord (59)",
            "2A": "Corse-du-Sud (2A)",
            "zz": "zz",
        }


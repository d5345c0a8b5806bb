"""The ESCO import: French and English labels, synonyms, hierarchy, and a second run that writes nothing."""

import time

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from directory.badges.esco import import_esco
from directory.badges.models import Competency
from directory.extensions import db as _db

SKILL = "http://data.europa.eu/esco/skill/"
NEGOTIATE_COMPROMISE = SKILL + "7954861c-86d4-4529-afbb-2c23dab9ac74"
SOCIAL_INTERACTION = SKILL + "8f18f987-33e2-4228-9efb-65de25d03330"
THINKING = SKILL + "a06a5a3f-07a9-40b3-bb7b-d93a960b1be5"


@pytest.fixture(scope="module")
def esco(app):
    """ESCO imported twice, once for the whole module; the tables are emptied at the end."""
    with app.app_context():
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            summary = import_esco()
            _db.session.commit()
            runs.append((summary, time.perf_counter() - started, _count()))
        yield runs
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def session(app, esco):
    with app.app_context():
        yield _db.session
        _db.session.remove()


def _count() -> int:
    return _db.session.scalar(select(func.count()).select_from(Competency).where(Competency.framework == "ESCO"))


def _concept(uri: str) -> Competency:
    return _db.session.scalar(select(Competency).where(Competency.framework == "ESCO", Competency.uri == uri))


def test_imports_every_concept_with_both_languages(session, esco):
    (summary, seconds, count), _ = esco
    print(f"first import: {seconds:.2f}s — {summary}")
    assert count >= 13_000
    without = select(func.count()).select_from(Competency).where(Competency.framework == "ESCO")
    assert session.scalar(without.where(Competency.label_fr == "")) == 0
    # The shipped English export leaves 13 concepts without a label.
    assert session.scalar(without.where(Competency.label_en == "")) <= 13


def test_a_known_concept_has_its_code_kind_synonyms_and_parent(session):
    concept = _concept(NEGOTIATE_COMPROMISE)
    assert concept.code == "7954861c-86d4-4529-afbb-2c23dab9ac74"
    assert (concept.kind, concept.label_fr, concept.label_en) == ("skill", "négocier des compromis", "negotiate compromise")
    assert concept.synonyms_fr == "parvenir à un consensus"
    assert concept.description_en.startswith("Communicate with others")
    assert concept.parent.uri == SOCIAL_INTERACTION
    assert concept.parent.kind == "group"


def test_synonyms_are_stored_one_per_line(session):
    concept = _concept(THINKING)
    assert concept.synonyms_fr.split("\n") == ["raisonnement", "pensée"]
    assert "problem solving" in concept.synonyms_en.split("\n")


def test_knowledge_concepts_are_told_apart(session):
    kinds = dict(session.execute(select(Competency.kind, func.count()).group_by(Competency.kind)).all())
    assert kinds["knowledge"] > 2_000
    assert kinds["group"] >= 17


def test_a_second_import_creates_and_changes_nothing(session, esco):
    (_, _, first_count), (summary, seconds, second_count) = esco
    print(f"second import: {seconds:.2f}s — {summary}")
    assert second_count == first_count
    assert "0 created, 0 updated" in summary


def test_a_changed_label_is_put_back(session):
    session.execute(
        update(Competency).where(Competency.uri == NEGOTIATE_COMPROMISE).values(label_fr="ancien libellé", parent_id=None)
    )
    summary = import_esco()
    session.commit()
    assert "0 created, 1 updated" in summary
    concept = _concept(NEGOTIATE_COMPROMISE)
    assert concept.label_fr == "négocier des compromis"
    assert concept.parent.uri == SOCIAL_INTERACTION


def test_progress_is_shown_through_the_callable(session):
    labels = []

    class Bar:
        def __init__(self, iterable, label):
            labels.append(label)
            self.iterable = iterable

        def __enter__(self):
            return iter(self.iterable)

        def __exit__(self, *exc):
            return False

    import_esco(progress=Bar)
    assert labels == ["ESCO"]

"""Only what is public is indexed or returned, and every change shows at the next query, on each backend."""

import pytest

from directory.extensions import db
from directory.search.params import SearchParams
from directory.search.results import run_search
from tests.search import factories as f


def found(app, text: str = "", **filters) -> list[str]:
    params = SearchParams(q=text, filters={k: (v,) for k, v in filters.items()})
    return [hit.profile.slug for hit in run_search(app.extensions["search"], params).hits]


def indexed(app, text: str = "") -> int:
    return run_search(app.extensions["search"], SearchParams(q=text)).total


@pytest.fixture
def holder(search, backend_name):
    """A listed entrepreneur with one public, endorsed badge."""
    skill = f.competency("comptabilité", "accounting")
    badge = f.badge_class("Tenir sa comptabilité", [skill])
    partner = f.organisation("France Travail", kind="public_employment_service")
    endorsement = f.endorsement(partner, badge)
    profile = f.profile("Dana Roux", bio="Experte en trésorerie.")
    award = f.award(profile, badge)
    db.session.commit()
    return {
        "profile": profile,
        "award": award,
        "endorsement": endorsement,
        "partner": partner,
        "badge": badge,
    }


def test_listed_profile_is_found(app, holder):
    assert found(app, "comptabilité") == [holder["profile"].slug]


@pytest.mark.parametrize(
    ("field", "value"), [("visibility", "private"), ("visibility", "partners"), ("listing_consent", False)]
)
def test_unlisted_profiles_disappear(app, holder, field, value):
    setattr(holder["profile"], field, value)
    db.session.commit()
    assert found(app, "trésorerie") == [] and indexed(app) == 0


def test_never_listed_profiles_are_never_indexed(app, search, backend_name):
    f.profile("Eve Secret", bio="trésorerie", listing_consent=False)
    f.profile("Fanny Privée", bio="trésorerie", visibility="private")
    db.session.commit()
    assert indexed(app, "trésorerie") == 0


@pytest.mark.parametrize("change", ["private", "revoked", "deleted"])
def test_hidden_revoked_or_deleted_badges_disappear(app, holder, change):
    award = holder["award"]
    if change == "private":
        award.visibility = "private"
    elif change == "revoked":
        award.revoked_at, award.revocation_reason = f.now(), "erreur"
    else:
        db.session.delete(award)
    db.session.commit()
    assert found(app, "comptabilité") == []
    assert found(app, "trésorerie") == [holder["profile"].slug]
    assert found(app, badge=holder["badge"].slug) == []


def test_withdrawn_endorsement_leaves_the_reconnu_par_facet(app, holder):
    partner = holder["partner"].slug
    assert found(app, reconnu_par=partner) == [holder["profile"].slug]
    holder["endorsement"].state = "withdrawn"
    db.session.commit()
    assert found(app, reconnu_par=partner) == []


def test_erased_account_disappears(app, holder):
    db.session.delete(holder["award"])
    db.session.delete(holder["profile"])
    db.session.commit()
    assert indexed(app) == 0


def test_badge_class_rename_reaches_its_holders(app, holder):
    holder["badge"].name_fr = "Maîtriser la fiscalité"
    db.session.commit()
    assert found(app, "fiscalité") == [holder["profile"].slug]


def test_competency_synonym_reaches_the_holders(app, holder):
    skill = holder["badge"].competencies[0]
    skill.synonyms_fr = "tenue des livres"
    db.session.commit()
    assert found(app, "tenue des livres") == [holder["profile"].slug]


def test_rolled_back_changes_are_not_indexed(app, holder):
    holder["profile"].visibility = "private"
    db.session.flush()
    db.session.rollback()
    assert found(app, "trésorerie") == [holder["profile"].slug]


def test_a_stale_index_never_shows_an_unlisted_profile(app, holder):
    """Changed behind the session's back (bulk SQL): the result is checked against the database."""
    from sqlalchemy import update

    from directory.profiles.models import Profile

    db.session.execute(update(Profile).values(visibility="private"))
    db.session.commit()
    assert found(app, "trésorerie") == []
    assert indexed(app, "trésorerie") == 0  # and the stale entry was repaired

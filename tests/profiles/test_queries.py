"""A profile page runs the same number of SQL queries for 5 badges as for 50."""

import pytest

from directory.badges.models import Evidence
from directory.core import pagecache
from directory.profiles import curation
from tests.badges import ob_factories
from tests.profiles import factories


def profile_with(count: int):
    """A profile whose badges come from several issuers, endorsed, some imported, in a collection, with evidence."""
    profile = factories.entrepreneur()
    partner = ob_factories.organisation(kind="local_authority")
    issuers = [ob_factories.organisation() for _ in range(3)]
    awards = []
    for n in range(count):
        if n % 5 == 4:
            awards.append(factories.imported(profile, name=f"Importé {n}"))
            continue
        badge_class = ob_factories.badge_class(issuers[n % len(issuers)])
        ob_factories.endorsement(partner, badge_class)
        award = factories.issued(profile, badge_class, featured=n < 3, position=n)
        award.evidence.append(Evidence(uuid=f"ev-{profile.id}-{n}", name=f"Preuve {n}"))
        awards.append(award)
    curation.set_collection_awards(curation.add_collection(profile, "Gestion"), awards[::3])
    return profile


@pytest.fixture(autouse=True)
def uncached(app, monkeypatch):
    """Pages rendered every time: a page served from the anonymous cache runs a single query."""
    monkeypatch.setitem(app.extensions, pagecache.EXTENSION, None)


@pytest.mark.parametrize("viewer", ["anonymous", "partner"])
def test_query_count_does_not_grow_with_badges(client, db, login_as, count_queries, viewer):
    small, large = profile_with(5), profile_with(50)
    db.session.commit()
    login_as(factories.partner() if viewer == "partner" else None)
    db.session.commit()
    counts = []
    client.get(f"/profiles/{small.slug}")  # warm up: the signed-in user is then loaded alike for both
    for profile in (small.slug, large.slug):
        db.session.expunge_all()
        with count_queries() as counter:
            response = client.get(f"/profiles/{profile}")
        assert response.status_code == 200
        counts.append(len(counter))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16, counts
    assert response.get_data(as_text=True).count('class="card award-card') >= 50

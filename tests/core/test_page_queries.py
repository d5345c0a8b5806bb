"""Each public page runs a constant number of SQL queries, whatever the size of the directory.

The demo is loaded small, every page is fetched and its statements counted (SQLAlchemy's
`before_cursor_execute`); then more entrepreneurs (holding the same badges, endorsed by the same
partners) are added and the same pages must run exactly as many statements.
"""

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy import select

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.demo import data
from directory.profiles.models import Profile
from tests.search.private_index import private_index

SMALL, LARGE = 8, 40


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def indexed(app, db, tmp_path):
    """The app's search service on a private Whoosh index, and a loader of the demo."""
    from directory.demo.loader import load_demo

    with private_index(app, tmp_path / "index") as service:

        def load(profiles: int) -> None:
            load_demo(profile_count=profiles)
            db.session.commit()
            service.reindex()

        yield load


@pytest.fixture
def uncached(app, monkeypatch):
    """Pages rendered every time: the anonymous page cache would count its own single query instead."""
    from directory.core import pagecache

    monkeypatch.setitem(app.extensions, pagecache.EXTENSION, None)


def _pages(db) -> dict[str, str]:
    """The pages to count, chosen on the small demo so they are the same pages on the large one."""
    listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
    held = select(Award.profile_id).where(Award.badge_class_id.is_not(None))
    profile = db.session.scalars(select(Profile).where(*listed, Profile.id.in_(held)).order_by(Profile.id)).first()
    badge_class = db.session.scalars(
        select(BadgeClass).join(Award, Award.badge_class_id == BadgeClass.id).order_by(BadgeClass.id)
    ).first()
    partner = next(p["slug"] for p in data.PARTNERS)
    return {
        "home": "/",
        "badge class": f"/badges/{badge_class.slug}",
        "issuer": f"/organisations/{data.ISSUER['slug']}",
        "partner": f"/organisations/{partner}",
        "profile": f"/profiles/{profile.slug}",
        "search": "/search?q=gestion",
        "search with facets": f"/search?q=gestion&badge={badge_class.slug}&region=Hauts-de-France",
        "browse": "/search",
    }


def _counts(client, db, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, path in pages.items():
        client.get(path)  # warm caches that are filled once per process (labels, compiled queries)
        db.session.remove()
        with counting(db.engine) as statements:
            response = client.get(path)
        assert response.status_code == 200, f"{name}: {path} answered {response.status_code}"
        counts[name] = len(statements)
    return counts


def test_public_pages_run_as_many_queries_on_a_larger_directory(indexed, uncached, client, db):
    indexed(SMALL)
    pages = _pages(db)
    small = _counts(client, db, pages)
    indexed(LARGE)
    large = _counts(client, db, pages)
    assert db.session.scalar(select(Profile.id).order_by(Profile.id.desc()).limit(1)) >= LARGE
    assert large == small, f"queries per page grew with the data: {small} → {large}"

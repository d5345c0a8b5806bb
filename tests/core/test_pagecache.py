"""The anonymous page cache: served again until anything is committed, never to signed-in people, per language.

Every change below is committed, as a view or a command does; each one must show on the very next
request, also in another application process on the same database (a second app built here).
"""

import time

import pytest
from sqlalchemy import update

from directory.core import pagecache
from directory.core.db import utcnow
from directory.endorsements.models import Endorsement
from directory.profiles.models import Profile
from tests.badges import ob_factories
from tests.badges.issuing_helpers import login
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app
from tests.profiles import factories

FR = {"Accept-Language": "fr"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def holder(db):
    """A listed entrepreneur holding a badge of an issuer, endorsed by a partner; committed."""
    profile = factories.entrepreneur("Zéphyrine Quintal")
    award = factories.issued(profile)
    partner = ob_factories.organisation(kind="local_authority", name="Agglomération du Cambrésis")
    ob_factories.endorsement(partner, award.badge_class)
    db.session.commit()
    pagecache.new_generation()  # the suite empties every table between tests, the generation row too
    return profile, award, partner


def get(client, path: str, headers: dict = FR):
    response = client.get(path, headers=headers)
    return response, response.get_data(as_text=True)


def kept(client, path: str) -> str:
    """The page, once it is served from the cache."""
    get(client, path)
    response, html = get(client, path)
    assert response.headers["X-Page-Cache"] == "hit"
    return html


def test_a_page_is_kept_then_served_again(client, holder):
    profile, _, _ = holder
    first, html = get(client, f"/profiles/{profile.slug}")
    again, cached = get(client, f"/profiles/{profile.slug}")
    assert first.headers["X-Page-Cache"] == "miss" and again.headers["X-Page-Cache"] == "hit"
    assert cached == html and "Zéphyrine Quintal" in cached


def test_a_profile_made_private_disappears_on_the_next_request(client, db, holder):
    profile, _, _ = holder
    kept(client, f"/profiles/{profile.slug}")
    profile.visibility = "private"
    db.session.commit()
    assert get(client, f"/profiles/{profile.slug}")[0].status_code == 404


def test_a_profile_made_private_leaves_cached_search_results(app, client, db, holder):
    profile, _, _ = holder
    app.extensions["search"].reindex()
    path = "/search?q=Quintal"
    assert "Zéphyrine Quintal" in kept(client, path)
    profile.visibility = "private"
    db.session.commit()
    response, html = get(client, path)
    assert response.headers["X-Page-Cache"] == "miss" and "Zéphyrine Quintal" not in html


def test_a_revoked_badge_leaves_its_holders_list(client, db, holder):
    profile, award, _ = holder
    path = f"/badges/{award.badge_class.slug}"
    assert "Zéphyrine Quintal" in kept(client, path)
    award.revoked_at = utcnow()
    award.revocation_reason = "Attribué par erreur."
    db.session.commit()
    assert "Zéphyrine Quintal" not in get(client, path)[1]


def test_a_withdrawn_endorsement_leaves_the_partners_page(client, db, holder):
    _, award, partner = holder
    path = f"/organisations/{partner.slug}"
    name = award.badge_class.name_fr
    assert name in kept(client, path)
    db.session.execute(update(Endorsement).where(Endorsement.endorser_id == partner.id).values(state="withdrawn"))
    db.session.commit()  # a bulk UPDATE, which no flush sees, renews the generation too
    assert name not in get(client, path)[1]


def test_another_process_sees_a_change_on_its_next_request(database_url, client, db, holder):
    profile, _, _ = holder
    other = make_app(database_url, {})
    try:
        # Requests push the other app's own context (and tear it down): nothing is held open.
        visitor = other.test_client()
        assert get(visitor, f"/profiles/{profile.slug}")[0].status_code == 200
        assert get(visitor, f"/profiles/{profile.slug}")[0].headers["X-Page-Cache"] == "hit"
        db.session.execute(update(Profile).where(Profile.id == profile.id).values(visibility="private"))
        db.session.commit()
        assert get(visitor, f"/profiles/{profile.slug}")[0].status_code == 404
    finally:
        dispose(other)


def test_a_signed_in_person_never_gets_a_kept_page(client, db, holder):
    profile, _, _ = holder
    kept(client, f"/profiles/{profile.slug}")
    login(client, factories.user("Bruno Employeur"))
    response, html = get(client, f"/profiles/{profile.slug}")
    assert "X-Page-Cache" not in response.headers
    assert "Bruno Employeur" in html  # the navigation names whoever is signed in


def test_pages_are_kept_per_language(client, holder):
    _, award, _ = holder
    path = f"/badges/{award.badge_class.slug}"
    french = [get(client, path, FR) for _ in range(2)]
    english = [get(client, path, EN) for _ in range(2)]
    assert [r.headers["X-Page-Cache"] for r, _ in french + english] == ["miss", "hit", "miss", "hit"]
    assert '<html lang="fr">' in french[1][1] and '<html lang="en">' in english[1][1]
    chosen, html = get(client, path + "?lang=en", FR)
    assert '<html lang="en">' in html and "session=" in chosen.headers.get("Set-Cookie", "")


def test_the_contact_form_is_a_page_of_its_own_and_never_kept(client, holder):
    profile, _, _ = holder
    html = get(client, f"/profiles/{profile.slug}")[1]
    assert 'name="csrf_token"' not in html and f"/profiles/{profile.slug}/contact" in html
    contact = [get(client, f"/profiles/{profile.slug}/contact")[0] for _ in range(2)]
    assert [r.status_code for r in contact] == [200, 200]
    assert all("X-Page-Cache" not in r.headers for r in contact)


def test_a_page_with_a_flashed_message_is_neither_served_from_nor_kept(client, holder):
    profile, _, _ = holder
    get(client, f"/profiles/{profile.slug}")
    data = {"name": "Bruno Employeur", "email": "bruno@entreprise.fr", "body": "Bonjour, une mission ?"}
    client.post(f"/profiles/{profile.slug}/contact", data=data)
    flashed, html = get(client, f"/profiles/{profile.slug}")
    assert "X-Page-Cache" not in flashed.headers and "Votre message a été transmis" in html


def test_a_new_generation_drops_what_a_process_kept():
    store = pagecache.PageStore(capacity=2, lifetime=60)
    page = pagecache.CachedPage(b"<p>avant</p>", "text/html", time.monotonic())
    store.put("g1", ("/a", "fr"), page)
    assert store.get("g2", ("/a", "fr")) is None
    assert store.get("g1", ("/a", "fr")) is None  # an older generation never comes back either

"""« Vérifier à nouveau tous mes badges importés »: a background job over the holder's imported badges."""

import json
import re
from datetime import UTC
from datetime import datetime

import pytest

from directory.core import redis as redis_ext
from directory.profiles import importing
from tests.fixtures.foreign_issuer import EMAIL
from tests.fixtures.foreign_issuer import Route
from tests.profiles import factories

BUTTON = "Vérifier à nouveau tous mes badges importés"
LONG_AGO = datetime(2025, 2, 1, tzinfo=UTC)


@pytest.fixture
def holder(holder, app, monkeypatch):
    """The signed-in recipient (conftest), with jobs run in-process."""
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, None)
    return holder


def imported(db, profile, platform, *badges: str) -> list:
    """Import badges (a path on the platform, or the name of a badge it issued), verified long ago."""
    awards = []
    for badge in badges:
        source = platform.url(badge) if badge.startswith("/") else platform.badges[badge]
        award = importing.import_badge(profile, profile.user, source if isinstance(source, str) else json.dumps(source))
        award.last_verified_at = LONG_AGO
        awards.append(award)
    db.session.commit()
    return awards


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).replace("&#39;", "'")


def test_the_button_shows_only_with_imported_badges(client, db, holder, platform):
    assert BUTTON not in text_of(client.get("/mon-profil/badges"))
    imported(db, holder, platform, "/ob2/assertions/valid")
    page = client.get("/mon-profil/badges").get_data(as_text=True)
    assert BUTTON in page
    assert 'action="/mon-profil/badges/reverifier"' in page


def test_every_imported_badge_is_verified_again_and_the_job_page_says_how_many(client, db, holder, platform, monkeypatch):
    awards = imported(db, holder, platform, "/ob2/assertions/valid", "ob3_jwt_valid", "/ob2/assertions/expired")
    # The issuer now says the first badge is revoked.
    monkeypatch.setitem(platform.routes, "/ob2/assertions/valid", Route(410, "application/ld+json", b'{"id": "x", "revoked": true}'))
    response = client.post("/mon-profil/badges/reverifier")
    assert response.status_code == 302
    assert re.fullmatch(r"/taches/[0-9a-f]{32}", response.headers["Location"])
    page = text_of(client.get(response.headers["Location"]))
    assert "3 badges vérifiés à nouveau." in page
    assert 'href="/mon-profil/badges"' in client.get(response.headers["Location"]).get_data(as_text=True)
    for award in awards:
        db.session.refresh(award)
        assert award.last_verified_at.replace(tzinfo=UTC) > LONG_AGO
    assert [a.last_verification["status"] for a in awards] == ["revoked", "verified", "expired"]


def test_an_unreachable_issuer_spoils_only_its_own_badge(client, db, holder, platform, monkeypatch):
    awards = imported(db, holder, platform, "/ob2/assertions/valid", "ob3_didkey_valid")
    monkeypatch.setitem(platform.routes, "/ob2/assertions/valid", Route(503, "text/plain", b"maintenance"))
    response = client.post("/mon-profil/badges/reverifier")
    assert "2 badges vérifiés à nouveau." in text_of(client.get(response.headers["Location"]))
    for award in awards:
        db.session.refresh(award)
    assert [a.last_verification["status"] for a in awards] == ["unverifiable", "verified"]


def test_only_the_holder_s_own_badges_are_touched_and_only_they_see_the_job(client, db, holder, platform, login_as):
    other = factories.entrepreneur("Autre Personne", email="autre.personne@exemple.fr")
    factories.email_identity(other.user).email = EMAIL  # the same badge, imported by another account
    [theirs] = imported(db, other, platform, "ob3_didkey_valid")
    imported(db, holder, platform, "ob3_didkey_valid")
    job_url = client.post("/mon-profil/badges/reverifier").headers["Location"]
    assert "1 badge vérifié à nouveau." in text_of(client.get(job_url))
    db.session.refresh(theirs)
    assert theirs.last_verified_at.replace(tzinfo=UTC) == LONG_AGO
    login_as(other.user)
    assert client.get(job_url).status_code == 404


def test_signing_in_is_required(client, db):
    response = client.post("/mon-profil/badges/reverifier")
    assert response.status_code == 302
    assert "/taches/" not in response.headers["Location"]

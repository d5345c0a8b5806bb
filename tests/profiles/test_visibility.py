"""The visibility matrix: each field and badge × each visibility level × each viewer, on the page,
the API, search results and the export. The expected values are written out, not computed."""

import io
import json
import zipfile

import pytest

from directory.badges.models import Evidence

from tests.badges import ob_factories
from tests.profiles import factories

VIEWERS = ("anonymous", "stranger", "partner", "admin", "owner")
# Who sees a profile (or a badge) at each level; "stranger" is signed in without any organisation.
SEEN = {
    "public": {"anonymous": True, "stranger": True, "partner": True, "admin": True, "owner": True},
    "partners": {"anonymous": False, "stranger": False, "partner": True, "admin": True, "owner": True},
    "private": {"anonymous": False, "stranger": False, "partner": False, "admin": False, "owner": True},
}
MATRIX = [(level, viewer, SEEN[level][viewer]) for level in SEEN for viewer in VIEWERS]
# Fields narrower than the profile: the SIRET and evidence are for partners; e-mail is never shown.
FIELDS = {
    "siret": {"anonymous": False, "stranger": False, "partner": True, "admin": True, "owner": True},
    "evidence": {"anonymous": False, "stranger": False, "partner": True, "admin": True, "owner": True},
    "email": {"anonymous": False, "stranger": False, "partner": False, "admin": False, "owner": False},
}
FIELD_MATRIX = [(name, viewer, FIELDS[name][viewer]) for name in FIELDS for viewer in VIEWERS]
SIRET = "73282932000074"
EVIDENCE = "Bilan-de-la-saison-Zorglub"
SECRET_BADGE = "Xylophonie commerciale"


def sign_in_viewer(viewer: str, profile, login_as) -> None:
    people = {"anonymous": None, "stranger": factories.user, "partner": factories.partner, "admin": factories.admin}
    person = profile.user if viewer == "owner" else (people[viewer]() if people[viewer] else None)
    login_as(person)


def badge_named(profile, name: str, visibility: str):
    badge_class = ob_factories.badge_class(ob_factories.organisation(), name_fr=name)
    return factories.issued(profile, badge_class, visibility=visibility)


def exported_text(client, login_as, profile) -> str:
    login_as(profile.user)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mon-profil/export.zip").data))
    return json.dumps(json.loads(archive.read("profil.json")), ensure_ascii=False)


@pytest.mark.parametrize(("level", "viewer", "seen"), MATRIX)
def test_profile_page_by_visibility_and_viewer(client, db, login_as, level, viewer, seen):
    profile = factories.entrepreneur("Zéphyrine Quintal", visibility=level)
    db.session.commit()
    sign_in_viewer(viewer, profile, login_as)
    response = client.get(f"/profiles/{profile.slug}")
    assert response.status_code == (200 if seen else 404)
    assert ("Zéphyrine Quintal" in response.get_data(as_text=True)) is seen


@pytest.mark.parametrize("level", SEEN)
def test_api_shows_only_public_profiles_whoever_asks(client, db, login_as, level):
    profile = factories.entrepreneur(visibility=level)
    db.session.commit()
    login_as(profile.user)  # even the owner's own cookies do not widen the API
    assert client.get(f"/api/v1/profiles/{profile.slug}").status_code == (200 if level == "public" else 404)


@pytest.mark.parametrize(("level", "viewer", "seen"), MATRIX)
def test_badge_on_the_page_by_visibility_and_viewer(client, db, login_as, level, viewer, seen):
    profile = factories.entrepreneur()
    badge_named(profile, SECRET_BADGE, level)
    db.session.commit()
    sign_in_viewer(viewer, profile, login_as)
    assert (SECRET_BADGE in client.get(f"/profiles/{profile.slug}").get_data(as_text=True)) is seen


@pytest.mark.parametrize("level", SEEN)
def test_badge_in_the_api_export_and_search(client, db, login_as, search_index, level):
    profile = factories.entrepreneur()
    award = badge_named(profile, SECRET_BADGE, level)
    db.session.commit()
    api = client.get(f"/api/v1/profiles/{profile.slug}").json
    assert [a["uuid"] for a in api["awards"]] == ([award.uuid] if level == "public" else [])
    hits = client.get("/api/v1/search?q=xylophonie").json["hits"]
    assert [h["slug"] for h in hits] == ([profile.slug] if level == "public" else [])
    assert SECRET_BADGE in exported_text(client, login_as, profile)  # the owner's export holds everything


@pytest.mark.parametrize(("level", "consent", "listed"), [
    ("public", True, True), ("public", False, False), ("partners", True, False), ("private", True, False),
])
def test_search_lists_only_public_profiles_with_consent(client, db, search_index, level, consent, listed):
    profile = factories.entrepreneur("Zéphyrine Quintal", visibility=level, listing_consent=consent)
    db.session.commit()
    hits = client.get("/api/v1/search?q=Quintal").json["hits"]
    assert [h["slug"] for h in hits] == ([profile.slug] if listed else [])


@pytest.mark.parametrize(("name", "viewer", "seen"), FIELD_MATRIX)
def test_fields_narrower_than_the_profile(client, db, login_as, name, viewer, seen):
    profile = factories.entrepreneur(siret=SIRET)
    award = factories.issued(profile)
    award.evidence.append(Evidence(uuid="e-1", name=EVIDENCE, narrative="Compte rendu"))
    db.session.commit()
    text = {"siret": SIRET, "evidence": EVIDENCE, "email": profile.user.email}[name]
    sign_in_viewer(viewer, profile, login_as)
    assert (text in client.get(f"/profiles/{profile.slug}").get_data(as_text=True)) is seen
    assert text not in client.get(f"/api/v1/profiles/{profile.slug}").get_data(as_text=True)


def test_published_documents_never_carry_private_data(client, db):
    profile = factories.entrepreneur("Zéphyrine Quintal", siret=SIRET, visibility="private")
    award = factories.issued(profile, visibility="private")
    award.evidence.append(Evidence(uuid="e-2", name=EVIDENCE))
    db.session.commit()
    for url in (f"/ob/v2/assertions/{award.uuid}", f"/ob/v3/credentials/{award.uuid}"):
        body = client.get(url, headers={"Accept": "application/ld+json"}).get_data(as_text=True)
        for secret in ("Quintal", SIRET, EVIDENCE, profile.user.email, profile.slug):
            assert secret not in body, (url, secret)

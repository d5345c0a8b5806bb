"""Importing badges earned elsewhere, from the foreign issuer served on 127.0.0.1 (tests/fixtures/foreign_issuer.py)."""

import io
import json
import re

import pytest
from sqlalchemy import select

from directory.badges.models import Award
from tests.fixtures.foreign_issuer import EMAIL
from tests.fixtures.foreign_issuer import Route
from tests.profiles import factories


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).replace("&#39;", "'")


def submit(client, platform, how: str, name: str):
    """POST the import form: ``how`` is "url" (a path), "credential" (a badge) or "file" (a baked image)."""
    if how == "url":
        data = {"url": platform.url(name)}
    elif how == "file":
        data = {"file": (io.BytesIO(platform.badges[name]), "badge.png" if name.startswith("png") else "badge.svg")}
    else:
        badge = platform.badges[name]
        data = {"credential": badge if isinstance(badge, str) else json.dumps(badge)}
    return client.post("/mon-profil/badges/importer", data=data, content_type="multipart/form-data")


def imported(db) -> list[Award]:
    return list(db.session.scalars(select(Award).where(Award.source == "imported")))


ACCEPTED = [
    ("url", "/ob2/assertions/valid", "2.0", "verified"),
    ("credential", "ob2_signed_valid", "2.0", "verified"),
    ("credential", "ob3_didkey_valid", "3.0", "verified"),
    ("credential", "ob3_multikey_valid", "3.0", "verified"),
    ("credential", "ob3_jwt_valid", "3.0", "verified"),
    ("file", "png_ob3", "3.0", "verified"),
    ("file", "svg_ob2_hosted", "2.0", "verified"),
    ("url", "/ob2/assertions/expired", "2.0", "expired"),
]


@pytest.mark.parametrize(("how", "name", "version", "status"), ACCEPTED)
def test_a_genuine_badge_is_verified_and_added(client, db, holder, platform, how, name, version, status):
    response = submit(client, platform, how, name)
    assert response.status_code == 302, text_of(response)[:2000]
    [award] = imported(db)
    assert award.profile_id == holder.id
    assert award.last_verification["status"] == status
    assert award.imported_summary["version"] == version
    assert award.imported_summary["name"] == "Gestion de trésorerie"
    assert "recipient" not in award.imported_summary
    page = text_of(client.get(f"/profiles/{holder.slug}"))
    assert "Gestion de trésorerie" in page
    assert ("Vérifié le" in page) if status == "verified" else ("Expiré" in page)


REFUSED = [
    ("credential", "ob3_didkey_tampered", "n'a pas passé la vérification"),
    ("credential", "ob2_signed_tampered", "n'a pas passé la vérification"),
    ("credential", "ob3_jwt_wrong_key", "n'a pas passé la vérification"),
    ("url", "/ob2/assertions/revoked", "révoqué"),
    ("url", "/ob2/assertions/gone", "révoqué"),
    ("credential", "ob2_signed_revoked", "révoqué"),
    ("file", "png_plain", "ne contient pas de badge"),
]


@pytest.mark.parametrize(("how", "name", "explanation"), REFUSED)
def test_a_tampered_revoked_or_empty_badge_is_refused_with_why(client, db, holder, platform, how, name, explanation):
    response = submit(client, platform, how, name)
    assert response.status_code == 400
    assert "Ce badge n'a pas été importé." in text_of(response)
    assert explanation in text_of(response)
    assert imported(db) == []


def test_a_badge_awarded_to_someone_else_is_refused(client, db, login_as, holder, platform):
    stranger = factories.entrepreneur("Autre Personne", email="autre.personne@exemple.fr")
    db.session.commit()
    login_as(stranger.user)
    response = submit(client, platform, "credential", "ob3_didkey_valid")
    assert response.status_code == 400
    assert "n'a pas été attribué à l'adresse e-mail de votre compte" in text_of(response)
    assert imported(db) == []


def test_an_address_of_another_identity_of_the_holder_counts(client, db, login_as, platform, app, monkeypatch):
    monkeypatch.setitem(app.config, "FETCH_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "FETCH_ALLOW_HTTP", True)
    profile = factories.entrepreneur("Camille Durand", email="camille@travail.example")
    factories.email_identity(profile.user).email = EMAIL
    db.session.commit()
    login_as(profile.user)
    assert submit(client, platform, "credential", "ob3_jwt_valid").status_code == 302


def test_the_same_badge_twice_is_refused(client, db, holder, platform):
    assert submit(client, platform, "credential", "ob3_didkey_valid").status_code == 302
    response = submit(client, platform, "credential", "ob3_didkey_valid")
    assert "déjà sur votre profil" in text_of(response)
    assert len(imported(db)) == 1


@pytest.mark.parametrize(("route", "status", "label"), [
    (Route(410, "application/ld+json", b'{"id": "x", "revoked": true}'), "revoked", "Révoqué"),
    (Route(404, "text/plain", b"not found"), "unverifiable", "Non vérifiable"),
])
def test_reverification_on_demand_records_the_new_state(client, db, holder, platform, monkeypatch, route, status, label):
    assert submit(client, platform, "url", "/ob2/assertions/valid").status_code == 302
    [award] = imported(db)
    monkeypatch.setitem(platform.routes, "/ob2/assertions/valid", route)
    response = client.post(f"/mon-profil/badges/{award.uuid}/reverifier")
    assert response.status_code == 302
    db.session.refresh(award)
    assert award.last_verification["status"] == status
    assert label in text_of(client.get(f"/profiles/{holder.slug}"))


def test_an_imported_badge_can_be_removed(client, db, holder, platform):
    submit(client, platform, "credential", "ob3_jwt_valid")
    [award] = imported(db)
    assert client.post(f"/mon-profil/badges/{award.uuid}/retirer").status_code == 302
    assert imported(db) == []

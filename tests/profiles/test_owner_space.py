"""The entrepreneur's own space: editing, consent, curation, evidence, sharing, contact, export."""

import io
import json
import zipfile

import pytest
from PIL import Image
from sqlalchemy import select

from directory.badges.models import Award
from directory.core import mail
from directory.core.models import StoredFile
from directory.profiles import communes
from directory.profiles.editing import luhn_valid
from directory.profiles.models import ContactMessage
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app
from tests.profiles import factories


@pytest.fixture
def owner(client, db, login_as):
    profile = factories.entrepreneur("Zéphyrine Quintal", email="zephyrine@exemple.fr")
    db.session.commit()
    login_as(profile.user)
    return profile


def edit(client, **fields):
    data = {"display_name": "Zéphyrine Quintal", "headline": "Librairie-café", "bio": "", "commune": "", "siret": "",
            "sectors": "", "links": "", **fields}
    return client.post("/mon-profil/modifier", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(("siret", "ok"), [
    ("732 829 320 00074", True), ("73282932000075", False), ("7328293200007", False), ("abcdefghijklmn", False), ("", True),
])
def test_siret_is_optional_and_checked_with_luhn(client, owner, siret, ok):
    assert edit(client, siret=siret).status_code == (302 if ok else 400)


def test_luhn():
    assert luhn_valid("73282932000074") and not luhn_valid("73282932000075")


@pytest.mark.parametrize(("typed", "code"), [
    ("Arras", "62041"), ("arras", "62041"), ("Saint-Martin (59)", None), ("59350", "59350"), ("Lille", "59350"),
])
def test_commune_comes_from_the_shipped_list_with_its_territories(client, db, owner, typed, code):
    response = edit(client, commune=typed)
    if code is None:
        assert response.status_code == 400 or owner.commune_code is not None
        return
    assert response.status_code == 302
    db.session.refresh(owner)
    commune = communes.by_code()[code]
    assert (owner.commune_code, owner.departement, owner.region) == (code, commune.departement, "Hauts-de-France")


def test_an_ambiguous_commune_asks_for_its_departement(client, owner):
    response = edit(client, commune="Saint-Martin")
    assert response.status_code == 400
    assert "précisez le département" in response.get_data(as_text=True)


def test_the_shipped_list_holds_every_hauts_de_france_commune_and_every_prefecture():
    hdf = [c for c in communes.by_code().values() if c.region == "Hauts-de-France"]
    assert len(hdf) > 3700
    assert {"Lille", "Arras", "Amiens", "Beauvais", "Laon"} <= {c.name for c in communes.prefectures()}
    assert len(communes.prefectures()) >= 101


def test_bio_markdown_is_sanitised(client, owner):
    edit(client, bio="**Bonjour** <script>alert(1)</script> [lien](javascript:alert(2))")
    html = client.get(f"/profiles/{owner.slug}").get_data(as_text=True)
    assert "<strong>Bonjour</strong>" in html
    assert "<script>alert" not in html and "href=\"javascript" not in html


def test_photo_is_resized_and_stripped_of_exif(client, db, owner):
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    source = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 120, 60)).save(source, "JPEG", exif=exif)
    response = edit(client, photo=(io.BytesIO(source.getvalue()), "moi.jpg"))
    assert response.status_code == 302
    db.session.refresh(owner)
    photo = Image.open(io.BytesIO(owner.photo.data))
    assert photo.size == (400, 400) and not photo.getexif()
    assert b"Appareil secret" not in owner.photo.data
    assert client.get(f"/profiles/{owner.slug}/photo").status_code == 200


def test_a_file_that_is_not_a_photo_is_refused(client, owner):
    response = edit(client, photo=(io.BytesIO(b"%PDF-1.4 pas une image"), "cv.pdf"))
    assert response.status_code == 400
    assert "JPEG, PNG ou WebP" in response.get_data(as_text=True)


def test_consent_is_recorded_with_its_date_and_withdrawing_it_leaves_the_index(client, db, owner, search_index):
    owner.listing_consent = False
    db.session.commit()
    client.post("/mon-profil/confidentialite", data={"visibility": "public", "listing_consent": "y"})
    assert [h["slug"] for h in client.get("/api/v1/search?q=Quintal").json["hits"]] == [owner.slug]
    client.post("/mon-profil/confidentialite", data={"visibility": "public"})
    assert client.get("/api/v1/search?q=Quintal").json["hits"] == []
    db.session.refresh(owner)
    assert [e.action for e in owner.consent_events] == ["given", "withdrawn"]
    assert all(e.at is not None for e in owner.consent_events)
    assert "retiré" in client.get("/mon-profil/confidentialite").get_data(as_text=True)


def test_at_most_three_badges_are_featured_and_they_come_first(client, db, owner):
    awards = [factories.issued(owner, position=n) for n in range(5)]
    db.session.commit()
    for award in awards[1:]:
        client.post(f"/mon-profil/badges/{award.uuid}", data={f"{award.uuid[:8]}-visibility": "public", f"{award.uuid[:8]}-featured": "y"})
    assert [a.featured for a in awards] == [False, True, True, True, False]
    api = client.get(f"/api/v1/profiles/{owner.slug}").json
    assert [a["uuid"] for a in api["awards"]][:3] == [a.uuid for a in awards[1:4]]


def test_order_hide_and_collections(client, db, owner):
    first, second = factories.issued(owner, position=0), factories.issued(owner, position=1)
    db.session.commit()
    client.post(f"/mon-profil/badges/{second.uuid}/deplacer", data={"direction": "up"})
    assert [a["uuid"] for a in client.get(f"/api/v1/profiles/{owner.slug}").json["awards"]] == [second.uuid, first.uuid]
    client.post(f"/mon-profil/badges/{first.uuid}", data={f"{first.uuid[:8]}-visibility": "private"})
    assert [a["uuid"] for a in client.get(f"/api/v1/profiles/{owner.slug}").json["awards"]] == [second.uuid]
    client.post("/mon-profil/collections", data={"name": "Commerce"})
    collection = owner.collections[0]
    client.post(f"/mon-profil/collections/{collection.id}", data={"awards": [first.uuid, second.uuid]})
    assert client.get(f"/api/v1/profiles/{owner.slug}").json["collections"] == [{"name": "Commerce", "awards": [second.uuid]}]


def test_evidence_added_after_the_award(client, db, owner):
    award = factories.issued(owner)
    db.session.commit()
    response = client.post(f"/mon-profil/badges/{award.uuid}/preuves", content_type="multipart/form-data",
                           data={"name": "Bilan", "narrative": "Six mois de ventes", "file": (io.BytesIO(b"%PDF-1.4 bilan"), "bilan.pdf")})
    assert response.status_code == 302
    [evidence] = award.evidence
    assert evidence.file.content_type == "application/pdf"
    refused = client.post(f"/mon-profil/badges/{award.uuid}/preuves", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"<html>"), "page.html")})
    assert refused.status_code == 400


def test_short_link_qr_codes_and_open_graph(client, db, owner):
    factories.issued(owner, featured=True)
    db.session.commit()
    page = client.get("/mon-profil/partage").get_data(as_text=True)
    db.session.refresh(owner)
    assert f"https://badgeons.test/p/{owner.short_code}" in page
    assert client.get(f"/p/{owner.short_code}").headers["Location"].endswith(f"/profiles/{owner.slug}")
    assert client.get("/mon-profil/partage/qr.png").data.startswith(b"\x89PNG")
    assert b"<svg" in client.get("/mon-profil/partage/qr.svg").data
    html = client.get(f"/profiles/{owner.slug}").get_data(as_text=True)
    assert '<meta property="og:title" content="Zéphyrine Quintal">' in html
    assert 'property="og:image" content="https://badgeons.test/badges/' in html
    assert '<script type="application/ld+json">' in html and '"@type": "Person"' in html


def test_contact_is_relayed_without_addresses_until_a_reply(app, client, db, login_as, owner):
    app.extensions["mail_outbox"].clear()
    login_as(None)
    client.post(f"/profiles/{owner.slug}/contact", data={"name": "Bruno Employeur", "email": "bruno@entreprise.fr", "body": "Bonjour, une mission ?"})
    [relayed] = mail.outbox()
    assert relayed.to == owner.user.email and "bruno@entreprise.fr" not in relayed.body
    assert owner.user.email not in client.get(f"/profiles/{owner.slug}").get_data(as_text=True)
    message = db.session.scalar(select(ContactMessage))
    login_as(owner.user)
    assert "bruno@entreprise.fr" not in client.get(f"/mon-profil/messages/{message.uuid}").get_data(as_text=True)
    client.post(f"/mon-profil/messages/{message.uuid}", data={"body": "Avec plaisir."})
    reply = mail.outbox()[0]
    assert reply.to == "bruno@entreprise.fr" and owner.user.email in reply.body
    assert "bruno@entreprise.fr" in client.get(f"/mon-profil/messages/{message.uuid}").get_data(as_text=True)


def test_contact_form_is_rate_limited(database_url, db, owner):
    limited = make_app(database_url, {}, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    data = {"name": "Robot", "email": "robot@exemple.fr", "body": "Message numéro un"}
    statuses = [client.post(f"/profiles/{owner.slug}/contact", data=data).status_code for _ in range(6)]
    dispose(limited)
    assert statuses == [302] * 5 + [429], statuses


def test_export_holds_everything(client, db, owner):
    award = factories.issued(owner)
    factories.imported(owner)
    db.session.commit()
    client.post(f"/mon-profil/badges/{award.uuid}/preuves", content_type="multipart/form-data",
                data={"name": "Bilan", "file": (io.BytesIO(b"%PDF-1.4 bilan"), "bilan.pdf")})
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mon-profil/export.zip").data))
    names = archive.namelist()
    profile = json.loads(archive.read("profil.json"))
    assert profile["name"] == "Zéphyrine Quintal" and profile["account"]["email"] == "zephyrine@exemple.fr"
    for suffix in ("ob3.json", "ob3.jwt", "ob3.png", "ob2.png", "preuves/bilan.pdf"):
        assert any(n.endswith(suffix) and award.uuid[:8] in n for n in names), suffix
    assert any(n.endswith("original.json") for n in names)
    assert json.loads(archive.read(next(n for n in names if n.endswith("ob3.json"))))["proof"]


def test_someone_else_cannot_touch_my_badges(client, db, login_as, owner):
    other = factories.entrepreneur()
    award = factories.issued(other)
    db.session.commit()
    assert client.post(f"/mon-profil/badges/{award.uuid}", data={}).status_code == 404
    assert client.get(f"/mon-profil/badges/{award.uuid}/preuves").status_code == 404
    assert db.session.scalar(select(Award).where(Award.uuid == award.uuid)).visibility == "public"
    assert db.session.scalar(select(StoredFile)) is None


def test_evidence_files_are_for_partners_and_the_owner(client, db, login_as, owner):
    award = factories.issued(owner)
    db.session.commit()
    client.post(f"/mon-profil/badges/{award.uuid}/preuves", content_type="multipart/form-data",
                data={"name": "Bilan", "file": (io.BytesIO(b"%PDF-1.4 bilan"), "bilan.pdf")})
    url = f"/profiles/{owner.slug}/preuves/{award.evidence[0].uuid}"
    assert client.get(url).headers["Content-Disposition"].startswith("attachment")
    login_as(None)
    assert client.get(url).status_code == 404
    login_as(factories.partner())
    db.session.commit()
    assert client.get(url).data == b"%PDF-1.4 bilan"


def test_the_api_is_described_in_openapi(client, db):
    spec = client.get("/api/v1/openapi.json").json
    assert "/profiles/{slug}" in spec["paths"] and "Profile" in spec["components"]["schemas"]

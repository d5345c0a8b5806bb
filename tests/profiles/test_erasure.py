"""Erasing an account leaves no personal data anywhere: every row of the database, the index, the documents."""

import io

from PIL import Image
from sqlalchemy import select

from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import Evidence
from directory.core import mail
from directory.core.models import AuditEntry
from directory.core.models import StoredFile
from directory.extensions import db as _db
from directory.openbadges.hashing import hash_identity
from directory.profiles import contact
from directory.profiles import curation
from directory.profiles import editing
from directory.profiles import privacy
from tests.badges import ob_factories
from tests.profiles import factories

NAME = "Zéphyrine Quintal"
EMAIL = "zephyrine.quintal@exemple.fr"
SECRETS = ("zéphyrine", "zephyrine", "quintal")


def jpeg() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (50, 50), (200, 40, 40)).save(output, "JPEG")
    return output.getvalue()


def a_full_life(app) -> dict:
    """A person who used everything: profile, photo, badges, evidence, application, import, messages."""
    profile = factories.entrepreneur(NAME, email=EMAIL, bio=f"Je suis {NAME}, libraire.", siret="73282932000074")
    factories.email_identity(profile.user)
    privacy.give_consent(profile)
    editing.set_photo(profile, jpeg())
    issuer = ob_factories.organisation(contact_email="badges@agence.exemple.fr")
    badge_class = ob_factories.badge_class(issuer)
    award = factories.issued(profile, badge_class, narrative=f"{NAME} a présenté son projet.")
    curation.add_evidence(award, "Dossier", f"Rédigé par {NAME}", None, (b"%PDF-1.4 " + NAME.encode(), "application/pdf", "dossier-quintal.pdf"))
    application = Application(badge_class=badge_class, applicant_id=profile.user_id, email=EMAIL, narrative=f"Moi, {NAME}")
    application.evidence.append(Evidence(uuid="ev-app", name="CV de Quintal"))
    _db.session.add(application)
    _db.session.flush()
    award.application_id = application.id
    unclaimed = ob_factories.award(badge_class, email=EMAIL.upper(), recipient_name=NAME)
    factories.imported(profile, name="Badge importé")
    curation.add_collection(profile, "Ma collection")
    contact.leave_message(profile, "Un visiteur", "visiteur@exemple.fr", "Bonjour, travaillons ensemble.")
    other = factories.entrepreneur("Autre Personne")
    contact.leave_message(other, NAME, EMAIL, "Message envoyé par Zéphyrine.")
    _db.session.commit()
    return {"profile": profile, "award": award, "unclaimed": unclaimed, "user_id": profile.user_id,
            "hashes": {hash_identity(EMAIL, award.salt), hash_identity(EMAIL, unclaimed.salt)}, "slug": profile.slug}


def database_dump() -> str:
    """Every value of every row of every table, as text (bytes decoded leniently)."""
    parts = []
    with _db.engine.connect() as connection:
        for table in _db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for value in row:
                    parts.append(value.decode("utf-8", "ignore") if isinstance(value, bytes) else str(value))
    return "\n".join(parts).lower()


def erase(client, login_as, profile):
    login_as(profile.user)
    return client.post("/mon-profil/supprimer", data={"confirmation": "supprimer"})


def test_erasure_leaves_no_personal_data_in_the_database(app, client, db, login_as, search_index):
    life = a_full_life(app)
    assert all(secret in database_dump() for secret in ("quintal", EMAIL))
    response = erase(client, login_as, life["profile"])
    assert response.status_code == 302
    dump = database_dump()
    for secret in (*SECRETS, EMAIL, *life["hashes"]):
        assert secret.lower() not in dump, secret
    assert client.get("/api/v1/search?q=Quintal").json["hits"] == []
    assert client.get(f"/profiles/{life['slug']}").status_code == 404


def test_badges_issued_here_are_revoked_and_their_documents_say_nothing_personal(app, client, db, login_as):
    life = a_full_life(app)
    erase(client, login_as, life["profile"])
    for award_uuid in (life["award"].uuid, life["unclaimed"].uuid):
        award = db.session.scalar(select(Award).where(Award.uuid == award_uuid))
        assert award.revocation_reason == "compte supprimé"
        hosted = client.get(f"/ob/v2/assertions/{award_uuid}", headers={"Accept": "application/ld+json"})
        assert hosted.status_code == 410
        assert hosted.json["revocationReason"] == "compte supprimé"
        credential = client.get(f"/ob/v3/credentials/{award_uuid}", headers={"Accept": "application/ld+json"}).get_data(as_text=True)
        for secret in (*SECRETS, EMAIL, *life["hashes"]):
            assert secret not in credential.lower()


def test_issuers_are_told_and_the_audit_log_keeps_no_personal_data(app, client, db, login_as):
    life = a_full_life(app)
    app.extensions["mail_outbox"].clear()
    erase(client, login_as, life["profile"])
    [notice] = [m for m in mail.outbox() if m.to == "badges@agence.exemple.fr"]
    assert "compte supprimé" in notice.body and life["award"].uuid in notice.body
    assert not any(secret in (notice.subject + notice.body).lower() for secret in SECRETS)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.erase"))
    assert entry.target_id == str(life["user_id"]) and entry.details == {"revoked": 2}


def test_nothing_is_erased_without_the_confirmation_word(app, client, db, login_as):
    life = a_full_life(app)
    login_as(life["profile"].user)
    assert client.get("/mon-profil/supprimer").status_code == 200
    response = client.post("/mon-profil/supprimer", data={"confirmation": "oui"})
    assert response.status_code == 400
    assert client.get(f"/profiles/{life['slug']}").status_code == 200
    assert db.session.scalar(select(StoredFile).where(StoredFile.filename == "photo.jpg")) is not None

"""Applications: drafts with evidence, submission, the reviewer's decision, and the award it creates."""

import io

import pytest
from sqlalchemy import select

from directory.badges import applications
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.services import IssuingError
from directory.core import mail
from directory.extensions import db as _db
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import member
from tests.badges.issuing_helpers import person
from tests.badges.issuing_helpers import published
from tests.badges.issuing_helpers import team

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def scene(db):
    people = team()
    people["badge_class"] = published(people["issuer"], people["editor"], people["reviewer"])
    people["applicant"] = person("Karim Benali", email="karim.benali@exemple.fr")
    return people


def _submitted(scene) -> Application:
    application = applications.start_application(scene["badge_class"], scene["applicant"])
    applications.update_application(application, "J'ai bâti un prévisionnel.", ["https://exemple.fr/plan"], "karim.benali@exemple.fr")
    applications.submit_application(application, scene["applicant"])
    return application


def _code(call, *args) -> str:
    with pytest.raises(IssuingError) as raised:
        call(*args)
    return raised.value.code


def test_approval_creates_a_traceable_award(scene):
    application = _submitted(scene)
    issued = applications.decide(application, scene["reviewer"], "approve", "Complet.")
    award = issued.award
    assert application.state == "approved" and issued.claim_token is None
    assert award.application_id == application.id and award.awarded_by_id == scene["reviewer"].id
    assert award.recipient_id == scene["applicant"].id and award.profile.visibility == "private"
    assert award.identity_hash.startswith("sha256$") and award.recipient_email == "karim.benali@exemple.fr"
    assert [e.url for e in award.evidence] == ["https://exemple.fr/plan"]
    assert application.decisions[-1].reviewer_id == scene["reviewer"].id


def test_a_reviewer_cannot_approve_their_own_application(scene):
    application = applications.start_application(scene["badge_class"], scene["reviewer"])
    applications.update_application(application, "Mon récit.", [], "julien@exemple.fr")
    applications.submit_application(application, scene["reviewer"])
    assert _code(applications.decide, application, scene["reviewer"], "approve", "") == "own_application"
    assert application.state == "submitted"
    # Another reviewer of the team may.
    assert applications.decide(application, scene["admin"], "approve", "") is not None


@pytest.mark.parametrize(
    ("who", "decision", "reason", "code"),
    [
        ("editor", "approve", "", "forbidden"),
        ("applicant", "approve", "", "forbidden"),
        ("reviewer", "return", "", "reason_required"),
        ("reviewer", "refuse", " ", "reason_required"),
        ("reviewer", "maybe", "x", "bad_decision"),
    ],
)
def test_forbidden_decisions(scene, who, decision, reason, code):
    application = _submitted(scene)
    assert _code(applications.decide, application, scene[who], decision, reason) == code


def test_returned_application_shows_the_reason_and_can_be_resubmitted(scene):
    application = _submitted(scene)
    applications.decide(application, scene["reviewer"], "return", "Ajoutez le compte de résultat.")
    assert application.state == "returned"
    assert applications.last_reason(application) == "Ajoutez le compte de résultat."
    applications.add_evidence_file(application, PDF, "compte.pdf")
    applications.submit_application(application, scene["applicant"])
    assert application.state == "submitted"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00 not a pdf", "bad_file_type"),
        (b"<html><script>alert(1)</script></html>", "bad_file_type"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "file_too_large"),
    ],
)
def test_evidence_files_are_limited(scene, data, code):
    application = applications.start_application(scene["badge_class"], scene["applicant"])
    assert _code(applications.add_evidence_file, application, data, "x.pdf") == code


def test_submitted_application_cannot_be_changed(scene):
    application = _submitted(scene)
    assert _code(applications.update_application, application, "autre", [], "") == "not_editable"
    assert _code(applications.add_evidence_file, application, PDF, "x.pdf") == "not_editable"


def test_no_application_for_unpublished_class_or_twice(scene):
    from tests.badges.issuing_helpers import draft

    unpublished = draft(scene["issuer"], scene["editor"])
    assert _code(applications.start_application, unpublished, scene["applicant"]) == "not_published"
    first = applications.start_application(scene["badge_class"], scene["applicant"])
    assert applications.start_application(scene["badge_class"], scene["applicant"]) is first


# --------------------------------------------------------------------- through the screens


def test_apply_then_review_through_the_screens(client, scene):
    _db.session.commit()
    badge_class, slug = scene["badge_class"], scene["issuer"].slug
    login(client, scene["applicant"])
    assert "Demander ce badge" in client.get(f"/badges/{badge_class.slug}").get_data(as_text=True)
    response = client.post(f"/badges/{badge_class.slug}/candidater")
    url = response.headers["Location"]
    form = {"narrative": "Prévisionnel présenté au Crédit du Nord.", "links": "https://exemple.fr/plan",
            "email": "karim.benali@exemple.fr", "action": "save"}
    client.post(url, data={**form, "files": [(io.BytesIO(PDF), "bilan.pdf")]},
                content_type="multipart/form-data")
    application = _db.session.scalar(select(Application))
    assert application.state == "draft" and len(application.evidence) == 2
    client.post(url, data={**form, "action": "submit"})
    assert application.state == "submitted"
    file_evidence = next(e for e in application.evidence if e.file)

    login(client, scene["reviewer"])
    review_url = f"/emetteur/{slug}/candidatures/{application.uuid}"
    assert application.badge_class.name_fr in client.get(f"/emetteur/{slug}/candidatures").get_data(as_text=True)
    download = client.get(f"{review_url}/preuves/{file_evidence.uuid}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    client.post(review_url, data={"decision": "return", "reason": "Il manque le bilan signé."})
    assert application.state == "returned"
    assert mail.outbox()[0].to == "karim.benali@exemple.fr"

    login(client, scene["applicant"])
    assert "Il manque le bilan signé." in client.get(url).get_data(as_text=True)
    client.post(url, data={**form, "action": "submit"})
    login(client, scene["reviewer"])
    client.post(review_url, data={"decision": "approve", "reason": ""})
    award = _db.session.scalar(select(Award))
    assert award.application_id == application.id and award.recipient_id == scene["applicant"].id
    assert "Vous avez reçu un badge" in mail.outbox()[0].subject


def test_files_of_an_application_are_private(client, scene):
    application = applications.start_application(scene["badge_class"], scene["applicant"])
    evidence = applications.add_evidence_file(application, PDF, "bilan.pdf")
    stranger = member(factories.organisation(kind="insurer"), "admin")
    _db.session.commit()
    login(client, stranger)
    assert client.get(f"/candidatures/{application.uuid}/preuves/{evidence.uuid}").status_code == 404
    assert client.get(f"/candidatures/{application.uuid}").status_code == 404
    login(client, scene["reviewer"])  # a draft is not shown to reviewers yet
    assert client.get(f"/emetteur/{scene['issuer'].slug}/candidatures/{application.uuid}").status_code == 404

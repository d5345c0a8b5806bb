"""The page and the JSON that follow a background job: its owner sees it, nobody else does."""

import pytest

from directory.core import jobs
from directory.core import redis as redis_ext
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import person


def failing_job() -> None:
    raise jobs.JobError("La ligne 3 n'a pas d'adresse.")


@pytest.fixture
def started(app, db, monkeypatch):
    """Two users; the first starts a self-test job (in-process: it is finished at once)."""
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, None)
    owner, other = person(), person()
    db.session.commit()
    with app.test_request_context():
        job_id = jobs.enqueue("directory.core.jobs.selftest", 2, user_id=owner.id, kind="bulk_award", back="/tableau")
    return owner, other, job_id


def test_the_owner_sees_the_outcome_and_the_way_back(client, started):
    owner, _, job_id = started
    login(client, owner)
    page = client.get(f"/taches/{job_id}").get_data(as_text=True)
    assert "Attribution de badges par fichier" in page and "Terminé" in page
    assert 'href="/tableau"' in page and "<progress" not in page


def test_the_json_gives_status_and_progress(client, started):
    owner, _, job_id = started
    login(client, owner)
    body = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert body == {"id": job_id, "status": "finished", "progress": {"done": 2, "total": 2, "message": "étape 2 sur 2"},
                    "error": None}  # fmt: skip


def test_someone_else_gets_a_404_as_if_it_did_not_exist(client, started):
    _, other, job_id = started
    login(client, other)
    assert client.get(f"/taches/{job_id}").status_code == 404
    response = client.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_anonymous_visitors_are_asked_to_sign_in(client, started):
    _, _, job_id = started
    assert client.get(f"/taches/{job_id}").status_code == 302
    response = client.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 401 and response.is_json


@pytest.mark.parametrize("job_id", ["nonsense", "../etc/passwd", "A" * 32])
def test_malformed_ids_are_404(client, started, job_id):
    login(client, started[0])
    assert client.get(f"/taches/{job_id}").status_code == 404


def test_a_failed_job_shows_its_message_in_english_too(app, client, started):
    owner = started[0]
    with app.test_request_context():
        job_id = jobs.enqueue(f"{__name__}.failing_job", user_id=owner.id, kind="bulk_revoke", back="/retour")
    login(client, owner)
    page = client.get(f"/taches/{job_id}").get_data(as_text=True)
    assert "La ligne 3 n&#39;a pas d&#39;adresse." in page and "Rien n'a été enregistré à moitié" in page
    english = client.get(f"/taches/{job_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="en"' in english and "Failed" in english

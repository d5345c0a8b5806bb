"""Application → review → award → claim → revoke, end to end, with the published documents checked
at each step by validators nobody here wrote (1EdTech's OB 2.0 validator, the DCC verifier).

A separate app on its own migrated SQLite file runs on a real server; its ids are
``https://badgeons.test/...`` and the harness maps that origin onto the server.
"""

import re
import sys
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from directory import create_app
from directory.badges import documents
from directory.badges.models import Application
from directory.badges.models import Award
from directory.core import mail
from directory.extensions import db
from directory.openbadges import ob3
from tests.badges.issuing_helpers import person
from tests.badges.issuing_helpers import published
from tests.badges.issuing_helpers import team

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
from validators import dcc_verify_many
from validators import ob2_validate_many
from validators import require_dcc
from validators import require_ob2
from validators import schema_errors

pytestmark = pytest.mark.conformance

PUBLIC = "https://badgeons.test"
LD = {"Accept": "application/ld+json, application/json"}
APPLICANT = "karim.benali@exemple.fr"
RECIPIENT = "lea.roussel@exemple.fr"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app on its own database, served on 127.0.0.1, and its test client."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("issuing") / "live.db"
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "live",
        "KEY_ENCRYPTION_KEY": "live-key-encryption-key", "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False, "PUBLIC_BASE_URL": PUBLIC,
    })
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


def _sign_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(user_id), True


def _get(origin: str, url: str, **headers) -> requests.Response:
    return requests.get(url.replace(PUBLIC, origin), headers=headers, timeout=30)


def _check_valid(origin: str, awards: list[tuple[str, str]]) -> None:
    """Hosted assertion, baked PNG and JWS (OB 2.0), then credential and JWT (OB 3.0), for each award."""
    origin_map = {PUBLIC: origin}
    ob2_inputs, ob3_inputs = [], []
    for uuid, email in awards:
        ob2_inputs += [(f"{PUBLIC}/ob/v2/assertions/{uuid}", email),
                       (_get(origin, f"{PUBLIC}/ob/v2/assertions/{uuid}.png").content, email),
                       (_get(origin, f"{PUBLIC}/ob/v2/assertions/{uuid}.jws").text, email)]
        credential = _get(origin, f"{PUBLIC}/ob/v3/credentials/{uuid}", **LD).json()
        assert schema_errors(credential, "achievement") == []
        ob3_inputs += [credential, _get(origin, f"{PUBLIC}/ob/v3/credentials/{uuid}.jwt").text]
    for result in ob2_validate_many(ob2_inputs, origin_map=origin_map):
        assert result.valid, result.errors
    for result in dcc_verify_many(ob3_inputs, origin_map=origin_map):
        assert result.valid, result.errors


def test_apply_review_award_claim_revoke(live):
    require_ob2()
    require_dcc()
    app, origin = live
    with app.app_context():
        people = team()
        badge_class = published(people["issuer"], people["editor"], people["reviewer"])
        applicant = person("Karim Benali", email=APPLICANT)
        ids = {"reviewer": people["reviewer"].id, "applicant": applicant.id, "slug": badge_class.slug,
               "issuer": people["issuer"].slug, "class_uuid": badge_class.uuid}
        db.session.commit()
    client = app.test_client()

    # 1. The entrepreneur applies with evidence; a reviewer approves: the award exists.
    _sign_in(client, ids["applicant"])
    edit_url = client.post(f"/badges/{ids['slug']}/candidater").headers["Location"]
    client.post(edit_url, data={"narrative": "J'ai présenté mon prévisionnel à deux banques.",
                                "links": "https://exemple.fr/plan", "email": APPLICANT, "action": "submit"})
    with app.app_context():
        application_uuid = db.session.scalar(db.select(Application.uuid))
    _sign_in(client, ids["reviewer"])
    client.post(f"/emetteur/{ids['issuer']}/candidatures/{application_uuid}", data={"decision": "approve", "reason": ""})
    with app.app_context():
        applied = db.session.scalar(db.select(Award))
        application = db.session.get(Application, applied.application_id)
        assert application.uuid == application_uuid and applied.evidence[0].url == "https://exemple.fr/plan"
        applied_uuid = applied.uuid

    # 2. Direct award to someone without an account, who claims it through the e-mailed link.
    client.post(f"/emetteur/{ids['issuer']}/attributions/nouvelle",
                data={"badge_class": ids["class_uuid"], "email": RECIPIENT, "name": "Léa Roussel"})
    with app.app_context():
        link = re.search(r"https://badgeons\.test(/recuperer-un-badge/\S+)", mail.outbox()[0].body).group(1)
    claimant = app.test_client()
    assert claimant.post(link).status_code == 302
    with app.app_context():
        claimed = db.session.scalar(db.select(Award).where(Award.recipient_email == RECIPIENT))
        assert claimed.claimed_at is not None and claimed.profile.visibility == "private"
        claimed_uuid = claimed.uuid
    _check_valid(origin, [(applied_uuid, APPLICANT), (claimed_uuid, RECIPIENT)])

    # 3. Revocation: 410, listed, status bit set — and both validators now refuse the badge.
    client.post(f"/emetteur/{ids['issuer']}/attributions/{claimed_uuid}/revoquer", data={"reason": "Attribué par erreur"})
    hosted = f"{PUBLIC}/ob/v2/assertions/{claimed_uuid}"
    assert _get(origin, hosted, **LD).status_code == 410
    with app.app_context():
        issuer = db.session.scalar(db.select(Award).where(Award.uuid == claimed_uuid)).badge_class.issuer
        revocations_url, status_url = documents.revocation_list_url(issuer), documents.status_list_url(issuer)
        revoked_index = db.session.scalar(db.select(Award.id).where(Award.uuid == claimed_uuid))
    assert hosted in [e["id"] for e in _get(origin, revocations_url, **LD).json()["revokedAssertions"]]
    status = _get(origin, status_url, **LD).json()
    assert ob3.is_index_set(ob3.decode_status_list(status["credentialSubject"]["encodedList"]), revoked_index)
    credential = _get(origin, f"{PUBLIC}/ob/v3/credentials/{claimed_uuid}", **LD).json()
    (ob2_result,) = ob2_validate_many([(hosted, RECIPIENT)], origin_map={PUBLIC: origin})
    assert not ob2_result.valid and any("HOSTED_NOT_REVOKED" in e for e in ob2_result.errors), ob2_result.errors
    still_valid, revoked = dcc_verify_many(
        [_get(origin, f"{PUBLIC}/ob/v3/credentials/{applied_uuid}", **LD).json(), credential],
        origin_map={PUBLIC: origin},
    )
    assert still_valid.valid, still_valid.errors
    assert not revoked.valid and any(e.startswith("revocation_status") for e in revoked.errors), revoked.errors

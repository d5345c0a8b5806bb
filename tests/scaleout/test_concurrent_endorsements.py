"""50 partners endorsing and withdrawing the same badge classes at once, through gunicorn on PostgreSQL.

25 partner organisations with two approved members each sign in (a session cookie, as a
completed sign-in leaves), all start together, and go through the forms as a browser does
(CSRF token included): each endorses two of the three badge classes in the name of its
organisation — the two members of an organisation choose the *same* classes, so they race —
then withdraws one. Afterwards:

- no write is lost: every endorsement the server acknowledged (302 to the badge page) is in the
  database, every acknowledged withdrawal is withdrawn there;
- an organisation never holds two open endorsements of one class (the two members raced);
- the published documents say what the database says: each class's OB 2.0 ``endorsement``
  list, each endorser's OB 3.0 endorsement status list bits and OB 2.0 revocation list.
"""

import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from directory import create_app
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.openbadges.ob3 import decode_status_list
from directory.openbadges.ob3 import is_index_set
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import member
from tests.scaleout.servers import base_env
from tests.scaleout.servers import servers

pytestmark = pytest.mark.scaleout

ORGANISATIONS = 25
MEMBERS = 2  # 50 partners
CLASSES = 3
TIMEOUT = 60  # seconds for one request on a loaded machine
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LD = {"Accept": "application/ld+json"}


@pytest.fixture(scope="module")
def network(scaleout_database, tmp_path_factory):
    """An issuer with three published classes, 25 partner organisations with two members each."""
    env = base_env(tmp_path_factory.mktemp("setup"))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": scaleout_database, "SECRET_KEY": env["SECRET_KEY"],
        "KEY_ENCRYPTION_KEY": env["KEY_ENCRYPTION_KEY"], "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"],
        "SEARCH_BACKEND": "postgres", "RATELIMIT_ENABLED": False,
    })  # fmt: skip
    with app.app_context():
        issuer = factories.organisation()
        classes = [factories.badge_class(issuer) for _ in range(CLASSES)]
        organisations = [factories.organisation(kind="local_authority") for _ in range(ORGANISATIONS)]
        partners = [(organisation, member(organisation)) for organisation in organisations for _ in range(MEMBERS)]
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        people = [
            {"organisation": o.slug, "organisation_id": o.id, "organisation_uuid": o.uuid,
             "cookie": serializer.dumps({"_user_id": str(user.id), "_fresh": True})}
            for o, user in partners
        ]  # fmt: skip
        built = {
            "app": app,
            "classes": [{"id": c.id, "uuid": c.uuid, "slug": c.slug} for c in classes],
            "people": people,
            "organisation_ids": [o.id for o in organisations],
        }
    yield built
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def server(scaleout_database, tmp_path_factory, network):
    env = base_env(
        tmp_path_factory.mktemp("endorse"),
        DATABASE_URL=scaleout_database, SEARCH_BACKEND="postgres", WEB_CONCURRENCY="3", GUNICORN_THREADS="4",
    )  # fmt: skip
    with servers(tmp_path_factory.mktemp("logs"), env) as (started,):
        yield started


class Partner:
    """One signed-in member of a partner organisation, with a browser's cookie jar."""

    def __init__(self, base: str, person: dict):
        self.base, self.person = base, person
        self.http = requests.Session()
        self.http.cookies.set("session", person["cookie"], domain=urlsplit(base).hostname)
        self.space = f"/espace/reconnaissances/{person['organisation']}"
        self.endorsed: list[str] = []  # badge class uuids the server said were endorsed
        self.withdrawn: list[str] = []  # endorsement uuids the server said were withdrawn

    def _form_token(self, path: str) -> str:
        response = self.http.get(self.base + path, timeout=TIMEOUT, allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code)
        return CSRF.search(response.text).group(1)

    def endorse(self, badge: dict) -> None:
        path = f"{self.space}/badges/{badge['uuid']}"
        data = {"csrf_token": self._form_token(path), "comment": "Nous reconnaissons ce badge dans nos dispositifs."}
        response = self.http.post(self.base + path, data=data, timeout=TIMEOUT, allow_redirects=False)
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code == 302:  # 200 is the form again: "already endorsed" by the colleague
            assert response.headers["Location"].endswith(f"/badges/{badge['slug']}")
            self.endorsed.append(badge["uuid"])

    def withdraw(self, endorsement_uuid: str) -> None:
        path = f"{self.space}/{endorsement_uuid}/retirer"
        response = self.http.get(self.base + path, timeout=TIMEOUT, allow_redirects=False)
        if response.status_code == 302:
            return  # already withdrawn by the colleague: the form is not offered
        token = CSRF.search(response.text).group(1)
        data = {"csrf_token": token, "reason": "Le dispositif a pris fin."}
        response = self.http.post(self.base + path, data=data, timeout=TIMEOUT)
        assert response.status_code == 200, (path, response.status_code)
        if "Reconnaissance retirée" in response.text:
            self.withdrawn.append(endorsement_uuid)


def open_endorsement_uuids(app, organisation_id: int, badge_id: int) -> list[str]:
    with app.app_context():
        query = select(Endorsement.uuid).where(
            Endorsement.endorser_id == organisation_id, Endorsement.badge_class_id == badge_id,
            Endorsement.state.in_(("requested", "active")),
        )  # fmt: skip
        return list(db.session.scalars(query))


@pytest.fixture(scope="module")
def raced(server, network):
    """Run the 50 partners once; the tests below read what they left."""
    app, classes = network["app"], network["classes"]
    rng = random.Random(9)
    # The two members of an organisation pick the same two classes and race for them.
    picks = {o: rng.sample(classes, 2) for o in network["organisation_ids"]}
    partners = [Partner(server.url, person) for person in network["people"]]
    start = threading.Barrier(len(partners), timeout=TIMEOUT)

    def endorse_then_withdraw(partner: Partner) -> None:
        start.wait()
        for badge in picks[partner.person["organisation_id"]]:
            partner.endorse(badge)
        # Both members then withdraw their organisation's endorsement of the first class, at once.
        first = picks[partner.person["organisation_id"]][0]
        for uuid in open_endorsement_uuids(app, partner.person["organisation_id"], first["id"]):
            partner.withdraw(uuid)

    with ThreadPoolExecutor(max_workers=len(partners)) as pool:
        for future in [pool.submit(endorse_then_withdraw, partner) for partner in partners]:
            future.result(timeout=300)
    with app.app_context():
        rows = db.session.scalars(
            select(Endorsement).where(Endorsement.endorser_id.in_(network["organisation_ids"]))
        ).all()
        db.session.expunge_all()
    return {"partners": partners, "picks": picks, "rows": rows, "by_uuid": {r.uuid: r for r in rows}}


def test_no_acknowledged_write_is_lost(raced, network):
    rows, classes = raced["rows"], network["classes"]
    acknowledged = [(p.person["organisation_id"], b) for p in raced["partners"] for b in p.endorsed]
    assert len(acknowledged) == len(rows), "each endorsement row was acknowledged to exactly one partner"
    for organisation_id, badge_uuid in acknowledged:
        badge_id = next(c["id"] for c in classes if c["uuid"] == badge_uuid)
        assert any(r.endorser_id == organisation_id and r.badge_class_id == badge_id for r in rows)
    for uuid in (u for p in raced["partners"] for u in p.withdrawn):
        row = raced["by_uuid"][uuid]
        assert row.state == "withdrawn" and row.withdrawn_at is not None and row.reason


def test_published_documents_match_the_database(raced, network, server):
    rows = raced["rows"]
    for badge in network["classes"]:
        document = server.get(f"/ob/v2/badges/{badge['uuid']}", headers=LD).json()
        listed = document.get("endorsement", [])
        published = {url.rsplit("/", 1)[1] for url in ([listed] if isinstance(listed, str) else listed)}
        expected = {r.uuid for r in rows if r.badge_class_id == badge["id"] and r.state == "active"}
        assert published == expected, badge["slug"]
    for person in network["people"][::MEMBERS]:
        organisation_id, organisation_uuid = person["organisation_id"], person["organisation_uuid"]
        mine = [r for r in rows if r.endorser_id == organisation_id]
        status = server.get(f"/ob/v3/issuers/{organisation_uuid}/status/endorsements", headers=LD).json()
        bits = decode_status_list(status["credentialSubject"]["encodedList"])
        for row in mine:
            assert is_index_set(bits, row.id) == (row.state == "withdrawn"), (row.uuid, row.state)
        revocations = server.get(f"/ob/v2/issuers/{organisation_uuid}/revocations", headers=LD).json()
        revoked = {entry["id"].rsplit("/", 1)[1] for entry in revocations["revokedAssertions"]}
        assert revoked == {r.uuid for r in mine if r.state == "withdrawn"}


def test_racing_colleagues_leave_one_endorsement_per_class(raced):
    """Of two colleagues endorsing one class at once, one wins; each withdrawal is acknowledged once.

    A colleague may endorse the first class again after the other has withdrawn it (a withdrawn
    endorsement does not block a new one): then it has several withdrawn rows, never two open ones
    (the partial unique index), and nothing of it stays open since each member withdraws at the end.
    """
    rows = raced["rows"]
    for organisation_id, (first, second) in raced["picks"].items():
        mine = [r for r in rows if r.endorser_id == organisation_id]
        assert [r.state for r in mine if r.badge_class_id == second["id"]] == ["active"], organisation_id
        firsts = {r.state for r in mine if r.badge_class_id == first["id"]}
        assert firsts == {"withdrawn"}, organisation_id
    withdrawn = [uuid for partner in raced["partners"] for uuid in partner.withdrawn]
    assert len(withdrawn) == len(set(withdrawn)) == sum(r.state == "withdrawn" for r in rows)

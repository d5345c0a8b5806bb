"""Permission decorators: anonymous → sign-in (browsers) or 401 (JSON); signed in without the right → 403."""

import pytest
from flask_login import login_user

from directory.accounts.models import User
from directory.accounts.permissions import admin_required
from directory.accounts.permissions import login_required
from directory.accounts.permissions import member_required
from directory.accounts.permissions import role_required
from directory.organisations.models import Membership
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app
from tests.idp.people import organisation

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def guarded(app, database_url):
    """An app with one route per decorator, and a route that signs a user in by id (tests only)."""
    guarded = make_app(database_url, {})
    guarded.add_url_rule("/t/login", "t_login", login_required(lambda: "ok"))
    guarded.add_url_rule("/t/admin", "t_admin", admin_required(lambda: "ok"))
    guarded.add_url_rule("/t/partner", "t_partner", role_required("partner")(lambda: "ok"))
    guarded.add_url_rule("/t/reviewer", "t_reviewer", role_required("reviewer")(lambda: "ok"))
    guarded.add_url_rule("/t/org/<slug>", "t_org", member_required("admin")(lambda membership: membership.role))

    def sign_in_as(user_id: int):
        from directory.extensions import db

        login_user(db.session.get(User, user_id))
        return "signed in"

    guarded.add_url_rule("/t/as/<int:user_id>", "t_as", sign_in_as)
    yield guarded
    dispose(guarded)


def _user(db, **values) -> User:
    user = User(display_name="X", **values)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.mark.parametrize("path", ["/t/login", "/t/admin", "/t/partner", "/t/org/x"])
def test_anonymous(guarded, db, path):
    client = guarded.test_client()
    browser = client.get(path)
    assert browser.status_code == 302 and browser.headers["Location"] == f"/connexion?next={path}"
    assert client.get(path, headers=JSON).status_code == 401


def test_admin_required(guarded, db):
    client = guarded.test_client()
    client.get(f"/t/as/{_user(db).id}")
    assert client.get("/t/admin").status_code == 403
    assert client.get("/t/admin", headers=JSON).get_json()["error"]["status"] == 403
    client.get(f"/t/as/{_user(db, is_admin=True).id}")
    assert client.get("/t/admin").status_code == 200


def test_role_required_needs_an_approved_membership(guarded, db):
    org = organisation()
    user = _user(db)
    membership = Membership(user_id=user.id, organisation_id=org.id, role="member", state="pending")
    db.session.add(membership)
    db.session.commit()
    client = guarded.test_client()
    client.get(f"/t/as/{user.id}")
    assert client.get("/t/partner").status_code == 403
    membership.state = "approved"
    db.session.commit()
    assert client.get("/t/partner").status_code == 200
    assert client.get("/t/reviewer").status_code == 403


def test_member_required_checks_the_role_and_the_organisation(guarded, db):
    org = organisation()
    user = _user(db)
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="member", state="approved"))
    db.session.commit()
    client = guarded.test_client()
    client.get(f"/t/as/{user.id}")
    assert client.get(f"/t/org/{org.slug}").status_code == 403
    assert client.get("/t/org/nowhere").status_code == 404

"""Rate limits on sign-in, the contact relay, verification and the search API: 429 with Retry-After.

Each test builds an app with rate limiting on (fresh in-memory counters), spends one limit from
one client address, and checks the next request is refused with a ``Retry-After`` that names a
wait within the limit's window; API callers get the refusal as JSON. Another address is not
affected. The limits are the views' own constants, so changing one keeps these tests true.
"""

import pytest
from limits import parse

from directory.accounts import views as accounts_views
from directory.badges import verify_views
from directory.extensions import limiter
from directory.profiles import badge_views
from directory.profiles import views as profile_views
from directory.search import views as search_views
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import person
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app

ELSEWHERE = {"REMOTE_ADDR": "192.0.2.77"}  # a documentation address, never contacted: only a key


@pytest.fixture
def limited(app, database_url, db):
    """An app with rate limits on; the shared limiter is put back as the suite's app wants it."""
    enabled = limiter.enabled
    application = make_app(database_url, {}, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    yield application
    dispose(application)
    limiter.enabled = enabled


def allowance(limit: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) of a limit such as "20 per minute"."""
    item = parse(limit)
    return item.amount, item.get_expiry()


def spend(send, limit: str, expected: tuple[int, ...]):
    """Send as many requests as the limit allows (each answered normally), then one more; return it."""
    amount, _ = allowance(limit)
    for number in range(amount):
        response = send()
        assert response.status_code in expected, f"request {number + 1}: {response.status_code}"
        response.close()
    return send()


def assert_refused(response, limit: str, json: bool) -> None:
    _, window = allowance(limit)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= window
    if json:
        assert response.get_json()["error"]["status"] == 429
    else:
        assert response.mimetype == "text/html"


def test_sign_in_start_is_limited(limited):
    client = limited.test_client()
    refused = spend(lambda: client.get("/connexion/inconnu"), accounts_views.SIGN_IN_LIMIT, (404,))
    assert_refused(refused, accounts_views.SIGN_IN_LIMIT, json=False)
    assert client.get("/connexion/inconnu", environ_base=ELSEWHERE).status_code == 404


def test_sign_in_return_is_limited(limited):
    client = limited.test_client()
    refused = spend(lambda: client.get("/connexion/inconnu/retour"), accounts_views.SIGN_IN_LIMIT, (404,))
    assert_refused(refused, accounts_views.SIGN_IN_LIMIT, json=False)


def test_guessing_sign_in_links_is_limited(limited):
    client = limited.test_client()
    guesses = iter(range(1000))
    refused = spend(lambda: client.post(f"/connexion/lien/devine-{next(guesses)}"),
                    accounts_views.SIGN_IN_LIMIT, (410,))  # fmt: skip
    assert_refused(refused, accounts_views.SIGN_IN_LIMIT, json=False)
    assert client.post("/connexion/lien/autre", environ_base=ELSEWHERE).status_code == 410


def test_sign_in_link_requests_are_limited_per_address(limited):
    client = limited.test_client()
    refused = spend(lambda: client.post("/connexion/lien", data={"email": "camille@exemple.fr"}),
                    "3 per hour", (200,))  # fmt: skip
    assert_refused(refused, "3 per hour", json=False)


def test_contact_relay_is_limited(limited, db):
    owner = factories.profile(slug="camille-contact", user_id=person("Camille Contact").id)
    db.session.commit()
    client = limited.test_client()
    data = {"name": "Robot", "email": "robot@exemple.fr", "body": "Bonjour, un message."}
    refused = spend(lambda: client.post(f"/profiles/{owner.slug}/contact", data=data),
                    profile_views.CONTACT_LIMIT, (302,))  # fmt: skip
    assert_refused(refused, profile_views.CONTACT_LIMIT, json=False)


def test_reverifying_all_imported_badges_is_limited_per_user(limited, db):
    user = person("Camille Imports")
    db.session.commit()
    client = limited.test_client()
    with client.session_transaction() as session:  # what a completed sign-in leaves
        session["_user_id"], session["_fresh"] = str(user.id), True
    refused = spend(lambda: client.post("/mon-profil/badges/reverifier"), badge_views.REVERIFY_ALL_LIMIT, (302,))
    assert_refused(refused, badge_views.REVERIFY_ALL_LIMIT, json=False)


def test_verification_api_is_limited(limited):
    client = limited.test_client()
    refused = spend(lambda: client.post("/api/v1/verify", json={"credential": "pas un badge"}),
                    verify_views.RATE_LIMIT, (400,))  # fmt: skip
    assert_refused(refused, verify_views.RATE_LIMIT, json=True)
    assert client.post("/api/v1/verify", json={"credential": "x"}, environ_base=ELSEWHERE).status_code == 400


def test_verification_page_is_limited_on_submission_only(limited):
    client = limited.test_client()
    refused = spend(lambda: client.post("/verify", data={"credential": "pas un badge"}),
                    verify_views.RATE_LIMIT, (200, 400))  # fmt: skip
    assert_refused(refused, verify_views.RATE_LIMIT, json=False)
    assert client.get("/verify").status_code == 200  # reading the form is not limited


def test_search_api_is_limited(limited):
    client = limited.test_client()
    refused = spend(lambda: client.get("/api/v1/search?q=menuiserie"), search_views.SEARCH_API_LIMIT, (200,))
    assert_refused(refused, search_views.SEARCH_API_LIMIT, json=True)
    assert client.get("/api/v1/search?q=menuiserie", environ_base=ELSEWHERE).status_code == 200
    assert client.get("/search?q=menuiserie").status_code == 200  # the HTML page is for people


def test_search_suggestions_are_limited(limited):
    client = limited.test_client()
    refused = spend(lambda: client.get("/api/v1/search/suggest?q=men"), search_views.SUGGEST_API_LIMIT, (200,))
    assert_refused(refused, search_views.SUGGEST_API_LIMIT, json=True)


def test_every_limited_view_is_covered_here(app):
    """A limit added to a view must be tested above (or listed as tested elsewhere)."""
    tested = {
        "accounts.start", "accounts.callback", "accounts.redeem_email_link", "accounts.request_email_link",
        "profiles.send_message", "api.verify_api", "verify.page", "api.api_search", "api.api_suggest",
        # tests/profiles: importing and re-verifying badges (outgoing fetches) are limited per user.
        "profile_badges.reverify", "profile_badges.import_badge", "profile_badges.reverify_all",
    }  # fmt: skip
    from flask_limiter.util import get_qualified_name

    marked = limiter._marked_for_limiting
    limited = {endpoint for endpoint, view in app.view_functions.items() if get_qualified_name(view) in marked}
    assert limited == tested

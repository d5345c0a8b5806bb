"""In Chromium: a partner signs in through the demo identity provider and lands on their dashboard."""

import threading

import pytest
from werkzeug.serving import make_server

from directory.accounts.demo import link_demo_identities
from directory.accounts.provider_config import demo_spec
from directory.demo import data
from tests.idp.fixtures import dispose
from tests.idp.fixtures import make_app
from tests.idp.mock_provider import running_provider

PARTNER = next(row for row in data.STAFF if row[0] == "agglo-lys-escaut")


@pytest.fixture
def demo_site(app, database_url, db):
    """The demo data, the demo provider knowing its people, and a site trusting it, over HTTP."""
    from directory.accounts.demo import demo_users
    from directory.demo.loader import load_demo

    load_demo(profile_count=4)
    with running_provider(users={p.subject: p.claims for p in demo_users()}) as (issuer, _):
        link_demo_identities(issuer)
        db.session.commit()
        site = make_app(database_url, {"demo": demo_spec(issuer)}, DEMO_IDENTITY_PROVIDER=issuer)
        server = make_server("127.0.0.1", 0, site, threaded=True)
        site.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield site.config["PUBLIC_BASE_URL"]
        server.shutdown()
        server.server_close()
        dispose(site)


def test_a_partner_signs_in_with_the_demo_provider(demo_site, page, screenshot_dir):
    page.goto(demo_site + "/connexion")
    page.screenshot(path=screenshot_dir / "signin-fr-1280.png", full_page=True)
    page.get_by_role("link", name=PARTNER[1]).click()
    page.wait_for_url(demo_site + "/espace")
    assert page.get_by_role("link", name=PARTNER[1]).is_visible()
    organisation = next(o for o in data.PARTNERS if o["slug"] == PARTNER[0])
    page.get_by_role("link", name=organisation["name"]).click()
    page.wait_for_url(f"{demo_site}/espace/organisation/{organisation['slug']}")
    assert page.get_by_role("heading", level=1).inner_text() == organisation["name"]
    page.screenshot(path=screenshot_dir / "partner-dashboard-fr-1280.png", full_page=True)

    # Signing out also ends the session at the provider (the demo provider asks for a click).
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(demo_site + "/")
    assert page.get_by_text("Vous êtes déconnecté, ici et chez votre fournisseur d'identité.").is_visible()
    assert page.get_by_role("link", name="Se connecter").is_visible()

"""In Chromium: a partner signs in through the demo identity provider, endorses a badge class, and sees it shown."""

import re
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
ORGANISATION = next(o for o in data.PARTNERS if o["slug"] == PARTNER[0])
# A demo class this partner does not endorse yet.
BADGE = "negociation"
COMMENT = "Nous en tenons compte pour les **aides au commerce de proximité** de l'agglomération."


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


def test_a_partner_endorses_a_badge_class(demo_site, page, screenshot_dir):
    page.goto(demo_site + "/connexion")
    page.get_by_role("link", name=PARTNER[1]).click()
    page.wait_for_url(demo_site + "/espace")

    page.goto(f"{demo_site}/badges/{BADGE}")
    page.get_by_role("link", name=f"Reconnaître ce badge au nom de {ORGANISATION['name']}").click()
    page.get_by_label("Pourquoi votre organisation reconnaît-elle ce badge ? (Markdown, publié)").fill(COMMENT)
    page.get_by_role("button", name="Publier la reconnaissance").click()

    page.wait_for_url(f"{demo_site}/badges/{BADGE}")
    assert page.get_by_text("Votre reconnaissance est publiée.").is_visible()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^Reconnu par \d+ organisations$")))
    assert section.get_by_role("link", name=ORGANISATION["name"]).is_visible()
    assert section.locator("strong", has_text="aides au commerce de proximité").is_visible()
    page.screenshot(path=screenshot_dir / "badge-endorsed-fr-1280.png", full_page=True)

    page.goto(f"{demo_site}/organisations/{ORGANISATION['slug']}")
    assert page.get_by_role("heading", name=f"Ce que {ORGANISATION['name']} reconnaît").is_visible()
    assert page.get_by_role("link", name="Négociation").first.is_visible()
    page.screenshot(path=screenshot_dir / "partner-page-fr-1280.png", full_page=True)

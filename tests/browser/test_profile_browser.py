"""In Chromium: an entrepreneur signs in by e-mail link, curates badges, previews the profile and shares it."""

import re

import pytest

from directory.core import mail
from directory.demo.data import COMMUNES
from tests.badges import ob_factories
from tests.profiles import factories

EMAIL = "zephyrine.quintal@exemple.fr"


@pytest.fixture
def site(app, db, live_server, monkeypatch):
    """An entrepreneur with four badges (one from a partner-endorsed class), served over HTTP."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    profile = factories.entrepreneur("Zéphyrine Quintal", email=EMAIL, headline="Librairie-café et ateliers d'écriture",
                                     company_name="Les Mots Passants", commune="Arras", departement="Pas-de-Calais",
                                     departement_code="62", region="Hauts-de-France", sectors=["Commerce", "Culture"],
                                     open_to=["missions", "partnerships"], bio="Je tiens une **librairie-café** à Arras.")
    issuer = ob_factories.organisation(name="Initiative Artois")
    partner = ob_factories.organisation(kind="local_authority", name="Communauté urbaine d'Arras")
    names = ["Pitcher son projet", "Construire son prévisionnel", "Gérer sa trésorerie", "Animer une communauté"]
    for n, name in enumerate(names):
        badge_class = ob_factories.badge_class(issuer, name_fr=name)
        ob_factories.endorsement(partner, badge_class)
        factories.issued(profile, badge_class, position=n)
    factories.imported(profile, name="Vendre en ligne")
    db.session.commit()
    yield live_server, profile
    assert COMMUNES  # the demo's communes are in the shipped list (tests/profiles checks it)


def sign_in(page, base: str, app) -> None:
    page.goto(base + "/connexion")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    with app.app_context():
        link = re.search(r"https?://\S+/connexion/lien/\S+", mail.outbox()[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Me connecter").click()
    page.wait_for_url(base + "/espace")


def test_an_entrepreneur_curates_previews_and_shares(site, app, page, browser, screenshot_dir):
    base, profile = site
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    sign_in(page, base, app)
    page.get_by_role("link", name="Mon profil").first.click()
    page.get_by_role("link", name="Badges de mon profil").click()
    page.screenshot(path=screenshot_dir / "profile-badges-fr-1280.png", full_page=True)

    # Feature the third badge and hide the second from everyone.
    third = page.locator(".award-card", has_text="Gérer sa trésorerie")
    third.get_by_label("À la une").check()
    third.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Badge mis à jour.").is_visible()
    second = page.locator(".award-card", has_text="Construire son prévisionnel")
    second.get_by_label("Visible par").select_option("private")
    second.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Voir comme un visiteur").first.click()
    assert page.get_by_text("votre profil tel qu'un visiteur le voit").is_visible()
    headings = page.locator(".award-card h3").all_inner_texts()
    assert headings[0] == "Gérer sa trésorerie"
    assert "Construire son prévisionnel" not in headings
    assert page.get_by_text("Reconnu par 1 organisation").first.is_visible()
    page.screenshot(path=screenshot_dir / "profile-preview-fr-1280.png", full_page=True)

    page.get_by_role("link", name="Revenir aux badges de mon profil").click()
    page.get_by_role("link", name="Partager").first.click()
    short = page.locator(".short-link a").inner_text()
    assert re.fullmatch(re.escape(base) + r"/p/[a-z0-9]{7}", short)
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=screenshot_dir / "profile-share-fr-1280.png", full_page=True)

    page.get_by_role("link", name="Modifier").first.click()
    page.screenshot(path=screenshot_dir / "profile-edit-fr-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=screenshot_dir / "profile-edit-fr-390.png", full_page=True)

    # A visitor, in another browser context, follows the printed short link.
    visitor = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    other = visitor.new_page()
    other.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    other.goto(short)
    assert other.url == f"{base}/profiles/{profile.slug}"
    assert other.get_by_role("heading", level=1).inner_text() == "Zéphyrine Quintal"
    assert other.locator('script[type="application/ld+json"]').count() == 1
    other.screenshot(path=screenshot_dir / "profile-public-fr-1280.png", full_page=True)
    other.set_viewport_size({"width": 390, "height": 844})
    other.screenshot(path=screenshot_dir / "profile-public-fr-390.png", full_page=True)
    visitor.close()
    assert violations == []

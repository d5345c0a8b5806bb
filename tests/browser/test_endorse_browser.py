"""In Chromium: a partner signs in through the demo identity provider, endorses a badge class, and sees it shown."""

import re

from directory.demo import data

PARTNER = next(row for row in data.STAFF if row[0] == "agglo-lys-escaut")
ORGANISATION = next(o for o in data.PARTNERS if o["slug"] == PARTNER[0])
# A demo class this partner does not endorse yet.
BADGE = "negociation"
COMMENT = "Nous en tenons compte pour les **aides au commerce de proximité** de l'agglomération."




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

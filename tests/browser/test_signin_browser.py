"""In Chromium: a partner signs in through the demo identity provider and lands on their dashboard."""



from directory.demo import data

PARTNER = next(row for row in data.STAFF if row[0] == "agglo-lys-escaut")




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

"""In Chromium: a visitor's search with two facets shared by URL, the language switch, a baked badge
verified by upload, the home page's suggestions, images that never shift the layout, and print.
"""

import pytest
from sqlalchemy import select

from directory.badges.models import Award
from directory.extensions import db
from directory.profiles.models import Profile
from tests.browser.demo_site import demo_directory


@pytest.fixture(scope="module")
def site(app, live_server, tmp_path_factory):
    with demo_directory(app, live_server, tmp_path_factory.mktemp("public-index")):
        with app.app_context():
            listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
            held = select(Award.profile_id).where(Award.revoked_at.is_(None), Award.badge_class_id.is_not(None))
            profile = db.session.scalars(select(Profile).where(*listed, Profile.id.in_(held)).order_by(Profile.id)).first()
            award = db.session.scalars(
                select(Award).where(Award.profile_id == profile.id, Award.revoked_at.is_(None)).order_by(Award.id)
            ).first()
            facts = {"profile": profile.slug, "award": award.uuid, "badge": award.badge_class.name_fr}
            db.session.remove()
        yield live_server, facts


@pytest.fixture
def csp_violations(page):
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def hit_names(page) -> list[str]:
    return page.locator(".search-hits h3").all_inner_texts()


def test_a_search_with_two_facets_is_shared_by_its_url(site, page, browser, screenshot_dir, csp_violations):
    base, _ = site
    page.goto(base + "/search")
    everyone = int(page.get_by_role("status").first.inner_text().split()[0].replace("\u202f", ""))
    facets = page.locator("fieldset.facet")
    facets.filter(has_text="Badge").locator("input[type=checkbox]").first.check()
    facets.filter(has_text="Département").locator("input[type=checkbox]").first.check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**badge=*")
    assert "departement=" in page.url
    names = hit_names(page)
    assert 0 < len(names) < everyone
    filters = page.locator(".active-filters").get_by_role("link", name="Retirer le filtre")
    assert filters.count() == 2
    page.screenshot(path=screenshot_dir / "search-two-facets-fr-1280.png", full_page=True)

    shared = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    other = shared.new_page()
    other.goto(page.url)
    assert hit_names(other) == names
    assert other.locator(".active-filters").get_by_role("link", name="Retirer le filtre").count() == 2
    other.screenshot(path=screenshot_dir / "search-two-facets-fr-390.png", full_page=True)

    # Removing one filter keeps the other.
    other.locator(".active-filters").get_by_role("link", name="Retirer le filtre").first.click()
    assert other.locator(".active-filters").get_by_role("link", name="Retirer le filtre").count() == 1
    shared.close()
    assert csp_violations == []


def test_the_language_switch_keeps_the_page_and_is_remembered(site, page):
    base, facts = site
    page.goto(f"{base}/profiles/{facts['profile']}")
    assert page.locator("html").get_attribute("lang") == "fr"
    switch = page.get_by_role("link", name="English")
    assert switch.get_attribute("lang") == "en" and switch.get_attribute("hreflang") == "en"
    switch.click()
    page.wait_for_url(f"**/profiles/{facts['profile']}?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Directory").is_visible()
    assert page.get_by_role("link", name="Skip to content").count() == 1

    page.get_by_role("link", name="Verify a badge").first.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Verify a badge"
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifier un badge"


def test_dates_and_numbers_follow_the_language(site, page):
    base, facts = site
    page.goto(f"{base}/ob/v3/credentials/{facts['award']}?lang=fr")
    french = page.locator("dd").first.inner_text()
    page.goto(f"{base}/ob/v3/credentials/{facts['award']}?lang=en")
    english = page.locator("dd").first.inner_text()
    months_fr = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
    assert any(month in french for month in months_fr), french
    assert french.split()[0].isdigit()  # "2 mars 2025"
    assert not english.split()[0].isdigit()  # "March 2, 2025"


def test_a_baked_badge_is_verified_by_upload(site, page, screenshot_dir, tmp_path, csp_violations):
    base, facts = site
    baked = page.request.get(f"{base}/ob/v2/assertions/{facts['award']}.png")
    assert baked.ok and baked.headers["content-type"] == "image/png"
    path = tmp_path / "badge.png"
    path.write_bytes(baked.body())

    page.goto(base + "/verify")
    page.get_by_label("Image du badge (PNG ou SVG) ou fichier JSON").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le badge").click()
    verdict = page.locator("#resultat")
    verdict.wait_for()
    assert "verdict-valid" in verdict.get_attribute("class")
    assert facts["badge"] in verdict.inner_text()
    page.screenshot(path=screenshot_dir / "verify-uploaded-png-fr-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "verify-uploaded-png-fr-390.png", full_page=True)
    assert csp_violations == []


def test_home_suggests_competencies_with_and_without_javascript(site, browser, page, csp_violations):
    base, _ = site
    page.goto(base + "/")
    chips = page.locator(".suggestions a")
    assert chips.count() > 0
    assert page.locator("#q-suggestions option").count() == chips.count()
    # With JavaScript, typing asks the suggestion API and fills the list.
    with page.expect_response(lambda response: "/api/v1/search/suggest" in response.url):
        page.locator("#q").press_sequentially("gest", delay=30)
    page.wait_for_function("document.querySelectorAll('#q-suggestions option').length > 0")
    label = chips.first.inner_text()
    chips.first.click()
    page.wait_for_url("**/search?competence=*")
    assert page.locator(".active-filters").get_by_text(label).count() == 1
    assert csp_violations == []

    # Without JavaScript, the suggestions are links and the form still searches.
    no_script = browser.new_context(java_script_enabled=False, locale="fr-FR")
    plain = no_script.new_page()
    plain.goto(base + "/")
    plain.locator("#q").fill("gestion")
    plain.locator("#q").press("Enter")
    plain.wait_for_url("**/search?q=gestion")
    assert len(hit_names(plain)) > 0
    no_script.close()


PUBLIC = ["/", "/search?q=gestion", "/badges", "/organisations", "/verify", "/accessibilite"]


def test_images_reserve_their_space_and_pages_fit_a_320_px_screen(site, browser):
    base, facts = site
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in [*PUBLIC, f"/profiles/{facts['profile']}", f"/ob/v3/credentials/{facts['award']}"]:
        page.goto(base + path)
        sizeless = page.locator("main img:not([width]), main img:not([height])")
        assert sizeless.count() == 0, f"{path}: images without width and height shift the layout"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{path} is wider than 320 px"
    context.close()


def test_a_profile_prints_without_the_site_around_it(site, page, screenshot_dir):
    base, facts = site
    page.goto(f"{base}/profiles/{facts['profile']}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".award-card").first.is_visible()
    page.screenshot(path=screenshot_dir / "profile-print-fr.png", full_page=True)

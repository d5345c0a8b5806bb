"""In Chromium: the home page shows the demo directory in French, then in English after the switch."""

import pytest


@pytest.fixture
def demo(db):
    from directory.demo.loader import load_demo

    load_demo(profile_count=24)
    db.session.commit()
    return db


def test_home_in_french_then_english(demo, live_server, page, screenshot_dir):
    from directory.badges.models import BadgeClass

    badge_name = demo.session.query(BadgeClass).filter_by(state="published").order_by(BadgeClass.id).first()
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Annuaire").is_visible()
    assert page.get_by_text(badge_name.name_fr).first.is_visible()
    page.screenshot(path=screenshot_dir / "home-fr-1280.png", full_page=True)

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Directory").is_visible()
    assert page.get_by_text(badge_name.name_en).first.is_visible()
    page.screenshot(path=screenshot_dir / "home-en-1280.png", full_page=True)

    # The choice is remembered on the next page.
    page.get_by_role("link", name="Badges", exact=True).first.click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_keyboard_reaches_the_skip_link_first(db, live_server, page):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"

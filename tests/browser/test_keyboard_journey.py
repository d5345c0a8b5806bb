"""In Chromium, with the keyboard only: search → filter → open a profile → open a badge → verify it.

No click anywhere: Tab moves the focus, Enter follows a link or presses a button, Space ticks a
checkbox, and the search words are typed. Each step checks that the focus is visible.
"""

import pytest

from tests.browser.demo_site import demo_directory

MAX_TABS = 120


@pytest.fixture(scope="module")
def site(app, live_server, tmp_path_factory):
    with demo_directory(app, live_server, tmp_path_factory.mktemp("keyboard-index")):
        yield live_server


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '', type: e.type || '',
                    text: (e.innerText || e.value || '').trim(), label: e.labels && e.labels[0] ? e.labels[0].innerText.trim() : '',
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0}; }"""
    )


def found(page) -> int:
    """The number of entrepreneurs the results page says it found."""
    return int("".join(c for c in page.get_by_role("status").first.inner_text().split(" entrepreneur")[0] if c.isdigit()))


def tab_to(page, matches, what: str) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            assert element["outline"], f"the focus on {what} is not visible"
            return element
    raise AssertionError(f"Tab never reached {what}")


def test_search_filter_profile_badge_verify_with_the_keyboard_only(site, page, screenshot_dir):
    base = site
    page.goto(base + "/")

    # Search: the skip link first, then the search box; type and press Enter.
    assert focused(page)["tag"] == "body"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Aller au contenu"
    tab_to(page, lambda e: e["id"] == "q", "the search box")
    page.keyboard.type("gestion")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=gestion*")
    total_before = found(page)

    # Filter: tick the first value of the "Département" facet, then apply.
    box = tab_to(page, lambda e: e["type"] == "checkbox" and e["name"] == "departement", "a département filter")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Appliquer les filtres", "the apply button")
    page.keyboard.press("Enter")
    page.wait_for_url("**departement=*")
    assert page.get_by_role("link", name=f"Retirer le filtre Département : {box['label'].rsplit(' (', 1)[0]}").is_visible()
    assert 0 < found(page) <= total_before
    page.screenshot(path=screenshot_dir / "keyboard-1-filtered-fr-1280.png")

    # Open the first profile of the results.
    first_hit = page.locator(".search-hits h3 a").first.inner_text()
    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == first_hit, "the first result")
    page.keyboard.press("Enter")
    page.wait_for_url("**/profiles/*")
    assert page.get_by_role("heading", level=1).inner_text() == first_hit

    # Open one of the profile's badges (its public award page).
    link = tab_to(page, lambda e: e["tag"] == "a" and e["text"].startswith("Vérifier ce badge"), "a badge of the profile")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ob/v3/credentials/*")
    badge_name = page.get_by_role("heading", level=1).inner_text()
    assert badge_name in link["text"]
    page.screenshot(path=screenshot_dir / "keyboard-2-badge-fr-1280.png")

    # Verify it.
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Vérifier l'authenticité de ce badge", "the verify button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify*")
    verdict = page.locator("#resultat")
    assert "verdict-valid" in verdict.get_attribute("class")
    assert badge_name in verdict.inner_text()
    page.screenshot(path=screenshot_dir / "keyboard-3-verified-fr-1280.png", full_page=True)

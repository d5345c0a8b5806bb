"""In Chromium: axe-core finds no serious or critical violation on any page template.

Every public page (home, search with facets, empty search, profile, badge class, award, issuer and
partner organisations, verify empty and with a verdict, sign-in, 404, accessibility statement, the
indexes) and the signed-in areas of each role (entrepreneur, partner, issuer staff, administrator),
in French and in English. axe is injected from tests/browser/node (npm axe-core, pinned) into a
context that bypasses the CSP, for the axe runs only. The French pages are also photographed at
390 and 1280 px, and checked for horizontal overflow at 390 px.
"""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.demo import data
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.models import Profile
from tests.browser.demo_site import axe_violations
from tests.browser.demo_site import demo_directory
from tests.browser.demo_site import describe
from tests.browser.demo_site import session_cookie
from tests.browser.demo_site import shot_name
from tests.browser.demo_site import with_axe

ISSUER = data.ISSUER["slug"]
PARTNER_ADMIN = next(row[1] for row in data.STAFF if row[0] == "agglo-lys-escaut")
ISSUER_ADMIN = next(row[1] for row in data.STAFF if row[0] == ISSUER and row[3] == "admin")
ENTREPRENEUR = "Camille Martin"


@pytest.fixture(scope="module")
def site(app, live_server, tmp_path_factory):
    with demo_directory(app, live_server, tmp_path_factory.mktemp("axe-index")):
        with app.app_context():
            pages, people = _pages(), _people()
            db.session.remove()
        yield live_server, pages, people


def _pages() -> dict[str, list[tuple[str, str]]]:
    """(name, path) of every page template, by who looks at it."""
    listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
    awards = select(Award.profile_id).where(Award.revoked_at.is_(None), Award.badge_class_id.is_not(None))
    profile = db.session.scalars(select(Profile).where(*listed, Profile.id.in_(awards)).order_by(Profile.id)).first()
    award = db.session.scalars(select(Award).where(Award.profile_id == profile.id, Award.revoked_at.is_(None))).first()
    badge_class = db.session.scalars(select(BadgeClass).where(BadgeClass.state == "published").order_by(BadgeClass.id)).first()
    partner = db.session.scalars(
        select(Organisation).join(Endorsement, Endorsement.endorser_id == Organisation.id)
        .where(Organisation.kind != "issuer").group_by(Organisation.id).order_by(func.count().desc())
    ).first()
    faceted = urlencode({"badge": badge_class.slug, "departement": profile.departement_code})
    contactable = db.session.scalars(
        select(Profile).where(*listed, Profile.accepts_contact.is_(True), Profile.user_id.is_not(None)).order_by(Profile.id)
    ).first()
    return {
        "visitor": [
            ("home", "/"),
            ("search-facets", f"/search?{faceted}"),
            ("search-text", "/search?q=gestion"),
            ("search-empty", "/search?q=xylophoniste+zygomatique"),
            ("profile", f"/profiles/{profile.slug}"),
            ("contact", f"/profiles/{contactable.slug}/contact"),
            ("badge-class", f"/badges/{badge_class.slug}"),
            ("award", f"/ob/v3/credentials/{award.uuid}"),
            ("issuer", f"/organisations/{ISSUER}"),
            ("partner", f"/organisations/{partner.slug}"),
            ("badges", "/badges"),
            ("organisations", "/organisations"),
            ("verify", "/verify"),
            ("sign-in", "/connexion"),
            ("not-found", "/profiles/personne-ici"),
            ("accessibility", "/accessibilite"),
            ("about", "/a-propos"),
        ],
        "entrepreneur": [
            ("space", "/espace"),
            ("my-profile", "/mon-profil"),
            ("profile-edit", "/mon-profil/modifier"),
            ("profile-badges", "/mon-profil/badges"),
            ("profile-import", "/mon-profil/badges/importer"),
            ("profile-share", "/mon-profil/partage"),
            ("profile-privacy", "/mon-profil/confidentialite"),
            ("profile-messages", "/mon-profil/messages"),
            ("profile-erase", "/mon-profil/supprimer"),
            ("applications", "/candidatures"),
            ("badge-class-signed-in", f"/badges/{badge_class.slug}"),
            ("job", f"/taches/{_finished_job(_people()['entrepreneur'])}"),
        ],
        "partner": [
            ("space", "/espace"),
            ("organisation", "/espace/organisation/agglo-lys-escaut"),
            ("endorsements", "/espace/reconnaissances"),
            ("endorsements-organisation", "/espace/reconnaissances/agglo-lys-escaut"),
            ("badge-class-signed-in", f"/badges/{badge_class.slug}"),
            ("profile-signed-in", f"/profiles/{profile.slug}"),
        ],
        "issuer": [
            ("staff-home", "/emetteur"),
            ("staff-overview", f"/emetteur/{ISSUER}"),
            ("staff-new-class", f"/emetteur/{ISSUER}/badges/nouveau"),
            ("staff-class", f"/emetteur/{ISSUER}/badges/{badge_class.uuid}"),
            ("staff-awards", f"/emetteur/{ISSUER}/attributions"),
            ("staff-award-form", f"/emetteur/{ISSUER}/attributions/nouvelle"),
            ("staff-import", f"/emetteur/{ISSUER}/attributions/import"),
            ("staff-applications", f"/emetteur/{ISSUER}/candidatures"),
            ("staff-endorsements", f"/emetteur/{ISSUER}/reconnaissances"),
            ("staff-ask-endorsement", f"/emetteur/{ISSUER}/reconnaissances/demander"),
            ("reviews", "/relectures"),
        ],
        "admin": [
            ("admin", "/admin/"),
            ("space", "/espace"),
        ],
    }


def _finished_job(user_id: int) -> str:
    """A job of the entrepreneur's (in-process: finished at once), for the job page."""
    from flask import current_app

    from directory.core import jobs

    with current_app.test_request_context():
        return jobs.enqueue("directory.core.jobs.selftest", 2, user_id=user_id, kind="reverify", back="/mon-profil/badges")


def _people() -> dict[str, int]:
    def user_id(name: str) -> int:
        return db.session.scalar(select(User.id).where(User.display_name == name).order_by(User.id).limit(1))

    return {
        "entrepreneur": user_id(ENTREPRENEUR),
        "partner": user_id(PARTNER_ADMIN),
        "issuer": user_id(ISSUER_ADMIN),
        "admin": user_id(data.ADMINISTRATOR["display_name"]),
    }


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("who", ["visitor", "entrepreneur", "partner", "issuer", "admin"])
def test_no_serious_axe_violation(site, app, browser, screenshot_dir, who, lang):
    base, pages, people = site
    context = browser.new_context(locale=f"{lang}-FR" if lang == "fr" else "en-GB", viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    if who != "visitor":
        context.add_cookies([session_cookie(app, people[who])])
    with_axe(context)
    page = context.new_page()
    failures, overflowing = [], []
    try:
        for name, path in pages[who]:
            response = page.goto(base + _with_lang(path, lang))
            expected = 404 if name == "not-found" else 200
            assert response.status == expected, f"{who} {path}: HTTP {response.status}"
            assert page.locator("html").get_attribute("lang") == lang, path
            assert page.locator(".lang-switch a").count() == 1, f"{path}: no language switch"
            _check(page, f"{who} {lang} {name} ({path})", failures)
            _screenshots(page, screenshot_dir, f"{who}-{name}-{lang}" if who != "visitor" else f"{name}-{lang}",
                         overflowing, photograph=lang == "fr")
        if who == "visitor":
            award_path = next(path for name, path in pages["visitor"] if name == "award")
            _verdict_page(page, base, award_path, lang, failures, screenshot_dir, overflowing)
    finally:
        context.close()
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
    assert not overflowing, "pages wider than a 390 px screen:\n" + "\n".join(overflowing)


def _check(page, label: str, failures: list) -> None:
    violations = axe_violations(page)
    if violations:
        failures.append(f"{label}\n{describe(violations)}")


def _screenshots(page, folder, name: str, overflowing: list, photograph: bool) -> None:
    """Full-page screenshots at 1280 and 390 px (French pages only); horizontal overflow at 390 px in both languages."""
    if photograph:
        page.screenshot(path=folder / f"{shot_name(name)}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
                   .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""
        )
        overflowing.append(f"{name}: {width} px ({', '.join(culprits)})")
    if photograph:
        page.screenshot(path=folder / f"{shot_name(name)}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _verdict_page(page, base: str, award_path: str, lang: str, failures: list, folder, overflowing: list) -> None:
    """The verify page showing a verdict: a demo award's baked PNG uploaded."""
    uuid = award_path.rsplit("/", 1)[1]
    png = page.request.get(f"{base}/ob/v2/assertions/{uuid}.png")
    assert png.ok
    page.goto(base + _with_lang("/verify", lang))
    page.locator("input[type=file]").set_input_files({"name": "badge.png", "mimeType": "image/png", "buffer": png.body()})
    page.locator("form.verify-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".verdict").count() == 1
    _check(page, f"visitor {lang} verify-verdict", failures)
    _screenshots(page, folder, f"verify-verdict-{lang}", overflowing, photograph=lang == "fr")

"""In Chromium: an entrepreneur applies for a badge with evidence, a reviewer approves it.

On the demo data (issuer Élan Entreprendre Hauts-de-France); both people sign in through the
demo identity provider, as in development: staff accounts never sign in by e-mail link.
"""

import re

from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.demo import data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
ENTREPRENEUR = "Camille Martin"
REVIEWER = next(row[1] for row in data.STAFF if row[0] == data.ISSUER["slug"] and row[3] == "reviewer")




def _unheld_class(db) -> BadgeClass:
    """A published class the demo entrepreneur neither holds nor has applied for."""
    camille = db.session.scalar(select(User).where(User.display_name == ENTREPRENEUR))
    held = set(db.session.scalars(select(Award.badge_class_id).where(Award.recipient_id == camille.id)))
    held |= set(db.session.scalars(select(Application.badge_class_id).where(Application.applicant_id == camille.id)))
    published = db.session.scalars(select(BadgeClass).where(BadgeClass.state == "published").order_by(BadgeClass.id))
    return next(c for c in published if c.id not in held)


def _sign_in(page, site: str, name: str) -> None:
    page.goto(site + "/connexion")
    page.get_by_role("link", name=name).click()
    page.wait_for_url(site + "/espace")


def test_an_entrepreneur_applies_and_a_reviewer_approves(demo_site, db, page, screenshot_dir, tmp_path):
    badge_class = _unheld_class(db)
    evidence = tmp_path / "previsionnel.pdf"
    evidence.write_bytes(PDF)

    _sign_in(page, demo_site, ENTREPRENEUR)
    page.goto(f"{demo_site}/badges/{badge_class.slug}")
    page.get_by_role("button", name="Demander ce badge").click()
    page.get_by_label("Racontez ce que vous avez fait").fill(
        "J'ai construit le prévisionnel de ma librairie-café et je l'ai défendu devant deux banques."
    )
    page.get_by_label("Liens vers vos preuves").fill("https://exemple.fr/previsionnel")
    page.get_by_label("Fichiers (PDF, PNG ou JPEG").set_input_files(str(evidence))
    page.screenshot(path=screenshot_dir / "application-form-fr-1280.png", full_page=True)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    assert page.get_by_text("Candidature envoyée").is_visible()
    assert page.get_by_text("Envoyée, en attente d'évaluation").is_visible()
    page.context.clear_cookies()

    _sign_in(page, demo_site, REVIEWER)
    page.get_by_role("link", name="Espace émetteur").click()
    page.screenshot(path=screenshot_dir / "issuer-overview-fr-1280.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"candidature\(s\) attendent une évaluation")).click()
    page.get_by_role("link", name=badge_class.name_fr).click()
    assert page.get_by_role("link", name="previsionnel.pdf").is_visible()
    page.screenshot(path=screenshot_dir / "application-review-fr-1280.png", full_page=True)
    page.get_by_label("Approuver et attribuer le badge").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert page.get_by_text("Candidature acceptée : le badge est attribué.").is_visible()
    page.get_by_role("link", name="Badges attribués").click()
    assert page.get_by_role("cell", name=badge_class.name_fr).first.is_visible()
    page.screenshot(path=screenshot_dir / "issued-awards-fr-1280.png", full_page=True)


EDITOR = next(row[1] for row in data.STAFF if row[0] == data.ISSUER["slug"] and row[3] == "editor")
ADMIN = next(row[1] for row in data.STAFF if row[0] == data.ISSUER["slug"] and row[3] == "admin")


def test_an_editor_drafts_with_the_competency_picker_and_an_admin_previews_a_csv(demo_site, page, screenshot_dir, tmp_path):
    _sign_in(page, demo_site, EDITOR)
    page.goto(f"{demo_site}/emetteur/{data.ISSUER['slug']}/badges/nouveau")
    page.get_by_label("Nom (français)").fill("Piloter sa trésorerie")
    page.get_by_label("Description (français)").fill("Anticipe ses besoins de trésorerie sur douze mois.")
    page.get_by_label("Critères d'obtention (français, Markdown)").fill("- un plan de trésorerie **mensuel** ;\n- un échange avec sa banque.")
    search = page.get_by_role("combobox")
    search.press_sequentially("gerer un budget", delay=20)
    page.get_by_role("option").first.wait_for()
    page.screenshot(path=screenshot_dir / "badge-class-form-picker-fr-1280.png", full_page=True)
    search.press("ArrowDown")
    search.press("Enter")
    assert page.locator("input[name=competency_ids]:checked").count() == 1
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert page.get_by_text("Brouillon enregistré.").is_visible()
    assert page.get_by_role("heading", name="Compétences").is_visible()
    page.get_by_role("button", name="Envoyer en relecture").click()
    page.screenshot(path=screenshot_dir / "badge-class-staff-fr-1280.png", full_page=True)
    page.context.clear_cookies()

    _sign_in(page, demo_site, ADMIN)
    page.goto(f"{demo_site}/emetteur/{data.ISSUER['slug']}/attributions/import")
    slug = page.locator("main code").last.inner_text()
    csv = tmp_path / "promotion.csv"
    csv.write_text(f"email;nom;badge;date\nlea@exemple.fr;Léa Roussel;{slug};2026-03-02\npas-une-adresse;X;{slug};\n", encoding="utf-8")
    page.get_by_label("Fichier CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.get_by_text("Ligne 3 : adresse e-mail invalide").is_visible()
    page.screenshot(path=screenshot_dir / "bulk-preview-errors-fr-1280.png", full_page=True)

"""A badge name or competency label shown in the other language carries its `lang` (WCAG 3.1.2)."""

from tests.badges import ob_factories as factories

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}


def test_an_english_page_marks_a_french_only_name_and_label(client, db):
    skill = factories.competency(label_fr="négocier des contrats", label_en="")
    badge = factories.badge_class(factories.organisation(), name_fr="Négocier ses achats", competencies=[skill])
    db.session.commit()
    page = client.get(f"/badges/{badge.slug}", headers=EN).get_data(as_text=True)
    assert '<h1><span lang="fr">Négocier ses achats</span></h1>' in page
    assert '<li><span lang="fr">négocier des contrats</span></li>' in page


def test_translated_names_are_not_marked(client, db):
    badge = factories.badge_class(factories.organisation(), name_fr="Pitcher son projet", name_en="Pitch a project")
    db.session.commit()
    english = client.get(f"/badges/{badge.slug}", headers=EN).get_data(as_text=True)
    assert "<h1>Pitch a project</h1>" in english and "<li>pitch a business project</li>" in english
    french = client.get(f"/badges/{badge.slug}", headers=FR).get_data(as_text=True)
    assert "<h1>Pitcher son projet</h1>" in french and 'lang="en"' not in french.split("<main", 1)[1]


def test_a_french_page_marks_an_english_only_label(client, db):
    skill = factories.competency(label_fr="", label_en="use spreadsheets software")
    badge = factories.badge_class(factories.organisation(), competencies=[skill])
    db.session.commit()
    page = client.get(f"/badges/{badge.slug}", headers=FR).get_data(as_text=True)
    assert '<span lang="en">use spreadsheets software</span>' in page

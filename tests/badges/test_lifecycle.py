"""Badge class lifecycle: draft → in review → published → archived, versions, and what is forbidden."""

import pytest
from sqlalchemy import select

from directory.badges import lifecycle
from directory.badges.models import BadgeClass
from directory.badges.services import IssuingError
from directory.core.models import AuditEntry
from directory.extensions import db as _db
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import draft
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import member
from tests.badges.issuing_helpers import published
from tests.badges.issuing_helpers import team


def _error(call, *args) -> str:
    with pytest.raises(IssuingError) as raised:
        call(*args)
    return raised.value.code


def test_draft_review_publish_archive_with_the_trail(db):
    people = team()
    people["issuer"].required_approvals = 2
    partner = factories.organisation(kind="local_authority")
    partner_member = member(partner, "admin")
    badge_class = draft(people["issuer"], people["editor"])
    lifecycle.invite_partner(badge_class, partner, "co_builder", people["editor"])
    lifecycle.submit_for_review(badge_class, people["editor"])
    lifecycle.add_review(badge_class, partner_member, "comment", "Précisez le public visé.")
    lifecycle.add_review(badge_class, people["reviewer"], "approve", "")
    assert _error(lifecycle.publish, badge_class, people["editor"]) == "approvals_missing"
    lifecycle.add_review(badge_class, partner_member, "approve", "D'accord.")
    lifecycle.publish(badge_class, people["editor"])
    assert badge_class.state == "published" and badge_class.published_at is not None
    trail = lifecycle.review_trail(badge_class)
    assert [e.decision for e in trail] == ["submit", "comment", "approve", "approve", "publish"]
    assert trail[1].organisation == partner.name and trail[1].comment == "Précisez le public visé."
    lifecycle.archive(badge_class, people["editor"])
    assert badge_class.state == "archived"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"badge_class.create", "badge_class.publish", "badge_class.archive"} <= actions


def test_publishing_without_approvals_is_refused(db):
    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    assert _error(lifecycle.publish, badge_class, people["editor"]) == "not_in_review"
    lifecycle.submit_for_review(badge_class, people["editor"])
    assert _error(lifecycle.publish, badge_class, people["editor"]) == "approvals_missing"
    assert badge_class.state == "in_review"


def test_approvals_before_a_request_for_changes_do_not_count(db):
    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    lifecycle.submit_for_review(badge_class, people["editor"])
    lifecycle.add_review(badge_class, people["admin"], "approve", "")
    lifecycle.add_review(badge_class, people["reviewer"], "request_changes", "Le critère 2 est flou.")
    assert badge_class.state == "draft"
    lifecycle.submit_for_review(badge_class, people["editor"])
    assert lifecycle.approvals(badge_class) == []


@pytest.mark.parametrize(
    ("who", "decision", "code"),
    [
        ("editor", "approve", "forbidden"),  # an editor is not on the committee
        ("outsider", "approve", "forbidden"),  # a partner not invited on this class
        ("author", "approve", "own_class"),  # a committee member approving what they wrote
        ("reviewer", "request_changes", "comment_required"),
    ],
)
def test_who_may_review(db, who, decision, code):
    people = team()
    author = member(people["issuer"], "admin")
    writer = author if who == "author" else people["editor"]
    badge_class = draft(people["issuer"], writer)
    lifecycle.submit_for_review(badge_class, writer)
    actor = {
        "editor": people["editor"],
        "outsider": member(factories.organisation(kind="insurer"), "admin"),
        "author": author,
        "reviewer": people["reviewer"],
    }[who]
    assert _error(lifecycle.add_review, badge_class, actor, decision, "") == code


def test_editing_an_awarded_version_is_refused_and_a_new_version_is_made(db):
    people = team()
    badge_class = published(people["issuer"], people["editor"], people["reviewer"])
    award = factories.award(badge_class)
    content = {"name_fr": "Autre nom", "description_fr": "x", "criteria_fr": "y"}
    assert _error(lifecycle.update_badge_class, badge_class, people["editor"], content, []) == "awarded"
    assert _error(lifecycle.delete_draft, badge_class, people["editor"]) == "awarded"
    version = lifecycle.new_version(badge_class, people["editor"])
    assert (version.family, version.version, version.state) == (badge_class.family, 2, "draft")
    assert version.uuid != badge_class.uuid and version.slug != badge_class.slug
    assert [c.uri for c in version.competencies] == [c.uri for c in badge_class.competencies]
    assert lifecycle.new_version(badge_class, people["editor"]) is version
    lifecycle.update_badge_class(version, people["editor"], content, version.competencies)
    lifecycle.submit_for_review(version, people["editor"])
    lifecycle.add_review(version, people["reviewer"], "approve", "")
    lifecycle.publish(version, people["editor"])
    # The old version is archived, not deleted: the award still points at it, unchanged.
    assert badge_class.state == "archived" and badge_class.name_fr == "Construire son prévisionnel"
    assert award.badge_class_id == badge_class.id


def test_only_drafts_are_edited_or_deleted(db):
    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    lifecycle.submit_for_review(badge_class, people["editor"])
    assert _error(lifecycle.update_badge_class, badge_class, people["editor"], {"name_fr": "x"}, []) == "not_draft"
    lifecycle.add_review(badge_class, people["reviewer"], "request_changes", "Ajoutez l'anglais.")
    lifecycle.delete_draft(badge_class, people["editor"])
    assert db.session.get(BadgeClass, badge_class.id) is None


def test_image_upload_is_checked_and_svg_sanitised(db):
    from directory.core.images import ImageError

    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    with pytest.raises(ImageError):
        lifecycle.set_image(badge_class, b"GIF89a....", "badge.gif")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script><circle r="9"/></svg>'
    lifecycle.set_image(badge_class, svg, "badge.svg")
    assert badge_class.image.content_type == "image/svg+xml" and b"script" not in badge_class.image.data


# --------------------------------------------------------------------- through the screens


def test_editor_drafts_through_the_form_and_reviewer_approves(client, db):
    people = team()
    skill = factories.competency(label_fr="gérer un budget", label_en="manage budget")
    _db.session.commit()
    login(client, people["editor"])
    slug = people["issuer"].slug
    found = client.get("/emetteur/competences?q=gerer budget").get_json()["results"]
    assert [r["id"] for r in found] == [skill.id]
    form = {
        "name_fr": "Tenir son budget",
        "description_fr": "Suit ses dépenses.",
        "criteria_fr": "Un tableau <script>x</script> de suivi **mensuel**.",
        "tags": "finance, gestion",
        "expiry_months": "24",
        "competency_ids": [str(skill.id)],
        "action": "save",
    }
    response = client.post(f"/emetteur/{slug}/badges/nouveau", data=form)
    assert response.status_code == 302
    badge_class = _db.session.scalar(select(BadgeClass).where(BadgeClass.name_fr == "Tenir son budget"))
    assert badge_class.tags == ["finance", "gestion"] and badge_class.expiry_months == 24
    assert [c.id for c in badge_class.competencies] == [skill.id]
    assert client.post(f"/emetteur/{slug}/badges/{badge_class.uuid}/soumettre").status_code == 302
    assert client.get(f"/relectures/{badge_class.uuid}").status_code == 403  # editors are not on the committee
    login(client, people["reviewer"])
    page = client.get(f"/relectures/{badge_class.uuid}").get_data(as_text=True)
    assert "<script>x</script>" not in page and "<strong>mensuel</strong>" in page
    client.post(f"/relectures/{badge_class.uuid}", data={"decision": "approve", "comment": "Clair."})
    login(client, people["editor"])
    client.post(f"/emetteur/{slug}/badges/{badge_class.uuid}/publier")
    _db.session.refresh(badge_class)
    assert badge_class.state == "published"
    assert "Clair." in client.get(f"/emetteur/{slug}/badges/{badge_class.uuid}").get_data(as_text=True)


def test_competency_search_without_javascript(client, db):
    people = team()
    skill = factories.competency(label_fr="négocier un prêt", synonyms_en="loan negotiation")
    _db.session.commit()
    login(client, people["editor"])
    page = client.post(
        f"/emetteur/{people['issuer'].slug}/badges/nouveau",
        data={"competency_query": "LOAN", "action": "search", "name_fr": "Brouillon"},
    ).get_data(as_text=True)
    assert f'value="{skill.id}"' in page and "négocier un prêt" in page


def test_staff_pages_are_closed_to_others(client, db):
    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    outsider = member(factories.organisation(kind="insurer"), "admin")
    _db.session.commit()
    assert client.get(f"/emetteur/{people['issuer'].slug}").status_code == 302  # to the sign-in page
    login(client, outsider)
    assert client.get(f"/emetteur/{people['issuer'].slug}").status_code == 403
    assert client.get(f"/emetteur/{people['issuer'].slug}/badges/{badge_class.uuid}").status_code == 403
    login(client, people["reviewer"])
    assert client.get(f"/emetteur/{people['issuer'].slug}/badges/nouveau").status_code == 403


def test_archiving_asks_for_confirmation(client, db):
    people = team()
    badge_class = published(people["issuer"], people["editor"], people["reviewer"])
    _db.session.commit()
    login(client, people["editor"])
    url = f"/emetteur/{people['issuer'].slug}/badges/{badge_class.uuid}/archiver"
    assert "Oui, archiver" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    _db.session.refresh(badge_class)
    assert badge_class.state == "archived"

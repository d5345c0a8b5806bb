"""`load_demo`: realistic coverage, idempotence, determinism, valid identifiers, and pages that show it."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import BadgeClassReview
from directory.core.models import AuditEntry
from directory.demo.identifiers import luhn_valid
from directory.demo.identifiers import slugify
from directory.demo.loader import load_demo
from directory.endorsements.models import Endorsement
from directory.extensions import db as _db
from directory.organisations.models import ORGANISATION_KINDS
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from directory.profiles.models import OPEN_TO
from directory.profiles.models import Profile

KEYED = {Organisation: Organisation.uuid, BadgeClass: BadgeClass.uuid, Profile: Profile.slug, Award: Award.uuid}


def _snapshot() -> dict:
    counts = {
        table.name: _db.session.scalar(select(func.count()).select_from(table)) for table in _db.metadata.sorted_tables
    }
    keys = {model.__name__: sorted(_db.session.scalars(select(column))) for model, column in KEYED.items()}
    return {"counts": counts, "keys": keys}


def _empty(keep: tuple[str, ...] = ()) -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in keep:
                connection.execute(table.delete())


@pytest.fixture(scope="module")
def demo(app):
    """The demo loaded, loaded again, then rebuilt from scratch (ESCO kept); tables emptied at the end."""
    with app.app_context():
        summaries = [load_demo()]
        _db.session.commit()
        first = _snapshot()
        summaries.append(load_demo())
        _db.session.commit()
        second = _snapshot()
        _db.session.remove()
        _empty(keep=("competencies",))
        load_demo()
        _db.session.commit()
        rebuilt = _snapshot()
        _db.session.remove()
    yield {"summaries": summaries, "first": first, "second": second, "rebuilt": rebuilt}
    with app.app_context():
        _db.session.remove()
        _empty()


@pytest.fixture
def session(app, demo):
    with app.app_context():
        yield _db.session
        _db.session.remove()


def _all(session, model, *where):
    return session.scalars(select(model).where(*where)).all()


def test_one_verified_issuer_and_partners_of_every_kind(session):
    issuers = _all(session, Organisation, Organisation.kind == "issuer")
    partners = _all(session, Organisation, Organisation.kind != "issuer")
    assert len(issuers) == 1 and issuers[0].required_approvals == 1
    assert len(partners) >= 8
    assert {o.kind for o in partners} == set(ORGANISATION_KINDS) - {"issuer"}
    assert sum(o.kind == "local_authority" for o in partners) == 2
    for organisation in issuers + partners:
        assert organisation.verification_state == "verified"
        assert organisation.web_domain and organisation.description_fr and organisation.description_en


def test_every_organisation_has_an_approved_admin_and_the_issuer_has_a_reviewer_and_an_editor(session):
    memberships = _all(session, Membership, Membership.state == "approved")
    by_organisation = {}
    for membership in memberships:
        by_organisation.setdefault(membership.organisation.kind, set()).add(membership.role)
    assert len({m.organisation_id for m in memberships if m.role == "admin"}) == session.scalar(
        select(func.count()).select_from(Organisation)
    )
    assert {"admin", "reviewer", "editor"} <= by_organisation["issuer"]
    assert _all(session, User, User.is_admin.is_(True))


def test_every_siren_and_siret_passes_the_luhn_check(session):
    organisations = _all(session, Organisation)
    sirets = [o.siret for o in organisations] + [p.siret for p in _all(session, Profile) if p.siret]
    assert len(sirets) > 50
    for organisation in organisations:
        assert len(organisation.siren) == 9 and luhn_valid(organisation.siren)
        assert organisation.siret.startswith(organisation.siren)
    assert all(len(siret) == 14 and luhn_valid(siret) for siret in sirets)


def test_published_classes_are_bilingual_and_aligned_to_real_esco_skills(session):
    published = _all(session, BadgeClass, BadgeClass.state == "published")
    assert len(published) >= 12
    for badge_class in published:
        assert badge_class.name_en and badge_class.description_en and badge_class.criteria_en
        assert badge_class.criteria_fr.count("\n- ") >= 2 and badge_class.tags
        assert 2 <= len(badge_class.competencies) <= 4
        assert all(c.framework == "ESCO" and c.uri.startswith("http://data.europa.eu/esco/skill/") for c in badge_class.competencies)
    assert any(b.expiry_months for b in published) and any(b.expiry_months is None for b in published)
    states = set(session.scalars(select(BadgeClass.state)))
    assert {"draft", "archived"} <= states


def test_co_built_classes_have_partners_and_a_review_trail(session):
    co_built = [b for b in _all(session, BadgeClass) if b.partners]
    assert len(co_built) >= 5
    for badge_class in co_built:
        decisions = _all(session, BadgeClassReview, BadgeClassReview.badge_class_id == badge_class.id)
        approving = {r.organisation_id for r in decisions if r.decision == "approve"}
        assert {p.organisation_id for p in badge_class.partners} <= approving


def test_entrepreneurs_across_hauts_de_france(session):
    profiles = _all(session, Profile)
    assert len(profiles) >= 80
    assert {p.departement_code for p in profiles} == {"02", "59", "60", "62", "80"}
    assert len({p.commune_code for p in profiles}) >= 40
    assert {p.region for p in profiles} == {"Hauts-de-France"}
    assert len({s for p in profiles for s in p.sectors}) >= 8
    assert {o for p in profiles for o in p.open_to} == set(OPEN_TO)
    assert sum(p.user_id is not None for p in profiles) > len(profiles) * 0.8
    assert all(p.slug == slugify(p.slug) for p in profiles)
    listed = [p for p in profiles if p.is_listed]
    assert len(listed) > len(profiles) // 2 and all(p.listing_consent_at for p in listed)
    assert any(p.visibility == "partners" for p in profiles)
    assert any(p.visibility == "private" for p in profiles)
    assert any(p.visibility == "public" and not p.listing_consent for p in profiles)


def test_the_demo_entrepreneur_can_sign_in_as_camille_martin(session):
    profile = session.scalar(select(Profile).where(Profile.slug == "camille-martin"))
    assert profile.user.email == "camille.martin@exemple.fr"
    assert profile.is_listed and profile.awards


def test_awards_come_from_approved_applications_with_evidence(session):
    awards = _all(session, Award)
    assert len(awards) >= 150
    reviewer = session.scalar(select(Membership).where(Membership.role == "reviewer")).user_id
    for award in awards:
        application = session.get(Application, award.application_id)
        assert application.state == "approved" and application.badge_class_id == award.badge_class_id
        assert application.evidence and [d.decision for d in application.decisions] == ["approve"]
        assert award.identity_hash.startswith("sha256$") and len(award.salt) == 32
        assert award.awarded_by_id == reviewer
        assert award.issued_on.year in (2024, 2025, 2026)
    revoked = [a for a in awards if a.revoked_at]
    assert 2 <= len(revoked) <= 3 and all(a.revocation_reason for a in revoked)
    assert {a.visibility for a in awards} == {"public", "partners", "private"}
    assert any(a.expires_on and a.expires_on.year <= 2026 for a in awards)
    per_profile = {}
    for award in awards:
        per_profile.setdefault(award.profile_id, []).append(award)
    assert max(len(held) for held in per_profile.values()) <= 5
    assert max(sum(a.featured for a in held) for held in per_profile.values()) <= 3


def test_endorsements_in_every_state(session):
    endorsements = _all(session, Endorsement)
    active = [e for e in endorsements if e.state == "active" and e.target_type == "badge_class"]
    assert len(active) >= 15 and all(e.comment and e.issued_on for e in active)
    issuer = [e for e in endorsements if e.target_type == "issuer"]
    assert len(issuer) == 2 and all(e.target_organisation.kind == "issuer" for e in issuer)
    withdrawn = [e for e in endorsements if e.state == "withdrawn"]
    assert len(withdrawn) == 1 and withdrawn[0].reason and withdrawn[0].withdrawn_at
    assert sum(e.state == "requested" for e in endorsements) == 1
    assert all(e.endorser.kind != "issuer" for e in endorsements)


def test_state_changes_are_in_the_audit_log_without_personal_data(session):
    actions = dict(session.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all())
    assert actions["award.create"] == session.scalar(select(func.count()).select_from(Award))
    assert actions["award.revoke"] >= 2
    assert actions["endorsement.create"] >= 17 and actions["endorsement.withdraw"] == 1
    assert not any("@" in str(entry.details) for entry in _all(session, AuditEntry))


def test_a_second_run_adds_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["summaries"][1].endswith("(created now: nothing).")


def test_a_fresh_database_gets_the_same_rows_and_ids(demo):
    assert demo["rebuilt"] == demo["first"]


def test_the_home_page_shows_entrepreneurs_and_badges(app, session):
    body = app.test_client().get("/").get_data(as_text=True)
    listed = session.scalars(select(Profile.display_name).where(Profile.visibility == "public")).all()
    names = session.scalars(select(BadgeClass.name_fr).where(BadgeClass.state == "published")).all()
    assert any(name in body for name in listed)
    assert any(name.replace("'", "&#39;") in body for name in names)


def test_a_badge_class_page_names_its_endorsers(app, session):
    response = app.test_client().get("/badges/gestion-financiere")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Gestion financière" in body
    assert "Mutuelle Assurances du Septentrion" in body

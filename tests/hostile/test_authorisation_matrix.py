"""Every route × every role, with the expected status, read from ``app.url_map``.

A route added to the application and not classified in ``ACCESS`` below fails
``test_every_route_is_classified``: whoever adds a route decides who may use it here.

Roles: anonymous, an entrepreneur (who owns a profile, an award, an application), a pending
member of the partner organisation, an approved member of *another* partner organisation, an
approved member (admin) of the partner organisation, the issuer's reviewer, the issuer's editor,
and a platform administrator (member of no organisation).

Expected statuses, by access level:

- ``PUBLIC``: everyone gets the page (200), or 404 where the route needs something the
  world cannot offer (an unknown sign-in provider, a token nobody issued).
- ``SIGNED_IN``: anonymous browsers are sent to the sign-in page (302 to ``/connexion?next=…``),
  anonymous API callers get 401 JSON; anyone signed in passes.
- ``OWNER``: signed in, and the object is theirs (the entrepreneur's own profile,
  application…): anybody else is refused (403) or finds nothing (404).
- ``PARTNER`` (member of the partner organisation in the URL): pending members, members of
  another organisation, issuer staff and administrators get 403.
- ``STAFF`` / ``EDITOR`` / ``REVIEWER`` (issuer roles): partners get 403; the reviewer may not
  edit, the editor may not award.
- ``ADMIN``: administrators only; everyone else 403.

GET requests are checked for the exact status. A state-changing request (POST) sent by a role
that may not make it must be refused (401/302-to-sign-in/403/404) before anything changes; one
sent by an allowed role must get past the authorisation (anything but 401/403, the sign-in
redirect or a 5xx — an empty form is answered 200/302/400 as each view sees fit).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from flask import g

from directory.badges.models import Application
from directory.badges.models import BulkAwardJob
from directory.badges.models import Evidence
from directory.core import jobs
from directory.core.models import StoredFile
from directory.extensions import db as _db
from directory.organisations.keys import signing_key
from directory.organisations.models import Membership
from directory.profiles.models import Collection
from directory.profiles.models import ContactMessage
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import member
from tests.badges.issuing_helpers import person

STATIC = Path(__file__).resolve().parents[2] / "static" / "css"
ROLES = ("anonymous", "entrepreneur", "pending", "other_partner", "partner", "reviewer", "editor", "admin")
SIGNED_IN_ROLES = ROLES[1:]
LOGIN = "login"  # 302 to the sign-in page for browsers, 401 for the API
FORBIDDEN = 403


def level(allowed: tuple[str, ...], ok: int = 200, denied: int = FORBIDDEN, anonymous=LOGIN) -> dict:
    """role -> expected GET status: ``ok`` for ``allowed``, ``denied`` for the other signed-in roles."""
    table = {role: (ok if role in allowed else denied) for role in SIGNED_IN_ROLES}
    return {"anonymous": ok if "anonymous" in allowed else anonymous, **table}


PUBLIC = level(ROLES)
SIGNED_IN = level(SIGNED_IN_ROLES)
ADMIN = level(("admin",))
PARTNER = level(("partner",))
STAFF = level(("reviewer", "editor"))
EDITOR = level(("editor",))
REVIEWER = level(("reviewer",))


def public(status: int) -> dict:
    return {role: status for role in ROLES}


def owner(denied: int) -> dict:
    """The entrepreneur's own object: others are refused with ``denied`` (404: not even shown to exist)."""
    return level(("entrepreneur",), denied=denied)


# endpoint -> role -> expected status of a GET (for POST-only routes: only allowed vs refused matters).
ACCESS: dict[str, dict] = {
    # Public pages and documents
    "core.home": PUBLIC,
    "core.about": PUBLIC,
    "core.accessibility": PUBLIC,
    "core.healthz": PUBLIC,
    "static": PUBLIC,
    "badges.index": PUBLIC,
    "badges.show": PUBLIC,
    "badges.image": PUBLIC,
    "organisations.index": PUBLIC,
    "organisations.show": PUBLIC,
    "profiles.show": PUBLIC,
    "profiles.award_image": PUBLIC,
    # Evidence files are shown to the owner and to approved members of organisations (and admins).
    "profiles.evidence_file": {**level(("entrepreneur", "other_partner", "partner", "reviewer", "editor", "admin"),
                                       denied=404), "anonymous": 404},
    "profiles.photo": PUBLIC,
    "profiles.short_link": public(302),
    "profiles.send_message": PUBLIC,
    "profiles.contact_form": {**PUBLIC, "entrepreneur": 404},  # nobody writes to themselves
    "search.search": PUBLIC,
    "verify.page": PUBLIC,
    "api.openapi_json": PUBLIC,
    "api.profile": PUBLIC,
    "api.api_search": PUBLIC,
    "api.api_suggest": PUBLIC,
    "api.verify_api": PUBLIC,
    "ob.platform_jwks": PUBLIC,
    "ob.image": PUBLIC,
    "ob.public_key": PUBLIC,
    "ob.assertion": PUBLIC,
    "ob.assertion_jws": PUBLIC,
    "ob.assertion_png": PUBLIC,
    "ob.assertion_svg": public(404),  # the class's image is a PNG
    "ob.badge_class_v2": PUBLIC,
    "ob.endorsement_v2": PUBLIC,
    "ob.issuer_v2": PUBLIC,
    "ob.revocation_list": PUBLIC,
    "ob.achievement": PUBLIC,
    "ob.credential": PUBLIC,
    "ob.credential_json": PUBLIC,
    "ob.credential_jwt": PUBLIC,
    "ob.credential_png": PUBLIC,
    "ob.credential_svg": public(404),
    "ob.endorsement_v3": PUBLIC,
    "ob.issuer_v3": PUBLIC,
    "ob.issuer_jwks": PUBLIC,
    "ob.status_list": PUBLIC,
    "staff.static": PUBLIC,
    # Signing in and out
    "accounts.login": {**level(SIGNED_IN_ROLES, ok=302), "anonymous": 200},  # signed in: to their space
    "accounts.start": public(404),  # no provider of that name in the test configuration
    "accounts.callback": public(404),
    "accounts.logged_out": public(404),
    "accounts.request_email_link": PUBLIC,
    "accounts.email_link": public(410),  # a link nobody was sent: "expired or already used"
    "accounts.redeem_email_link": PUBLIC,
    "accounts.logout": PUBLIC,
    "applications.claim": public(410),  # a claim link nobody issued
    "mail.outbox_page": PUBLIC,  # on with MAIL_DEV_OUTBOX or TESTING only (404 in production)
    # Any signed-in person
    "dashboard.home": SIGNED_IN,
    # Members are sent to their organisation's page; people who belong to none are told so.
    "dashboard.my_organisation": level(("other_partner", "partner", "reviewer", "editor"), ok=302),
    # Registering needs an identity from a provider that vouches for the organisation: redirected.
    "dashboard.register_organisation": level(SIGNED_IN_ROLES, ok=302),
    # Members of exactly one endorsing organisation go straight to its space.
    "endorsements.home": {**SIGNED_IN, **dict.fromkeys(("other_partner", "partner", "reviewer", "editor"), 302)},
    "staff.home": {**SIGNED_IN, "reviewer": 302, "editor": 302},  # issuer staff: to their area
    "staff.reviews": SIGNED_IN,
    "applications.index": SIGNED_IN,
    "applications.start": SIGNED_IN,
    "profile_account.home": SIGNED_IN,
    "profile_account.edit": SIGNED_IN,
    "profile_account.privacy_settings": SIGNED_IN,
    "profile_account.preview": SIGNED_IN,
    "profile_account.share": SIGNED_IN,
    "profile_account.qr_code": SIGNED_IN,
    "profile_account.messages": SIGNED_IN,
    "profile_account.export": SIGNED_IN,
    "profile_account.erase": SIGNED_IN,
    "profile_badges.index": SIGNED_IN,
    "profile_badges.import_badge": SIGNED_IN,
    "profile_badges.add_collection": SIGNED_IN,
    # The entrepreneur's own things
    "applications.edit": owner(404),
    "applications.evidence_file": owner(404),
    "applications.remove_evidence": owner(404),
    "profile_account.message": owner(404),
    "profile_badges.curate": owner(404),
    "profile_badges.move": owner(404),
    "profile_badges.reverify": owner(404),
    "profile_badges.reverify_all": SIGNED_IN,  # re-verifies the signed-in user's own imported badges
    # A background job is seen by the user who started it (the entrepreneur here), by nobody else.
    "core.job": owner(404),
    "api.job": owner(404),
    "profile_badges.remove": owner(404),
    "profile_badges.evidence": owner(404),
    "profile_badges.delete_evidence": owner(404),
    "profile_badges.set_collection": owner(404),
    "profile_badges.delete_collection": owner(404),
    # Members of the partner organisation
    "dashboard.organisation": PARTNER,
    "endorsements.organisation": PARTNER,
    "endorsements.endorse_badge": PARTNER,
    "endorsements.endorse_issuer": PARTNER,
    "endorsements.edit": PARTNER,
    "endorsements.decline": PARTNER,
    "endorsements.withdraw": PARTNER,
    # The issuer's staff
    "staff.overview": STAFF,
    "staff.show": STAFF,
    # role_required(*STAFF_ROLES) holds for an admin of *any* organisation, partners included
    # (partners co-build classes); the ESCO labels it returns are public anyway.
    "staff.competency_search": level(("other_partner", "partner", "reviewer", "editor")),
    "staff.review": REVIEWER,  # the issuer's reviewers (and invited partners' reviewers)
    "staff_awards.applications_list": STAFF,
    "staff_awards.awards": STAFF,
    "staff_awards.evidence_file": STAFF,
    "issuer_endorsements.received": STAFF,
    "issuer_endorsements.acknowledge": STAFF,
    "staff.create": EDITOR,
    "staff.edit": EDITOR,
    "staff.transition": EDITOR,
    "staff.new_version": EDITOR,
    "staff.destroy": EDITOR,
    "staff.invite": EDITOR,
    "staff.uninvite": EDITOR,
    "issuer_endorsements.ask": EDITOR,
    "issuer_endorsements.hide": EDITOR,
    "issuer_endorsements.unhide": EDITOR,
    "staff_awards.assess": REVIEWER,
    "staff_awards.direct_award": REVIEWER,
    "staff_awards.revoke": REVIEWER,
    "staff_awards.revoke_many": REVIEWER,
    "staff_awards.bulk_upload": REVIEWER,
    "staff_awards.bulk_preview": REVIEWER,
    # Platform administrators
    "admin.index": ADMIN,
    # Platform administrators, and the administrators of the organisation the member asks to join.
    "admin.decide_membership": level(("partner", "admin")),
    "admin.decide_organisation": ADMIN,
}


# --------------------------------------------------------------------- the world


@dataclass
class World:
    users: dict
    values: dict = field(default_factory=dict)


def _png() -> StoredFile:
    return factories.png_file()


@pytest.fixture
def world(db) -> World:
    issuer = factories.organisation(slug="agence-emettrice")
    partner = factories.organisation(kind="local_authority", slug="agglo-partenaire")
    other = factories.organisation(kind="insurer", slug="autre-partenaire")
    candidate = factories.organisation(kind="business_network", slug="reseau-candidat", verification_state="pending")
    badge = factories.badge_class(issuer, image=_png(), slug="pitcher")
    draft = factories.badge_class(issuer, state="draft", slug="brouillon")
    entrepreneur = person("Camille Martin", email="camille.martin@exemple.fr")
    admin = person("Alex Admin")
    admin.is_admin = True
    pending = person("Paul Pending")
    _db.session.add(Membership(user_id=pending.id, organisation=partner, role="member", state="pending"))
    users = {
        "entrepreneur": entrepreneur,
        "pending": pending,
        "other_partner": member(other, "admin"),
        "partner": member(partner, "admin"),
        "reviewer": member(issuer, "reviewer"),
        "editor": member(issuer, "editor"),
        "admin": admin,
    }
    profile = factories.profile(user_id=entrepreneur.id, slug="camille-martin", short_code="camille1", photo=_png())
    award = factories.award(badge, email=entrepreneur.email, recipient_id=entrepreneur.id, profile_id=profile.id)
    award_evidence = Evidence(award_id=award.id, name="Preuve", file_id=_png().id)
    application = Application(badge_class_id=badge.id, applicant_id=entrepreneur.id, state="submitted",
                              narrative="Mon dossier.", email=entrepreneur.email)  # fmt: skip
    _db.session.add_all([award_evidence, application])
    _db.session.flush()
    application_evidence = Evidence(application_id=application.id, name="Pièce", file_id=_png().id)
    collection = Collection(profile_id=profile.id, name="Mes badges")
    message = ContactMessage(profile_id=profile.id, sender_name="Léa", sender_email="lea@exemple.fr", body="Bonjour")
    job = BulkAwardJob(organisation_id=issuer.id, created_by_id=users["reviewer"].id, filename="a.csv",
                       content="email,badge\nx@exemple.fr,pitcher\n", line_count=1)  # fmt: skip
    active = factories.endorsement(partner, badge)
    # One open endorsement per endorser and class (a unique index): the request is for another class.
    requested = factories.endorsement(partner, factories.badge_class(issuer, slug="negocier"), state="requested", issued_on=None,
                                      created_at=factories.now() - timedelta(days=1))  # fmt: skip
    _db.session.add_all([application_evidence, collection, message, job])
    _db.session.flush()
    with current_app.test_request_context():  # in-process (no Redis): finished at once
        started = jobs.enqueue("directory.core.jobs.selftest", 1, user_id=entrepreneur.id)
    key = signing_key(issuer, "Ed25519")
    signing_key(issuer, "RS256")
    _db.session.commit()
    values = {
        "issuer": issuer, "partner": partner, "candidate": candidate, "badge": badge, "draft": draft,
        "profile": profile, "award": award, "award_evidence": award_evidence, "application": application,
        "application_evidence": application_evidence, "collection": collection, "message": message, "job": job,
        "active": active, "requested": requested, "key": key, "started": started,
        "membership": _db.session.scalar(_db.select(Membership).where(Membership.user_id == pending.id)),
    }  # fmt: skip
    return World(users=users, values=values)


@pytest.fixture(autouse=True)
def _no_indexing(app, monkeypatch):
    """Who may search is tested here, not what is found: commits skip the index (~30 ms each)."""
    monkeypatch.setattr(app.extensions["search"], "apply", lambda keys: 0)


@pytest.fixture(autouse=True)
def _quick_rsa_keys(monkeypatch):
    """One RSA key pair for the whole module: generating one per test would cost seconds."""
    from directory.openbadges import keys as obkeys
    from directory.organisations import keys

    if not hasattr(_quick_rsa_keys, "pair"):
        _quick_rsa_keys.pair = obkeys.generate_rsa()
    monkeypatch.setitem(keys._GENERATORS, "RS256", lambda: _quick_rsa_keys.pair)


# --------------------------------------------------------------------- URLs


def url_values(endpoint: str, arguments: set[str], w: dict) -> dict:
    """Values for a rule's arguments, each naming an object of the world that the route is about."""
    prefix = endpoint.split(".", 1)[0]
    slug = {
        "badges": w["badge"].slug, "applications": w["badge"].slug, "profiles": w["profile"].slug,
        "api": w["profile"].slug, "organisations": w["issuer"].slug, "endorsements": w["partner"].slug,
        "dashboard": w["partner"].slug,
    }.get(prefix, w["issuer"].slug)  # staff, staff_awards, issuer_endorsements: the issuer's area
    endorsement = w["requested"] if endpoint in ("endorsements.decline",) else w["active"]
    evidence = {
        "profiles": w["award_evidence"], "profile_badges": w["award_evidence"],
    }.get(prefix, w["application_evidence"])
    candidates = {
        "slug": slug,
        "badge_uuid": w["badge"].uuid,
        "award_uuid": w["award"].uuid,
        "application_uuid": w["application"].uuid,
        "evidence_uuid": evidence.uuid,
        "endorsement_uuid": endorsement.uuid,
        "org_uuid": w["issuer"].uuid,
        "key_id": w["key"].key_id,
        "membership_id": w["membership"].id,
        "organisation_id": w["candidate"].id if prefix == "admin" else w["partner"].id,
        "collection_id": w["collection"].id,
        "message_uuid": w["message"].uuid,
        "job_uuid": w["job"].uuid,
        "job_id": w["started"],
        "issuer_slug": w["issuer"].slug,
        "token": "jeton-que-personne-n-a-recu",
        "code": w["profile"].short_code,
        "provider": "inconnu",
        "filename": "css/" + next(iter(sorted(p.name for p in STATIC.iterdir()))) if endpoint == "static" else "issuing.css",
        "as_who": "visiteur",
        "kind": "png",
        "action": {"endorsements.edit": "modifier", "staff.transition": "soumettre"}.get(endpoint, "archiver"),
        "decision": "refuser",
        "purpose": "endorsements",
    }  # fmt: skip
    missing = arguments - candidates.keys()
    assert not missing, f"{endpoint}: no value for {sorted(missing)}: teach url_values about it"
    return {name: candidates[name] for name in arguments}


def routes(app, method: str) -> list[tuple[str, str]]:
    """(endpoint, path) for every rule answering ``method``."""
    return sorted({(rule.endpoint, rule.rule) for rule in app.url_map.iter_rules() if method in rule.methods})


def build(app, endpoint: str, w: dict) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    adapter = app.url_map.bind("badgeons.test")
    return adapter.build(endpoint, url_values(endpoint, set(rule.arguments), w))


def client_as(app, world: World, role: str):
    g.pop("_login_user", None)
    client = app.test_client()
    if role != "anonymous":
        login(client, world.users[role])
    return client


def outcome(response, path: str) -> int | str:
    """The status, with a redirect to the sign-in page told apart from other redirects."""
    if response.status_code == 302 and response.headers["Location"].startswith("/connexion?next="):
        return LOGIN
    if response.status_code == 401 and path.startswith("/api/"):
        return LOGIN
    return response.status_code


def table(rows: list[tuple[str, dict]]) -> str:
    width = max(len(name) for name, _ in rows)
    lines = [f"{'route':<{width}} | " + " | ".join(f"{r[:8]:>8}" for r in ROLES)]
    lines += [f"{name:<{width}} | " + " | ".join(f"{cells[r]!s:>8}" for r in ROLES) for name, cells in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------- the tests


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - ACCESS.keys()) == [], "new routes: say who may use them in ACCESS"
    assert sorted(ACCESS.keys() - endpoints) == [], "routes gone: remove them from ACCESS"


def test_get_matrix(app, world):
    """One world, every GET route, every role: the observed table must equal the expected one."""
    observed, expected = [], []
    gets = routes(app, "GET")
    clients = {role: client_as(app, world, role) for role in ROLES}
    for endpoint, _ in gets:
        path = build(app, endpoint, world.values)
        cells = {}
        for role in ROLES:
            g.pop("_login_user", None)
            response = clients[role].get(path)
            cells[role] = outcome(response, path)
            response.close()
        observed.append((f"GET {path}", cells))
        expected.append((f"GET {path}", {role: ACCESS[endpoint][role] for role in ROLES}))
    wrong = [(name, cells) for (name, cells), (_, want) in zip(observed, expected) if cells != want]
    wanted = dict(expected)
    assert not wrong, "observed:\n" + table(wrong) + "\n\nexpected:\n" + table([(n, wanted[n]) for n, _ in wrong])


def _post_endpoints(app) -> list[str]:
    return sorted({endpoint for endpoint, _ in routes(app, "POST")})


def pytest_generate_tests(metafunc):
    if "post_endpoint" in metafunc.fixturenames:
        from directory import create_app

        # Only its URL map is read: no database, index or rate limits are touched.
        probe = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "probe",
                            "KEY_ENCRYPTION_KEY": "probe-key-encryption-key-0123456789", "RATELIMIT_ENABLED": False,
                            "SEARCH_INDEX_DIR": "/nonexistent/badgeons-probe"})  # fmt: skip
        metafunc.parametrize("post_endpoint", _post_endpoints(probe))


def test_post_matrix(app, world, post_endpoint):
    """Refused roles are stopped before anything changes; allowed ones get past the authorisation."""
    path = build(app, post_endpoint, world.values)
    expected = ACCESS[post_endpoint]
    allowed = [role for role in ROLES if expected[role] not in (LOGIN, FORBIDDEN)]
    refused = [role for role in ROLES if role not in allowed]
    cells = {}
    # The refused first: an allowed request may change the world (withdraw, erase, sign out…).
    for role in [*refused, *allowed]:
        response = client_as(app, world, role).post(path, data={})
        cells[role] = outcome(response, path)
        response.close()
    wrong = {}
    for role in refused:
        if cells[role] not in (LOGIN, FORBIDDEN, 404):
            wrong[role] = cells[role]
    for role in allowed:
        if cells[role] in (LOGIN, 401, FORBIDDEN) or (isinstance(cells[role], int) and cells[role] >= 500):
            wrong[role] = cells[role]
    assert not wrong, f"POST {path}\n" + table([("observed", cells), ("expected", expected)])

"""`flask demo load`: write the demo to the database, creating only what is missing.

Objects are found again by their stable keys (slugs, e-mail addresses, UUIDs derived from
names), so a second run adds nothing; an entrepreneur's account, awards and their
paper trail are created together with the profile.
"""

import calendar
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.esco import FRAMEWORK as ESCO_FRAMEWORK
from directory.badges.esco import import_esco
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import BadgeClassPartner
from directory.badges.models import BadgeClassReview
from directory.badges.models import Competency
from directory.badges.models import Evidence
from directory.badges.models import ReviewDecision
from directory.core.audit import record
from directory.core.progress import progress_bar
from directory.demo import data
from directory.demo.generate import EntrepreneurPlan
from directory.demo.generate import entrepreneurs
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.organisations.models import Membership
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

NAMESPACE = uuid.UUID("0b6f5a52-5d8e-4c1b-9a57-6e2c1f0d9b3a")
BATCH = 32
STAFF_SINCE = datetime(2023, 9, 4, 9, 0, tzinfo=data.REFERENCE_DATE.tzinfo)


def demo_uuid(*parts: str) -> str:
    """The same UUID for the same demo object, on every database."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def load_demo(profile_count: int = 96, progress: Callable | None = None) -> str:
    """Create whatever part of the demo is missing; flush, never commit."""
    _ensure_esco(progress)
    created: Counter = Counter()
    users = _load_staff(created)
    organisations = _load_organisations(created)
    _load_memberships(users, organisations, created)
    badge_classes = _load_badge_classes(organisations, users, created)
    _load_endorsements(organisations, badge_classes, users, created)
    _load_entrepreneurs(profile_count, badge_classes, users, progress, created)
    db.session.flush()
    return _summary(created)


def _ensure_esco(progress: Callable | None) -> None:
    if db.session.scalar(select(Competency.id).where(Competency.framework == ESCO_FRAMEWORK).limit(1)) is None:
        import_esco(progress=progress)


# Organisations and their staff


def _staff_email(organisation_slug: str, local_part: str) -> str:
    domain = next(o["web_domain"] for o in [data.ISSUER, *data.PARTNERS] if o["slug"] == organisation_slug)
    return f"{local_part}@{domain}"


def _load_staff(created: Counter) -> dict[str, User]:
    people = [(name, _staff_email(slug, local)) for slug, name, local, _ in data.STAFF]
    people.append((data.ADMINISTRATOR["display_name"], data.ADMINISTRATOR["email"]))
    users = _users_by_email([email for _, email in people])
    for name, email in people:
        if email not in users:
            users[email] = User(display_name=name, email=email, email_verified=True, created_at=STAFF_SINCE)
            db.session.add(users[email])
            created["users"] += 1
    users[data.ADMINISTRATOR["email"]].is_admin = True
    db.session.flush()
    return users


def _load_organisations(created: Counter) -> dict[str, Organisation]:
    specs = [data.ISSUER, *data.PARTNERS]
    found = db.session.scalars(select(Organisation).where(Organisation.slug.in_([s["slug"] for s in specs])))
    organisations = {organisation.slug: organisation for organisation in found}
    for spec in specs:
        if spec["slug"] not in organisations:
            organisations[spec["slug"]] = _organisation(spec)
            db.session.add(organisations[spec["slug"]])
            created["organisations"] += 1
    db.session.flush()
    return organisations


def _organisation(spec: dict) -> Organisation:
    return Organisation(
        **spec,
        uuid=demo_uuid("organisation", spec["slug"]),
        website_url=f"https://{spec['web_domain']}",
        contact_email=f"contact@{spec['web_domain']}",
        region=data.REGION,
        verification_state="verified",
        verified_at=STAFF_SINCE - timedelta(days=3),
        required_approvals=1,
        created_at=STAFF_SINCE - timedelta(days=10),
    )


def _load_memberships(users: dict, organisations: dict, created: Counter) -> None:
    existing = set(db.session.execute(select(Membership.user_id, Membership.organisation_id)))
    administrator = users[data.ADMINISTRATOR["email"]]
    for slug, _, local, role in data.STAFF:
        user, organisation = users[_staff_email(slug, local)], organisations[slug]
        if (user.id, organisation.id) in existing:
            continue
        claim = "siret" if organisation.kind in ("local_authority", "public_employment_service") else "hd"
        db.session.add(
            Membership(
                user_id=user.id,
                organisation_id=organisation.id,
                role=role,
                state="approved",
                provider="demo",
                subject=f"demo-{local}",
                binding_claim=claim,
                binding_value=organisation.siret if claim == "siret" else organisation.web_domain,
                requested_at=STAFF_SINCE,
                decided_at=STAFF_SINCE + timedelta(days=1),
                decided_by_id=administrator.id,
            )
        )
        created["memberships"] += 1


def _staff(users: dict, role: str, organisation_slug: str = data.ISSUER["slug"]) -> User:
    """The member holding this role in this organisation (its admin when the role is "admin")."""
    local = next(part for slug, _, part, held in data.STAFF if slug == organisation_slug and held == role)
    return users[_staff_email(organisation_slug, local)]


# Badge classes


def _load_badge_classes(organisations: dict, users: dict, created: Counter) -> dict[str, BadgeClass]:
    slugs = [spec["slug"] for spec in data.BADGE_CLASSES]
    found = db.session.scalars(select(BadgeClass).where(BadgeClass.slug.in_(slugs)))
    badge_classes = {badge_class.slug: badge_class for badge_class in found}
    competencies = _esco_competencies()
    for spec in data.BADGE_CLASSES:
        if spec["slug"] in badge_classes:
            continue
        badge_class = _badge_class(spec, organisations, users, competencies)
        db.session.add(badge_class)
        badge_classes[spec["slug"]] = badge_class
        created["badge classes"] += 1
        db.session.flush()
        _review_trail(badge_class, spec, organisations, users)
    db.session.flush()
    return badge_classes


def _esco_competencies() -> dict[str, Competency]:
    uris = {data.ESCO + code for spec in data.BADGE_CLASSES for code in spec["esco"]}
    found = db.session.scalars(
        select(Competency).where(Competency.framework == ESCO_FRAMEWORK, Competency.uri.in_(uris))
    )
    competencies = {competency.uri: competency for competency in found}
    if missing := uris - competencies.keys():
        raise LookupError(f"ESCO concepts missing from the database: {sorted(missing)}")
    return competencies


def _badge_class(spec: dict, organisations: dict, users: dict, competencies: dict) -> BadgeClass:
    published_at = _day(spec["published"]) if spec["published"] else None
    created_at = (published_at or data.REFERENCE_DATE) - timedelta(days=45)
    return BadgeClass(
        uuid=demo_uuid("badge-class", spec["slug"]),
        family=demo_uuid("badge-family", spec["slug"]),
        slug=spec["slug"],
        issuer=organisations[data.ISSUER["slug"]],
        name_fr=spec["name_fr"],
        name_en=spec["name_en"],
        description_fr=spec["description_fr"],
        description_en=spec["description_en"],
        criteria_fr=spec["criteria_fr"],
        criteria_en=spec["criteria_en"],
        tags=spec["tags"],
        expiry_months=spec["expiry_months"],
        state=spec["state"],
        created_by_id=_staff(users, "editor").id,
        created_at=created_at,
        updated_at=published_at or created_at,
        published_at=published_at,
        competencies=[competencies[data.ESCO + code] for code in spec["esco"]],
    )


def _review_trail(badge_class: BadgeClass, spec: dict, organisations: dict, users: dict) -> None:
    if badge_class.published_at is None:
        return
    when = badge_class.published_at - timedelta(days=21)
    for number, slug in enumerate(spec["partners"]):
        organisation, author = organisations[slug], _staff(users, "admin", slug)
        db.session.add(BadgeClassPartner(badge_class=badge_class, organisation=organisation, invited_at=when))
        if number == 0:
            _review(badge_class, author, organisation, "comment", "comment", when + timedelta(days=4))
        _review(badge_class, author, organisation, "approve", "partner_approve", when + timedelta(days=9))
    issuer = organisations[data.ISSUER["slug"]]
    _review(badge_class, _staff(users, "reviewer"), issuer, "approve", "issuer_approve", when + timedelta(days=18))


def _review(badge_class, author, organisation, decision, comment_key, when) -> None:
    db.session.add(
        BadgeClassReview(
            badge_class_id=badge_class.id,
            author_id=author.id,
            organisation_id=organisation.id,
            decision=decision,
            comment=data.REVIEW_COMMENTS[comment_key],
            created_at=when,
        )
    )


# Endorsements


def _load_endorsements(organisations: dict, badge_classes: dict, users: dict, created: Counter) -> None:
    existing = set(db.session.scalars(select(Endorsement.uuid)))
    issuer = organisations[data.ISSUER["slug"]]
    for endorser_slug, target_slug, state, comment, day in data.ENDORSEMENTS:
        key = demo_uuid("endorsement", endorser_slug, target_slug or "issuer")
        if key in existing:
            continue
        endorser, author = organisations[endorser_slug], _staff(users, "admin", endorser_slug)
        when = _day(day, hour=11)
        endorsement = Endorsement(
            uuid=key,
            endorser=endorser,
            target_type="badge_class" if target_slug else "issuer",
            badge_class=badge_classes[target_slug] if target_slug else None,
            target_organisation=None if target_slug else issuer,
            comment=comment,
            state=state,
            created_at=when - timedelta(days=12),
            issued_on=None if state == "requested" else when,
            decided_at=None if state == "requested" else when,
            created_by_id=None if state == "requested" else author.id,
            requested_by_id=_staff(users, "admin").id if state == "requested" else None,
        )
        if state == "withdrawn":
            endorsement.withdrawn_at = _day(data.WITHDRAWN_ON, hour=15)
            endorsement.reason = data.WITHDRAWAL_REASON
        db.session.add(endorsement)
        created["endorsements"] += 1
        _endorsement_audit(endorsement, endorser_slug, target_slug, author, users)


def _endorsement_audit(endorsement: Endorsement, endorser_slug, target_slug, author, users) -> None:
    details = {"endorser": endorser_slug, "endorsed": target_slug or data.ISSUER["slug"]}
    if endorsement.state == "requested":
        _audit(endorsement.created_at, _staff(users, "admin"), "endorsement.request", endorsement, details)
        return
    _audit(endorsement.issued_on, author, "endorsement.create", endorsement, details)
    if endorsement.state == "withdrawn":
        _audit(endorsement.withdrawn_at, author, "endorsement.withdraw", endorsement, details)


# Entrepreneurs, their applications and awards


def _load_entrepreneurs(count: int, badge_classes: dict, users: dict, progress, created: Counter) -> None:
    plans = entrepreneurs(count)
    existing = set(db.session.scalars(select(Profile.slug).where(Profile.slug.in_([p.slug for p in plans]))))
    reviewer = _staff(users, "reviewer")
    batch: list[EntrepreneurPlan] = []
    with progress_bar(progress, plans, "Entrepreneurs") as bar:
        for plan in bar:
            if plan.slug not in existing:
                batch.append(plan)
            if len(batch) == BATCH:
                _create_entrepreneurs(batch, badge_classes, reviewer, created)
                batch = []
        _create_entrepreneurs(batch, badge_classes, reviewer, created)


def _create_entrepreneurs(plans: list, badge_classes: dict, reviewer: User, created: Counter) -> None:
    if not plans:
        return
    accounts = _users_by_email([plan.email for plan in plans if plan.has_user])
    for plan in plans:
        if plan.has_user and plan.email not in accounts:
            accounts[plan.email] = User(
                display_name=plan.display_name, email=plan.email, email_verified=True, created_at=plan.created_at
            )
            created["users"] += 1
    db.session.add_all(accounts.values())
    db.session.flush()
    profiles, applications = [], {}
    for plan in plans:
        user = accounts.get(plan.email) if plan.has_user else None
        profiles.append(_profile(plan, user))
        for award in plan.awards:
            applications[(plan.slug, award.badge_slug)] = _application(plan, award, user, badge_classes, reviewer)
    db.session.add_all(profiles)
    db.session.add_all(applications.values())
    db.session.flush()
    awards = [
        _award(plan, award, profile, accounts.get(plan.email) if plan.has_user else None,
               applications[(plan.slug, award.badge_slug)], badge_classes[award.badge_slug], reviewer)
        for plan, profile in zip(plans, profiles)
        for award in plan.awards
    ]
    db.session.add_all(awards)
    created["profiles"] += len(profiles)
    created["awards"] += len(awards)
    db.session.flush()


def _profile(plan: EntrepreneurPlan, user: User | None) -> Profile:
    consent_at = plan.created_at + timedelta(hours=2) if plan.listing_consent else None
    return Profile(
        user_id=user.id if user else None,
        slug=plan.slug,
        display_name=plan.display_name,
        first_name=plan.first_name,
        last_name=plan.last_name,
        headline=plan.headline,
        bio=plan.bio,
        company_name=plan.company_name,
        siret=plan.siret,
        commune=plan.commune,
        commune_code=plan.commune_code,
        departement=plan.departement,
        departement_code=plan.departement_code,
        region=data.REGION,
        sectors=plan.sectors,
        open_to=plan.open_to,
        links=plan.links,
        visibility=plan.visibility,
        listing_consent=plan.listing_consent,
        listing_consent_at=consent_at,
        created_at=plan.created_at,
        updated_at=max([plan.created_at, *(a.issued_on for a in plan.awards)]),
    )


def _application(plan, award, user, badge_classes, reviewer) -> Application:
    spec = next(s for s in data.BADGE_CLASSES if s["slug"] == award.badge_slug)
    evidence = [
        Evidence(
            uuid=demo_uuid("evidence", plan.slug, award.badge_slug, "narrative"),
            name="Récit d'expérience",
            narrative=spec["evidence"][award.evidence_index],
            created_at=award.submitted_on,
        )
    ]
    if award.evidence_url:
        evidence.append(
            Evidence(
                uuid=demo_uuid("evidence", plan.slug, award.badge_slug, "link"),
                name="Réalisations en ligne",
                url=award.evidence_url,
                created_at=award.submitted_on,
            )
        )
    return Application(
        uuid=demo_uuid("application", plan.slug, award.badge_slug),
        badge_class=badge_classes[award.badge_slug],
        applicant_id=user.id if user else None,
        state="approved",
        narrative=f"Je demande le badge « {spec['name_fr']} » pour mon activité chez {plan.company_name}.",
        created_at=award.submitted_on - timedelta(days=2),
        submitted_at=award.submitted_on,
        decided_at=award.issued_on,
        evidence=evidence,
        decisions=[
            ReviewDecision(
                reviewer_id=reviewer.id,
                decision="approve",
                reason="Preuves complètes et cohérentes avec les critères.",
                created_at=award.issued_on,
            )
        ],
    )


def _award(plan, award, profile, user, application, badge_class, reviewer) -> Award:
    months = badge_class.expiry_months
    row = Award(
        uuid=demo_uuid("award", plan.slug, award.badge_slug),
        badge_class_id=badge_class.id,
        recipient_id=user.id if user else None,
        profile_id=profile.id,
        recipient_email=plan.email,
        recipient_name=plan.display_name,
        salt=award.salt,
        identity_hash=hash_identity(plan.email, award.salt),
        issued_on=award.issued_on,
        expires_on=_add_months(award.issued_on, months) if months else None,
        application_id=application.id,
        awarded_by_id=reviewer.id,
        revoked_at=award.revoked_on,
        revocation_reason=award.revocation_reason,
        claimed_at=award.issued_on + timedelta(days=2) if user else None,
        visibility=award.visibility,
        position=award.position,
        featured=award.featured,
    )
    details = {"badge_class": badge_class.slug}
    _audit(award.issued_on, reviewer, "award.create", row, details)
    if award.revoked_on:
        _audit(award.revoked_on, reviewer, "award.revoke", row, details)
    return row


# Small helpers


def _audit(at: datetime, actor: User, action: str, target, details: dict) -> None:
    # The demo's history happened on fixed dates, not when the loader runs.
    record(action, target, actor, **details).at = at


def _users_by_email(emails: list[str]) -> dict[str, User]:
    return {user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))}


def _day(iso_date: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(iso_date).replace(hour=hour, tzinfo=data.REFERENCE_DATE.tzinfo)


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _summary(created: Counter) -> str:
    counts = {
        "organisations": Organisation,
        "badge classes": BadgeClass,
        "profiles": Profile,
        "awards": Award,
        "endorsements": Endorsement,
    }
    totals = ", ".join(
        f"{db.session.scalar(select(func.count()).select_from(model))} {name}" for name, model in counts.items()
    )
    made = ", ".join(f"{number} {name}" for name, number in created.items()) or "nothing"
    return f"Demo data: {totals} (created now: {made})."


"""Home page, health check, the about page and the accessibility statement."""

from datetime import date

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import render_template
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.badges.models import badge_class_competencies
from directory.core.health import database_state
from directory.core.pagecache import cached_page
from directory.core.ratelimit import rate_limit_state
from directory.extensions import db
from directory.extensions import limiter
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

bp = Blueprint("core", __name__)
SUGGESTED_COMPETENCIES = 8
# The accessibility statement: when it was last established, and where to report a problem.
STATEMENT_DATE = date(2026, 11, 29)


@bp.get("/")
@cached_page
def home():
    listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
    profiles = db.session.scalars(
        select(Profile).where(*listed).order_by(Profile.updated_at.desc(), Profile.id).limit(6)
    ).all()
    badge_classes = db.session.scalars(
        select(BadgeClass)
        .where(BadgeClass.state == "published")
        .options(selectinload(BadgeClass.issuer))
        .order_by(BadgeClass.id)
        .limit(6)
    ).all()
    partners = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind != "issuer", Organisation.verification_state == "verified")
        .order_by(Organisation.name)
    ).all()
    counts = {
        "profiles": db.session.scalar(select(func.count()).select_from(Profile).where(*listed)),
        "badge_classes": db.session.scalar(
            select(func.count()).select_from(BadgeClass).where(BadgeClass.state == "published")
        ),
        "awards": db.session.scalar(
            select(func.count()).select_from(Award).where(Award.revoked_at.is_(None))
        ),
    }
    return render_template(
        "core/home.html",
        profiles=profiles,
        badge_classes=badge_classes,
        partners=partners,
        counts=counts,
        competencies=suggested_competencies(),
    )


def suggested_competencies() -> list[Competency]:
    """The competencies the most published badge classes certify: search suggestions that work without JS."""
    link = badge_class_competencies
    return db.session.scalars(
        select(Competency)
        .join(link, link.c.competency_id == Competency.id)
        .join(BadgeClass, BadgeClass.id == link.c.badge_class_id)
        .where(BadgeClass.state == "published")
        .group_by(Competency.id)
        .order_by(func.count(BadgeClass.id).desc(), Competency.label_fr)
        .limit(SUGGESTED_COMPETENCIES)
    ).all()


@bp.get("/a-propos")
def about():
    return render_template("core/about.html")


@bp.get("/accessibilite")
def accessibility():
    contact = current_app.config["ACCESSIBILITY_CONTACT"]
    return render_template("core/accessibility.html", contact=contact, established_on=STATEMENT_DATE)


@bp.get("/healthz")
@limiter.exempt  # load balancers poll it from one address
def healthz():
    database = database_state()
    search = current_app.extensions["search"].health() if database["ok"] else {"ok": False}
    rate_limits = rate_limit_state()
    # A broken index degrades search only: it is rebuilt from the database, so no 503 for it.
    # Redis down degrades rate limits only (they count in memory meanwhile): the site is up, 200.
    ok = database["ok"] and search["ok"] and rate_limits["ok"]
    body = {"status": "ok" if ok else "degraded", "database": database, "search": search, "rate_limits": rate_limits}
    return jsonify(body), 200 if database["ok"] else 503

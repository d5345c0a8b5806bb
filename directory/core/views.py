"""Home page, health check and the about page."""

from flask import Blueprint
from flask import jsonify
from flask import render_template
from sqlalchemy import func
from sqlalchemy import select

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.core.health import database_state
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.profiles.models import Profile

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    listed = Profile.visibility == "public", Profile.listing_consent.is_(True)
    profiles = db.session.scalars(
        select(Profile).where(*listed).order_by(Profile.updated_at.desc(), Profile.id).limit(6)
    ).all()
    badge_classes = db.session.scalars(
        select(BadgeClass).where(BadgeClass.state == "published").order_by(BadgeClass.id).limit(6)
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
        "core/home.html", profiles=profiles, badge_classes=badge_classes, partners=partners, counts=counts
    )


@bp.get("/a-propos")
def about():
    return render_template("core/about.html")


@bp.get("/healthz")
def healthz():
    database = database_state()
    body = {"status": "ok" if database["ok"] else "degraded", "database": database}
    return jsonify(body), 200 if database["ok"] else 503

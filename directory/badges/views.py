"""Public pages of badge classes."""

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.core.images import placeholder_badge_svg
from directory.core.pagecache import cached_page
from directory.endorsements import public as public_endorsements
from directory.endorsements import services as endorsement_services
from directory.endorsements.services import Target
from directory.extensions import db
from directory.profiles.models import Profile

bp = Blueprint("badges", __name__)
HOLDERS_SHOWN = 12


def get_badge_class_or_404(slug: str, published_only: bool = True) -> BadgeClass:
    """Load a badge class by slug; visitors only see published and archived ones."""
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.slug == slug))
    if badge_class is None or (published_only and badge_class.state not in ("published", "archived")):
        abort(404)
    return badge_class


@bp.get("/badges")
@cached_page
def index():
    query = (
        select(BadgeClass)
        .where(BadgeClass.state == "published")
        .options(selectinload(BadgeClass.issuer), selectinload(BadgeClass.competencies))
        .order_by(BadgeClass.name_fr)
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("badges/index.html", page=page)


@bp.get("/badges/<slug>")
@cached_page
def show(slug: str):
    badge_class = get_badge_class_or_404(slug)
    return render_template(
        "badges/show.html",
        badge_class=badge_class,
        holders=recent_holders(badge_class),
        holder_count=count_holders(badge_class),
        endorsements=public_endorsements.of_badge_class(badge_class),
        endorse_as=endorsement_services.endorse_choices(current_user, Target(badge_class=badge_class)),
    )


def _shown_publicly(badge_class: BadgeClass) -> tuple:
    """SQL criteria: an unrevoked award of this class its holder shows, on a listed profile."""
    return (
        Award.badge_class_id == badge_class.id,
        Award.revoked_at.is_(None),
        Award.visibility == "public",
        Profile.visibility == "public",
        Profile.listing_consent.is_(True),
    )


def recent_holders(badge_class: BadgeClass) -> list[Profile]:
    """The latest listed holders, newest award first; the search page lists them all, by page."""
    # Walking the class's awards newest first stops after a few rows: no sort of every holder.
    rows = db.session.scalars(
        select(Profile)
        .join(Award, Award.profile_id == Profile.id)
        .where(*_shown_publicly(badge_class))
        .order_by(Award.id.desc())
        .limit(2 * HOLDERS_SHOWN)  # room for a holder awarded the class twice
    )
    return list(dict.fromkeys(rows))[:HOLDERS_SHOWN]


def count_holders(badge_class: BadgeClass) -> int:
    """How many listed entrepreneurs show this badge."""
    return db.session.scalar(
        select(func.count(func.distinct(Profile.id)))
        .select_from(Award)
        .join(Profile, Award.profile_id == Profile.id)
        .where(*_shown_publicly(badge_class))
    )


@bp.get("/badges/<slug>/image")
def image(slug: str):
    badge_class = get_badge_class_or_404(slug, published_only=False)
    if badge_class.image is not None:
        return _file_response(badge_class.image.data, badge_class.image.content_type)
    svg = placeholder_badge_svg(badge_class.name_fr, badge_class.family)
    return _file_response(svg, "image/svg+xml")


def _file_response(data: bytes, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)

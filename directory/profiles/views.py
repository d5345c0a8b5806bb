"""Public profile pages and the directory listing."""

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.extensions import db
from directory.profiles.models import Profile

bp = Blueprint("profiles", __name__)


def visible_levels() -> tuple[str, ...]:
    """Visibility levels the current visitor may see."""
    return ("public", "partners") if current_user.is_authenticated else ("public",)


def get_profile_or_404(slug: str) -> Profile:
    """Load a profile the current visitor may see."""
    profile = db.session.scalar(select(Profile).where(Profile.slug == slug))
    if profile is None:
        abort(404)
    owner = current_user.is_authenticated and profile.user_id == current_user.id
    if not owner and profile.visibility not in visible_levels():
        abort(404)
    return profile


@bp.get("/profiles/<slug>")
def show(slug: str):
    profile = get_profile_or_404(slug)
    awards = db.session.scalars(
        select(Award)
        .where(
            Award.profile_id == profile.id,
            Award.visibility.in_(visible_levels()),
        )
        .options(
            selectinload(Award.badge_class).selectinload(BadgeClass.issuer),
            selectinload(Award.badge_class).selectinload(BadgeClass.competencies),
        )
        .order_by(Award.featured.desc(), Award.position, Award.id)
    ).all()
    return render_template("profiles/show.html", profile=profile, awards=awards)


@bp.get("/search")
def search():
    q = request.args.get("q", "").strip()
    query = select(Profile).where(Profile.visibility == "public", Profile.listing_consent.is_(True))
    if q:
        like = f"%{q}%"
        fields = (Profile.display_name, Profile.headline, Profile.company_name, Profile.commune)
        query = query.where(or_(*(field.ilike(like) for field in fields)))
    page = db.paginate(
        query.order_by(Profile.display_name), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    return render_template("profiles/search.html", page=page, q=q)

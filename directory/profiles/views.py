"""Public side of profiles: the page, its images and evidence files, the short link, the contact form."""

from flask import Blueprint
from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from directory.badges.models import Award
from directory.badges.models import Evidence
from directory.core.i18n import locale_code
from directory.core.images import placeholder_badge_svg
from directory.core.models import StoredFile
from directory.core.pagecache import cached_page
from directory.extensions import db
from directory.extensions import limiter
from directory.profiles import contact
from directory.profiles import sharing
from directory.profiles.forms import ContactForm
from directory.profiles.models import Profile
from directory.profiles.serialisers import json_ld
from directory.profiles.serialisers import og_image
from directory.profiles.serialisers import profile_view
from directory.profiles.serialisers import sees
from directory.profiles.serialisers import sees_field
from directory.profiles.serialisers import viewer_for

bp = Blueprint("profiles", __name__)
CONTACT_LIMIT = "5 per hour"


def get_profile_or_404(slug: str) -> tuple[Profile, str]:
    """A profile and who the visitor is to it; 404 when they may not see it (existence is not revealed)."""
    profile = db.session.scalar(select(Profile).where(Profile.slug == slug))
    viewer = viewer_for(profile, current_user)
    if profile is None or not (viewer == "owner" or sees(viewer, profile.visibility)):
        abort(404)
    return profile, viewer


def get_visible_award_or_404(profile: Profile, viewer: str, award_uuid: str) -> Award:
    """A badge of this profile the visitor may see."""
    award = db.session.scalar(select(Award).where(Award.uuid == award_uuid, Award.profile_id == profile.id))
    if award is None or not sees(viewer, award.visibility):
        abort(404)
    return award


def render_profile(profile: Profile, viewer: str, preview: str | None = None, status: int = 200):
    """The profile page as ``viewer`` sees it (also the owner's preview)."""
    view = profile_view(profile, viewer, locale_code())
    if view is None:
        return render_template("profiles/preview_hidden.html", profile=profile, preview=preview), status
    contactable = viewer != "owner" and view.accepts_contact and contact.can_be_contacted(profile)
    return render_template(
        "profiles/show.html", view=view, preview=preview, json_ld=json_ld(view), og_image=og_image(view),
        contactable=contactable,
    ), status


def get_contactable_profile_or_404(slug: str) -> Profile:
    """A profile the visitor may write to: visible, not their own, accepting messages."""
    profile, viewer = get_profile_or_404(slug)
    if viewer == "owner" or not contact.can_be_contacted(profile):
        abort(404)
    return profile


@bp.get("/profiles/<slug>")
@cached_page
def show(slug: str):
    profile, viewer = get_profile_or_404(slug)
    return render_profile(profile, viewer)


@bp.get("/profiles/<slug>/photo")
def photo(slug: str):
    profile, _ = get_profile_or_404(slug)
    if profile.photo is None:
        abort(404)
    return _private_file(profile.photo.data, profile.photo.content_type)


@bp.get("/profiles/<slug>/badges/<award_uuid>/image")
def award_image(slug: str, award_uuid: str):
    profile, viewer = get_profile_or_404(slug)
    award = get_visible_award_or_404(profile, viewer, award_uuid)
    if award.imported_image_id is not None:
        stored = db.session.get(StoredFile, award.imported_image_id)
        return _private_file(stored.data, stored.content_type)
    name = (award.imported_summary or {}).get("name") or "Badge"
    return _private_file(placeholder_badge_svg(name, award.uuid), "image/svg+xml")


@bp.get("/profiles/<slug>/preuves/<evidence_uuid>")
def evidence_file(slug: str, evidence_uuid: str):
    profile, viewer = get_profile_or_404(slug)
    evidence = db.session.scalar(select(Evidence).where(Evidence.uuid == evidence_uuid))
    award = db.session.get(Award, evidence.award_id) if evidence is not None and evidence.award_id else None
    if award is None or evidence.file is None or not sees_field(viewer, "evidence"):
        abort(404)
    get_visible_award_or_404(profile, viewer, award.uuid)
    response = _private_file(evidence.file.data, evidence.file.content_type)
    # Served as a download: an uploaded file is never rendered on our origin.
    response.headers["Content-Disposition"] = f'attachment; filename="{evidence.uuid}"'
    return response


@bp.get("/p/<code>")
def short_link(code: str):
    profile = sharing.profile_for_code(code)
    if profile is None:
        abort(404)
    return redirect(url_for("profiles.show", slug=profile.slug), 302)


@bp.get("/profiles/<slug>/contact")
def contact_form(slug: str):
    # A page of its own: the form's CSRF token is one visitor's, so the cached profile page cannot carry it.
    profile = get_contactable_profile_or_404(slug)
    return render_template("profiles/contact.html", profile=profile, form=ContactForm())


@bp.post("/profiles/<slug>/contact")
@limiter.limit(CONTACT_LIMIT, methods=["POST"])
def send_message(slug: str):
    profile = get_contactable_profile_or_404(slug)
    form = ContactForm()
    if not form.validate_on_submit():
        return render_template("profiles/contact.html", profile=profile, form=form), 400
    message = contact.leave_message(profile, form.name.data, form.email.data, form.body.data)
    db.session.commit()
    contact.relay(message)
    flash(_l("Votre message a été transmis. Votre adresse ne sera communiquée que si la personne vous répond."), "success")
    return redirect(url_for("profiles.show", slug=slug, _anchor="contact"))


def _private_file(data: bytes, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    # What a viewer may see depends on who they are: never kept by shared caches.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response.make_conditional(request)

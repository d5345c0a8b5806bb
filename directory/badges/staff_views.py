"""Issuer staff screens for badge classes: drafting, competencies, review by the committee and partners.

Every route loads and checks in one helper (``member_required`` then ``get_badge_class_or_404``),
calls a service from ``lifecycle``, commits once, and redirects.
"""

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from directory.accounts.permissions import login_required
from directory.accounts.permissions import member_required
from directory.accounts.permissions import role_required
from directory.badges import lifecycle
from directory.badges.competencies import competencies_by_ids
from directory.badges.competencies import competency_summary
from directory.badges.competencies import search_competencies
from directory.badges.forms import BadgeClassForm
from directory.badges.forms import PartnerForm
from directory.badges.forms import ReviewForm
from directory.badges.labels import error_message
from directory.badges.labels import template_labels
from directory.badges.models import BADGE_CLASS_STATES
from directory.badges.models import Application
from directory.badges.models import BadgeClass
from directory.badges.services import EDITOR_ROLES
from directory.badges.services import STAFF_ROLES
from directory.badges.services import IssuingError
from directory.badges.services import staff_organisations
from directory.core.i18n import locale_code
from directory.core.images import ImageError
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

bp = Blueprint("staff", __name__, static_folder="static", static_url_path="/emetteur/static")
# Globals, not a context processor: imported macros see only globals.
bp.record_once(lambda state: state.app.jinja_env.globals.update(
    template_labels(), format_datetime=format_datetime, staff_organisations=lambda: staff_organisations(current_user)
))


# --------------------------------------------------------------------- loaders


def issuer_of(membership: Membership) -> Organisation:
    """The issuer a staff membership opens; partner organisations have no staff area."""
    if not membership.organisation.is_issuer:
        abort(404)
    return membership.organisation


def get_badge_class_or_404(organisation: Organisation, badge_uuid) -> BadgeClass:
    """One of the issuer's badge classes."""
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.uuid == str(badge_uuid)))
    if badge_class is None or badge_class.issuer_id != organisation.id:
        abort(404)
    return badge_class


def get_reviewable_or_404(badge_uuid) -> tuple[BadgeClass, Organisation]:
    """A class the current user reviews (committee or invited partner), and in whose name."""
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.uuid == str(badge_uuid)))
    if badge_class is None:
        abort(404)
    organisation = lifecycle.reviewer_organisation(current_user, badge_class)
    if organisation is None:
        abort(403)
    return badge_class, organisation


def refused(error: IssuingError) -> None:
    """Undo the request's changes and tell why."""
    db.session.rollback()
    flash(error_message(error), "error")


# --------------------------------------------------------------------- overview


@bp.get("/emetteur")
@login_required
def home():
    organisations = staff_organisations(current_user)
    if len(organisations) == 1:
        return redirect(url_for("staff.overview", slug=organisations[0].slug))
    return render_template("badges/staff/home.html", organisations=organisations)


@bp.get("/emetteur/<slug>")
@member_required(*STAFF_ROLES)
def overview(membership: Membership):
    issuer = issuer_of(membership)
    state = request.args.get("etat")
    query = select(BadgeClass).where(BadgeClass.issuer_id == issuer.id)
    if state in BADGE_CLASS_STATES:
        query = query.where(BadgeClass.state == state)
    page = db.paginate(query.order_by(BadgeClass.updated_at.desc()), per_page=current_app.config["PER_PAGE"], error_out=False)
    to_assess = db.session.scalar(
        select(func.count(Application.id)).join(BadgeClass).where(
            BadgeClass.issuer_id == issuer.id, Application.state == "submitted"
        )
    )
    return render_template("badges/staff/overview.html", issuer=issuer, membership=membership, page=page, state=state, to_assess=to_assess)


# --------------------------------------------------------------------- drafting


@bp.route("/emetteur/<slug>/badges/nouveau", methods=["GET", "POST"])
@member_required(*EDITOR_ROLES)
def create(membership: Membership):
    issuer = issuer_of(membership)
    form = BadgeClassForm()
    picked = competencies_by_ids(request.form.getlist("competency_ids"))
    if request.form.get("action") != "search" and form.validate_on_submit():
        badge_class = lifecycle.create_badge_class(issuer, current_user, form.content(), picked)
        if _store_image(form, badge_class):
            db.session.commit()
            flash(_l("Brouillon enregistré."), "success")
            return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))
    return _form_page(form, issuer, picked, None)


@bp.route("/emetteur/<slug>/badges/<uuid:badge_uuid>/modifier", methods=["GET", "POST"])
@member_required(*EDITOR_ROLES)
def edit(membership: Membership, badge_uuid):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    form = BadgeClassForm()
    if request.method == "GET":
        form.fill(badge_class)
    picked = competencies_by_ids(request.form.getlist("competency_ids")) if request.method == "POST" else badge_class.competencies
    if request.form.get("action") != "search" and form.validate_on_submit():
        try:
            lifecycle.update_badge_class(badge_class, current_user, form.content(), picked)
        except IssuingError as error:
            refused(error)
            return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))
        if _store_image(form, badge_class):
            db.session.commit()
            flash(_l("Modifications enregistrées."), "success")
            return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))
    return _form_page(form, issuer, picked, badge_class)


def _store_image(form: BadgeClassForm, badge_class: BadgeClass) -> bool:
    """Store the uploaded image, if any; on a refused image undo everything and say why."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        return True
    try:
        lifecycle.set_image(badge_class, upload.read(), upload.filename)
    except ImageError as error:
        db.session.rollback()
        form.image.errors = [error.message(locale_code())]
        return False
    return True


def _form_page(form: BadgeClassForm, issuer: Organisation, picked: list, badge_class: BadgeClass | None):
    query = form.competency_query.data or ""
    results = [c for c in search_competencies(query) if c not in picked] if request.form.get("action") == "search" else []
    return render_template(
        "badges/staff/form.html", form=form, issuer=issuer, picked=picked, results=results, query=query, badge_class=badge_class
    )


@bp.get("/emetteur/competences")
@role_required(*STAFF_ROLES)
def competency_search():
    found = search_competencies(request.args.get("q", ""), limit=12)
    return jsonify({"results": [competency_summary(c, locale_code()) for c in found]})


# --------------------------------------------------------------------- one class


@bp.get("/emetteur/<slug>/badges/<uuid:badge_uuid>")
@member_required(*STAFF_ROLES)
def show(membership: Membership, badge_uuid):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    return render_template(
        "badges/staff/show.html",
        issuer=issuer,
        membership=membership,
        badge_class=badge_class,
        trail=lifecycle.review_trail(badge_class),
        approvals=lifecycle.approvals(badge_class),
        missing=lifecycle.missing_approvals(badge_class),
        versions=lifecycle.versions(badge_class),
        awarded=lifecycle.has_awards(badge_class),
        partner_form=_partner_form(badge_class),
        can_edit=membership.role in EDITOR_ROLES,
        can_review=lifecycle.reviewer_organisation(current_user, badge_class) is not None,
    )


def _partner_form(badge_class: BadgeClass) -> PartnerForm:
    invited = {p.organisation_id for p in badge_class.partners}
    candidates = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind != "issuer", Organisation.verification_state == "verified")
        .order_by(Organisation.name)
    )
    form = PartnerForm()
    form.organisation_id.choices = [SelectChoice(o.id, o.name) for o in candidates if o.id not in invited]
    return form


ACTIONS = {
    "soumettre": (lifecycle.submit_for_review, _l("Badge envoyé en relecture.")),
    "publier": (lifecycle.publish, _l("Badge publié : il peut être attribué.")),
}


@bp.post("/emetteur/<slug>/badges/<uuid:badge_uuid>/<any(soumettre, publier):action>")
@member_required(*EDITOR_ROLES)
def transition(membership: Membership, badge_uuid, action: str):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    service, done = ACTIONS[action]
    try:
        service(badge_class, current_user)
    except IssuingError as error:
        refused(error)
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))


@bp.post("/emetteur/<slug>/badges/<uuid:badge_uuid>/nouvelle-version")
@member_required(*EDITOR_ROLES)
def new_version(membership: Membership, badge_uuid):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    try:
        draft = lifecycle.new_version(badge_class, current_user)
    except IssuingError as error:
        refused(error)
        return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))
    db.session.commit()
    flash(_l("Nouvelle version en brouillon : les badges déjà attribués restent liés à l'ancienne."), "success")
    return redirect(url_for("staff.edit", slug=issuer.slug, badge_uuid=draft.uuid))


@bp.route("/emetteur/<slug>/badges/<uuid:badge_uuid>/<any(archiver, supprimer):action>", methods=["GET", "POST"])
@member_required(*EDITOR_ROLES)
def destroy(membership: Membership, badge_uuid, action: str):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    if request.method == "GET":
        return render_template("badges/staff/confirm_class.html", issuer=issuer, badge_class=badge_class, action=action)
    try:
        if action == "archiver":
            lifecycle.archive(badge_class, current_user)
        else:
            lifecycle.delete_draft(badge_class, current_user)
    except IssuingError as error:
        refused(error)
        return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))
    db.session.commit()
    flash(_l("Badge archivé.") if action == "archiver" else _l("Brouillon supprimé."), "success")
    return redirect(url_for("staff.overview", slug=issuer.slug))


@bp.post("/emetteur/<slug>/badges/<uuid:badge_uuid>/partenaires")
@member_required(*EDITOR_ROLES)
def invite(membership: Membership, badge_uuid):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    form = _partner_form(badge_class)
    organisation = db.session.get(Organisation, form.organisation_id.data) if form.validate_on_submit() else None
    try:
        lifecycle.invite_partner(badge_class, organisation or abort(400), form.role.data, current_user)
    except IssuingError as error:
        refused(error)
    else:
        db.session.commit()
        flash(_l("Partenaire invité."), "success")
    return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))


@bp.post("/emetteur/<slug>/badges/<uuid:badge_uuid>/partenaires/<int:organisation_id>/retirer")
@member_required(*EDITOR_ROLES)
def uninvite(membership: Membership, badge_uuid, organisation_id: int):
    issuer = issuer_of(membership)
    badge_class = get_badge_class_or_404(issuer, badge_uuid)
    lifecycle.remove_partner(badge_class, organisation_id, current_user)
    db.session.commit()
    return redirect(url_for("staff.show", slug=issuer.slug, badge_uuid=badge_class.uuid))


# --------------------------------------------------------------------- review by committee and partners


@bp.get("/relectures")
@login_required
def reviews():
    in_review = db.session.scalars(
        select(BadgeClass).where(BadgeClass.state == "in_review").order_by(BadgeClass.updated_at.desc())
    )
    mine = [b for b in in_review if lifecycle.reviewer_organisation(current_user, b) is not None]
    return render_template("badges/staff/reviews.html", badge_classes=mine)


@bp.route("/relectures/<uuid:badge_uuid>", methods=["GET", "POST"])
@login_required
def review(badge_uuid):
    badge_class, organisation = get_reviewable_or_404(badge_uuid)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            lifecycle.add_review(badge_class, current_user, form.decision.data, form.comment.data or "")
        except IssuingError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_l("Votre avis est enregistré."), "success")
            return redirect(url_for("staff.review", badge_uuid=badge_class.uuid))
    return render_template(
        "badges/staff/review.html",
        badge_class=badge_class,
        organisation=organisation,
        form=form,
        trail=lifecycle.review_trail(badge_class),
        missing=lifecycle.missing_approvals(badge_class),
    )

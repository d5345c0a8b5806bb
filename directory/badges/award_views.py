"""Issuer staff screens for awarding: applications to assess, direct and bulk awards, revocations.

Same pattern as ``staff_views``: load and check, call a service, commit once; e-mails go out
only after the commit.
"""

from datetime import UTC
from datetime import datetime
from datetime import time

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from directory.accounts.permissions import member_required
from directory.badges import applications
from directory.badges import awarding
from directory.badges import bulk
from directory.badges import notifications
from directory.badges.application_views import evidence_file_response
from directory.badges.forms import BulkUploadForm
from directory.badges.forms import DecisionForm
from directory.badges.forms import DirectAwardForm
from directory.badges.forms import ReasonForm
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import BulkAwardJob
from directory.badges.services import REVIEWER_ROLES
from directory.badges.services import STAFF_ROLES
from directory.badges.services import IssuingError
from directory.badges.staff_views import issuer_of
from directory.badges.staff_views import refused
from directory.core.db import utcnow
from directory.core.job_views import start_job
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

bp = Blueprint("staff_awards", __name__)


def get_application_or_404(issuer: Organisation, application_uuid) -> Application:
    """An application for one of the issuer's classes (drafts stay private to their author)."""
    application = db.session.scalar(select(Application).where(Application.uuid == str(application_uuid)))
    if application is None or application.badge_class.issuer_id != issuer.id or application.state == "draft":
        abort(404)
    return application


def get_award_or_404(issuer: Organisation, award_uuid) -> Award:
    """An award of one of the issuer's classes."""
    award = db.session.scalar(select(Award).where(Award.uuid == str(award_uuid)))
    if award is None or award.badge_class is None or award.badge_class.issuer_id != issuer.id:
        abort(404)
    return award


def published_classes(issuer: Organisation) -> list[BadgeClass]:
    """The classes the issuer may award now."""
    query = select(BadgeClass).where(BadgeClass.issuer_id == issuer.id, BadgeClass.state == "published")
    return list(db.session.scalars(query.order_by(BadgeClass.name_fr)))


# --------------------------------------------------------------------- applications


@bp.get("/emetteur/<slug>/candidatures")
@member_required(*STAFF_ROLES)
def applications_list(membership: Membership):
    issuer = issuer_of(membership)
    state = request.args.get("etat", "submitted")
    query = (
        select(Application)
        .join(BadgeClass)
        .where(BadgeClass.issuer_id == issuer.id, Application.state == state, Application.state != "draft")
        .options(selectinload(Application.badge_class))
        .order_by(Application.submitted_at)
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("badges/staff/applications.html", issuer=issuer, page=page, state=state)


@bp.route("/emetteur/<slug>/candidatures/<uuid:application_uuid>", methods=["GET", "POST"])
@member_required(*REVIEWER_ROLES)
def assess(membership: Membership, application_uuid):
    issuer = issuer_of(membership)
    application = get_application_or_404(issuer, application_uuid)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            issued = applications.decide(application, current_user, form.decision.data, form.reason.data or "")
        except IssuingError as error:
            refused(error)
            return redirect(request.path)
        db.session.commit()
        _after_decision(application, issued)
        return redirect(url_for("staff_awards.applications_list", slug=issuer.slug))
    return render_template(
        "badges/staff/application.html", issuer=issuer, application=application, form=form,
        own=application.applicant_id == current_user.id,
    )


def _after_decision(application: Application, issued: awarding.Issued | None) -> None:
    if issued is not None:
        notifications.notify_awarded(issued)
        flash(_l("Candidature acceptée : le badge est attribué."), "success")
    else:
        notifications.notify_decision(application)
        flash(_l("Décision enregistrée : la personne a été prévenue."), "success")


@bp.get("/emetteur/<slug>/candidatures/<uuid:application_uuid>/preuves/<uuid:evidence_uuid>")
@member_required(*STAFF_ROLES)
def evidence_file(membership: Membership, application_uuid, evidence_uuid):
    application = get_application_or_404(issuer_of(membership), application_uuid)
    return evidence_file_response(application, evidence_uuid)


# --------------------------------------------------------------------- awards


@bp.get("/emetteur/<slug>/attributions")
@member_required(*STAFF_ROLES)
def awards(membership: Membership):
    issuer = issuer_of(membership)
    query = (
        select(Award)
        .join(BadgeClass, Award.badge_class_id == BadgeClass.id)
        .where(BadgeClass.issuer_id == issuer.id)
        .options(selectinload(Award.badge_class))
        .order_by(Award.issued_on.desc(), Award.id.desc())
    )
    if badge := request.args.get("badge"):
        query = query.where(BadgeClass.slug == badge)
    page = db.paginate(query, per_page=50, error_out=False)
    now = utcnow()
    return render_template(
        "badges/staff/awards.html", issuer=issuer, page=page, badge=badge, classes=_all_classes(issuer),
        status=lambda award: awarding.award_status(award, now),
    )


def _all_classes(issuer: Organisation) -> list[BadgeClass]:
    query = select(BadgeClass).where(BadgeClass.issuer_id == issuer.id, BadgeClass.state.in_(("published", "archived")))
    return list(db.session.scalars(query.order_by(BadgeClass.name_fr)))


@bp.route("/emetteur/<slug>/attributions/nouvelle", methods=["GET", "POST"])
@member_required(*REVIEWER_ROLES)
def direct_award(membership: Membership):
    issuer = issuer_of(membership)
    form = DirectAwardForm()
    form.badge_class.choices = [SelectChoice(c.uuid, c.name_fr) for c in published_classes(issuer)]
    if form.validate_on_submit():
        badge_class = next(c for c in published_classes(issuer) if c.uuid == form.badge_class.data)
        issued_on = datetime.combine(form.issued_on.data, time(), UTC) if form.issued_on.data else None
        try:
            issued = awarding.award_badge(
                badge_class, form.email.data, form.name.data, current_user, issued_on=issued_on,
                evidence_url=form.evidence_url.data or None, narrative=form.narrative.data or "",
            )
        except IssuingError as error:
            refused(error)
        else:
            db.session.commit()
            notifications.notify_awarded(issued)
            flash(_l("Badge attribué : un e-mail invite la personne à le récupérer."), "success")
            return redirect(url_for("staff_awards.awards", slug=issuer.slug))
    return render_template("badges/staff/award_form.html", issuer=issuer, form=form)


@bp.route("/emetteur/<slug>/attributions/<uuid:award_uuid>/revoquer", methods=["GET", "POST"])
@member_required(*REVIEWER_ROLES)
def revoke(membership: Membership, award_uuid):
    issuer = issuer_of(membership)
    award = get_award_or_404(issuer, award_uuid)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            awarding.revoke_award(award, form.reason.data, current_user)
        except IssuingError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_l("Badge révoqué."), "success")
        return redirect(url_for("staff_awards.awards", slug=issuer.slug))
    return render_template("badges/staff/revoke.html", issuer=issuer, awards=[award], form=form)


@bp.post("/emetteur/<slug>/attributions/revoquer")
@member_required(*REVIEWER_ROLES)
def revoke_many(membership: Membership):
    issuer = issuer_of(membership)
    chosen = [get_award_or_404(issuer, value) for value in request.form.getlist("award") if len(value) == 36]
    if not chosen:
        flash(_l("Cochez au moins un badge à révoquer."), "error")
        return redirect(url_for("staff_awards.awards", slug=issuer.slug))
    form = ReasonForm()
    if request.form.get("confirm") == "1" and form.validate_on_submit():
        args = ([award.id for award in chosen], form.reason.data, current_user.id)
        back = url_for("staff_awards.awards", slug=issuer.slug)
        return start_job("directory.badges.awarding.revoke_job", *args, kind="bulk_revoke", back=back)
    return render_template("badges/staff/revoke.html", issuer=issuer, awards=chosen, form=form, many=True)


# --------------------------------------------------------------------- bulk awards


@bp.route("/emetteur/<slug>/attributions/import", methods=["GET", "POST"])
@member_required(*REVIEWER_ROLES)
def bulk_upload(membership: Membership):
    issuer = issuer_of(membership)
    form = BulkUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        job = bulk.create_job(issuer, current_user, upload.filename, bulk.decode(upload.read()))
        db.session.commit()
        return redirect(url_for("staff_awards.bulk_preview", slug=issuer.slug, job_uuid=job.uuid))
    return render_template("badges/staff/import.html", issuer=issuer, form=form, classes=published_classes(issuer))


def get_job_or_404(issuer: Organisation, job_uuid) -> BulkAwardJob:
    """One of the issuer's uploaded files."""
    job = db.session.scalar(select(BulkAwardJob).where(BulkAwardJob.uuid == str(job_uuid)))
    if job is None or job.organisation_id != issuer.id:
        abort(404)
    return job


@bp.route("/emetteur/<slug>/attributions/import/<uuid:job_uuid>", methods=["GET", "POST"])
@member_required(*REVIEWER_ROLES)
def bulk_preview(membership: Membership, job_uuid):
    issuer = issuer_of(membership)
    job = get_job_or_404(issuer, job_uuid)
    if request.method == "POST" and job.state == "preview":
        back = url_for("staff_awards.awards", slug=issuer.slug)
        return start_job("directory.badges.bulk.run_job", job.id, current_user.id, kind="bulk_award", back=back)
    plan = bulk.plan_bulk_award(job.content, issuer) if job.state == "preview" else None
    return render_template("badges/staff/import_preview.html", issuer=issuer, job=job, plan=plan)

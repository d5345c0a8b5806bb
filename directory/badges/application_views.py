"""Entrepreneurs' screens: applying for a badge with evidence, following it, claiming a badge received."""

from flask import Blueprint
from flask import Response
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

from directory.accounts import services as accounts
from directory.accounts.permissions import login_required
from directory.accounts.views import start_session
from directory.badges import applications
from directory.badges import awarding
from directory.badges.forms import ApplicationForm
from directory.badges.labels import error_message
from directory.badges.models import Application
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.services import IssuingError
from directory.core.db import utcnow
from directory.extensions import db

bp = Blueprint("applications", __name__)


def get_own_application_or_404(application_uuid) -> Application:
    """One of the current user's applications."""
    application = db.session.scalar(select(Application).where(Application.uuid == str(application_uuid)))
    if application is None or application.applicant_id != current_user.id:
        abort(404)
    return application


def evidence_file_response(application: Application, evidence_uuid) -> Response:
    """An evidence file as a download: never rendered inline, so it cannot run in our origin."""
    evidence = next((e for e in application.evidence if e.uuid == str(evidence_uuid) and e.file), None)
    if evidence is None:
        abort(404)
    response = Response(evidence.file.data, mimetype=evidence.file.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{evidence.uuid}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/candidatures")
@login_required
def index():
    query = (
        select(Application)
        .where(Application.applicant_id == current_user.id)
        .options(selectinload(Application.badge_class))
        .order_by(Application.created_at.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    awards = db.session.scalars(
        select(Award).where(Award.recipient_id == current_user.id, Award.source == "issued").order_by(Award.issued_on.desc())
    ).all()
    now = utcnow()
    return render_template(
        "applications/index.html", page=page, awards=awards, status=lambda award: awarding.award_status(award, now)
    )


@bp.post("/badges/<slug>/candidater")
@login_required
def start(slug: str):
    badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.slug == slug)) or abort(404)
    try:
        application = applications.start_application(badge_class, current_user)
    except IssuingError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("badges.show", slug=slug))
    db.session.commit()
    return redirect(url_for("applications.edit", application_uuid=application.uuid))


@bp.route("/candidatures/<uuid:application_uuid>", methods=["GET", "POST"])
@login_required
def edit(application_uuid):
    application = get_own_application_or_404(application_uuid)
    form = ApplicationForm(obj=None)
    if request.method == "GET":
        _fill(form, application)
    editable = application.state in applications.EDITABLE_STATES
    if editable and form.validate_on_submit():
        try:
            _save(form, application)
        except IssuingError as error:
            db.session.rollback()
            flash(error_message(error), "error")
            return redirect(request.path)
        db.session.commit()
        flash(_saved_message(application), "success")
        return redirect(request.path)
    return render_template(
        "applications/edit.html", application=application, form=form, editable=editable,
        reason=applications.last_reason(application),
    )


def _fill(form: ApplicationForm, application: Application) -> None:
    form.narrative.data = application.narrative
    form.links.data = "\n".join(e.url for e in application.evidence if e.url)
    form.email.data = application.email


def _save(form: ApplicationForm, application: Application) -> None:
    """Save the text and links, add the files, and send when asked."""
    applications.update_application(application, form.narrative.data, (form.links.data or "").splitlines(), form.email.data)
    for upload in form.files.data or []:
        if getattr(upload, "filename", ""):
            applications.add_evidence_file(application, upload.read(), upload.filename)
    if request.form.get("action") == "submit":
        applications.submit_application(application, current_user)


def _saved_message(application: Application) -> str:
    if application.state == "submitted":
        return str(_l("Candidature envoyée : vous serez prévenu par e-mail de la décision."))
    return str(_l("Brouillon enregistré."))


@bp.post("/candidatures/<uuid:application_uuid>/preuves/<uuid:evidence_uuid>/retirer")
@login_required
def remove_evidence(application_uuid, evidence_uuid):
    application = get_own_application_or_404(application_uuid)
    evidence = next((e for e in application.evidence if e.uuid == str(evidence_uuid)), None) or abort(404)
    try:
        applications.remove_evidence(application, evidence)
    except IssuingError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("applications.edit", application_uuid=application.uuid))


@bp.get("/candidatures/<uuid:application_uuid>/preuves/<uuid:evidence_uuid>")
@login_required
def evidence_file(application_uuid, evidence_uuid):
    return evidence_file_response(get_own_application_or_404(application_uuid), evidence_uuid)


# --------------------------------------------------------------------- claiming a badge received by e-mail


@bp.route("/recuperer-un-badge/<token>", methods=["GET", "POST"])
def claim(token: str):
    award = awarding.claimable_award(token)
    if award is None:
        return render_template("applications/claim.html", award=None), 410
    if request.method == "GET":
        # A button, not an action on GET: mail scanners open links, only people press buttons.
        return render_template("applications/claim.html", award=award)
    user = current_user if current_user.is_authenticated else _sign_in_recipient(award)
    awarding.claim_award(award, user)
    db.session.commit()
    flash(_l("Le badge « %(name)s » a rejoint votre profil.", name=award.badge_class.name_fr), "success")
    return redirect(url_for("applications.index"))


def _sign_in_recipient(award: Award):
    """The link proved the address, as a one-time sign-in link does: sign in as its owner."""
    identity = accounts.sign_in_with_email(award.recipient_email)
    db.session.flush()
    start_session(identity, None)
    return identity.user

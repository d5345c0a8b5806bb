"""The holder curates badges: visibility, order, featured, collections, evidence, import, re-verification."""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from directory.accounts.permissions import login_required
from directory.badges.models import Award
from directory.badges.models import Evidence
from directory.core.i18n import locale_code
from directory.core.job_views import start_job
from directory.extensions import db
from directory.extensions import limiter
from directory.profiles import curation
from directory.profiles import importing
from directory.profiles.account_views import my_profile
from directory.profiles.uploads import upload_of
from directory.profiles.forms import AwardCurationForm
from directory.profiles.forms import CollectionAwardsForm
from directory.profiles.forms import CollectionForm
from directory.profiles.forms import EvidenceForm
from directory.profiles.forms import ImportForm
from directory.profiles.forms import MoveForm
from directory.profiles.models import Collection
from directory.profiles.serialisers import profile_view

# Each run fetches every imported badge of the user again from its issuer.
REVERIFY_ALL_LIMIT = "5 per hour"
bp = Blueprint("profile_badges", __name__, url_prefix="/mon-profil")
CURATION_ERRORS = {
    "visibility": _l("Ce choix de visibilité n'existe pas."),
    "too_many_featured": _l("Trois badges au plus peuvent être à la une : retirez-en un d'abord."),
    "collection_name": _l("Donnez un nom à la collection."),
    "too_many_collections": _l("Vous avez atteint le nombre maximal de collections."),
    "evidence_empty": _l("Ajoutez un texte, un lien ou un fichier."),
}
EVIDENCE_TYPES = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_EVIDENCE_BYTES = 5_000_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def get_my_award_or_404(award_uuid: str) -> Award:
    """A badge on the signed-in person's profile."""
    award = db.session.scalar(select(Award).where(Award.uuid == award_uuid, Award.profile_id == my_profile().id))
    if award is None:
        abort(404)
    return award


def get_my_collection_or_404(collection_id: int) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None or collection.profile.user_id != current_user.id:
        abort(404)
    return collection


@bp.get("/badges")
@login_required
def index():
    profile = my_profile()
    view = profile_view(profile, "owner", locale_code())
    db.session.commit()
    forms = {a.uuid: AwardCurationForm(prefix=a.uuid[:8], data={"visibility": a.visibility, "featured": a.featured}) for a in view.awards}
    memberships = {c.id: {a.uuid for a in c.awards} for c in profile.collections}
    has_imported = any(a.source == "imported" for a in view.awards)
    return render_template("profiles/account/badges.html", profile=profile, view=view, forms=forms,
                           collection_form=CollectionForm(), memberships=memberships, has_imported=has_imported)


@bp.post("/badges/<award_uuid>")
@login_required
def curate(award_uuid: str):
    award = get_my_award_or_404(award_uuid)
    form = AwardCurationForm(prefix=award.uuid[:8])
    try:
        curation.set_award_visibility(award, form.visibility.data)
        curation.set_featured(my_profile(), award, bool(form.featured.data))
    except curation.CurationError as error:
        db.session.rollback()
        flash(CURATION_ERRORS[error.code], "error")
        return redirect(url_for(".index", _anchor=f"badge-{award_uuid}"))
    db.session.commit()
    flash(_l("Badge mis à jour."), "success")
    return redirect(url_for(".index", _anchor=f"badge-{award_uuid}"))


@bp.post("/badges/<award_uuid>/deplacer")
@login_required
def move(award_uuid: str):
    award = get_my_award_or_404(award_uuid)
    form = MoveForm()
    if form.validate_on_submit():
        curation.move(my_profile(), award, -1 if form.direction.data == "up" else 1)
        db.session.commit()
    return redirect(url_for(".index", _anchor=f"badge-{award_uuid}"))


@bp.post("/badges/<award_uuid>/reverifier")
@login_required
@limiter.limit("30 per hour")
def reverify(award_uuid: str):
    award = get_my_award_or_404(award_uuid)
    if award.source != "imported":
        abort(404)
    importing.reverify(award, current_user)
    db.session.commit()
    flash(_l("Le badge a été vérifié à nouveau."), "success")
    return redirect(url_for(".index", _anchor=f"badge-{award_uuid}"))


@bp.post("/badges/reverifier")
@login_required
@limiter.limit(REVERIFY_ALL_LIMIT)
def reverify_all():
    back = url_for(".index")
    return start_job("directory.profiles.importing.reverify_all", current_user.id, kind="reverify", back=back)


@bp.post("/badges/<award_uuid>/retirer")
@login_required
def remove(award_uuid: str):
    award = get_my_award_or_404(award_uuid)
    if award.source != "imported":
        abort(404)
    db.session.delete(award)
    db.session.commit()
    flash(_l("Le badge importé a été retiré de votre profil."), "success")
    return redirect(url_for(".index"))


@bp.route("/badges/importer", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def import_badge():
    profile = my_profile()
    form = ImportForm()
    problem = None
    if form.validate_on_submit():
        try:
            award = importing.import_badge(profile, current_user, _badge_input(form))
        except importing.ImportRefused as refused:
            db.session.rollback()
            problem = refused.message(locale_code())
        else:
            db.session.commit()
            flash(_l("Le badge est vérifié et ajouté à votre profil."), "success")
            return redirect(url_for(".index", _anchor=f"badge-{award.uuid}"))
    db.session.commit()
    status = 400 if (problem or form.errors) else 200
    return render_template("profiles/account/import.html", form=form, problem=problem), status


def _badge_input(form: ImportForm) -> bytes | str:
    upload = upload_of(form.file.data, MAX_IMPORT_BYTES)
    return upload[0] if upload else (form.url.data or "").strip() or (form.credential.data or "").strip()


@bp.route("/badges/<award_uuid>/preuves", methods=["GET", "POST"])
@login_required
def evidence(award_uuid: str):
    award = get_my_award_or_404(award_uuid)
    form = EvidenceForm()
    if form.validate_on_submit() and _add_evidence(award, form):
        db.session.commit()
        flash(_l("La preuve est ajoutée."), "success")
        return redirect(url_for(".evidence", award_uuid=award_uuid))
    db.session.rollback()
    view = profile_view(my_profile(), "owner", locale_code())
    shown = next(a for a in view.awards if a.uuid == award_uuid)
    db.session.commit()
    return render_template("profiles/account/evidence.html", award=award, shown=shown, form=form), 400 if form.errors else 200


def _add_evidence(award: Award, form: EvidenceForm) -> bool:
    """Add the form's evidence; False, with the error on the form, when refused."""
    upload = upload_of(form.file.data, MAX_EVIDENCE_BYTES)
    mime = next((m for magic, m in EVIDENCE_TYPES.items() if upload and upload[0].startswith(magic)), None)
    if upload is not None and (mime is None or len(upload[0]) > MAX_EVIDENCE_BYTES):
        form.file.errors = [_l("Seuls les fichiers PDF, PNG ou JPEG de 5 Mo au plus sont acceptés.")]
        return False
    try:
        curation.add_evidence(award, form.name.data, form.narrative.data, form.url.data or None,
                              (upload[0], mime, upload[1]) if upload else None)
    except curation.CurationError as error:
        form.file.errors = [CURATION_ERRORS[error.code]]
        return False
    return True


@bp.post("/badges/<award_uuid>/preuves/<evidence_uuid>/supprimer")
@login_required
def delete_evidence(award_uuid: str, evidence_uuid: str):
    award = get_my_award_or_404(award_uuid)
    item = db.session.scalar(select(Evidence).where(Evidence.uuid == evidence_uuid, Evidence.award_id == award.id))
    if item is None:
        abort(404)
    curation.delete_evidence(award, item)
    db.session.commit()
    flash(_l("La preuve est supprimée."), "success")
    return redirect(url_for(".evidence", award_uuid=award_uuid))


@bp.post("/collections")
@login_required
def add_collection():
    form = CollectionForm()
    if form.validate_on_submit():
        try:
            curation.add_collection(my_profile(), form.name.data)
        except curation.CurationError as error:
            db.session.rollback()
            flash(CURATION_ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(_l("La collection est créée : cochez ses badges."), "success")
    return redirect(url_for(".index", _anchor="collections"))


@bp.post("/collections/<int:collection_id>")
@login_required
def set_collection(collection_id: int):
    collection = get_my_collection_or_404(collection_id)
    form = CollectionAwardsForm()
    chosen = set(form.awards.data or [])
    awards = [a for a in curation.ordered_awards(collection.profile) if a.uuid in chosen]
    curation.set_collection_awards(collection, awards)
    db.session.commit()
    flash(_l("La collection est enregistrée."), "success")
    return redirect(url_for(".index", _anchor="collections"))


@bp.post("/collections/<int:collection_id>/supprimer")
@login_required
def delete_collection(collection_id: int):
    curation.delete_collection(get_my_collection_or_404(collection_id))
    db.session.commit()
    flash(_l("La collection est supprimée ; ses badges restent sur votre profil."), "success")
    return redirect(url_for(".index", _anchor="collections"))

"""The entrepreneur's own space, /mon-profil: edit, privacy, preview, share, messages, export, erase."""

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
from flask_login import logout_user
from sqlalchemy import select

from directory.accounts.permissions import login_required
from directory.badges.awarding import ensure_profile
from directory.extensions import db
from directory.profiles import contact
from directory.profiles import editing
from directory.profiles import erasure
from directory.profiles import privacy
from directory.profiles import sharing
from directory.profiles.export import export_zip
from directory.profiles.forms import EraseForm
from directory.profiles.forms import PrivacyForm
from directory.profiles.forms import ProfileForm
from directory.profiles.forms import ReplyForm
from directory.profiles.models import ContactMessage
from directory.profiles.models import Profile
from directory.profiles.notices import send_notices
from directory.profiles.photos import PhotoError
from directory.profiles.serialisers import is_partner
from directory.profiles.views import render_profile

bp = Blueprint("profile_account", __name__, url_prefix="/mon-profil")
PREVIEWS = {"visiteur": "anonymous", "partenaire": "partner"}
PHOTO_ERRORS = {
    "empty": _l("Le fichier est vide."),
    "too_large": _l("La photo est trop lourde (5 Mo au plus)."),
    "too_many_pixels": _l("La photo a trop de pixels."),
    "unreadable": _l("Ce fichier n'est pas une photo JPEG, PNG ou WebP lisible."),
}
MAX_PHOTO_BYTES = 5_000_000


@bp.app_context_processor
def profile_link() -> dict:
    """`offers_own_profile()` for the navigation: entrepreneurs (a profile, or no organisation) get "Mon profil"."""
    return {"offers_own_profile": _offers_own_profile}


def _offers_own_profile() -> bool:
    if not current_user.is_authenticated:
        return False
    has_profile = db.session.scalar(select(Profile.id).where(Profile.user_id == current_user.id)) is not None
    return has_profile or not is_partner(current_user)


def my_profile() -> Profile:
    """The signed-in person's profile, created (private, unlisted) on first visit."""
    return ensure_profile(current_user)


@bp.get("")
@login_required
def home():
    profile = my_profile()
    db.session.commit()
    unread = sum(1 for m in profile.messages if m.read_at is None)
    return render_template("profiles/account/home.html", profile=profile, unread=unread)


@bp.route("/modifier", methods=["GET", "POST"])
@login_required
def edit():
    profile = my_profile()
    form = ProfileForm()
    if request.method == "GET":
        form.fill(profile)
    elif form.validate_on_submit() and _save_photo(profile, form):
        editing.update_profile(profile, form.fields(), form.commune_choice())
        db.session.commit()
        flash(_l("Votre profil est enregistré."), "success")
        return redirect(url_for(".edit"))
    db.session.commit()
    return render_template("profiles/account/edit.html", profile=profile, form=form), 400 if form.errors else 200


def _save_photo(profile: Profile, form: ProfileForm) -> bool:
    """Apply the photo change of the form; False (with the error on the field) when refused."""
    if form.remove_photo.data:
        editing.remove_photo(profile)
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return True
    try:
        editing.set_photo(profile, upload.read(MAX_PHOTO_BYTES + 1))
    except PhotoError as error:
        form.photo.errors = [PHOTO_ERRORS[error.code]]
        return False
    return True


@bp.route("/confidentialite", methods=["GET", "POST"])
@login_required
def privacy_settings():
    profile = my_profile()
    form = PrivacyForm(data={"visibility": profile.visibility, "listing_consent": profile.listing_consent})
    if form.validate_on_submit():
        privacy.set_visibility(profile, form.visibility.data)
        if form.listing_consent.data:
            privacy.give_consent(profile)
        else:
            privacy.withdraw_consent(profile)
        db.session.commit()
        flash(_l("Vos choix de confidentialité sont enregistrés."), "success")
        return redirect(url_for(".privacy_settings"))
    db.session.commit()
    return render_template("profiles/account/privacy.html", profile=profile, form=form)


@bp.get("/apercu/<any(visiteur, partenaire):as_who>")
@login_required
def preview(as_who: str):
    profile = my_profile()
    db.session.commit()
    return render_profile(profile, PREVIEWS[as_who], preview=as_who)


@bp.get("/partage")
@login_required
def share():
    profile = my_profile()
    url = sharing.short_url(profile)
    db.session.commit()
    return render_template("profiles/account/share.html", profile=profile, short_url=url)


@bp.get("/partage/qr.<any(png, svg):kind>")
@login_required
def qr_code(kind: str):
    profile = my_profile()
    url = sharing.short_url(profile)
    db.session.commit()
    if kind == "png":
        return _download(sharing.qr_png(url), "image/png", f"badgeons-{profile.slug}.png")
    return _download(sharing.qr_svg(url), "image/svg+xml", f"badgeons-{profile.slug}.svg")


@bp.get("/messages")
@login_required
def messages():
    profile = my_profile()
    db.session.commit()
    return render_template("profiles/account/messages.html", profile=profile)


@bp.route("/messages/<message_uuid>", methods=["GET", "POST"])
@login_required
def message(message_uuid: str):
    item = _my_message_or_404(message_uuid)
    form = ReplyForm()
    if form.validate_on_submit():
        contact.reply(item, form.body.data)
        db.session.commit()
        flash(_l("Votre réponse est envoyée."), "success")
        return redirect(url_for(".message", message_uuid=message_uuid))
    contact.mark_read(item)
    db.session.commit()
    return render_template("profiles/account/message.html", message=item, form=form)


def _my_message_or_404(message_uuid: str) -> ContactMessage:
    item = db.session.scalar(select(ContactMessage).where(ContactMessage.uuid == message_uuid))
    if item is None or item.profile.user_id != current_user.id:
        abort(404)
    return item


@bp.get("/export.zip")
@login_required
def export():
    profile = my_profile()
    data = export_zip(profile)
    db.session.commit()  # signing may have created an issuer's first key
    return _download(data, "application/zip", f"badgeons-{profile.slug}.zip")


@bp.route("/supprimer", methods=["GET", "POST"])
@login_required
def erase():
    form = EraseForm()
    if form.validate_on_submit() and form.confirmation.data.strip().upper() == "SUPPRIMER":
        notices = erasure.erase_account(current_user._get_current_object())
        db.session.commit()
        send_notices(notices)
        logout_user()
        flash(_l("Votre compte et toutes vos données ont été supprimés."), "success")
        return redirect(url_for("core.home"))
    if form.is_submitted():
        form.confirmation.errors = [_l("Écrivez SUPPRIMER pour confirmer.")]
    return render_template("profiles/account/erase.html", form=form), 400 if form.is_submitted() else 200


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


"""Verify a badge: the public page ``/verify`` and the API ``POST /api/v1/verify``."""

import base64
import json
from typing import Any

from flask import Blueprint
from flask import abort
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.validators import ValidationError

from directory.badges import verify_openapi
from directory.badges.verification import verify_for_app
from directory.core import api
from directory.core.i18n import locale_code
from directory.extensions import limiter
from directory.openbadges.verify import Verdict
from directory.openbadges.verify_common import parse_datetime

bp = Blueprint("verify", __name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
# Baked images up to this size are shown back on the result page (as a data: URI, allowed by the CSP).
MAX_PREVIEW_BYTES = 1024 * 1024
RATE_LIMIT = "20/minute"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

CHECK_TITLES = {
    "input": _l("Lecture du badge"),
    "contexts": _l("Vocabulaire Open Badges"),
    "structure": _l("Informations obligatoires"),
    "badge_class": _l("Description du badge"),
    "issuer": _l("Émetteur"),
    "hosted": _l("Publication par l'émetteur"),
    "signature": _l("Signature"),
    "revocation": _l("Révocation"),
    "dates": _l("Dates de validité"),
    "recipient": _l("Titulaire"),
}
OUTCOMES = {  # outcome -> (icon, label): the icon is decoration, the label is read out
    "pass": ("✓", _l("Réussi")),
    "fail": ("✗", _l("Échec")),
    "warning": ("!", _l("À noter")),
    "skipped": ("–", _l("Sans objet")),
}
METHODS = {
    "hosted": _l("publié en ligne par l'émetteur"),
    "signed": _l("signé par l'émetteur (JWS)"),
    "data-integrity": _l("signé par l'émetteur (preuve intégrée)"),
    "vc-jwt": _l("signé par l'émetteur (jeton JWT)"),
}


class VerifyForm(FlaskForm):
    """One of: a file, a URL or a pasted credential; optionally the recipient's e-mail."""

    file = FileField(_l("Image du badge (PNG ou SVG) ou fichier JSON"))
    url = StringField(_l("Adresse web du badge"), validators=[Optional(), Length(max=2048)])
    credential = TextAreaField(
        _l("Contenu du badge (JSON ou jeton JWT)"),
        validators=[Optional(), Length(max=MAX_TEXT_CHARS)],
    )
    recipient = StringField(
        _l("Adresse e-mail du titulaire (facultatif)"),
        validators=[
            Optional(),
            Length(max=320),
            Regexp(EMAIL_PATTERN, message=_l("Cette adresse e-mail n'est pas valide.")),
        ],
    )

    def validate_file(self, field: FileField) -> None:
        """Refuse an empty or oversized file with a clear message."""
        if not isinstance(field.data, FileStorage) or not field.data.filename:
            return
        size = len(field.data.read(MAX_UPLOAD_BYTES + 1))
        field.data.seek(0)
        if size == 0:
            raise ValidationError(_("Le fichier est vide."))
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Le fichier dépasse la taille maximale de 5 Mo."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Also require exactly one thing to verify."""
        valid = super().validate(extra_validators)
        given = [
            bool(self.uploaded()),
            bool((self.url.data or "").strip()),
            bool((self.credential.data or "").strip()),
        ]
        if sum(given) == 0:
            self.form_errors.append(
                _("Choisissez une image, indiquez une adresse web ou collez le contenu du badge.")
            )
        elif sum(given) > 1:
            self.form_errors.append(
                _("Vérifiez un seul badge à la fois : utilisez une seule des trois façons.")
            )
        return valid and sum(given) == 1

    def uploaded(self) -> FileStorage | None:
        """The uploaded file, if one was chosen."""
        data = self.file.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def badge_input(self) -> bytes | str:
        """What to verify: the file's bytes, the URL or the pasted text."""
        uploaded = self.uploaded()
        if uploaded is not None:
            return uploaded.read(MAX_UPLOAD_BYTES)
        return (self.url.data or "").strip() or (self.credential.data or "").strip()


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def page():
    """Show the form and, after a submission, the verdict check by check."""
    form = VerifyForm()
    if not form.is_submitted():
        return render_template("verify/page.html", form=form, verdict=None)
    if not form.validate():
        return render_template("verify/page.html", form=form, verdict=None), 400
    badge_input = form.badge_input()
    verdict = verify_for_app(badge_input, form.recipient.data or None)
    return render_template(
        "verify/page.html",
        form=form,
        verdict=verdict,
        view=verdict_view(verdict),
        preview=_preview(badge_input, verdict),
    )


def verdict_view(verdict: Verdict) -> dict[str, Any]:
    """What the template shows, in the visitor's language."""
    french = locale_code() == "fr"
    checks = [
        {
            "id": check.id,
            "outcome": check.outcome,
            "title": CHECK_TITLES.get(check.id, check.id),
            "icon": OUTCOMES[check.outcome][0],
            "label": OUTCOMES[check.outcome][1],
            "message": check.message_fr if french else check.message_en,
        }
        for check in verdict.checks
    ]
    badge = verdict.badge or {}
    return {
        "checks": checks,
        "method": METHODS.get(verdict.method or ""),
        "issued": parse_datetime(badge.get("issued")),
        "expires": parse_datetime(badge.get("expires")),
    }


def _preview(badge_input: bytes | str, verdict: Verdict) -> str | None:
    """A data: URI of the uploaded baked image, to show it beside the verdict."""
    if (
        not isinstance(badge_input, bytes)
        or verdict.format not in ("png", "svg")
        or verdict.result == "unusable"
    ):
        return None
    if len(badge_input) > MAX_PREVIEW_BYTES:
        return None
    mime = "image/png" if verdict.format == "png" else "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(badge_input).decode('ascii')}"


# ------------------------------------------------------------------ API


@api.bp.post("/verify")
@limiter.limit(RATE_LIMIT)
def verify_api():
    """Verify a badge sent as a file (multipart ``file``) or as JSON ``{"url"|"credential", "recipient"?}``."""
    badge_input, recipient = _api_input()
    verdict = verify_for_app(badge_input, recipient)
    body = verdict.to_json()
    if verdict.result != "unusable":
        return jsonify(body), 200
    message = (
        verdict.checks[0].message_fr if locale_code() == "fr" else verdict.checks[0].message_en
    )
    body["error"] = {"status": 400, "code": "unusable_input", "message": message}
    return jsonify(body), 400


def _api_input() -> tuple[bytes | str, str | None]:
    """The badge and the optional recipient from the request, or a JSON 400/413."""
    uploaded = request.files.get("file")
    if uploaded is not None and uploaded.filename:
        return _uploaded_bytes(uploaded), _string(request.form.get("recipient"), "recipient")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not (payload.get("url") or payload.get("credential")):
        abort(
            400,
            description=_(
                "Envoyez un fichier (champ « file ») ou du JSON avec « url » ou « credential »."
            ),
        )
    credential = payload.get("credential")
    if isinstance(credential, dict):
        credential = json.dumps(credential)
    badge_input = _string(payload.get("url"), "url") or _string(credential, "credential")
    return badge_input or "", _string(payload.get("recipient"), "recipient")


def _uploaded_bytes(uploaded: FileStorage) -> bytes:
    """Read an uploaded file, refusing empty and oversized ones."""
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        abort(400, description=_("Le fichier est vide."))
    if len(data) > MAX_UPLOAD_BYTES:
        abort(413, description=_("Le fichier dépasse la taille maximale de 5 Mo."))
    return data


def _string(value: Any, name: str) -> str | None:
    """A text field of the request, or a 400 when it is not text."""
    if value is None or isinstance(value, str):
        return value.strip() if value else None
    abort(400, description=_("Le champ « %(name)s » doit être du texte.", name=name))


verify_openapi.register()

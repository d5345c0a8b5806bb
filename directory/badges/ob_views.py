"""The published Open Badges ids (table in ``directory.badges.documents``), negotiated.

JSON-LD to verifiers (``application/ld+json``, or ``application/json`` when that is all
the client takes; OB 3.0 credentials as ``application/vc+ld+json``), HTML to browsers.
Views load one object through a helper that 404s, then call a serialiser; those that
sign commit once, because signing creates the organisation's key on first use.
"""

import json
from datetime import UTC
from datetime import datetime
from typing import Any

from flask import Blueprint
from flask import Response
from flask import abort
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from directory.badges import documents
from directory.badges import documents_ob2
from directory.badges import documents_ob3
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.views import show as badge_class_page
from directory.core.errors import handle_http_error
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.organisations.models import SigningKey
from directory.organisations.views import show as organisation_page

bp = Blueprint("ob", __name__)

LD_TYPES = ("application/ld+json", "application/json")
VC_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json")
JWK_TYPES = ("application/jwk+json", "application/json")
JWKS_TYPES = ("application/jwk-set+json", "application/json")


# --------------------------------------------------------------------- negotiation


def wants_html() -> bool:
    """A browser: it prefers HTML to JSON (``*/*`` alone gets JSON)."""
    accept = request.accept_mimetypes
    return accept["text/html"] > max(accept["application/ld+json"], accept["application/json"])


def json_document(document: Any, media_types: tuple[str, ...] = LD_TYPES, status: int = 200) -> Response:
    """``document`` as the first of ``media_types`` the client accepts (else the first)."""
    accept = request.accept_mimetypes
    mimetype = next((m for m in media_types if accept[m]), media_types[0])
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = Response(body, status=status, mimetype=mimetype)
    response.vary.add("Accept")
    return response


def download(data: bytes | str, mimetype: str, filename: str) -> Response:
    """A file to save (baked image, JSON, JWT); the name helps wallets and people."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.errorhandler(404)
@bp.errorhandler(410)
def json_error(error: HTTPException):
    """JSON errors for every caller but a browser (verifiers often send ``*/*``)."""
    if wants_html():
        return handle_http_error(error)
    body = {"error": {"status": error.code, "message": error.description}}
    return jsonify(body), error.code


# --------------------------------------------------------------------- loaders


def _by_uuid(model, value) -> Any:
    """The row of ``model`` with this uuid, or None."""
    return db.session.scalar(select(model).where(model.uuid == str(value)))


def get_organisation_or_404(org_uuid) -> Organisation:
    """An organisation whose Profile is published."""
    organisation = _by_uuid(Organisation, org_uuid)
    if organisation is None or not documents.is_published_organisation(organisation):
        abort(404)
    return organisation


def get_badge_class_or_404(badge_uuid) -> BadgeClass:
    """A published (or archived) badge class."""
    badge_class = _by_uuid(BadgeClass, badge_uuid)
    if badge_class is None or not documents.is_published_badge_class(badge_class):
        abort(404)
    return badge_class


def get_award_or_404(award_uuid, allow_revoked: bool = True) -> Award:
    """An award issued here; 410 when revoked and ``allow_revoked`` is false."""
    award = _by_uuid(Award, award_uuid)
    if award is None or not documents.is_published_award(award):
        abort(404)
    if award.is_revoked and not allow_revoked:
        abort(410)
    return award


def get_endorsement_or_404(endorsement_uuid) -> Endorsement:
    """An active or withdrawn endorsement."""
    endorsement = _by_uuid(Endorsement, endorsement_uuid)
    if endorsement is None or not documents.is_published_endorsement(endorsement):
        abort(404)
    return endorsement


def get_key_or_404(key_id: str) -> SigningKey:
    """A published public key."""
    key = db.session.scalar(select(SigningKey).where(SigningKey.key_id == key_id))
    if key is None:
        abort(404)
    return key


def committed(value: Any) -> Any:
    """Commit the keys signing may have created, then hand ``value`` back."""
    db.session.commit()
    return value


# --------------------------------------------------------------------- issuers and keys


@bp.get("/ob/v2/issuers/<uuid:org_uuid>")
def issuer_v2(org_uuid):
    organisation = get_organisation_or_404(org_uuid)
    if wants_html():
        return organisation_page(organisation.slug)
    return json_document(documents_ob2.issuer_profile(organisation))


@bp.get("/ob/v2/issuers/<uuid:org_uuid>/revocations")
def revocation_list(org_uuid):
    organisation = get_organisation_or_404(org_uuid)
    return json_document(documents_ob2.revocation_list(organisation))


@bp.get("/ob/v3/issuers/<uuid:org_uuid>")
def issuer_v3(org_uuid):
    organisation = get_organisation_or_404(org_uuid)
    if wants_html():
        return organisation_page(organisation.slug)
    return committed(json_document(documents_ob3.profile_document(organisation)))


@bp.get("/ob/v3/issuers/<uuid:org_uuid>/jwks")
def issuer_jwks(org_uuid):
    organisation = get_organisation_or_404(org_uuid)
    return json_document(documents_ob3.jwks([organisation]), JWKS_TYPES)


@bp.get("/.well-known/jwks.json")
def platform_jwks():
    return json_document(documents_ob3.jwks(documents.organisations_with_keys()), JWKS_TYPES)


@bp.get("/ob/v3/issuers/<uuid:org_uuid>/status/<any(revocation, endorsements):purpose>")
def status_list(org_uuid, purpose: str):
    organisation = get_organisation_or_404(org_uuid)
    document = documents_ob3.status_list_credential(organisation, purpose)
    return committed(json_document(document, VC_TYPES))


@bp.get("/ob/keys/<key_id>")
def public_key(key_id: str):
    key = get_key_or_404(key_id)
    accept = request.accept_mimetypes
    if accept["application/jwk+json"] > accept["application/ld+json"]:
        return json_document(documents_ob3.jwk(key), JWK_TYPES)
    if key.algorithm == "RS256":
        return json_document(documents_ob2.cryptographic_key(key))
    return json_document(documents_ob3.multikey(key))


# --------------------------------------------------------------------- badge classes


@bp.get("/ob/v2/badges/<uuid:badge_uuid>")
def badge_class_v2(badge_uuid):
    badge_class = get_badge_class_or_404(badge_uuid)
    if wants_html():
        return badge_class_page(badge_class.slug)
    return json_document(documents_ob2.badge_class(badge_class))


@bp.get("/ob/v3/achievements/<uuid:badge_uuid>")
def achievement(badge_uuid):
    badge_class = get_badge_class_or_404(badge_uuid)
    if wants_html():
        return badge_class_page(badge_class.slug)
    return committed(json_document(documents_ob3.achievement_document(badge_class)))


@bp.get("/ob/images/<uuid:badge_uuid>")
def image(badge_uuid):
    data, mimetype = documents.badge_image(get_badge_class_or_404(badge_uuid))
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)


# --------------------------------------------------------------------- awards


def award_page(award: Award) -> tuple[str, int]:
    """The public award page; a revoked award still explains itself, with 410."""
    html = render_template(
        "badges/award.html",
        award=award,
        badge_class=award.badge_class,
        issuer=award.badge_class.issuer,
        holder=documents.public_holder(award),
        links=documents.award_links(award),
        expired=award.is_expired(datetime.now(UTC)),
    )
    return html, 410 if award.is_revoked else 200


@bp.get("/ob/v2/assertions/<uuid:award_uuid>")
def assertion(award_uuid):
    award = get_award_or_404(award_uuid)
    if wants_html():
        return award_page(award)
    if award.is_revoked:
        return json_document(documents_ob2.revoked_assertion(award), status=410)
    return json_document(documents_ob2.assertion(award))


@bp.get("/ob/v2/assertions/<uuid:award_uuid>.png")
def assertion_png(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    return download(documents_ob2.baked_png(award), "image/png", f"{award.uuid}-ob2.png")


@bp.get("/ob/v2/assertions/<uuid:award_uuid>.svg")
def assertion_svg(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    svg = documents_ob2.baked_svg(award) or abort(404)
    return download(svg, "image/svg+xml", f"{award.uuid}-ob2.svg")


@bp.get("/ob/v2/assertions/<uuid:award_uuid>.jws")
def assertion_jws(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    token = documents_ob2.signed_assertion(award)
    return committed(download(token, "text/plain", f"{award.uuid}-ob2.jws"))


@bp.get("/ob/v3/credentials/<uuid:award_uuid>")
def credential(award_uuid):
    # Still served once revoked: its credentialStatus entry is what says so.
    award = get_award_or_404(award_uuid)
    if wants_html():
        return award_page(award)
    return committed(json_document(documents_ob3.credential(award), VC_TYPES))


@bp.get("/ob/v3/credentials/<uuid:award_uuid>.json")
def credential_json(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    body = documents_ob3.credential_json(award)
    return committed(download(body, "application/vc+ld+json", f"{award.uuid}-ob3.json"))


@bp.get("/ob/v3/credentials/<uuid:award_uuid>.jwt")
def credential_jwt(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    token = documents_ob3.credential_jwt(award)
    return committed(download(token, "text/plain", f"{award.uuid}-ob3.jwt"))


@bp.get("/ob/v3/credentials/<uuid:award_uuid>.png")
def credential_png(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    png = documents_ob3.baked_png(award)
    return committed(download(png, "image/png", f"{award.uuid}-ob3.png"))


@bp.get("/ob/v3/credentials/<uuid:award_uuid>.svg")
def credential_svg(award_uuid):
    award = get_award_or_404(award_uuid, allow_revoked=False)
    svg = documents_ob3.baked_svg(award) or abort(404)
    return committed(download(svg, "image/svg+xml", f"{award.uuid}-ob3.svg"))


# --------------------------------------------------------------------- endorsements


def endorsed_page(endorsement: Endorsement):
    """Browsers go to the page of what is endorsed."""
    if endorsement.badge_class is not None:
        return redirect(documents.badge_class_page_url(endorsement.badge_class))
    return redirect(documents.organisation_page_url(endorsement.target_organisation))


@bp.get("/ob/v2/endorsements/<uuid:endorsement_uuid>")
def endorsement_v2(endorsement_uuid):
    endorsement = get_endorsement_or_404(endorsement_uuid)
    if wants_html():
        return endorsed_page(endorsement)
    if endorsement.state == "withdrawn":
        return json_document(documents_ob2.withdrawn_endorsement(endorsement), status=410)
    return json_document(documents_ob2.endorsement(endorsement))


@bp.get("/ob/v3/endorsements/<uuid:endorsement_uuid>")
def endorsement_v3(endorsement_uuid):
    endorsement = get_endorsement_or_404(endorsement_uuid)
    if wants_html():
        return endorsed_page(endorsement)
    document = documents_ob3.endorsement_credential(endorsement)
    return committed(json_document(document, VC_TYPES))

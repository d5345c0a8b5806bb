"""What is public about badges, issuers, awards and endorsements: ids, shared queries, images.

This module and its two siblings are the ONE place deciding what goes into published
Open Badges documents: ``documents_ob2`` (OB 2.0 JSON-LD, JWS, baked images) and
``documents_ob3`` (OB 3.0 credentials, proofs, status lists). Views only load a model
and call a serialiser from there.

Published ids (``B`` = ``PUBLIC_BASE_URL``). They are a public contract: they are
inside signed and baked badges, so they never change. They use uuids, never slugs,
which can be renamed.

===============================================  ==========================================
URL                                              document
===============================================  ==========================================
B/ob/v2/issuers/<org uuid>                       OB 2.0 issuer Profile (HTML: organisation page)
B/ob/v2/issuers/<org uuid>/revocations           OB 2.0 RevocationList (awards, endorsements)
B/ob/v2/badges/<badge class uuid>                OB 2.0 BadgeClass (HTML: badge class page)
B/ob/v2/assertions/<award uuid>                  OB 2.0 hosted Assertion, 410 when revoked
                                                 (HTML: public award page)
B/ob/v2/assertions/<award uuid>.png|.svg         baked OB 2.0 image (hosted assertion JSON)
B/ob/v2/assertions/<award uuid>.jws              OB 2.0 signed assertion (compact JWS, RS256)
B/ob/v2/endorsements/<endorsement uuid>          OB 2.0 Endorsement, 410 when withdrawn
B/ob/keys/<key id>                               CryptographicKey (RSA) or Multikey (Ed25519);
                                                 a JWK for ``Accept: application/jwk+json``
B/ob/v3/issuers/<org uuid>                       OB 3.0 Profile, controller of its Multikeys
B/ob/v3/issuers/<org uuid>/jwks                  JWK Set of the organisation's RSA keys
B/.well-known/jwks.json                          JWK Set of every organisation's RSA keys
B/ob/v3/issuers/<org uuid>/status/revocation     BitstringStatusListCredential, index = Award.id
B/ob/v3/issuers/<org uuid>/status/endorsements   BitstringStatusListCredential, index =
                                                 Endorsement.id (the endorser's list)
B/ob/v3/achievements/<badge class uuid>          OB 3.0 Achievement (HTML: badge class page)
B/ob/v3/credentials/<award uuid>                 OpenBadgeCredential, eddsa-rdfc-2022 proof
                                                 (HTML: public award page)
B/ob/v3/credentials/<award uuid>.json            the same, as a download
B/ob/v3/credentials/<award uuid>.jwt             its VC-JWT (RS256, ``kid`` = key URL)
B/ob/v3/credentials/<award uuid>.png|.svg        baked OB 3.0 image (credential JSON)
B/ob/v3/endorsements/<endorsement uuid>          EndorsementCredential, signed by the endorser
B/ob/images/<badge class uuid>                   the badge class image (PNG or SVG)
===============================================  ==========================================

Awards and endorsements get separate status lists because their row ids overlap.
Never in a public document: e-mail addresses of people (recipients appear only as
salted ``sha256$`` hashes), evidence, private keys. The one address OB 2.0 forces on
us is the organisation's own contact address in its issuer Profile (``email`` is
required there, and 1EdTech's validator enforces it).
"""

import colorsys
import functools
import hashlib
import unicodedata
from email.utils import parseaddr
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont
from sqlalchemy import or_
from sqlalchemy import select

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.core.db import utcnow
from directory.core.images import PNG_MIME
from directory.core.images import SVG_MIME
from directory.core.images import badge_initials
from directory.core.images import placeholder_badge_svg
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.organisations.models import SigningKey

# Endorsement states that are (or were) published; "requested" and "declined" never are.
PUBLISHED_ENDORSEMENT_STATES = ("active", "withdrawn")
PUBLIC_BADGE_CLASS_STATES = ("published", "archived")
PLACEHOLDER_PNG_SIZE = 256
# Debian's fonts-dejavu-core: every accented capital of French (É, Œ…). Pillow's own scalable font
# (Aileron, Pillow ≥ 10.1) has only ASCII and draws a missing-glyph box for "É".
INITIALS_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
INITIALS_FONT_SIZE = 96


# --------------------------------------------------------------------- ids


def base_url() -> str:
    """The public origin every id lives on."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def issuer_v2_url(organisation: Organisation) -> str:
    """OB 2.0 issuer Profile id."""
    return f"{base_url()}/ob/v2/issuers/{organisation.uuid}"


def revocation_list_url(organisation: Organisation) -> str:
    """OB 2.0 RevocationList id."""
    return f"{issuer_v2_url(organisation)}/revocations"


def badge_class_url(badge_class: BadgeClass) -> str:
    """OB 2.0 BadgeClass id."""
    return f"{base_url()}/ob/v2/badges/{badge_class.uuid}"


def assertion_url(award: Award, suffix: str = "") -> str:
    """OB 2.0 Assertion id (``suffix`` ".png", ".svg", ".jws" for downloads)."""
    return f"{base_url()}/ob/v2/assertions/{award.uuid}{suffix}"


def endorsement_v2_url(endorsement: Endorsement) -> str:
    """OB 2.0 Endorsement id."""
    return f"{base_url()}/ob/v2/endorsements/{endorsement.uuid}"


def key_url(key: SigningKey) -> str:
    """Public key document id (CryptographicKey or Multikey), also the JWT ``kid``."""
    return f"{base_url()}/ob/keys/{key.key_id}"


def issuer_v3_url(organisation: Organisation) -> str:
    """OB 3.0 Profile id, the controller of the organisation's keys."""
    return f"{base_url()}/ob/v3/issuers/{organisation.uuid}"


def jwks_url(organisation: Organisation) -> str:
    """JWK Set of the organisation's RSA keys."""
    return f"{issuer_v3_url(organisation)}/jwks"


def status_list_url(organisation: Organisation, purpose: str = "revocation") -> str:
    """Bitstring status list: "revocation" (awards) or "endorsements"."""
    return f"{issuer_v3_url(organisation)}/status/{purpose}"


def achievement_url(badge_class: BadgeClass) -> str:
    """OB 3.0 Achievement id."""
    return f"{base_url()}/ob/v3/achievements/{badge_class.uuid}"


def credential_url(award: Award, suffix: str = "") -> str:
    """OpenBadgeCredential id (``suffix`` ".json", ".jwt", ".png", ".svg" for downloads)."""
    return f"{base_url()}/ob/v3/credentials/{award.uuid}{suffix}"


def endorsement_v3_url(endorsement: Endorsement) -> str:
    """EndorsementCredential id."""
    return f"{base_url()}/ob/v3/endorsements/{endorsement.uuid}"


def image_url(badge_class: BadgeClass) -> str:
    """Stable URL of the badge class image."""
    return f"{base_url()}/ob/images/{badge_class.uuid}"


def organisation_page_url(organisation: Organisation) -> str:
    """The organisation's page in the directory (slugs may change; it is only a link)."""
    return f"{base_url()}/organisations/{organisation.slug}"


def badge_class_page_url(badge_class: BadgeClass) -> str:
    """The badge class page in the directory, where criteria are shown."""
    return f"{base_url()}/badges/{badge_class.slug}"


# --------------------------------------------------------------------- shared facts


def organisation_homepage(organisation: Organisation) -> str:
    """The Profile ``url``: the organisation's website, else its directory page."""
    return organisation.website_url or organisation_page_url(organisation)


def organisation_contact_email(organisation: Organisation) -> str:
    """The organisation's contact address, else the platform's (OB 2.0 requires one)."""
    return organisation.contact_email or parseaddr(current_app.config["MAIL_FROM"])[1]


def displayed_endorsements(badge_class: BadgeClass) -> list[Endorsement]:
    """Active endorsements of a badge class that its issuer has not hidden."""
    return _endorsements(Endorsement.badge_class_id == badge_class.id)


def issuer_endorsements(organisation: Organisation) -> list[Endorsement]:
    """Active endorsements of an organisation (as an issuer) that it has not hidden."""
    return _endorsements(
        Endorsement.target_type == "issuer", Endorsement.target_organisation_id == organisation.id
    )


def _endorsements(*criteria) -> list[Endorsement]:
    """Active, displayed, unexpired endorsements matching ``criteria``, oldest first."""
    # Hidden ones stay valid documents of the endorser; only the endorsed side's lists drop them.
    current = or_(Endorsement.valid_until.is_(None), Endorsement.valid_until > utcnow())
    query = select(Endorsement).where(
        *criteria, Endorsement.state == "active", Endorsement.hidden.is_(False), current
    )
    return list(db.session.scalars(query.order_by(Endorsement.id)))


def revoked_awards(organisation: Organisation) -> list[Award]:
    """Revoked awards of the organisation's badge classes."""
    query = (
        select(Award)
        .join(BadgeClass, Award.badge_class_id == BadgeClass.id)
        .where(BadgeClass.issuer_id == organisation.id, Award.revoked_at.is_not(None))
    )
    return list(db.session.scalars(query.order_by(Award.id)))


def withdrawn_endorsements(organisation: Organisation) -> list[Endorsement]:
    """Endorsements the organisation has withdrawn."""
    query = select(Endorsement).where(
        Endorsement.endorser_id == organisation.id, Endorsement.state == "withdrawn"
    )
    return list(db.session.scalars(query.order_by(Endorsement.id)))


def endorsement_date(endorsement: Endorsement):
    """When the endorsement was given (older rows may lack ``issued_on``)."""
    return endorsement.issued_on or endorsement.created_at


def endorsement_target_name(endorsement: Endorsement) -> str:
    """Name of what is endorsed: a badge class or an issuer."""
    if endorsement.badge_class is not None:
        return endorsement.badge_class.name_fr
    return endorsement.target_organisation.name


# --------------------------------------------------------------------- what is published


def is_published_organisation(organisation: Organisation) -> bool:
    """Verified, or has signed something: a Profile must outlive what it issued."""
    return organisation.verification_state == "verified" or bool(organisation.keys)


def is_published_badge_class(badge_class: BadgeClass) -> bool:
    """Published or archived (archived classes keep their awards verifiable)."""
    return badge_class.state in PUBLIC_BADGE_CLASS_STATES


def is_published_award(award: Award) -> bool:
    """Issued here (imported badges belong to their own issuer) for a public class."""
    return (
        award.source == "issued"
        and award.badge_class is not None
        and is_published_badge_class(award.badge_class)
    )


def is_published_endorsement(endorsement: Endorsement) -> bool:
    """Given (and possibly withdrawn since); requests and refusals are never published."""
    return endorsement.state in PUBLISHED_ENDORSEMENT_STATES


def organisations_with_keys() -> list[Organisation]:
    """Organisations that have at least one signing key."""
    query = select(Organisation).where(Organisation.keys.any()).order_by(Organisation.id)
    return list(db.session.scalars(query))


def public_holder(award: Award) -> dict | None:
    """The holder's name (and listed profile link), only when both the award and the profile are public."""
    # An unclaimed award has no profile, so no one consented to show the recipient's name.
    profile = award.profile
    if award.visibility != "public" or profile is None or profile.visibility != "public":
        return None
    url = f"{base_url()}/profiles/{profile.slug}" if profile.is_listed else None
    return {"name": profile.display_name, "url": url}


def award_links(award: Award) -> dict[str, str]:
    """Every public URL of an award: ids and downloads (SVG ones only for an SVG class image)."""
    links = {
        "assertion": assertion_url(award),
        "ob2_png": assertion_url(award, ".png"),
        "ob2_jws": assertion_url(award, ".jws"),
        "credential": credential_url(award),
        "ob3_json": credential_url(award, ".json"),
        "ob3_jwt": credential_url(award, ".jwt"),
        "ob3_png": credential_url(award, ".png"),
        "image": image_url(award.badge_class),
    }
    if badge_svg(award.badge_class) is not None:
        links.update(ob2_svg=assertion_url(award, ".svg"), ob3_svg=credential_url(award, ".svg"))
    return links


# --------------------------------------------------------------------- images


def badge_image(badge_class: BadgeClass) -> tuple[bytes, str]:
    """The class image as ``(bytes, mime)``: the upload, else a generated SVG placeholder."""
    if badge_class.image is not None:
        return badge_class.image.data, badge_class.image.content_type
    return placeholder_badge_svg(badge_class.name_fr, badge_class.family), SVG_MIME


def badge_svg(badge_class: BadgeClass) -> bytes | None:
    """The class image when it is an SVG (what an SVG can be baked from), else None."""
    data, mime = badge_image(badge_class)
    return data if mime == SVG_MIME else None


def badge_png(badge_class: BadgeClass) -> bytes:
    """PNG bytes to bake into: the uploaded PNG untouched, else a generated placeholder."""
    data, mime = badge_image(badge_class)
    if mime == PNG_MIME:
        return data
    # There is no SVG rasteriser here, so an SVG class gets a PNG drawn in the placeholder's style.
    return placeholder_png(badge_class.name_fr, badge_class.family)


def placeholder_png(title: str, colour_seed: str) -> bytes:
    """A round PNG badge with the title's initials (deterministic bytes)."""
    size = PLACEHOLDER_PNG_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=_seed_colour(colour_seed, 0.30))
    draw.ellipse((34, 34, size - 34, size - 34), fill=_seed_colour(colour_seed, 0.42))
    font = initials_font()
    draw.text((size / 2, size / 2), drawable_text(badge_initials(title), font), fill="#ffffff", font=font, anchor="mm")
    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


@functools.cache
def initials_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Bold when installed, else Pillow's built-in scalable font (loaded once per process)."""
    if INITIALS_FONT.exists():
        return ImageFont.truetype(str(INITIALS_FONT), INITIALS_FONT_SIZE)
    return ImageFont.load_default(size=INITIALS_FONT_SIZE)


def drawable_text(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> str:
    """The text with each letter the font lacks replaced by its unaccented form ("É" → "E"), never a box."""
    return "".join(ch if ch.isascii() or _has_glyph(font, ch) else _unaccented(ch) for ch in text)


def _has_glyph(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, ch: str) -> bool:
    # A character the font lacks renders as its missing-glyph box, the same as a private-use one.
    return glyph_pixels(font, ch) != glyph_pixels(font, "\ue000")


def glyph_pixels(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, text: str) -> bytes:
    """The text drawn white on black with this font, as raw pixels (to compare renders)."""
    image = Image.new("L", (INITIALS_FONT_SIZE * 3, INITIALS_FONT_SIZE * 2))
    ImageDraw.Draw(image).text((image.width / 2, image.height / 2), text, fill=255, font=font, anchor="mm")
    return image.tobytes()


def _unaccented(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base.isascii() and base else "?"


def _seed_colour(seed: str, lightness: float) -> str:
    """The placeholder SVG's colour for ``seed``, so PNG and SVG look alike."""
    hue = int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:4], 16) % 360
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, 0.58)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"

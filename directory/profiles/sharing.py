"""Sharing a profile: a short link for print and its QR code, in PNG and SVG. Flush, never commit."""

import secrets
from io import BytesIO

import qrcode
import qrcode.image.pil
import qrcode.image.svg
from flask import current_app
from sqlalchemy import select

from directory.extensions import db
from directory.profiles.models import Profile

# No 0/O, 1/l/I: the code is read from paper and typed by hand.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7


def short_code(profile: Profile) -> str:
    """The profile's short code, made once and kept (a printed card must keep working)."""
    if profile.short_code is None:
        profile.short_code = _free_code()
        db.session.flush()
    return profile.short_code


def short_url(profile: Profile) -> str:
    """The absolute short link, on the public origin."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/p/{short_code(profile)}"


def profile_for_code(code: str) -> Profile | None:
    """The profile a short code leads to."""
    return db.session.scalar(select(Profile).where(Profile.short_code == code.lower()))


def qr_png(url: str) -> bytes:
    """The QR code of a URL as a PNG, large enough to print."""
    image = _qr(url).make_image(image_factory=qrcode.image.pil.PilImage)
    output = BytesIO()
    image.save(output)
    return output.getvalue()


def qr_svg(url: str) -> bytes:
    """The QR code of a URL as an SVG path (scales to any print size)."""
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="unicode").encode("utf-8")


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def _free_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Profile.id).where(Profile.short_code == code)) is None:
            return code

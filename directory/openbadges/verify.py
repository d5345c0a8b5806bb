"""Verify a foreign Open Badge, 2.0 or 3.0, in any form people hold it (no Flask).

``verify_badge(input, fetch=…)`` takes a baked PNG or SVG, a URL, OB 2.0 JSON
or JWS, OB 3.0 JSON (VC 2.0 or VC 1.1 era) or a VC-JWT, detects which it is,
and returns a :class:`Verdict`: a list of checks with plain French and English
explanations, a summary of the badge and the trusted document. It never raises
on bad input. The network is reached only through the caller's ``fetch(url) ->
(content_type, bytes)``, so the caller decides what may be fetched (SSRF policy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import Literal

from lxml import etree

from directory.openbadges.baking import PNG_SIGNATURE
from directory.openbadges.baking import BakingError
from directory.openbadges.baking import extract_any
from directory.openbadges.baking import parse_svg
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.jose import unverified_jws_parts
from directory.openbadges.verify_common import CHECK_ORDER
from directory.openbadges.verify_common import MAX_TEXT_BYTES
from directory.openbadges.verify_common import Check
from directory.openbadges.verify_common import Fetch
from directory.openbadges.verify_common import FetchFailed
from directory.openbadges.verify_common import Rejected
from directory.openbadges.verify_common import Result
from directory.openbadges.verify_common import Session
from directory.openbadges.verify_common import is_http_url
from directory.openbadges.verify_common import parse_json_object
from directory.openbadges.verify_common import passed
from directory.openbadges.verify_common import revoked_check
from directory.openbadges.verify_ob2 import is_ob2_assertion
from directory.openbadges.verify_ob2 import verify_ob2
from directory.openbadges.verify_ob3 import is_vc
from directory.openbadges.verify_ob3 import verify_ob3
from directory.openbadges.verify_ob3_keys import credential_from_payload

__all__ = ["Check", "Fetch", "Verdict", "verify_badge"]

VerdictResult = Literal["valid", "invalid", "unusable"]
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
# Elements and attributes that make an SVG run code when displayed.
ACTIVE_SVG_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
}
# A baked image may hold a URL, which is then fetched: one level of indirection only.
MAX_INDIRECTIONS = 2
FORMAT_NAMES = {  # format -> (French, English) description of what was read
    "png": ("d'une image PNG", "a PNG image"),
    "svg": ("d'une image SVG", "an SVG image"),
    "url": ("de l'adresse indiquée", "the address given"),
    "json": ("d'un document JSON", "a JSON document"),
    "jws": ("d'un jeton signé (JWS/JWT)", "a signed token (JWS/JWT)"),
}


@dataclass
class Verdict:
    """The outcome of verifying one badge: overall result, every check, a summary, the document."""

    result: VerdictResult
    version: str | None
    format: str | None
    checks: list[Check]
    method: str | None = None
    badge: dict[str, Any] | None = None
    document: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        """True only when no check failed."""
        return self.result == "valid"

    def check(self, check_id: str) -> Check | None:
        """The check with this id, if it was run."""
        return next((c for c in self.checks if c.id == check_id), None)

    def failed_ids(self) -> list[str]:
        """The ids of the failing checks."""
        return [c.id for c in self.checks if c.outcome == "fail"]

    def to_json(self) -> dict[str, Any]:
        """The verdict as JSON (the API and the CLI print this)."""
        return {
            "result": self.result,
            "valid": self.valid,
            "version": self.version,
            "format": self.format,
            "method": self.method,
            "checks": [c.to_json() for c in self.checks],
            "badge": self.badge,
            "document": self.document,
        }


@dataclass
class Payload:
    """What the input turned out to hold: a JSON document or a compact JWS, and where it came from."""

    format: str
    document: dict[str, Any] | None = None
    token: str | None = None


def verify_badge(
    input: bytes | str,
    *,
    fetch: Fetch,
    now: datetime | None = None,
    recipient_email: str | None = None,
) -> Verdict:
    """Detect what ``input`` is, verify it, and explain every check; never raises on bad input."""
    session = Session(fetch, now or datetime.now(UTC), (recipient_email or "").strip() or None)
    try:
        payload = read_input(session, input)
        result = _dispatch(session, payload)
    except Rejected as problem:
        return _unusable(problem, _format_of(input))
    except FetchFailed as error:
        return _fetch_failed_verdict(error)
    return _verdict(payload, result)


# ------------------------------------------------------------------ reading the input


def read_input(session: Session, value: bytes | str, depth: int = 0) -> Payload:
    """Turn raw input into a Payload, or raise Rejected saying why it cannot be a badge."""
    if isinstance(value, bytes):
        if not value.strip():
            raise Rejected("Le fichier est vide.", "The file is empty.")
        if value.startswith(PNG_SIGNATURE) or value.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return _from_image(session, value, depth)
        value = _decode(value)
    return _from_text(session, value, _format_of(value), depth)


def _decode(data: bytes) -> str:
    """Decode a text file (UTF-8, with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected(
            "Ce fichier n'est ni une image de badge (PNG, SVG) ni un badge au format texte "
            "(JSON, JWT).",
            "This file is neither a badge image (PNG, SVG) nor a badge as text (JSON, JWT).",
        ) from exc


def _format_of(value: bytes | str) -> str | None:
    """The input format, guessed from its first bytes."""
    if isinstance(value, bytes):
        if value.startswith(PNG_SIGNATURE):
            return "png"
        return "svg" if value.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else None
    text = value.strip()
    if is_http_url(text):
        return "url"
    return "json" if text.startswith("{") else "jws" if COMPACT_JWS.match(text) else None


def _from_image(session: Session, data: bytes, depth: int) -> Payload:
    """Extract the badge baked into a PNG or SVG image."""
    try:
        if not data.startswith(PNG_SIGNATURE) and _svg_is_active(data):
            raise Rejected(
                "Cette image SVG contient du code (script) : elle a été refusée par prudence.",
                "This SVG image contains code (a script): it was refused as a precaution.",
            )
        kind, text = extract_any(data)
    except BakingError as exc:
        raise _baking_problem(exc) from exc
    payload = _from_text(session, text, kind, depth + 1)
    return Payload(kind, payload.document, payload.token)


def _svg_is_active(data: bytes) -> bool:
    """Tell whether an SVG holds a script, an event handler or a javascript: link."""
    for element in parse_svg(data).iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if etree.QName(element).localname.lower() in ACTIVE_SVG_ELEMENTS:
            return True
        for name, value in element.attrib.items():
            if (
                etree.QName(name).localname.lower().startswith("on")
                or "javascript:" in value.lower()
            ):
                return True
    return False


# BakingError wording (openbadges/baking.py) -> plain French and English
_BAKING_PROBLEMS = (
    (
        "truncated",
        "L'image PNG est incomplète : le fichier a été tronqué.",
        "The PNG image is incomplete: the file was truncated.",
    ),
    (
        "more than one",
        "L'image contient plusieurs badges, alors qu'elle ne doit en contenir qu'un seul.",
        "The image holds several badges, when it must hold only one.",
    ),
    (
        "does not contain",
        "Cette image ne contient pas de badge : aucune donnée Open Badges n'y est intégrée.",
        "This image does not contain a badge: no Open Badges data is baked into it.",
    ),
    ("CRC", "L'image PNG est endommagée.", "The PNG image is damaged."),
    ("IHDR", "L'image PNG est endommagée.", "The PNG image is damaged."),
    (
        "DOCTYPE",
        "Cette image SVG contient une déclaration DOCTYPE : elle a été refusée par prudence.",
        "This SVG image has a DOCTYPE declaration: it was refused as a precaution.",
    ),
    ("well-formed", "L'image SVG est mal formée.", "The SVG image is malformed."),
    ("Not an SVG", "Ce fichier n'est pas une image SVG.", "This file is not an SVG image."),
    (
        "too large",
        "L'image ou le badge qu'elle contient est trop volumineux.",
        "The image or the badge it holds is too large.",
    ),
)


def _baking_problem(exc: BakingError) -> Rejected:
    """Explain why a badge could not be extracted from an image."""
    text = str(exc)
    for needle, fr, en in _BAKING_PROBLEMS:
        if needle in text:
            return Rejected(fr, en)
    return Rejected("L'image n'a pas pu être lue.", f"The image could not be read: {text}")


def _from_text(session: Session, text: str, format: str | None, depth: int) -> Payload:
    """Read a URL, a JSON document or a compact JWS."""
    text = text.strip()
    if len(text) > MAX_TEXT_BYTES:
        raise Rejected("Le badge est trop volumineux.", "The badge is too large.")
    if is_http_url(text) and " " not in text:
        return _from_url(session, text, format or "url", depth)
    if text.startswith("{"):
        return _from_json(text, format or "json")
    if COMPACT_JWS.match(text):
        return Payload(format or "jws", token=text)
    if not text:
        raise Rejected(
            "Rien à vérifier : aucun badge n'a été fourni.",
            "Nothing to verify: no badge was given.",
        )
    raise Rejected(
        "Ce texte n'est pas un badge : ni adresse web, ni JSON, ni jeton signé (JWT).",
        "This text is not a badge: neither a web address, JSON, nor a signed token (JWT).",
    )


def _from_json(text: str, format: str) -> Payload:
    """Parse a JSON badge."""
    document = parse_json_object(text)
    if document is None:
        raise Rejected("Ce texte n'est pas du JSON valide.", "This text is not valid JSON.")
    return Payload(format, document=document)


def _from_url(session: Session, url: str, format: str, depth: int) -> Payload:
    """Fetch a badge from its address (the content may be JSON, a token or a baked image)."""
    if depth >= MAX_INDIRECTIONS:
        raise Rejected(
            "Le badge renvoie vers trop d'adresses successives.",
            "The badge points through too many addresses.",
        )
    _content_type, body = session.get(url)
    payload = read_input(session, body, depth + 1)
    return Payload(format, payload.document, payload.token)


# ------------------------------------------------------------------ dispatch and verdict


def _dispatch(session: Session, payload: Payload) -> Result:
    """Send the payload to the OB 2.0 or OB 3.0 verifier."""
    if payload.token is not None:
        return _dispatch_token(session, payload.token)
    document = payload.document or {}
    if is_vc(document):
        return verify_ob3(session, document)
    if is_ob2_assertion(document):
        return verify_ob2(session, document)
    raise _not_a_badge()


def _dispatch_token(session: Session, token: str) -> Result:
    """A compact JWS is a VC-JWT (OB 3.0) or a signed OB 2.0 assertion."""
    try:
        _header, claims = unverified_jws_parts(token)
    except OpenBadgesError as exc:
        raise Rejected("Le jeton signé est illisible.", "The signed token is unreadable.") from exc
    credential = credential_from_payload(claims)
    if is_vc(credential):
        return verify_ob3(session, credential, token)
    if is_ob2_assertion(claims):
        return verify_ob2(session, claims, token)
    raise _not_a_badge()


def _not_a_badge() -> Rejected:
    return Rejected(
        "Ce document n'est pas un Open Badge : ni assertion Open Badges 2.0, ni badge Open Badges 3.0.",
        "This document is not an Open Badge: neither an Open Badges 2.0 assertion nor an "
        "Open Badges 3.0 credential.",
    )


def _input_check(payload: Payload) -> Check:
    """The passing input check, saying what was read."""
    fr, en = FORMAT_NAMES.get(payload.format, ("du texte fourni", "the text given"))
    return passed("input", f"Le badge a été lu à partir {fr}.", f"The badge was read from {en}.")


def _verdict(payload: Payload, result: Result) -> Verdict:
    """Assemble the verdict, checks in display order."""
    checks = sorted([_input_check(payload), *result.checks], key=lambda c: CHECK_ORDER.index(c.id))
    outcome: VerdictResult = "invalid" if any(c.outcome == "fail" for c in checks) else "valid"
    return Verdict(
        outcome,
        result.version,
        payload.format,
        checks,
        result.method,
        result.badge,
        result.document,
    )


def _unusable(problem: Rejected, format: str | None) -> Verdict:
    """The verdict for input that holds no badge at all."""
    return Verdict("unusable", None, format, [problem.check("input")])


def _fetch_failed_verdict(error: FetchFailed) -> Verdict:
    """A URL that could not be read; 410 Gone is how OB 2.0 hosts say "revoked"."""
    if error.status == 410:
        read = passed(
            "input", "L'adresse du badge a été consultée.", "The badge's address was visited."
        )
        return Verdict("invalid", "2.0", "url", [read, revoked_check()], "hosted")
    problem = Rejected(
        f"Le badge n'a pas pu être récupéré à cette adresse : {error.message_fr}",
        f"The badge could not be fetched from this address: {error.message_en}",
    )
    return _unusable(problem, "url")

"""Building blocks shared by the OB 2.0 and OB 3.0 verifiers (no Flask, no network of its own).

Every check result is a :class:`Check` with a French and an English message
meant for non-specialists. Remote documents are read only through the
caller's ``fetch`` callable, wrapped in a :class:`Session` that caches and
counts requests, so one badge can never make the verifier fetch without end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import Literal
from urllib.parse import SplitResult
from urllib.parse import urlsplit

from babel.dates import format_date

from directory.openbadges._util import as_list
from directory.openbadges.hashing import identity_matches
from directory.openbadges.hashing import normalise_email
from directory.openbadges.loader import CONTEXT_URLS

Outcome = Literal["pass", "fail", "warning", "skipped"]
Fetch = Callable[[str], tuple[str, bytes]]

# Display order of the checks, whatever order they were run in.
CHECK_ORDER = (
    "input",
    "contexts",
    "structure",
    "badge_class",
    "issuer",
    "hosted",
    "signature",
    "revocation",
    "dates",
    "recipient",
)
# One badge needs at most: itself, its class, its issuer, a key, a list, a profile.
MAX_FETCHES = 12
MAX_TEXT_BYTES = 5_000_000


@dataclass(frozen=True)
class Check:
    """One verification step and its outcome, explained in French and English."""

    id: str
    outcome: Outcome
    message_fr: str
    message_en: str

    def to_json(self) -> dict[str, str]:
        """Return the check as a JSON-ready dict."""
        return {
            "id": self.id,
            "outcome": self.outcome,
            "message_fr": self.message_fr,
            "message_en": self.message_en,
        }


def passed(check_id: str, fr: str, en: str) -> Check:
    """A check that succeeded."""
    return Check(check_id, "pass", fr, en)


def failed(check_id: str, fr: str, en: str) -> Check:
    """A check that failed: the badge is not valid."""
    return Check(check_id, "fail", fr, en)


def warned(check_id: str, fr: str, en: str) -> Check:
    """A check that raises a doubt without invalidating the badge."""
    return Check(check_id, "warning", fr, en)


def skipped(check_id: str, fr: str, en: str) -> Check:
    """A check that could not apply to this badge."""
    return Check(check_id, "skipped", fr, en)


@dataclass
class Result:
    """What a version-specific verifier found: checks, the trusted document and a summary."""

    version: str
    method: str
    checks: list[Check] = field(default_factory=list)
    document: dict[str, Any] | None = None
    badge: dict[str, Any] | None = None


class FetchFailed(Exception):
    """A remote document could not be read; ``status`` is the HTTP status when there was one."""

    def __init__(self, url: str, status: int | None, fr: str, en: str) -> None:
        super().__init__(en)
        self.url = url
        self.status = status
        self.message_fr = fr
        self.message_en = en


@dataclass
class Session:
    """One verification run: the caller's fetch (cached, bounded), the clock and the recipient."""

    fetch: Fetch
    now: datetime
    recipient_email: str | None = None
    _cache: dict[str, tuple[str, bytes] | FetchFailed] = field(default_factory=dict)

    def get(self, url: str) -> tuple[str, bytes]:
        """Fetch ``url`` once per run; raise FetchFailed on any failure."""
        url = url.split("#", 1)[0]
        if url not in self._cache:
            self._cache[url] = self._fetch_once(url)
        cached = self._cache[url]
        if isinstance(cached, FetchFailed):
            raise cached
        return cached

    def _fetch_once(self, url: str) -> tuple[str, bytes] | FetchFailed:
        """Call the caller's fetch, turning whatever it raises into a FetchFailed."""
        if len(self._cache) >= MAX_FETCHES:
            return FetchFailed(
                url,
                None,
                "Trop de documents à consulter pour ce badge.",
                "Too many documents to fetch for this badge.",
            )
        try:
            content_type, body = self.fetch(url)
        except Exception as exc:  # the caller's fetch may raise anything; never let it escape
            return _fetch_failure(url, exc)
        return content_type, body

    def get_json(self, url: str) -> dict[str, Any]:
        """Fetch ``url`` and parse a JSON object, or raise FetchFailed."""
        _content_type, body = self.get(url)
        document = parse_json_object(body)
        if document is None:
            raise FetchFailed(
                url,
                None,
                "Le document obtenu n'est pas du JSON lisible.",
                "The document received is not readable JSON.",
            )
        return document


def _fetch_failure(url: str, exc: Exception) -> FetchFailed:
    """Describe a fetch error, reusing the fetcher's own bilingual messages when it has them."""
    status = getattr(exc, "status", None)
    fr = getattr(exc, "message_fr", None) or "Le document n'a pas pu être récupéré."
    en = getattr(exc, "message_en", None) or "The document could not be fetched."
    return FetchFailed(url, status if isinstance(status, int) else None, fr, en)


def parse_json_object(data: bytes | str) -> dict[str, Any] | None:
    """Parse JSON text holding an object; None when it is not one."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# ------------------------------------------------------------------ helpers


def split_http_url(value: Any) -> SplitResult | None:
    """Split an http(s) URL with a host; None for anything else, malformed URLs included."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - parsing the port is what raises on "host:99999"
    except ValueError:  # unbalanced brackets, bad port: not a URL we can use
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


def is_http_url(value: Any) -> bool:
    """Tell whether ``value`` is a well-formed http(s) URL string."""
    return split_http_url(value) is not None


def same_origin(first: Any, second: Any) -> bool:
    """Tell whether two http(s) URLs share scheme, host and port (default ports made explicit)."""
    a, b = split_http_url(first), split_http_url(second)
    return a is not None and b is not None and _origin(a) == _origin(b)


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    """The (scheme, host, port) triple of a split URL."""
    port = parts.port or {"http": 80, "https": 443}[parts.scheme]
    return parts.scheme, (parts.hostname or "").lower(), port


def node_id(value: Any) -> str | None:
    """The id of a JSON-LD node given as a bare IRI or as an object with ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def types_of(document: dict[str, Any]) -> list[str]:
    """The ``type`` values of a document, as a list of strings."""
    return [t for t in as_list(document.get("type")) if isinstance(t, str)]


def text_of(value: Any) -> str | None:
    """A plain string from a value that may be a string or a language map."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return next((v for v in value.values() if isinstance(v, str)), None)
    return None


def unknown_contexts(document: dict[str, Any]) -> list[str]:
    """The ``@context`` URLs that the offline loader does not know."""
    # An inline context object defines its own terms; only remote URLs can be unknown.
    return [
        c for c in as_list(document.get("@context")) if isinstance(c, str) and c not in CONTEXT_URLS
    ]


def contexts_check(document: dict[str, Any]) -> Check:
    """Check that every JSON-LD context is one we know (the vocabulary is understood)."""
    if not document.get("@context"):
        return failed(
            "contexts",
            "Le badge n'indique pas son vocabulaire (@context absent).",
            "The badge does not declare its vocabulary (no @context).",
        )
    unknown = unknown_contexts(document)
    if unknown:
        names = ", ".join(unknown)
        return failed(
            "contexts",
            f"Le badge utilise un vocabulaire inconnu : {names}.",
            f"The badge uses an unknown vocabulary: {names}.",
        )
    return passed(
        "contexts",
        "Le vocabulaire du badge est celui des Open Badges.",
        "The badge uses the Open Badges vocabulary.",
    )


def missing_fields(document: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """The names among ``names`` that are absent or empty in ``document``."""
    return [name for name in names if document.get(name) in (None, "", [], {})]


# ------------------------------------------------------------------ dates


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO 8601 date-time (a missing time zone is read as UTC); None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def long_date(moment: datetime, language: str) -> str:
    """A date for people: "3 mars 2026" in French, "March 3, 2026" in English."""
    day = moment.astimezone(UTC).date()
    text = format_date(day, format="long", locale=language)
    # French writes the first day of a month as an ordinal: "1er janvier".
    return "1er" + text[1:] if language == "fr" and day.day == 1 else text


def dates_check(issued: Any, expires: Any, now: datetime) -> Check:
    """Check that the badge is already valid and has not expired."""
    start, end = parse_datetime(issued), parse_datetime(expires)
    if (issued and start is None) or (expires and end is None):
        return failed(
            "dates", "Une date du badge est illisible.", "A date in the badge is unreadable."
        )
    if start and start > now:
        return failed(
            "dates",
            f"Ce badge ne sera valable qu'à partir du {long_date(start, 'fr')}.",
            f"This badge only becomes valid on {long_date(start, 'en')}.",
        )
    if end and end <= now:
        return failed(
            "dates",
            f"Ce badge a expiré le {long_date(end, 'fr')}.",
            f"This badge expired on {long_date(end, 'en')}.",
        )
    if end:
        return passed(
            "dates",
            f"Ce badge est valable jusqu'au {long_date(end, 'fr')}.",
            f"This badge is valid until {long_date(end, 'en')}.",
        )
    return passed("dates", "Ce badge n'a pas de date d'expiration.", "This badge does not expire.")


# ------------------------------------------------------------------ recipient


def identity_check(email: str, identity: str, hashed: bool, salt: str | None) -> Check:
    """Compare the e-mail given by the person verifying with the badge's recipient identity."""
    if hashed:
        matches = identity_matches(email, identity, salt)
    else:
        matches = normalise_email(identity.removeprefix("mailto:")) == normalise_email(email)
    if matches:
        return passed(
            "recipient",
            "Ce badge a bien été attribué à cette adresse e-mail.",
            "This badge was awarded to this e-mail address.",
        )
    return failed(
        "recipient",
        "Ce badge n'a pas été attribué à cette adresse e-mail.",
        "This badge was not awarded to this e-mail address.",
    )


def no_email_check() -> Check:
    """The badge names its recipient otherwise than by e-mail."""
    return failed(
        "recipient",
        "Ce badge n'identifie pas son titulaire par une adresse e-mail : "
        "impossible de confirmer qu'il vous a été attribué.",
        "This badge does not identify its recipient by e-mail address: "
        "it cannot be confirmed as awarded to you.",
    )


def fetch_failed_check(check_id: str, what_fr: str, what_en: str, error: FetchFailed) -> Check:
    """A failing check explaining which document could not be fetched, and why."""
    return failed(
        check_id,
        f"{what_fr} n'a pas pu être récupéré : {error.message_fr}",
        f"{what_en} could not be fetched: {error.message_en}",
    )


def criteria_of(value: Any) -> dict[str, str] | None:
    """Criteria as ``{id?, narrative?}`` whether given as a URL or an object."""
    if isinstance(value, str):
        return {"id": value}
    if not isinstance(value, dict):
        return None
    found = {k: value[k] for k in ("id", "narrative") if isinstance(value.get(k), str)}
    return found or None


def alignments_of(value: Any) -> list[dict[str, str]]:
    """The alignments (competencies) of a badge class or achievement, reduced to their text fields."""
    keys = ("targetName", "targetUrl", "targetFramework", "targetCode", "targetDescription")
    return [
        {k: item[k] for k in keys if isinstance(item.get(k), str)}
        for item in as_list(value)
        if isinstance(item, dict)
    ]


def image_of(value: Any) -> str | None:
    """The URL (or data URI) of an image given as a string or an Image object."""
    return node_id(value)


class Rejected(Exception):
    """A step refused the badge; carries the explanation for the failing check."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(en)
        self.message_fr = fr
        self.message_en = en

    def check(self, check_id: str) -> Check:
        """The failing check this refusal stands for."""
        return failed(check_id, self.message_fr, self.message_en)


def revoked_check(reason: Any = None, suspended: bool = False) -> Check:
    """The failing revocation check, with the issuer's reason when it gave one."""
    if suspended:
        return failed(
            "revocation",
            "Ce badge a été suspendu par son émetteur.",
            "This badge has been suspended by its issuer.",
        )
    if isinstance(reason, str) and reason.strip():
        return failed(
            "revocation",
            f"Ce badge a été révoqué par son émetteur : {reason.strip()}",
            f"This badge has been revoked by its issuer: {reason.strip()}",
        )
    return failed(
        "revocation",
        "Ce badge a été révoqué par son émetteur.",
        "This badge has been revoked by its issuer.",
    )


def summary(**fields: Any) -> dict[str, Any]:
    """The badge summary shown to people: name, issuer, dates, criteria, competencies, recipient."""
    keys = (
        "name",
        "description",
        "image",
        "issuer",
        "issued",
        "expires",
        "criteria",
        "alignments",
        "recipient",
    )
    return {key: fields.get(key) for key in keys}

"""Verify foreign badges from the web app and the CLI: the pure verifier with the app's fetch policy."""

import sys
from pathlib import Path

from flask import current_app

from directory.core.fetch import FetchPolicy
from directory.core.fetch import safe_fetch
from directory.openbadges.verify import Check
from directory.openbadges.verify import Fetch
from directory.openbadges.verify import Verdict
from directory.openbadges.verify import verify_badge


def fetch_policy() -> FetchPolicy:
    """The fetch policy set by FETCH_ALLOW_PRIVATE and FETCH_ALLOW_HTTP (both off in production)."""
    return FetchPolicy(
        allow_http=bool(current_app.config.get("FETCH_ALLOW_HTTP")),
        allow_private=bool(current_app.config.get("FETCH_ALLOW_PRIVATE")),
    )


def fetch_for_app() -> Fetch:
    """The ``fetch(url) -> (content_type, bytes)`` the verifier uses: SSRF-safe, bounded."""
    policy = fetch_policy()

    def fetch(url: str) -> tuple[str, bytes]:
        result = safe_fetch(url, policy)
        return result.content_type, result.content

    return fetch


def verify_for_app(input: bytes | str, recipient_email: str | None = None) -> Verdict:
    """Verify a badge (image, URL, JSON or JWT) under the app's fetch policy."""
    return verify_badge(input, fetch=fetch_for_app(), recipient_email=recipient_email)


# The CLI's exit status for each verdict (stable: scripts rely on it).
EXIT_CODES = {"valid": 0, "invalid": 1, "unusable": 2}
MAX_FILE_BYTES = 10 * 1024 * 1024


def verify_path_or_url(source: str, recipient_email: str | None = None) -> Verdict:
    """Verify what the command line names: a URL, a file path, or "-" for standard input."""
    if source.strip().startswith(("https://", "http://")):
        return verify_for_app(source.strip(), recipient_email)
    if source == "-":
        return verify_for_app(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), recipient_email)
    path = Path(source)
    if not path.is_file():
        return unusable_verdict(f"Fichier introuvable : {source}", f"File not found: {source}")
    if path.stat().st_size > MAX_FILE_BYTES:
        return unusable_verdict("Le fichier est trop volumineux.", "The file is too large.")
    return verify_for_app(path.read_bytes(), recipient_email)


def unusable_verdict(message_fr: str, message_en: str) -> Verdict:
    """A verdict for input that could not even be read."""
    return Verdict("unusable", None, None, [Check("input", "fail", message_fr, message_en)])

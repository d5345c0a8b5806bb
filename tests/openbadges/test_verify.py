"""The foreign-badge verifier: every format, every way a badge can be wrong, never an exception."""

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest

from directory.core.fetch import FetchPolicy
from directory.core.fetch import safe_fetch
from directory.openbadges.verify import verify_badge
from directory.openbadges.verify_ob3_keys import did_web_url
from tests.fixtures.foreign_issuer import EMAIL
from tests.fixtures.foreign_issuer import running

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DCC_SIGNED = FIXTURES / "dcc_signed_credential.json"
DCC_EMAIL = "camille.durand@example.fr"
# A VC 1.1 credential with an Ed25519Signature2020 proof, signed by the DCC stack.
DCC_VC1 = Path(__file__).resolve().parent / "fixtures" / "dcc_ed25519signature2020.json"
LOOPBACK = FetchPolicy(allow_http=True, allow_private=True, timeout=5)


@pytest.fixture(scope="session")
def foreign_issuer():
    """The other platform (tests/fixtures/foreign_issuer.py), served for the session."""
    with running() as platform:
        yield platform


def fetch(url: str) -> tuple[str, bytes]:
    """The fetcher tests use: the real safe fetcher, allowed to reach the local platform."""
    result = safe_fetch(url, LOOPBACK)
    return result.content_type, result.content


def verify(badge, **kwargs):
    """Verify a badge (dicts are sent as JSON text) with the loopback fetcher."""
    text = json.dumps(badge) if isinstance(badge, dict) else badge
    return verify_badge(text, fetch=kwargs.pop("fetch", fetch), **kwargs)


def badge(platform, name):
    """A badge of the foreign platform; names starting with "/" are URLs on it."""
    return platform.url(name) if name.startswith("/") else platform.badges[name]


VALID = [
    # name, version, format, method
    ("ob2_hosted_valid", "2.0", "json", "hosted"),
    ("/ob2/assertions/valid", "2.0", "url", "hosted"),
    ("png_ob2_hosted", "2.0", "png", "hosted"),
    ("svg_ob2_hosted", "2.0", "svg", "hosted"),
    ("ob2_signed_valid", "2.0", "jws", "signed"),
    ("png_ob2_signed", "2.0", "png", "signed"),
    ("ob3_didkey_valid", "3.0", "json", "data-integrity"),
    ("ob3_multikey_valid", "3.0", "json", "data-integrity"),
    ("png_ob3", "3.0", "png", "data-integrity"),
    ("svg_ob3", "3.0", "svg", "data-integrity"),
    ("/ob3/baked.png", "3.0", "url", "data-integrity"),
    ("ob3_jwt_valid", "3.0", "jws", "vc-jwt"),
    ("ob3_jwt_plain_kid", "3.0", "jws", "vc-jwt"),
    ("ob3_jwt_embedded_jwk", "3.0", "jws", "vc-jwt"),
]


@pytest.mark.parametrize(("name", "version", "format", "method"), VALID)
def test_valid_badges_pass_every_check(foreign_issuer, name, version, format, method):
    verdict = verify(badge(foreign_issuer, name), recipient_email=EMAIL)
    assert verdict.result == "valid", verdict.to_json()["checks"]
    assert verdict.valid
    assert (verdict.version, verdict.format, verdict.method) == (version, format, method)
    assert verdict.check("recipient").outcome == "pass"
    assert verdict.check("signature" if method != "hosted" else "hosted").outcome == "pass"
    assert verdict.badge["name"] == "Gestion de trésorerie"
    assert verdict.badge["issuer"]["name"] == "Réseau Autre Plateforme"
    assert verdict.badge["alignments"][0]["targetName"] == "gérer la trésorerie"


FAILING = [
    # name, failing check id, overall result
    ("ob2_hosted_tampered", "hosted", "invalid"),
    ("ob2_hosted_cross_origin", "hosted", "invalid"),
    ("/ob2/assertions/gone", "revocation", "invalid"),
    ("/ob2/assertions/revoked", "revocation", "invalid"),
    ("ob2_hosted_expired", "dates", "invalid"),
    ("ob2_hosted_unknown_context", "contexts", "invalid"),
    ("ob2_signed_tampered", "signature", "invalid"),
    ("ob2_signed_wrong_key", "signature", "invalid"),
    ("ob2_signed_revoked", "revocation", "invalid"),
    ("ob3_didkey_tampered", "signature", "invalid"),
    ("ob3_didkey_stranger", "signature", "invalid"),
    ("ob3_multikey_stranger", "signature", "invalid"),
    ("ob3_didkey_revoked", "revocation", "invalid"),
    ("ob3_didkey_edtech_revoked", "revocation", "invalid"),
    ("ob3_didkey_forged_status", "revocation", "invalid"),
    ("ob3_didkey_expired", "dates", "invalid"),
    ("ob3_didkey_not_yet_valid", "dates", "invalid"),
    ("ob3_didkey_unknown_context", "contexts", "invalid"),
    ("ob3_jwt_wrong_key", "signature", "invalid"),
    ("ob3_jwt_embedded_stranger", "signature", "invalid"),
    ("ob3_jwt_expired", "dates", "invalid"),
    ("png_truncated", "input", "unusable"),
    ("png_two_badges", "input", "unusable"),
    ("svg_script", "input", "unusable"),
    ("png_plain", "input", "unusable"),
    ("/ob2/nowhere", "input", "unusable"),
]


@pytest.mark.parametrize(("name", "check_id", "result"), FAILING)
def test_each_defect_fails_its_own_check(foreign_issuer, name, check_id, result):
    verdict = verify(badge(foreign_issuer, name))
    assert verdict.result == result
    assert not verdict.valid
    assert check_id in verdict.failed_ids(), verdict.to_json()["checks"]
    failing = verdict.check(check_id)
    assert failing.message_fr and failing.message_en


def test_unknown_context_fails_only_contexts_for_ob2(foreign_issuer):
    verdict = verify(foreign_issuer.badges["ob2_hosted_unknown_context"])
    assert verdict.failed_ids() == ["contexts"]
    assert "https://evil.example/ctx" in verdict.check("contexts").message_fr


@pytest.mark.parametrize(
    ("name", "message_fr", "message_en"),
    [
        (
            "ob2_hosted_expired",
            "Ce badge a expiré le 3 mars 2026.",
            "This badge expired on March 3, 2026.",
        ),
        (
            "ob3_didkey_not_yet_valid",
            "Ce badge ne sera valable qu'à partir du 1er janvier 2099.",
            "This badge only becomes valid on January 1, 2099.",
        ),
        (
            "/ob2/assertions/revoked",
            "Ce badge a été révoqué par son émetteur : Attribué par erreur",
            "This badge has been revoked by its issuer: Attribué par erreur",
        ),
        (
            "ob2_signed_revoked",
            "Ce badge a été révoqué par son émetteur : Critères non remplis",
            "This badge has been revoked by its issuer: Critères non remplis",
        ),
        (
            "ob3_didkey_revoked",
            "Ce badge a été révoqué par son émetteur.",
            "This badge has been revoked by its issuer.",
        ),
    ],
)
def test_messages_are_plain_french_and_english(foreign_issuer, name, message_fr, message_en):
    verdict = verify(badge(foreign_issuer, name))
    failing = [c for c in verdict.checks if c.outcome == "fail"][0]
    assert (failing.message_fr, failing.message_en) == (message_fr, message_en)


def test_signature_message_names_the_issuer_key(foreign_issuer):
    verdict = verify(foreign_issuer.badges["ob2_signed_valid"])
    assert (
        verdict.check("signature").message_fr
        == "La signature correspond à la clé publiée par l'émetteur."
    )


@pytest.mark.parametrize(
    "name", ["ob2_hosted_valid", "ob2_signed_valid", "ob3_didkey_valid", "ob3_jwt_valid"]
)
def test_wrong_recipient_fails_the_recipient_check(foreign_issuer, name):
    verdict = verify(foreign_issuer.badges[name], recipient_email="quelquun.dautre@example.fr")
    assert verdict.failed_ids() == ["recipient"]
    assert (
        verdict.check("recipient").message_fr
        == "Ce badge n'a pas été attribué à cette adresse e-mail."
    )


def test_recipient_match_ignores_case_and_spaces(foreign_issuer):
    verdict = verify(
        foreign_issuer.badges["ob3_didkey_valid"], recipient_email="  Camille.DURAND@example.fr "
    )
    assert verdict.check("recipient").outcome == "pass"


def test_recipient_is_not_checked_without_an_email(foreign_issuer):
    assert verify(foreign_issuer.badges["ob3_didkey_valid"]).check("recipient") is None


def test_private_address_is_refused_by_the_default_policy(foreign_issuer):
    def production_fetch(url):
        result = safe_fetch(url, FetchPolicy(allow_http=True))  # allow_private stays False
        return result.content_type, result.content

    verdict = verify(foreign_issuer.url("/ob2/assertions/valid"), fetch=production_fetch)
    assert verdict.result == "unusable"
    assert verdict.failed_ids() == ["input"]
    assert "réseau privé" in verdict.check("input").message_fr


def test_baked_hosted_badge_is_refused_when_its_host_is_private(foreign_issuer):
    def production_fetch(url):
        result = safe_fetch(url, FetchPolicy(allow_http=True))
        return result.content_type, result.content

    verdict = verify(foreign_issuer.badges["png_ob2_hosted"], fetch=production_fetch)
    assert verdict.result == "invalid"
    assert verdict.failed_ids() == ["hosted"]


# ------------------------------------------------------------------ credentials signed elsewhere


def test_credential_signed_by_the_digital_bazaar_stack_is_valid():
    verdict = verify(DCC_SIGNED.read_text(), fetch=_no_network, recipient_email=DCC_EMAIL)
    assert verdict.result == "valid", verdict.to_json()["checks"]
    assert (verdict.version, verdict.method) == ("3.0", "data-integrity")
    assert verdict.check("recipient").outcome == "pass"


def test_tampered_copy_of_the_digital_bazaar_credential_fails_its_signature():
    credential = json.loads(DCC_SIGNED.read_text())
    credential["credentialSubject"]["achievement"]["name"] = "Expert-comptable"
    verdict = verify(credential, fetch=_no_network)
    assert verdict.failed_ids() == ["signature"]


def test_vc_1_1_credential_with_ed25519signature2020_is_valid():
    verdict = verify(DCC_VC1.read_text(), fetch=_no_network)
    assert verdict.result == "valid", verdict.to_json()["checks"]
    assert verdict.badge["issued"] == "2023-03-01T10:00:00Z"


def _no_network(url):
    raise AssertionError(f"no fetch expected, got {url}")


# ------------------------------------------------------------------ bad input, never an exception


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b"   \n",
        b"\xff\xfe\x00garbage",
        b"\x89PNG\r\n\x1a\n",
        b"<svg",
        b"<html><body>hello</body></html>",
        "",
        "bonjour",
        "{",
        "[1, 2]",
        '{"foo": "bar"}',
        "a.b.c",
        "eyJhbGciOiJSUzI1NiJ9.eyJmb28iOiAxfQ.c2ln",
        "[" * 100_000,
        "ftp://example.org/badge.json",
        "https://[",
        "https://]x/",
        "http://example.org:99999/badge",
        "http:///badge.json",
    ],
)
def test_input_that_is_not_a_badge_is_unusable(value):
    verdict = verify_badge(value, fetch=_no_network)
    assert verdict.result == "unusable"
    assert verdict.failed_ids() == ["input"]
    assert verdict.to_json()["valid"] is False


def test_a_fetcher_that_raises_anything_is_reported_not_raised():
    def broken(url):
        raise RuntimeError("boom")

    verdict = verify_badge("https://badges.example.org/assertions/1", fetch=broken)
    assert verdict.result == "unusable"
    assert "n'a pas pu être récupéré" in verdict.check("input").message_fr


def test_fetches_are_bounded_and_cached():
    calls = []

    def counting(url):
        calls.append(url)
        return "application/json", json.dumps({"id": url, "badge": url, "recipient": {}}).encode()

    verify_badge(
        '{"id": "https://a.example/1", "badge": "https://a.example/b", "recipient": {}}',
        fetch=counting,
    )
    assert len(calls) == len(set(calls)) <= 12


def test_signed_ob2_json_without_its_signature_is_invalid(foreign_issuer):
    from directory.openbadges.jose import unverified_jws_parts

    payload = unverified_jws_parts(foreign_issuer.badges["ob2_signed_valid"])[1]
    assert verify(payload).failed_ids() == ["signature"]


def test_verdict_json_shape(foreign_issuer):
    data = verify(
        foreign_issuer.badges["ob3_didkey_valid"], now=datetime(2026, 1, 1, tzinfo=UTC)
    ).to_json()
    assert set(data) == {
        "result",
        "valid",
        "version",
        "format",
        "method",
        "checks",
        "badge",
        "document",
    }
    assert [c["id"] for c in data["checks"]] == [
        "input",
        "contexts",
        "structure",
        "issuer",
        "signature",
        "revocation",
        "dates",
    ]
    assert set(data["checks"][0]) == {"id", "outcome", "message_fr", "message_en"}
    assert set(data["badge"]) == {
        "name",
        "description",
        "image",
        "issuer",
        "issued",
        "expires",
        "criteria",
        "alignments",
        "recipient",
    }
    assert data["badge"]["recipient"]["hashed"] is True
    assert data["document"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    json.dumps(data)  # serialisable as is


def test_did_web_url():
    assert did_web_url("did:web:example.org#key-1") == "https://example.org/.well-known/did.json"
    assert (
        did_web_url("did:web:example.org%3A8443:issuers:42#k")
        == "https://example.org:8443/issuers/42/did.json"
    )

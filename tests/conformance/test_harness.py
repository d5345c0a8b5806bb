"""Self-tests of the validator harness, on documents built here (not by the app).

Each external validator must accept a correct document and reject a tampered one, offline.
"""
from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import io
import json
import struct
import threading
import zlib
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from pyld import jsonld

import validators as V
from validators import dcc_verify, dcc_verify_many, ob2_validate, ob2_validate_many, require_dcc, require_ob2
from validators import schema_errors

pytestmark = pytest.mark.conformance

PUBLIC = "https://badgeons.test"
EMAIL = "Alice@Example.org"
SALT = "s4lt"
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# ============================================================================ local web server
class Site:
    """A real HTTP server on 127.0.0.1 serving a dict path -> (status, content type, body)."""

    def __init__(self):
        routes = self.routes = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, ctype, body = routes.get(self.path.split("?")[0], (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json(self, path, doc, status=200, ctype="application/ld+json"):
        self.routes[path] = (status, ctype, json.dumps(doc).encode())

    def raw(self, path, body: bytes, ctype, status=200):
        self.routes[path] = (status, ctype, body)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


# ============================================================================ OB 2.0 documents
def png_bytes(color=(30, 90, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buf, "PNG")
    return buf.getvalue()


def png_chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def bake_png(png: bytes, text: str, keyword=b"openbadges", copies=1) -> bytes:
    """Bake by hand: one uncompressed iTXt chunk (keyword, flag 0, method 0, no lang, no tkey)."""
    iend = png.rindex(b"IEND") - 4
    chunk = png_chunk(b"iTXt", keyword + b"\0" + b"\0\0" + b"\0" + b"\0" + text.encode())
    return png[:iend] + chunk * copies + png[iend:]


def bake_svg(verify: str | None, body: str | None) -> bytes:
    attr = f' verify="{verify}"' if verify else ""
    inner = f"<![CDATA[{body}]]>" if body else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
            f'width="16" height="16"><openbadges:assertion{attr}>{inner}</openbadges:assertion>'
            f'<rect width="16" height="16" fill="#1e5ac8"/></svg>').encode()


def identity(email: str = EMAIL) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + SALT).encode()).hexdigest()


RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PEM = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def jws_rs256(payload: dict, header: dict | None = None, key=RSA_KEY) -> str:
    h = b64u(json.dumps(header or {"alg": "RS256"}).encode())
    p = b64u(json.dumps(payload).encode())
    sig = key.sign(f"{h}.{p}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{h}.{p}.{b64u(sig)}"


def tamper_jws(token: str, **changes) -> str:
    h, p, s = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    payload.update(changes)
    return f"{h}.{b64u(json.dumps(payload).encode())}.{s}"


CTX2 = "https://w3id.org/openbadges/v2"


def ob2_site(site: Site, base: str) -> dict:
    """Publish a hosted and a signed OB 2.0 badge on `site` with ids under `base`."""
    docs = {}
    site.raw("/images/badge.png", png_bytes(), "image/png")

    def issuer(path, **extra):
        doc = {"@context": CTX2, "id": base + path, "type": "Issuer", "name": "Agence Test",
               "url": base + "/", "email": "contact@badgeons.test", **extra}
        site.json(path, doc)
        return doc

    def badge(path, issuer_id, **extra):
        doc = {"@context": CTX2, "id": base + path, "type": "BadgeClass", "name": "Pitch",
               "description": "Pitches a project", "image": base + "/images/badge.png",
               "criteria": {"narrative": "Pitch in front of a jury."}, "issuer": issuer_id, **extra}
        for k in [k for k, v in doc.items() if v is None]:
            del doc[k]
        site.json(path, doc)
        return doc

    def assertion(aid, badge_id, **extra):
        doc = {"@context": CTX2, "id": aid, "type": "Assertion",
               "recipient": {"type": "email", "hashed": True, "salt": SALT, "identity": identity()},
               "badge": badge_id, "issuedOn": iso(NOW - timedelta(days=1)),
               "verification": {"type": "HostedBadge"}, **extra}
        return doc

    hosted_issuer = issuer("/issuers/1")
    docs["badge"] = badge("/badges/1", hosted_issuer["id"])
    bad_badge = badge("/badges/no-criteria", hosted_issuer["id"], criteria=None)
    for name, path, b, extra, status in [
        ("hosted", "/assertions/1", docs["badge"], {}, 200),
        ("no_criteria", "/assertions/no-criteria", bad_badge, {}, 200),
        ("revoked_flag", "/assertions/revoked", docs["badge"], {"revoked": True, "revocationReason": "fraud"}, 200),
        ("foreign_badge", "/assertions/foreign", {"id": "http://example.org/badges/1"}, {}, 200),
    ]:
        docs[name] = assertion(base + path, b["id"], **extra)
        site.json(path, docs[name], status=status)
    gone = base + "/assertions/gone"
    docs["gone"] = {"@context": CTX2, "id": gone, "revoked": True, "revocationReason": "withdrawn"}
    site.json("/assertions/gone", docs["gone"], status=410)

    # signed: issuer with key + 2-entry revocation list; second issuer with a 1-entry list
    signed = {}
    for tag, entries in [("s2", 2), ("s1", 1)]:
        key_id, rl_id, iss_path = f"{base}/keys/{tag}", f"{base}/revocations/{tag}", f"/issuers/{tag}"
        iss = issuer(iss_path, publicKey=key_id, revocationList=rl_id)
        site.json(f"/keys/{tag}", {"@context": CTX2, "id": key_id, "type": "CryptographicKey",
                                   "owner": iss["id"], "publicKeyPem": RSA_PEM})
        bc = badge(f"/badges/{tag}", iss["id"])
        ok = assertion(f"urn:uuid:0f6b6d5c-1a2b-4c3d-8e4f-{tag}0000000001".replace("s", "5"), bc["id"],
                       verification={"type": "SignedBadge", "creator": key_id})
        revoked = assertion(f"urn:uuid:0f6b6d5c-1a2b-4c3d-8e4f-{tag}0000000002".replace("s", "5"), bc["id"],
                            verification={"type": "SignedBadge", "creator": key_id})
        listed = [{"id": revoked["id"], "revocationReason": "issued in error"}]
        if entries == 2:
            listed.append("urn:uuid:9e0c0a53-3f73-4d1e-9f3e-000000000099")
        site.json(f"/revocations/{tag}", {"@context": CTX2, "id": rl_id, "type": "RevocationList",
                                          "issuer": iss["id"], "revokedAssertions": listed})
        signed[tag] = (jws_rs256(ok), jws_rs256(revoked))
    docs["signed"] = signed
    return docs


@pytest.fixture(scope="module")
def ob2():
    require_ob2()
    site = Site()
    docs = ob2_site(site, site.origin)
    yield site, docs
    site.close()


@pytest.fixture(scope="module")
def ob2_public():
    """The same badge published with https://badgeons.test ids, served by a local server."""
    require_ob2()
    site = Site()
    docs = ob2_site(site, PUBLIC)
    yield site, docs
    site.close()


def names(result) -> set[str]:
    return {e.split(":")[0] for e in result.errors}


# ---------------------------------------------------------------------------- OB 2.0 hosted
def test_ob2_hosted_valid_and_recipient(ob2):
    site, docs = ob2
    ok = ob2_validate(docs["hosted"]["id"], recipient="alice@example.org")
    assert ok.valid, ok.errors
    assert ok.report["openBadgesVersion"] == "2.0" and ok.report["harness"]["refused"] == []
    wrong = ob2_validate(docs["hosted"]["id"], recipient="mallory@example.org")
    assert not wrong.valid and "VERIFY_RECIPIENT_IDENTIFIER" in names(wrong)


def test_ob2_hosted_tampered_badgeclass_fails(ob2):
    _, docs = ob2
    r = ob2_validate(docs["no_criteria"]["id"])
    assert not r.valid
    assert any("criteria" in e for e in r.errors), r.errors


def test_ob2_hosted_revoked_flag_fails_despite_validator_bug(ob2):
    _, docs = ob2
    r = ob2_validate(docs["revoked_flag"]["id"])
    assert r.report["harness"]["validatorValid"] is True   # the upstream bug this harness covers
    assert not r.valid and "HARNESS_HOSTED_NOT_REVOKED" in names(r)
    assert "fraud" in " ".join(r.errors)


def test_ob2_hosted_410_reported_as_revoked(ob2):
    _, docs = ob2
    r = ob2_validate(docs["gone"]["id"])
    assert not r.valid and "HARNESS_HOSTED_NOT_REVOKED" in names(r), r.errors


def test_ob2_json_input_and_offline_refusal(ob2):
    _, docs = ob2
    assert ob2_validate(docs["hosted"]).valid                          # dict -> JSON file
    assert ob2_validate(json.dumps(docs["hosted"])).valid              # JSON text
    r = ob2_validate(docs["foreign_badge"]["id"])
    assert not r.valid
    assert r.report["harness"]["refused"] == ["http://example.org/badges/1"]


def test_ob2_origin_map(ob2_public):
    site, docs = ob2_public
    url = docs["hosted"]["id"]
    assert url.startswith(PUBLIC + "/")
    r = ob2_validate(url, recipient=EMAIL.lower(), origin_map={PUBLIC: site.origin})
    assert r.valid, r.errors
    assert url in r.report["harness"]["fetched"] and not r.report["harness"]["refused"]
    unmapped = ob2_validate(url)
    assert not unmapped.valid and url in unmapped.report["harness"]["refused"]


# ---------------------------------------------------------------------------- OB 2.0 signed
def test_ob2_signed_jws(ob2):
    _, docs = ob2
    good, revoked = docs["signed"]["s2"]
    r = ob2_validate(good, recipient="alice@example.org")
    assert r.valid, r.errors
    bad = ob2_validate(tamper_jws(good, issuedOn=iso(NOW - timedelta(days=30))))
    assert not bad.valid and "VERIFY_JWS" in names(bad), bad.errors
    rv = ob2_validate(revoked)
    assert not rv.valid and "VERIFY_SIGNED_ASSERTION_NOT_REVOKED" in names(rv), rv.errors


def test_ob2_signed_single_entry_revocation_list_bug(ob2):
    _, docs = ob2
    good, revoked = docs["signed"]["s1"]
    assert ob2_validate(good).valid
    r = ob2_validate(revoked)
    assert r.report["harness"]["validatorValid"] is True   # upstream bug: 1-entry list never matched
    assert not r.valid and "HARNESS_SIGNED_NOT_REVOKED" in names(r)


# ---------------------------------------------------------------------------- OB 2.0 baked
def test_ob2_baked_png(ob2, tmp_path):
    _, docs = ob2
    hosted_png = bake_png(png_bytes(), json.dumps(docs["hosted"]))
    assert ob2_validate(hosted_png, recipient="alice@example.org").valid
    good, _ = docs["signed"]["s2"]
    p = tmp_path / "signed.png"
    p.write_bytes(bake_png(png_bytes(), good))
    assert ob2_validate(p).valid
    tampered = ob2_validate(bake_png(png_bytes(), tamper_jws(good, narrative="edited")))
    assert not tampered.valid and "VERIFY_JWS" in names(tampered)
    twice = ob2_validate(bake_png(png_bytes(), json.dumps(docs["hosted"]), copies=2))
    assert not twice.valid and "HARNESS_BAKED_IMAGE" in names(twice)


def test_ob2_baked_svg(ob2):
    _, docs = ob2
    hosted = bake_svg(docs["hosted"]["id"], json.dumps(docs["hosted"]))
    r = ob2_validate(hosted, recipient="alice@example.org")
    assert r.valid and r.report["harness"]["inputKind"] == "svg", r.errors
    good, _ = docs["signed"]["s2"]
    assert ob2_validate(bake_svg(good, None)).valid
    assert not ob2_validate(bake_svg(tamper_jws(good, narrative="edited"), None)).valid


def test_ob2_batch(ob2):
    _, docs = ob2
    good, _ = docs["signed"]["s2"]
    results = ob2_validate_many([(docs["hosted"]["id"], "alice@example.org"), good,
                                 docs["revoked_flag"]["id"], tamper_jws(good, narrative="x")])
    assert [r.valid for r in results] == [True, True, False, False]


# ============================================================================ OB 3.0
SPEC_CONTEXTS = next(d for d in V._spec_dirs("contexts") if (d / "credentials-v2.jsonld").is_file()) \
    if any((d / "credentials-v2.jsonld").is_file() for d in V._spec_dirs("contexts")) else None
CTX_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
}
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def loader(url, options=None):
    return {"contextUrl": None, "documentUrl": url,
            "document": json.loads((SPEC_CONTEXTS / CTX_FILES[url]).read_text())}


def canon(doc) -> str:
    return jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                  "documentLoader": loader})


def sign_eddsa(cred: dict, key: Ed25519PrivateKey, vm: str, created: str = "2024-05-01T00:00:00Z") -> dict:
    """eddsa-rdfc-2022 (OB-NOTES §4c (2)); proof emitted as an array as the 1EdTech schema wants."""
    doc = {k: v for k, v in cred.items() if k != "proof"}
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": created,
             "verificationMethod": vm, "proofPurpose": "assertionMethod"}
    cfg = dict(proof, **{"@context": cred["@context"]})
    data = hashlib.sha256(canon(cfg).encode()).digest() + hashlib.sha256(canon(doc).encode()).digest()
    out = copy.deepcopy(cred)
    out["proof"] = [dict(proof, proofValue="z" + base58.b58encode(key.sign(data)).decode())]
    return out


ED_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"badgeons-harness-test").digest())
_raw = ED_KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
DID = "did:key:z" + base58.b58encode(b"\xed\x01" + _raw).decode()
VM = DID + "#" + DID[len("did:key:"):]


def achievement() -> dict:
    return {"id": f"{PUBLIC}/achievements/pitch", "type": ["Achievement"], "name": "Pitch",
            "description": "Pitches a project", "criteria": {"narrative": "Pitch in front of a jury."},
            "achievementType": "Badge",
            "alignment": [{"type": ["Alignment"], "targetName": "pitch a project",
                           "targetUrl": "http://data.europa.eu/esco/skill/0000", "targetFramework": "ESCO"}]}


def ob3_credential(**extra) -> dict:
    cred = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:6f1d7a36-2c55-4a43-9a8e-3d2b8b1c0a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Pitch",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Agence Test", "url": PUBLIC + "/"},
        "validFrom": iso(NOW - timedelta(days=1)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                            "identityHash": identity(), "salt": SALT}],
            "achievement": achievement(),
        },
    }
    cred.update(extra)
    return cred


@pytest.fixture(scope="module")
def ob3_signed():
    if SPEC_CONTEXTS is None:
        pytest.skip("no JSON-LD contexts (directory/openbadges/contexts or ../shared/spec/contexts)")
    return sign_eddsa(ob3_credential(), ED_KEY, VM)


def test_schema_errors_catches_known_faults(ob3_signed):
    assert schema_errors(ob3_signed) == []
    assert schema_errors(ob3_signed["credentialSubject"]["achievement"], kind="achievement-object") == []
    date_only = dict(ob3_signed, validFrom="2024-05-01")
    assert any(e.startswith("/validFrom") for e in schema_errors(date_only))
    proof_object = dict(ob3_signed, proof=ob3_signed["proof"][0])
    assert any(e.startswith("/proof") for e in schema_errors(proof_object))
    no_criteria = copy.deepcopy(ob3_signed)
    del no_criteria["credentialSubject"]["achievement"]["criteria"]
    assert any("criteria" in e for e in schema_errors(no_criteria))
    bad_issuer = dict(ob3_signed, issuer=dict(ob3_signed["issuer"], type="Profile"))
    assert schema_errors(bad_issuer)
    assert schema_errors({"id": DID, "type": ["Profile"], "name": "X"}, kind="profile") == []
    with pytest.raises(ValueError):
        schema_errors({}, kind="nope")


def test_dcc_valid_and_tampered(ob3_signed):
    require_dcc()
    ok = dcc_verify(ob3_signed)
    assert ok.valid, ok.errors
    log = {s["id"]: s.get("valid") for s in ok.report["result"]["log"]}
    assert log["valid_signature"] is True and log["expiration"] is True
    tampered = copy.deepcopy(ob3_signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    bad = dcc_verify(tampered)
    assert not bad.valid and any("invalid_signature" in e for e in bad.errors), bad.errors
    as_text = dcc_verify(json.dumps(ob3_signed))
    assert as_text.valid


def test_dcc_expired_schema_and_undefined_terms():
    require_dcc()
    if SPEC_CONTEXTS is None:
        pytest.skip("no JSON-LD contexts")
    expired = sign_eddsa(ob3_credential(validFrom=iso(NOW - timedelta(days=10)),
                                        validUntil=iso(NOW - timedelta(days=1))), ED_KEY, VM)
    proof_object = sign_eddsa(ob3_credential(), ED_KEY, VM)
    proof_object["proof"] = proof_object["proof"][0]        # DCC style: signature still valid
    # `endorsementJwt` exists only in the live 3.0.3 context (verify.mjs swaps DCC's older copy)
    with_jwt_term = sign_eddsa(ob3_credential(endorsementJwt=["a.b.c"]), ED_KEY, VM)
    # an undefined term: pyld signs it happily, DCC's safe mode must refuse it
    undefined = sign_eddsa(ob3_credential(badgeonsColour="blue"), ED_KEY, VM)
    r_expired, r_proof, r_jwt, r_undef = dcc_verify_many([expired, proof_object, with_jwt_term, undefined])
    assert not r_expired.valid and "expiration: false" in r_expired.errors
    assert not r_proof.valid and any(e.startswith("schema_check") for e in r_proof.errors)
    assert r_jwt.valid, r_jwt.errors
    assert not r_undef.valid, r_undef.errors


def test_dcc_endorsement_credential():
    require_dcc()
    if SPEC_CONTEXTS is None:
        pytest.skip("no JSON-LD contexts")
    endorsement = sign_eddsa({
        "@context": [VC2, OB3], "id": "urn:uuid:6f1d7a36-2c55-4a43-9a8e-3d2b8b1c0a02",
        "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Endorsement of Pitch",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Partner"}, "validFrom": iso(NOW),
        "credentialSubject": {"id": f"{PUBLIC}/achievements/pitch", "type": ["EndorsementSubject"],
                              "endorsementComment": "We trust this badge."}}, ED_KEY, VM)
    assert schema_errors(endorsement, kind="endorsement") == []
    r = dcc_verify(endorsement)
    assert r.valid, r.errors


def _status_list(url: str, revoked_index: int | None) -> dict:
    bits = bytearray(16 * 1024)                    # 131072 entries, the spec minimum
    if revoked_index is not None:
        bits[revoked_index // 8] |= 0x80 >> (revoked_index % 8)
    encoded = "u" + b64u(gzip.compress(bytes(bits)))
    return sign_eddsa({"@context": [VC2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                       "issuer": DID, "validFrom": iso(NOW - timedelta(days=1)),
                       "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                                             "statusPurpose": "revocation", "encodedList": encoded}}, ED_KEY, VM)


def test_dcc_bitstring_status_list_through_origin_map():
    require_dcc()
    if SPEC_CONTEXTS is None:
        pytest.skip("no JSON-LD contexts")
    site = Site()
    try:
        list_url = f"{PUBLIC}/status/1"
        site.json("/status/1", _status_list(list_url, revoked_index=7), ctype="application/vc+ld+json")

        def with_status(index, n):
            status = {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                      "statusListIndex": str(index), "statusListCredential": list_url}
            return sign_eddsa(ob3_credential(id=f"urn:uuid:6f1d7a36-2c55-4a43-9a8e-3d2b8b1c0b0{n}",
                                             credentialStatus=status), ED_KEY, VM)

        active, revoked = with_status(3, 1), with_status(7, 2)
        r_active, r_revoked = dcc_verify_many([active, revoked], origin_map={PUBLIC: site.origin})
        assert r_active.valid, r_active.errors
        assert list_url in r_active.report["fetched"]
        assert not r_revoked.valid and any(e.startswith("revocation_status") for e in r_revoked.errors)
        offline = dcc_verify(active)                # unmapped: the public host is refused
        assert not offline.valid and list_url in offline.report["refused"]
    finally:
        site.close()


def test_dcc_vc_jwt():
    require_dcc()
    site = Site()
    try:
        nums = RSA_KEY.public_key().public_numbers()
        jwk = {"kty": "RSA", "n": b64u(nums.n.to_bytes(256, "big")), "e": b64u(nums.e.to_bytes(3, "big")),
               "kid": f"{PUBLIC}/keys/jwt-1", "alg": "RS256", "use": "sig"}
        site.json("/keys/jwt-1", jwk, ctype="application/jwk+json")
        cred = ob3_credential(issuer={"id": PUBLIC + "/issuers/1", "type": ["Profile"], "name": "Agence Test"})
        claims = dict(cred, iss=cred["issuer"]["id"], jti=cred["id"],
                      nbf=int(datetime.fromisoformat(cred["validFrom"].replace("Z", "+00:00")).timestamp()))
        by_kid = jws_rs256(claims, {"alg": "RS256", "kid": jwk["kid"], "typ": "JWT"})
        public = {k: v for k, v in jwk.items() if k in ("kty", "n", "e")}
        by_jwk = jws_rs256(claims, {"alg": "RS256", "jwk": public, "typ": "JWT"})
        results = dcc_verify_many([by_kid, by_jwk, tamper_jws(by_jwk, name="Other"),
                                   jws_rs256(dict(claims, jti="urn:uuid:other"), {"alg": "RS256", "jwk": public}),
                                   jws_rs256(claims, {"alg": "RS256", "jwk": public, "x5u": "https://x"})],
                                  origin_map={PUBLIC: site.origin})
        assert [r.valid for r in results] == [True, True, False, False, False], [r.errors for r in results]
        assert results[0].report["format"] == "vc-jwt"
    finally:
        site.close()


def test_serve_wsgi_with_origin_map_and_forwarded_headers():
    """The shape app tests use: a WSGI app on a real local server, https ids mapped onto it."""
    require_ob2()
    docs_site = Site()                      # only used to build the documents
    docs = ob2_site(docs_site, PUBLIC)
    routes, seen = dict(docs_site.routes), []
    docs_site.close()

    def app(environ, start_response):
        seen.append((environ.get("HTTP_X_FORWARDED_PROTO"), environ.get("HTTP_X_FORWARDED_HOST")))
        status, ctype, body = routes.get(environ["PATH_INFO"], (404, "text/plain", b"not found"))
        start_response(f"{status} X", [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    with V.serve_wsgi(app) as origin:
        r = ob2_validate(docs["hosted"]["id"], recipient="alice@example.org", origin_map={PUBLIC: origin})
    assert r.valid, r.errors
    assert seen and set(seen) == {("https", "badgeons.test")}


# ============================================================================ helpers
def test_require_helpers_skip_or_fail(monkeypatch):
    monkeypatch.setattr(V, "ob2_problem", lambda: "not installed")
    monkeypatch.setattr(V, "dcc_problem", lambda: "no node")
    monkeypatch.delenv("REQUIRE_VALIDATORS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        V.require_ob2()
    monkeypatch.setenv("REQUIRE_VALIDATORS", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_VALIDATORS=1.*no node"):
        V.require_dcc()


def test_inputs_are_classified(tmp_path):
    inputs = V._Inputs()
    try:
        assert inputs.arg("https://badgeons.test/a") == "https://badgeons.test/a"
        assert Path(inputs.arg(b"\x89PNG\r\n\x1a\n....")).suffix == ".png"
        assert Path(inputs.arg(b"<svg></svg>")).suffix == ".svg"
        assert Path(inputs.arg("aa.bb.cc")).read_text() == "aa.bb.cc"
        f = tmp_path / "x.y.png"
        f.write_bytes(b"")
        assert inputs.arg(str(f)) == str(f.resolve())
    finally:
        inputs.close()


def test_altered_package_copy_is_not_fed_to_validators(tmp_path, monkeypatch):
    """A schema copy in the app package that differs from the published file is ignored."""
    published = next(d for d in V._spec_dirs("schemas") if (d / V.SCHEMAS["profile"][0]).is_file())
    fake = tmp_path / "schemas"
    fake.mkdir()
    (fake / V.SCHEMAS["profile"][0]).write_text('{"type": "object", "required": ["nonsense"]}')
    monkeypatch.setattr(V, "_spec_dirs", lambda sub: [fake, published])
    V._load_schema.cache_clear()
    V._validator.cache_clear()
    try:
        assert schema_errors({"id": DID, "type": ["Profile"]}, kind="profile") == []
    finally:
        V._load_schema.cache_clear()
        V._validator.cache_clear()

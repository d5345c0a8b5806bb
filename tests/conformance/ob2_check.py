"""Offline Open Badges 2.0 check with 1EdTech's validator (PyPI ``openbadges`` 1.1.2).

Run it with the validator's own interpreter (``scripts/setup-validators.sh`` builds it)::

    .venv-ob2/bin/python tests/conformance/ob2_check.py INPUT [--recipient EMAIL]
        [--origin-map https://badgeons.test=http://127.0.0.1:PORT]... [--batch]

INPUT is a hosted assertion URL, a baked PNG or SVG file, a file holding assertion JSON or a
compact JWS, a JSON/JWS string, or ``-`` for stdin.  With ``--batch`` stdin (or the INPUT file)
is a JSON array of ``{"input": ..., "recipient": ...}`` items (``input`` is a URL, JSON/JWS text
or a file path) and the output is an array; one interpreter then serves them all.

Prints the validator's report (``validationSubject, openBadgesVersion, messages, errorCount,
warningCount, valid``) as JSON, with harness messages (names ``HARNESS_*``) appended where the
strict checks below disagree, and a ``harness`` member saying what was fetched, what was
refused and what the validator alone concluded.  Exit 0 when valid, 1 when not, 2 on a usage
error.

Offline (OB-NOTES §4a): every ``requests.Session`` gets a transport adapter, installed before the
validator is imported, that
  * answers the OB 1.x/2.0 JSON-LD context URLs from local files,
  * rewrites ``--origin-map`` origins to a local server (below),
  * lets http(s) requests to 127.0.0.1 / localhost / [::1] through to real local servers,
  * refuses every other host (HTTP 599, listed under ``harness.refused``).

Origin map: the app publishes documents whose ids are ``https://<platform origin>/...``, and the
OB 2.0 rules tie hosted assertions to the issuer's origin, so ids must not be rewritten in the
documents.  Instead the tests run the app on a real local server and map the public origin onto it:
a request for ``https://badgeons.test/assertions/1`` is sent to
``http://127.0.0.1:PORT/assertions/1`` with ``X-Forwarded-Host: badgeons.test`` and
``X-Forwarded-Proto: https`` (what a TLS-terminating reverse proxy sends), while the validator keeps
seeing the https URL (``Response.url``), so id checks, origin checks and relative redirects work on
the public URLs.

Validator bugs handled here (OB-NOTES §4a, §4b):
  * SVG unbaking in openbadges-bakery 1.2.4 returns bytes and crashes the validator: images are
    unbaked here (PNG iTXt/tEXt ``openbadges`` chunk, SVG ``openbadges:assertion``) and the
    extracted string is verified.  The harness also reports a baked image whose metadata is
    missing, duplicated or compressed (spec: exactly one chunk/element, uncompressed).
  * The positional file argument of the stock CLI is ignored: not used here.
  * A hosted assertion with ``"revoked": true`` is reported valid, and an HTTP 410 only shows up
    as missing-property errors: the harness re-fetches the hosted assertion and fails it with
    ``HARNESS_HOSTED_NOT_REVOKED``.
  * A signed assertion listed as the *only* entry of ``revokedAssertions`` is never matched (JSON-LD
    compaction turns the 1-item list into an object): the harness fetches the issuer's
    RevocationList raw and fails it with ``HARNESS_SIGNED_NOT_REVOKED``.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import struct
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.models import Response
from requests.structures import CaseInsensitiveDict

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

# url -> (file name, sha256[:16] from shared/spec/README.md)
CONTEXTS = {
    "https://w3id.org/openbadges/v2": ("openbadges-v2.json", "3c0c25a0e581c64c"),
    "https://openbadgespec.org/v2/context.json": ("openbadges-v2.json", "3c0c25a0e581c64c"),
    "https://w3id.org/openbadges/v1": ("openbadges-v1.json", "406ec07d0e758a41"),
    "https://openbadgespec.org/v1/context.json": ("openbadges-v1.json", "406ec07d0e758a41"),
}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


def _context_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("OB_SPEC_DIR"):
        dirs.append(Path(os.environ["OB_SPEC_DIR"]))
    dirs += [REPO / "directory" / "openbadges" / "contexts",
             REPO.parent / "shared" / "spec" / "contexts",
             Path("/work/shared/spec/contexts")]
    return dirs


def _find_context(name: str, want: str) -> bytes | None:
    """The app's package copy is used only if byte-identical to the published file: the
    validator must not be fed data that the code under test could have altered."""
    fallback = None
    for d in _context_dirs():
        p = d / name
        if p.is_file():
            data = p.read_bytes()
            if hashlib.sha256(data).hexdigest()[:16] == want:
                return data
            fallback = fallback or data
    return fallback


class Net:
    fetched: list[str] = []
    refused: list[str] = []
    origin_map: dict[str, str] = {}


def _origin(parts) -> str:
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


class OfflineAdapter(BaseAdapter):
    """One adapter for every http(s) URL: contexts from disk, origin map, loopback, else refuse."""

    def __init__(self):
        super().__init__()
        self.real = HTTPAdapter()

    def _local(self, request, status, body: bytes, ctype: str) -> Response:
        r = Response()
        r.request, r.url, r.encoding = request, request.url, "utf-8"
        r.status_code, r._content = status, body
        r.headers = CaseInsensitiveDict({"Content-Type": ctype})
        r.reason = "OK" if status == 200 else "Offline"
        return r

    def send(self, request, **kw):
        url = request.url
        bare = url.split("#")[0]
        ctx = CONTEXTS.get(bare.rstrip("/"))
        if ctx:
            data = _find_context(*ctx)
            if data is not None:
                Net.fetched.append(bare)
                return self._local(request, 200, data, "application/ld+json")
        parts = urlsplit(url)
        origin = _origin(parts)
        if origin in Net.origin_map:
            target = urlsplit(Net.origin_map[origin])
            public_url = request.url
            request.url = urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))
            request.headers["X-Forwarded-Host"] = parts.netloc
            request.headers["X-Forwarded-Proto"] = parts.scheme
            Net.fetched.append(bare)
            resp = self.real.send(request, **kw)
            # The validator (and requests' redirect logic) keep working on the public URL.
            resp.url = public_url
            request.url = public_url
            return resp
        if parts.hostname in LOOPBACK:
            Net.fetched.append(bare)
            return self.real.send(request, **kw)
        Net.refused.append(bare)
        return self._local(request, 599, b"offline: refused " + bare.encode(), "text/plain")

    def close(self):
        self.real.close()


_ADAPTER = OfflineAdapter()
_orig_init = requests.Session.__init__


def _session_init(self, *a, **kw):
    _orig_init(self, *a, **kw)
    self.mount("http://", _ADAPTER)
    self.mount("https://", _ADAPTER)


requests.Session.__init__ = _session_init

from openbadges import verify  # noqa: E402  (must be imported after patching)
from openbadges.verifier.utils import list_of  # noqa: E402


# ----------------------------------------------------------------------------- unbaking
def _png_chunks(data: bytes):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        yield ctype, body
        pos += 12 + length
        if ctype == b"IEND":
            break


def unbake_png(data: bytes) -> tuple[str | None, list[str]]:
    found, problems = [], []
    for ctype, body in _png_chunks(data):
        if ctype == b"iTXt":
            keyword, _, rest = body.partition(b"\0")
            if keyword != b"openbadges":
                continue
            comp_flag, _comp_method = rest[0], rest[1]
            rest = rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, text = rest.partition(b"\0")
            if comp_flag:
                problems.append("openbadges iTXt chunk is compressed (spec: uncompressed)")
                text = zlib.decompress(text)
            found.append(text.decode("utf-8"))
        elif ctype == b"tEXt":
            keyword, _, text = body.partition(b"\0")
            if keyword == b"openbadges":
                found.append(text.decode("latin-1"))
    if len(found) > 1:
        problems.append(f"{len(found)} openbadges chunks (spec: exactly one)")
    if not found:
        problems.append("no openbadges iTXt chunk in the PNG")
    return (found[0].strip() if found else None), problems


def unbake_svg(data: bytes) -> tuple[str | None, list[str]]:
    import defusedxml.ElementTree as ET

    root = ET.fromstring(data)
    found = list(root.iter("{http://openbadges.org}assertion"))
    problems = []
    if len(found) > 1:
        problems.append(f"{len(found)} openbadges:assertion elements (spec: exactly one)")
    if not found:
        return None, ["no openbadges:assertion element in the SVG"]
    el = found[0]
    value = el.get("verify") or (el.text or "")
    return value.strip(), problems


def load_input(arg: str) -> tuple[str, str, list[str]]:
    """-> (string for verify(), input kind, baking problems)"""
    if arg == "-":
        arg = sys.stdin.read()
    s = arg.strip()
    if re.match(r"^https?://", s) or s.startswith("{") or JWS_RE.match(s):
        kind = "url" if s.startswith("http") else "json" if s.startswith("{") else "jws"
        return s, kind, []
    p = Path(arg)
    if not p.is_file():
        raise SystemExit(f"ob2_check: input is neither a URL, JSON, a JWS nor a file: {arg[:80]!r}")
    data = p.read_bytes()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        value, problems = unbake_png(data)
        kind = "png"
    elif b"<svg" in data[:4096]:
        value, problems = unbake_svg(data)
        kind = "svg"
    else:
        value, problems = data.decode("utf-8").strip(), []
        kind = "file"
    if value is None:
        raise SystemExit(f"ob2_check: {'; '.join(problems)}")
    return value, kind, problems


# ----------------------------------------------------------------------------- strict checks
def _nodes(graph, type_name):
    return [n for n in graph if type_name in list_of(n.get("type"))]


def _id_of(entry):
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        return entry.get("id") or entry.get("uid")
    return None


def _jws_payload(token: str) -> dict | None:
    try:
        part = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except Exception:
        return None


def strict_checks(result: dict, value: str) -> list[dict]:
    msgs = []
    graph = result.get("graph") or []
    assertions = _nodes(graph, "Assertion")
    if assertions:
        a = assertions[0]
        vtype = list_of((a.get("verification") or {}).get("type"))
    else:
        # e.g. a 410 body {"id", "revoked": true} has no type: judge the URL that was asked for
        subject = result.get("report", {}).get("validationSubject") or value
        if not (isinstance(subject, str) and subject.startswith("http")):
            return msgs
        a, vtype = {"id": subject}, ["HostedBadge"]
    session = requests.Session()
    accept = {"Accept": "application/ld+json, application/json"}
    if "HostedBadge" in vtype or "hosted" in vtype:
        aid = a.get("id")
        if aid and aid.startswith("http"):
            try:
                r = session.get(aid, headers=accept, timeout=30)
                body = {}
                try:
                    body = r.json()
                except ValueError:
                    pass
                revoked = r.status_code == 410 or (isinstance(body, dict) and body.get("revoked") is True) \
                    or a.get("revoked") is True
                if revoked:
                    reason = (body.get("revocationReason") if isinstance(body, dict) else None) \
                        or a.get("revocationReason") or ""
                    how = "HTTP 410 Gone" if r.status_code == 410 else '"revoked": true'
                    msgs.append(dict(name="HARNESS_HOSTED_NOT_REVOKED", messageLevel="ERROR", success=False,
                                     result=f"Hosted assertion {aid} is revoked ({how}){': ' + reason if reason else ''}"))
            except requests.RequestException as e:
                msgs.append(dict(name="HARNESS_HOSTED_NOT_REVOKED", messageLevel="ERROR", success=False,
                                 result=f"Could not re-fetch hosted assertion {aid}: {e}"))
    elif "SignedBadge" in vtype or "signed" in vtype:
        payload = _jws_payload(value) if JWS_RE.match(value) else None
        aid = a.get("id") or (payload or {}).get("id")
        issuers = _nodes(graph, "Issuer") + _nodes(graph, "Profile")
        for iss in issuers:
            rl_url = _id_of(iss.get("revocationList"))
            if not rl_url or not rl_url.startswith("http"):
                continue
            try:
                r = session.get(rl_url, headers=accept, timeout=30)
                rl = r.json()
            except (requests.RequestException, ValueError):
                continue  # the validator reports an unreachable list itself
            for entry in list_of(rl.get("revokedAssertions") if isinstance(rl, dict) else None):
                if _id_of(entry) == aid:
                    reason = entry.get("revocationReason", "") if isinstance(entry, dict) else ""
                    msgs.append(dict(name="HARNESS_SIGNED_NOT_REVOKED", messageLevel="ERROR", success=False,
                                     result=f"Assertion {aid} is listed in RevocationList {rl_url}"
                                            f"{': ' + reason if reason else ''}"))
    return msgs


# ----------------------------------------------------------------------------- main
def check(arg: str, recipient: str | None) -> dict:
    Net.fetched, Net.refused = [], []
    t0 = time.monotonic()
    try:
        value, kind, bake_problems = load_input(arg)
    except SystemExit as e:
        return {"valid": False, "errorCount": 1, "warningCount": 0, "messages": [
            dict(name="HARNESS_INPUT", messageLevel="ERROR", success=False, result=str(e))],
            "harness": {"validatorValid": None}}
    rp = {"email": recipient} if recipient else None
    result = verify(value, recipient_profile=rp)
    report = result["report"]
    validator_valid = bool(report.get("valid"))
    extra = [dict(name="HARNESS_BAKED_IMAGE", messageLevel="ERROR", success=False, result=p)
             for p in bake_problems]
    extra += strict_checks(result, value)
    if extra:
        report.setdefault("messages", []).extend(extra)
        report["errorCount"] = report.get("errorCount", 0) + len(extra)
        report["valid"] = False
    report["harness"] = {
        "inputKind": kind,
        "validatorValid": validator_valid,
        "strictErrors": [m["name"] for m in extra],
        "fetched": list(dict.fromkeys(Net.fetched)),
        "refused": list(dict.fromkeys(Net.refused)),
        "elapsedMs": round((time.monotonic() - t0) * 1000),
    }
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", default="-", help="URL, image/JSON/JWS file, JSON/JWS text, or - (stdin)")
    ap.add_argument("--recipient", help="recipient email to check against the assertion")
    ap.add_argument("--origin-map", action="append", default=[], metavar="FROM=TO",
                    help="serve https://public.origin from a local server, e.g. https://badgeons.test=http://127.0.0.1:5000")
    ap.add_argument("--batch", action="store_true", help="input is a JSON array of {input, recipient}")
    args = ap.parse_args(argv)
    maps = list(args.origin_map)
    if os.environ.get("OB_ORIGIN_MAP"):
        maps += os.environ["OB_ORIGIN_MAP"].replace(",", " ").split()
    for spec in maps:
        src, sep, dst = spec.partition("=")
        if not sep:
            ap.error(f"bad --origin-map {spec!r} (want FROM=TO)")
        Net.origin_map[_origin(urlsplit(src))] = dst.rstrip("/")
    if args.batch:
        text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text()
        items = json.loads(text)
        reports = [check(it["input"], it.get("recipient")) for it in items]
        print(json.dumps(reports, indent=2, default=str))
        return 0 if all(r["valid"] for r in reports) else 1
    report = check(args.input, args.recipient)
    print(json.dumps(report, indent=2, default=str))
    return 0 if report["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())

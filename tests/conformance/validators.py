"""External Open Badges validators for the test suite (offline).

Import from tests (``tests/conformance`` is on ``sys.path`` under pytest's default import mode,
or put it there)::

    from validators import ob2_validate, dcc_verify, schema_errors, require_ob2, require_dcc

* ``ob2_validate(input, recipient=None, origin_map=None) -> Ob2Result(valid, report, errors)``
  1EdTech's OB 2.0 validator (PyPI ``openbadges`` 1.1.2) in ``.venv-ob2``, through
  ``ob2_check.py`` in a subprocess.  ``input``: a hosted assertion URL, JSON or compact-JWS text,
  a ``dict`` (assertion JSON), ``bytes`` (a baked PNG/SVG, or JSON/JWS bytes) or a ``Path``.
  ``origin_map={"https://badgeons.test": "http://127.0.0.1:5000"}`` serves the platform's https
  origin from a local server (see ob2_check.py).  ``ob2_validate_many(items, origin_map)`` checks
  several in one interpreter (items: inputs or ``(input, recipient)`` pairs).
* ``dcc_verify(credential, origin_map=None) -> DccResult(valid, report, errors)``
  DCC ``@digitalcredentials/verifier-core`` through ``node/verify.mjs``; ``credential`` is a dict,
  JSON text or a compact VC-JWT.  ``dcc_verify_many(credentials, origin_map)`` verifies a list in
  one node process (a node launch costs ~0.5-1 s; use it for more than a couple of credentials).
* ``schema_errors(doc, kind="achievement") -> list[str]``: 1EdTech OB 3.0 JSON Schema
  (Draft 2019-09 + FormatChecker with rfc3339-validator). kind: ``achievement``
  (AchievementCredential/OpenBadgeCredential), ``endorsement`` (EndorsementCredential),
  ``profile`` (Profile), ``achievement-object`` (a bare Achievement, via ``$defs/Achievement``).
* ``serve_wsgi(app)``: context manager running a WSGI app (e.g. the Flask app) on a real
  ``http://127.0.0.1:PORT`` server in a thread; yields that origin, for ``origin_map``.
  Mapped requests carry ``X-Forwarded-Host``/``X-Forwarded-Proto`` (wrap the app in werkzeug's
  ``ProxyFix(x_proto=1, x_host=1)`` if it builds ids from the request).
* ``require_ob2()`` / ``require_dcc()``: call at the top of a test; they skip with the reason when
  the tooling is missing (run ``bash scripts/setup-validators.sh``), or fail when the environment
  variable ``REQUIRE_VALIDATORS=1`` is set (CI).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OB2_PYTHON = REPO / ".venv-ob2" / "bin" / "python"
OB2_SCRIPT = HERE / "ob2_check.py"
NODE_DIR = HERE / "node"
NODE_SCRIPT = NODE_DIR / "verify.mjs"
SETUP_HINT = "run `bash scripts/setup-validators.sh`"
_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
TIMINGS: list[tuple[str, float, int]] = []   # (validator, seconds, documents) per subprocess
TIMEOUT = float(os.environ.get("VALIDATOR_TIMEOUT", "120"))

# sha256[:16] of the published files (shared/spec/README.md)
SCHEMAS = {
    "achievement": ("ob_v3p0_achievementcredential_schema.json", "86a141ff0c1b1a6b"),
    "endorsement": ("ob_v3p0_endorsementcredential_schema.json", "3376c286d4df972b"),
    "profile": ("ob_v3p0_profile_schema.json", "104d86af5f539907"),
}
SCHEMA_KINDS = {
    "achievement": "achievement", "achievementcredential": "achievement",
    "openbadgecredential": "achievement", "credential": "achievement",
    "endorsement": "endorsement", "endorsementcredential": "endorsement",
    "profile": "profile", "achievement-object": "achievement",
}


@dataclass
class Ob2Result:
    valid: bool
    report: dict = field(repr=False)
    errors: list[str]
    elapsed: float = 0.0

    def __bool__(self):  # pragma: no cover - convenience
        return self.valid


@dataclass
class DccResult:
    valid: bool
    report: dict = field(repr=False)
    errors: list[str]
    elapsed: float = 0.0

    def __bool__(self):  # pragma: no cover - convenience
        return self.valid


# ----------------------------------------------------------------------------- availability
def _spec_dirs(sub: str) -> list[Path]:
    return [REPO / "directory" / "openbadges" / sub, REPO.parent / "shared" / "spec" / sub,
            Path("/work/shared/spec") / sub]


@functools.lru_cache(maxsize=None)
def ob2_problem() -> str | None:
    """Why the OB 2.0 validator cannot run here, or None."""
    if not OB2_PYTHON.exists():
        return f"OB 2.0 validator venv {OB2_PYTHON.parent.parent} is missing ({SETUP_HINT})"
    r = subprocess.run([str(OB2_PYTHON), "-c", "import openbadges, openbadges_bakery, defusedxml"],
                       capture_output=True, text=True, timeout=TIMEOUT)
    if r.returncode:
        return f"OB 2.0 validator does not import in .venv-ob2 ({SETUP_HINT}): {r.stderr.strip()[-300:]}"
    if not any((d / "openbadges-v2.json").is_file() for d in _spec_dirs("contexts")):
        return "no openbadges-v2.json context found (directory/openbadges/contexts or ../shared/spec/contexts)"
    return None


@functools.lru_cache(maxsize=None)
def dcc_problem() -> str | None:
    """Why the DCC verifier cannot run here, or None."""
    node = shutil.which("node")
    if not node:
        return "node is not on PATH (Node.js >= 20 needed for the OB 3.0 verifier)"
    if not (NODE_DIR / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        return f"tests/conformance/node/node_modules is missing ({SETUP_HINT})"
    if not any((d / SCHEMAS["achievement"][0]).is_file() for d in _spec_dirs("schemas")):
        return "no OB 3.0 JSON schemas found (directory/openbadges/schemas or ../shared/spec/schemas)"
    return None


def _require(problem: str | None, what: str) -> None:
    if problem is None:
        return
    import pytest

    if os.environ.get("REQUIRE_VALIDATORS") == "1":
        pytest.fail(f"{what} required (REQUIRE_VALIDATORS=1) but unavailable: {problem}", pytrace=False)
    pytest.skip(f"{what} unavailable: {problem}")


def require_ob2() -> None:
    """Skip (or fail under REQUIRE_VALIDATORS=1) unless the OB 2.0 validator can run."""
    _require(ob2_problem(), "OB 2.0 validator (PyPI openbadges)")


def require_dcc() -> None:
    """Skip (or fail under REQUIRE_VALIDATORS=1) unless the DCC OB 3.0 verifier can run."""
    _require(dcc_problem(), "OB 3.0 verifier (@digitalcredentials/verifier-core)")


@contextlib.contextmanager
def serve_wsgi(app):
    """Run ``app`` on a real local HTTP server (threaded) and yield its origin."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# ----------------------------------------------------------------------------- OB 2.0
def _origin_args(origin_map: Mapping[str, str] | None) -> list[str]:
    out = []
    for src, dst in (origin_map or {}).items():
        out += ["--origin-map", f"{src.rstrip('/')}={dst.rstrip('/')}"]
    return out


def _is_file(s: str) -> bool:
    try:
        return Path(s).is_file()
    except OSError:   # e.g. a JWS longer than NAME_MAX
        return False


def _sniff_suffix(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return ".png"
    if b"<svg" in data[:4096]:
        return ".svg"
    return ".txt"


class _Inputs:
    """Turns inputs into command-line arguments; bytes/dicts/long text go through temp files."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ob2-")
        self.n = 0

    def _file(self, data: bytes, suffix: str) -> str:
        self.n += 1
        p = Path(self.tmp.name) / f"input{self.n}{suffix}"
        p.write_bytes(data)
        return str(p)

    def arg(self, value: Any) -> str:
        if isinstance(value, Path):
            return str(value.resolve())
        if isinstance(value, (bytes, bytearray)):
            return self._file(bytes(value), _sniff_suffix(bytes(value)))
        if isinstance(value, dict):
            return self._file(json.dumps(value).encode(), ".json")
        if isinstance(value, str):
            s = value.strip()
            if s.startswith(("http://", "https://")):
                return s
            if s.startswith("{") or (_JWS_RE.match(s) and not _is_file(s)):
                return self._file(s.encode(), ".txt")
            return str(Path(value).resolve())
        raise TypeError(f"unsupported OB 2.0 input type {type(value).__name__}")

    def close(self):
        self.tmp.cleanup()


def _ob2_errors(report: dict) -> list[str]:
    return [f"{m.get('name')}: {m.get('result')}" for m in report.get("messages", [])
            if m.get("messageLevel") == "ERROR"]


def _run(cmd: list[str], stdin: str | None = None, cwd: Path | None = None,
         kind: str = "", count: int = 1) -> tuple[Any, str, int, float]:
    import time

    t0 = time.monotonic()
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)
    elapsed = time.monotonic() - t0
    TIMINGS.append((kind, elapsed, count))
    try:
        return json.loads(r.stdout), r.stderr, r.returncode, elapsed
    except ValueError:
        return None, (r.stderr + "\n" + r.stdout).strip(), r.returncode, elapsed


def ob2_validate(input: str | bytes | Path | dict, recipient: str | None = None,
                 origin_map: Mapping[str, str] | None = None) -> Ob2Result:
    """Validate one OB 2.0 input with 1EdTech's validator (offline, strict revocation checks)."""
    problem = ob2_problem()
    if problem:
        raise RuntimeError(problem)
    inputs = _Inputs()
    try:
        cmd = [str(OB2_PYTHON), str(OB2_SCRIPT), inputs.arg(input), *_origin_args(origin_map)]
        if recipient:
            cmd += ["--recipient", recipient]
        report, stderr, rc, elapsed = _run(cmd, kind="ob2")
    finally:
        inputs.close()
    if report is None:
        return Ob2Result(False, {"stderr": stderr}, [f"harness: ob2_check.py exited {rc}: {stderr[-2000:]}"], elapsed)
    errors = _ob2_errors(report)
    valid = bool(report.get("valid")) and rc == 0
    if valid and errors:  # cannot happen with the stock validator, but never report valid with errors
        valid = False
    return Ob2Result(valid, report, errors, elapsed)


def ob2_validate_many(items: Iterable[Any], origin_map: Mapping[str, str] | None = None) -> list[Ob2Result]:
    """Validate several inputs in one validator process. items: inputs or (input, recipient)."""
    problem = ob2_problem()
    if problem:
        raise RuntimeError(problem)
    inputs = _Inputs()
    try:
        batch = []
        for it in items:
            value, recipient = it if isinstance(it, tuple) else (it, None)
            batch.append({"input": inputs.arg(value), "recipient": recipient})
        reports, stderr, rc, elapsed = _run(
            [str(OB2_PYTHON), str(OB2_SCRIPT), "-", "--batch", *_origin_args(origin_map)], stdin=json.dumps(batch),
            kind="ob2-batch", count=len(batch))
    finally:
        inputs.close()
    if not isinstance(reports, list):
        raise RuntimeError(f"ob2_check.py --batch exited {rc}: {stderr[-2000:]}")
    each = elapsed / max(len(reports), 1)
    return [Ob2Result(bool(r.get("valid")) and not _ob2_errors(r), r, _ob2_errors(r), each) for r in reports]


# ----------------------------------------------------------------------------- OB 3.0 (DCC)
def _dcc_result(out: dict, elapsed: float) -> DccResult:
    errors = list(out.get("errors") or [])
    return DccResult(bool(out.get("valid")) and not errors, out, errors, elapsed)


def _node_cmd(extra: list[str]) -> list[str]:
    return [shutil.which("node") or "node", str(NODE_SCRIPT), "-", *extra]


def dcc_verify(credential: dict | str, origin_map: Mapping[str, str] | None = None) -> DccResult:
    """Verify one OB 3.0 credential (JSON with a Data Integrity proof, or a VC-JWT)."""
    problem = dcc_problem()
    if problem:
        raise RuntimeError(problem)
    text = json.dumps(credential) if isinstance(credential, dict) else str(credential)
    out, stderr, rc, elapsed = _run(_node_cmd(_origin_args(origin_map)), stdin=text, cwd=NODE_DIR, kind="dcc")
    if not isinstance(out, dict):
        return DccResult(False, {"stderr": stderr}, [f"harness: verify.mjs exited {rc}: {stderr[-2000:]}"], elapsed)
    return _dcc_result(out, elapsed)


def dcc_verify_many(credentials: Iterable[dict | str], origin_map: Mapping[str, str] | None = None) -> list[DccResult]:
    """Verify several credentials in one node process."""
    problem = dcc_problem()
    if problem:
        raise RuntimeError(problem)
    creds = list(credentials)
    out, stderr, rc, elapsed = _run(_node_cmd(["--batch", *_origin_args(origin_map)]),
                                    stdin=json.dumps(creds), cwd=NODE_DIR,
                                    kind="dcc-batch", count=len(creds))
    if not isinstance(out, list):
        raise RuntimeError(f"verify.mjs --batch exited {rc}: {stderr[-2000:]}")
    each = elapsed / max(len(out), 1)
    return [_dcc_result(o, each) for o in out]


# ----------------------------------------------------------------------------- JSON Schema
@functools.lru_cache(maxsize=None)
def _load_schema(kind: str) -> dict:
    name, want = SCHEMAS[kind]
    fallback = None
    for d in _spec_dirs("schemas"):
        p = d / name
        if p.is_file():
            data = p.read_bytes()
            if hashlib.sha256(data).hexdigest()[:16] == want:
                return json.loads(data)
            fallback = fallback or data   # an altered package copy is used only as a last resort
    if fallback is None:
        raise FileNotFoundError(f"{name} not found in {[str(d) for d in _spec_dirs('schemas')]}")
    return json.loads(fallback)


@functools.lru_cache(maxsize=None)
def _validator(kind: str):
    import rfc3339_validator  # noqa: F401  -- without it FormatChecker silently skips date-time
    from jsonschema import Draft201909Validator, FormatChecker

    base = SCHEMA_KINDS.get(kind)
    if base is None:
        raise ValueError(f"unknown schema kind {kind!r}; one of {sorted(SCHEMA_KINDS)}")
    schema = _load_schema(base)
    if kind == "achievement-object":
        schema = {"$schema": schema.get("$schema"), "$defs": schema["$defs"], "$ref": "#/$defs/Achievement"}
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=FormatChecker())


def schema_errors(doc: dict, kind: str = "achievement") -> list[str]:
    """Errors of ``doc`` against the 1EdTech OB 3.0 JSON Schema of ``kind`` ([] when valid)."""
    v = _validator(kind.lower())
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        where = "/" + "/".join(map(str, e.absolute_path))
        out.append(f"{where}: {e.message}")
    return out

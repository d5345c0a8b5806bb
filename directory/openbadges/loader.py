"""Offline JSON-LD document loader backed by the context files in ``contexts/`` (no Flask)."""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from directory.openbadges.errors import UnknownContextError

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

# Canonical @context URL → file in contexts/ (provenance: shared/spec/README.md).
CONTEXT_URLS: dict[str, str] = {
    OB2_CONTEXT: "openbadges-v2.json",
    "https://openbadgespec.org/v2/context.json": "openbadges-v2.json",
    "https://w3id.org/openbadges/v1": "openbadges-v1.json",
    "https://openbadgespec.org/v1/context.json": "openbadges-v1.json",
    OB3_CONTEXT: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    OB3_EXTENSIONS_CONTEXT: "ob-v3p0-extensions.json",
    VC2_CONTEXT: "credentials-v2.jsonld",
    VC1_CONTEXT: "credentials-v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    MULTIKEY_CONTEXT: "multikey-v1.json",
}


@functools.cache
def _parsed(filename: str) -> dict[str, Any]:
    """Read and parse one context file once per process."""
    text = (
        resources.files("directory.openbadges.contexts")
        .joinpath(filename)
        .read_text("utf-8")
    )
    return json.loads(text)


def load_context(url: str) -> dict[str, Any]:
    """Return a private copy of the context document for ``url``."""
    filename = CONTEXT_URLS.get(url)
    if filename is None:
        raise UnknownContextError(f"unknown JSON-LD context (offline loader): {url}")
    # A copy, because callers (and pyld) may mutate what they are given.
    return copy.deepcopy(_parsed(filename))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld ``documentLoader`` that serves packaged contexts and never uses the network."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
